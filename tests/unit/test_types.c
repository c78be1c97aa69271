/* Unit tests for domains and composite types: the loader (PostgreSQL's
 * implicit check names, deferred type resolution, comments), the canonical
 * form of a domain check against the server's spelling (pg_get_constraintdef
 * output copied from PostgreSQL 15), and the differ's ops and refusals. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/canon.h"
#include "autogen/diff.h"
#include "autogen/emit.h"
#include "autogen/loader.h"
#include "load_fixture.h"

static ag_catalog cat, cat2;
static ag_diag diag;

static int
load_into(ag_catalog *c, ag_diag *d, const char *sql)
{
    return load_sql(c, sql, NULL, d);
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

TestSuite(types, .init = setup, .fini = teardown);

static const ag_domain *
domain(const ag_catalog *c, const char *schema, const char *name)
{
    return (const ag_domain *)ag_catalog_find(c, AG_KIND_DOMAIN, schema, name);
}

/* The canonical form of a check as the introspector computes it from
 * pg_get_constraintdef text. */
static const char *
server_check(ag_catalog *c, const char *name, const char *def)
{
    ag_constraint tmp = {0};
    tmp.obj.name.schema = "public";
    tmp.obj.name.name = name;
    tmp.table = "d";
    ag_error err;
    cr_assert_eq(ag_canon_constraint_text(c, &tmp, def, &err), 0, "%s",
                 err.msg);
    return tmp.def.canon;
}

Test(types, domain_fields_and_implicit_check_names)
{
    cr_assert_eq(load_into(&cat, &diag,
                           "create domain pos as numeric(10,2) default 1 "
                           "not null check (value > 0) check (value < 1e6) "
                           "constraint named check (value <> 5);"),
                 0);
    const ag_domain *d = domain(&cat, "public", "pos");
    cr_assert_not_null(d);
    cr_assert_str_eq(d->type, "numeric(10,2)");
    cr_assert(d->notnull);
    cr_assert_not_null(d->default_expr);
    cr_assert_eq(d->nchecks, 3);
    /* Sorted by name; the unnamed ones numbered as ChooseConstraintName
     * numbers them. */
    cr_assert_str_eq(d->checks[0].name, "named");
    cr_assert_str_eq(d->checks[1].name, "pos_check");
    cr_assert_str_eq(d->checks[2].name, "pos_check1");
}

Test(types, check_name_taken_by_another_domain_is_numbered)
{
    cr_assert_eq(load_into(&cat, &diag,
                           "create domain a as int constraint b_check "
                           "check (value > 0);\n"
                           "create domain b as int check (value > 1);"),
                 0);
    cr_assert_str_eq(domain(&cat, "public", "b")->checks[0].name,
                     "b_check1");
}

Test(types, check_canon_matches_server_spelling)
{
    cr_assert_eq(load_into(&cat, &diag,
                           "create domain d as text check (VALUE ~ '^x') "
                           "constraint n check (value > 0::text "
                           "and length(value) between 1 and 9);\n"
                           "create domain e as int check (value in (1, 2));"),
                 0);
    const ag_domain *d = domain(&cat, "public", "d");
    cr_assert_str_eq(d->checks[0].def.canon,
                     server_check(&cat, "d_check",
                                  "CHECK ((VALUE ~ '^x'::text))"));
    cr_assert_str_eq(
        d->checks[1].def.canon,
        server_check(&cat, "n",
                     "CHECK (((VALUE > '0'::text) AND "
                     "((length(VALUE) >= 1) AND (length(VALUE) <= 9))))"));
    cr_assert_str_eq(domain(&cat, "public", "e")->checks[0].def.canon,
                     server_check(&cat, "e_check",
                                  "CHECK ((VALUE = ANY (ARRAY[1, 2])))"));
    /* ... and a different check is different. */
    cr_assert_str_neq(d->checks[0].def.canon,
                      server_check(&cat, "d_check",
                                   "CHECK ((VALUE ~ '^y'::text))"));
    cr_assert(strstr(d->checks[0].def.sql, "CHECK") != NULL);
}

