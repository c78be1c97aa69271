/*
 * intro_schemas.c - user schemas in scope, public included.
 *
 * COMMENT ON SCHEMA is not managed yet, so obj.comment stays NULL (public's
 * built-in "standard public schema" comment would otherwise be drift).
 */
#include "intro.h"

/* $1 = schema filter.  Schemas an extension created are left out with the
 * extension's other members. */
static const char schemas_sql[] = "SELECT n.nspname\n"
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
    for (int i = 0, n = PQntuples(res); i < n; i++)
        ag_catalog_add(s->cat, AG_KIND_SCHEMA, "", PQgetvalue(res, i, 0),
                       sizeof(ag_schema));
    PQclear(res);
    return 0;
}
