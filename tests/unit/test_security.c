/* Unit tests for row-level security, policies, trigger enabled state,
 * event triggers, publications and the comments added with them: the
 * loader's canonical forms (policy expressions against pg_get_expr's
 * spelling copied from PostgreSQL 15), its errors, and the differ's
 * choices as summary lines and SQL. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/canon.h"
#include "autogen/diff.h"
#include "autogen/emit.h"
#include "autogen/loader.h"
#include "diag_fixture.h"
#include "load_fixture.h"

static ag_catalog cat, cat2;
static ag_diag diag;

static int
load_into(ag_catalog *c, const char *sql)
{
    return load_sql(c, sql, NULL, c == &cat ? &diag : NULL);
}

static const char *
rendered(void)
{
    return diag_text(&diag);
}

static void
setup(void)
{
    fixture_init(&cat, &cat2, &diag);
}

static void
teardown(void)
{
    fixture_fini(&cat, &cat2, &diag);
}

TestSuite(security, .init = setup, .fini = teardown);

/* Diff two model texts; the summary, and the SQL in *sql. */
static char *
diff_summary(const char *from, const char *to, char **sql)
{
    cr_assert_eq(load_into(&cat, from), 0, "%s", rendered());
    cr_assert_eq(load_into(&cat2, to), 0);
    return diff_render(&cat, &cat2, sql);
}

static const char docs[] =
    "CREATE TABLE docs (id int, owner text, body text);\n";

Test(security, rls_switches_and_policy_fields)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "%sALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n"
             "ALTER TABLE docs FORCE ROW LEVEL SECURITY;\n"
             "CREATE POLICY p ON docs AS RESTRICTIVE FOR UPDATE TO bob, alice "
             "USING (owner IN ('a', 'b')) WITH CHECK (body IS NOT NULL);\n"
             "CREATE POLICY q ON docs TO alice, PUBLIC USING (true);\n",
             docs);
    cr_assert_eq(load_into(&cat, sql), 0, "%s", rendered());
    const ag_table *t = ag_catalog_table(&cat, "public", "docs");
    cr_expect(t->rls && t->rls_forced);
    const ag_policy *p = ag_catalog_find_policy(&cat, "public", "docs", "p");
    cr_assert(p);
    cr_expect(!p->permissive);
    cr_expect_eq(p->cmd, 'w');
    cr_assert_eq(p->nroles, 2);
    cr_expect_str_eq(p->roles[0], "alice"); /* sorted, as pg_policies */
    cr_expect_str_eq(p->roles[1], "bob");
    cr_assert(p->using_expr && p->check_expr);
    /* PUBLIC among the roles means everyone (PostgreSQL drops the rest). */
    const ag_policy *q = ag_catalog_find_policy(&cat, "public", "docs", "q");
    cr_assert(q);
    cr_expect(q->permissive);
    cr_expect_eq(q->cmd, '*');
    cr_assert_eq(q->nroles, 1);
    cr_expect_str_eq(q->roles[0], "public");
    cr_expect_null(q->check_expr);

    /* The server prints the USING clause as pg_get_expr does. */
    const ag_expr *server;
    ag_error err;
    cr_assert_eq(ag_canon_expr_text(&cat,
                                    "(owner = ANY (ARRAY['a'::text, "
                                    "'b'::text]))",
                                    "public", &server, &err),
                 0, "%s", err.msg);
    cr_expect_str_eq(p->using_expr->canon, server->canon);
}

Test(security, policy_errors_name_the_statement)
{
    cr_expect_neq(load_into(&cat, "CREATE POLICY p ON nowhere USING (true);\n"),
                  0);
    cr_expect(strstr(rendered(), "table public.nowhere is not declared"), "%s",
              rendered());
    char sql[512];
    snprintf(sql, sizeof sql,
             "%sCREATE POLICY p ON docs TO current_user USING (true);\n", docs);
    cr_expect_neq(load_into(&cat, sql), 0);
    cr_expect(strstr(rendered(), "CURRENT_USER"), "%s", rendered());
    snprintf(sql, sizeof sql,
             "%sCREATE POLICY p ON docs USING (true);\n"
             "ALTER POLICY p ON docs USING (false);\n",
             docs);
    cr_expect_neq(load_into(&cat, sql), 0);
    cr_expect(strstr(rendered(), "m.sql:3:1: error: ALTER POLICY"), "%s",
              rendered());
}

