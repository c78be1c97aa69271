/*
 * diff_routines.c - functions, procedures and triggers.
 *
 * A function is matched by its signature (schema, name and identity
 * argument types: the catalog name).  A changed function is replaced in
 * place with CREATE OR REPLACE when PostgreSQL allows it: same kind, same
 * result type, same arguments (modes, names, types), no default removed.
 * Otherwise it is dropped and created again, and every trigger that calls
 * it is dropped before and created after.  A changed trigger is replaced
 * with CREATE OR REPLACE TRIGGER unless either side is a constraint
 * trigger (PostgreSQL 15 cannot replace those).
 *
 * Order: functions after types and sequences, before tables (a default may
 * call one); triggers once their table and function exist; dropped
 * triggers first, dropped functions after the tables.  A signature naming
 * a table's row type gets an edge to that table's CREATE or DROP.
 */
#include "diff_int.h"

#include <string.h>

static bool
arg_same(const ag_funcarg *a, const ag_funcarg *b)
{
    return a->mode == b->mode && df_str_eq(a->name, b->name) &&
           strcmp(a->type, b->type) == 0;
}

static bool
args_same(const ag_function *a, const ag_function *b)
{
    if (a->nargs != b->nargs)
        return false;
    for (size_t i = 0; i < a->nargs; i++)
        if (!arg_same(&a->args[i], &b->args[i]))
            return false;
    return true;
}

static bool
function_equal(const ag_function *a, const ag_function *b)
{
    if (a->is_procedure != b->is_procedure || !args_same(a, b) ||
        !df_str_eq(a->result, b->result) ||
        !df_str_eq(a->language, b->language) || !df_str_eq(a->body, b->body) ||
        !df_str_eq(a->probin, b->probin) || a->volatility != b->volatility ||
        a->parallel != b->parallel || a->strict != b->strict ||
        a->security_definer != b->security_definer ||
        a->leakproof != b->leakproof || a->cost != b->cost ||
        a->rows != b->rows || a->nconfig != b->nconfig)
        return false;
    for (size_t i = 0; i < a->nargs; i++) {
        const ag_expr *x = a->args[i].default_expr;
        const ag_expr *y = b->args[i].default_expr;
        if (!x != !y || (x && strcmp(x->canon, y->canon) != 0))
            return false;
    }
    for (size_t i = 0; i < a->nconfig; i++)
        if (strcmp(a->config[i], b->config[i]) != 0)
            return false;
    return true;
}

/* Why CREATE OR REPLACE cannot turn a into b, or NULL when it can. */
static const char *
recreate_reason(const ag_function *a, const ag_function *b)
{
    if (a->is_procedure != b->is_procedure)
        return "function and procedure swapped";
    if (!df_str_eq(a->result, b->result))
        return "return type changed";
    if (!args_same(a, b))
        return "argument names or modes changed";
    for (size_t i = 0; i < a->nargs; i++)
        if (a->args[i].default_expr && !b->args[i].default_expr)
            return "argument default removed";
    return NULL;
}

bool
df_function_goes(df_ctx *c, const ag_function *f)
{
    const ag_function *b = (const ag_function *)ag_catalog_find(
        c->to, AG_KIND_FUNCTION, f->obj.name.schema, f->obj.name.name);
    return !b || (!function_equal(f, b) && recreate_reason(f, b) != NULL);
}

static ag_op *
find_table_op(df_ctx *c, ag_op_type type, const char *schema, const char *name)
{
    for (size_t i = 0; i < c->nops; i++) {
        ag_op *op = c->ops[i];
        if (op->type == type && !op->table &&
            strcmp(op->name.schema, schema) == 0 &&
            strcmp(op->name.name, name) == 0)
            return op;
    }
    return NULL;
}

/* Is (schema, name) a domain of `in` that `other` lacks? */
static bool
domain_only_in(const ag_catalog *in, const ag_catalog *other, const ag_qname *t)
{
    return ag_catalog_find(in, AG_KIND_DOMAIN, t->schema, t->name) &&
           !ag_catalog_find(other, AG_KIND_DOMAIN, t->schema, t->name);
}

/* A new function whose signature names a new table's row type comes after
 * that CREATE TABLE; a dropped one goes before that DROP TABLE.  The same
 * for a new or dropped domain (which may itself come after a table, when
 * it is over the table's row type: PostgREST's SETOF projects_domain). */
