/* Unit tests for what function bodies reference (routine_refs.h): SQL
 * string bodies, PL/pgSQL statements and expressions, what is left out
 * (dynamic SQL, CTE names, variables), bodies that do not parse, the path
 * names resolve along, and the lookup the differ uses. */
#include <criterion/criterion.h>
#include <string.h>

#include "autogen/canon_routines.h"
#include "autogen/diff.h"
#include "autogen/emit.h"
#include "autogen/loader.h"
#include "autogen/routine_refs.h"
#include "load_fixture.h"

static ag_catalog cat, cat2;
static ag_buf text;

static void
setup(void)
{
    memset(&cat, 0, sizeof cat);
    memset(&cat2, 0, sizeof cat2);
    ag_buf_init(&text);
}

static void
teardown(void)
{
    ag_catalog_destroy(&cat);
    ag_catalog_destroy(&cat2);
    ag_buf_free(&text);
}

TestSuite(routine_refs, .init = setup, .fini = teardown);

/* Load models into c; returns 0 when they loaded without error. */
static int
load_into(ag_catalog *c, const char *sql)
{
    return load_sql(c, sql, NULL, NULL);
}

static int
load(const char *sql)
{
    return load_into(&cat, sql);
}

static const ag_function *
fn(const char *schema, const char *name)
{
    const ag_function *f = (const ag_function *)ag_catalog_find(
        &cat, AG_KIND_FUNCTION, schema, name);
    cr_assert_not_null(f, "no function %s.%s", schema, name);
    return f;
}

/* " R t.id | F app.g | T mood |": one entry per reference, '?' for an
 * unqualified schema, in recording order. */
static const char *
refs(const ag_function *f)
{
    ag_buf_reset(&text);
    for (size_t i = 0; i < f->nrefs; i++) {
        const ag_funcref *r = &f->refs[i];
        ag_buf_printf(&text, " %c %s%s%s%s%s |",
                      r->kind == AG_REF_RELATION   ? 'R'
                      : r->kind == AG_REF_FUNCTION ? 'F'
                                                   : 'T',
                      r->name.schema ? r->name.schema : "",
                      r->name.schema ? "." : "", r->name.name,
                      r->col ? "." : "", r->col ? r->col : "");
    }
    return text.data ? text.data : "";
}

#define HAS(f, s) cr_assert(strstr(refs(f), s), "%s not in:%s", s, refs(f))
#define HASNT(f, s) cr_assert(!strstr(refs(f), s), "%s in:%s", s, refs(f))

Test(routine_refs, sql_string_body)
{
    cr_assert_eq(load("CREATE FUNCTION f(p int) RETURNS bigint LANGUAGE sql "
                      "AS $$ SELECT count(*) FROM app.t a JOIN u ON u.id = "
                      "a.uid WHERE a.flag AND g(p) > 0 $$;"),
                 0);
    const ag_function *f = fn("public", "f(integer)");
    HAS(f, " R app.t |");
    HAS(f, " R u |");
    HAS(f, " R u.id |");
    HAS(f, " R app.t.uid |");
    HAS(f, " R app.t.flag |");
    HAS(f, " F g |");
    HAS(f, " F count |");
    /* No relation is credited with a bare name on a two-table level. */
    HASNT(f, ".p |");
}

Test(routine_refs, sql_dml_targets_and_ctes)
{
    cr_assert_eq(
        load("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$\n"
             "WITH w AS (SELECT id FROM src) INSERT INTO dst (id, n) SELECT "
             "id, 1 FROM w;\n"
             "UPDATE t2 SET x = 1 WHERE y = 2;\n"
             "DELETE FROM t3 USING t4 WHERE t3.k = t4.k;\n$$;"),
        0);
    const ag_function *f = fn("public", "f()");
    HAS(f, " R src |");
    HAS(f, " R src.id |");
    HAS(f, " R dst |");
    HAS(f, " R dst.id |");
    HAS(f, " R dst.n |");
    HASNT(f, " R w"); /* a CTE is not a relation */
    HAS(f, " R t2.x |");
    HAS(f, " R t2.y |");
    HAS(f, " R t3.k |");
    HAS(f, " R t4.k |");
}

