/*
 * intro_sequences.c - sequences with their options, OWNED BY and comment.
 *
 * pg_depend links a sequence to a column: deptype 'a' for OWNED BY (serial
 * columns and ALTER SEQUENCE ... OWNED BY), 'i' for an identity column's
 * sequence, which belongs to the column and is left out.  So are sequences
 * owned by autogen's version table.
 */
#include "intro.h"

/* $1 = schema filter, $2/$3 = version table. */
static const char sequences_sql[] =
    "SELECT n.nspname, c.relname,\n"
    "       pg_catalog.format_type(s.seqtypid, NULL),\n"
    "       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,\n"
    "       s.seqcycle, o.nspname, t.relname, a.attname, d.description\n"
    "FROM pg_catalog.pg_class c\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid\n"
    "LEFT JOIN (pg_catalog.pg_depend dep\n"
    "           JOIN pg_catalog.pg_class t ON t.oid = dep.refobjid\n"
    "           JOIN pg_catalog.pg_namespace o ON o.oid = t.relnamespace\n"
    "           JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid\n"
    "                AND a.attnum = dep.refobjsubid)\n"
    "  ON dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND dep.objid = c.oid\n"
    "  AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND dep.deptype IN ('a', 'i')\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid\n"
    "  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND d.objsubid = 0\n"
    "WHERE c.relkind = 'S'\n"
    "  AND " AG_SQL_NS_IN_SCOPE(
        "n") "\n"
             "  AND NOT " AG_SQL_EXT_MEMBER(
                 "pg_class", "c.oid") "\n"
                                      "  AND dep.deptype IS DISTINCT FROM 'i'\n"
                                      "  AND NOT coalesce(o.nspname = $2::text "
                                      "AND t.relname = $3::text,\n"
                                      "                   false)\n"
                                      "ORDER BY 1, 2";

enum {
    C_SCHEMA,
    C_NAME,
    C_TYPE,
    C_START,
    C_INC,
    C_MIN,
    C_MAX,
    C_CACHE,
    C_CYCLE,
    C_OWN_SCHEMA,
    C_OWN_TABLE,
    C_OWN_COL,
    C_COMMENT
};

int
ag_intro_sequences(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "sequences", sequences_sql, 3, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_sequence *q = ag_catalog_add(s->cat, AG_KIND_SEQUENCE,
                                        PQgetvalue(res, i, C_SCHEMA),
                                        PQgetvalue(res, i, C_NAME), sizeof *q);
        if (!q)
            continue; /* pg_class names are unique per schema */
        q->type = ag_intro_dup(s, res, i, C_TYPE);
        q->start = ag_intro_int64(res, i, C_START);
        q->increment = ag_intro_int64(res, i, C_INC);
        q->min = ag_intro_int64(res, i, C_MIN);
        q->max = ag_intro_int64(res, i, C_MAX);
        q->cache = ag_intro_int64(res, i, C_CACHE);
        q->cycle = ag_intro_bool(res, i, C_CYCLE);
        if (!PQgetisnull(res, i, C_OWN_TABLE)) {
            q->owned_by.schema = ag_intro_dup(s, res, i, C_OWN_SCHEMA);
            q->owned_by.name = ag_intro_dup(s, res, i, C_OWN_TABLE);
            q->owned_col = ag_intro_dup(s, res, i, C_OWN_COL);
        }
        q->obj.comment = ag_intro_dup(s, res, i, C_COMMENT);
    }
    PQclear(res);
    return 0;
}
