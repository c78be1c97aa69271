/* Unit tests for rename directives: where they bind in the loader, their
 * errors, and the differ's pairing (both directions) and refusals. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/diff.h"
#include "autogen/loader.h"
#include "diag_fixture.h"
#include "load_fixture.h"

static ag_catalog cat, other;
static ag_diag diag;
static bool other_used;

static int
load_into(ag_catalog *c, const char *sql)
{
    return load_sql(c, sql, NULL, &diag);
}

static int
load(const char *sql)
{
    return load_into(&cat, sql);
}

static void
done(void)
{
    ag_diag_free(&diag);
    ag_catalog_destroy(&cat);
    if (other_used)
        ag_catalog_destroy(&other);
    other_used = false;
}

static const char *
rendered(void)
{
    return diag_text(&diag);
}

TestSuite(renames, .fini = done);

Test(renames, directives_bind_above_and_trailing)
{
    cr_assert_eq(
        load("-- autogen:renamed from=old_t\n"
             "CREATE TABLE t (\n"
             "    id int, -- autogen:renamed from=ident\n"
             "    -- a plain comment between\n"
             "    -- autogen:renamed from=\"Mixed Case\"\n"
             "    b int,\n"
             "    CONSTRAINT t_pk PRIMARY KEY (id) -- autogen:renamed "
             "from=t_pkey\n"
             ");\n"
             "-- autogen:renamed from=t_b\n"
             "CREATE INDEX t_b_idx ON t (b);\n"
             "CREATE TYPE e AS ENUM ('x', -- autogen:renamed from='y'\n"
             "  'z');\n"
             "CREATE TABLE u (v text DEFAULT '-- autogen:nonsense');\n"),
        0, "%s", rendered());
    ag_table *t = ag_catalog_table(&cat, "public", "t");
    cr_assert_not_null(t);
    cr_expect_str_eq(t->obj.renamed_from, "old_t");
    cr_expect_str_eq(ag_table_column(t, "id")->renamed_from, "ident");
    cr_expect_str_eq(ag_table_column(t, "b")->renamed_from, "Mixed Case");
    cr_expect_str_eq(ag_catalog_find_constraint(&cat, "public", "t", "t_pk")
                         ->obj.renamed_from,
                     "t_pkey");
    cr_expect_str_eq(
        ag_catalog_find(&cat, AG_KIND_INDEX, "public", "t_b_idx")->renamed_from,
        "t_b");
    ag_enum *e = ag_catalog_enum(&cat, "public", "e");
    cr_assert_not_null(e->label_renamed_from);
    cr_expect_str_eq(e->label_renamed_from[0], "y");
    cr_expect_null(e->label_renamed_from[1]);
}

Test(renames, directive_errors_name_file_and_line)
{
    cr_assert_neq(load("CREATE TABLE t (a int);\n"
                       "-- autogen:renamed from=a b\n"
                       "CREATE TABLE u (a int);\n"
                       "-- AutoGen:renamd from=x\n"
                       "CREATE TABLE v (a int);\n"
                       "-- autogen:renamed from=u\n"
                       "CREATE TABLE w (a int);\n"
                       "-- autogen:renamed from=z\n"
                       "CREATE TABLE z (a int);\n"
                       "CREATE TABLE y (a int -- autogen:renamed from='q'\n"
                       ");\n"
                       "-- autogen:renamed from=nothing\n"),
                  0);
    const char *out = rendered();
    cr_expect(strstr(out, "m.sql:2:1: error: malformed autogen directive"),
              "%s", out);
    cr_expect(strstr(out, "m.sql:4:1: error: malformed autogen directive"),
              "%s", out);
    cr_expect(strstr(out, "m.sql:6:1: error: renamed from=u: the models still "
                          "declare u"),
              "%s", out);
    cr_expect(strstr(out, "m.sql:8:1: error: renamed from=z: that is its own"),
              "%s", out);
    cr_expect(strstr(out, "m.sql:10:23: error: renamed from='q'"), "%s", out);
    cr_expect(strstr(out, "m.sql:12:1: error: this autogen directive is not "
                          "followed by a declaration"),
              "%s", out);
}

static int
diff_up(const char *db_sql, const char *model_sql, ag_plan *plan, ag_error *err)
{
    other_used = true;
    cr_assert_eq(load_into(&other, db_sql), 0, "%s", rendered());
    ag_diag_free(&diag);
    cr_assert_eq(load(model_sql), 0, "%s", rendered());
    return ag_diff(&other, &cat, plan, err);
}

static bool
has_op(const ag_plan *p, ag_op_type type, const char *name)
{
    for (size_t i = 0; i < p->nops; i++)
        if (p->ops[i].type == type && strcmp(p->ops[i].name.name, name) == 0)
            return true;
    return false;
}

Test(renames, pairs_both_ways_and_is_spent_once_applied)
{
    ag_plan up, down, again;
    ag_error err;
    cr_assert_eq(diff_up("CREATE TABLE a (id int PRIMARY KEY, x int);",
                         "-- autogen:renamed from=a\n"
                         "CREATE TABLE b (id int, y int -- autogen:renamed "
                         "from=x\n, CONSTRAINT a_pkey PRIMARY KEY (id));",
                         &up, &err),
                 0, "%s", err.msg);
    cr_expect(has_op(&up, AG_OP_RENAME_TABLE, "b"));
    cr_expect(has_op(&up, AG_OP_RENAME_COLUMN, "b"));
    cr_expect(!has_op(&up, AG_OP_DROP_TABLE, "a"));
    cr_expect(!has_op(&up, AG_OP_CREATE_TABLE, "b"));
    cr_assert_eq(ag_diff(&cat, &other, &down, &err), 0, "%s", err.msg);
    cr_expect(has_op(&down, AG_OP_RENAME_TABLE, "a"));
    cr_expect(!has_op(&down, AG_OP_DROP_TABLE, "b"));
    /* The database already renamed: nothing to do. */
    ag_catalog_destroy(&other);
    cr_assert_eq(load_into(&other, "CREATE TABLE b (id int, y int, CONSTRAINT "
                                   "a_pkey PRIMARY KEY (id));"),
                 0);
    cr_assert_eq(ag_diff(&other, &cat, &again, &err), 0, "%s", err.msg);
    cr_expect_eq(again.nops, 0);
    ag_plan_free(&up);
    ag_plan_free(&down);
    ag_plan_free(&again);
}

Test(renames, refused_when_the_database_has_both_or_neither)
{
    ag_plan p;
    ag_error err;
    cr_assert_neq(diff_up("CREATE TABLE a (id int); CREATE TABLE b (id int);",
                          "-- autogen:renamed from=a\nCREATE TABLE b (id int);",
                          &p, &err),
                  0);
    cr_expect(strstr(err.msg, "m.sql:2: renamed from=a: the database has both"),
              "%s", err.msg);
    ag_plan_free(&p);
    ag_catalog_destroy(&other);
    ag_catalog_destroy(&cat);
    other_used = false;
    cr_assert_neq(diff_up("CREATE TABLE t (id int);",
                          "CREATE TABLE t (id int, b int -- autogen:renamed "
                          "from=typo\n);",
                          &p, &err),
                  0);
    cr_expect(strstr(err.msg, "m.sql:1: renamed from=typo: table public.t has "
                              "no column"),
              "%s", err.msg);
    ag_plan_free(&p);
}