Test(types, unqualified_types_resolve_along_the_search_path)
{
    cr_assert_eq(load_into(&cat, &diag,
                           "create schema app;\n"
                           "create schema lib;\n"
                           "set search_path = app, lib;\n"
                           "create type pt as (x cents, y mood, z text "
                           "collate \"C\");\n"
                           "create domain wrapper as cents;\n"
                           "create table app.t (c cents);\n"
                           "create domain lib.cents as integer;\n"
                           "create type lib.mood as enum ('a');\n"),
                 0);
    const ag_composite *t = (const ag_composite *)ag_catalog_find(
        &cat, AG_KIND_COMPOSITE, "app", "pt");
    cr_assert_not_null(t);
    cr_assert_eq(t->nattrs, 3);
    cr_assert_str_eq(t->attrs[0].type, "lib.cents");
    cr_assert_str_eq(t->attrs[1].type, "lib.mood");
    cr_assert_str_eq(t->attrs[2].collation, "pg_catalog.\"C\"");
    cr_assert_str_eq(domain(&cat, "app", "wrapper")->type, "lib.cents");
    cr_assert_str_eq(ag_catalog_table(&cat, "app", "t")->cols[0].type,
                     "lib.cents");
}

Test(types, comments_on_domain_and_type)
{
    cr_assert_eq(load_into(&cat, &diag,
                           "create domain d as int;\n"
                           "create type c as (a int);\n"
                           "comment on domain d is 'dd';\n"
                           "comment on type c is 'cc';"),
                 0);
    cr_assert_str_eq(domain(&cat, "public", "d")->obj.comment, "dd");
    cr_assert_str_eq(
        ag_catalog_find(&cat, AG_KIND_COMPOSITE, "public", "c")->comment,
        "cc");
}

Test(types, errors_are_reported)
{
    cr_assert_neq(load_into(&cat, &diag,
                            "create domain d as int;\n"
                            "create type d as (a int);\n"
                            "create type c as (a int, a text);\n"
                            "create domain s as serial;\n"
                            "alter domain d set not null;"),
                  0);
    cr_assert_eq(diag.nerrors, 4);
}

static const char *
plan_sql(const char *before, const char *after, int *rc)
{
    static char out[4096];
    ag_diag d2 = {0};
    cr_assert_eq(load_into(&cat, &diag, before), 0);
    cr_assert_eq(load_into(&cat2, &d2, after), 0);
    ag_diag_free(&d2);
    ag_plan plan;
    ag_error err;
    *rc = ag_diff(&cat, &cat2, &plan, &err);
    ag_buf b;
    ag_buf_init(&b);
    if (*rc == 0)
        ag_emit_sql(&plan, &b);
    else
        ag_buf_put(&b, err.msg);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    ag_buf_free(&b);
    ag_plan_free(&plan);
    return out;
}

Test(types, base_type_change_with_users_is_refused)
{
    int rc;
    const char *s = plan_sql("create domain d as int;\n"
                             "create table t (a d, b d[]);",
                             "create domain d as bigint;\n"
                             "create table t (a d, b d[]);",
                             &rc);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(s, "public.t.a, public.t.b") != NULL, "%s", s);
}

Test(types, base_type_change_without_users_recreates)
{
    int rc;
    const char *s = plan_sql("create domain d as int check (value > 0);",
                             "create domain d as bigint check (value > 0);",
                             &rc);
    cr_assert_eq(rc, 0, "%s", s);
    const char *drop = strstr(s, "DROP DOMAIN public.d;");
    const char *create = strstr(s, "CREATE DOMAIN public.d AS bigint");
    cr_assert(drop && create && drop < create, "%s", s);
}

Test(types, composite_attribute_ops)
{
    int rc;
    const char *s = plan_sql("create type c as (a int, b text, gone int);",
                             "create type c as (a bigint, b text, n int);",
                             &rc);
    cr_assert_eq(rc, 0, "%s", s);
    cr_assert(strstr(s, "ALTER TYPE public.c DROP ATTRIBUTE gone;"), "%s", s);
    cr_assert(strstr(s, "ALTER TYPE public.c ALTER ATTRIBUTE a TYPE bigint;"),
              "%s", s);
    cr_assert(strstr(s, "ALTER TYPE public.c ADD ATTRIBUTE n integer;"),
              "%s", s);
    cr_assert(strstr(s, " b ") == NULL, "%s", s);
}
