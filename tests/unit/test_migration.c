/* Unit tests for revision files (src/migrate/mig_*.c) and the runner's
 * planning (runplan.c, runcheck.c): round trips, names, statements and
 * their lines, the transaction mode of enum additions, and the exact
 * steps (SET, BEGIN, version rows) of upgrade, downgrade and stamp. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/diff.h"
#include "autogen/loader.h"
#include "autogen/migration.h"
#include "autogen/runner.h"
#include "autogen/sha256.h"

static ag_arena A;

static void
setup(void)
{
    ag_arena_init(&A);
}

static void
teardown(void)
{
    ag_arena_destroy(&A);
}

TestSuite(migration, .init = setup, .fini = teardown);
TestSuite(runplan, .init = setup, .fini = teardown);

static ag_migration *
parse(const char *path, const char *text)
{
    ag_migration *m = ag_arena_alloc(&A, sizeof *m);
    ag_error err = {0};
    char *copy = ag_arena_strdup(&A, text);
    cr_assert_eq(ag_migration_parse(path, copy, strlen(copy), &A, m, &err), 0,
                 "%s", err.msg);
    return m;
}

static char *
render(const ag_revision_header *h, const char *up, const char *down)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_migration_render(h, up, down, &b);
    char *s = ag_arena_strdup(&A, b.data);
    ag_buf_free(&b);
    return s;
}

Test(migration, render_and_read_back)
{
    const char *parents[] = {"111111111111", "222222222222"};
    ag_revision_header h = {
        .id = "3f9c2a71d0be",
        .parents = parents,
        .nparents = 2,
        .message = "  add\nphone field\t",
        .created = 1795275007, /* 2026-11-21T15:30:07Z */
        .txn = AG_TXN_NONE,
        .down_txn = AG_TXN_NONE,
        .hazards = AG_HAZARD_DELETES_DATA | AG_HAZARD_INDEX_BUILD,
    };
    char *text = render(&h, "CREATE TABLE t (id int);\n", "DROP TABLE t;\n");
    cr_expect(strstr(text, "-- autogen:created 2026-11-21T15:30:07Z\n") != NULL, "%s",
              text);
    cr_expect(strstr(text, "-- autogen:parents 111111111111, 222222222222\n") != NULL);
    cr_expect(strstr(text, "-- autogen:hazards deletes-data, index-build\n") != NULL);
    ag_migration *m = parse("x.sql", text);
    cr_expect_str_eq(m->id, "3f9c2a71d0be");
    cr_assert_eq(m->nparents, 2);
    cr_expect_str_eq(m->parents[1], "222222222222");
    cr_expect_str_eq(m->message, "add phone field", "newlines and tabs become "
                                                    "spaces, ends trimmed");
    cr_expect_eq(m->txn, AG_TXN_NONE);
    cr_expect_eq(m->down_txn, AG_TXN_NONE, "the downgrade follows by default");
    cr_expect(strstr(text, "downgrade-transaction") == NULL, "%s", text);
    cr_expect_eq(m->hazards, AG_HAZARD_DELETES_DATA | AG_HAZARD_INDEX_BUILD);
    cr_assert_eq(m->up.nstmts, 1);
    cr_expect_str_eq(m->up.stmts[0].sql, "CREATE TABLE t (id int)");
    cr_assert_eq(m->down.nstmts, 1);
    cr_expect_str_eq(m->down.stmts[0].sql, "DROP TABLE t");
}

Test(migration, downgrade_transaction_of_its_own)
{
    ag_revision_header h = {.id = "3f9c2a71d0be", .message = "m", .created = 1,
                            .txn = AG_TXN_NONE, .down_txn = AG_TXN_PER_REVISION};
    char *text = render(&h, "", "");
    cr_expect(strstr(text, "-- autogen:transaction none\n"
                           "-- autogen:downgrade-transaction per-revision\n") != NULL,
              "%s", text);
    ag_migration *m = parse("x.sql", text);
    cr_expect_eq(ag_migration_txn(m, false), AG_TXN_NONE);
    cr_expect_eq(ag_migration_txn(m, true), AG_TXN_PER_REVISION);
}

Test(migration, message_bytes_that_are_not_utf8_read_back)
{
    ag_revision_header h = {.id = "3f9c2a71d0be", .message = "caf\xe9 \xc3\xa9t\xc3\xa9",
                            .created = 1};
    ag_migration *m = parse("x.sql", render(&h, "", ""));
    cr_expect_str_eq(m->message, "caf? \xc3\xa9t\xc3\xa9");
}