Test(security, policy_changes_alter_or_recreate)
{
    char a[1024], b[1024], *sql;
    snprintf(a, sizeof a,
             "%sCREATE POLICY p ON docs USING (owner = 'x');\n"
             "CREATE POLICY r ON docs FOR SELECT USING (true);\n",
             docs);
    snprintf(b, sizeof b,
             "%sCREATE POLICY p ON docs TO bob USING (owner = 'y') "
             "WITH CHECK (true);\n"
             "CREATE POLICY r ON docs FOR DELETE USING (true);\n",
             docs);
    char *sum = diff_summary(a, b, &sql);
    cr_expect_str_eq(sum, "- policy r ON public.docs (its command changed: "
                          "dropped and re-created)\n"
                          "~ policy p ON public.docs: roles changed, USING "
                          "changed, WITH CHECK changed\n"
                          "+ policy r ON public.docs\n");
    cr_expect(strstr(sql, "ALTER POLICY p ON public.docs TO bob USING "
                          "(owner = 'y') WITH CHECK (true);\n"),
              "%s", sql);
    cr_expect(strstr(sql, "CREATE POLICY r ON public.docs AS PERMISSIVE FOR "
                          "DELETE TO PUBLIC USING (true);\n"),
              "%s", sql);
    free(sum);
    free(sql);
}

Test(security, trigger_enabled_state)
{
    static const char base[] =
        "CREATE TABLE t (id int);\n"
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS 'b';\n"
        "CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE "
        "FUNCTION f();\n";
    char b[1024], *sql;
    snprintf(b, sizeof b, "%sALTER TABLE ONLY t ENABLE ALWAYS TRIGGER x;\n",
             base);
    char *sum = diff_summary(base, b, &sql);
    cr_expect_str_eq(sum, "~ trigger x on public.t: ENABLE ALWAYS\n");
    cr_expect(strstr(sql, "ALTER TABLE public.t ENABLE ALWAYS TRIGGER x;\n"),
              "%s", sql);
    free(sum);
    free(sql);
    cr_expect_neq(load_into(&cat, "CREATE TABLE t (id int);\n"
                                  "ALTER TABLE t DISABLE TRIGGER nope;\n"),
                  0);
    cr_expect(strstr(rendered(), "trigger nope on public.t is not declared"),
              "%s", rendered());
}

static const char evt_fn[] =
    "CREATE FUNCTION ev() RETURNS event_trigger LANGUAGE plpgsql AS 'b';\n";

Test(security, event_triggers)
{
    char a[1024], b[1024], *sql;
    snprintf(a, sizeof a, "%s", evt_fn);
    snprintf(b, sizeof b,
             "%sCREATE EVENT TRIGGER e ON ddl_command_end WHEN TAG IN "
             "('create table', 'DROP TABLE') EXECUTE PROCEDURE ev();\n"
             "ALTER EVENT TRIGGER e DISABLE;\n"
             "COMMENT ON EVENT TRIGGER e IS 'hi';\n",
             evt_fn);
    cr_assert_eq(load_into(&cat2, b), 0);
    const ag_event_trigger *e = (const ag_event_trigger *)ag_catalog_find(
        &cat2, AG_KIND_EVENT_TRIGGER, "", "e");
    cr_assert(e);
    cr_expect_str_eq(e->func.schema, "public");
    cr_expect_eq(e->enabled, 'D');
    cr_assert_eq(e->ntags, 2);
    cr_expect_str_eq(e->tags[0], "CREATE TABLE"); /* upper, as written */
    cr_expect_str_eq(e->tags[1], "DROP TABLE");
    char *sum = diff_summary(a, b, &sql);
    cr_expect_str_eq(sum, "+ event trigger e\n"
                          "~ event trigger e: DISABLE\n"
                          "~ event trigger e: comment none -> 'hi'\n");
    cr_expect(strstr(sql, "CREATE EVENT TRIGGER e ON ddl_command_end\n"
                          "    WHEN TAG IN ('CREATE TABLE', 'DROP TABLE')\n"
                          "    EXECUTE FUNCTION public.ev();\n\n"
                          "ALTER EVENT TRIGGER e DISABLE;\n"),
              "%s", sql);
    free(sum);
    free(sql);
}

Test(security, publications)
{
    static const char tables[] = "CREATE TABLE a (id int);\n"
                                 "CREATE TABLE b (id int);\n"
                                 "CREATE SCHEMA s;\n";
    char a[1024], b[1024], *sql;
    snprintf(a, sizeof a,
             "%sCREATE PUBLICATION p FOR TABLE a WITH (publish = 'insert');\n",
             tables);
    snprintf(b, sizeof b,
             "%sCREATE PUBLICATION p WITH (publish = 'delete,insert', "
             "publish_via_partition_root);\n"
             "ALTER PUBLICATION p ADD TABLE ONLY b, TABLES IN SCHEMA s;\n",
             tables);
    char *sum = diff_summary(a, b, &sql);
    cr_expect_str_eq(sum, "~ publication p: +table public.b, -table public.a, "
                          "+schema s, publish 'insert' -> 'insert, delete', "
                          "publish_via_partition_root on\n");
    cr_expect(strstr(sql, "ALTER PUBLICATION p DROP TABLE public.a;\n"
                          "ALTER PUBLICATION p ADD TABLE public.b;\n"
                          "ALTER PUBLICATION p ADD TABLES IN SCHEMA s;\n"
                          "ALTER PUBLICATION p SET (publish = 'insert, "
                          "delete', publish_via_partition_root = true);\n"),
              "%s", sql);
    free(sum);
    free(sql);
    snprintf(b, sizeof b,
             "%sCREATE PUBLICATION p FOR TABLE a WHERE (id > 0);\n", tables);
    cr_expect_neq(load_into(&cat, b), 0);
    cr_expect(strstr(rendered(), "WHERE clauses are not managed"), "%s",
              rendered());
}

