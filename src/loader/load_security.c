/*
 * load_security.c - row-level security, policies, a trigger's enabled
 * state, event triggers, publications, and COMMENT ON the kinds that have
 * no other home (schemas, extensions, policies, event triggers,
 * publications, domain constraints).
 *
 * Everything but the RLS switches waits for the whole model
 * (ld_resolve_security, after triggers are in): a policy needs its table,
 * an event trigger its function, a publication its tables, an ENABLE
 * TRIGGER its trigger, from any file.  Publications are read by
 * load_publication.c.  Deferred statements keep their
 * wrapping Node so the resolver can tell them apart.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "loader_int.h"

/* What template1 says about public in PostgreSQL 15 (and every version
 * since 8): a model that says nothing about public's comment means this. */
const char ld_public_comment[] = "standard public schema";

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void
ld_security_stmt(ag_loader *ld, ld_pos pos, ag_node *n)
{
    ld_defer(ld, PEND_SECURITY, pos, NULL, NULL, n, 0);
}

void
ld_table_security(ag_loader *ld, ld_pos pos, ag_table *tbl, ag_node *cmdnode)
{
    PgQuery__AlterTableCmd *cmd = cmdnode->alter_table_cmd;
    switch (cmd->subtype) {
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity:
        tbl->rls = true;
        return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity:
        tbl->rls = false;
        return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity:
        tbl->rls_forced = true;
        return;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity:
        tbl->rls_forced = false;
        return;
    default: /* ENABLE/DISABLE [ALWAYS|REPLICA] TRIGGER: once triggers are in */
        ld_defer(ld, PEND_SECURITY, pos, tbl, NULL, cmdnode, 0);
        return;
    }
}

/* ---- policies ---- */

static char
policy_cmd(const char *word)
{
    if (!word || strcmp(word, "all") == 0)
        return '*';
    if (strcmp(word, "select") == 0)
        return 'r';
    if (strcmp(word, "insert") == 0)
        return 'a';
    if (strcmp(word, "update") == 0)
        return 'w';
    if (strcmp(word, "delete") == 0)
        return 'd';
    return 0;
}

/* Sorted role names, "public" alone when PUBLIC is among them (PostgreSQL
 * ignores the others then) or none are given.  false on CURRENT_USER and
 * the like, whose meaning depends on who runs the migration. */
static bool
policy_roles(ag_loader *ld, ag_policy *p, ag_node **roles, size_t n)
{
    p->roles = ag_arena_alloc(&ld->cat->arena, (n + 1) * sizeof *p->roles);
    p->nroles = 0;
    bool pub = n == 0;
    for (size_t i = 0; i < n; i++) {
        if (roles[i]->node_case != PG_QUERY__NODE__NODE_ROLE_SPEC)
            return false;
        PgQuery__RoleSpec *r = roles[i]->role_spec;
        if (r->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC)
            pub = true;
        else if (r->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING)
            p->roles[p->nroles++] =
                ag_arena_strdup(&ld->cat->arena, r->rolename);
        else
            return false;
    }
    if (pub) {
        p->roles[0] = "public";
        p->nroles = 1;
    } else if (p->nroles > 1) {
        qsort(p->roles, p->nroles, sizeof *p->roles, cmp_str);
    }
    return true;
}