Test(migration, same_sections_whatever_the_header)
{
    ag_revision_header a = {.id = "aaaaaaaaaaaa", .message = "x", .created = 1};
    ag_revision_header b = {.id = "bbbbbbbbbbbb", .message = "x", .created = 99999};
    const char *up = "CREATE TABLE t (id int);\n", *down = "DROP TABLE t;\n";
    char *ta = render(&a, up, down), *tb = render(&b, up, down);
    cr_expect_str_eq(strstr(ta, "-- autogen:upgrade"), strstr(tb, "-- autogen:upgrade"));
}

Test(migration, statements_keep_their_comments_and_lines)
{
    const char *text = "-- autogen:revision 3f9c2a71d0be\n"          /* 1 */
                       "-- autogen:parents none\n"                  /* 2 */
                       "-- autogen:message m\n"                     /* 3 */
                       "-- autogen:created 2026-11-21T15:30:07Z\n"  /* 4 */
                       "-- autogen:transaction per-revision\n"      /* 5 */
                       "-- autogen:upgrade\n"                       /* 6 */
                       "\n"                                         /* 7 */
                       "-- hazard: deletes-data: drops c\n"         /* 8 */
                       "ALTER TABLE t DROP COLUMN c;\n"             /* 9 */
                       "\n"                                         /* 10 */
                       "CREATE FUNCTION f() RETURNS int\n"          /* 11 */
                       "LANGUAGE sql AS $$ SELECT 1; $$;\n"         /* 12 */
                       "/* trailing */ -- only comments\n"          /* 13 */
                       "-- autogen:downgrade\n";                    /* 14 */
    ag_migration *m = parse("x.sql", text);
    cr_assert_eq(m->up.nstmts, 2);
    cr_expect_str_eq(m->up.stmts[0].sql, "-- hazard: deletes-data: drops c\n"
                                         "ALTER TABLE t DROP COLUMN c");
    cr_expect_eq(m->up.stmts[0].line, 9, "the line of the first token");
    cr_expect_eq(m->up.stmts[1].line, 11);
    cr_expect(strstr(m->up.stmts[1].sql, "$$ SELECT 1; $$") != NULL);
    cr_expect_eq(strncmp(text + m->up.stmts[0].offset, "-- hazard", 9), 0);
    cr_expect_eq(m->down.nstmts, 0);
}

Test(migration, checksum_is_sha256_of_the_bytes)
{
    ag_revision_header h = {.id = "aaaaaaaaaaaa", .message = "x", .created = 1};
    char *text = render(&h, "SELECT 1;\n", "");
    ag_migration *m1 = parse("x.sql", text);
    char want[65];
    ag_sha256_hex(text, strlen(text), want);
    cr_expect_str_eq(m1->checksum, want);
    char *edited = ag_arena_sprintf(&A, "%s-- an edit\n", text);
    ag_migration *m2 = parse("x.sql", edited);
    cr_expect_str_neq(m1->checksum, m2->checksum);
}

Test(migration, nul_byte_is_reported)
{
    ag_revision_header h = {.id = "aaaaaaaaaaaa", .message = "x", .created = 1};
    char *text = render(&h, "SELECT 1;\n", "");
    size_t len = strlen(text);
    text[len - 3] = '\0';
    ag_migration m;
    ag_error err = {0};
    cr_expect_eq(ag_migration_parse("x.sql", text, len, &A, &m, &err), AG_EPARSE);
    cr_expect(strstr(err.msg, "NUL byte") != NULL, "%s", err.msg);
}

static const char *
slug(const char *msg)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_migration_slug(msg, &b);
    char *s = ag_arena_strdup(&A, b.data);
    ag_buf_free(&b);
    return s;
}

Test(migration, slugs_and_file_names)
{
    cr_expect_str_eq(slug("Add phone field"), "add_phone_field");
    cr_expect_str_eq(slug("  --fix: users.email (v2)!  "), "fix_users_email_v2");
    cr_expect_str_eq(slug("Ajoute le téléphone"), "ajoute_le_t_l_phone");
    cr_expect_str_eq(slug("日本"), "revision");
    cr_expect_str_eq(slug(""), "revision");
    const char *s = slug("a very long message that goes on and on beyond any reasonable "
                         "file name length");
    cr_expect_leq(strlen(s), 48);
    cr_expect_neq(s[strlen(s) - 1], '_');

    ag_revision_header h = {.id = "3f9c2a71d0be", .message = "Add phone field",
                            .created = 1795275007};
    ag_buf b;
    ag_buf_init(&b);
    ag_migration_filename(&h, &b);
    cr_expect_str_eq(b.data, "20261121_1530-3f9c2a71d0be_add_phone_field.sql");
    ag_buf_free(&b);
}

