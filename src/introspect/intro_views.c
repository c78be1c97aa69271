/*
 * intro_views.c - views and materialized views, their columns and what
 * they read.
 *
 * Three set-based queries, whatever the number of views: the views
 * themselves (pg_get_viewdef(oid, false), the form pg_dump uses: it keeps
 * the nesting of the query as written, which the "pretty" form flattens,
 * under the session's empty search_path, so every name is qualified;
 * reloptions; relispopulated; comment), their columns (format_type,
 * comment, default), and their dependencies from pg_depend through each
 * view's pg_rewrite rule: the tables (with the column, refobjsubid, where
 * one is read), views and functions the query uses.  Extension members are
 * left out as for tables.
 */
#include "intro.h"

#include "autogen/canon.h"

#include <stdlib.h>
#include <string.h>

/* $1 = schema filter. */
#define VIEW_IN_SCOPE(c, n)                                                    \
    c ".relkind IN ('v', 'm') AND " AG_SQL_NS_IN_SCOPE(                        \
        n) " AND NOT " AG_SQL_EXT_MEMBER("pg_class", c ".oid")

static const char views_sql[] =
    "SELECT c.oid, n.nspname, c.relname, c.relkind = 'm',\n"
    "       pg_catalog.pg_get_viewdef(c.oid, false),\n"
    "       pg_catalog.array_to_string(c.reloptions, ','),\n"
    "       c.relispopulated, d.description\n"
    "FROM pg_catalog.pg_class c\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid\n"
    "  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND d.objsubid = 0\n"
    "WHERE " VIEW_IN_SCOPE("c", "n") "\n"
                                     "ORDER BY 2, 3";

/* The views' oids are collected first (an InitPlan) and their attributes
 * fetched through pg_attribute's index: joined the other way, the planner
 * scanned every attribute of every table (15 ms at 10,000 tables for a
 * schema without a single view, growing 17x per 10x tables). */
static const char columns_sql[] =
    "SELECT a.attrelid, a.attname,\n"
    "       pg_catalog.format_type(a.atttypid, a.atttypmod), d.description,\n"
    "       pg_catalog.pg_get_expr(ad.adbin, 0)\n"
    "FROM pg_catalog.pg_attribute a\n"
    "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid\n"
    "  AND ad.adnum = a.attnum\n"
    "LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid\n"
    "  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass\n"
    "  AND d.objsubid = a.attnum\n"
    "WHERE a.attrelid = ANY (ARRAY(\n"
    "    SELECT c.oid FROM pg_catalog.pg_class c\n"
    "    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "    WHERE " VIEW_IN_SCOPE("c", "n") "))\n"
    "  AND a.attnum > 0 AND NOT a.attisdropped\n"
    "ORDER BY 1, a.attnum";

/* One row per (view, object read): kind 'r' table (attname set when a
 * column), 'v' view, 'f' function ("name(types)" as the catalog names
 * functions). */
static const char deps_sql[] =
    "SELECT DISTINCT r.ev_class,\n"
    "       CASE WHEN dp.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
    " THEN 'f'\n"
    "            WHEN rc.relkind IN ('v', 'm') THEN 'v' ELSE 'r' END,\n"
    "       COALESCE(rn.nspname, pn.nspname),\n"
    "       COALESCE(rc.relname, p.proname || '(' ||\n"
    "                pg_catalog.oidvectortypes(p.proargtypes) || ')'),\n"
    "       CASE WHEN rc.relkind IN ('r', 'p') THEN at.attname END\n"
    "FROM pg_catalog.pg_depend dp\n"
    "JOIN pg_catalog.pg_rewrite r ON r.oid = dp.objid\n"
    "JOIN pg_catalog.pg_class c ON c.oid = r.ev_class\n"
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "LEFT JOIN pg_catalog.pg_class rc ON dp.refclassid = "
    "'pg_catalog.pg_class'::pg_catalog.regclass AND rc.oid = dp.refobjid\n"
    "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace\n"
    "LEFT JOIN pg_catalog.pg_attribute at ON at.attrelid = rc.oid\n"
    "  AND dp.refobjsubid > 0 AND at.attnum = dp.refobjsubid\n"
    "LEFT JOIN pg_catalog.pg_proc p ON dp.refclassid = "
    "'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = dp.refobjid\n"
    "LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace\n"
    "WHERE dp.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass\n"
    "  AND dp.deptype = 'n' AND dp.refobjid <> r.ev_class\n"
    "  AND (rc.relkind IN ('r', 'p', 'v', 'm') OR p.oid IS NOT NULL)\n"
    "  AND pg_catalog.left(COALESCE(rn.nspname, pn.nspname), 3) <> 'pg_'\n"
    "  AND COALESCE(rn.nspname, pn.nspname) <> 'information_schema'\n"
    "  AND " VIEW_IN_SCOPE("c", "n") "\n"
                                     "ORDER BY 1, 2, 3, 4, 5";