Test(routine_refs, plpgsql_statements)
{
    cr_assert_eq(
        load("CREATE FUNCTION f(p_id integer) RETURNS SETOF integer\n"
             "LANGUAGE plpgsql AS $fn$\n"
             "DECLARE r record; n int := (SELECT count(*) FROM d_default);\n"
             "BEGIN\n"
             "  p_id := (SELECT max(id) FROM d_assign);\n"
             "  PERFORM d_perform(1);\n"
             "  FOR r IN SELECT * FROM d_for LOOP END LOOP;\n"
             "  IF EXISTS (SELECT 1 FROM d_if WHERE k = p_id) THEN\n"
             "    INSERT INTO d_insert VALUES ($q$it's$q$);\n"
             "  END IF;\n"
             "  EXECUTE 'SELECT 1 FROM d_dynamic';\n"
             "  EXECUTE format($x$DELETE FROM %I$x$, 'd_dyn2');\n"
             "  RETURN QUERY SELECT v FROM d_query;\n"
             "END $fn$;"),
        0);
    const ag_function *f = fn("public", "f(integer)");
    HAS(f, " R d_default |");
    HAS(f, " R d_assign |");
    HAS(f, " R d_assign.id |");
    HAS(f, " F d_perform |");
    HAS(f, " R d_for |");
    HAS(f, " R d_if.k |");
    HAS(f, " R d_if.p_id |"); /* a variable can't be told from a column */
    HAS(f, " R d_insert |");
    HAS(f, " R d_query.v |");
    HAS(f, " F format |");
    HASNT(f, "d_dynamic"); /* dynamic SQL is not followed */
    HASNT(f, "d_dyn2");
}

Test(routine_refs, plpgsql_trigger_function)
{
    cr_assert_eq(load("CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql "
                      "AS $$ BEGIN NEW.total := NEW.a + 1;\n"
                      "UPDATE audit SET n = n + 1 WHERE id = NEW.id;\n"
                      "RETURN NEW; END $$;"),
                 0);
    const ag_function *f = fn("public", "trg()");
    HAS(f, " R audit |");
    HAS(f, " R audit.n |");
    HASNT(f, "total");
}

Test(routine_refs, unparsable_body_loads_and_records_nothing)
{
    cr_assert_eq(load("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS "
                      "$$ BEGIN undeclared := 1; SELEC 2; END $$;\n"
                      "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS "
                      "$$ SELEC FROM WHERE $$;"),
                 0);
    cr_assert_eq(fn("public", "f()")->nrefs, 0);
    cr_assert_eq(fn("public", "g()")->nrefs, 0);
}

Test(routine_refs, other_languages_skipped)
{
    cr_assert_eq(load("CREATE FUNCTION f() RETURNS int LANGUAGE c AS "
                      "'$libdir/x', 'f';"),
                 0);
    cr_assert_eq(fn("public", "f()")->nrefs, 0);
}

Test(routine_refs, search_path_of_create_and_set_clause)
{
    cr_assert_eq(load("CREATE SCHEMA app; CREATE SCHEMA lib;\n"
                      "CREATE TABLE lib.t (id int); CREATE TABLE app.t (id "
                      "int);\n"
                      "SET search_path = app, lib;\n"
                      "CREATE FUNCTION a() RETURNS int LANGUAGE sql AS "
                      "$$ SELECT id FROM t $$;\n"
                      "CREATE FUNCTION b() RETURNS int LANGUAGE sql "
                      "SET search_path = lib, \"$user\" AS "
                      "$$ SELECT id FROM t $$;\n"
                      "CREATE FUNCTION c() RETURNS int LANGUAGE sql "
                      "SET search_path = '' AS $$ SELECT id FROM t $$;\n"
                      "CREATE FUNCTION d() RETURNS int LANGUAGE sql "
                      "SET search_path = '\"$user\", \"lib\"' AS "
                      "$$ SELECT id FROM t $$;"),
                 0);
    const ag_function *a = fn("app", "a()");
    const ag_function *b = fn("app", "b()");
    cr_assert_eq(a->npath, 2);
    cr_assert_eq(b->npath, 1);
    cr_assert_str_eq(b->path[0], "lib");
    const ag_object *o = ag_routine_ref_lookup(&cat, a, &a->refs[0]);
    cr_assert_not_null(o);
    cr_assert_str_eq(o->name.schema, "app");
    o = ag_routine_ref_lookup(&cat, b, &b->refs[0]);
    cr_assert_not_null(o);
    cr_assert_str_eq(o->name.schema, "lib");
    const ag_function *c = fn("app", "c()");
    cr_assert_null(ag_routine_ref_lookup(&cat, c, &c->refs[0]));
    const ag_function *d = fn("app", "d()");
    cr_assert_eq(d->npath, 1);
    cr_assert_str_eq(d->path[0], "lib");
}

