/* Unit tests for aggregates, operators and casts (the loader and the
 * canonical forms against statements as the introspector assembles them),
 * DO blocks, DROP ... IF EXISTS, the [unmanaged] kinds of the loader and
 * the config, and the differ's choice between replace and re-create. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "autogen/canon_defs.h"
#include "autogen/config.h"
#include "autogen/diff.h"
#include "autogen/emit.h"
#include "autogen/loader.h"
#include "diag_fixture.h"
#include "load_fixture.h"

static ag_catalog cat, cat2;
static ag_diag diag;

static int
load_opts(ag_catalog *c, const char *sql, unsigned unmanaged)
{
    ag_load_opts lo = {unmanaged, NULL, 0, false};
    return load_sql(c, sql, &lo, c == &cat ? &diag : NULL);
}

static int
load(const char *sql)
{
    return load_opts(&cat, sql, 0);
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

TestSuite(defs, .init = setup, .fini = teardown);

static const ag_def *
def(const ag_catalog *c, ag_kind kind, const char *schema, const char *name)
{
    return (const ag_def *)ag_catalog_find(c, kind, schema, name);
}

#define CONCAT                                                                 \
    "create function _concat(a text, b text) returns text language sql "      \
    "as $$ select a || b $$;\n"

Test(defs, aggregate_function_resolved_from_a_later_statement)
{
    cr_assert_eq(load("create aggregate group_concat(text) (sfunc = _concat, "
                      "stype = text);\n" CONCAT),
                 0, "%s", rendered());
    const ag_def *d =
        def(&cat, AG_KIND_AGGREGATE, "public", "group_concat(text)");
    cr_assert_not_null(d);
    cr_assert_str_eq(d->sql, "CREATE AGGREGATE public.group_concat(text) "
                             "(SFUNC = public._concat, STYPE = text)");
    cr_assert_str_eq(d->target, "AGGREGATE public.group_concat(text)");
    cr_assert_eq(d->nfuncs, 1);
    cr_assert_str_eq(d->funcs[0].name, "_concat");
}

Test(defs, aggregate_defaults_left_out_and_builtins_qualified)
{
    cr_assert_eq(load("create aggregate m(int) (sfunc = int4larger, stype = "
                      "int4, sortop = >, parallel = unsafe, sspace = 0, "
                      "finalfunc_modify = read_only, initcond = 5);"),
                 0, "%s", rendered());
    const ag_def *d = def(&cat, AG_KIND_AGGREGATE, "public", "m(integer)");
    cr_assert_not_null(d);
    cr_assert_str_eq(d->sql, "CREATE AGGREGATE public.m(integer) (SFUNC = "
                             "pg_catalog.int4larger, STYPE = integer, "
                             "INITCOND = '5', SORTOP = "
                             "OPERATOR(pg_catalog.>))");
    cr_assert_eq(d->nfuncs, 0);
}

/* The model's spelling and the one intro_defs.c assembles agree. */
Test(defs, server_spelling_matches_model)
{
    cr_assert_eq(load("set search_path = app;\ncreate schema app;\n"
                      "create type app.\"text/x\" as (v text);\n"
                      "create function f(s \"text/x\", v anyelement) "
                      "returns \"text/x\" language sql as $$ select s $$;\n"
                      "create aggregate agg(anyelement) (stype = \"text/x\", "
                      "sfunc = f, initcond = '(a)', parallel = safe);\n"
                      "create aggregate star(*) (sfunc = f, stype = int);"),
                 0, "%s", rendered());
    ag_catalog_init(&cat2, "database");
    ag_error err;
    cr_assert_eq(ag_canon_def_text(&cat2,
                                   "CREATE AGGREGATE app.agg(anyelement) "
                                   "(SFUNC = app.f, STYPE = app.\"text/x\", "
                                   "INITCOND = '(a)', PARALLEL = SAFE)",
                                   NULL, &err),
                 0, "%s", err.msg);
    const ag_def *a = def(&cat, AG_KIND_AGGREGATE, "app", "agg(anyelement)");
    const ag_def *b = def(&cat2, AG_KIND_AGGREGATE, "app", "agg(anyelement)");
    cr_assert(a && b);
    cr_assert_str_eq(a->sql, b->sql);
    cr_assert_eq(a->ntypes, 1);
    cr_assert_str_eq(a->types[0].name, "text/x");
    cr_assert_not_null(def(&cat, AG_KIND_AGGREGATE, "app", "star(*)"));
}

