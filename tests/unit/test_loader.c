/* Unit tests for the loader: model SQL in, catalog out, diagnostics. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/loader.h"
#include "diag_fixture.h"
#include "load_fixture.h"

static ag_catalog cat;
static ag_diag diag;

static int
load(const char *sql)
{
    return load_sql(&cat, sql, NULL, &diag);
}

static void
done(void)
{
    ag_diag_free(&diag);
    ag_catalog_destroy(&cat);
}

static const char *
rendered(void)
{
    return diag_text(&diag);
}

TestSuite(loader, .fini = done);

Test(loader, implicit_names_follow_postgresql)
{
    cr_assert_eq(load("CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE, "
                      "b int, c int CHECK (c > 0), CHECK (a < b), "
                      "UNIQUE (a, b), r int REFERENCES t);\n"
                      "CREATE INDEX ON t (lower(a::text));\n"
                      "CREATE INDEX ON t (a, b);\n"
                      "CREATE INDEX ON t (a, b);\n"),
                 0, "%s", rendered());
    const char *cons[] = {"t_pkey", "t_a_key", "t_c_check", "t_check",
                          "t_a_b_key", "t_r_fkey"};
    for (size_t i = 0; i < sizeof cons / sizeof cons[0]; i++)
        cr_expect_not_null(ag_catalog_find_constraint(&cat, "public", "t",
                                                      cons[i]),
                           "%s", cons[i]);
    const char *idx[] = {"t_lower_idx", "t_a_b_idx", "t_a_b_idx1"};
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        cr_expect_not_null(ag_catalog_find(&cat, AG_KIND_INDEX, "public",
                                           idx[i]),
                           "%s", idx[i]);
    ag_constraint *fk = ag_catalog_find_constraint(&cat, "public", "t",
                                                   "t_r_fkey");
    cr_assert_eq(fk->nref_cols, 1);
    cr_assert_str_eq(fk->ref_cols[0], "id");
}

/* Constraint names are chosen unique across the schema, as PostgreSQL's
 * ChooseConstraintName does: t(a_b) and t_a(b) both want t_a_b_check. */
Test(loader, implicit_constraint_names_unique_in_the_schema)
{
    cr_assert_eq(load("CREATE TABLE t (a_b int CHECK (a_b > 0));\n"
                      "CREATE TABLE t_a (b int CHECK (b > 0), "
                      "c int CHECK (c > 0) CHECK (c < 9));\n"),
                 0, "%s", rendered());
    cr_expect_not_null(
        ag_catalog_find_constraint(&cat, "public", "t", "t_a_b_check"));
    cr_expect_not_null(
        ag_catalog_find_constraint(&cat, "public", "t_a", "t_a_b_check1"));
    cr_expect_not_null(
        ag_catalog_find_constraint(&cat, "public", "t_a", "t_a_c_check"));
    cr_expect_not_null(
        ag_catalog_find_constraint(&cat, "public", "t_a", "t_a_c_check1"));
    cr_expect(ag_catalog_conname_taken(&cat, "public", "t_a_c_check1"));
    cr_expect(!ag_catalog_conname_taken(&cat, "other", "t_a_c_check1"));
}

/* CREATE TABLE keeps one of several keys that build the same index
 * (checked against PostgreSQL 15: c_pkey; named; e_a_key and e_pkey). */
Test(loader, duplicate_keys_in_create_table_collapse)
{
    cr_assert_eq(load("CREATE TABLE c (id serial NOT NULL UNIQUE, name "
                      "text, PRIMARY KEY (id));\n"
                      "CREATE TABLE d (a int, b int, UNIQUE (a, b), "
                      "CONSTRAINT named UNIQUE (a, b));\n"
                      "CREATE TABLE e (a int PRIMARY KEY, UNIQUE (a) "
                      "DEFERRABLE);\n"),
                 0, "%s", rendered());
    cr_expect_not_null(ag_catalog_find_constraint(&cat, "public", "c",
                                                  "c_pkey"));
    cr_expect_null(ag_catalog_find_constraint(&cat, "public", "c",
                                              "c_id_key"));
    cr_expect_not_null(ag_catalog_find_constraint(&cat, "public", "d",
                                                  "named"));
    cr_expect_null(ag_catalog_find_constraint(&cat, "public", "d",
                                              "d_a_b_key"));
    cr_expect_not_null(ag_catalog_find_constraint(&cat, "public", "e",
                                                  "e_pkey"));
    cr_expect_not_null(ag_catalog_find_constraint(&cat, "public", "e",
                                                  "e_a_key"));
}

