/* Unit tests for functions, procedures and triggers: the loader, the
 * canonical forms against the server's own spellings (pg_get_functiondef
 * and pg_get_triggerdef output copied from PostgreSQL 15), the differ's
 * choice between replace and re-create, and the emitted SQL. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/canon_routines.h"
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

static int
load(const char *sql)
{
    return load_into(&cat, sql);
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

TestSuite(routines, .init = setup, .fini = teardown);

static const ag_function *
fn(const ag_catalog *c, const char *schema, const char *name)
{
    return (const ag_function *)ag_catalog_find(c, AG_KIND_FUNCTION, schema,
                                                name);
}

/* The catalog dump line of the one object of a kind (the dump is what
 * the differ's comparisons see, field by field). */
static char *
dump_line(const ag_catalog *c, const char *prefix)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_catalog_dump(c, &b);
    char *line = NULL;
    for (char *p = b.data; p && *p;) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            line = strndup(p, len);
            break;
        }
        p = nl ? nl + 1 : p + len;
    }
    ag_buf_free(&b);
    return line;
}

Test(routines, overloads_are_distinct_objects)
{
    cr_assert_eq(load("CREATE FUNCTION area(r float8) RETURNS float8 "
                      "LANGUAGE sql AS 'select r';\n"
                      "CREATE FUNCTION area(w double precision, h float8) "
                      "RETURNS float8 LANGUAGE sql AS 'select w * h';\n"),
                 0, "%s", rendered());
    const ag_function *a = fn(&cat, "public", "area(double precision)");
    const ag_function *b =
        fn(&cat, "public", "area(double precision, double precision)");
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    cr_expect_str_eq(a->fname, "area");
    cr_expect_str_eq(b->identity, "double precision, double precision");
    cr_expect_str_eq(b->body, "select w * h");
}

Test(routines, or_replace_twice_keeps_the_last)
{
    cr_assert_eq(load("CREATE OR REPLACE FUNCTION f() RETURNS int "
                      "LANGUAGE sql AS 'select 1';\n"
                      "COMMENT ON FUNCTION f() IS 'kept';\n"
                      "CREATE OR REPLACE FUNCTION f() RETURNS int "
                      "LANGUAGE sql STABLE AS 'select 2';\n"),
                 0, "%s", rendered());
    const ag_function *f = fn(&cat, "public", "f()");
    cr_assert_not_null(f);
    cr_expect_str_eq(f->body, "select 2");
    cr_expect_eq(f->volatility, 's');
    cr_expect_str_eq(f->obj.comment, "kept");
    ag_object *const *list;
    cr_expect_eq(ag_catalog_list(&cat, AG_KIND_FUNCTION, &list), 1);
}

Test(routines, declared_twice_without_or_replace_is_an_error)
{
    cr_assert_neq(load("CREATE FUNCTION f() RETURNS int LANGUAGE sql "
                       "AS 'select 1';\n"
                       "CREATE FUNCTION f() RETURNS int LANGUAGE sql "
                       "AS 'select 2';\n"),
                  0);
    cr_expect(strstr(rendered(), "m.sql:2:1: error: function public.f() is "
                                 "declared twice"),
              "%s", rendered());
}

Test(routines, sql_standard_bodies_are_not_managed_yet)
{
    cr_assert_neq(load("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql "
                       "RETURN a + 1;\n"),
                  0);
    cr_expect(strstr(rendered(), "SQL-standard function bodies"), "%s",
              rendered());
}