Test(defs, old_syntax_aggregate)
{
    cr_assert_eq(load("create aggregate o (basetype = int, sfunc = int4pl, "
                      "stype = int);"),
                 0, "%s", rendered());
    cr_assert_not_null(def(&cat, AG_KIND_AGGREGATE, "public", "o(integer)"));
}

Test(defs, ordered_set_aggregate_is_an_error_with_position)
{
    cr_assert_neq(load("\ncreate aggregate p(float8 order by float8) (sfunc = "
                       "f, stype = internal);"),
                  0);
    cr_assert(strstr(rendered(), "m.sql:2:1") &&
                  strstr(rendered(), "ordered-set aggregates"),
              "%s", rendered());
}

Test(defs, operator_identity_and_commutator)
{
    cr_assert_eq(load("create function rev(a text, b text) returns boolean "
                      "language sql as $$ select a = b $$;\n"
                      "create operator ~<< (procedure = rev, leftarg = text, "
                      "rightarg = text, commutator = ~<<, negator = <>, "
                      "restrict = eqsel, hashes);\n"
                      "create operator !! (function = rev, rightarg = text);"),
                 0, "%s", rendered());
    const ag_def *d =
        def(&cat, AG_KIND_OPERATOR, "public", "~<<(text, text)");
    cr_assert_not_null(d);
    cr_assert_str_eq(d->sql,
                     "CREATE OPERATOR public.~<< (FUNCTION = public.rev, "
                     "LEFTARG = text, RIGHTARG = text, COMMUTATOR = "
                     "OPERATOR(public.~<<), NEGATOR = OPERATOR(pg_catalog.<>), "
                     "RESTRICT = pg_catalog.eqsel, HASHES)");
    cr_assert_str_eq(d->target, "OPERATOR public.~<<(text, text)");
    cr_assert_not_null(def(&cat, AG_KIND_OPERATOR, "public", "!!(NONE, text)"));
}

Test(defs, cast_identity_and_contexts)
{
    cr_assert_eq(load("create domain color as int;\n"
                      "create function color(text) returns color language sql "
                      "as $$ select 1 $$;\n"
                      "create cast (text as color) with function color(text) "
                      "as implicit;\n"
                      "create cast (color as text) with inout as assignment;"),
                 0, "%s", rendered());
    const ag_def *d = def(&cat, AG_KIND_CAST, "", "(text AS public.color)");
    cr_assert_not_null(d);
    cr_assert_str_eq(d->sql, "CREATE CAST (text AS public.color) WITH FUNCTION "
                             "public.color(text) AS IMPLICIT");
    d = def(&cat, AG_KIND_CAST, "", "(public.color AS text)");
    cr_assert_not_null(d);
    cr_assert_str_eq(d->sql, "CREATE CAST (public.color AS text) WITH INOUT AS "
                             "ASSIGNMENT");
}

Test(defs, do_block_statements_load_with_a_warning)
{
    cr_assert_eq(load("DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1) THEN\n"
                      "    CREATE EXTENSION btree_gin;\n  END IF;\n"
                      "  CREATE TABLE t (id int);\nEND\n$$;\n"),
                 0, "%s", rendered());
    cr_assert_not_null(ag_catalog_find(&cat, AG_KIND_EXTENSION, "", "btree_gin"));
    cr_assert_not_null(ag_catalog_table(&cat, "public", "t"));
    cr_assert_eq(ag_catalog_table(&cat, "public", "t")->obj.loc.line, 6);
    cr_assert(strstr(rendered(), "control flow"), "%s", rendered());
}

Test(defs, do_block_with_execute_or_nothing_is_an_error)
{
    cr_assert_neq(load("\nDO $$ BEGIN EXECUTE 'create table t ()'; END $$;"), 0);
    cr_assert(strstr(rendered(), "m.sql:2:1") &&
                  strstr(rendered(), "EXECUTE"),
              "%s", rendered());
    cr_assert_neq(load("DO $$ BEGIN RAISE NOTICE 'x'; END $$;"), 0);
    cr_assert(strstr(rendered(), "declares nothing"), "%s", rendered());
}