Test(routine_refs, database_side_from_functiondef)
{
    ag_catalog_init(&cat, "database");
    ag_error err;
    ag_function *f = NULL;
    const char *def = "CREATE OR REPLACE FUNCTION public.f(x integer)\n"
                      " RETURNS integer\n LANGUAGE plpgsql\n"
                      "AS $function$ BEGIN RETURN (SELECT v FROM app.vw "
                      "WHERE app.vw.k = x); END $function$\n";
    cr_assert_eq(ag_canon_function_text(&cat, def, &f, &err), 0, "%s", err.msg);
    ag_routine_refs(&cat, f, NULL, 0);
    HAS(f, " R app.vw |");
    HAS(f, " R app.vw.v |");
    HAS(f, " R app.vw.k |");
    cr_assert_eq(f->npath, 0);
    /* Unqualified names without SET search_path: public, then the other
     * schemas by name. */
    ag_catalog_add(&cat, AG_KIND_SCHEMA, "", "app", sizeof(ag_schema));
    ag_catalog_add(&cat, AG_KIND_VIEW, "app", "vw", sizeof(ag_view));
    ag_catalog_add(&cat, AG_KIND_TABLE, "app", "g", sizeof(ag_table));
    ag_catalog_seal(&cat);
    ag_funcref r = {AG_REF_RELATION, {NULL, "vw"}, NULL};
    const ag_object *o = ag_routine_ref_lookup(&cat, f, &r);
    cr_assert(o && o->kind == AG_KIND_VIEW);
    ag_funcref fr = {AG_REF_FUNCTION, {"public", "f"}, NULL};
    cr_assert_eq(ag_routine_ref_lookup(&cat, f, &fr), &f->obj);
    ag_funcref miss = {AG_REF_FUNCTION, {"public", "g"}, NULL};
    cr_assert_null(ag_routine_ref_lookup(&cat, f, &miss));
}

/* ---- the breaks-function hazard ---- */

/* Upgrade SQL and summary from `from` to `to` (models on both sides),
 * into text as "SQL\n====\nSUMMARY". */
static const char *
plan_text(const char *from, const char *to)
{
    cr_assert_eq(load_into(&cat, from), 0);
    cr_assert_eq(load_into(&cat2, to), 0);
    ag_plan plan;
    ag_error err;
    cr_assert_eq(ag_diff(&cat, &cat2, &plan, &err), 0, "%s", err.msg);
    ag_buf_reset(&text);
    ag_emit_sql(&plan, &text);
    ag_buf_put(&text, "\n====\n");
    ag_emit_summary(&plan, &text);
    ag_plan_free(&plan);
    return text.data;
}

static const char plfn[] =
    "CREATE FUNCTION app.n() RETURNS bigint LANGUAGE plpgsql AS $$\n"
    "BEGIN RETURN (SELECT count(*) FROM t WHERE gone_col > 0); END $$;\n";

