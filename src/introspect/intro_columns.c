/*
 * intro_columns.c - the columns of every table read by intro_tables.c, in
 * attnum order, with type, collation, NOT NULL, default or generation
 * expression, identity and comment.
 *
 * Rows come ordered by (table oid, attnum) and find their table through the
 * session's oid map, so the cost is linear in the number of columns.
 */
#include <stdlib.h>
#include <string.h>

#include "intro.h"

#include "autogen/canon.h"

/* $1 = schema filter, $2/$3 = version table.  The collation is shown only
 * when it differs from the type's own (what "COLLATE x" in a model means);
 * pg_get_expr runs with an empty search_path so names come qualified.
 *
 * A DEFAULT cannot refer to columns, so its expression is printed without
 * the table (relid 0): with the table, pg_get_expr opens the relation and
 * builds a deparse context per row, which took 0.6 s of 0.65 s for
 * gitlab's 3,900 defaults; without it 0.04 s, same text.  Generation
 * expressions do name columns and keep the table. */
static const char columns_sql[] =
    "SELECT a.attrelid, a.attname,\n"
    "       pg_catalog.format_type(a.atttypid, a.atttypmod),\n"
    "       CASE WHEN a.attcollation <> 0\n"
    "             AND a.attcollation <> ty.typcollation\n"
    "            THEN pg_catalog.quote_ident(cn.nspname) || '.' ||\n"
    "                 pg_catalog.quote_ident(co.collname) END,\n"
    "       a.attnotnull, a.attidentity, a.attgenerated,\n"
    "       pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = ''\n"
    "                                   THEN 0 ELSE ad.adrelid END),\n"
    "       d.description,\n"
    "       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,\n"
    "       s.seqcycle, a.attislocal\n"
    "FROM pg_catalog.pg_attribute a\n"
    "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid\n"
    "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation\n"
    "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace\n"
    "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid\n"
    "  AND ad.adnum = a.attnum\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid\n"
    "  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND d.objsubid = a.attnum\n"
    "LEFT JOIN pg_catalog.pg_depend dep ON a.attidentity <> ''\n"
    "  AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum\n"
    "  AND dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND dep.deptype = 'i'\n"
    "LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid\n"
    "WHERE a.attnum > 0 AND NOT a.attisdropped\n"
    "  AND " AG_SQL_TABLE_IN_SCOPE("c", "n") "\n"
                                             "ORDER BY a.attrelid, a.attnum";

enum {
    C_RELID,
    C_NAME,
    C_TYPE,
    C_COLLATION,
    C_NOTNULL,
    C_IDENTITY,
    C_GENERATED,
    C_EXPR,
    C_COMMENT,
    C_SEQSTART,
    C_SEQINC,
    C_SEQMIN,
    C_SEQMAX,
    C_SEQCACHE,
    C_SEQCYCLE,
    C_LOCAL
};

int
ag_intro_columns(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "columns", columns_sql, 3, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); rc == 0 && i < n; i++) {
        ag_table *t =
            ag_intro_map_get(&s->tables, ag_intro_oid(res, i, C_RELID));
        if (!t)
            continue; /* same predicate as the tables query: cannot happen */
        if (t->ncols == 0) { /* a table's first row: count its rows */
            int end = i + 1;
            const char *relid = PQgetvalue(res, i, C_RELID);
            while (end < n && strcmp(PQgetvalue(res, end, C_RELID), relid) == 0)
                end++;
            ag_table_reserve_columns(s->cat, t, (size_t)(end - i));
        }
        ag_column col = {0};
        col.name = ag_intro_dup(s, res, i, C_NAME);
        col.type = ag_intro_dup(s, res, i, C_TYPE);
        col.collation = ag_intro_dup(s, res, i, C_COLLATION);
        col.notnull = ag_intro_bool(res, i, C_NOTNULL);
        col.identity = PQgetvalue(res, i, C_IDENTITY)[0];
        col.comment = ag_intro_dup(s, res, i, C_COMMENT);
        col.inherited = !ag_intro_bool(res, i, C_LOCAL);
        if (col.identity && !PQgetisnull(res, i, C_SEQSTART))
            col.ident = (ag_seqopts){
                strtoll(PQgetvalue(res, i, C_SEQSTART), NULL, 10),
                strtoll(PQgetvalue(res, i, C_SEQINC), NULL, 10),
                strtoll(PQgetvalue(res, i, C_SEQMIN), NULL, 10),
                strtoll(PQgetvalue(res, i, C_SEQMAX), NULL, 10),
                strtoll(PQgetvalue(res, i, C_SEQCACHE), NULL, 10),
                ag_intro_bool(res, i, C_SEQCYCLE),
            };
        const char *expr = ag_intro_get(res, i, C_EXPR);
        if (expr) {
            /* attgenerated: 's' stored; PostgreSQL 18's 'v' (virtual) has
             * no slot of its own in the catalog model and is kept as a
             * generation expression too, never as a default. */
            bool generated = PQgetvalue(res, i, C_GENERATED)[0] != '\0';
            rc = ag_canon_expr_text(
                s->cat, expr, "public",
                generated ? &col.generated : &col.default_expr, err);
            if (rc)
                ag_error_prefix(err, "introspecting columns: %s of %s.%s.%s: ",
                                generated ? "generation expression" : "default",
                                t->obj.name.schema, t->obj.name.name, col.name);
        }
        if (rc == 0)
            ag_table_add_column(s->cat, t, &col);
    }
    PQclear(res);
    return rc;
}
