/*
 * load_trigger.c - CREATE [CONSTRAINT] TRIGGER and COMMENT ON FUNCTION /
 * PROCEDURE / TRIGGER in models.
 *
 * Both wait until every file is in (ld_resolve_routines, called after
 * ld_resolve): a trigger needs its table, declared in any file, and its
 * function, found along the search_path in force where the trigger was
 * written, as PostgreSQL would look it up.  The statement is then
 * schema-qualified and canonicalised like pg_get_triggerdef's output.
 */
#include <string.h>

#include "loader_int.h"

#include "autogen/canon_routines.h"

void
ld_create_trigger(ag_loader *ld, ld_pos pos, PgQuery__CreateTrigStmt *s)
{
    ld_defer(ld, PEND_TRIGGER, pos, NULL, NULL, s, 0);
}

void
ld_comment_routine(ag_loader *ld, ld_pos pos, PgQuery__CommentStmt *s)
{
    ld_defer(ld, PEND_ROUTINE_COMMENT, pos, NULL, NULL, s, 0);
}

/* Built-in trigger functions: the server prints them unqualified. */
static bool
builtin_trigger_function(const char *name)
{
    static const char *const names[] = {
        "suppress_redundant_updates_trigger",
        "tsvector_update_trigger",
        "tsvector_update_trigger_column",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/* Schema of the trigger function `name` as PostgreSQL would find it: a
 * model function (no arguments) along the path, else the first schema of
 * the path; NULL for pg_catalog. */
static const char *
function_schema(ag_loader *ld, const ld_search_path *path, const char *name)
{
    const char *key = ag_arena_sprintf(&ld->cat->arena, "%s()", name);
    for (size_t i = 0; i < path->n; i++)
        if (ag_catalog_find(ld->cat, AG_KIND_FUNCTION, path->schemas[i], key))
            return path->schemas[i];
    if (builtin_trigger_function(name))
        return NULL;
    return path->n ? path->schemas[0] : "public";
}

static void
resolve_trigger(ag_loader *ld, const ld_pending *p)
{
    PgQuery__CreateTrigStmt *s = p->node;
    ag_ast *ast = ld_ast(ld, p->pos);
    const char *schema;
    ag_table *tbl = ld_find_table(ld, &p->path, s->relation->schemaname,
                                  s->relation->relname, &schema);
    /* INSTEAD OF triggers live on views. */
    ag_view *view = tbl ? NULL
                        : ld_find_view(ld, &p->path, s->relation->schemaname,
                                       s->relation->relname);
    if (view)
        schema = view->obj.name.schema;
    if (!tbl && !view) {
        ld_error(ld, p->pos,
                 "CREATE TRIGGER %s: table %s is not declared in the models",
                 s->trigname, s->relation->relname);
        return;
    }
    const ag_object *rel = tbl ? &tbl->obj : &view->obj;
    s->relation->schemaname = (char *)rel->name.schema;
    if (s->constrrel) {
        const char *cs;
        ag_table *ct = ld_find_table(ld, &p->path, s->constrrel->schemaname,
                                     s->constrrel->relname, &cs);
        s->constrrel->schemaname = (char *)(ct ? ct->obj.name.schema : cs);
    }
    const char *fschema, *fname;
    if (ag_ast_qname(s->funcname, s->n_funcname, &fschema, &fname) < 0) {
        ld_error(ld, p->pos, "CREATE TRIGGER %s: malformed function name",
                 s->trigname);
        return;
    }
    if (!fschema)
        fschema = function_schema(ld, &p->path, fname);
    else if (strcmp(fschema, "pg_catalog") == 0)
        fschema = NULL;
    s->funcname = ag_arena_alloc(&ast->arena, 2 * sizeof *s->funcname);
    s->n_funcname = 0;
    if (fschema)
        s->funcname[s->n_funcname++] = ag_ast_new_string(ast, fschema);
    s->funcname[s->n_funcname++] = ag_ast_new_string(ast, fname);

    ag_trigger *t = ag_catalog_add_trigger(ld->cat, rel->name.schema,
                                           rel->name.name, s->trigname);
    if (!t) {
        ld_error(ld, p->pos, "trigger %s on %s.%s is declared twice",
                 s->trigname, rel->name.schema, rel->name.name);
        return;
    }
    t->obj.loc = ld_srcloc(p->pos);
    ag_error err;
    if (ag_canon_trigger_node(ld->cat, ast, s, t, true, &err) != 0) {
        ld_error(ld, p->pos, "CREATE TRIGGER %s: %s", s->trigname, err.msg);
        ag_catalog_remove(ld->cat, &t->obj);
    }
}

/* The function a COMMENT ON FUNCTION names, or NULL. */
static ag_object *
comment_function(ag_loader *ld, const ld_pending *p,
                 PgQuery__ObjectWithArgs *owa)
{
    const char *schema, *name;
    if (ag_ast_qname(owa->objname, owa->n_objname, &schema, &name) < 0)
        return NULL;
    size_t nschemas = schema ? 1 : p->path.n;
    for (size_t k = 0; k < nschemas; k++) {
        const char *sch = schema ? schema : p->path.schemas[k];
        if (owa->args_unspecified) {
            /* COMMENT ON FUNCTION f: the only function of that name. */
            ag_object *found = NULL;
            for (size_t i = 0; i < ld->cat->nobjs; i++) {
                ag_object *o = ld->cat->objs[i];
                if (o && o->kind == AG_KIND_FUNCTION &&
                    strcmp(o->name.schema, sch) == 0 &&
                    strcmp(((ag_function *)o)->fname, name) == 0) {
                    if (found)
                        return NULL;
                    found = o;
                }
            }
            if (found)
                return found;
            continue;
        }
        ag_buf b;
        ag_buf_init(&b);
        ag_buf_printf(&b, "%s(", name);
        bool ok = true;
        for (size_t i = 0; ok && i < owa->n_objargs; i++) {
            const char *t;
            ag_error err;
            ok = owa->objargs[i]->node_case == PG_QUERY__NODE__NODE_TYPE_NAME &&
                 ag_canon_signature_type(
                     &ld->cat->arena, owa->objargs[i]->type_name,
                     p->path.n ? p->path.schemas[0] : "public", &t, &err) == 0;
            if (ok)
                ag_buf_printf(&b, "%s%s", i ? ", " : "", t);
        }
        ag_buf_putc(&b, ')');
        ag_object *o =
            ok ? ag_catalog_find(ld->cat, AG_KIND_FUNCTION, sch, b.data) : NULL;
        ag_buf_free(&b);
        if (o)
            return o;
    }
    return NULL;
}

static void
resolve_comment(ag_loader *ld, const ld_pending *p)
{
    PgQuery__CommentStmt *s = p->node;
    ag_object *target = NULL;
    if (s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER) {
        if (s->object && s->object->node_case == PG_QUERY__NODE__NODE_LIST &&
            s->object->list->n_items >= 2) {
            ag_node **items = s->object->list->items;
            size_t n = s->object->list->n_items;
            const char *trig = ag_ast_str(items[n - 1]);
            const char *table = ag_ast_str(items[n - 2]);
            const char *schema = n >= 3 ? ag_ast_str(items[n - 3]) : NULL;
            const char *found;
            ag_table *tbl = ld_find_table(ld, &p->path, schema, table, &found);
            const ag_view *view =
                tbl ? NULL : ld_find_view(ld, &p->path, schema, table);
            if (view)
                found = view->obj.name.schema;
            ag_trigger *t =
                (tbl || view) && trig
                    ? ag_catalog_find_trigger(ld->cat, found, table, trig)
                    : NULL;
            target = t ? &t->obj : NULL;
        }
    } else if (s->object &&
               s->object->node_case == PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS) {
        target = comment_function(ld, p, s->object->object_with_args);
    }
    if (!target) {
        ld_error(ld, p->pos, "COMMENT ON an object the models do not declare");
        return;
    }
    target->comment = s->comment && *s->comment
                          ? ag_arena_strdup(&ld->cat->arena, s->comment)
                          : NULL;
}

void
ld_resolve_routines(ag_loader *ld)
{
    for (size_t i = 0; i < ld->npend; i++)
        if (ld->pend[i].kind == PEND_TRIGGER)
            resolve_trigger(ld, &ld->pend[i]);
    for (size_t i = 0; i < ld->npend; i++)
        if (ld->pend[i].kind == PEND_ROUTINE_COMMENT)
            resolve_comment(ld, &ld->pend[i]);
}
