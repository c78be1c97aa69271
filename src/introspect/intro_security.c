/*
 * intro_security.c - row-level security policies, event triggers and
 * publications: one query each.
 *
 * Lists travel as text joined with chr(1) (no identifier holds it), which
 * spares parsing array literals.  Policies are read as pg_policies shows
 * them (roles sorted by name, "public" for everyone) with their USING and
 * WITH CHECK expressions canonicalised like CHECK constraints.  Event
 * triggers and publications have no schema; extension members are left
 * out.  Publication tables are spelled as SQL, with the column list and
 * WHERE clause PostgreSQL 15 allows (pg_dump's spelling).
 */
#include "intro.h"

#include <string.h>

#include "autogen/canon.h"

/* $1 = schema filter, $2/$3 = version table. */
static const char policies_sql[] =
    "SELECT n.nspname, c.relname, p.polname, p.polpermissive, p.polcmd,\n"
    "       CASE WHEN 0::pg_catalog.oid = ANY (p.polroles) THEN 'public'\n"
    "       ELSE pg_catalog.array_to_string(ARRAY(\n"
    "         SELECT r.rolname FROM pg_catalog.pg_roles r\n"
    "         WHERE r.oid = ANY (p.polroles) ORDER BY r.rolname),\n"
    "         pg_catalog.chr(1)) END,\n"
    "       pg_catalog.pg_get_expr(p.polqual, p.polrelid),\n"
    "       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),\n"
    "       pg_catalog.obj_description(p.oid, 'pg_policy')\n"
    "FROM pg_catalog.pg_policy p\n"
    "JOIN pg_catalog.pg_class c ON c.oid = p.polrelid\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "WHERE " AG_SQL_TABLE_IN_SCOPE("c", "n") "\n"
                                             "ORDER BY 1, 2, 3";

enum {
    P_SCHEMA,
    P_TABLE,
    P_NAME,
    P_PERMISSIVE,
    P_CMD,
    P_ROLES,
    P_USING,
    P_CHECK,
    P_COMMENT
};

/* Split a chr(1)-joined list into the catalog arena; "" gives none. */
static const char **
split_list(ag_intro *s, const char *text, size_t *n)
{
    *n = 0;
    if (!text || !*text)
        return NULL;
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == '\1';
    const char **out = ag_arena_alloc(&s->cat->arena, cap * sizeof *out);
    const char *start = text;
    for (const char *p = text;; p++) {
        if (*p == '\1' || !*p) {
            char *item =
                ag_arena_alloc(&s->cat->arena, (size_t)(p - start) + 1);
            memcpy(item, start, (size_t)(p - start));
            item[p - start] = '\0';
            out[(*n)++] = item;
            if (!*p)
                break;
            start = p + 1;
        }
    }
    return out;
}

int
ag_intro_policies(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "policies", policies_sql, 3, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); rc == 0 && i < n; i++) {
        ag_policy *p = ag_catalog_add_policy(
            s->cat, PQgetvalue(res, i, P_SCHEMA), PQgetvalue(res, i, P_TABLE),
            PQgetvalue(res, i, P_NAME));
        if (!p)
            continue; /* names are unique per table */
        p->permissive = ag_intro_bool(res, i, P_PERMISSIVE);
        p->cmd = PQgetvalue(res, i, P_CMD)[0];
        p->roles = split_list(s, PQgetvalue(res, i, P_ROLES), &p->nroles);
        p->obj.comment = ag_intro_dup(s, res, i, P_COMMENT);
        if (!PQgetisnull(res, i, P_USING))
            rc = ag_canon_expr_text(s->cat, PQgetvalue(res, i, P_USING),
                                    "public", &p->using_expr, err);
        if (rc == 0 && !PQgetisnull(res, i, P_CHECK))
            rc = ag_canon_expr_text(s->cat, PQgetvalue(res, i, P_CHECK),
                                    "public", &p->check_expr, err);
        if (rc)
            ag_error_prefix(err, "introspecting policy %s on %s.%s: ",
                            p->obj.name.name, p->obj.name.schema, p->table);
    }
    PQclear(res);
    return rc;
}

/* $1 = schema filter (an event trigger is in scope with its function). */
static const char event_triggers_sql[] =
    "SELECT et.evtname, et.evtevent, et.evtenabled, fn.nspname, f.proname,\n"
    "       pg_catalog.array_to_string(et.evttags, pg_catalog.chr(1)),\n"
    "       pg_catalog.obj_description(et.oid, 'pg_event_trigger')\n"
    "FROM pg_catalog.pg_event_trigger et\n"
    "JOIN pg_catalog.pg_proc f ON f.oid = et.evtfoid\n"
    "JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace\n"
    "WHERE ($1::text[] IS NULL OR fn.nspname = ANY ($1::text[]))\n"
    "  AND NOT " AG_SQL_EXT_MEMBER("pg_event_trigger", "et.oid") "\n"
                                                                 "ORDER BY 1";