Test(routine_refs, hazard_when_a_kept_function_reads_a_dropped_table)
{
    const char *s = plan_text("CREATE SCHEMA app; SET search_path = app;\n"
                              "CREATE TABLE t (id int, gone_col int);\n"
                              "CREATE TABLE other (id int);\n",
                              "CREATE SCHEMA app; SET search_path = app;\n");
    /* Without a function there is no hazard of that kind. */
    cr_assert(!strstr(s, "breaks-function"), "%s", s);
    s = plan_text("CREATE SCHEMA app; SET search_path = app;\n"
                  "CREATE TABLE t (id int, gone_col int);\n"
                  "CREATE TABLE other (id int);\n",
                  "CREATE SCHEMA app; SET search_path = app;\n"
                  "CREATE TABLE other (id int);\n");
    cr_assert(!strstr(s, "breaks-function"), "%s", s);
    char *before = strdup("CREATE SCHEMA app; SET search_path = app;\n"
                          "CREATE TABLE t (id int, gone_col int);\n"
                          "CREATE TABLE other (id int);\n");
    ag_buf to;
    ag_buf_init(&to);
    ag_buf_printf(&to, "CREATE SCHEMA app; SET search_path = app;\n%s", plfn);
    ag_buf from;
    ag_buf_init(&from);
    ag_buf_printf(&from, "%s%s", before, plfn);
    s = plan_text(from.data, to.data);
    cr_assert(strstr(s, "-- hazard: breaks-function: function app.n() still "
                        "names table app.t, which this removes"),
              "%s", s);
    cr_assert(strstr(s, "[hazard: breaks-function: function app.n()"), "%s", s);
    /* `other` is not named by the function: one hazard only. */
    cr_assert(
        !strstr(strstr(s, "breaks-function") + 1, "-- hazard: breaks-function"),
        "%s", s);
    ag_buf_free(&to);
    ag_buf_free(&from);
    free(before);
}

Test(routine_refs, hazard_for_a_dropped_column_and_function)
{
    const char *s = plan_text(
        "CREATE SCHEMA app; SET search_path = app;\n"
        "CREATE TABLE t (id int, gone_col int);\n"
        "CREATE FUNCTION helper() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
        "CREATE FUNCTION user_of() RETURNS int LANGUAGE sql AS "
        "'SELECT helper()';\n"
        "CREATE FUNCTION n() RETURNS bigint LANGUAGE plpgsql AS $$\n"
        "BEGIN RETURN (SELECT count(*) FROM t WHERE gone_col > 0); END $$;\n",
        "CREATE SCHEMA app; SET search_path = app;\n"
        "CREATE TABLE t (id int);\n"
        "CREATE FUNCTION user_of() RETURNS int LANGUAGE sql AS "
        "'SELECT helper()';\n"
        "CREATE FUNCTION n() RETURNS bigint LANGUAGE plpgsql AS $$\n"
        "BEGIN RETURN (SELECT count(*) FROM t WHERE gone_col > 0); END $$;\n");
    cr_assert(strstr(s, "function app.n() still names column app.t.gone_col"),
              "%s", s);
    cr_assert(strstr(s, "function app.user_of() still names function "
                        "app.helper"),
              "%s", s);
}

Test(routine_refs, hazard_for_a_renamed_table_but_not_for_a_followed_one)
{
    const char *s =
        plan_text("CREATE TABLE old_name (id int);\n"
                  "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS "
                  "'SELECT count(*) FROM old_name';\n",
                  "-- autogen:renamed from=old_name\n"
                  "CREATE TABLE new_name (id int);\n"
                  "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS "
                  "'SELECT count(*) FROM old_name';\n");
    cr_assert(strstr(s, "-- hazard: breaks-function: function public.f() "
                        "still names table public.old_name"),
              "%s", s);
    /* The model's function follows the rename: nothing to say. */
    s = plan_text("CREATE TABLE old_name (id int);\n"
                  "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS "
                  "'SELECT count(*) FROM old_name';\n",
                  "-- autogen:renamed from=old_name\n"
                  "CREATE TABLE new_name (id int);\n"
                  "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS "
                  "'SELECT count(*) FROM new_name';\n");
    cr_assert(strstr(s, "RENAME TO new_name"), "%s", s);
    cr_assert(!strstr(s, "breaks-function"), "%s", s);
}
