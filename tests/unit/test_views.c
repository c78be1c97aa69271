/* Unit tests for views: the loader (statements, options, aliases, OR
 * REPLACE, comments, matview indexes, INSTEAD OF triggers, relations read)
 * and the differ's decisions and order on in-memory catalogs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/diff.h"
#include "autogen/emit.h"
#include "autogen/loader.h"
#include "autogen/devdb.h"
#include "diag_fixture.h"
#include "load_fixture.h"

static ag_catalog cat;
static ag_diag diag;

static int
load(const char *sql)
{
    return load_sql(&cat, sql, NULL, &diag);
}

static const char *
rendered(void)
{
    return diag_text(&diag);
}

static void
done(void)
{
    ag_diag_free(&diag);
    ag_catalog_destroy(&cat);
}

TestSuite(views, .fini = done);

static bool
reads(const ag_view *v, ag_kind kind, const char *schema, const char *name)
{
    for (size_t i = 0; i < v->ndeps; i++)
        if (v->deps[i].kind == kind &&
            strcmp(v->deps[i].name.schema, schema) == 0 &&
            strcmp(v->deps[i].name.name, name) == 0)
            return true;
    return false;
}

Test(views, statements_options_and_relations_read)
{
    cr_assert_eq(load("CREATE SCHEMA app;\n"
                      "CREATE TABLE app.t (a int, b text);\n"
                      "SET search_path = app, public;\n"
                      "CREATE VIEW w (x) WITH (security_barrier) AS\n"
                      "  WITH c AS (SELECT a FROM v) SELECT a FROM c\n"
                      "  WITH LOCAL CHECK OPTION;\n"
                      "CREATE VIEW v AS SELECT * FROM t;\n"
                      "CREATE MATERIALIZED VIEW m AS SELECT a FROM t "
                      "WITH NO DATA;\n"
                      "CREATE INDEX ON m (a);\n"
                      "COMMENT ON VIEW v IS 'vee';\n"
                      "COMMENT ON MATERIALIZED VIEW m IS 'em';\n"
                      "COMMENT ON COLUMN v.b IS 'bee';\n"),
                 0, "%s", rendered());
    const ag_view *w = ag_catalog_view(&cat, "app", "w");
    cr_assert_not_null(w);
    cr_expect(!w->materialized && w->security_barrier);
    cr_expect_str_eq(w->check_option, "local");
    cr_expect(w->aliased && w->ncols == 1 && !strcmp(w->cols[0].name, "x"));
    cr_expect_str_eq(w->search_path, "app, public");
    /* The CTE's name is not a relation; v is found along the path. */
    cr_expect_eq(w->ndeps, 1);
    cr_expect(reads(w, AG_KIND_VIEW, "app", "v"));
    const ag_view *v = ag_catalog_view(&cat, "app", "v");
    cr_assert_not_null(v);
    cr_expect(reads(v, AG_KIND_TABLE, "app", "t"));
    cr_expect_str_eq(v->obj.comment, "vee");
    cr_expect(!v->aliased && v->ncols == 1 && !strcmp(v->cols[0].name, "b") &&
              !strcmp(v->cols[0].comment, "bee"));
    const ag_view *m = ag_catalog_view(&cat, "app", "m");
    cr_assert_not_null(m);
    cr_expect(m->materialized && !m->populated);
    cr_expect_str_eq(m->obj.comment, "em");
    const ag_index *x = (const ag_index *)ag_catalog_find(&cat, AG_KIND_INDEX,
                                                          "app", "m_a_idx");
    cr_assert_not_null(x, "the index on the matview is named as PostgreSQL "
                          "names it");
    cr_expect_str_eq(x->table, "m");
}

Test(views, or_replace_twice_keeps_the_last)
{
    cr_assert_eq(load("CREATE TABLE t (a int, b int);\n"
                      "CREATE OR REPLACE VIEW v AS SELECT a FROM t;\n"
                      "COMMENT ON VIEW v IS 'kept';\n"
                      "CREATE OR REPLACE VIEW v AS SELECT a, b FROM t;\n"),
                 0, "%s", rendered());
    const ag_view *v = ag_catalog_view(&cat, "public", "v");
    cr_assert_not_null(v);
    cr_expect(strstr(v->def, "b") != NULL, "%s", v->def);
    cr_expect_str_eq(v->obj.comment, "kept");
}

