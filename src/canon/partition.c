/*
 * partition.c - canonical partition keys and partition bounds (see
 * canon_partition.h).
 *
 * Both sides go through the same renderer: the model's PartitionSpec /
 * PartitionBoundSpec, or the server's text parsed back inside a dummy
 * CREATE TABLE.  A bound renders twice: `sql` keeps the values as written
 * (emit-ready), `canon` quotes every value's text so that 1 and '1' (int4
 * is printed bare, int8 quoted) compare equal.
 */
#include <stdio.h>
#include <string.h>

#include "autogen/canon_partition.h"
#include "autogen/ident.h"

/* ---- keys ---- */

static void
put_name_list(ag_buf *b, ag_node **items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            ag_buf_putc(b, '.');
        const char *s = ag_ast_str(items[i]);
        ag_quote_ident(b, s ? s : "");
    }
}

int
ag_canon_partkey_node(ag_catalog *cat, ag_ast *ast, PgQuery__PartitionSpec *ps,
                      ag_table *t, ag_error *err)
{
    char st = ps->strategy ? ps->strategy[0] : '\0';
    const char *word = st == 'r' || st == 'R'   ? "RANGE"
                       : st == 'l' || st == 'L' ? "LIST"
                       : st == 'h' || st == 'H' ? "HASH"
                                                : NULL;
    if (!word)
        return ag_errorf(err, AG_EPARSE, "unknown partition strategy %s",
                         ps->strategy ? ps->strategy : "");
    ag_buf sql, canon;
    ag_buf_init(&sql);
    ag_buf_init(&canon);
    ag_buf_printf(&sql, "%s (", word);
    ag_buf_printf(&canon, "%s (", word);
    t->npartcols = ps->n_part_params;
    t->partcols =
        ag_arena_alloc(&cat->arena, (ps->n_part_params + 1) * sizeof(char *));
    int rc = 0;
    for (size_t i = 0; i < ps->n_part_params && rc == 0; i++) {
        PgQuery__PartitionElem *pe = ps->part_params[i]->partition_elem;
        if (i) {
            ag_buf_put(&sql, ", ");
            ag_buf_put(&canon, ", ");
        }
        if (pe->name && *pe->name) {
            t->partcols[i] = ag_arena_strdup(&cat->arena, pe->name);
            ag_quote_ident(&sql, pe->name);
            ag_quote_ident(&canon, pe->name);
        } else if (pe->expr) {
            const ag_expr *e;
            rc = ag_canon_expr_node(cat, ast, &pe->expr, t->obj.name.schema, &e,
                                    err);
            if (rc == 0) {
                ag_buf_printf(&sql, "(%s)", e->sql);
                ag_buf_printf(&canon, "(%s)", e->canon);
            }
        }
        if (pe->n_collation) {
            ag_buf_put(&sql, " COLLATE ");
            put_name_list(&sql, pe->collation, pe->n_collation);
            ag_buf_put(&canon, " COLLATE ");
            put_name_list(&canon, pe->collation, pe->n_collation);
        }
        if (pe->n_opclass) {
            ag_buf_putc(&sql, ' ');
            put_name_list(&sql, pe->opclass, pe->n_opclass);
            ag_buf_putc(&canon, ' ');
            put_name_list(&canon, pe->opclass, pe->n_opclass);
        }
    }
    if (rc == 0) {
        ag_buf_putc(&sql, ')');
        ag_buf_putc(&canon, ')');
        ag_expr *e = ag_arena_alloc(&cat->arena, sizeof *e);
        e->sql = ag_arena_strdup(&cat->arena, sql.data);
        e->canon = ag_arena_strdup(&cat->arena, canon.data);
        t->partkey = e;
    }
    ag_buf_free(&sql);
    ag_buf_free(&canon);
    return rc;
}

/* The CreateStmt of a parsed one-statement text, or NULL. */
static PgQuery__CreateStmt *
create_stmt(ag_ast *ast)
{
    if (!ast->tree || ast->tree->n_stmts != 1)
        return NULL;
    ag_node *n = ast->tree->stmts[0]->stmt;
    return n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT ? n->create_stmt
                                                            : NULL;
}

