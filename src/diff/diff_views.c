/*
 * diff_views.c - views and materialized views.
 *
 * Views are compared on the server's canonical text (pg_get_viewdef) and
 * their options.  A changed plain view is replaced in place with CREATE OR
 * REPLACE VIEW when PostgreSQL allows it (its old columns are a prefix of
 * the new ones, same names and types); otherwise, and for any change of a
 * materialized view, it is dropped and created again.  REFRESH is never
 * written.
 *
 * Re-creating dependants: a view must also be dropped before, and created
 * after, a change to something it reads that PostgreSQL refuses while the
 * view exists: a column it reads dropped or changing type, a table or view
 * it reads dropped, a function it calls dropped or re-created, a view it
 * reads re-created (so chains of views follow).  The current side's
 * dependency lists (pg_depend) decide, once, on the first question; the
 * index and trigger passes ask df_view_gone / df_view_recreated so a
 * view's indexes and triggers go and come back with it.
 *
 * Order: every dropped view at P_DROP_VIEW (before triggers, functions,
 * columns and tables change), dependants before what they read; created
 * and replaced views at P_CREATE_VIEW, after what they read (edges between
 * views), and before their indexes and triggers (edges).
 */
#include "diff_int.h"

#include <string.h>

enum { V_UNDECIDED = 0, V_DECIDING, V_DECIDED };

static const ag_view *
to_view(df_ctx *c, const ag_view *a)
{
    return (const ag_view *)ag_catalog_find(
        c->to, AG_KIND_VIEW, a->obj.name.schema, a->obj.name.name);
}

static bool
options_equal(const ag_view *a, const ag_view *b)
{
    return df_str_eq(a->check_option, b->check_option) &&
           a->security_barrier == b->security_barrier &&
           a->security_invoker == b->security_invoker;
}

static bool
view_equal(const ag_view *a, const ag_view *b)
{
    return a->materialized == b->materialized && df_str_eq(a->def, b->def) &&
           options_equal(a, b);
}

/* Can CREATE OR REPLACE VIEW turn a into b?  The old columns must stay,
 * in order, with their names and types; new ones may follow. */
static bool
replaceable(const ag_view *a, const ag_view *b)
{
    if (a->materialized || b->materialized || b->ncols < a->ncols)
        return false;
    for (size_t i = 0; i < a->ncols; i++)
        if (!df_str_eq(a->cols[i].name, b->cols[i].name) ||
            !df_str_eq(a->cols[i].type, b->cols[i].type))
            return false;
    return true;
}

/* Does the table column (schema, table, col) go away or change type? */
static bool
column_changes(df_ctx *c, const ag_qname *t, const char *col)
{
    const ag_table *ft = df_from_table(c, t->schema, t->name);
    if (!ft)
        return false;
    df_table *dt = df_dtable(c, ft);
    if (!dt->to)
        return true;
    for (size_t i = 0; i < ft->ncols; i++) {
        if (strcmp(ft->cols[i].name, col) != 0)
            continue;
        if (dt->colfate[i] != C_KEEP || !dt->match[i])
            return true;
        return !df_str_eq(ft->cols[i].type, dt->match[i]->type) ||
               !df_str_eq(ft->cols[i].collation, dt->match[i]->collation);
    }
    return false;
}

static df_fate decide(df_ctx *c, const ag_view *a);

/* Why what view a reads forces it to be re-created, or NULL. */
static const char *
dependency_change(df_ctx *c, const ag_view *a)
{
    for (size_t i = 0; i < a->ndeps; i++) {
        const ag_viewdep *d = &a->deps[i];
        switch (d->kind) {
        case AG_KIND_TABLE:
            if (df_table_dropped(c, d->name.schema, d->name.name))
                return "a table it reads is dropped";
            if (d->col && column_changes(c, &d->name, d->col))
                return ag_arena_sprintf(&c->plan->arena,
                                        "column %s of %s changes", d->col,
                                        df_qn(c, d->name.schema, d->name.name));
            break;
        case AG_KIND_VIEW: {
            const ag_view *v =
                ag_catalog_view(c->from, d->name.schema, d->name.name);
            if (v && v != a && decide(c, v) != F_KEEP)
                return ag_arena_sprintf(
                    &c->plan->arena, "view %s it reads is %s",
                    df_qn(c, d->name.schema, d->name.name),
                    c->fates[v->obj.id - 1] == F_DROP ? "dropped"
                                                      : "re-created");
            break;
        }
        case AG_KIND_FUNCTION: {
            const ag_function *f = (const ag_function *)ag_catalog_find(
                c->from, AG_KIND_FUNCTION, d->name.schema, d->name.name);
            if (f && df_function_goes(c, f))
                return ag_arena_sprintf(&c->plan->arena,
                                        "function %s it calls is dropped or "
                                        "re-created",
                                        df_qn(c, d->name.schema, d->name.name));
            break;
        }
        default:
            break;
        }
    }
    return NULL;
}

