/*
 * load_view.c - CREATE [OR REPLACE] VIEW and CREATE MATERIALIZED VIEW in
 * models.
 *
 * The query is kept as written (deparsed, with the search_path in force),
 * because only the server can say how it reads: pg_get_viewdef expands
 * `SELECT *`, adds casts and qualifies columns.  The dev database
 * (devdb.h) runs these statements and puts the server's canonical text,
 * columns and dependencies in place of it.  What the loader does find
 * itself is which model views and tables a view names (RangeVars in its
 * query, resolved along the search_path once every file is in), so the
 * dev database's own script creates views after the views they read.
 */
#include <stdlib.h>
#include <string.h>

#include "loader_int.h"

#include "autogen/ident.h"

/* "public, app": the current search_path as SQL, for SET search_path. */
static const char *
path_sql(ag_loader *ld)
{
    ag_buf b;
    ag_buf_init(&b);
    for (size_t i = 0; i < ld->path.n; i++) {
        if (i)
            ag_buf_put(&b, ", ");
        ag_quote_ident(&b, ld->path.schemas[i]);
    }
    if (!ld->path.n)
        ag_buf_put(&b, "''");
    const char *s = ag_arena_strdup(&ld->cat->arena, b.data);
    ag_buf_free(&b);
    return s;
}

/* A reloption's value as a boolean (`security_barrier` alone is true). */
static bool
option_true(const PgQuery__DefElem *d)
{
    const ag_node *a = d->arg;
    if (!a)
        return true;
    const char *s = ag_ast_str(a);
    if (a->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
        return a->boolean->boolval;
    if (a->node_case == PG_QUERY__NODE__NODE_INTEGER)
        return a->integer->ival != 0;
    return s && (strcmp(s, "true") == 0 || strcmp(s, "on") == 0 ||
                 strcmp(s, "1") == 0 || strcmp(s, "yes") == 0);
}

static int
view_options(ag_loader *ld, ld_pos pos, ag_view *v, ag_node **opts,
             size_t nopts)
{
    for (size_t i = 0; i < nopts; i++) {
        if (opts[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
            continue;
        const PgQuery__DefElem *d = opts[i]->def_elem;
        if (strcmp(d->defname, "security_barrier") == 0) {
            v->security_barrier = option_true(d);
        } else if (strcmp(d->defname, "security_invoker") == 0) {
            v->security_invoker = option_true(d);
        } else if (strcmp(d->defname, "check_option") == 0) {
            const char *s = d->arg ? ag_ast_str(d->arg) : NULL;
            if (!s || (strcmp(s, "local") != 0 && strcmp(s, "cascaded") != 0)) {
                ld_error(ld, pos, "check_option must be local or cascaded");
                return -1;
            }
            v->check_option = ag_arena_strdup(&ld->cat->arena, s);
        } else if (!v->materialized) {
            ld_error(ld, pos, "view option %s is not managed by autogen yet",
                     d->defname);
            return -1;
        } else {
            ld_warn(ld, pos,
                    "storage option %s of a materialized view is not "
                    "managed; ignored",
                    d->defname);
        }
    }
    return 0;
}

/* ---- relations named in the query ---- */

typedef struct rv_list {
    ag_arena *arena;
    ag_qname *names; /* schema NULL when unqualified */
    size_t n;
} rv_list;

/* Every RangeVar below m, through the protobuf-c descriptors (a Node's
 * oneof: only the member that is set). */
static void
collect_rangevars(const ProtobufCMessage *m, rv_list *out)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pg_query__range_var__descriptor) {
        const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;
        out->names =
            ag_arena_grow(out->arena, out->names, out->n, sizeof *out->names);
        out->names[out->n++] = (ag_qname){
            *rv->schemaname ? ag_arena_strdup(out->arena, rv->schemaname)
                            : NULL,
            ag_arena_strdup(out->arena, rv->relname)};
        return;
    }
    const char *base = (const char *)m;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            if (*(const uint32_t *)(base + f->quantifier_offset) != f->id)
                continue;
        }
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(base + f->quantifier_offset);
            ProtobufCMessage *const *arr =
                *(ProtobufCMessage *const *const *)(base + f->offset);
            for (size_t k = 0; k < n; k++)
                if (arr[k])
                    collect_rangevars(arr[k], out);
        } else {
            const ProtobufCMessage *sub =
                *(const ProtobufCMessage *const *)(base + f->offset);
            if (sub)
                collect_rangevars(sub, out);
        }
    }
}

