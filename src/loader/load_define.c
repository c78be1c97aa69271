/*
 * load_define.c - CREATE AGGREGATE, CREATE OPERATOR and CREATE CAST in
 * models, and DROP ... IF EXISTS of what the models have not declared.
 *
 * The statements are deferred to ag_loader_finish: their unqualified
 * function names mean the model's function of that name along the
 * search_path in force, which may be declared in a later file.  The
 * canonical form itself is canon_defs.c's, shared with the introspector.
 */
#include "loader_int.h"

#include <string.h>

#include "autogen/canon_defs.h"

void
ld_define(ag_loader *ld, ld_pos pos, ag_node *n)
{
    if (n->node_case == PG_QUERY__NODE__NODE_DEFINE_STMT) {
        PgQuery__ObjectType k = n->define_stmt->kind;
        if (k != PG_QUERY__OBJECT_TYPE__OBJECT_AGGREGATE &&
            k != PG_QUERY__OBJECT_TYPE__OBJECT_OPERATOR) {
            ld_error(ld, pos,
                     "CREATE TYPE (base type), TEXT SEARCH and COLLATION "
                     "definitions are not managed by autogen yet");
            return;
        }
    }
    ld_defer(ld, PEND_DEFINE, pos, NULL, NULL, n, 0);
}

typedef struct resolve_ctx {
    ag_loader *ld;
    const ld_search_path *path;
} resolve_ctx;

/* Is there a model function (or operator) `name` in `schema`?  Functions
 * are keyed "name(types)", so compare the bare part. */
static bool
declared(ag_catalog *cat, ag_kind kind, const char *schema, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < cat->nobjs; i++) {
        const ag_object *o = cat->objs[i];
        if (o && o->kind == kind && strcmp(o->name.schema, schema) == 0 &&
            strncmp(o->name.name, name, len) == 0 && o->name.name[len] == '(')
            return true;
    }
    return false;
}

/* Operators are not in the catalog until every one is read: look at the
 * deferred CREATE OPERATOR statements instead. */
static bool
operator_declared(ag_loader *ld, const char *schema, const char *name)
{
    for (size_t i = 0; i < ld->npend; i++) {
        const ld_pending *p = &ld->pend[i];
        ag_node *n = p->node;
        if (p->kind != PEND_DEFINE ||
            n->node_case != PG_QUERY__NODE__NODE_DEFINE_STMT ||
            n->define_stmt->kind != PG_QUERY__OBJECT_TYPE__OBJECT_OPERATOR)
            continue;
        const char *s, *o;
        if (ag_ast_qname(n->define_stmt->defnames, n->define_stmt->n_defnames,
                         &s, &o) != 0)
            continue;
        if (!s)
            s = ld_creation_schema(ld, &p->path, NULL);
        if (s && strcmp(s, schema) == 0 && strcmp(o, name) == 0)
            return true;
    }
    return false;
}

static const char *
resolve_name(void *vctx, bool is_operator, const char *name)
{
    resolve_ctx *c = vctx;
    for (size_t i = 0; i < c->path->n; i++) {
        const char *s = c->path->schemas[i];
        if (is_operator ? operator_declared(c->ld, s, name)
                        : declared(c->ld->cat, AG_KIND_FUNCTION, s, name))
            return s;
    }
    return NULL; /* a built-in */
}

void
ld_resolve_defs(ag_loader *ld)
{
    for (size_t i = 0; i < ld->npend; i++) {
        const ld_pending *p = &ld->pend[i];
        if (p->kind != PEND_DEFINE)
            continue;
        const char *schema = ld_creation_schema(ld, &p->path, NULL);
        resolve_ctx rc = {ld, &p->path};
        ag_def d;
        ag_kind kind;
        ag_error err;
        ag_node *n = p->node;
        const char *what =
            n->node_case == PG_QUERY__NODE__NODE_CREATE_CAST_STMT
                ? "CREATE CAST"
            : n->define_stmt->kind == PG_QUERY__OBJECT_TYPE__OBJECT_AGGREGATE
                ? "CREATE AGGREGATE"
                : "CREATE OPERATOR";
        if (ag_canon_def_node(ld->cat, n, schema ? schema : "public",
                              resolve_name, &rc, &d, &kind, &err) != 0) {
            ld_error(ld, p->pos, "%s: %s", what, err.msg);
            continue;
        }
        d.obj.loc = ld_srcloc(p->pos);
        ag_object *old =
            ag_catalog_find(ld->cat, kind, d.obj.name.schema, d.obj.name.name);
        bool replace = n->node_case == PG_QUERY__NODE__NODE_DEFINE_STMT &&
                       n->define_stmt->replace;
        if (old && !replace) {
            ld_error(ld, p->pos, "%s %s is declared twice (first at %s:%d)",
                     ag_kind_name(kind), d.target,
                     old->loc.file ? old->loc.file : "?", old->loc.line);
            continue;
        }
        if (old)
            ag_catalog_remove(ld->cat, old);
        ag_canon_def_add(ld->cat, kind, &d);
    }
}

/* Has the model declared anything called (schema, name) so far, of any
 * kind (functions and aggregates by their bare name)? */
static bool
declared_any(ag_loader *ld, const char *schema, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < ld->cat->nobjs; i++) {
        const ag_object *o = ld->cat->objs[i];
        if (!o || (schema && strcmp(o->name.schema, schema) != 0))
            continue;
        if (strcmp(o->name.name, name) == 0 ||
            (strncmp(o->name.name, name, len) == 0 && o->name.name[len] == '('))
            return true;
    }
    /* Aggregates and operators wait in the pending list. */
    for (size_t i = 0; i < ld->npend; i++) {
        ag_node *n = ld->pend[i].node;
        if (ld->pend[i].kind != PEND_DEFINE ||
            n->node_case != PG_QUERY__NODE__NODE_DEFINE_STMT)
            continue;
        const char *s, *o;
        if (ag_ast_qname(n->define_stmt->defnames, n->define_stmt->n_defnames,
                         &s, &o) == 0 &&
            strcmp(o, name) == 0 && (!schema || !s || strcmp(s, schema) == 0))
            return true;
    }
    return false;
}

bool
ld_drop_if_exists_noop(ag_loader *ld, PgQuery__DropStmt *s)
{
    if (!s->missing_ok)
        return false;
    for (size_t i = 0; i < s->n_objects; i++) {
        ag_node *o = s->objects[i];
        ag_node *const *items = NULL;
        size_t n = 0;
        if (o->node_case == PG_QUERY__NODE__NODE_LIST) {
            items = o->list->items;
            n = o->list->n_items;
        } else if (o->node_case == PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS) {
            items = o->object_with_args->objname;
            n = o->object_with_args->n_objname;
        } else if (o->node_case == PG_QUERY__NODE__NODE_TYPE_NAME) {
            items = o->type_name->names;
            n = o->type_name->n_names;
        } else if (o->node_case == PG_QUERY__NODE__NODE_STRING) {
            items = &s->objects[i];
            n = 1;
        }
        const char *schema, *name;
        if (!items || ag_ast_qname(items, n, &schema, &name) != 0)
            return false;
        if (declared_any(ld, schema, name))
            return false;
    }
    return true;
}