int
ag_canon_partkey_text(ag_catalog *cat, ag_table *t, const char *def,
                      ag_error *err)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "CREATE TABLE x () PARTITION BY %s", def);
    ag_ast ast;
    int rc = ag_ast_parse(&ast, b.data, NULL, err);
    if (rc == 0) {
        PgQuery__CreateStmt *cs = create_stmt(&ast);
        if (!cs || !cs->partspec)
            rc = ag_errorf(err, AG_EPARSE, "not a partition key: %s", def);
        else
            rc = ag_canon_partkey_node(cat, &ast, cs->partspec, t, err);
        if (rc == 0) /* the server's own text is emit-ready */
            ((ag_expr *)t->partkey)->sql = ag_arena_strdup(&cat->arena, def);
    }
    ag_ast_free(&ast);
    ag_buf_free(&b);
    return rc;
}

/* ---- bounds ---- */

typedef struct renderer {
    ag_catalog *cat;
    ag_ast *ast;
    ag_bound_value_fn fn; /* NULL: no replacement */
    void *ctx;
    ag_buf sql, canon;
} renderer;

/* A constant's text and whether it was a string; false if not a constant. */
static bool
const_text(const PgQuery__AConst *c, char *num, size_t numsz, const char **text,
           bool *string)
{
    *string = false;
    if (c->isnull) {
        *text = NULL;
        return true;
    }
    switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        snprintf(num, numsz, "%d", c->ival->ival);
        *text = num;
        return true;
    case PG_QUERY__A__CONST__VAL_FVAL:
        *text = c->fval->fval;
        return true;
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        *text = c->boolval->boolval ? "true" : "false";
        return true;
    case PG_QUERY__A__CONST__VAL_SVAL:
        *text = c->sval->sval;
        *string = true;
        return true;
    default:
        return false;
    }
}

static int
render_value(renderer *r, ag_node **slot, size_t keypos, ag_error *err)
{
    ag_node *n = *slot;
    /* MINVALUE / MAXVALUE reach the raw tree as column references. */
    if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
        n->column_ref->n_fields == 1) {
        const char *w = ag_ast_str(n->column_ref->fields[0]);
        if (w && (strcmp(w, "minvalue") == 0 || strcmp(w, "maxvalue") == 0)) {
            const char *u = w[1] == 'i' ? "MINVALUE" : "MAXVALUE";
            ag_buf_put(&r->sql, u);
            ag_buf_put(&r->canon, u);
            return 0;
        }
    }
    /* '2022-01-01'::date: the value is what counts, the key's type
     * decides how it is read. */
    ag_node *v = n;
    if (v->node_case == PG_QUERY__NODE__NODE_TYPE_CAST && v->type_cast->arg &&
        v->type_cast->arg->node_case == PG_QUERY__NODE__NODE_A_CONST)
        v = v->type_cast->arg;
    char num[32];
    const char *text;
    bool string;
    if (v->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        const_text(v->a_const, num, sizeof num, &text, &string)) {
        if (!text) {
            ag_buf_put(&r->sql, "NULL");
            ag_buf_put(&r->canon, "NULL");
            return 0;
        }
        if (string || v != n)
            ag_quote_literal(&r->sql, text);
        else
            ag_buf_put(&r->sql, text);
        const char *c = string && r->fn ? r->fn(r->ctx, keypos, text) : NULL;
        ag_quote_literal(&r->canon, c ? c : text);
        return 0;
    }
    const ag_expr *e;
    int rc = ag_canon_expr_node(r->cat, r->ast, slot, "public", &e, err);
    if (rc == 0) {
        ag_buf_put(&r->sql, e->sql);
        ag_buf_put(&r->canon, e->canon);
    }
    return rc;
}

static void
put_both(renderer *r, const char *s)
{
    ag_buf_put(&r->sql, s);
    ag_buf_put(&r->canon, s);
}

