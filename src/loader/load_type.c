/*
 * load_type.c - CREATE DOMAIN and CREATE TYPE ... AS (...) (composite).
 *
 * Both are read at once; only an unqualified user type naming their base
 * type or an attribute type waits for resolve.c (PEND_COLUMN_TYPE with
 * `obj` set), as column types do.  Unnamed domain CHECKs get the name
 * PostgreSQL's domainAddConstraint gives them: ChooseConstraintName
 * (domain, NULL, "check"), numbered while the name is taken in the schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/ident.h"
#include "loader_int.h"

/* COLLATE x as the introspector prints it (quote_ident(schema) . name),
 * NULL for "default". */
static const char *
collation(ag_loader *ld, const PgQuery__CollateClause *cc)
{
    const char *cs, *cn;
    if (!cc || ag_ast_qname(cc->collname, cc->n_collname, &cs, &cn) < 0 ||
        (!cs && strcmp(cn, "default") == 0))
        return NULL;
    ag_buf b;
    ag_buf_init(&b);
    ag_quote_ident(&b, cs ? cs : "pg_catalog");
    ag_buf_putc(&b, '.');
    ag_quote_ident(&b, cn);
    const char *out = ag_arena_strdup(&ld->cat->arena, b.data);
    ag_buf_free(&b);
    return out;
}

/* Is `name` a constraint name already used in `schema`: by a table's
 * constraint, or by a check of a domain declared so far (`self` included,
 * its first `nself` checks)? */
static bool
domain_conname_taken(ag_loader *ld, const char *schema, const ag_domain *self,
                     size_t nself, const char *name)
{
    if (ag_catalog_conname_taken(ld->cat, schema, name))
        return true;
    for (size_t i = 0; i < nself; i++)
        if (strcmp(self->checks[i].name, name) == 0)
            return true;
    for (size_t i = 0; i < ld->cat->nobjs; i++) {
        const ag_object *o = ld->cat->objs[i];
        if (!o || o->kind != AG_KIND_DOMAIN || o == &self->obj ||
            strcmp(o->name.schema, schema) != 0)
            continue;
        const ag_domain *d = (const ag_domain *)o;
        for (size_t k = 0; k < d->nchecks; k++)
            if (strcmp(d->checks[k].name, name) == 0)
                return true;
    }
    return false;
}

static const char *
domain_check_name(ag_loader *ld, const ag_domain *d)
{
    char label[32];
    snprintf(label, sizeof label, "check");
    for (int pass = 1;; pass++) {
        const char *name =
            ld_make_object_name(&ld->cat->arena, d->obj.name.name, NULL, label);
        if (!domain_conname_taken(ld, d->obj.name.schema, d, d->nchecks, name))
            return name;
        snprintf(label, sizeof label, "check%d", pass);
    }
}

static int
cmp_check(const void *a, const void *b)
{
    return strcmp(((const ag_domain_check *)a)->name,
                  ((const ag_domain_check *)b)->name);
}

/* The base type or an attribute type, canonical; an unqualified user type
 * is resolved once every file is in.  Returns NULL after an error. */
static const char *
type_of(ag_loader *ld, ld_pos pos, ag_object *obj, const char *attr,
        PgQuery__TypeName *tn)
{
    const char *type = NULL;
    int serial = 0;
    ag_error err;
    if (ag_ast_type_canon(&ld->cat->arena, tn, obj->name.schema, &type, &serial,
                          &err) != 0) {
        ld_error(ld, ld_at(pos, tn->location), "%s", err.msg);
        return NULL;
    }
    if (serial) {
        ld_error(ld, ld_at(pos, tn->location),
                 "serial types are only valid for table columns");
        return NULL;
    }
    if (tn->n_names == 1 && strchr(type, '.')) {
        ld_defer(ld, PEND_COLUMN_TYPE, pos, NULL, attr, tn, 0);
        ld->pend[ld->npend - 1].obj = obj;
    }
    return type;
}

