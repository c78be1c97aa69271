/*
 * pgdump_normalize.c - reduce `pg_dump --schema-only` output to what an
 * upgraded database and a fresh load of the same models must share.
 *
 * Dropped: comment lines, blank lines, `SET ...;` lines, `SELECT
 * pg_catalog.set_config(...)` lines and psql's \restrict/\unrestrict lines
 * (their key is random).  Inside every CREATE [UNLOGGED|FOREIGN] TABLE
 * ... ( ... ) block the column and constraint lines are sorted, each
 * without its trailing comma: ALTER TABLE ADD COLUMN puts a column last,
 * a fresh load where the model declares it, and autogen does not manage
 * column order.  Everything else is kept verbatim, in order.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "autogen/base.h"

typedef struct line {
    const char *p;
    size_t len;
} line;

static int
starts(const line *l, const char *prefix)
{
    size_t n = strlen(prefix);
    return l->len >= n && memcmp(l->p, prefix, n) == 0;
}

static int
is_dropped(const line *l)
{
    size_t i = 0;
    while (i < l->len && (l->p[i] == ' ' || l->p[i] == '\t'))
        i++;
    if (i == l->len)
        return 1; /* blank */
    return starts(l, "--") || (starts(l, "SET ") && l->p[l->len - 1] == ';') ||
           starts(l, "SELECT pg_catalog.set_config(") || starts(l, "\\restrict") ||
           starts(l, "\\unrestrict");
}

static int
opens_table(const line *l)
{
    return (starts(l, "CREATE TABLE ") || starts(l, "CREATE UNLOGGED TABLE ") ||
            starts(l, "CREATE FOREIGN TABLE ")) &&
           l->len > 0 && l->p[l->len - 1] == '(';
}

static int
cmp_line(const void *a, const void *b)
{
    const line *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Split text into lines (without "\n" or a trailing "\r"); the array points
 * into text and is malloc'd. */
static line *
split(const char *text, size_t *count)
{
    size_t cap = 64, n = 0;
    line *v = ag_xmalloc(cap * sizeof *v);
    const char *p = text, *end = text + strlen(text);
    while (p < end) {
        /* memchr over what is left, not strcspn: ASan's strcspn checks the
         * whole rest of the string on every call, which made splitting
         * GitLab's 3 MB dump quadratic (minutes per comparison). */
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n == cap)
            v = ag_xrealloc(v, (cap *= 2) * sizeof *v);
        v[n].p = p;
        v[n].len = len;
        if (len > 0 && p[len - 1] == '\r')
            v[n].len--;
        n++;
        p += len;
        if (*p == '\n')
            p++;
    }
    *count = n;
    return v;
}

static void
emit(ag_buf *out, const line *l)
{
    ag_buf_putn(out, l->p, l->len);
    ag_buf_putc(out, '\n');
}

char *
agt_normalize_dump(const char *dump)
{
    size_t n;
    line *v = split(dump ? dump : "", &n);
    ag_buf out;
    ag_buf_init(&out);
    for (size_t i = 0; i < n; i++) {
        if (is_dropped(&v[i]))
            continue;
        emit(&out, &v[i]);
        if (!opens_table(&v[i]))
            continue;
        /* The body ends at the first line starting with ')' (");", or ")"
         * followed by PARTITION BY / INHERITS / SERVER lines). */
        size_t end = i + 1;
        while (end < n && !(v[end].len > 0 && v[end].p[0] == ')'))
            end++;
        if (end == n)
            continue; /* not a table block after all: keep as is */
        size_t nbody = 0;
        line *body = ag_xmalloc((end - i) * sizeof *body);
        for (size_t j = i + 1; j < end; j++) {
            if (is_dropped(&v[j]))
                continue;
            line l = v[j];
            if (l.len > 0 && l.p[l.len - 1] == ',')
                l.len--;
            body[nbody++] = l;
        }
        qsort(body, nbody, sizeof *body, cmp_line);
        for (size_t j = 0; j < nbody; j++)
            emit(&out, &body[j]);
        free(body);
        i = end - 1;
    }
    free(v);
    char *s = ag_buf_detach(&out);
    ag_buf_free(&out);
    return s;
}