static int
render_list(renderer *r, ag_node **items, size_t n, bool range, ag_error *err)
{
    put_both(r, "(");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i)
            put_both(r, ", ");
        rc = render_value(r, &items[i], range ? i : 0, err);
    }
    put_both(r, ")");
    return rc;
}

static int
render_bound(renderer *r, PgQuery__PartitionBoundSpec *b, ag_error *err)
{
    if (b->is_default) {
        put_both(r, "DEFAULT");
        return 0;
    }
    if (b->n_listdatums) {
        put_both(r, "FOR VALUES IN ");
        return render_list(r, b->listdatums, b->n_listdatums, false, err);
    }
    if (b->n_lowerdatums || b->n_upperdatums) {
        put_both(r, "FOR VALUES FROM ");
        int rc = render_list(r, b->lowerdatums, b->n_lowerdatums, true, err);
        if (rc)
            return rc;
        put_both(r, " TO ");
        return render_list(r, b->upperdatums, b->n_upperdatums, true, err);
    }
    ag_buf_printf(&r->sql, "FOR VALUES WITH (modulus %d, remainder %d)",
                  b->modulus, b->remainder);
    ag_buf_printf(&r->canon, "FOR VALUES WITH (modulus %d, remainder %d)",
                  b->modulus, b->remainder);
    return 0;
}

static int
bound(ag_catalog *cat, ag_ast *ast, PgQuery__PartitionBoundSpec *b,
      ag_bound_value_fn fn, void *ctx, ag_expr **out, ag_error *err)
{
    renderer r = {.cat = cat, .ast = ast, .fn = fn, .ctx = ctx};
    ag_buf_init(&r.sql);
    ag_buf_init(&r.canon);
    int rc = render_bound(&r, b, err);
    if (rc == 0) {
        ag_expr *e = ag_arena_alloc(&cat->arena, sizeof *e);
        e->sql = ag_arena_strdup(&cat->arena, r.sql.data);
        e->canon = ag_arena_strdup(&cat->arena, r.canon.data);
        *out = e;
    }
    ag_buf_free(&r.sql);
    ag_buf_free(&r.canon);
    return rc;
}

int
ag_canon_bound_node(ag_catalog *cat, ag_ast *ast,
                    PgQuery__PartitionBoundSpec *b, const ag_expr **out,
                    ag_error *err)
{
    ag_expr *e;
    int rc = bound(cat, ast, b, NULL, NULL, &e, err);
    if (rc == 0)
        *out = e;
    return rc;
}

/* Parse bound text inside "CREATE TABLE x PARTITION OF y <text>" and
 * render it; sql is the text itself. */
static int
bound_text(ag_catalog *cat, const char *text, ag_bound_value_fn fn, void *ctx,
           ag_expr **out, ag_error *err)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "CREATE TABLE x PARTITION OF y %s", text);
    ag_ast ast;
    int rc = ag_ast_parse(&ast, b.data, NULL, err);
    if (rc == 0) {
        PgQuery__CreateStmt *cs = create_stmt(&ast);
        if (!cs || !cs->partbound)
            rc = ag_errorf(err, AG_EPARSE, "not a partition bound: %s", text);
        else
            rc = bound(cat, &ast, cs->partbound, fn, ctx, out, err);
        if (rc == 0)
            (*out)->sql = ag_arena_strdup(&cat->arena, text);
    }
    ag_ast_free(&ast);
    ag_buf_free(&b);
    return rc;
}

int
ag_canon_bound_text(ag_catalog *cat, const char *text, const ag_expr **out,
                    ag_error *err)
{
    ag_expr *e;
    int rc = bound_text(cat, text, NULL, NULL, &e, err);
    if (rc == 0)
        *out = e;
    return rc;
}

int
ag_canon_bound_map(ag_catalog *cat, const char *sql, ag_bound_value_fn fn,
                   void *ctx, const char **canon, ag_error *err)
{
    ag_expr *e;
    int rc = bound_text(cat, sql, fn, ctx, &e, err);
    if (rc == 0)
        *canon = e->canon;
    return rc;
}
