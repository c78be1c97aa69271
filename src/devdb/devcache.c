/*
 * devcache.c - the dev-database cache's file format: the parts of a dev
 * catalog that ag_devdb_adopt reads, as text and back (see devcache.h).
 *
 *   autogen devcache <format>\n
 *   key <64 hex>\n
 *   body <bytes> <SHA-256 of the body, 64 hex>\n
 *   <body>
 *
 * The body is one record per line: a tag letter, then fields, each after
 * one space: a string is <length>:<bytes> (any bytes but NUL, newlines
 * and quotes included, nothing escaped), NULL is "-".  Numbers and flags
 * are strings of digits.  An expression is "-" (none) or "0:" followed by
 * its sql and canon fields.
 *
 *   V schema name materialized def check_option barrier invoker
 *     ncols {name type comment default} ndeps {kind schema name col}
 *   T schema name ncols {name type collation notnull comment default
 *     generated}
 *   C schema table name sql canon          (CHECK constraints)
 *   D schema name default nchecks {name sql canon}
 *
 * A dependency's kind is written as ag_kind_name() prints it, so that a
 * change to the enum's order cannot make an old file mean something else.
 * The body's length and digest make any truncation or corruption a miss;
 * the parser still checks every field, so a file that passes the digest
 * but is malformed (a bug, a hand edit) is a miss too, never a crash.
 */
#include "autogen/devcache.h"

#include <stdlib.h>
#include <string.h>

#include "autogen/sha256.h"

/* ---- writing ---- */

static void
put_str(ag_buf *b, const char *s)
{
    if (!s) {
        ag_buf_put(b, " -");
        return;
    }
    size_t n = strlen(s);
    ag_buf_printf(b, " %zu:", n);
    ag_buf_putn(b, s, n);
}

static void
put_num(ag_buf *b, size_t n)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%zu", n);
    put_str(b, tmp);
}

static void
put_expr(ag_buf *b, const ag_expr *e)
{
    if (!e) {
        ag_buf_put(b, " -");
        return;
    }
    ag_buf_put(b, " 0:");
    put_str(b, e->sql);
    put_str(b, e->canon);
}

static void
put_views(ag_buf *b, const ag_catalog *dev)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(dev, AG_KIND_VIEW, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_view *v = (const ag_view *)list[i];
        ag_buf_putc(b, 'V');
        put_str(b, v->obj.name.schema);
        put_str(b, v->obj.name.name);
        put_num(b, v->materialized);
        put_str(b, v->def);
        put_str(b, v->check_option);
        put_num(b, v->security_barrier);
        put_num(b, v->security_invoker);
        put_num(b, v->ncols);
        for (size_t k = 0; k < v->ncols; k++) {
            put_str(b, v->cols[k].name);
            put_str(b, v->cols[k].type);
            put_str(b, v->cols[k].comment);
            put_expr(b, v->cols[k].default_expr);
        }
        put_num(b, v->ndeps);
        for (size_t k = 0; k < v->ndeps; k++) {
            put_str(b, ag_kind_name(v->deps[k].kind));
            put_str(b, v->deps[k].name.schema);
            put_str(b, v->deps[k].name.name);
            put_str(b, v->deps[k].col);
        }
        ag_buf_putc(b, '\n');
    }
}

static void
put_tables(ag_buf *b, const ag_catalog *dev)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(dev, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_table *t = (const ag_table *)list[i];
        ag_buf_putc(b, 'T');
        put_str(b, t->obj.name.schema);
        put_str(b, t->obj.name.name);
        put_num(b, t->ncols);
        for (size_t k = 0; k < t->ncols; k++) {
            const ag_column *c = &t->cols[k];
            put_str(b, c->name);
            put_str(b, c->type);
            put_str(b, c->collation);
            put_num(b, c->notnull);
            put_str(b, c->comment);
            put_expr(b, c->default_expr);
            put_expr(b, c->generated);
        }
        ag_buf_putc(b, '\n');
    }
}

