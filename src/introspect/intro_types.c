/*
 * intro_types.c - domains (with their CHECK constraints) and composite
 * types (with their attributes).
 *
 * One query each, one row per check / attribute (LEFT JOINs keep a domain
 * without checks and a composite without attributes as one row);
 * consecutive rows of the same type oid form one object.  Domain checks go
 * through the same canonical form as table checks (pg_get_constraintdef
 * parsed by canon.c); the default is pg_get_expr with no relation, which
 * is enough since a default names no column.  Table row types (typtype 'c'
 * with a relkind other than 'c') and extension members are left out.
 */
#include "intro.h"

#include <string.h>

#include "autogen/canon.h"

/* The collation when it differs from the type's own (c: collation oid
 * column, ty: the pg_type it is compared to). */
#define COLLATION_SQL(c, ty)                                                   \
    "CASE WHEN " c " <> 0 AND " c " <> " ty ".typcollation\n"                  \
    "     THEN pg_catalog.quote_ident(cn.nspname) || '.' ||\n"                 \
    "          pg_catalog.quote_ident(co.collname) END"

/* $1 = schema filter. */
static const char domains_sql[] =
    "SELECT t.oid, n.nspname, t.typname,\n"
    "       pg_catalog.format_type(t.typbasetype, t.typtypmod),\n"
    "       " COLLATION_SQL(
        "t.typcollation",
        "bt") ",\n"
              "       t.typnotnull, pg_catalog.pg_get_expr(t.typdefaultbin, "
              "0),\n"
              "       d.description, k.conname, "
              "pg_catalog.pg_get_constraintdef(k.oid),\n"
              "       pg_catalog.obj_description(k.oid, 'pg_constraint')\n"
              "FROM pg_catalog.pg_type t\n"
              "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n"
              "JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype\n"
              "LEFT JOIN pg_catalog.pg_collation co ON co.oid = "
              "t.typcollation\n"
              "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = "
              "co.collnamespace\n"
              "LEFT JOIN pg_catalog.pg_constraint k ON k.contypid = t.oid\n"
              "  AND k.contype = 'c'\n"
              "LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid\n"
              "  AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass\n"
              "  AND d.objsubid = 0\n"
              "WHERE t.typtype = 'd'\n"
              "  AND " AG_SQL_NS_IN_SCOPE(
                  "n") "\n"
                       "  AND NOT " AG_SQL_EXT_MEMBER(
                           "pg_type",
                           "t.oid") "\n"
                                    "ORDER BY n.nspname, t.typname, k.conname";

enum {
    D_OID,
    D_SCHEMA,
    D_NAME,
    D_TYPE,
    D_COLLATION,
    D_NOTNULL,
    D_DEFAULT,
    D_COMMENT,
    D_CONNAME,
    D_CONDEF,
    D_CONCOMMENT
};

/* Fill one domain from rows [i, end).  Returns 0 or AG_EPARSE. */
static int
domain_rows(ag_intro *s, PGresult *res, int i, int end, ag_error *err)
{
    ag_domain *d =
        ag_catalog_add(s->cat, AG_KIND_DOMAIN, PQgetvalue(res, i, D_SCHEMA),
                       PQgetvalue(res, i, D_NAME), sizeof *d);
    if (!d)
        return 0;
    d->type = ag_intro_dup(s, res, i, D_TYPE);
    d->collation = ag_intro_dup(s, res, i, D_COLLATION);
    d->notnull = ag_intro_bool(res, i, D_NOTNULL);
    d->obj.comment = ag_intro_dup(s, res, i, D_COMMENT);
    int rc = 0;
    if (!PQgetisnull(res, i, D_DEFAULT))
        rc = ag_canon_expr_text(s->cat, PQgetvalue(res, i, D_DEFAULT), "public",
                                &d->default_expr, err);
    d->checks =
        ag_arena_alloc(&s->cat->arena, (size_t)(end - i) * sizeof *d->checks);
    for (int r = i; rc == 0 && r < end; r++) {
        if (PQgetisnull(res, r, D_CONNAME))
            continue;
        ag_constraint tmp = {0};
        tmp.obj.name.schema = d->obj.name.schema;
        tmp.obj.name.name = ag_intro_dup(s, res, r, D_CONNAME);
        tmp.table = d->obj.name.name;
        rc = ag_canon_constraint_text(s->cat, &tmp,
                                      PQgetvalue(res, r, D_CONDEF), err);
        d->checks[d->nchecks].name = tmp.obj.name.name;
        d->checks[d->nchecks].comment = ag_intro_dup(s, res, r, D_CONCOMMENT);
        d->checks[d->nchecks++].def = tmp.def;
    }
    if (rc)
        ag_error_prefix(err, "introspecting domain %s.%s: ", d->obj.name.schema,
                        d->obj.name.name);
    return rc;
}