Test(routines, model_function_equals_the_server_definition)
{
    cr_assert_eq(load("CREATE SCHEMA app;\n"
                      "SET search_path = app;\n"
                      "CREATE FUNCTION add(a int, b int4 default 1) "
                      "RETURNS integer AS $$ select a + b $$ "
                      "LANGUAGE sql STRICT IMMUTABLE;\n"),
                 0, "%s", rendered());
    ag_catalog_init(&cat2, "database");
    ag_error err;
    cr_assert_eq(ag_canon_function_text(
                     &cat2,
                     "CREATE OR REPLACE FUNCTION app.add(a integer, b integer "
                     "DEFAULT 1)\n RETURNS integer\n LANGUAGE sql\n "
                     "IMMUTABLE STRICT\nAS $function$ select a + b "
                     "$function$\n",
                     NULL, &err),
                 0, "%s", err.msg);
    ag_catalog_seal(&cat2);
    char *m = dump_line(&cat, "function ");
    char *d = dump_line(&cat2, "function ");
    cr_assert_not_null(m);
    cr_assert_not_null(d);
    cr_expect_str_eq(m, d);
    cr_expect(strstr(m, "app.add(integer, integer)"), "%s", m);
    cr_expect(strstr(m, "cost=100 rows=0"), "%s", m);
    free(m);
    free(d);
}

Test(routines, result_types_follow_create_function_rules)
{
    cr_assert_eq(load("CREATE TABLE t (id int);\n"
                      "CREATE FUNCTION a(OUT x int, OUT y text) "
                      "LANGUAGE sql AS 'select 1, ''a''';\n"
                      "CREATE FUNCTION b(INOUT x int) LANGUAGE sql "
                      "AS 'select x';\n"
                      "CREATE FUNCTION c() RETURNS SETOF t LANGUAGE sql "
                      "AS 'select * from t';\n"
                      "CREATE FUNCTION d(p varchar(10)) RETURNS TABLE "
                      "(id int, \"Label\" text) LANGUAGE sql "
                      "AS 'select 1, p';\n"
                      "CREATE PROCEDURE e(x int, OUT y int) LANGUAGE sql "
                      "AS 'select x';\n"),
                 0, "%s", rendered());
    cr_expect_str_eq(fn(&cat, "public", "a()")->result, "record");
    cr_expect_str_eq(fn(&cat, "public", "b(integer)")->result, "integer");
    const ag_function *c = fn(&cat, "public", "c()");
    cr_expect_str_eq(c->result, "SETOF public.t");
    cr_expect_eq(c->rows, 1000);
    cr_assert_eq(c->ntypes, 1);
    cr_expect_str_eq(c->types[0].name, "t");
    /* Typmods in signatures are dropped, as pg_proc does. */
    const ag_function *d = fn(&cat, "public", "d(character varying)");
    cr_assert_not_null(d);
    cr_expect_str_eq(d->result, "TABLE(id integer, \"Label\" text)");
    /* A procedure's OUT arguments belong to its signature. */
    const ag_function *e = fn(&cat, "public", "e(integer, integer)");
    cr_assert_not_null(e);
    cr_expect(e->is_procedure);
    cr_expect_null(e->result);
}

static const ag_trigger *
trg(const ag_catalog *c, const char *schema, const char *table,
    const char *name)
{
    return ag_catalog_find_trigger(c, schema, table, name);
}

static const char model_triggers[] =
    "CREATE SCHEMA app;\n"
    "SET search_path = app, public;\n"
    "CREATE TABLE t (id int PRIMARY KEY, status text, n int);\n"
    "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql "
    "AS $$ begin return new; end $$;\n"
    "CREATE TRIGGER t_upd BEFORE UPDATE OF status, n ON t FOR EACH ROW "
    "WHEN (OLD.status IS DISTINCT FROM NEW.status AND new.n > 0) "
    "EXECUTE PROCEDURE trg(x, 42);\n"
    "CREATE CONSTRAINT TRIGGER t_c AFTER UPDATE OR INSERT ON t "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION trg();\n"
    "COMMENT ON TRIGGER t_c ON t IS 'deferred';\n";