static void
domain_constraint(ag_loader *ld, ld_pos pos, ag_domain *d,
                  PgQuery__Constraint *c)
{
    ld_pos cpos = ld_at(pos, c->location);
    const char *schema = d->obj.name.schema;
    ag_error err;
    switch (c->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
        d->notnull = true;
        return;
    case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
        d->notnull = false;
        return;
    case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
        if (ag_canon_expr_node(ld->cat, ld_ast(ld, pos), &c->raw_expr, schema,
                               &d->default_expr, &err) != 0)
            ld_error(ld, cpos, "default: %s", err.msg);
        return;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: {
        const char *name = c->conname && *c->conname
                               ? ag_arena_strdup(&ld->cat->arena, c->conname)
                               : domain_check_name(ld, d);
        for (size_t i = 0; i < d->nchecks; i++)
            if (strcmp(d->checks[i].name, name) == 0) {
                ld_error(ld, cpos,
                         "constraint \"%s\" for domain %s.%s "
                         "already exists",
                         name, schema, d->obj.name.name);
                return;
            }
        ag_constraint tmp = {0};
        tmp.obj.name.schema = schema;
        tmp.obj.name.name = name;
        tmp.table = d->obj.name.name;
        if (ag_canon_constraint_node(ld->cat, ld_ast(ld, pos), c, &tmp, schema,
                                     &err) != 0) {
            ld_error(ld, cpos, "check %s: %s", name, err.msg);
            return;
        }
        d->checks[d->nchecks].name = name;
        d->checks[d->nchecks++].def = tmp.def;
        return;
    }
    default:
        ld_error(ld, cpos, "this kind of domain constraint is not valid");
        return;
    }
}

void
ld_create_domain(ag_loader *ld, ld_pos pos, PgQuery__CreateDomainStmt *s)
{
    const char *schema, *name;
    if (ag_ast_qname(s->domainname, s->n_domainname, &schema, &name) < 0) {
        ld_error(ld, pos, "malformed domain name");
        return;
    }
    schema = ld_creation_schema(ld, &ld->path, schema);
    if (ag_catalog_find(ld->cat, AG_KIND_ENUM, schema, name) ||
        ag_catalog_find(ld->cat, AG_KIND_COMPOSITE, schema, name)) {
        ld_error(ld, pos, "type %s.%s is declared twice", schema, name);
        return;
    }
    ag_domain *d =
        ag_catalog_add(ld->cat, AG_KIND_DOMAIN, schema, name, sizeof *d);
    if (!d) {
        ld_error(ld, pos, "type %s.%s is declared twice", schema, name);
        return;
    }
    d->obj.loc = ld_srcloc(pos);
    d->type = type_of(ld, pos, &d->obj, NULL, s->type_name);
    if (!d->type)
        d->type = "?";
    d->collation = collation(ld, s->coll_clause);
    d->checks = ag_arena_alloc(&ld->cat->arena,
                               (s->n_constraints + 1) * sizeof *d->checks);
    for (size_t i = 0; i < s->n_constraints; i++)
        if (s->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
            domain_constraint(ld, pos, d, s->constraints[i]->constraint);
    qsort(d->checks, d->nchecks, sizeof *d->checks, cmp_check);
}

void
ld_create_composite(ag_loader *ld, ld_pos pos, PgQuery__CompositeTypeStmt *s)
{
    const char *schema =
        ld_creation_schema(ld, &ld->path, s->typevar->schemaname);
    const char *name = s->typevar->relname;
    if (ag_catalog_find(ld->cat, AG_KIND_ENUM, schema, name) ||
        ag_catalog_find(ld->cat, AG_KIND_DOMAIN, schema, name)) {
        ld_error(ld, pos, "type %s.%s is declared twice", schema, name);
        return;
    }
    ag_composite *t =
        ag_catalog_add(ld->cat, AG_KIND_COMPOSITE, schema, name, sizeof *t);
    if (!t) {
        ld_error(ld, pos, "type %s.%s is declared twice", schema, name);
        return;
    }
    t->obj.loc = ld_srcloc(pos);
    /* Allocated once at full size: deferred type resolution finds the
     * attributes by name later, the array never moves. */
    t->attrs = ag_arena_alloc(&ld->cat->arena,
                              (s->n_coldeflist + 1) * sizeof *t->attrs);
    for (size_t i = 0; i < s->n_coldeflist; i++) {
        if (s->coldeflist[i]->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
            continue;
        PgQuery__ColumnDef *cd = s->coldeflist[i]->column_def;
        ld_pos cpos = ld_at(pos, cd->location);
        bool dup = false;
        for (size_t k = 0; k < t->nattrs && !dup; k++)
            dup = strcmp(t->attrs[k].name, cd->colname) == 0;
        if (dup || !cd->type_name) {
            ld_error(ld, cpos, "attribute %s of type %s.%s is %s", cd->colname,
                     schema, name, dup ? "declared twice" : "missing its type");
            continue;
        }
        ag_column *a = &t->attrs[t->nattrs++];
        a->name = ag_arena_strdup(&ld->cat->arena, cd->colname);
        a->loc = ld_srcloc(cpos);
        a->type = type_of(ld, cpos, &t->obj, a->name, cd->type_name);
        if (!a->type)
            a->type = "?";
        a->collation = collation(ld, cd->coll_clause);
    }
}
