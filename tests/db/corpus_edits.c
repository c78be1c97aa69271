/*
 * corpus_edits.c - parse tests/corpus/edits/<schema>.edits and apply one
 * edit's text operations to the schema's schema.sql (see corpus_edits.h,
 * and docs/testing.md for the format).
 *
 * Matching is literal and counted: a fragment found a different number of
 * times than the file says is an error, so a changed corpus file makes the
 * edit fail rather than turn into a no-op.
 */
#include "corpus_edits.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/base.h"
#include "harness.h"

const char *const agt_edit_kind_names[AGT_EDIT_KINDS] = {
    "drop-table",    "column-type",   "rename-column",
    "add-partition", "function-body", "add-policy"};

const char *
agt_corpus_root(void)
{
    const char *env = getenv("AUTOGEN_CORPUS_DIR");
    return env && *env ? env : AG_SOURCE_DIR "/../shared/fixtures/real";
}

void
agt_edits_path(const char *schema, char *out, size_t n)
{
    snprintf(out, n, "%s/tests/corpus/edits/%s.edits", AG_SOURCE_DIR, schema);
}

static char *fmt_why(const char *fmt, ...) AG_PRINTF(1, 2);

static char *
fmt_why(const char *fmt, ...)
{
    ag_buf buf;
    ag_buf_init(&buf);
    va_list ap;
    va_start(ap, fmt);
    ag_buf_vprintf(&buf, fmt, ap);
    va_end(ap);
    char *s = ag_buf_detach(&buf);
    ag_buf_free(&buf);
    return s;
}

static char *
trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Block lines "| text" following an operation line: joined with "\n". */
static char *
read_block(char **lines, size_t nlines, size_t *i)
{
    ag_buf b;
    ag_buf_init(&b);
    int first = 1;
    while (*i + 1 < nlines) {
        char *l = lines[*i + 1];
        while (*l == ' ' || *l == '\t')
            l++;
        if (*l != '|')
            break;
        l++;
        if (*l == ' ')
            l++;
        size_t n = strlen(l);
        if (n > 0 && l[n - 1] == '\r')
            n--;
        if (!first)
            ag_buf_putc(&b, '\n');
        ag_buf_putn(&b, l, n);
        first = 0;
        (*i)++;
    }
    char *s = first ? NULL : ag_buf_detach(&b);
    ag_buf_free(&b);
    return s;
}