static void
table_type_edges(df_ctx *c, const ag_function *f, ag_op *op, bool create)
{
    for (size_t i = 0; i < f->ntypes; i++) {
        const ag_qname *t = &f->types[i];
        if (create && df_table_new(c, t->schema, t->name)) {
            ag_op *tbl =
                find_table_op(c, AG_OP_CREATE_TABLE, t->schema, t->name);
            if (tbl)
                df_edge(c, tbl, op);
        } else if (!create && df_table_dropped(c, t->schema, t->name)) {
            ag_op *tbl = find_table_op(c, AG_OP_DROP_TABLE, t->schema, t->name);
            if (tbl)
                df_edge(c, op, tbl);
        } else if (create && domain_only_in(c->to, c->from, t)) {
            ag_op *dom =
                find_table_op(c, AG_OP_CREATE_DOMAIN, t->schema, t->name);
            if (dom)
                df_edge(c, dom, op);
        } else if (!create && domain_only_in(c->from, c->to, t)) {
            ag_op *dom =
                find_table_op(c, AG_OP_DROP_DOMAIN, t->schema, t->name);
            if (dom)
                df_edge(c, op, dom);
        }
    }
}

/* A function whose signature names a view's row type (PostgREST's
 * single_article() returns test.articles) comes after that view is
 * created and goes before it is dropped.  Called once the view ops exist
 * (df_view_signature_edges, from ag_diff after df_views). */
void
df_view_signature_edges(df_ctx *c)
{
    size_t nops = c->nops;
    for (size_t i = 0; i < nops; i++) {
        ag_op *op = c->ops[i];
        if (op->kind != AG_KIND_FUNCTION)
            continue;
        bool create = op->type == AG_OP_CREATE_FUNCTION;
        if (!create && op->type != AG_OP_DROP_FUNCTION)
            continue;
        const ag_function *f =
            (const ag_function *)(create ? op->to_obj : op->from_obj);
        if (!f)
            continue;
        for (size_t k = 0; k < f->ntypes; k++) {
            const ag_qname *t = &f->types[k];
            if (!ag_catalog_find(create ? c->to : c->from, AG_KIND_VIEW,
                                 t->schema, t->name))
                continue;
            ag_op *v =
                find_table_op(c, create ? AG_OP_CREATE_VIEW : AG_OP_DROP_VIEW,
                              t->schema, t->name);
            if (v && create)
                df_edge(c, v, op);
            else if (v)
                df_edge(c, op, v);
        }
    }
}

static ag_op *
function_op(df_ctx *c, ag_op_type type, int prio, const ag_function *a,
            const ag_function *b)
{
    const ag_function *f = b ? b : a;
    ag_op *op = df_new_op(c, type, prio, AG_KIND_FUNCTION, f->obj.name.schema,
                          f->obj.name.name, NULL);
    op->from_obj = a ? &a->obj : NULL;
    op->to_obj = b ? &b->obj : NULL;
    return op;
}

static void
function_comment(df_ctx *c, const ag_function *a, const ag_function *b,
                 bool fresh)
{
    ag_op *op =
        df_comment(c, AG_KIND_FUNCTION, b->obj.name.schema, b->obj.name.name,
                   NULL, a ? a->obj.comment : NULL, b->obj.comment, fresh);
    if (op) {
        op->from_obj = a ? &a->obj : NULL;
        op->to_obj = &b->obj;
    }
}

static void
diff_functions(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_FUNCTION, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_function *a = (const ag_function *)list[i];
        const ag_function *b = (const ag_function *)ag_catalog_find(
            c->to, AG_KIND_FUNCTION, a->obj.name.schema, a->obj.name.name);
        if (!b) {
            c->fates[a->obj.id - 1] = F_DROP;
            ag_op *op =
                function_op(c, AG_OP_DROP_FUNCTION, P_DROP_FUNCTION, a, NULL);
            table_type_edges(c, a, op, false);
            continue;
        }
        if (function_equal(a, b)) {
            function_comment(c, a, b, false);
            continue;
        }
        const char *why = recreate_reason(a, b);
        if (!why) {
            function_op(c, AG_OP_REPLACE_FUNCTION, P_FUNCTION, a, b);
            function_comment(c, a, b, false);
            continue;
        }
        c->fates[a->obj.id - 1] = F_RECREATE;
        ag_op *drop = function_op(c, AG_OP_DROP_FUNCTION, P_FUNCTION, a, NULL);
        drop->note = ag_arena_sprintf(&c->plan->arena,
                                      "%s: dropped and re-created", why);
        ag_op *create =
            function_op(c, AG_OP_CREATE_FUNCTION, P_FUNCTION, NULL, b);
        create->step = 1;
        df_edge(c, drop, create);
        table_type_edges(c, b, create, true);
        function_comment(c, NULL, b, true);
    }
    n = ag_catalog_list(c->to, AG_KIND_FUNCTION, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_function *b = (const ag_function *)list[i];
        if (ag_catalog_find(c->from, AG_KIND_FUNCTION, b->obj.name.schema,
                            b->obj.name.name))
            continue;
        ag_op *op = function_op(c, AG_OP_CREATE_FUNCTION, P_FUNCTION, NULL, b);
        table_type_edges(c, b, op, true);
        function_comment(c, NULL, b, true);
    }
}