Test(routines, model_triggers_equal_pg_get_triggerdef)
{
    cr_assert_eq(load(model_triggers), 0, "%s", rendered());
    static const char *const server[][2] = {
        {"t_c", "CREATE CONSTRAINT TRIGGER t_c AFTER INSERT OR UPDATE ON "
                "app.t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE "
                "FUNCTION app.trg()"},
        {"t_upd", "CREATE TRIGGER t_upd BEFORE UPDATE OF status, n ON app.t "
                  "FOR EACH ROW WHEN (((old.status IS DISTINCT FROM "
                  "new.status) AND (new.n > 0))) EXECUTE FUNCTION "
                  "app.trg('x', '42')"},
    };
    ag_catalog_init(&cat2, "database");
    for (size_t i = 0; i < 2; i++) {
        const ag_trigger *m = trg(&cat, "app", "t", server[i][0]);
        cr_assert_not_null(m, "%s", server[i][0]);
        cr_expect_str_eq(m->func.schema, "app");
        cr_expect_str_eq(m->func.name, "trg");
        ag_trigger *d =
            ag_catalog_add_trigger(&cat2, "app", "t", server[i][0]);
        ag_error err;
        cr_assert_eq(ag_canon_trigger_text(&cat2, d, server[i][1], &err), 0,
                     "%s", err.msg);
        cr_expect_str_eq(m->def.canon, d->def.canon, "%s", server[i][0]);
        cr_expect_eq(m->constraint, d->constraint);
    }
    cr_expect(trg(&cat, "app", "t", "t_c")->constraint);
    cr_expect_str_eq(trg(&cat, "app", "t", "t_c")->obj.comment, "deferred");
    /* The model's emitted statement is schema-qualified. */
    cr_expect(strstr(trg(&cat, "app", "t", "t_upd")->def.sql,
                     "ON app.t FOR EACH ROW"),
              "%s", trg(&cat, "app", "t", "t_upd")->def.sql);
}