/* Names, aliases, options and query: what both statements share.  Returns
 * the view, or NULL after a diagnostic. */
static ag_view *
add_view(ag_loader *ld, ld_pos pos, const PgQuery__RangeVar *rel,
         bool materialized, bool replace, ag_node **aliases, size_t naliases,
         ag_node **opts, size_t nopts, ag_node *query)
{
    const char *what = materialized ? "materialized view" : "view";
    if (rel->relpersistence && *rel->relpersistence == 't') {
        ld_error(ld, pos, "a temporary %s cannot be part of a schema", what);
        return NULL;
    }
    const char *schema = ld_creation_schema(ld, &ld->path, rel->schemaname);
    if (!schema)
        schema = "public";
    ag_view *old = ag_catalog_view(ld->cat, schema, rel->relname);
    const char *comment = NULL;
    if (old) {
        if (!replace || old->materialized || materialized) {
            ld_error(ld, pos, "%s %s.%s is declared twice (first at %s:%d)",
                     what, schema, rel->relname,
                     old->obj.loc.file ? old->obj.loc.file : "?",
                     old->obj.loc.line);
            return NULL;
        }
        /* OR REPLACE: the last declaration wins, as when the file runs. */
        comment = old->obj.comment;
        ag_catalog_remove(ld->cat, &old->obj);
    } else if (ag_catalog_relname_taken(ld->cat, schema, rel->relname)) {
        ld_error(ld, pos, "relation %s.%s already exists", schema,
                 rel->relname);
        return NULL;
    }
    ag_view *v =
        ag_catalog_add(ld->cat, AG_KIND_VIEW, schema, rel->relname, sizeof *v);
    v->obj.loc = ld_srcloc(pos);
    v->obj.comment = comment;
    v->materialized = materialized;
    v->populated = true;
    v->search_path = path_sql(ld);
    if (view_options(ld, pos, v, opts, nopts) != 0)
        return NULL;
    if (naliases) {
        v->cols = ag_arena_alloc(&ld->cat->arena, naliases * sizeof *v->cols);
        for (size_t i = 0; i < naliases; i++)
            v->cols[i].name =
                ag_arena_strdup(&ld->cat->arena, ag_ast_str(aliases[i]));
        v->ncols = naliases;
        v->aliased = true;
    }
    ag_ast *ast = ld_ast(ld, pos);
    char *sql = NULL;
    ag_error err;
    if (ag_ast_deparse(ag_ast_wrap(ast, query), &sql, &err) != 0) {
        ld_error(ld, pos, "CREATE %s: %s",
                 materialized ? "MATERIALIZED VIEW" : "VIEW", err.msg);
        return NULL;
    }
    v->def = ag_arena_strdup(&ld->cat->arena, sql);
    free(sql);
    rv_list rl = {&ld->cat->arena, NULL, 0};
    collect_rangevars(&query->base, &rl);
    /* Kept unresolved (kind 0) until ld_resolve_views. */
    v->deps = ag_arena_alloc(&ld->cat->arena, (rl.n + 1) * sizeof *v->deps);
    for (size_t i = 0; i < rl.n; i++)
        v->deps[i].name = rl.names[i];
    v->ndeps = rl.n;
    ld_defer(ld, PEND_VIEW, pos, NULL, NULL, v, 0);
    return v;
}

void
ld_create_view(ag_loader *ld, ld_pos pos, PgQuery__ViewStmt *s)
{
    ag_view *v = add_view(ld, pos, s->view, false, s->replace, s->aliases,
                          s->n_aliases, s->options, s->n_options, s->query);
    if (!v)
        return;
    if (s->with_check_option == PG_QUERY__VIEW_CHECK_OPTION__LOCAL_CHECK_OPTION)
        v->check_option = "local";
    else if (s->with_check_option ==
             PG_QUERY__VIEW_CHECK_OPTION__CASCADED_CHECK_OPTION)
        v->check_option = "cascaded";
}

/*
 * CREATE TABLE AS (PostgREST's `create table some_numbers as select ...`):
 * a table whose columns only the server can tell (the query's output).  It
 * is declared with no columns and its statement kept, run WITH NO DATA in
 * the dev database, which gives it its columns (devdb.c); from then on it
 * is an ordinary table, and a migration creates it empty with those
 * columns.
 */