Test(views, mistakes_are_errors_naming_the_line)
{
    cr_expect_neq(load("CREATE TABLE t (a int);\n"
                       "CREATE VIEW v AS SELECT a FROM t;\n"
                       "CREATE VIEW v AS SELECT a FROM t;\n"),
                  0);
    cr_expect(strstr(rendered(), "m.sql:3") != NULL, "%s", rendered());
    done();
    cr_expect_neq(load("CREATE TEMP VIEW v AS SELECT 1;\n"), 0);
    cr_expect(strstr(rendered(), "temporary") != NULL, "%s", rendered());
    done();
    cr_expect_neq(load("SELECT 1 AS a INTO t2;\n"), 0);
    cr_expect(strstr(rendered(), "CREATE TABLE AS / SELECT INTO cannot be a "
                                 "declaration") != NULL,
              "%s", rendered());
}

/* CREATE TABLE AS declares a table whose columns the dev database gives;
 * until then it holds its statement, schema-qualified and WITH NO DATA. */
Test(views, create_table_as_waits_for_the_dev_database)
{
    cr_assert_eq(load("CREATE SCHEMA app;\n"
                      "SET search_path = app, public;\n"
                      "CREATE TABLE n (x int);\n"
                      "CREATE TABLE evens AS SELECT x FROM n WHERE x % 2 = 0;\n"),
                 0, "%s", rendered());
    const ag_table *t = ag_catalog_table(&cat, "app", "evens");
    cr_assert_not_null(t);
    cr_expect_eq(t->ncols, 0);
    cr_assert_not_null(t->as_sql);
    cr_expect(strstr(t->as_sql, "CREATE TABLE app.evens AS SELECT") != NULL,
              "%s", t->as_sql);
    cr_expect(strstr(t->as_sql, "WITH NO DATA") != NULL, "%s", t->as_sql);
    cr_expect_str_eq(t->as_search_path, "app, public");
    cr_expect(ag_devdb_needed(&cat));
}

Test(views, instead_of_trigger_on_a_view)
{
    cr_assert_eq(
        load("CREATE TABLE t (a int);\n"
             "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS "
             "$$ BEGIN RETURN NEW; END $$;\n"
             "CREATE VIEW v AS SELECT a FROM t;\n"
             "CREATE TRIGGER tr INSTEAD OF INSERT ON v FOR EACH ROW "
             "EXECUTE FUNCTION f();\n"),
        0, "%s", rendered());
    cr_expect_not_null(ag_catalog_find_trigger(&cat, "public", "v", "tr"));
}

/* ---- the differ, on catalogs built by hand (canonical already) ---- */

static ag_catalog A, B;

static ag_view *
view(ag_catalog *c, const char *name, const char *def, const char *const *cols,
     size_t ncols)
{
    ag_view *v = ag_catalog_add(c, AG_KIND_VIEW, "public", name, sizeof *v);
    v->def = def;
    v->cols = ag_arena_alloc(&c->arena, (ncols + 1) * sizeof *v->cols);
    for (size_t i = 0; i < ncols; i++) {
        v->cols[i].name = cols[i];
        v->cols[i].type = "integer";
    }
    v->ncols = ncols;
    return v;
}

static void
dep(ag_catalog *c, ag_view *v, ag_kind kind, const char *name, const char *col)
{
    v->deps = ag_arena_grow(&c->arena, v->deps, v->ndeps, sizeof *v->deps);
    v->deps[v->ndeps++] = (ag_viewdep){kind, {"public", name}, col};
}

static ag_table *
table(ag_catalog *c, const char *type)
{
    ag_table *t = ag_catalog_add(c, AG_KIND_TABLE, "public", "t", sizeof *t);
    t->persistence = 'p';
    ag_column col = {.name = "a", .type = type};
    ag_table_add_column(c, t, &col);
    return t;
}