Test(defs, drop_if_exists_of_undeclared_object_is_a_no_op)
{
    cr_assert_eq(load("drop aggregate if exists agg(int);\n"
                      "drop domain if exists d cascade;\n"
                      "create domain d as int;\n"),
                 0, "%s", rendered());
    cr_assert_neq(load("create table t (a int);\ndrop table if exists t;"), 0);
    cr_assert(strstr(rendered(), "m.sql:2:1"), "%s", rendered());
    cr_assert_neq(load("drop table t;"), 0);
}

Test(defs, unmanaged_kinds_error_unless_listed)
{
    const char *sql = "create table t (a int);\n"
                      "create rule r as on insert to t do instead nothing;\n"
                      "select 1 as x into u;\n";
    cr_assert_neq(load(sql), 0);
    cr_assert(strstr(rendered(), "m.sql:2:1") &&
                  strstr(rendered(), "list rule under [unmanaged]"),
              "%s", rendered());
    cr_assert(strstr(rendered(), "m.sql:3:1") &&
                  strstr(rendered(), "declare the table with CREATE TABLE"),
              "%s", rendered());
    cr_assert_eq(
        load_opts(&cat, sql, AG_UNMANAGED_RULE | AG_UNMANAGED_TABLE_AS), 0,
        "%s", rendered());
    cr_assert(strstr(rendered(), "warning: CREATE RULE is not managed "
                                 "(listed under [unmanaged] in autogen.ini)"),
              "%s", rendered());
    cr_assert_null(ag_catalog_table(&cat, "public", "u"));
    /* CREATE TABLE AS is managed unless listed (its columns come from the
     * dev database); listed, it is left out like the rest. */
    cr_assert_eq(load_opts(&cat, "create table w as select 1 as x;\n",
                           AG_UNMANAGED_TABLE_AS),
                 0, "%s", rendered());
    cr_assert_null(ag_catalog_table(&cat, "public", "w"));
}

