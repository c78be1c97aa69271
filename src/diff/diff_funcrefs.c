/*
 * diff_funcrefs.c - hazards from what function bodies name.
 *
 * PostgreSQL does not track what a string body (LANGUAGE sql or plpgsql)
 * reads: dropping or renaming a table, view, column or function that such
 * a body still names succeeds, and the function fails the next time it is
 * called.  When the target catalog keeps a function whose body names an
 * object this plan removes under that name (the model is inconsistent),
 * the op that removes it gets the breaks-function hazard, naming the
 * functions.  References come from routine_refs.h; a name is taken to mean
 * what it resolves to in the current (`from`) catalog along the
 * function's path.
 *
 * Runs after every other pass, over the ops they queued.
 */
#include "diff_int.h"

#include <string.h>

#include "autogen/ident.h"
#include "autogen/routine_refs.h"

/* What an op removes under its old name: a relation, a column of one, or
 * every overload of a function name. */
typedef struct fr_target {
    ag_funcref_kind kind;
    const char *schema, *name; /* relation, or function's bare name */
    const char *col;           /* a column of the relation, else NULL */
    const char *what;          /* "table", "view", "column", "function" */
} fr_target;

static bool
relation_in(const ag_catalog *cat, const char *schema, const char *name)
{
    return ag_catalog_find(cat, AG_KIND_TABLE, schema, name) ||
           ag_catalog_find(cat, AG_KIND_VIEW, schema, name);
}

/* Fill *t for an op that makes a name disappear; false for other ops. */
static bool
op_target(df_ctx *c, const ag_op *op, fr_target *t)
{
    const ag_object *a = op->from_obj;
    if (!a)
        return false;
    memset(t, 0, sizeof *t);
    t->kind = AG_REF_RELATION;
    t->schema = a->name.schema;
    t->name = a->name.name;
    switch (op->type) {
    case AG_OP_DROP_TABLE:
    case AG_OP_DROP_VIEW:
    case AG_OP_RENAME_TABLE:
        if ((a->kind != AG_KIND_TABLE && a->kind != AG_KIND_VIEW) ||
            relation_in(c->to, t->schema, t->name))
            return false; /* re-created, or a sequence renamed */
        t->what = a->kind == AG_KIND_VIEW ? "view" : "table";
        return true;
    case AG_OP_DROP_COLUMN:
    case AG_OP_RENAME_COLUMN: {
        if (!op->from_col || op->prio == P_REPLACE_DROP)
            return false;
        const ag_table *tt = ag_catalog_table(c->to, t->schema, t->name);
        if (!tt || ag_table_column(tt, op->from_col->name))
            return false;
        t->col = op->from_col->name;
        t->what = "column";
        return true;
    }
    case AG_OP_DROP_FUNCTION: {
        const ag_function *f = (const ag_function *)a;
        if (ag_routine_find_name(c->to, t->schema, f->fname))
            return false; /* an overload of that name stays */
        t->kind = AG_REF_FUNCTION;
        t->name = f->fname;
        t->what = "function";
        return true;
    }
    default:
        return false;
    }
}

/* Does reference r of f (a `to` function) name target t? */
static bool
names_target(df_ctx *c, const ag_function *f, const ag_funcref *r,
             const fr_target *t)
{
    if (r->kind != t->kind || strcmp(r->name.name, t->name) != 0 ||
        (t->col && !df_str_eq(r->col, t->col)))
        return false;
    if (r->name.schema)
        return strcmp(r->name.schema, t->schema) == 0;
    const ag_object *o = ag_routine_ref_lookup(c->from, f, r);
    return o && strcmp(o->name.schema, t->schema) == 0;
}

void
df_function_refs(df_ctx *c)
{
    ag_object *const *list;
    size_t nfn = ag_catalog_list(c->to, AG_KIND_FUNCTION, &list);
    for (size_t i = 0, nops = c->nops; i < nops; i++) {
        ag_op *op = c->ops[i];
        fr_target t;
        if (!op_target(c, op, &t))
            continue;
        ag_buf who;
        ag_buf_init(&who);
        size_t count = 0;
        for (size_t k = 0; k < nfn; k++) {
            const ag_function *f = (const ag_function *)list[k];
            bool hit = false;
            for (size_t r = 0; !hit && r < f->nrefs; r++)
                hit = names_target(c, f, &f->refs[r], &t);
            if (!hit)
                continue;
            ag_buf_put(&who, count++ ? ", " : "");
            ag_quote_qname(&who, f->obj.name.schema, f->fname);
            ag_buf_printf(&who, "(%s)", f->identity);
        }
        if (count) {
            ag_buf obj;
            ag_buf_init(&obj);
            ag_quote_qname(&obj, t.schema, t.name);
            if (t.col) {
                ag_buf_putc(&obj, '.');
                ag_quote_ident(&obj, t.col);
            }
            df_hazard(c, op, AG_HAZARD_BREAKS_FUNCTION,
                      "%s %s still name%s %s %s, which this removes; the "
                      "function%s will fail when called",
                      count == 1 ? "function" : "functions", who.data,
                      count == 1 ? "s" : "", t.what, obj.data,
                      count == 1 ? "" : "s");
            ag_buf_free(&obj);
        }
        ag_buf_free(&who);
    }
}