static void
put_checks(ag_buf *b, const ag_catalog *dev)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(dev, AG_KIND_CONSTRAINT, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_constraint *c = (const ag_constraint *)list[i];
        if (c->type != AG_CON_CHECK)
            continue;
        ag_buf_putc(b, 'C');
        put_str(b, c->obj.name.schema);
        put_str(b, c->table);
        put_str(b, c->obj.name.name);
        put_str(b, c->def.sql);
        put_str(b, c->def.canon);
        ag_buf_putc(b, '\n');
    }
}

static void
put_domains(ag_buf *b, const ag_catalog *dev)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(dev, AG_KIND_DOMAIN, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_domain *d = (const ag_domain *)list[i];
        ag_buf_putc(b, 'D');
        put_str(b, d->obj.name.schema);
        put_str(b, d->obj.name.name);
        put_expr(b, d->default_expr);
        put_num(b, d->nchecks);
        for (size_t k = 0; k < d->nchecks; k++) {
            put_str(b, d->checks[k].name);
            put_str(b, d->checks[k].def.sql);
            put_str(b, d->checks[k].def.canon);
        }
        ag_buf_putc(b, '\n');
    }
}

void
ag_devcache_serialize(const ag_catalog *dev, const char *hex, ag_buf *out)
{
    ag_buf body;
    ag_buf_init(&body);
    put_views(&body, dev);
    put_tables(&body, dev);
    put_checks(&body, dev);
    put_domains(&body, dev);
    char sum[65];
    ag_sha256_hex(body.data, body.len, sum);
    ag_buf_printf(out, "autogen devcache %d\nkey %s\nbody %zu %s\n",
                  AG_DEVCACHE_FORMAT, hex, body.len, sum);
    ag_buf_putn(out, body.data, body.len);
    ag_buf_free(&body);
}

/* ---- reading ---- */

typedef struct reader {
    const char *p, *end;
    ag_catalog *cat;
    const char *why; /* the first problem, static text */
} reader;

static bool
fail(reader *r, const char *why)
{
    if (!r->why)
        r->why = why;
    return false;
}

/* One field: " -" gives *out = NULL, " <n>:<bytes>" a copy in the arena. */
static bool
get_str(reader *r, const char **out)
{
    if (r->why)
        return false;
    if (r->end - r->p < 2 || r->p[0] != ' ')
        return fail(r, "a field is missing");
    r->p++;
    if (*r->p == '-') {
        r->p++;
        *out = NULL;
        return true;
    }
    size_t n = 0;
    const char *start = r->p;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9' && r->p - start < 12)
        n = n * 10 + (size_t)(*r->p++ - '0');
    if (r->p == start || r->p >= r->end || *r->p != ':')
        return fail(r, "a field's length is malformed");
    r->p++;
    if ((size_t)(r->end - r->p) < n)
        return fail(r, "a field runs past the end");
    if (memchr(r->p, '\0', n))
        return fail(r, "a field holds a NUL byte");
    char *s = ag_arena_alloc(&r->cat->arena, n + 1);
    memcpy(s, r->p, n);
    s[n] = '\0';
    r->p += n;
    *out = s;
    return true;
}

static bool
get_nonnull(reader *r, const char **out)
{
    return get_str(r, out) && (*out || fail(r, "a required field is NULL"));
}

/* A count or flag no larger than max. */
static bool
get_num(reader *r, size_t max, size_t *out)
{
    const char *s;
    if (!get_nonnull(r, &s))
        return false;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || v > max)
        return fail(r, "a number is malformed or out of range");
    *out = (size_t)v;
    return true;
}

static bool
get_flag(reader *r, bool *out)
{
    size_t v;
    if (!get_num(r, 1, &v))
        return false;
    *out = v != 0;
    return true;
}

/* A count of items each at least min_bytes long: bounded by what is left
 * of the text, so that a corrupt count cannot ask for a huge array. */
