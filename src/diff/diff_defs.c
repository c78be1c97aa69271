/*
 * diff_defs.c - aggregates, operators and casts.
 *
 * Each is matched by its identity (aggregates and operators: schema, name
 * and argument types; casts: source and target type) and compared by its
 * canonical CREATE statement.  A changed aggregate is replaced in place
 * with CREATE OR REPLACE AGGREGATE (PostgreSQL 14+) while its state type
 * and final function stay, so its result type does; anything else that
 * changed is dropped and created again.  One that calls a function which
 * is itself dropped and re-created goes the same way: PostgreSQL refuses
 * to drop a function an aggregate, operator or cast still uses.
 *
 * Order: created after the functions they call (P_FUNCTION < P_AGGREGATE
 * < P_OPERATOR < P_CAST, plus an edge to each such function's op and to
 * the CREATE TABLE of a row type they name); dropped before the functions
 * and tables.
 */
#include "diff_int.h"

#include <string.h>

typedef struct kind_info {
    ag_kind kind;
    ag_op_type create, drop;
    int prio_create, prio_drop;
} kind_info;

static const kind_info kinds[] = {
    {AG_KIND_AGGREGATE, AG_OP_CREATE_AGGREGATE, AG_OP_DROP_AGGREGATE,
     P_AGGREGATE, P_DROP_AGGREGATE},
    {AG_KIND_OPERATOR, AG_OP_CREATE_OPERATOR, AG_OP_DROP_OPERATOR, P_OPERATOR,
     P_DROP_OPERATOR},
    {AG_KIND_CAST, AG_OP_CREATE_CAST, AG_OP_DROP_CAST, P_CAST, P_DROP_CAST},
};

/* Is the function op about a function named f (schema, bare name)? */
static bool
op_on_function(const ag_op *op, const ag_qname *f)
{
    if (op->kind != AG_KIND_FUNCTION)
        return false;
    const ag_function *fn =
        (const ag_function *)(op->to_obj ? op->to_obj : op->from_obj);
    return fn && strcmp(fn->obj.name.schema, f->schema) == 0 &&
           strcmp(fn->fname, f->name) == 0;
}

static ag_op *
find_table_op(df_ctx *c, ag_op_type type, const ag_qname *t)
{
    for (size_t i = 0; i < c->nops; i++) {
        ag_op *op = c->ops[i];
        if (op->type == type && !op->table &&
            strcmp(op->name.schema, t->schema) == 0 &&
            strcmp(op->name.name, t->name) == 0)
            return op;
    }
    return NULL;
}

/* A new definition comes after the functions it calls are created or
 * replaced and after the tables whose row types it names. */
static void
create_edges(df_ctx *c, const ag_def *d, ag_op *op)
{
    size_t nops = c->nops;
    for (size_t k = 0; k < d->nfuncs; k++)
        for (size_t i = 0; i < nops; i++) {
            ag_op *f = c->ops[i];
            if ((f->type == AG_OP_CREATE_FUNCTION ||
                 f->type == AG_OP_REPLACE_FUNCTION) &&
                op_on_function(f, &d->funcs[k]))
                df_edge(c, f, op);
        }
    for (size_t k = 0; k < d->ntypes; k++)
        if (df_table_new(c, d->types[k].schema, d->types[k].name)) {
            ag_op *t = find_table_op(c, AG_OP_CREATE_TABLE, &d->types[k]);
            if (t)
                df_edge(c, t, op);
        }
}

/* A dropped definition goes before the functions and tables it uses. */
static void
drop_edges(df_ctx *c, const ag_def *d, ag_op *op)
{
    size_t nops = c->nops;
    for (size_t k = 0; k < d->nfuncs; k++)
        for (size_t i = 0; i < nops; i++) {
            ag_op *f = c->ops[i];
            if (f->type == AG_OP_DROP_FUNCTION &&
                op_on_function(f, &d->funcs[k]))
                df_edge(c, op, f);
        }
    for (size_t k = 0; k < d->ntypes; k++)
        if (df_table_dropped(c, d->types[k].schema, d->types[k].name)) {
            ag_op *t = find_table_op(c, AG_OP_DROP_TABLE, &d->types[k]);
            if (t)
                df_edge(c, op, t);
        }
}

/* Does d call a function that is dropped and created again? */
static bool
calls_recreated(df_ctx *c, const ag_def *d)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_FUNCTION, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_function *f = (const ag_function *)list[i];
        if (c->fates[f->obj.id - 1] != F_RECREATE)
            continue;
        for (size_t k = 0; k < d->nfuncs; k++)
            if (strcmp(f->obj.name.schema, d->funcs[k].schema) == 0 &&
                strcmp(f->fname, d->funcs[k].name) == 0)
                return true;
    }
    return false;
}

static ag_op *
def_op(df_ctx *c, const kind_info *ki, ag_op_type type, int prio,
       const ag_def *a, const ag_def *b)
{
    const ag_def *d = b ? b : a;
    ag_op *op = df_new_op(c, type, prio, ki->kind, d->obj.name.schema,
                          d->obj.name.name, NULL);
    op->from_obj = a ? &a->obj : NULL;
    op->to_obj = b ? &b->obj : NULL;
    return op;
}

static void
diff_kind(df_ctx *c, const kind_info *ki)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, ki->kind, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_def *a = (const ag_def *)list[i];
        const ag_def *b = (const ag_def *)ag_catalog_find(
            c->to, ki->kind, a->obj.name.schema, a->obj.name.name);
        if (!b) {
            c->fates[a->obj.id - 1] = F_DROP;
            drop_edges(c, a, def_op(c, ki, ki->drop, ki->prio_drop, a, NULL));
            continue;
        }
        bool refn = calls_recreated(c, a);
        if (!refn && strcmp(a->sql, b->sql) == 0)
            continue;
        if (!refn && ki->kind == AG_KIND_AGGREGATE &&
            df_str_eq(a->replace_key, b->replace_key)) {
            create_edges(
                c, b,
                def_op(c, ki, AG_OP_REPLACE_AGGREGATE, ki->prio_create, a, b));
            continue;
        }
        c->fates[a->obj.id - 1] = F_RECREATE;
        ag_op *drop = def_op(c, ki, ki->drop, P_DROP_DEF_EARLY, a, NULL);
        drop->note = refn ? "a function it calls is re-created"
                     : ki->kind == AG_KIND_AGGREGATE
                         ? "state type or final function changed: dropped "
                           "and re-created"
                         : "changed: dropped and re-created";
        drop_edges(c, a, drop);
        ag_op *create = def_op(c, ki, ki->create, ki->prio_create, NULL, b);
        create->step = 1;
        df_edge(c, drop, create);
        create_edges(c, b, create);
    }
    n = ag_catalog_list(c->to, ki->kind, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_def *b = (const ag_def *)list[i];
        if (ag_catalog_find(c->from, ki->kind, b->obj.name.schema,
                            b->obj.name.name))
            continue;
        create_edges(c, b, def_op(c, ki, ki->create, ki->prio_create, NULL, b));
    }
}

void
df_defs(df_ctx *c)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        diff_kind(c, &kinds[i]);
}
