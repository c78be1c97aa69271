/*
 * intro_tables.c - ordinary and partitioned tables (not partitions),
 * permanent or unlogged, with their comments and row-level security
 * switches (ENABLE / FORCE ROW LEVEL SECURITY).
 *
 * Each table is remembered by oid so intro_columns.c can attach columns in
 * one pass over its result.
 */
#include "intro.h"

/* $1 = schema filter, $2/$3 = version table. */
static const char tables_sql[] =
    "SELECT c.oid, n.nspname, c.relname, c.relpersistence, d.description,\n"
    "       c.relrowsecurity, c.relforcerowsecurity\n"
    "FROM pg_catalog.pg_class c\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid\n"
    "  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND d.objsubid = 0\n"
    "WHERE " AG_SQL_TABLE_IN_SCOPE("c", "n") "\n"
                                             "ORDER BY 2, 3";

enum { C_OID, C_SCHEMA, C_NAME, C_PERSISTENCE, C_COMMENT, C_RLS, C_RLS_FORCED };

int
ag_intro_tables(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "tables", tables_sql, 3, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_table *t =
            ag_catalog_add(s->cat, AG_KIND_TABLE, PQgetvalue(res, i, C_SCHEMA),
                           PQgetvalue(res, i, C_NAME), sizeof *t);
        if (!t)
            continue; /* pg_class names are unique per schema */
        t->persistence = PQgetvalue(res, i, C_PERSISTENCE)[0];
        t->obj.comment = ag_intro_dup(s, res, i, C_COMMENT);
        t->rls = ag_intro_bool(res, i, C_RLS);
        t->rls_forced = ag_intro_bool(res, i, C_RLS_FORCED);
        ag_intro_map_put(&s->tables, ag_intro_oid(res, i, C_OID), t);
    }
    PQclear(res);
    return 0;
}