Test(migration, new_ids_are_random_hex)
{
    char a[13], b[13];
    ag_error err = {0};
    cr_assert_eq(ag_migration_new_id(a, &err), 0, "%s", err.msg);
    cr_assert_eq(ag_migration_new_id(b, &err), 0, "%s", err.msg);
    cr_expect_eq(strspn(a, "0123456789abcdef"), 12);
    cr_expect_eq(strlen(a), 12);
    cr_expect_str_neq(a, b);
}

/* ---- transaction mode of generated revisions (enum labels) ---- */

static ag_txn_mode
mode_for(const char *before, const char *after, const char **label)
{
    ag_catalog from, to;
    ag_catalog_init(&from, "database");
    ag_catalog_init(&to, "models");
    ag_diag d;
    ag_diag_init(&d);
    ag_error err = {0};
    ag_loader *l1 = ag_loader_new(&from, &d);
    ag_loader_add_sql(l1, "before.sql", before);
    cr_assert_eq(ag_loader_finish(l1, &err), 0, "%s", err.msg);
    ag_loader_free(l1);
    ag_loader *l2 = ag_loader_new(&to, &d);
    ag_loader_add_sql(l2, "after.sql", after);
    cr_assert_eq(ag_loader_finish(l2, &err), 0, "%s", err.msg);
    ag_loader_free(l2);
    ag_plan plan;
    cr_assert_eq(ag_diff(&from, &to, &plan, &err), 0, "%s", err.msg);
    const char *l = NULL;
    ag_txn_mode mode = ag_migration_txn_for_plan(&plan, &l);
    if (label)
        *label = l ? ag_arena_strdup(&A, l) : NULL;
    ag_plan_free(&plan);
    ag_catalog_destroy(&from);
    ag_catalog_destroy(&to);
    ag_diag_free(&d);
    return mode;
}

Test(migration, enum_label_used_by_the_same_revision_needs_no_transaction)
{
    const char *before = "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
                         "CREATE TABLE t (m mood);\n";
    const char *label = NULL;
    cr_expect_eq(mode_for(before,
                          "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
                          "CREATE TABLE t (m mood DEFAULT 'happy');\n",
                          &label),
                 AG_TXN_NONE);
    cr_expect_str_eq(label, "happy");
    cr_expect_eq(mode_for(before,
                          "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
                          "CREATE TABLE t (m mood, n int);\n",
                          NULL),
                 AG_TXN_PER_REVISION, "a label nobody uses yet is safe");
    cr_expect_eq(mode_for(before,
                          "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
                          "CREATE TABLE t (m mood DEFAULT 'ok');\n",
                          NULL),
                 AG_TXN_PER_REVISION, "no label added");
}

/* ---- planning runs ---- */

static ag_revgraph G;
static ag_runner_opts O;

/* Three revisions: aaaa (root) <- bbbb <- cccc (none mode). */
static void
chain(void)
{
    static ag_migration migs[3];
    const char *ids[] = {"aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"};
    for (int i = 0; i < 3; i++) {
        const char *par[1] = {i ? ids[i - 1] : NULL};
        ag_revision_header h = {.id = ids[i], .parents = par, .nparents = i ? 1 : 0,
                                .message = ids[i], .created = 1795275007 + i,
                                .txn = i == 2 ? AG_TXN_NONE : AG_TXN_PER_REVISION,
                                .down_txn = i == 2 ? AG_TXN_NONE : AG_TXN_PER_REVISION};
        char *up = ag_arena_sprintf(&A, "CREATE TABLE t%d (id int);\n", i);
        char *down = ag_arena_sprintf(&A, "DROP TABLE t%d;\n", i);
        migs[i] = *parse(ag_arena_sprintf(&A, "m/%d.sql", i), render(&h, up, down));
    }
    ag_error err = {0};
    cr_assert_eq(ag_revgraph_build(migs, 3, &A, &G, &err), 0, "%s", err.msg);
    memset(&O, 0, sizeof O);
}