static df_fate
decide(df_ctx *c, const ag_view *a)
{
    unsigned char *st = &c->vstate[a->obj.id - 1];
    if (*st == V_DECIDED)
        return c->fates[a->obj.id - 1];
    if (*st == V_DECIDING)
        return F_KEEP; /* a cycle (a broken model): decided by the caller */
    *st = V_DECIDING;
    const ag_view *b = to_view(c, a);
    df_fate f = F_KEEP;
    if (!b)
        f = F_DROP;
    else if (a->materialized != b->materialized || dependency_change(c, a))
        f = F_RECREATE;
    else if (!view_equal(a, b) && !replaceable(a, b))
        f = F_RECREATE;
    c->fates[a->obj.id - 1] = f;
    *st = V_DECIDED;
    return f;
}

static void
decide_all(df_ctx *c)
{
    if (c->vstate)
        return;
    c->vstate = ag_arena_alloc(&c->plan->arena,
                               (c->from->nobjs + 1) * sizeof *c->vstate);
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_VIEW, &list);
    for (size_t i = 0; i < n; i++)
        decide(c, (const ag_view *)list[i]);
}

bool
df_view_gone(df_ctx *c, const char *schema, const char *name)
{
    decide_all(c);
    const ag_view *v = ag_catalog_view(c->from, schema, name);
    return v && c->fates[v->obj.id - 1] != F_KEEP;
}

bool
df_view_recreated(df_ctx *c, const char *schema, const char *name)
{
    decide_all(c);
    const ag_view *v = ag_catalog_view(c->from, schema, name);
    return v && c->fates[v->obj.id - 1] == F_RECREATE;
}

bool
df_view_fresh(df_ctx *c, const char *schema, const char *name)
{
    if (!ag_catalog_view(c->to, schema, name))
        return false;
    return !ag_catalog_view(c->from, schema, name) ||
           df_view_recreated(c, schema, name);
}

static ag_op *
view_op(df_ctx *c, ag_op_type type, int prio, const ag_view *a,
        const ag_view *b)
{
    const ag_view *v = b ? b : a;
    ag_op *op = df_new_op(c, type, prio, AG_KIND_VIEW, v->obj.name.schema,
                          v->obj.name.name, NULL);
    op->from_obj = a ? &a->obj : NULL;
    op->to_obj = b ? &b->obj : NULL;
    return op;
}

/* The view's comment and its columns' comments; `fresh` after a create. */
static void
view_comments(df_ctx *c, const ag_view *a, const ag_view *b, bool fresh)
{
    const char *schema = b->obj.name.schema, *name = b->obj.name.name;
    ag_op *op =
        df_comment(c, AG_KIND_VIEW, schema, name, NULL,
                   a && !fresh ? a->obj.comment : NULL, b->obj.comment, fresh);
    if (op) {
        op->from_obj = a ? &a->obj : NULL;
        op->to_obj = &b->obj;
    }
    for (size_t i = 0; i < b->ncols; i++) {
        const ag_column *tc = &b->cols[i], *fc = NULL;
        for (size_t k = 0; a && !fresh && k < a->ncols; k++)
            if (strcmp(a->cols[k].name, tc->name) == 0)
                fc = &a->cols[k];
        op = df_comment(c, AG_KIND_VIEW, schema, name, NULL,
                        fc ? fc->comment : NULL, tc->comment, fresh);
        if (op) {
            op->sub = tc->name;
            op->from_obj = a ? &a->obj : NULL;
            op->to_obj = &b->obj;
            op->from_col = fc;
            op->to_col = tc;
        }
    }
}

static bool
same_default(const ag_column *x, const ag_column *y)
{
    const ag_expr *a = x ? x->default_expr : NULL;
    const ag_expr *b = y ? y->default_expr : NULL;
    if (!a || !b)
        return a == b;
    return strcmp(a->canon, b->canon) == 0;
}

/* ALTER VIEW ... ALTER COLUMN ... SET/DROP DEFAULT (PostgREST's
 * complex_items_view): after the view is created (`create`, when the
 * migration creates it), on a fresh view for every default. */
static void
view_defaults(df_ctx *c, const ag_view *a, const ag_view *b, bool fresh,
              ag_op *create)
{
    for (size_t i = 0; i < b->ncols; i++) {
        const ag_column *tc = &b->cols[i], *fc = NULL;
        for (size_t k = 0; a && !fresh && k < a->ncols; k++)
            if (strcmp(a->cols[k].name, tc->name) == 0)
                fc = &a->cols[k];
        if (same_default(fc, tc) || (!tc->default_expr && !fc))
            continue;
        ag_op *op = df_new_op(
            c, tc->default_expr ? AG_OP_SET_DEFAULT : AG_OP_DROP_DEFAULT,
            P_VIEW_DEFAULT, AG_KIND_VIEW, b->obj.name.schema, b->obj.name.name,
            NULL);
        op->sub = tc->name;
        op->from_obj = a ? &a->obj : NULL;
        op->to_obj = &b->obj;
        op->from_col = fc;
        op->to_col = tc;
        if (create)
            df_edge(c, create, op);
    }
}