static bool
option_true(const char *v)
{
    return strcmp(v, "true") == 0 || strcmp(v, "on") == 0 ||
           strcmp(v, "1") == 0 || strcmp(v, "yes") == 0;
}

/* "check_option=local,security_barrier=true" into the view. */
static void
parse_options(ag_intro *s, ag_view *v, const char *opts)
{
    if (!opts || !*opts)
        return;
    char *copy = ag_arena_strdup(&s->cat->arena, opts);
    for (char *tok = copy, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(tok, '=');
        const char *val = eq ? eq + 1 : "true";
        if (eq)
            *eq = '\0';
        if (strcmp(tok, "check_option") == 0)
            v->check_option = val;
        else if (strcmp(tok, "security_barrier") == 0)
            v->security_barrier = option_true(val);
        else if (strcmp(tok, "security_invoker") == 0)
            v->security_invoker = option_true(val);
    }
}

/* pg_get_viewdef's text without the leading space and trailing ';'. */
static const char *
trim_def(ag_intro *s, const char *def)
{
    while (*def == ' ' || *def == '\n')
        def++;
    size_t n = strlen(def);
    while (n && (def[n - 1] == ';' || def[n - 1] == ' ' || def[n - 1] == '\n'))
        n--;
    char *out = ag_arena_alloc(&s->cat->arena, n + 1);
    memcpy(out, def, n);
    return out;
}

int
ag_intro_view_columns(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "view columns", columns_sql, 1, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_view *v = ag_intro_map_get(&s->views, ag_intro_oid(res, i, 0));
        if (!v)
            continue;
        v->cols =
            ag_arena_grow(&s->cat->arena, v->cols, v->ncols, sizeof *v->cols);
        ag_column *col = &v->cols[v->ncols++];
        col->name = ag_intro_dup(s, res, i, 1);
        col->type = ag_intro_dup(s, res, i, 2);
        col->comment = ag_intro_dup(s, res, i, 3);
        const char *expr = ag_intro_get(res, i, 4);
        if (expr && (rc = ag_canon_expr_text(s->cat, expr, "public",
                                             &col->default_expr, err)) != 0) {
            ag_error_prefix(err,
                            "introspecting view columns: default of %s.%s.%s: ",
                            v->obj.name.schema, v->obj.name.name, col->name);
            break;
        }
    }
    PQclear(res);
    return rc;
}

int
ag_intro_view_deps(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "view dependencies", deps_sql, 1, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_view *v = ag_intro_map_get(&s->views, ag_intro_oid(res, i, 0));
        if (!v)
            continue;
        char k = PQgetvalue(res, i, 1)[0];
        v->deps =
            ag_arena_grow(&s->cat->arena, v->deps, v->ndeps, sizeof *v->deps);
        ag_viewdep *d = &v->deps[v->ndeps++];
        d->kind = k == 'f'   ? AG_KIND_FUNCTION
                  : k == 'v' ? AG_KIND_VIEW
                             : AG_KIND_TABLE;
        d->name.schema = ag_intro_dup(s, res, i, 2);
        d->name.name = ag_intro_dup(s, res, i, 3);
        d->col = ag_intro_dup(s, res, i, 4);
    }
    PQclear(res);
    return 0;
}

int
ag_intro_views(ag_intro *s, ag_error *err)
{
    PGresult *res;
    int rc = ag_intro_query(s, "views", views_sql, 1, &res, err);
    if (rc)
        return rc;
    for (int i = 0, n = PQntuples(res); i < n; i++) {
        ag_view *v = ag_catalog_add(s->cat, AG_KIND_VIEW, PQgetvalue(res, i, 1),
                                    PQgetvalue(res, i, 2), sizeof *v);
        if (!v)
            continue;
        v->materialized = ag_intro_bool(res, i, 3);
        v->def = trim_def(s, PQgetvalue(res, i, 4));
        parse_options(s, v, ag_intro_get(res, i, 5));
        v->populated = ag_intro_bool(res, i, 6);
        v->obj.comment = ag_intro_dup(s, res, i, 7);
        ag_intro_map_put(&s->views, ag_intro_oid(res, i, 0), v);
    }
    PQclear(res);
    return rc;
}