static ag_vstate
applied(int n)
{
    ag_vstate vs = {.schema_exists = true, .exists = true};
    vs.rows = ag_arena_alloc(&A, sizeof *vs.rows * 3);
    for (int i = 0; i < n; i++)
        vs.rows[vs.nrows++] = (ag_applied){G.revs[i]->id, G.revs[i]->checksum,
                                           "2026-11-21T15:30:07Z", "3"};
    return vs;
}

static char *
plan(ag_vstate *vs, ag_runner_action act, const char *target, int want_rc)
{
    ag_script s;
    ag_script_init(&s);
    ag_error err = {0};
    const char *t[1] = {target};
    int rc = ag_runner_plan(&G, vs, act, t, target ? 1 : 0, &O, &s, &err);
    cr_assert_eq(rc, want_rc, "%s: %s", target ? target : "-", err.msg);
    ag_buf b;
    ag_buf_init(&b);
    if (rc == 0)
        ag_script_render(&s, &b);
    else
        ag_buf_put(&b, err.msg);
    char *out = ag_arena_strdup(&A, b.data);
    ag_buf_free(&b);
    ag_script_free(&s);
    return out;
}

Test(runplan, upgrade_from_scratch_with_timeouts)
{
    chain();
    O.lock_timeout = "5s";
    O.statement_timeout = "1min";
    ag_vstate vs = {0};
    char *sql = plan(&vs, AG_RUN_UPGRADE, NULL, 0);
    const char *want_start =
        "CREATE SCHEMA IF NOT EXISTS public;\n"
        "CREATE TABLE IF NOT EXISTS public.autogen_version (\n";
    cr_expect_eq(strncmp(sql, want_start, strlen(want_start)), 0, "%s", sql);
    const char *rev1 =
        "-- upgrade aaaaaaaaaaaa: aaaaaaaaaaaa (m/0.sql)\n"
        "BEGIN;\n"
        "SET LOCAL lock_timeout = '5s';\n"
        "SET LOCAL statement_timeout = '1min';\n"
        "CREATE TABLE t0 (id int);\n"
        "INSERT INTO public.autogen_version (revision, checksum, duration_ms) VALUES "
        "('aaaaaaaaaaaa', '";
    cr_expect(strstr(sql, rev1) != NULL, "%s", sql);
    /* The none-mode revision: session settings, a start mark, no BEGIN. */
    const char *rev3 = "-- upgrade cccccccccccc: cccccccccccc (m/2.sql)\n"
                       "SET lock_timeout = '5s';\n"
                       "SET statement_timeout = '1min';\n"
                       "SELECT set_config('autogen.revision_started', "
                       "clock_timestamp()::text, false);\n"
                       "CREATE TABLE t2 (id int);\n";
    cr_expect(strstr(sql, rev3) != NULL, "%s", sql);
    cr_expect(strstr(sql, "RESET lock_timeout;\nRESET statement_timeout;\n\n") != NULL,
              "%s", sql);
    cr_expect(strstr(sql, "COMMIT;\n\n-- upgrade bbbbbbbbbbbb") != NULL, "%s", sql);
}

Test(runplan, upgrade_targets)
{
    chain();
    ag_vstate vs = applied(1);
    char *sql = plan(&vs, AG_RUN_UPGRADE, "+1", 0);
    cr_expect(strstr(sql, "CREATE TABLE IF NOT EXISTS") == NULL, "the table exists");
    cr_expect(strstr(sql, "upgrade bbbbbbbbbbbb") && !strstr(sql, "cccccccccccc"), "%s",
              sql);
    cr_expect(!strstr(sql, "SET LOCAL"), "no timeouts configured: %s", sql);
    sql = plan(&vs, AG_RUN_UPGRADE, "bbbb", 0);
    cr_expect(strstr(sql, "upgrade bbbbbbbbbbbb") && !strstr(sql, "cccccccccccc"));
    cr_expect(strstr(plan(&vs, AG_RUN_UPGRADE, "+3", AG_EINVAL), "only 2 revisions") !=
              NULL);
    cr_expect(strstr(plan(&vs, AG_RUN_UPGRADE, "-1", AG_EINVAL), "downgrade") != NULL);
    cr_expect(strstr(plan(&vs, AG_RUN_UPGRADE, "nope", AG_EINVAL), "bad target") != NULL);
    vs = applied(3);
    cr_expect_str_eq(plan(&vs, AG_RUN_UPGRADE, "head", 0), "", "nothing to do");
}