int
ag_intro_event_triggers(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc =
        ag_intro_query(s, "event triggers", event_triggers_sql, 1, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_event_trigger *e = ag_catalog_add(s->cat, AG_KIND_EVENT_TRIGGER, "",
                                             PQgetvalue(res, i, 0), sizeof *e);
        if (!e)
            continue;
        e->event = ag_intro_dup(s, res, i, 1);
        e->enabled = PQgetvalue(res, i, 2)[0];
        e->func.schema = ag_intro_dup(s, res, i, 3);
        e->func.name = ag_intro_dup(s, res, i, 4);
        e->tags = split_list(s, ag_intro_get(res, i, 5), &e->ntags);
        e->obj.comment = ag_intro_dup(s, res, i, 6);
    }
    PQclear(res);
    return 0;
}

/* %s: the table entry and the schema list, which depend on the version
 * (column lists, row filters and TABLES IN SCHEMA arrived in 15). */
static const char publications_sql[] =
    "SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate,\n"
    "       p.pubdelete, p.pubtruncate, p.pubviaroot,\n"
    "       pg_catalog.obj_description(p.oid, 'pg_publication'),\n"
    "       (SELECT pg_catalog.array_to_string(\n"
    "                 pg_catalog.array_agg(x.entry ORDER BY x.entry),\n"
    "                 pg_catalog.chr(1))\n"
    "        FROM (SELECT pg_catalog.quote_ident(rn.nspname) || '.' ||\n"
    "                     pg_catalog.quote_ident(rc.relname)%s AS entry\n"
    "              FROM pg_catalog.pg_publication_rel r\n"
    "              JOIN pg_catalog.pg_class rc ON rc.oid = r.prrelid\n"
    "              JOIN pg_catalog.pg_namespace rn ON rn.oid = "
    "rc.relnamespace\n"
    "              WHERE r.prpubid = p.oid) x),\n"
    "       %s\n"
    "FROM pg_catalog.pg_publication p\n"
    "ORDER BY 1";

static const char pub_rel_extra_15[] =
    " ||\n"
    "  CASE WHEN r.prattrs IS NULL THEN '' ELSE ' (' ||\n"
    "    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname),\n"
    "            ', ' ORDER BY k.i)\n"
    "     FROM pg_catalog.unnest(r.prattrs) WITH ORDINALITY k(attnum, i)\n"
    "     JOIN pg_catalog.pg_attribute a ON a.attrelid = r.prrelid\n"
    "       AND a.attnum = k.attnum) || ')' END ||\n"
    "  CASE WHEN r.prqual IS NULL THEN '' ELSE ' WHERE (' ||\n"
    "    pg_catalog.pg_get_expr(r.prqual, r.prrelid) || ')' END";

static const char pub_schemas_15[] =
    "(SELECT pg_catalog.array_to_string(\n"
    "          pg_catalog.array_agg(n.nspname ORDER BY n.nspname),\n"
    "          pg_catalog.chr(1))\n"
    "        FROM pg_catalog.pg_publication_namespace pn\n"
    "        JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid\n"
    "        WHERE pn.pnpubid = p.oid)";

enum {
    B_NAME,
    B_ALL,
    B_INS,
    B_UPD,
    B_DEL,
    B_TRUNC,
    B_VIAROOT,
    B_COMMENT,
    B_TABLES,
    B_SCHEMAS
};

int
ag_intro_publications(ag_intro *s, ag_error *err)
{
    bool v15 = s->server_version >= 150000;
    const char *sql = ag_arena_sprintf(&s->cat->arena, publications_sql,
                                       v15 ? pub_rel_extra_15 : "",
                                       v15 ? pub_schemas_15 : "NULL::text");
    PGresult *res;
    int rc = ag_intro_query(s, "publications", sql, 0, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_publication *p =
            ag_catalog_add(s->cat, AG_KIND_PUBLICATION, "",
                           PQgetvalue(res, i, B_NAME), sizeof *p);
        if (!p)
            continue;
        p->all_tables = ag_intro_bool(res, i, B_ALL);
        p->via_root = ag_intro_bool(res, i, B_VIAROOT);
        p->obj.comment = ag_intro_dup(s, res, i, B_COMMENT);
        p->tables = split_list(s, ag_intro_get(res, i, B_TABLES), &p->ntables);
        p->schemas =
            split_list(s, ag_intro_get(res, i, B_SCHEMAS), &p->nschemas);
        ag_buf b;
        ag_buf_init(&b);
        static const char *const words[] = {"insert", "update", "delete",
                                            "truncate"};
        for (int k = 0; k < 4; k++)
            if (ag_intro_bool(res, i, B_INS + k))
                ag_buf_printf(&b, "%s%s", b.len ? ", " : "", words[k]);
        p->publish = ag_arena_strdup(&s->cat->arena, b.data ? b.data : "");
        ag_buf_free(&b);
    }
    PQclear(res);
    return 0;
}
