/*
 * intro_indexes.c - stand-alone indexes of the tables in scope, with their
 * comments.
 *
 * An index that implements a PRIMARY KEY, UNIQUE or EXCLUDE constraint
 * belongs to that constraint and is left out (a FOREIGN KEY's conindid
 * names the referenced table's index, hence the contype filter).  An index
 * attached to a parent index (relispartition on the index itself) is the
 * parent's and left out; a partition's own, unattached index is in (pagila
 * builds them that way).
 *
 * pg_get_indexdef writes "ON ONLY" for an index on a partitioned table
 * (pg_dump's form: build the parent's index alone, then attach each
 * partition's).  The live index covers the partitions, which is what a plain
 * CREATE INDEX in a model means and what must be emitted, so ONLY is
 * dropped before the statement reaches the canon.
 */
#include "intro.h"

#include <string.h>

#include "autogen/canon.h"

/* $1 = schema filter, $2/$3 = version table. */
static const char indexes_sql[] =
    "SELECT n.nspname, i.relname, c.relname,\n"
    "       pg_catalog.pg_get_indexdef(x.indexrelid), d.description,\n"
    "       i.relkind = 'I', x.indisunique,\n"
    "       pg_catalog.quote_ident(i.relname)\n"
    "FROM pg_catalog.pg_index x\n"
    "JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid\n"
    "JOIN pg_catalog.pg_class c ON c.oid = x.indrelid\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = x.indexrelid\n"
    "  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND d.objsubid = 0\n"
    "WHERE NOT i.relispartition\n"
    "  AND " AG_SQL_KINDS_IN_SCOPE(
        "c", "n",
        "'r', 'p', 'm'") "\n"
                         "  AND NOT EXISTS (SELECT 1 FROM "
                         "pg_catalog.pg_constraint k\n"
                         "                  WHERE k.conindid = x.indexrelid\n"
                         "                    AND k.contype IN ('p', 'u', "
                         "'x'))\n"
                         "ORDER BY 1, 2";

enum {
    C_SCHEMA,
    C_NAME,
    C_TABLE,
    C_DEF,
    C_COMMENT,
    C_PARTITIONED,
    C_UNIQUE,
    C_QUOTED_NAME
};

/* def without the ONLY of "CREATE [UNIQUE] INDEX name ON ONLY table", in
 * the catalog's arena; def itself when it does not start that way. */
static const char *
drop_only(ag_intro *s, const char *def, bool unique, const char *qname)
{
    ag_buf head;
    ag_buf_init(&head);
    ag_buf_printf(&head, "CREATE %sINDEX %s ON ", unique ? "UNIQUE " : "",
                  qname);
    const char *out = def;
    if (strncmp(def, head.data, head.len) == 0 &&
        strncmp(def + head.len, "ONLY ", 5) == 0)
        out = ag_arena_sprintf(&s->cat->arena, "%s%s", head.data,
                               def + head.len + 5);
    ag_buf_free(&head);
    return out;
}

int
ag_intro_indexes(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "indexes", indexes_sql, 3, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); rc == 0 && i < n; i++) {
        const char *schema = PQgetvalue(res, i, C_SCHEMA);
        const char *name = PQgetvalue(res, i, C_NAME);
        ag_index *x =
            ag_catalog_add(s->cat, AG_KIND_INDEX, schema, name, sizeof *x);
        if (!x)
            continue; /* pg_class names are unique per schema */
        x->table = ag_intro_dup(s, res, i, C_TABLE);
        x->obj.comment = ag_intro_dup(s, res, i, C_COMMENT);
        const char *def = PQgetvalue(res, i, C_DEF);
        if (ag_intro_bool(res, i, C_PARTITIONED))
            def = drop_only(s, def, ag_intro_bool(res, i, C_UNIQUE),
                            PQgetvalue(res, i, C_QUOTED_NAME));
        rc = ag_canon_index_text(s->cat, x, def, err);
        if (rc)
            ag_error_prefix(err, "introspecting indexes: %s.%s: ", schema,
                            name);
    }
    PQclear(res);
    return rc;
}