Test(runplan, downgrade_targets)
{
    chain();
    ag_vstate vs = applied(3);
    char *sql = plan(&vs, AG_RUN_DOWNGRADE, "-1", 0);
    cr_expect(strstr(sql, "DROP TABLE t2;\nDELETE FROM public.autogen_version WHERE "
                          "revision = 'cccccccccccc';\n") != NULL,
              "%s", sql);
    cr_expect(!strstr(sql, "BEGIN"), "cccc runs without a transaction: %s", sql);
    sql = plan(&vs, AG_RUN_DOWNGRADE, "aaaa", 0);
    char *b = strstr(sql, "downgrade bbbbbbbbbbbb"), *c = strstr(sql, "downgrade cccc");
    cr_expect(b && c && c < b, "children first: %s", sql);
    cr_expect(!strstr(sql, "downgrade aaaaaaaaaaaa"), "the target stays");
    sql = plan(&vs, AG_RUN_DOWNGRADE, "base", 0);
    cr_expect(strstr(sql, "downgrade aaaaaaaaaaaa") != NULL);
    cr_expect(strstr(plan(&vs, AG_RUN_DOWNGRADE, "-4", AG_EINVAL), "only 3") != NULL);
    cr_expect(strstr(plan(&vs, AG_RUN_DOWNGRADE, "+1", AG_EINVAL), "upgrade") != NULL);
    vs = applied(1);
    cr_expect(strstr(plan(&vs, AG_RUN_DOWNGRADE, "bbbb", AG_EINVAL), "not applied") !=
              NULL);
}

Test(runplan, stamp_sets_the_applied_set)
{
    chain();
    ag_vstate vs = applied(3);
    vs.rows[0].checksum = "0000";
    char *sql = plan(&vs, AG_RUN_STAMP, "aaaa", 0);
    cr_expect(strstr(sql, "BEGIN;\nDELETE FROM public.autogen_version WHERE revision = "
                          "'bbbbbbbbbbbb';\n") != NULL,
              "%s", sql);
    cr_expect(strstr(sql, "UPDATE public.autogen_version SET checksum = '") != NULL,
              "an edited file is accepted by stamp: %s", sql);
    cr_expect(strstr(sql, "INSERT") == NULL, "%s", sql);
    vs = (ag_vstate){0};
    sql = plan(&vs, AG_RUN_STAMP, "head", 0);
    cr_expect(strstr(sql, "CREATE TABLE IF NOT EXISTS") != NULL);
    cr_expect(strstr(sql, "VALUES ('cccccccccccc', '") != NULL, "%s", sql);
    cr_expect(strstr(sql, "NULL);\n") != NULL, "stamped rows have no duration");
    cr_expect_str_eq(plan(&vs, AG_RUN_STAMP, "base", 0), "");
    cr_expect(strstr(plan(&vs, AG_RUN_STAMP, "-1", AG_EINVAL), "stamp takes") != NULL);
}

Test(runplan, checks_against_the_files)
{
    chain();
    ag_error err = {0};
    ag_vstate vs = applied(2);
    cr_expect_eq(ag_runner_check(&G, &vs, false, &err), 0, "%s", err.msg);
    size_t *cur;
    cr_assert_eq(ag_runner_current(&G, &vs, &A, &cur), 1);
    cr_expect_eq(cur[0], 1);

    vs.rows[1].checksum = "0123456789abcdef";
    cr_expect_eq(ag_runner_check(&G, &vs, false, &err), AG_EDRIFT);
    cr_expect(strstr(err.msg, "m/1.sql was changed after it was applied") &&
                  strstr(err.msg, "autogen stamp bbbbbbbbbbbb"),
              "%s", err.msg);
    cr_expect_eq(ag_runner_check(&G, &vs, true, &err), 0);

    vs = applied(2);
    vs.rows[0].revision = "dddddddddddd";
    cr_expect_eq(ag_runner_check(&G, &vs, false, &err), AG_EINVAL);
    cr_expect(strstr(err.msg, "dddddddddddd") && strstr(err.msg, "no file"), "%s",
              err.msg);

    vs = applied(2);
    vs.rows[0] = vs.rows[1];
    vs.nrows = 1; /* bbbb applied without its parent */
    cr_expect_eq(ag_runner_check(&G, &vs, false, &err), AG_EINVAL);
    cr_expect(strstr(err.msg, "not its parent aaaaaaaaaaaa") != NULL, "%s", err.msg);
}