Test(defs, config_reads_unmanaged_kinds)
{
    char path[] = "/tmp/agt_defs_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char *ini = "[autogen]\nmodels = m\n[unmanaged]\n"
                      "kinds = rule, foreign_table server\n";
    cr_assert_eq(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
    close(fd);
    ag_config cfg;
    ag_config_init(&cfg);
    ag_error err;
    cr_assert_eq(ag_config_read(&cfg, path, &err), 0, "%s", err.msg);
    cr_assert_eq(cfg.unmanaged, AG_UNMANAGED_RULE | AG_UNMANAGED_FOREIGN_TABLE |
                                    AG_UNMANAGED_SERVER);
    ag_config_free(&cfg);
    FILE *f = fopen(path, "w");
    fputs("[unmanaged]\nkinds = rules\n", f);
    fclose(f);
    ag_config_init(&cfg);
    cr_assert_neq(ag_config_read(&cfg, path, &err), 0);
    cr_assert(strstr(err.msg, ":2: [unmanaged] kinds: unknown kind rules"),
              "%s", err.msg);
    ag_config_free(&cfg);
    /* rename_in_models: apply or error, nothing else. */
    f = fopen(path, "w");
    fputs("[autogen]\nrename_in_models = apply\n", f);
    fclose(f);
    ag_config_init(&cfg);
    cr_assert_eq(ag_config_read(&cfg, path, &err), 0, "%s", err.msg);
    cr_expect(cfg.rename_in_models);
    ag_config_free(&cfg);
    f = fopen(path, "w");
    fputs("[autogen]\nrename_in_models = maybe\n", f);
    fclose(f);
    ag_config_init(&cfg);
    cr_assert_neq(ag_config_read(&cfg, path, &err), 0);
    cr_expect(strstr(err.msg, ":2: rename_in_models: expected apply or error"),
              "%s", err.msg);
    ag_config_free(&cfg);
    unlink(path);
}

static const ag_op *
plan_op(const ag_plan *p, ag_op_type t)
{
    for (size_t i = 0; i < p->nops; i++)
        if (p->ops[i].type == t)
            return &p->ops[i];
    return NULL;
}

Test(defs, aggregate_replaced_while_state_type_stays)
{
    cr_assert_eq(load(CONCAT "create aggregate g(text) (sfunc = _concat, "
                             "stype = text);"),
                 0);
    cr_assert_eq(load_opts(&cat2,
                           CONCAT "create aggregate g(text) (sfunc = _concat, "
                                  "stype = text, initcond = '');",
                           0),
                 0);
    ag_plan plan;
    ag_error err;
    cr_assert_eq(ag_diff(&cat, &cat2, &plan, &err), 0, "%s", err.msg);
    cr_assert_eq(plan.nops, 1);
    const ag_op *op = plan_op(&plan, AG_OP_REPLACE_AGGREGATE);
    cr_assert_not_null(op);
    ag_buf b;
    ag_buf_init(&b);
    ag_emit_op_sql(op, &b);
    cr_assert_str_eq(b.data, "CREATE OR REPLACE AGGREGATE public.g(text) "
                             "(SFUNC = public._concat, STYPE = text, "
                             "INITCOND = '');\n");
    ag_buf_free(&b);
    ag_plan_free(&plan);
}

Test(defs, aggregate_recreated_when_state_type_changes)
{
    cr_assert_eq(load("create aggregate g(int) (sfunc = int4pl, stype = int);"),
                 0);
    cr_assert_eq(load_opts(&cat2,
                           "create aggregate g(int) (sfunc = int8pl, stype = "
                           "bigint);",
                           0),
                 0);
    ag_plan plan;
    ag_error err;
    cr_assert_eq(ag_diff(&cat, &cat2, &plan, &err), 0, "%s", err.msg);
    cr_assert_eq(plan.nops, 2);
    cr_assert_eq(plan.ops[0].type, AG_OP_DROP_AGGREGATE);
    cr_assert_eq(plan.ops[1].type, AG_OP_CREATE_AGGREGATE);
    ag_buf b;
    ag_buf_init(&b);
    ag_emit_op_sql(&plan.ops[0], &b);
    cr_assert(strstr(b.data, "DROP AGGREGATE public.g(integer);"), "%s",
              b.data);
    ag_buf_free(&b);
    ag_plan_free(&plan);
}

Test(defs, excluded_objects_are_skipped_on_both_sides)
{
    static const char *const names[] = {"test.broken"};
    ag_load_opts lo = {0, names, 1, false};
    ag_catalog_init(&cat, "models");
    ag_diag_free(&diag);
    ag_diag_init(&diag);
    ag_loader *ld = ag_loader_new(&cat, &diag);
    ag_loader_set_opts(ld, &lo);
    ag_loader_add_sql(ld, "m.sql",
                      "create schema test;\nset search_path = test;\n"
                      "create view broken as select 1;\n"
                      "create or replace view broken as select * from "
                      "broken;\ncreate table kept (a int);\n"
                      "comment on view test.broken is 'x';\n");
    ag_error err;
    cr_assert_eq(ag_loader_finish(ld, &err), 0, "%s", rendered());
    ag_loader_free(ld);
    cr_assert(strstr(rendered(), "m.sql:3:1: warning: test.broken is listed "
                                 "under [exclude] objects"),
              "%s", rendered());
    cr_assert_not_null(ag_catalog_table(&cat, "test", "kept"));

    /* the database side: the table and what hangs off it go */
    cr_assert_eq(load_opts(&cat2,
                           "create schema test;\ncreate table test.broken (a "
                           "int primary key);\ncreate index on test.broken "
                           "(a);\ncreate function test.broken() returns int "
                           "language sql as $$ select 1 $$;\n"
                           "create table test.kept (a int);",
                           0),
                 0);
    cr_assert_eq(ag_catalog_exclude(&cat2, names, 1), 4);
    cr_assert_null(ag_catalog_table(&cat2, "test", "broken"));
    cr_assert_not_null(ag_catalog_table(&cat2, "test", "kept"));
}

Test(defs, config_reads_exclude_objects)
{
    char path[] = "/tmp/agt_defs_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char *ini = "[exclude]\nobjects = test.a, b.c\n";
    cr_assert_eq(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
    close(fd);
    ag_config cfg;
    ag_config_init(&cfg);
    ag_error err;
    cr_assert_eq(ag_config_read(&cfg, path, &err), 0, "%s", err.msg);
    cr_assert_eq(cfg.nexclude, 2);
    cr_assert_str_eq(cfg.exclude[1], "b.c");
    ag_config_free(&cfg);
    FILE *f = fopen(path, "w");
    fputs("[exclude]\nobjects = unqualified\n", f);
    fclose(f);
    ag_config_init(&cfg);
    cr_assert_neq(ag_config_read(&cfg, path, &err), 0);
    cr_assert(strstr(err.msg, "not schema-qualified"), "%s", err.msg);
    ag_config_free(&cfg);
    unlink(path);
}