static char *
plan_sql(void)
{
    ag_catalog_seal(&A);
    ag_catalog_seal(&B);
    ag_plan plan;
    ag_error err;
    cr_assert_eq(ag_diff(&A, &B, &plan, &err), 0, "%s", err.msg);
    ag_buf b;
    ag_buf_init(&b);
    ag_emit_sql(&plan, &b);
    ag_plan_free(&plan);
    char *s = ag_xstrdup(b.data ? b.data : "");
    ag_buf_free(&b);
    return s;
}

static void
setup2(void)
{
    ag_catalog_init(&A, "database");
    ag_catalog_init(&B, "models");
}

static void
teardown2(void)
{
    ag_catalog_destroy(&A);
    ag_catalog_destroy(&B);
}

TestSuite(view_diff, .init = setup2, .fini = teardown2);

static const char *const a_col[] = {"a"};
static const char *const ab_cols[] = {"a", "b"};

/* Position of needle in hay (must be there). */
static size_t
at(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    cr_assert_not_null(p, "missing %s in:\n%s", needle, hay);
    return (size_t)(p - hay);
}

Test(view_diff, unchanged_is_nothing_and_appended_column_is_replace)
{
    table(&A, "integer");
    table(&B, "integer");
    view(&A, "v", "SELECT t.a FROM public.t", a_col, 1);
    view(&B, "v", "SELECT t.a FROM public.t", a_col, 1);
    view(&A, "w", "SELECT t.a FROM public.t", a_col, 1);
    view(&B, "w", "SELECT t.a, 1 AS b FROM public.t", ab_cols, 2);
    char *sql = plan_sql();
    cr_expect(strstr(sql, "public.v") == NULL, "%s", sql);
    at(sql, "CREATE OR REPLACE VIEW public.w AS");
    cr_expect(strstr(sql, "DROP") == NULL, "%s", sql);
    free(sql);
}

Test(view_diff, removed_column_is_drop_and_create)
{
    table(&A, "integer");
    table(&B, "integer");
    view(&A, "w", "SELECT t.a, 1 AS b FROM public.t", ab_cols, 2);
    view(&B, "w", "SELECT t.a FROM public.t", a_col, 1);
    char *sql = plan_sql();
    cr_expect_lt(at(sql, "DROP VIEW public.w"), at(sql, "CREATE VIEW public.w"));
    free(sql);
}

Test(view_diff, type_change_recreates_the_chain_around_the_alter)
{
    table(&A, "integer");
    table(&B, "bigint");
    ag_view *v = view(&A, "z", "SELECT t.a FROM public.t", a_col, 1);
    dep(&A, v, AG_KIND_TABLE, "t", "a");
    ag_view *w = view(&A, "a", "SELECT z.a FROM public.z", a_col, 1);
    dep(&A, w, AG_KIND_VIEW, "z", NULL);
    v = view(&B, "z", "SELECT t.a FROM public.t", a_col, 1);
    dep(&B, v, AG_KIND_TABLE, "t", "a");
    w = view(&B, "a", "SELECT z.a FROM public.z", a_col, 1);
    dep(&B, w, AG_KIND_VIEW, "z", NULL);
    char *sql = plan_sql();
    size_t drop_a = at(sql, "DROP VIEW public.a;");
    size_t drop_z = at(sql, "DROP VIEW public.z;");
    size_t alter = at(sql, "ALTER COLUMN a TYPE bigint");
    size_t create_z = at(sql, "CREATE VIEW public.z AS");
    size_t create_a = at(sql, "CREATE VIEW public.a AS");
    cr_expect_lt(drop_a, drop_z, "the dependant goes first:\n%s", sql);
    cr_expect_lt(drop_z, alter);
    cr_expect_lt(alter, create_z);
    cr_expect_lt(create_z, create_a, "what it reads comes first:\n%s", sql);
    free(sql);
}

Test(view_diff, dropped_matview_is_a_data_hazard)
{
    ag_view *m = view(&A, "m", "SELECT 1 AS a", a_col, 1);
    m->materialized = true;
    char *sql = plan_sql();
    cr_expect_lt(at(sql, "-- hazard: deletes-data"),
                 at(sql, "DROP MATERIALIZED VIEW public.m"));
    free(sql);
}
