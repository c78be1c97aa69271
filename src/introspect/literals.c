/*
 * literals.c - the server's canonical text for constant defaults in the
 * models.
 *
 * PostgreSQL stores `DEFAULT '1970-01-01 00:00:01+00'` on a timestamp
 * column as the coerced value '1970-01-01 00:00:01', and `DEFAULT 't'` on
 * a boolean as true: only the type's input function knows the canonical
 * text of a string literal.  (Numeric constants are stored as written.)  So for
 * every model default that is a bare string constant on a built-in, non-string
 * column we ask the server for (literal::type)::text, all in one query
 * (chunked), and compare that. Only constants are cast: nothing volatile is
 * ever evaluated, and types that exist only in the models (user types) are left
 * alone.
 */
#include <stdlib.h>
#include <string.h>

#include "autogen/canon.h"
#include "autogen/canon_partition.h"
#include "autogen/ident.h"
#include "autogen/introspect.h"
#include "autogen/literals.h"

#define CHUNK 1000 /* well under PostgreSQL's 1664 target-list entries */

typedef struct lit {
    ag_column *col;
    char *value; /* the constant's text, unquoted */
} lit;

/* The text of canon when it is exactly one plain string literal. */
static char *
plain_literal(const char *canon)
{
    if (canon[0] != '\'')
        return NULL;
    ag_buf b;
    ag_buf_init(&b);
    const char *p = canon + 1;
    for (;;) {
        if (!*p) {
            ag_buf_free(&b);
            return NULL;
        }
        if (*p == '\'') {
            if (p[1] == '\'') {
                ag_buf_putc(&b, '\'');
                p += 2;
                continue;
            }
            break;
        }
        ag_buf_putc(&b, *p++);
    }
    if (p[1] != '\0') {
        ag_buf_free(&b);
        return NULL;
    }
    char *out = ag_buf_detach(&b);
    ag_buf_free(&b);
    return out;
}

static bool
wants_server_text(const char *type)
{
    static const char *const as_is[] = {"text", "character", "\"char\"", "name",
                                        "bpchar"};
    if (strchr(type, '.')) /* user or extension type: may not exist yet */
        return false;
    for (size_t i = 0; i < sizeof as_is / sizeof as_is[0]; i++)
        if (strncmp(type, as_is[i], strlen(as_is[i])) == 0)
            return false;
    return true;
}

static int
run_chunk(PGconn *conn, ag_catalog *cat, lit *lits, size_t n, int *nqueries,
          ag_error *err)
{
    ag_buf q;
    ag_buf_init(&q);
    ag_buf_put(&q, "SELECT ");
    for (size_t i = 0; i < n; i++) {
        ag_buf_put(&q, i ? ", (" : "(");
        ag_quote_literal(&q, lits[i].value);
        /* The type is our canonical format_type() spelling, built from a
         * parse tree or read from the catalog, never raw user text. */
        ag_buf_printf(&q, "::%s)::text", lits[i].col->type);
    }
    PGresult *res = PQexec(conn, q.data);
    (*nqueries)++;
    ag_buf_free(&q);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        if (n == 1)
            rc = ag_errorf(err, AG_EINVAL,
                           "default '%s' of column %s is not a valid %s: %s",
                           lits[0].value, lits[0].col->name, lits[0].col->type,
                           PQresultErrorMessage(res));
        PQclear(res);
        if (n == 1)
            return rc;
        /* Find the offending literal(s): one at a time. */
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = run_chunk(conn, cat, &lits[i], 1, nqueries, err);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        ag_buf lit_sql;
        ag_buf_init(&lit_sql);
        ag_quote_literal(&lit_sql, PQgetvalue(res, 0, (int)i));
        ag_expr *e = ag_arena_alloc(&cat->arena, sizeof *e);
        e->sql = lits[i].col->default_expr->sql;
        const ag_expr *server;
        rc = ag_canon_expr_text(cat, lit_sql.data, "public", &server, err);
        ag_buf_free(&lit_sql);
        if (rc)
            break;
        e->canon = server->canon;
        lits[i].col->default_expr = e;
    }
    PQclear(res);
    return rc;
}

/* ---- partition bounds ----
 * The same for the values of partition bounds: a timestamptz bound is
 * printed in the server's TimeZone, so the model's '2022-01-01 00:00:00+00'
 * is compared as the server prints that value, cast to the key column's
 * type.  Values of expression keys are left as written. */

typedef struct bound_walk {
    const ag_table *parent; /* its partcols give each value's type */
    char **values;          /* collected (pass 1) */
    const char **types;
    size_t n, cap;
    char **answers; /* pass 2: server texts, in the same order */
    size_t next;
} bound_walk;

static const char *
key_type(const ag_table *parent, size_t keypos)
{
    if (keypos >= parent->npartcols || !parent->partcols[keypos])
        return NULL;
    const ag_column *col = ag_table_column(parent, parent->partcols[keypos]);
    return col && wants_server_text(col->type) ? col->type : NULL;
}

