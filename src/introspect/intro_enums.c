/*
 * intro_enums.c - enum types and their labels in enumsortorder.
 *
 * One row per label (a LEFT JOIN keeps enums with no labels as one row with
 * a NULL label); consecutive rows of the same type oid form one enum.
 */
#include "intro.h"

/* $1 = schema filter. */
static const char enums_sql[] =
    "SELECT t.oid, n.nspname, t.typname, e.enumlabel, d.description\n"
    "FROM pg_catalog.pg_type t\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n"
    "LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid\n"
    "  AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass\n"
    "  AND d.objsubid = 0\n"
    "WHERE t.typtype = 'e'\n"
    "  AND " AG_SQL_NS_IN_SCOPE(
        "n") "\n"
             "  AND NOT " AG_SQL_EXT_MEMBER(
                 "pg_type",
                 "t.oid") "\n"
                          "ORDER BY n.nspname, t.typname, e.enumsortorder";

enum { C_OID, C_SCHEMA, C_NAME, C_LABEL, C_COMMENT };

int
ag_intro_enums(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "enum types", enums_sql, 1, &res, err);
    if (rc)
        return rc;
    int n = PQntuples(res);
    for (int i = 0; i < n;) {
        uint32_t oid = ag_intro_oid(res, i, C_OID);
        int end = i + 1;
        while (end < n && ag_intro_oid(res, end, C_OID) == oid)
            end++;
        ag_enum *e =
            ag_catalog_add(s->cat, AG_KIND_ENUM, PQgetvalue(res, i, C_SCHEMA),
                           PQgetvalue(res, i, C_NAME), sizeof *e);
        if (e) {
            e->obj.comment = ag_intro_dup(s, res, i, C_COMMENT);
            e->labels = ag_arena_alloc(&s->cat->arena,
                                       (size_t)(end - i) * sizeof *e->labels);
            for (int r = i; r < end; r++)
                if (!PQgetisnull(res, r, C_LABEL))
                    e->labels[e->nlabels++] = ag_intro_dup(s, res, r, C_LABEL);
        }
        i = end;
    }
    PQclear(res);
    return 0;
}