static void
resolve_policy(ag_loader *ld, const ld_pending *p, PgQuery__CreatePolicyStmt *s)
{
    const char *schema;
    ag_table *tbl = ld_find_table_rv(ld, &p->path, s->table);
    if (!tbl) {
        ld_find_table(ld, &p->path, s->table->schemaname, s->table->relname,
                      &schema);
        ld_error(ld, p->pos,
                 "CREATE POLICY %s: table %s.%s is not declared in the models",
                 s->policy_name, schema, s->table->relname);
        return;
    }
    schema = tbl->obj.name.schema;
    ag_policy *pol = ag_catalog_add_policy(ld->cat, schema, tbl->obj.name.name,
                                           s->policy_name);
    if (!pol) {
        ld_error(ld, p->pos, "policy %s on %s.%s is declared twice",
                 s->policy_name, schema, tbl->obj.name.name);
        return;
    }
    pol->obj.loc = ld_srcloc(p->pos);
    pol->permissive = s->permissive;
    pol->cmd = policy_cmd(s->cmd_name);
    if (!pol->cmd || !policy_roles(ld, pol, s->roles, s->n_roles)) {
        ld_error(ld, p->pos,
                 "CREATE POLICY %s: %s is not managed by autogen yet",
                 s->policy_name,
                 pol->cmd ? "CURRENT_USER / SESSION_USER / CURRENT_ROLE"
                          : "this command");
        ag_catalog_remove(ld->cat, &pol->obj);
        return;
    }
    ag_ast *ast = ld_ast(ld, p->pos);
    ag_error err;
    if ((s->qual && ag_canon_expr_node(ld->cat, ast, &s->qual, schema,
                                       &pol->using_expr, &err) != 0) ||
        (s->with_check &&
         ag_canon_expr_node(ld->cat, ast, &s->with_check, schema,
                            &pol->check_expr, &err) != 0)) {
        ld_error(ld, p->pos, "CREATE POLICY %s: %s", s->policy_name, err.msg);
        ag_catalog_remove(ld->cat, &pol->obj);
    }
}

/* ---- trigger enabled state ---- */

static void
resolve_trigger_state(ag_loader *ld, const ld_pending *p)
{
    PgQuery__AlterTableCmd *cmd = ((ag_node *)p->node)->alter_table_cmd;
    char state;
    switch (cmd->subtype) {
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
        state = 'O';
        break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
        state = 'A';
        break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
        state = 'R';
        break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
        state = 'D';
        break;
    default:
        ld_error(ld, p->pos,
                 "this ALTER TABLE form cannot be part of a model: models "
                 "declare the desired state");
        return;
    }
    ag_trigger *t = ag_catalog_find_trigger(ld->cat, p->tbl->obj.name.schema,
                                            p->tbl->obj.name.name, cmd->name);
    if (!t) {
        ld_error(ld, p->pos,
                 "trigger %s on %s.%s is not declared in the models", cmd->name,
                 p->tbl->obj.name.schema, p->tbl->obj.name.name);
        return;
    }
    t->enabled = state;
}

/* ---- event triggers ---- */

/* Schema of a function without arguments, as PostgreSQL finds it along
 * the path: a model function, else the first schema of the path. */
static const char *
function_schema(ag_loader *ld, const ld_search_path *path, const char *name)
{
    const char *key = ag_arena_sprintf(&ld->cat->arena, "%s()", name);
    for (size_t i = 0; i < path->n; i++)
        if (ag_catalog_find(ld->cat, AG_KIND_FUNCTION, path->schemas[i], key))
            return path->schemas[i];
    return path->n ? path->schemas[0] : "public";
}