static const char *
collect_value(void *ctx, size_t keypos, const char *value)
{
    bound_walk *w = ctx;
    const char *type = key_type(w->parent, keypos);
    if (!type)
        return NULL;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->values = ag_xrealloc(w->values, w->cap * sizeof *w->values);
        w->types = ag_xrealloc(w->types, w->cap * sizeof *w->types);
    }
    size_t len = strlen(value);
    w->values[w->n] = ag_xmalloc(len + 1);
    memcpy(w->values[w->n], value, len + 1);
    w->types[w->n++] = type;
    return NULL;
}

static const char *
answer_value(void *ctx, size_t keypos, const char *value)
{
    bound_walk *w = ctx;
    (void)value;
    if (!key_type(w->parent, keypos) || w->next >= w->n)
        return NULL;
    return w->answers[w->next++];
}

/* Ask for every collected value's text in chunks; answers[i] malloc'd. */
static int
server_texts(PGconn *conn, bound_walk *w, int *nqueries, ag_error *err)
{
    w->answers = ag_xmalloc((w->n + 1) * sizeof *w->answers);
    memset(w->answers, 0, (w->n + 1) * sizeof *w->answers);
    for (size_t base = 0; base < w->n; base += CHUNK) {
        size_t n = w->n - base < CHUNK ? w->n - base : CHUNK;
        ag_buf q;
        ag_buf_init(&q);
        ag_buf_put(&q, "SELECT ");
        for (size_t i = 0; i < n; i++) {
            ag_buf_put(&q, i ? ", (" : "(");
            ag_quote_literal(&q, w->values[base + i]);
            ag_buf_printf(&q, "::%s)::text", w->types[base + i]);
        }
        PGresult *res = PQexec(conn, q.data);
        (*nqueries)++;
        ag_buf_free(&q);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            int rc = ag_errorf(err, AG_EINVAL,
                               "a partition bound value is not valid for its "
                               "key: %s",
                               PQresultErrorMessage(res));
            PQclear(res);
            return rc;
        }
        for (size_t i = 0; i < n; i++) {
            const char *v = PQgetvalue(res, 0, (int)i);
            size_t len = strlen(v);
            w->answers[base + i] = ag_xmalloc(len + 1);
            memcpy(w->answers[base + i], v, len + 1);
        }
        PQclear(res);
    }
    return 0;
}

/* Partitions of the models whose parent is in the models too. */
static const ag_table *
model_parent(ag_catalog *models, const ag_object *o)
{
    if (!o || o->kind != AG_KIND_TABLE)
        return NULL;
    const ag_table *t = (const ag_table *)o;
    if (!t->parent.name || !t->bound)
        return NULL;
    return ag_catalog_table(models, t->parent.schema, t->parent.name);
}

static int
canon_bounds(PGconn *conn, ag_catalog *models, int *nqueries, ag_error *err)
{
    bound_walk w = {0};
    int rc = 0;
    for (size_t i = 0; i < models->nobjs && rc == 0; i++) {
        if (!(w.parent = model_parent(models, models->objs[i])))
            continue;
        const char *canon;
        rc = ag_canon_bound_map(models,
                                ((ag_table *)models->objs[i])->bound->sql,
                                collect_value, &w, &canon, err);
    }
    if (rc == 0 && w.n)
        rc = server_texts(conn, &w, nqueries, err);
    for (size_t i = 0; i < models->nobjs && rc == 0 && w.n; i++) {
        if (!(w.parent = model_parent(models, models->objs[i])))
            continue;
        ag_table *t = (ag_table *)models->objs[i];
        ag_expr *e = ag_arena_alloc(&models->arena, sizeof *e);
        e->sql = t->bound->sql;
        rc = ag_canon_bound_map(models, t->bound->sql, answer_value, &w,
                                &e->canon, err);
        t->bound = e;
    }
    for (size_t i = 0; i < w.n; i++) {
        free(w.values[i]);
        if (w.answers)
            free(w.answers[i]);
    }
    free(w.values);
    free(w.types);
    free(w.answers);
    return rc;
}

int
ag_introspect_canon_literals(PGconn *conn, ag_catalog *models, int *nqueries,
                             ag_error *err)
{
    lit *lits = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < models->nobjs; i++) {
        ag_object *o = models->objs[i];
        if (!o || o->kind != AG_KIND_TABLE)
            continue;
        ag_table *t = (ag_table *)o;
        for (size_t c = 0; c < t->ncols; c++) {
            ag_column *col = &t->cols[c];
            if (!col->default_expr || !wants_server_text(col->type))
                continue;
            /* A string constant as written (numbers are stored as they
             * are: DEFAULT 0 on numeric(5,2) stays 0, '0' becomes 0.00). */
            char *v = plain_literal(col->default_expr->sql);
            if (!v)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                lits = ag_xrealloc(lits, cap * sizeof *lits);
            }
            lits[n++] = (lit){col, v};
        }
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i += CHUNK)
        rc = run_chunk(conn, models, lits + i, n - i < CHUNK ? n - i : CHUNK,
                       nqueries, err);
    for (size_t i = 0; i < n; i++)
        free(lits[i].value);
    free(lits);
    if (rc == 0)
        rc = canon_bounds(conn, models, nqueries, err);
    if (rc)
        ag_error_prefix(err, "models: ");
    return rc;
}