void
ld_create_table_as(ag_loader *ld, ld_pos pos, PgQuery__CreateTableAsStmt *s)
{
    PgQuery__RangeVar *rel = s->into->rel;
    if (rel->relpersistence && *rel->relpersistence == 't') {
        ld_error(ld, pos, "temporary tables cannot be part of a model");
        return;
    }
    const char *schema = ld_creation_schema(ld, &ld->path, rel->schemaname);
    if (!schema) {
        ld_error(ld, pos, "no schema has been selected to create in");
        return;
    }
    if (ag_catalog_relname_taken(ld->cat, schema, rel->relname)) {
        if (!s->if_not_exists)
            ld_error(ld, pos, "relation %s.%s already exists", schema,
                     rel->relname);
        return;
    }
    ag_table *t =
        ag_catalog_add(ld->cat, AG_KIND_TABLE, schema, rel->relname, sizeof *t);
    t->obj.loc = ld_srcloc(pos);
    t->persistence =
        rel->relpersistence && *rel->relpersistence == 'u' ? 'u' : 'p';
    /* Deparse it schema-qualified and without data; put the node back. */
    char *saved_schema = rel->schemaname;
    bool saved_skip = s->into->skip_data, saved_ine = s->if_not_exists;
    rel->schemaname = (char *)schema;
    s->into->skip_data = true;
    s->if_not_exists = false;
    ag_ast *ast = ld_ast(ld, pos);
    char *sql = NULL;
    ag_error err;
    int rc = ag_ast_deparse(
        ag_ast_wrap(
            ast,
            ag_ast_node(ast, PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT, s)),
        &sql, &err);
    rel->schemaname = saved_schema;
    s->into->skip_data = saved_skip;
    s->if_not_exists = saved_ine;
    if (rc != 0) {
        ld_error(ld, pos, "CREATE TABLE AS: %s", err.msg);
        ag_catalog_remove(ld->cat, &t->obj);
        return;
    }
    t->as_sql = ag_arena_strdup(&ld->cat->arena, sql);
    free(sql);
    t->as_search_path = path_sql(ld);
}

void
ld_create_matview(ag_loader *ld, ld_pos pos, PgQuery__CreateTableAsStmt *s)
{
    if (s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW) {
        ld_create_table_as(ld, pos, s);
        return;
    }
    PgQuery__IntoClause *into = s->into;
    ag_view *v =
        add_view(ld, pos, into->rel, true, false, into->col_names,
                 into->n_col_names, into->options, into->n_options, s->query);
    if (v)
        v->populated = !into->skip_data;
}

/* The RangeVars of each view resolved along the search_path of its
 * statement: a model view, else a model table; names that are neither
 * (CTEs, catalogs) are dropped.  Once every file is in. */
void
ld_resolve_views(ag_loader *ld)
{
    for (size_t i = 0; i < ld->npend; i++) {
        const ld_pending *p = &ld->pend[i];
        if (p->kind != PEND_VIEW)
            continue;
        ag_view *v = p->node;
        size_t kept = 0;
        for (size_t k = 0; k < v->ndeps; k++) {
            ag_qname n = v->deps[k].name;
            ag_kind kind = AG_KIND_VIEW;
            const char *found = NULL;
            for (size_t s = 0; !found && s < (n.schema ? 1 : p->path.n); s++) {
                const char *sch = n.schema ? n.schema : p->path.schemas[s];
                if (ag_catalog_view(ld->cat, sch, n.name))
                    found = sch, kind = AG_KIND_VIEW;
                else if (ag_catalog_table(ld->cat, sch, n.name))
                    found = sch, kind = AG_KIND_TABLE;
            }
            if (!found)
                continue;
            v->deps[kept++] = (ag_viewdep){kind, {found, n.name}, NULL};
        }
        v->ndeps = kept;
    }
}

/* A model view or materialized view by a possibly unqualified name. */
ag_view *
ld_find_view(ag_loader *ld, const ld_search_path *path, const char *schema,
             const char *name)
{
    if (schema && *schema)
        return ag_catalog_view(ld->cat, schema, name);
    for (size_t i = 0; i < path->n; i++) {
        ag_view *v = ag_catalog_view(ld->cat, path->schemas[i], name);
        if (v)
            return v;
    }
    return NULL;
}