/* Is the trigger's function dropped and created again? */
static bool
function_recreated(df_ctx *c, const ag_trigger *t)
{
    const char *key = ag_arena_sprintf(&c->plan->arena, "%s()", t->func.name);
    const ag_object *f =
        ag_catalog_find(c->from, AG_KIND_FUNCTION, t->func.schema, key);
    return f && c->fates[f->id - 1] == F_RECREATE;
}

static ag_op *
trigger_op(df_ctx *c, ag_op_type type, int prio, const ag_trigger *a,
           const ag_trigger *b)
{
    const ag_trigger *t = b ? b : a;
    ag_op *op = df_new_op(c, type, prio, AG_KIND_TRIGGER, t->obj.name.schema,
                          t->obj.name.name, t->table);
    op->from_obj = a ? &a->obj : NULL;
    op->to_obj = b ? &b->obj : NULL;
    return op;
}

static void
diff_triggers(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_TRIGGER, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_trigger *a = (const ag_trigger *)list[i];
        const char *schema = a->obj.name.schema;
        const ag_trigger *b = ag_catalog_find_trigger(
            c->to, schema, df_to_table_name(c, schema, a->table),
            a->obj.name.name);
        if (df_view_gone(c, schema, a->table)) {
            /* Goes with its view; comes back when the view does. */
            c->fates[a->obj.id - 1] = F_IMPLICIT;
            if (b && df_view_recreated(c, schema, a->table)) {
                trigger_op(c, AG_OP_CREATE_TRIGGER, P_CREATE_TRIGGER, NULL, b);
                df_comment(c, AG_KIND_TRIGGER, schema, b->obj.name.name,
                           b->table, NULL, b->obj.comment, true);
            }
            continue;
        }
        if (!b) {
            if (df_table_dropped(c, schema, a->table)) {
                c->fates[a->obj.id - 1] = F_IMPLICIT;
                continue;
            }
            c->fates[a->obj.id - 1] = F_DROP;
            trigger_op(c, AG_OP_DROP_TRIGGER, P_DROP_TRIGGER, a, NULL);
            continue;
        }
        bool refn = function_recreated(c, a);
        bool fresh = false;
        if (refn || strcmp(a->def.canon, b->def.canon) != 0) {
            if (!refn && !a->constraint && !b->constraint) {
                trigger_op(c, AG_OP_REPLACE_TRIGGER, P_CREATE_TRIGGER, a, b);
            } else {
                c->fates[a->obj.id - 1] = F_RECREATE;
                ag_op *drop =
                    trigger_op(c, AG_OP_DROP_TRIGGER, P_DROP_TRIGGER, a, NULL);
                drop->note = refn ? "its function is re-created"
                                  : "constraint triggers cannot be replaced";
                trigger_op(c, AG_OP_CREATE_TRIGGER, P_CREATE_TRIGGER, NULL, b);
                fresh = true;
            }
        }
        df_comment(c, AG_KIND_TRIGGER, schema, b->obj.name.name, b->table,
                   fresh ? NULL : a->obj.comment, b->obj.comment, fresh);
    }
    n = ag_catalog_list(c->to, AG_KIND_TRIGGER, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_trigger *b = (const ag_trigger *)list[i];
        if (ag_catalog_find_trigger(
                c->from, b->obj.name.schema,
                df_from_table_name(c, b->obj.name.schema, b->table),
                b->obj.name.name))
            continue;
        trigger_op(c, AG_OP_CREATE_TRIGGER, P_CREATE_TRIGGER, NULL, b);
        df_comment(c, AG_KIND_TRIGGER, b->obj.name.schema, b->obj.name.name,
                   b->table, NULL, b->obj.comment, true);
    }
}

void
df_routines(df_ctx *c)
{
    diff_functions(c);
    diff_triggers(c);
}