Test(security, comments_on_more_kinds)
{
    cr_assert_eq(
        load_into(&cat, "CREATE SCHEMA app;\n"
                        "COMMENT ON SCHEMA app IS 'application';\n"
                        "CREATE EXTENSION citext;\n"
                        "COMMENT ON EXTENSION citext IS 'ci';\n"
                        "CREATE DOMAIN d AS int CONSTRAINT pos CHECK "
                        "(VALUE > 0);\n"
                        "COMMENT ON CONSTRAINT pos ON DOMAIN d IS 'positive';\n"
                        "CREATE TYPE addr AS (city text);\n"
                        "COMMENT ON COLUMN addr.city IS 'town';\n"),
        0, "%s", rendered());
    cr_expect_str_eq(ag_catalog_find(&cat, AG_KIND_SCHEMA, "", "app")->comment,
                     "application");
    /* An undeclared public carries template1's comment. */
    cr_expect_str_eq(
        ag_catalog_find(&cat, AG_KIND_SCHEMA, "", "public")->comment,
        "standard public schema");
    cr_expect_str_eq(
        ag_catalog_find(&cat, AG_KIND_EXTENSION, "", "citext")->comment, "ci");
    const ag_domain *d =
        (const ag_domain *)ag_catalog_find(&cat, AG_KIND_DOMAIN, "public", "d");
    cr_expect_str_eq(d->checks[0].comment, "positive");
    const ag_composite *t = (const ag_composite *)ag_catalog_find(
        &cat, AG_KIND_COMPOSITE, "public", "addr");
    cr_expect_str_eq(t->attrs[0].comment, "town");

    /* CREATE SCHEMA public re-creates it: no template comment. */
    cr_assert_eq(load_into(&cat2, "CREATE SCHEMA public;\n"), 0);
    cr_expect_null(
        ag_catalog_find(&cat2, AG_KIND_SCHEMA, "", "public")->comment);
}

Test(security, comment_sql_for_domain_checks_and_attributes)
{
    char *sql;
    char *sum = diff_summary(
        "CREATE DOMAIN d AS int CONSTRAINT pos CHECK (VALUE > 0);\n"
        "CREATE TYPE addr AS (city text);\n",
        "CREATE DOMAIN d AS int CONSTRAINT pos CHECK (VALUE > 0);\n"
        "COMMENT ON CONSTRAINT pos ON DOMAIN d IS 'positive';\n"
        "CREATE TYPE addr AS (city text);\n"
        "COMMENT ON COLUMN addr.city IS 'town';\n",
        &sql);
    cr_expect_str_eq(sum, "~ attribute public.addr.city: comment none -> "
                          "'town'\n"
                          "~ constraint pos on domain public.d: comment none "
                          "-> 'positive'\n");
    cr_expect(strstr(sql, "COMMENT ON COLUMN public.addr.city IS 'town';\n"),
              "%s", sql);
    cr_expect(strstr(sql, "COMMENT ON CONSTRAINT pos ON DOMAIN public.d IS "
                          "'positive';\n"),
              "%s", sql);
    free(sum);
    free(sql);
}

/* plpgsql is built in: pg_dump's COMMENT ON EXTENSION plpgsql (apflora)
 * is accepted, another text only warned about, neither an error. */
Test(security, comment_on_builtin_plpgsql)
{
    cr_assert_eq(load_into(&cat, "COMMENT ON EXTENSION plpgsql IS "
                                 "'PL/pgSQL procedural language';\n"),
                 0, "%s", rendered());
    cr_expect_str_eq(rendered(), "");
    cr_expect_null(ag_catalog_find(&cat, AG_KIND_EXTENSION, "", "plpgsql"));
    cr_assert_eq(
        load_into(&cat, "COMMENT ON EXTENSION plpgsql IS 'our language';\n"),
        0, "%s", rendered());
    cr_expect(strstr(rendered(), "warning: the comment on extension plpgsql "
                                 "is not managed"),
              "%s", rendered());
    cr_expect_neq(load_into(&cat, "COMMENT ON EXTENSION hstore IS 'kv';\n"),
                  0);
    cr_expect(strstr(rendered(), "COMMENT ON an object the models do not "
                                 "declare"),
              "%s", rendered());
}