Test(loader, long_names_are_truncated_to_63_bytes)
{
    char sql[512];
    const char *tname = "a_table_name_that_is_quite_long_indeed_more_than_"
                        "fifty_chars";
    snprintf(sql, sizeof sql,
             "CREATE TABLE %s (some_long_column_name int UNIQUE);", tname);
    cr_assert_eq(load(sql), 0, "%s", rendered());
    /* makeObjectName shortens the longer part first: 63 bytes in all. */
    ag_object *const *list;
    size_t n = ag_catalog_list(&cat, AG_KIND_CONSTRAINT, &list);
    cr_assert_eq(n, 1);
    cr_assert_eq(strlen(list[0]->name.name), 63, "%s", list[0]->name.name);
    cr_assert_str_eq(list[0]->name.name,
                     "a_table_name_that_is_quite_long_indee_some_long_column_"
                     "name_key");
}

Test(loader, serial_expands_to_sequence_default_and_not_null)
{
    cr_assert_eq(load("CREATE TABLE \"User\" (id serial, n bigserial);"), 0,
                 "%s", rendered());
    ag_table *t = ag_catalog_table(&cat, "public", "User");
    cr_assert_not_null(t);
    cr_assert_str_eq(t->cols[0].type, "integer");
    cr_assert(t->cols[0].notnull);
    cr_assert_str_eq(t->cols[0].default_expr->sql,
                     "nextval('public.\"User_id_seq\"'::regclass)");
    ag_sequence *s = ag_catalog_sequence(&cat, "public", "User_n_seq");
    cr_assert_not_null(s);
    cr_assert_str_eq(s->type, "bigint");
    cr_assert_str_eq(s->owned_col, "n");
}

Test(loader, pg_dump_style_alters_refine_tables)
{
    cr_assert_eq(
        load("SET search_path = '';\n"
             "CREATE TABLE public.t (id integer NOT NULL, v text);\n"
             "CREATE SEQUENCE public.t_id_seq AS integer START WITH 1 "
             "INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;\n"
             "ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;\n"
             "ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT "
             "nextval('public.t_id_seq'::regclass);\n"
             "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY "
             "(id);\n"
             "ALTER TABLE public.t OWNER TO postgres;\n"
             "COMMENT ON COLUMN public.t.v IS 'value';\n"),
        0, "%s", rendered());
    ag_table *t = ag_catalog_table(&cat, "public", "t");
    cr_assert_not_null(t->cols[0].default_expr);
    cr_assert_str_eq(t->cols[1].comment, "value");
    ag_sequence *s = ag_catalog_sequence(&cat, "public", "t_id_seq");
    cr_assert_str_eq(s->type, "integer");
    cr_assert_eq(s->max, 2147483647);
    cr_assert_str_eq(s->owned_by.name, "t");
    cr_assert_not_null(ag_catalog_find_constraint(&cat, "public", "t",
                                                  "t_pkey"));
}

Test(loader, statement_order_across_the_model_does_not_matter)
{
    cr_assert_eq(load("ALTER TABLE ONLY b ADD CONSTRAINT b_a FOREIGN KEY (a) "
                      "REFERENCES a(id);\n"
                      "CREATE INDEX b_a_idx ON b (a);\n"
                      "CREATE TABLE b (a int);\n"
                      "CREATE TABLE a (id int PRIMARY KEY);\n"),
                 0, "%s", rendered());
    cr_assert_not_null(ag_catalog_find_constraint(&cat, "public", "b", "b_a"));
}

Test(loader, errors_name_file_line_column_all_at_once)
{
    cr_assert_neq(load("CREATE TABLE a (x int);\n"
                       "CREATE TABEL b (y int);\n"
                       "CREATE TABLE c (z int;\n"),
                  0);
    const char *out = rendered();
    cr_assert(strstr(out, "m.sql:2:8: error: syntax error at or near "
                          "\"TABEL\""),
              "%s", out);
    cr_assert(strstr(out, "m.sql:3:"), "second error reported too: %s", out);
    cr_assert(strstr(out, "  CREATE TABEL b (y int);\n         ^"), "%s", out);
}