static agt_edit_op *
new_op(agt_edit *e, agt_edit_op_kind kind, int line)
{
    e->ops = ag_xrealloc(e->ops, sizeof *e->ops * (e->nops + 1));
    agt_edit_op *op = &e->ops[e->nops++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->count = 1;
    op->line = line;
    return op;
}

/* One keyword line inside an edit; 0 or -1 with *why. */
static int
parse_op(agt_edit *e, char *kw, char *rest, char **lines, size_t nlines,
         size_t *i, const char *path, char **why)
{
    int line = (int)*i + 1;
    if (!strcmp(kw, "na") || !strcmp(kw, "known")) {
        if (!*rest) {
            *why = fmt_why("%s:%d: %s needs a reason", path, line, kw);
            return -1;
        }
        if (kw[0] == 'n')
            e->not_applicable = ag_xstrdup(rest);
        else
            e->known_failure = ag_xstrdup(rest);
        return 0;
    }
    agt_edit_op_kind k;
    if (!strcmp(kw, "replace"))
        k = AGT_OP_REPLACE;
    else if (!strcmp(kw, "delete"))
        k = AGT_OP_DELETE;
    else if (!strcmp(kw, "append"))
        k = AGT_OP_APPEND;
    else if (!strcmp(kw, "renamed"))
        k = AGT_OP_RENAMED;
    else {
        *why = fmt_why("%s:%d: unknown operation \"%s\"", path, line, kw);
        return -1;
    }
    agt_edit_op *op = new_op(e, k, line);
    if (k == AGT_OP_RENAMED) {
        if (!*rest) {
            *why = fmt_why("%s:%d: %s needs the old name", path, line, kw);
            return -1;
        }
        op->arg = ag_xstrdup(rest);
    } else if (*rest) {
        char *end;
        long c = strtol(rest, &end, 10);
        if (*end || c < 1 || k == AGT_OP_APPEND) {
            *why = fmt_why("%s:%d: bad count \"%s\"", path, line, rest);
            return -1;
        }
        op->count = (int)c;
    }
    op->text = read_block(lines, nlines, i);
    if (!op->text) {
        *why = fmt_why("%s:%d: %s needs a block of \"| text\" lines", path,
                       line, kw);
        return -1;
    }
    if (k == AGT_OP_REPLACE) {
        if (*i + 1 >= nlines || strcmp(trim(lines[*i + 1]), "with") != 0) {
            *why = fmt_why("%s:%d: %s needs a \"with\" block", path, line, kw);
            return -1;
        }
        (*i)++;
        op->with = read_block(lines, nlines, i);
        if (!op->with)
            op->with = ag_xstrdup("");
    }
    return 0;
}

int
agt_edits_parse(const char *path, agt_edit_set *set, char **why)
{
    memset(set, 0, sizeof *set);
    *why = NULL;
    char *text = agt_read_file(path);
    if (!text) {
        *why = fmt_why("%s: cannot read the file", path);
        return -1;
    }
    size_t nlines = 0, cap = 0;
    char **lines = NULL;
    for (char *p = text, *nl; p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (!nl && !*p)
            break;
        if (nlines == cap) {
            cap = cap ? cap * 2 : 256;
            lines = ag_xrealloc(lines, sizeof *lines * cap);
        }
        lines[nlines++] = p;
    }
    int rc = 0;
    agt_edit *cur = NULL;
    for (size_t i = 0; i < nlines && rc == 0; i++) {
        char *l = trim(lines[i]);
        if (!*l || *l == '#')
            continue;
        char *rest = l;
        while (*rest && !isspace((unsigned char)*rest))
            rest++;
        if (*rest)
            *rest++ = '\0';
        rest = trim(rest);
        if (!strcmp(l, "edit")) {
            char *name = rest, *kind = rest;
            while (*kind && !isspace((unsigned char)*kind))
                kind++;
            if (*kind)
                *kind++ = '\0';
            kind = trim(kind);
            int k = -1;
            for (int j = 0; j < AGT_EDIT_KINDS; j++)
                if (!strcmp(kind, agt_edit_kind_names[j]))
                    k = j;
            if (!*name || k < 0 || agt_edits_find(set, name)) {
                *why = fmt_why("%s:%d: expected \"edit <new name> <kind>\" "
                               "with a kind of the six, got \"%s\"",
                               path, (int)i + 1, kind);
                rc = -1;
                break;
            }
            set->edits =
                ag_xrealloc(set->edits, sizeof *set->edits * (set->n + 1));
            cur = &set->edits[set->n++];
            memset(cur, 0, sizeof *cur);
            cur->name = ag_xstrdup(name);
            cur->kind = k;
            cur->line = (int)i + 1;
        } else if (!cur) {
            *why =
                fmt_why("%s:%d: \"%s\" outside an edit", path, (int)i + 1, l);
            rc = -1;
        } else {
            rc = parse_op(cur, l, rest, lines, nlines, &i, path, why);
        }
    }
    for (size_t j = 0; rc == 0 && j < set->n; j++) {
        agt_edit *e = &set->edits[j];
        if (!e->not_applicable && e->nops == 0) {
            *why = fmt_why("%s:%d: edit %s has no operation and no \"na\"",
                           path, e->line, e->name);
            rc = -1;
        }
    }
    free(lines);
    free(text);
    if (rc != 0)
        agt_edits_free(set);
    return rc;
}

void
agt_edits_free(agt_edit_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        agt_edit *e = &set->edits[i];
        for (size_t j = 0; j < e->nops; j++) {
            free(e->ops[j].arg);
            free(e->ops[j].text);
            free(e->ops[j].with);
        }
        free(e->ops);
        free(e->name);
        free(e->not_applicable);
        free(e->known_failure);
    }
    free(set->edits);
    memset(set, 0, sizeof *set);
}

const agt_edit *
agt_edits_find(const agt_edit_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (!strcmp(set->edits[i].name, name))
            return &set->edits[i];
    return NULL;
}

/* ---- statements ---- */

/* End of a $tag$ opening at s[i] == '$', or 0 when it is not one. */
static size_t
dollar_tag(const char *s, size_t i)
{
    if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))
        return 0;
    size_t j = i + 1;
    if (isdigit((unsigned char)s[j]))
        return 0;
    while (isalnum((unsigned char)s[j]) || s[j] == '_')
        j++;
    return s[j] == '$' ? j + 1 : 0;
}