static ag_op *
drop_view(df_ctx *c, const ag_view *a, const char *note)
{
    ag_op *op = view_op(c, AG_OP_DROP_VIEW, P_DROP_VIEW, a, NULL);
    op->note = note;
    if (a->materialized)
        df_hazard(c, op, AG_HAZARD_DELETES_DATA,
                  "dropping materialized view %s loses its rows until it is "
                  "refreshed",
                  df_qn(c, a->obj.name.schema, a->obj.name.name));
    return op;
}

/* Ops by view name, for the edges. */
typedef struct vops {
    ag_op **drop;   /* by from id */
    ag_op **create; /* by to id: create or replace */
} vops;

static ag_op *
find_op(df_ctx *c, ag_op **by_id, const ag_catalog *cat, const ag_qname *n)
{
    const ag_object *o = ag_catalog_find(cat, AG_KIND_VIEW, n->schema, n->name);
    (void)c;
    return o ? by_id[o->id - 1] : NULL;
}

/* Edges: dependants are dropped before what they read and created after;
 * a matview's indexes and a view's triggers come after it is created. */
static void
view_edges(df_ctx *c, vops *vo)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_VIEW, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_view *a = (const ag_view *)list[i];
        ag_op *mine = vo->drop[a->obj.id - 1];
        for (size_t k = 0; mine && k < a->ndeps; k++) {
            if (a->deps[k].kind != AG_KIND_VIEW)
                continue;
            ag_op *dep = find_op(c, vo->drop, c->from, &a->deps[k].name);
            if (dep && dep != mine)
                df_edge(c, mine, dep);
        }
    }
    n = ag_catalog_list(c->to, AG_KIND_VIEW, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_view *b = (const ag_view *)list[i];
        ag_op *mine = vo->create[b->obj.id - 1];
        for (size_t k = 0; mine && k < b->ndeps; k++) {
            if (b->deps[k].kind != AG_KIND_VIEW)
                continue;
            ag_op *dep = find_op(c, vo->create, c->to, &b->deps[k].name);
            if (dep && dep != mine)
                df_edge(c, dep, mine);
        }
    }
    size_t nops = c->nops;
    for (size_t i = 0; i < nops; i++) {
        ag_op *op = c->ops[i];
        if (!op->table || (op->type != AG_OP_CREATE_INDEX &&
                           op->type != AG_OP_CREATE_TRIGGER &&
                           op->type != AG_OP_REPLACE_TRIGGER))
            continue;
        ag_qname t = {op->name.schema, op->table};
        ag_op *v = find_op(c, vo->create, c->to, &t);
        if (v)
            df_edge(c, v, op);
    }
}

void
df_views(df_ctx *c)
{
    decide_all(c);
    vops vo;
    vo.drop =
        ag_arena_alloc(&c->plan->arena, (c->from->nobjs + 1) * sizeof(ag_op *));
    vo.create =
        ag_arena_alloc(&c->plan->arena, (c->to->nobjs + 1) * sizeof(ag_op *));
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_VIEW, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_view *a = (const ag_view *)list[i];
        const ag_view *b = to_view(c, a);
        df_fate f = c->fates[a->obj.id - 1];
        if (f == F_DROP) {
            vo.drop[a->obj.id - 1] = drop_view(c, a, NULL);
            continue;
        }
        if (f == F_RECREATE) {
            const char *why = dependency_change(c, a);
            if (!why)
                why = a->materialized != b->materialized ? "changes kind"
                      : a->materialized
                          ? "a materialized view cannot be replaced"
                          : "its columns change: CREATE OR REPLACE cannot "
                            "do that";
            ag_op *drop =
                drop_view(c, a,
                          ag_arena_sprintf(&c->plan->arena,
                                           "dropped and re-created: %s", why));
            vo.drop[a->obj.id - 1] = drop;
            ag_op *create =
                view_op(c, AG_OP_CREATE_VIEW, P_CREATE_VIEW, NULL, b);
            df_edge(c, drop, create);
            vo.create[b->obj.id - 1] = create;
            view_comments(c, a, b, true);
            view_defaults(c, a, b, true, create);
            continue;
        }
        if (!view_equal(a, b))
            vo.create[b->obj.id - 1] =
                view_op(c, AG_OP_REPLACE_VIEW, P_CREATE_VIEW, a, b);
        view_comments(c, a, b, false);
        view_defaults(c, a, b, false, vo.create[b->obj.id - 1]);
    }
    n = ag_catalog_list(c->to, AG_KIND_VIEW, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_view *b = (const ag_view *)list[i];
        if (ag_catalog_find(c->from, AG_KIND_VIEW, b->obj.name.schema,
                            b->obj.name.name))
            continue;
        vo.create[b->obj.id - 1] =
            view_op(c, AG_OP_CREATE_VIEW, P_CREATE_VIEW, NULL, b);
        view_comments(c, NULL, b, true);
        view_defaults(c, NULL, b, true, vo.create[b->obj.id - 1]);
    }
    view_edges(c, &vo);
}
