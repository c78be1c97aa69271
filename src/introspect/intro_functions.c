/*
 * intro_functions.c - functions and procedures in scope, with their
 * comments.
 *
 * Each is read as the CREATE statement pg_get_functiondef prints (with the
 * empty search_path every type outside pg_catalog comes qualified) and
 * then goes through the canon the loader uses for model statements, so
 * both sides are compared field by field from the same kind of tree.
 * Aggregates and window functions (prokind 'a', 'w') and functions with a
 * SQL-standard body (prosqlbody, PostgreSQL 14+) are not managed yet and
 * are left out, as are extension members: reading them would propose
 * dropping what no model can declare yet (docs/coverage.md says so).
 * What each body references comes from the same text (routine_refs.h).
 */
#include "intro.h"

#include "autogen/canon_routines.h"
#include "autogen/routine_refs.h"

/* $1 = schema filter; %s = the prosqlbody test. */
static const char functions_sql[] =
    "SELECT n.nspname, p.proname, pg_catalog.pg_get_functiondef(p.oid),\n"
    "       d.description\n"
    "FROM pg_catalog.pg_proc p\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid\n"
    "  AND d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass\n"
    "  AND d.objsubid = 0\n"
    "WHERE p.prokind IN ('f', 'p') AND %s\n"
    "  AND " AG_SQL_NS_IN_SCOPE("n") "\n"
                                     "  AND NOT " AG_SQL_EXT_MEMBER(
                                         "pg_proc",
                                         "p.oid") "\n"
                                                  "ORDER BY 1, 2, p.oid";

enum { C_SCHEMA, C_NAME, C_DEF, C_COMMENT };

int
ag_intro_functions(ag_intro *s, ag_error *err)
{
    const char *sql = ag_arena_sprintf(
        &s->cat->arena, functions_sql,
        s->server_version >= 140000 ? "p.prosqlbody IS NULL" : "true");
    PGresult *res;
    int rc = ag_intro_query(s, "functions", sql, 1, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); rc == 0 && i < n; i++) {
        ag_function *f;
        rc = ag_canon_function_text(s->cat, PQgetvalue(res, i, C_DEF), &f, err);
        if (rc)
            ag_error_prefix(err, "introspecting functions: %s.%s: ",
                            PQgetvalue(res, i, C_SCHEMA),
                            PQgetvalue(res, i, C_NAME));
        else {
            f->obj.comment = ag_intro_dup(s, res, i, C_COMMENT);
            /* From the body already read: no query of its own. */
            ag_routine_refs(s->cat, f, NULL, 0);
        }
    }
    PQclear(res);
    return rc;
}
