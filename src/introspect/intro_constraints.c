/*
 * intro_constraints.c - PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY and EXCLUDE
 * constraints of the tables in scope, with their comments.
 *
 * Left out: NOT NULL (a column property here; PostgreSQL 18 also lists it
 * as contype 'n', which the contype filter drops), clones of a parent's
 * constraint (conparentid <> 0: partitions, and the extra rows PostgreSQL
 * adds for a foreign key that references a partitioned table), and
 * constraints a table only inherits (conislocal false: they come with the
 * parent under the parent's name).
 */
#include "intro.h"

#include "autogen/canon.h"

/* $1 = schema filter, $2/$3 = version table. */
static const char constraints_sql[] =
    "SELECT n.nspname, c.relname, k.conname,\n"
    "       pg_catalog.pg_get_constraintdef(k.oid), d.description\n"
    "FROM pg_catalog.pg_constraint k\n"
    "JOIN pg_catalog.pg_class c ON c.oid = k.conrelid\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = k.oid\n"
    "  AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass\n"
    "  AND d.objsubid = 0\n"
    "WHERE k.contype IN ('p', 'u', 'c', 'f', 'x')\n"
    "  AND k.conparentid = 0 AND k.conislocal\n"
    "  AND " AG_SQL_TABLE_IN_SCOPE("c", "n") "\n"
                                             "ORDER BY 1, 2, 3";

enum { C_SCHEMA, C_TABLE, C_NAME, C_DEF, C_COMMENT };

int
ag_intro_constraints(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "constraints", constraints_sql, 3, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); rc == 0 && i < n; i++) {
        const char *schema = PQgetvalue(res, i, C_SCHEMA);
        const char *table = PQgetvalue(res, i, C_TABLE);
        const char *name = PQgetvalue(res, i, C_NAME);
        ag_constraint *k =
            ag_catalog_add_constraint(s->cat, schema, table, name);
        if (!k)
            continue; /* names are unique per table in PostgreSQL too */
        k->obj.comment = ag_intro_dup(s, res, i, C_COMMENT);
        rc =
            ag_canon_constraint_text(s->cat, k, PQgetvalue(res, i, C_DEF), err);
        if (rc)
            ag_error_prefix(err,
                            "introspecting constraints: %s on %s.%s: ", name,
                            schema, table);
    }
    PQclear(res);
    return rc;
}
