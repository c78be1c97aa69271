/*
 * dotenv.c - read a .env file into the environment without overriding it.
 *
 * The format is the common subset of python-dotenv, docker compose and
 * direnv: KEY=VALUE lines, optional "export ", '#' comments, single quotes
 * (literal) and double quotes (a few backslash escapes, may span lines).
 * The whole file is parsed before anything is set, so a malformed file
 * changes nothing.
 */
#include "autogen/db.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct entry {
    char *key;
    char *value;
} entry;

typedef struct parser {
    const char *path;
    const char *p;
    int line;
    entry *items;
    size_t n, cap;
} parser;

static void
skip_blanks(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r')
        ps->p++;
}

static void
skip_to_eol(parser *ps)
{
    while (*ps->p && *ps->p != '\n')
        ps->p++;
}

static int
fail(parser *ps, const char *what, ag_error *err)
{
    return ag_errorf(err, AG_ECONFIG, "%s:%d: %s", ps->path, ps->line, what);
}

/* Double-quoted value; ps->p is just past the opening quote. */
static int
read_double(parser *ps, ag_buf *val, ag_error *err)
{
    int start_line = ps->line;
    for (;;) {
        char c = *ps->p++;
        if (c == '\0') {
            ps->line = start_line;
            ps->p--;
            return fail(ps, "unterminated double-quoted value", err);
        }
        if (c == '"')
            return 0;
        if (c == '\n')
            ps->line++;
        if (c == '\\' && *ps->p) {
            char e = *ps->p++;
            switch (e) {
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'r':
                c = '\r';
                break;
            case '"':
            case '\\':
            case '$':
                c = e;
                break;
            default: /* unknown escape: keep both characters */
                ag_buf_putc(val, '\\');
                c = e;
                break;
            }
        }
        ag_buf_putc(val, c);
    }
}

/* Single-quoted value: literal up to the next quote. */
static int
read_single(parser *ps, ag_buf *val, ag_error *err)
{
    const char *close = strchr(ps->p, '\'');
    if (!close)
        return fail(ps, "unterminated single-quoted value", err);
    for (const char *q = ps->p; q < close; q++)
        if (*q == '\n')
            ps->line++;
    ag_buf_putn(val, ps->p, (size_t)(close - ps->p));
    ps->p = close + 1;
    return 0;
}

/* Unquoted value: to the end of the line, minus " # comment" and blanks. */
static void
read_bare(parser *ps, ag_buf *val)
{
    const char *start = ps->p;
    const char *end = start;
    while (*end && *end != '\n') {
        if (*end == '#' && end > start && (end[-1] == ' ' || end[-1] == '\t'))
            break;
        end++;
    }
    ps->p = end;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    ag_buf_putn(val, start, (size_t)(end - start));
    skip_to_eol(ps);
}

static int
parse_line(parser *ps, ag_error *err)
{
    skip_blanks(ps);
    if (*ps->p == '\n' || *ps->p == '\0' || *ps->p == '#') {
        skip_to_eol(ps);
        return 0;
    }
    if (strncmp(ps->p, "export", 6) == 0 &&
        (ps->p[6] == ' ' || ps->p[6] == '\t')) {
        ps->p += 6;
        skip_blanks(ps);
    }
    const char *key = ps->p;
    if (!(isalpha((unsigned char)*key) || *key == '_'))
        return fail(ps, "expected KEY=VALUE", err);
    while (isalnum((unsigned char)*ps->p) || *ps->p == '_')
        ps->p++;
    size_t klen = (size_t)(ps->p - key);
    skip_blanks(ps);
    if (*ps->p != '=')
        return fail(ps, "expected '=' after the variable name", err);
    ps->p++;
    skip_blanks(ps);

    ag_buf val;
    ag_buf_init(&val);
    int rc = 0;
    if (*ps->p == '"' || *ps->p == '\'') {
        char quote = *ps->p++;
        rc = quote == '"' ? read_double(ps, &val, err)
                          : read_single(ps, &val, err);
        if (rc == 0) {
            skip_blanks(ps);
            if (*ps->p == '#')
                skip_to_eol(ps);
            else if (*ps->p && *ps->p != '\n')
                rc = fail(ps, "unexpected text after the closing quote", err);
        }
    } else {
        read_bare(ps, &val);
    }
    if (rc) {
        ag_buf_free(&val);
        return rc;
    }
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->items = ag_xrealloc(ps->items, ps->cap * sizeof *ps->items);
    }
    entry *e = &ps->items[ps->n++];
    e->key = ag_xmalloc(klen + 1);
    memcpy(e->key, key, klen);
    e->key[klen] = '\0';
    e->value = ag_buf_detach(&val);
    ag_buf_free(&val); /* detach re-initialises the buffer */
    return 0;
}

int
ag_db_load_dotenv(const char *path, ag_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return 0;
    char *text;
    size_t len;
    int rc = ag_read_file(path, &text, &len, err);
    if (rc)
        return rc;
    if (strlen(text) != len) {
        free(text);
        return ag_errorf(err, AG_ECONFIG, "%s: contains a NUL byte", path);
    }

    parser ps = {.path = path, .p = text, .line = 1};
    while (rc == 0 && *ps.p) {
        rc = parse_line(&ps, err);
        if (rc == 0 && *ps.p == '\n') {
            ps.p++;
            ps.line++;
        }
    }
    for (size_t i = 0; i < ps.n; i++) {
        /* overwrite = 0: the real environment always wins. */
        if (rc == 0 && setenv(ps.items[i].key, ps.items[i].value, 0) != 0)
            rc = ag_errorf(err, AG_ECONFIG, "%s: cannot set %s: %s", path,
                           ps.items[i].key, strerror(errno));
        free(ps.items[i].key);
        free(ps.items[i].value);
    }
    free(ps.items);
    free(text);
    return rc;
}