size_t
agt_sql_statements(const char *s, size_t **spans)
{
    size_t n = 0, cap = 0, len = strlen(s);
    long start = -1;
    *spans = NULL;
    for (size_t i = 0; i < len;) {
        char c = s[i];
        if (c == '-' && s[i + 1] == '-') {
            while (i < len && s[i] != '\n')
                i++;
        } else if (c == '/' && s[i + 1] == '*') {
            int depth = 0;
            do {
                if (s[i] == '/' && s[i + 1] == '*')
                    depth++, i += 2;
                else if (s[i] == '*' && s[i + 1] == '/')
                    depth--, i += 2;
                else
                    i++;
            } while (i < len && depth > 0);
        } else if (isspace((unsigned char)c)) {
            i++;
        } else if (c == '\\' && start < 0) {
            while (i < len && s[i] != '\n') /* psql meta-command */
                i++;
        } else {
            if (start < 0)
                start = (long)i;
            size_t t;
            if (c == '\'' || c == '"') {
                int esc =
                    c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e');
                for (i++; i < len; i++) {
                    if (esc && s[i] == '\\') {
                        i++;
                    } else if (s[i] == c) {
                        if (s[i + 1] != c)
                            break;
                        i++;
                    }
                }
                i++;
            } else if (c == '$' && (t = dollar_tag(s, i)) != 0) {
                size_t tl = t - i;
                const char *close = s + t;
                while ((close = strchr(close, '$')) &&
                       strncmp(close, s + i, tl) != 0)
                    close++;
                i = close ? (size_t)(close - s) + tl : len;
            } else if (c == ';') {
                if (n == cap) {
                    cap = cap ? cap * 2 : 256;
                    *spans = ag_xrealloc(*spans, sizeof **spans * 2 * cap);
                }
                (*spans)[2 * n] = (size_t)start;
                (*spans)[2 * n + 1] = ++i;
                n++;
                start = -1;
            } else {
                i++;
            }
        }
    }
    return n;
}

/* ---- applying ---- */

static size_t
occurrences(const char *hay, const char *needle)
{
    size_t n = 0, nl = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)); p += nl)
        n++;
    return n;
}

static char *
op_why(const agt_edit *e, const agt_edit_op *op, const char *what, size_t got)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b,
                  "edit %s, operation at line %d: %s (expected %d, found "
                  "%zu; did the corpus file change?):\n%s",
                  e->name, op->line, what, op->count, got, op->text);
    char *s = ag_buf_detach(&b);
    ag_buf_free(&b);
    return s;
}

static char *
apply_one(const agt_edit *e, const agt_edit_op *op, char *sql, char **why)
{
    ag_buf b;
    ag_buf_init(&b);
    size_t tl = strlen(op->text);
    if (op->kind == AGT_OP_APPEND) {
        ag_buf_printf(&b, "%s\n\n%s\n", sql, op->text);
    } else if (op->kind == AGT_OP_REPLACE) {
        size_t got = occurrences(sql, op->text);
        if ((int)got != op->count) {
            *why = op_why(e, op, "the fragment to replace", got);
            goto fail;
        }
        const char *p = sql, *q;
        while ((q = strstr(p, op->text))) {
            ag_buf_putn(&b, p, (size_t)(q - p));
            ag_buf_put(&b, op->with);
            p = q + tl;
        }
        ag_buf_put(&b, p);
    } else if (op->kind == AGT_OP_RENAMED) {
        size_t got = occurrences(sql, op->text);
        if (got != 1) {
            *why = op_why(e, op, "the line for the rename directive", got);
            goto fail;
        }
        const char *q = strstr(sql, op->text);
        const char *eol = strchr(q, '\n');
        size_t at = eol ? (size_t)(eol - sql) : strlen(sql);
        ag_buf_putn(&b, sql, at);
        ag_buf_printf(&b, " -- autogen:renamed from=%s", op->arg);
        ag_buf_put(&b, sql + at);
    } else {
        size_t *sp, nst = agt_sql_statements(sql, &sp), got = 0, from = 0;
        for (size_t k = 0; k < nst; k++) {
            size_t st = sp[2 * k], en = sp[2 * k + 1];
            const char *hit = strstr(sql + st, op->text);
            if (!hit || (size_t)(hit - sql) + tl > en)
                continue;
            got++;
            ag_buf_putn(&b, sql + from, st - from);
            from = en;
            if (sql[from] == '\n')
                from++;
        }
        ag_buf_put(&b, sql + from);
        free(sp);
        if ((int)got != op->count) {
            *why = op_why(e, op, "statements to delete", got);
            goto fail;
        }
    }
    char *s = ag_buf_detach(&b);
    ag_buf_free(&b);
    return s;
fail:
    ag_buf_free(&b);
    return NULL;
}

char *
agt_edit_apply(const agt_edit *e, const char *sql, char **why)
{
    *why = NULL;
    char *cur = ag_xstrdup(sql);
    for (size_t i = 0; i < e->nops && cur; i++) {
        char *next = apply_one(e, &e->ops[i], cur, why);
        free(cur);
        cur = next;
    }
    return cur;
}
