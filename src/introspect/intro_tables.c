/*
 * intro_tables.c - ordinary tables, partitioned tables and partitions,
 * permanent or unlogged, with their comments, partition keys and bounds and
 * row-level security switches (ENABLE / FORCE ROW LEVEL SECURITY); then
 * (ag_intro_inherits) who inherits from whom.
 *
 * Each table is remembered by oid so intro_columns.c can attach columns in
 * one pass over its result.  pg_get_partkeydef and pg_get_expr(relpartbound)
 * print the key and bound in the form the canon reads back
 * (src/canon/partition.c).
 */
#include "intro.h"

#include "autogen/canon_partition.h"

/* $1 = schema filter, $2/$3 = version table. */
static const char tables_sql[] =
    "SELECT c.oid, n.nspname, c.relname, c.relpersistence, d.description,\n"
    "       CASE WHEN c.relkind = 'p'\n"
    "            THEN pg_catalog.pg_get_partkeydef(c.oid) END,\n"
    "       CASE WHEN c.relispartition\n"
    "            THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,\n"
    "       c.relrowsecurity, c.relforcerowsecurity\n"
    "FROM pg_catalog.pg_class c\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid\n"
    "  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND d.objsubid = 0\n"
    "WHERE " AG_SQL_TABLE_IN_SCOPE("c", "n") "\n"
                                             "ORDER BY 2, 3";

enum {
    C_OID,
    C_SCHEMA,
    C_NAME,
    C_PERSISTENCE,
    C_COMMENT,
    C_PARTKEY,
    C_BOUND,
    C_RLS,
    C_RLS_FORCED
};

int
ag_intro_tables(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "tables", tables_sql, 3, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); rc == 0 && i < n; i++) {
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
        const char *key = ag_intro_get(res, i, C_PARTKEY);
        const char *bound = ag_intro_get(res, i, C_BOUND);
        if (key)
            rc = ag_canon_partkey_text(s->cat, t, key, err);
        if (rc == 0 && bound)
            rc = ag_canon_bound_text(s->cat, bound, &t->bound, err);
        if (rc)
            ag_error_prefix(err,
                            "introspecting tables: %s.%s: ", t->obj.name.schema,
                            t->obj.name.name);
    }
    PQclear(res);
    return rc;
}

/* Parents of the tables in scope, in inhseqno order.  A partition has one
 * row: its partitioned table.  $1 = schema filter, $2/$3 = version table. */
static const char inherits_sql[] =
    "SELECT i.inhrelid, c.relispartition, pn.nspname, p.relname\n"
    "FROM pg_catalog.pg_inherits i\n"
    "JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "JOIN pg_catalog.pg_class p ON p.oid = i.inhparent\n"
    "JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace\n"
    "WHERE " AG_SQL_TABLE_IN_SCOPE("c", "n") "\n"
                                             "ORDER BY 1, i.inhseqno";

enum { I_RELID, I_ISPART, I_SCHEMA, I_NAME };

int
ag_intro_inherits(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "inheritance", inherits_sql, 3, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_table *t =
            ag_intro_map_get(&s->tables, ag_intro_oid(res, i, I_RELID));
        if (!t)
            continue; /* not a table in scope (an index partition) */
        ag_qname q = {ag_intro_dup(s, res, i, I_SCHEMA),
                      ag_intro_dup(s, res, i, I_NAME)};
        if (ag_intro_bool(res, i, I_ISPART)) {
            t->parent = q;
            continue;
        }
        t->inherits = ag_arena_grow(&s->cat->arena, t->inherits, t->ninherits,
                                    sizeof *t->inherits);
        t->inherits[t->ninherits++] = q;
    }
    PQclear(res);
    return 0;
}
