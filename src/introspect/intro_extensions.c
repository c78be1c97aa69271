/*
 * intro_extensions.c - installed extensions, plpgsql excepted.
 *
 * plpgsql is in every database and no model declares it.  An extension is
 * in scope when the schema it lives in is named by the filter, or always
 * when there is no filter (its schema may be pg_catalog).  Extension
 * comments usually come from the control file: they are read, and the
 * differ compares them only when the models state one too.
 */
#include "intro.h"

/* $1 = schema filter. */
static const char extensions_sql[] =
    "SELECT x.extname, n.nspname,\n"
    "       pg_catalog.obj_description(x.oid, 'pg_extension')\n"
    "FROM pg_catalog.pg_extension x\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace\n"
    "WHERE x.extname <> 'plpgsql'\n"
    "  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))\n"
    "ORDER BY 1";

int
ag_intro_extensions(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "extensions", extensions_sql, 1, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_extension *x = ag_catalog_add(s->cat, AG_KIND_EXTENSION, "",
                                         PQgetvalue(res, i, 0), sizeof *x);
        if (x) {
            x->schema = ag_intro_dup(s, res, i, 1);
            x->obj.comment = ag_intro_dup(s, res, i, 2);
        }
    }
    PQclear(res);
    return 0;
}