Test(loader, drops_and_unmanaged_kinds_are_errors_data_is_a_warning)
{
    cr_assert_neq(load("CREATE TABLE t (x int);\n"
                       "INSERT INTO t VALUES (1);\n"
                       "DROP TABLE t;\n"
                       "CREATE TYPE r AS RANGE (subtype = int4);\n"),
                  0);
    const char *out = rendered();
    cr_assert(strstr(out, "m.sql:2:1: warning: data statement (INSERT) "
                          "skipped"),
              "%s", out);
    cr_assert(strstr(out, "m.sql:3:1: error: DROP cannot be part of a model"),
              "%s", out);
    cr_assert(strstr(out, "m.sql:4:1: error: ") &&
                  strstr(out, "is not managed"),
              "%s", out);
    cr_assert_eq(diag.nerrors, 2);
}

/* A script that creates a constraint and renames it at once (PostgREST's
 * spec schema) declares the new name; other renames stay errors. */
static const char rename_script[] =
    "CREATE TABLE clients (id int PRIMARY KEY);\n"
    "CREATE TABLE projects (id int PRIMARY KEY,\n"
    "  client_id int REFERENCES clients(id));\n"
    "ALTER TABLE projects RENAME CONSTRAINT\n"
    "  projects_client_id_fkey TO client;\n"
    "COMMENT ON CONSTRAINT client ON projects IS 'c';\n";

/* Without rename_in_models = apply, the contract holds: an ALTER that
 * renames cannot be a declaration. */
Test(loader, rename_constraint_is_an_error_by_default)
{
    cr_assert_neq(load(rename_script), 0);
    cr_expect(strstr(rendered(), "m.sql:4:1: error: ALTER ... RENAME cannot "
                                 "be part of a model"),
              "%s", rendered());
}

Test(loader, rename_constraint_inside_the_models)
{
    ag_load_opts apply = {.rename_in_models = true};
    cr_assert_eq(load_sql(&cat, rename_script, &apply, &diag), 0, "%s",
                 rendered());
    ag_constraint *fk =
        ag_catalog_find_constraint(&cat, "public", "projects", "client");
    cr_assert_not_null(fk);
    cr_expect_eq(fk->type, AG_CON_FOREIGN);
    cr_expect_str_eq(fk->obj.comment, "c");
    cr_expect_null(ag_catalog_find_constraint(&cat, "public", "projects",
                                              "projects_client_id_fkey"));
}

Test(loader, other_renames_inside_the_models_are_errors)
{
    ag_load_opts apply = {.rename_in_models = true};
    cr_assert_neq(load_sql(&cat, "CREATE TABLE t (id int PRIMARY KEY, a int);\n"
                       "ALTER TABLE t RENAME CONSTRAINT nope TO x;\n"
                       "ALTER TABLE t RENAME CONSTRAINT t_pkey TO t_pkey;\n"
                       "ALTER TABLE t RENAME COLUMN a TO b;\n",
                           &apply, &diag),
                  0);
    const char *out = rendered();
    cr_expect(strstr(out, "m.sql:2:1: error: RENAME CONSTRAINT nope: table "
                          "public.t has no constraint of that name"),
              "%s", out);
    cr_expect(strstr(out, "m.sql:3:1: error: RENAME CONSTRAINT t_pkey TO "
                          "t_pkey: table public.t already has"),
              "%s", out);
    cr_expect(strstr(out, "m.sql:4:1: error: ALTER ... RENAME cannot be part "
                          "of a model"),
              "%s", out);
}

Test(loader, plpgsql_is_always_there)
{
    cr_assert_eq(load("CREATE EXTENSION IF NOT EXISTS plpgsql;\n"
                      "CREATE EXTENSION citext;\n"),
                 0, "%s", rendered());
    cr_assert_null(ag_catalog_find(&cat, AG_KIND_EXTENSION, "", "plpgsql"));
    cr_assert_not_null(ag_catalog_find(&cat, AG_KIND_EXTENSION, "", "citext"));
}

Test(loader, search_path_and_undeclared_schema)
{
    cr_assert_eq(load("CREATE SCHEMA app;\nSET search_path = app, public;\n"
                      "CREATE TYPE mood AS ENUM ('a', 'b');\n"
                      "CREATE TABLE t (m mood DEFAULT 'a');\n"),
                 0, "%s", rendered());
    ag_table *t = ag_catalog_table(&cat, "app", "t");
    cr_assert_not_null(t);
    cr_assert_str_eq(t->cols[0].type, "app.mood");
    cr_assert_not_null(ag_catalog_enum(&cat, "app", "mood"));
    done();
    cr_assert_neq(load("CREATE TABLE nowhere.t (x int);"), 0);
    cr_assert(strstr(rendered(), "schema nowhere is not declared"), "%s",
              rendered());
}