static bool
get_count(reader *r, size_t min_bytes, size_t *out)
{
    return get_num(r, (size_t)(r->end - r->p) / min_bytes, out);
}

static bool
get_expr(reader *r, const ag_expr **out)
{
    const char *tag;
    if (!get_str(r, &tag))
        return false;
    if (!tag) {
        *out = NULL;
        return true;
    }
    if (*tag)
        return fail(r, "an expression is malformed");
    ag_expr *e = ag_arena_alloc(&r->cat->arena, sizeof *e);
    if (!get_str(r, &e->sql) || !get_str(r, &e->canon))
        return false;
    *out = e;
    return true;
}

static bool
get_kind(reader *r, ag_kind *out)
{
    const char *name;
    if (!get_nonnull(r, &name))
        return false;
    for (int k = 0; k < AG_KIND_COUNT; k++)
        if (strcmp(ag_kind_name((ag_kind)k), name) == 0) {
            *out = (ag_kind)k;
            return true;
        }
    return fail(r, "a dependency's kind is unknown");
}

static bool
get_view(reader *r)
{
    const char *schema, *name;
    if (!get_nonnull(r, &schema) || !get_nonnull(r, &name))
        return false;
    ag_view *v = ag_catalog_add(r->cat, AG_KIND_VIEW, schema, name, sizeof *v);
    if (!v)
        return fail(r, "a view is listed twice");
    if (!get_flag(r, &v->materialized) || !get_str(r, &v->def) ||
        !get_str(r, &v->check_option) || !get_flag(r, &v->security_barrier) ||
        !get_flag(r, &v->security_invoker) || !get_count(r, 8, &v->ncols))
        return false;
    v->cols = ag_arena_alloc(&r->cat->arena, (v->ncols + 1) * sizeof *v->cols);
    for (size_t k = 0; k < v->ncols; k++) {
        ag_column *c = &v->cols[k];
        if (!get_nonnull(r, &c->name) || !get_str(r, &c->type) ||
            !get_str(r, &c->comment) || !get_expr(r, &c->default_expr))
            return false;
    }
    if (!get_count(r, 8, &v->ndeps))
        return false;
    v->deps = ag_arena_alloc(&r->cat->arena, (v->ndeps + 1) * sizeof *v->deps);
    for (size_t k = 0; k < v->ndeps; k++) {
        ag_viewdep *d = &v->deps[k];
        if (!get_kind(r, &d->kind) || !get_nonnull(r, &d->name.schema) ||
            !get_nonnull(r, &d->name.name) || !get_str(r, &d->col))
            return false;
    }
    return true;
}

static bool
get_table(reader *r)
{
    const char *schema, *name;
    if (!get_nonnull(r, &schema) || !get_nonnull(r, &name))
        return false;
    ag_table *t =
        ag_catalog_add(r->cat, AG_KIND_TABLE, schema, name, sizeof *t);
    if (!t)
        return fail(r, "a table is listed twice");
    if (!get_count(r, 14, &t->ncols))
        return false;
    t->cols = ag_arena_alloc(&r->cat->arena, (t->ncols + 1) * sizeof *t->cols);
    for (size_t k = 0; k < t->ncols; k++) {
        ag_column *c = &t->cols[k];
        if (!get_nonnull(r, &c->name) || !get_str(r, &c->type) ||
            !get_str(r, &c->collation) || !get_flag(r, &c->notnull) ||
            !get_str(r, &c->comment) || !get_expr(r, &c->default_expr) ||
            !get_expr(r, &c->generated))
            return false;
    }
    return true;
}

static bool
get_check(reader *r)
{
    const char *schema, *table, *name;
    if (!get_nonnull(r, &schema) || !get_nonnull(r, &table) ||
        !get_nonnull(r, &name))
        return false;
    ag_constraint *c = ag_catalog_add_constraint(r->cat, schema, table, name);
    if (!c)
        return fail(r, "a constraint is listed twice");
    c->type = AG_CON_CHECK;
    return get_str(r, &c->def.sql) && get_str(r, &c->def.canon);
}

