/*
 * intro_schemas.c - user schemas in scope, public included.
 *
 * With their comments; public's "standard public schema" from template1 is
 * read like any other (the loader gives an undeclared public the same
 * comment, see load_security.c).
 */
#include "intro.h"

/* $1 = schema filter.  Schemas an extension created are left out with the
 * extension's other members. */
static const char schemas_sql[] =
    "SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace')\n"
    "FROM pg_catalog.pg_namespace n\n"
    "WHERE " AG_SQL_NS_IN_SCOPE("n") "\n"
                                     "ORDER BY 1";

int
ag_intro_schemas(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "schemas", schemas_sql, 1, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_schema *sc = ag_catalog_add(s->cat, AG_KIND_SCHEMA, "",
                                       PQgetvalue(res, i, 0), sizeof *sc);
        if (sc)
            sc->obj.comment = ag_intro_dup(s, res, i, 1);
    }
    PQclear(res);
    return 0;
}