Test(routines, different_triggers_stay_different)
{
    ag_catalog_init(&cat, "database");
    const char *defs[] = {
        "CREATE TRIGGER x BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE "
        "FUNCTION public.f()",
        "CREATE TRIGGER x BEFORE INSERT OR UPDATE ON public.t FOR EACH ROW "
        "EXECUTE FUNCTION public.f()",
        "CREATE TRIGGER x AFTER UPDATE ON public.t FOR EACH ROW EXECUTE "
        "FUNCTION public.f()",
        "CREATE TRIGGER x BEFORE UPDATE ON public.t FOR EACH ROW WHEN "
        "((new.a > 0)) EXECUTE FUNCTION public.f()",
        "CREATE TRIGGER x BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE "
        "FUNCTION public.f('a')",
        "CREATE TRIGGER x BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE "
        "FUNCTION public.g()",
    };
    const size_t n = sizeof defs / sizeof defs[0];
    const char *canon[sizeof defs / sizeof defs[0]];
    for (size_t i = 0; i < n; i++) {
        char table[8];
        snprintf(table, sizeof table, "t%zu", i);
        ag_trigger *t = ag_catalog_add_trigger(&cat, "public", table, "x");
        ag_error err;
        cr_assert_eq(ag_canon_trigger_text(&cat, t, defs[i], &err), 0, "%s",
                     err.msg);
        canon[i] = t->def.canon;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            cr_expect_str_neq(canon[i], canon[j], "%zu vs %zu", i, j);
}

Test(routines, trigger_on_an_undeclared_table_is_an_error)
{
    cr_assert_neq(load("CREATE FUNCTION f() RETURNS trigger LANGUAGE "
                       "plpgsql AS 'begin return new; end';\n"
                       "CREATE TRIGGER x BEFORE INSERT ON nope FOR EACH ROW "
                       "EXECUTE FUNCTION f();\n"),
                  0);
    cr_expect(strstr(rendered(), "table nope is not declared"), "%s",
              rendered());
}

/* Diff two model texts and render the summary lines. */
static char *
diff_summary(const char *from, const char *to, char **sql)
{
    cr_assert_eq(load_into(&cat, from), 0, "%s", rendered());
    cr_assert_eq(load_into(&cat2, to), 0);
    return diff_render(&cat, &cat2, sql);
}

static const char trig_table[] =
    "CREATE TABLE t (id int);\n"
    "CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\n";

Test(routines, recreated_function_takes_its_trigger_along)
{
    /* (The loader does not check a trigger function's result type, so the
     * differ's rule can be shown with one that changes.) */
    char *before_sql = NULL, *sql = NULL;
    ag_buf a, b;
    ag_buf_init(&a);
    ag_buf_init(&b);
    ag_buf_printf(&a, "%sCREATE FUNCTION f() RETURNS trigger LANGUAGE "
                      "plpgsql AS 'begin return new; end';\n",
                  trig_table);
    ag_buf_printf(&b, "%sCREATE FUNCTION f() RETURNS void LANGUAGE "
                      "plpgsql AS 'begin end';\n",
                  trig_table);
    char *sum = diff_summary(a.data, b.data, &sql);
    cr_expect_str_eq(sum, "- trigger x on public.t (its function is "
                          "re-created)\n"
                          "- function public.f() (return type changed: "
                          "dropped and re-created)\n"
                          "+ function public.f()\n"
                          "+ trigger x on public.t\n");
    cr_expect(strstr(sql, "-- return type changed: dropped and re-created\n"
                          "DROP FUNCTION public.f();\n"),
              "%s", sql);
    cr_expect(strncmp(sql, "SET check_function_bodies = false;\n\n", 36) == 0,
              "%s", sql);
    free(sum);
    free(sql);
    free(before_sql);
    ag_buf_free(&a);
    ag_buf_free(&b);
}

Test(routines, body_change_is_replaced_in_place)
{
    char *sql;
    char *sum = diff_summary(
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'select a';\n",
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql STABLE "
        "AS $$select a + 1 -- $function$ inside$$;\n",
        &sql);
    cr_expect_str_eq(sum, "~ function public.f(integer): body changed, "
                          "volatile -> stable\n");
    cr_expect(strstr(sql, "CREATE OR REPLACE FUNCTION public.f(a integer)\n"
                          "    RETURNS integer\n    LANGUAGE sql\n"
                          "    STABLE\n"
                          "AS $function1$select a + 1 -- $function$ "
                          "inside$function1$;\n"),
              "%s", sql);
    free(sum);
    free(sql);
}

Test(routines, renamed_argument_or_removed_default_recreates)
{
    char *sql;
    char *sum = diff_summary(
        "CREATE FUNCTION f(a int default 1) RETURNS int LANGUAGE sql "
        "AS 'select 1';\n",
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'select 1';\n",
        &sql);
    cr_expect(strstr(sum, "- function public.f(integer) (argument default "
                          "removed: dropped and re-created)\n"),
              "%s", sum);
    free(sum);
    free(sql);
}

Test(routines, trigger_changes_replace_or_recreate)
{
    char *sql;
    char *sum = diff_summary(
        "CREATE TABLE t (id int);\n"
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS 'b';\n"
        "CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE "
        "FUNCTION f();\n"
        "CREATE CONSTRAINT TRIGGER y AFTER INSERT ON t FOR EACH ROW "
        "EXECUTE FUNCTION f();\n",
        "CREATE TABLE t (id int);\n"
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS 'b';\n"
        "CREATE TRIGGER x BEFORE INSERT OR DELETE ON t FOR EACH ROW EXECUTE "
        "FUNCTION f();\n"
        "CREATE CONSTRAINT TRIGGER y AFTER INSERT ON t DEFERRABLE FOR EACH "
        "ROW EXECUTE FUNCTION f();\n",
        &sql);
    cr_expect_str_eq(sum, "- trigger y on public.t (constraint triggers "
                          "cannot be replaced)\n"
                          "~ trigger x on public.t: definition changed\n"
                          "+ trigger y on public.t\n");
    cr_expect(strstr(sql, "CREATE OR REPLACE TRIGGER x BEFORE INSERT OR "
                          "DELETE ON public.t"),
              "%s", sql);
    cr_expect(strstr(sql, "DROP TRIGGER y ON public.t;\n"), "%s", sql);
    cr_expect(!strstr(sql, "check_function_bodies"), "%s", sql);
    free(sum);
    free(sql);
}