int
ag_intro_domains(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "domains", domains_sql, 1, &res, err);
    if (rc)
        return rc;
    int n = PQntuples(res);
    for (int i = 0; rc == 0 && i < n;) {
        uint32_t oid = ag_intro_oid(res, i, D_OID);
        int end = i + 1;
        while (end < n && ag_intro_oid(res, end, D_OID) == oid)
            end++;
        rc = domain_rows(s, res, i, end, err);
        i = end;
    }
    PQclear(res);
    return rc;
}

/* $1 = schema filter. */
static const char composites_sql[] =
    "SELECT t.oid, n.nspname, t.typname, a.attname,\n"
    "       pg_catalog.format_type(a.atttypid, a.atttypmod),\n"
    "       " COLLATION_SQL(
        "a.attcollation",
        "ty") ",\n"
              "       d.description,\n"
              "       pg_catalog.col_description(c.oid, a.attnum)\n"
              "FROM pg_catalog.pg_type t\n"
              "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n"
              "JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind "
              "= 'c'\n"
              "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid\n"
              "  AND a.attnum > 0 AND NOT a.attisdropped\n"
              "LEFT JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid\n"
              "LEFT JOIN pg_catalog.pg_collation co ON co.oid = "
              "a.attcollation\n"
              "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = "
              "co.collnamespace\n"
              "LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid\n"
              "  AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass\n"
              "  AND d.objsubid = 0\n"
              "WHERE t.typtype = 'c'\n"
              "  AND " AG_SQL_NS_IN_SCOPE(
                  "n") "\n"
                       "  AND NOT " AG_SQL_EXT_MEMBER(
                           "pg_type",
                           "t.oid") "\n"
                                    "ORDER BY n.nspname, t.typname, a.attnum";

enum {
    T_OID,
    T_SCHEMA,
    T_NAME,
    T_ATTR,
    T_TYPE,
    T_COLLATION,
    T_COMMENT,
    T_ATTR_COMMENT
};

int
ag_intro_composites(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "composite types", composites_sql, 1, &res, err);
    if (rc)
        return rc;
    int n = PQntuples(res);
    for (int i = 0; i < n;) {
        uint32_t oid = ag_intro_oid(res, i, T_OID);
        int end = i + 1;
        while (end < n && ag_intro_oid(res, end, T_OID) == oid)
            end++;
        ag_composite *t = ag_catalog_add(s->cat, AG_KIND_COMPOSITE,
                                         PQgetvalue(res, i, T_SCHEMA),
                                         PQgetvalue(res, i, T_NAME), sizeof *t);
        if (t) {
            t->obj.comment = ag_intro_dup(s, res, i, T_COMMENT);
            t->attrs = ag_arena_alloc(&s->cat->arena,
                                      (size_t)(end - i) * sizeof *t->attrs);
            for (int r = i; r < end; r++) {
                if (PQgetisnull(res, r, T_ATTR))
                    continue;
                ag_column *a = &t->attrs[t->nattrs++];
                a->name = ag_intro_dup(s, res, r, T_ATTR);
                a->type = ag_intro_dup(s, res, r, T_TYPE);
                a->collation = ag_intro_dup(s, res, r, T_COLLATION);
                a->comment = ag_intro_dup(s, res, r, T_ATTR_COMMENT);
            }
        }
        i = end;
    }
    PQclear(res);
    return 0;
}