static bool
get_domain(reader *r)
{
    const char *schema, *name;
    if (!get_nonnull(r, &schema) || !get_nonnull(r, &name))
        return false;
    ag_domain *d =
        ag_catalog_add(r->cat, AG_KIND_DOMAIN, schema, name, sizeof *d);
    if (!d)
        return fail(r, "a domain is listed twice");
    if (!get_expr(r, &d->default_expr) || !get_count(r, 6, &d->nchecks))
        return false;
    d->checks =
        ag_arena_alloc(&r->cat->arena, (d->nchecks + 1) * sizeof *d->checks);
    for (size_t k = 0; k < d->nchecks; k++) {
        ag_domain_check *c = &d->checks[k];
        if (!get_nonnull(r, &c->name) || !get_str(r, &c->def.sql) ||
            !get_str(r, &c->def.canon))
            return false;
    }
    return true;
}

/* The header up to the body; *body and *blen point at the body. */
static bool
header(reader *r, const char *hex, size_t *blen, char sum[65])
{
    char want[128];
    snprintf(want, sizeof want, "autogen devcache %d\nkey %s\nbody ",
             AG_DEVCACHE_FORMAT, hex);
    size_t wl = strlen(want);
    if ((size_t)(r->end - r->p) < wl || memcmp(r->p, want, wl) != 0)
        return fail(r, "another format version or another key");
    r->p += wl;
    size_t n = 0;
    const char *start = r->p;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9' && r->p - start < 12)
        n = n * 10 + (size_t)(*r->p++ - '0');
    if (r->p == start || r->end - r->p < 66 || *r->p != ' ' || r->p[65] != '\n')
        return fail(r, "the header is malformed");
    memcpy(sum, r->p + 1, 64);
    sum[64] = '\0';
    r->p += 66;
    *blen = n;
    return true;
}

int
ag_devcache_parse(const char *data, size_t len, const char *hex,
                  ag_catalog *dev, ag_error *err)
{
    reader r = {data, data + len, dev, NULL};
    size_t blen = 0;
    char sum[65];
    if (header(&r, hex, &blen, sum)) {
        char got[65];
        if ((size_t)(r.end - r.p) != blen)
            fail(&r, "the body is truncated or has trailing bytes");
        else if (ag_sha256_hex(r.p, blen, got), strcmp(got, sum) != 0)
            fail(&r, "the body's checksum does not match");
    }
    while (!r.why && r.p < r.end) {
        char tag = *r.p++;
        bool ok = tag == 'V'   ? get_view(&r)
                  : tag == 'T' ? get_table(&r)
                  : tag == 'C' ? get_check(&r)
                  : tag == 'D' ? get_domain(&r)
                               : fail(&r, "unknown record");
        if (ok && (r.p >= r.end || *r.p++ != '\n'))
            fail(&r, "a record does not end where it should");
    }
    if (r.why)
        return ag_errorf(err, AG_EPARSE, "%s", r.why);
    ag_catalog_seal(dev);
    return 0;
}

bool
ag_devcache_covers(const ag_catalog *models, const ag_catalog *dev,
                   ag_error *err)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(models, AG_KIND_VIEW, &list);
    for (size_t i = 0; i < n; i++)
        if (!ag_catalog_view(dev, list[i]->name.schema, list[i]->name.name)) {
            ag_errorf(err, AG_EPARSE, "the entry lacks view %s.%s",
                      list[i]->name.schema, list[i]->name.name);
            return false;
        }
    n = ag_catalog_list(models, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++)
        if (((const ag_table *)list[i])->as_sql &&
            !ag_catalog_table(dev, list[i]->name.schema, list[i]->name.name)) {
            ag_errorf(err, AG_EPARSE, "the entry lacks table %s.%s",
                      list[i]->name.schema, list[i]->name.name);
            return false;
        }
    return true;
}
