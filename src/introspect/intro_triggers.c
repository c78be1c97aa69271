/*
 * intro_triggers.c - user triggers on the tables in scope, with their
 * comments.
 *
 * Internal triggers (foreign keys, deferred uniqueness) and triggers cloned
 * onto partitions from their parent (tgparentid, PostgreSQL 13+) are left
 * out; a trigger declared on a partition itself is kept (partitions are
 * tables in scope, as in intro_tables.c).  Each trigger is read as
 * pg_get_triggerdef prints it and canonicalised by the code that handles model
 * statements; tgenabled gives the enabled state.
 */
#include "intro.h"

#include "autogen/canon_routines.h"

/* $1 = schema filter, $2/$3 = version table; %s = the tgparentid test. */
static const char triggers_sql[] =
    "SELECT n.nspname, c.relname, t.tgname,\n"
    "       pg_catalog.pg_get_triggerdef(t.oid), d.description, t.tgenabled\n"
    "FROM pg_catalog.pg_trigger t\n"
    "JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid\n"
    "  AND d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass\n"
    "  AND d.objsubid = 0\n"
    "WHERE NOT t.tgisinternal AND %s\n"
    "  AND (" AG_SQL_REL_IN_SCOPE("c", "n",
                                  "'v'") "\n"
                                         "       OR " AG_SQL_TABLE_IN_SCOPE(
                                             "c", "n") ")\n"
                                                       "ORDER BY 1, 2, 3";

enum { C_SCHEMA, C_TABLE, C_NAME, C_DEF, C_COMMENT, C_ENABLED };

int
ag_intro_triggers(ag_intro *s, ag_error *err)
{
    /* tgparentid arrived in PostgreSQL 13; before it, clones on
     * partitions belong to partitions, which are out of scope anyway. */
    const char *sql = ag_arena_sprintf(
        &s->cat->arena, triggers_sql,
        s->server_version >= 130000 ? "t.tgparentid = 0" : "true");
    PGresult *res;
    int rc = ag_intro_query(s, "triggers", sql, 3, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); rc == 0 && i < n; i++) {
        const char *schema = PQgetvalue(res, i, C_SCHEMA);
        const char *table = PQgetvalue(res, i, C_TABLE);
        const char *name = PQgetvalue(res, i, C_NAME);
        ag_trigger *t = ag_catalog_add_trigger(s->cat, schema, table, name);
        if (!t)
            continue; /* names are unique per table */
        t->obj.comment = ag_intro_dup(s, res, i, C_COMMENT);
        t->enabled = PQgetvalue(res, i, C_ENABLED)[0];
        rc = ag_canon_trigger_text(s->cat, t, PQgetvalue(res, i, C_DEF), err);
        if (rc)
            ag_error_prefix(err, "introspecting triggers: %s.%s: ", schema,
                            table);
    }
    PQclear(res);
    return rc;
}