static void
resolve_event_trigger(ag_loader *ld, const ld_pending *p,
                      PgQuery__CreateEventTrigStmt *s)
{
    ag_event_trigger *e = ag_catalog_add(ld->cat, AG_KIND_EVENT_TRIGGER, "",
                                         s->trigname, sizeof *e);
    if (!e) {
        ld_error(ld, p->pos, "event trigger %s is declared twice", s->trigname);
        return;
    }
    e->obj.loc = ld_srcloc(p->pos);
    e->event = ag_arena_strdup(&ld->cat->arena, s->eventname);
    e->enabled = 'O';
    const char *fschema, *fname;
    if (ag_ast_qname(s->funcname, s->n_funcname, &fschema, &fname) < 0) {
        ld_error(ld, p->pos, "CREATE EVENT TRIGGER %s: malformed function name",
                 s->trigname);
        return;
    }
    e->func.schema = ag_arena_strdup(
        &ld->cat->arena,
        fschema ? fschema : function_schema(ld, &p->path, fname));
    e->func.name = ag_arena_strdup(&ld->cat->arena, fname);
    for (size_t i = 0; i < s->n_whenclause; i++) {
        PgQuery__DefElem *d = s->whenclause[i]->def_elem;
        if (strcmp(d->defname, "tag") != 0 || !d->arg ||
            d->arg->node_case != PG_QUERY__NODE__NODE_LIST) {
            ld_error(ld, p->pos,
                     "CREATE EVENT TRIGGER %s: WHEN %s is not "
                     "managed by autogen yet",
                     s->trigname, d->defname);
            continue;
        }
        PgQuery__List *l = d->arg->list;
        e->tags =
            ag_arena_alloc(&ld->cat->arena, (l->n_items + 1) * sizeof *e->tags);
        for (size_t k = 0; k < l->n_items; k++) {
            /* PostgreSQL stores tags upper-cased. */
            char *t = ag_arena_strdup(&ld->cat->arena, ag_ast_str(l->items[k]));
            for (char *c = t; c && *c; c++)
                *c = (char)toupper((unsigned char)*c);
            e->tags[e->ntags++] = t;
        }
    }
}

static void
resolve_event_trigger_state(ag_loader *ld, const ld_pending *p,
                            PgQuery__AlterEventTrigStmt *s)
{
    ag_event_trigger *e = (ag_event_trigger *)ag_catalog_find(
        ld->cat, AG_KIND_EVENT_TRIGGER, "", s->trigname);
    if (!e) {
        ld_error(ld, p->pos, "event trigger %s is not declared in the models",
                 s->trigname);
        return;
    }
    e->enabled = s->tgenabled && *s->tgenabled ? s->tgenabled[0] : 'O';
}

/* ---- comments ---- */

static const char *
comment_text(ag_loader *ld, const PgQuery__CommentStmt *s)
{
    return s->comment && *s->comment
               ? ag_arena_strdup(&ld->cat->arena, s->comment)
               : NULL;
}

static void
resolve_comment(ag_loader *ld, const ld_pending *p, PgQuery__CommentStmt *s)
{
    ag_node *obj = s->object;
    const char *name = ag_ast_str(obj);
    ag_object *target = NULL;
    switch (s->objtype) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
        target =
            name ? ag_catalog_find(ld->cat, AG_KIND_SCHEMA, "", name) : NULL;
        break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
        /* plpgsql is in every database and not managed (no model creates
         * it), but pg_dump writes its comment: the stock text is accepted
         * as it is, another one is ignored with a warning. */
        if (name && strcmp(name, "plpgsql") == 0) {
            if (s->comment &&
                strcmp(s->comment, "PL/pgSQL procedural language") != 0)
                ld_warn(ld, p->pos,
                        "the comment on extension plpgsql is not managed "
                        "(plpgsql is built in); ignored");
            return;
        }
        target =
            name ? ag_catalog_find(ld->cat, AG_KIND_EXTENSION, "", name) : NULL;
        break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_EVENT_TRIGGER:
        target = name
                     ? ag_catalog_find(ld->cat, AG_KIND_EVENT_TRIGGER, "", name)
                     : NULL;
        break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_PUBLICATION:
        target = name ? ag_catalog_find(ld->cat, AG_KIND_PUBLICATION, "", name)
                      : NULL;
        break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY: {
        if (!obj || obj->node_case != PG_QUERY__NODE__NODE_LIST ||
            obj->list->n_items < 2)
            break;
        ag_node **items = obj->list->items;
        size_t n = obj->list->n_items;
        const char *pol = ag_ast_str(items[n - 1]);
        const char *table = ag_ast_str(items[n - 2]);
        const char *schema = n >= 3 ? ag_ast_str(items[n - 3]) : NULL;
        const char *found;
        ag_table *tbl = ld_find_table(ld, &p->path, schema, table, &found);
        ag_policy *pp = tbl && pol
                            ? ag_catalog_find_policy(ld->cat, found,
                                                     tbl->obj.name.name, pol)
                            : NULL;
        target = pp ? &pp->obj : NULL;
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMCONSTRAINT: {
        /* (TypeName domain, String constraint) */
        if (!obj || obj->node_case != PG_QUERY__NODE__NODE_LIST ||
            obj->list->n_items != 2 ||
            obj->list->items[0]->node_case != PG_QUERY__NODE__NODE_TYPE_NAME)
            break;
        PgQuery__TypeName *tn = obj->list->items[0]->type_name;
        const char *con = ag_ast_str(obj->list->items[1]);
        const char *schema, *dname;
        if (!con || ag_ast_qname(tn->names, tn->n_names, &schema, &dname) < 0)
            break;
        ag_domain *d = NULL;
        size_t ns = schema ? 1 : p->path.n;
        for (size_t i = 0; !d && i < ns; i++)
            d = (ag_domain *)ag_catalog_find(
                ld->cat, AG_KIND_DOMAIN, schema ? schema : p->path.schemas[i],
                dname);
        for (size_t i = 0; d && i < d->nchecks; i++)
            if (strcmp(d->checks[i].name, con) == 0) {
                d->checks[i].comment = comment_text(ld, s);
                return;
            }
        break;
    }
    default:
        ld_error(
            ld, p->pos,
            "COMMENT ON this kind of object is not managed by autogen yet");
        return;
    }
    if (!target) {
        ld_error(ld, p->pos, "COMMENT ON an object the models do not declare");
        return;
    }
    target->comment = comment_text(ld, s);
}

bool
ld_comment_attribute(ag_loader *ld, const ld_pending *p, const char *schema,
                     const char *type, const char *attr, const char *comment)
{
    size_t ns = schema ? 1 : p->path.n;
    for (size_t i = 0; i < ns; i++) {
        ag_composite *t = (ag_composite *)ag_catalog_find(
            ld->cat, AG_KIND_COMPOSITE, schema ? schema : p->path.schemas[i],
            type);
        for (size_t k = 0; t && k < t->nattrs; k++)
            if (strcmp(t->attrs[k].name, attr) == 0) {
                t->attrs[k].comment =
                    comment && *comment
                        ? ag_arena_strdup(&ld->cat->arena, comment)
                        : NULL;
                return true;
            }
    }
    return false;
}

/* ---- driver ---- */

static void
resolve_one(ag_loader *ld, const ld_pending *p, int pass)
{
    ag_node *n = p->node;
    int want;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
    case PG_QUERY__NODE__NODE_CREATE_EVENT_TRIG_STMT:
    case PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT:
        want = 0;
        break;
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
        want = 2;
        break;
    default:
        want = 1;
        break;
    }
    if (want != pass)
        return;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
        resolve_policy(ld, p, n->create_policy_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_EVENT_TRIG_STMT:
        resolve_event_trigger(ld, p, n->create_event_trig_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT:
        ld_resolve_publication(ld, p, n->create_publication_stmt);
        break;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_CMD:
        resolve_trigger_state(ld, p);
        break;
    case PG_QUERY__NODE__NODE_ALTER_EVENT_TRIG_STMT:
        resolve_event_trigger_state(ld, p, n->alter_event_trig_stmt);
        break;
    case PG_QUERY__NODE__NODE_ALTER_PUBLICATION_STMT:
        ld_resolve_alter_publication(ld, p, n->alter_publication_stmt);
        break;
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
        resolve_comment(ld, p, n->comment_stmt);
        break;
    case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT:
        ld_error(ld, p->pos,
                 "ALTER POLICY cannot be part of a model: declare the final "
                 "state in CREATE POLICY");
        break;
    default:
        break;
    }
}

void
ld_resolve_security(ag_loader *ld)
{
    /* Creations, then what refines them, then comments. */
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < ld->npend; i++)
            if (ld->pend[i].kind == PEND_SECURITY)
                resolve_one(ld, &ld->pend[i], pass);
}
