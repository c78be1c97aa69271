/*
 * test_runner_files.c - the runner facing its files and its database's
 * history: an edited applied file, a branch and its merge, a missing parent
 * and a damaged header, a database behind its files, adopting an existing
 * schema with stamp, enum labels (ADD VALUE and its transaction), CREATE
 * INDEX CONCURRENTLY, and the settings autogen.ini gives.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_runner.h"

Test(runner_files, edited_applied_file_is_refused_until_accepted, .timeout = 120)
{
    proj p;
    proj_open(&p, "tamper");
    write_text("models/a.sql", "CREATE TABLE a (id int);\n");
    char *r1 = new_revision(&p, "create a", NULL);
    AGOUT(&p, 0, "upgrade");
    edit_file(r1, "CREATE TABLE public.a", "-- reviewed later\nCREATE TABLE public.a");

    agt_result r = AG(&p, 1, "upgrade");
    cr_expect(strstr(r.err, r1) && strstr(r.err, "was changed after it was applied"),
              "%s", r.err);
    char accept[64];
    snprintf(accept, sizeof accept, "autogen stamp %s", rev_of(r1));
    cr_expect(strstr(r.err, accept) != NULL, "gives the command: %s", r.err);
    agt_result_free(&r);
    agt_result d = AG(&p, 1, "downgrade", "base");
    cr_expect(strstr(d.err, "was changed after it was applied") != NULL, "%s", d.err);
    agt_result_free(&d);
    cr_expect(has_table(&p, "a"));
    char *cur = AGOUT(&p, 0, "current");
    cr_expect(strstr(cur, "file changed since it was applied") != NULL, "%s", cur);

    char *out = AGOUT(&p, 0, "stamp", rev_of(r1));
    cr_expect(strstr(out, "Accepted") != NULL, "%s", out);
    out = AGOUT(&p, 0, "upgrade");
    cr_expect(strstr(out, "Nothing to upgrade") != NULL, "%s", out);
}

Test(runner_files, branch_is_reported_and_merge_joins_it, .timeout = 120)
{
    proj p;
    proj_open(&p, "branch");
    write_text("models/a.sql", "CREATE TABLE a (id int);\n");
    char *r1 = new_revision(&p, "create a", NULL);
    AGOUT(&p, 0, "upgrade");
    /* Two developers branch from r1: one revision is moved aside while
     * the other is written, as a git merge would bring them together. */
    char *rb = new_revision(&p, "table b", "--empty");
    edit_file(rb, "-- autogen:upgrade\n\n", "-- autogen:upgrade\n\nCREATE TABLE b (id int);\n");
    edit_file(rb, "-- autogen:downgrade\n", "-- autogen:downgrade\nDROP TABLE b;\n");
    cr_assert_eq(rename(rb, "aside.txt"), 0);
    char *rc = new_revision(&p, "table c", "--empty");
    edit_file(rc, "-- autogen:upgrade\n\n", "-- autogen:upgrade\n\nCREATE TABLE c (id int);\n");
    edit_file(rc, "-- autogen:downgrade\n", "-- autogen:downgrade\nDROP TABLE c;\n");
    cr_assert_eq(rename("aside.txt", rb), 0);
    char parent[64];
    snprintf(parent, sizeof parent, "-- autogen:parents %s\n", rev_of(r1));
    cr_expect(strstr(read_text(rc), parent) != NULL);

    agt_result h = AG(&p, 0, "heads");
    cr_expect(strstr(h.out, rev_of(rb)) && strstr(h.out, rev_of(rc)), "%s", h.out);
    cr_expect(strstr(h.err, "autogen merge -m \"merge heads\"") != NULL, "%s", h.err);
    agt_result_free(&h);
    agt_result up = AG(&p, 1, "upgrade");
    cr_expect(strstr(up.err, "2 heads") && strstr(up.err, rb) && strstr(up.err, rc),
              "%s", up.err);
    cr_expect(strstr(up.err, "join them with: autogen merge -m \"merge heads\"") != NULL,
              "%s", up.err);
    agt_result_free(&up);
    agt_result gen = AG(&p, 1, "-m", "more");
    cr_expect(strstr(gen.err, "autogen merge") != NULL, "%s", gen.err);
    agt_result_free(&gen);

    agt_result m = AG(&p, 0, "merge", "-m", "merge heads");
    const char *g = strstr(m.out, "Generating ");
    cr_assert_not_null(g, "%s", m.out);
    char path[300];
    snprintf(path, sizeof path, "%.*s", (int)strcspn(g + 11, "\n"), g + 11);
    agt_result_free(&m);
    char *mt = read_text(path);
    cr_expect(strstr(mt, rev_of(rb)) && strstr(mt, rev_of(rc)), "%s", mt);
    char *heads = AGOUT(&p, 0, "heads");
    cr_expect(strstr(heads, rev_of(path)) && !strstr(heads, rev_of(rb)), "%s", heads);
    char *hist = AGOUT(&p, 0, "history");
    cr_expect(strstr(hist, "(mergepoint)") && strstr(hist, "(branchpoint)"), "%s", hist);

    AGOUT(&p, 0, "upgrade");
    cr_expect(has_table(&p, "b") && has_table(&p, "c"));
    cr_expect_str_eq(db_query(p.url, "SELECT count(*) FROM autogen_version"), "4");
    char *cur = AGOUT(&p, 0, "current");
    cr_expect(strstr(cur, rev_of(path)) && strstr(cur, "(head)"), "%s", cur);
    AGOUT(&p, 0, "downgrade", rev_of(r1));
    cr_expect(!has_table(&p, "b") && !has_table(&p, "c"));
}

Test(runner_files, missing_parent_and_damaged_header_are_clear_errors, .timeout = 120)
{
    proj p;
    proj_open(&p, "broken");
    char *r1 = new_revision(&p, "first", "--empty");
    char *r2 = new_revision(&p, "second", "--empty");
    char parent[64];
    snprintf(parent, sizeof parent, "-- autogen:parents %s", rev_of(r1));
    edit_file(r2, parent, "-- autogen:parents ffffffffffff");
    const char *cmds[] = {"upgrade", "history", "heads", "current"};
    for (int i = 0; i < 4; i++) {
        agt_result r = AG(&p, 1, cmds[i]);
        cr_expect(strstr(r.err, r2) && strstr(r.err, "names parent ffffffffffff") &&
                      strstr(r.err, "no file in the migrations folder"),
                  "%s: %s", cmds[i], r.err);
        cr_expect(!strstr(r.err, "#0 "), "no stack trace: %s", r.err);
        agt_result_free(&r);
    }
    edit_file(r2, "-- autogen:parents ffffffffffff", parent);

    edit_file(r1, "-- autogen:message first", "-- autogen:mesage first");
    agt_result r = AG(&p, 1, "upgrade");
    char where[300];
    snprintf(where, sizeof where, "%s:3: unknown header key 'mesage'", r1);
    cr_expect(strstr(r.err, where) != NULL, "expected '%s' in: %s", where, r.err);
    cr_expect(strstr(r.err, "expected one of: revision, parents, message") != NULL, "%s",
              r.err);
    agt_result_free(&r);
    edit_file(r1, "-- autogen:mesage first", "-- autogen:message first");

    edit_file(r1, "-- autogen:downgrade", "-- autogen:downgrade\nCREATE TABEL x (id int);");
    r = AG(&p, 1, "upgrade");
    cr_expect(strstr(r.err, "syntax error at or near \"TABEL\"") && strstr(r.err, r1),
              "%s", r.err);
    agt_result_free(&r);
    cr_expect_str_eq(applied(&p), "", "nothing ran");

    cr_assert_eq(rename(r1, "migrations/first.sql"), 0);
    r = AG(&p, 1, "upgrade");
    cr_expect(strstr(r.err, "migrations/first.sql: the file name does not follow") != NULL,
              "%s", r.err);
    agt_result_free(&r);
}

Test(runner_files, revision_against_a_database_behind_is_refused, .timeout = 120)
{
    proj p;
    proj_open(&p, "behind");
    write_text("models/a.sql", "CREATE TABLE a (id int);\n");
    new_revision(&p, "create a", NULL);
    agt_result r = AG(&p, 1, "-m", "again");
    cr_expect(strstr(r.err, "target database is not up to date: run autogen upgrade") !=
                  NULL,
              "%s", r.err);
    agt_result_free(&r);
    cr_expect_eq(count_revisions(), 1);
    AGOUT(&p, 0, "upgrade");
    write_text("models/a.sql", "CREATE TABLE a (id int, b int);\n");
    new_revision(&p, "add b", NULL);
    AGOUT(&p, 0, "upgrade");
    AGOUT(&p, 0, "downgrade", "-1");
    write_text("models/a.sql", "CREATE TABLE a (id int, b int, c int);\n");
    r = AG(&p, 1, "-m", "add c");
    cr_expect(strstr(r.err, "target database is not up to date: run autogen upgrade") &&
                  strstr(r.err, "1 revision not applied"),
              "%s", r.err);
    agt_result_free(&r);
    cr_expect_eq(count_revisions(), 2, "nothing written");
}

Test(runner_files, stamp_adopts_an_existing_schema, .timeout = 120)
{
    proj p;
    proj_open(&p, "adopt");
    const char *schema = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n";
    agt_result pr;
    cr_assert_eq(agt_psql_text(p.db, schema, &pr), 0, "%s", pr.err);
    agt_result_free(&pr);
    cr_assert_eq(agt_psql_text(p.db, "INSERT INTO users VALUES (1, 'a@b');", &pr), 0);
    agt_result_free(&pr);
    write_text("models/users.sql", schema);

    /* The baseline revision creates everything: write it against an empty
     * database, as a fresh install would run it. */
    proj empty = p;
    empty.url = proj_other_db("adoptempty", NULL);
    char *base = new_revision(&empty, "baseline", NULL);
    cr_expect(strstr(read_text(base), "CREATE TABLE public.users") != NULL);

    agt_result r = AG(&p, 1, "-m", "add phone");
    cr_expect(strstr(r.err, "autogen stamp head") != NULL, "suggests adoption: %s", r.err);
    agt_result_free(&r);

    char *out = AGOUT(&p, 0, "stamp", "head");
    cr_expect(strstr(out, "Stamped") && strstr(out, rev_of(base)), "%s", out);
    cr_expect_str_eq(applied(&p), rev_of(base));
    cr_expect_str_eq(db_query(p.url, "SELECT count(*) FROM users"), "1", "no SQL ran");
    cr_expect_str_eq(db_query(p.url, "SELECT duration_ms IS NULL FROM autogen_version"),
                     "t", "a stamped row has no duration");

    write_text("models/users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, "
                                   "email text NOT NULL, phone text);\n");
    char *r2 = new_revision(&p, "add phone", NULL);
    char *t2 = read_text(r2);
    cr_expect(strstr(t2, "ADD COLUMN phone text") != NULL, "%s", t2);
    cr_expect(strstr(t2, "CREATE TABLE") == NULL, "only the real change: %s", t2);
    AGOUT(&p, 0, "upgrade");
    AGOUT(&p, 0, "check");
    cr_expect_str_eq(db_query(p.url, "SELECT count(*) FROM users"), "1");

    /* The baseline also builds a fresh database from nothing. */
    AGOUT(&empty, 0, "upgrade");
    out = AGOUT(&empty, 0, "check");
    cr_expect(strstr(out, "No drift") != NULL, "%s", out);
    AGOUT(&p, 0, "stamp", "base");
    cr_expect_str_eq(applied(&p), "");
    cr_expect(has_table(&p, "users"), "stamp never runs SQL");
}

Test(runner_files, enum_label_added_and_used_runs_without_transaction, .timeout = 120)
{
    proj p;
    proj_open(&p, "enum");
    write_text("models/mood.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
                                  "CREATE TABLE person (name text, m mood);\n");
    new_revision(&p, "moods", NULL);
    AGOUT(&p, 0, "upgrade");

    /* A new label alone stays transactional. */
    write_text("models/mood.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok', 'meh');\n"
                                  "CREATE TABLE person (name text, m mood);\n");
    char *r2 = new_revision(&p, "meh", NULL);
    cr_expect(strstr(read_text(r2), "-- autogen:transaction per-revision") != NULL);
    AGOUT(&p, 0, "upgrade");

    /* A new label used as a default in the same revision cannot be. */
    write_text("models/mood.sql",
               "CREATE TYPE mood AS ENUM ('sad', 'ok', 'meh', 'happy');\n"
               "CREATE TABLE person (name text, m mood DEFAULT 'happy');\n");
    agt_result g = AG(&p, 0, "-m", "happy by default");
    cr_expect(strstr(g.out, "runs without a transaction") != NULL, "%s", g.out);
    agt_result_free(&g);
    char *out = AGOUT(&p, 0, "history", "-v");
    cr_expect(strstr(out, "Transaction: none (downgrade: per-revision)") != NULL, "%s",
              out);
    AGOUT(&p, 0, "upgrade");
    out = AGOUT(&p, 0, "check");
    cr_expect(strstr(out, "No drift") != NULL, "%s", out);
    cr_expect_str_eq(db_query(p.url, "INSERT INTO person (name) VALUES ('x') RETURNING m"),
                     "happy");

    /* The downgrade drops the label, which a row still uses: it fails and,
     * being transactional, rolls back whole; without the row it runs. */
    agt_result d = AG(&p, 1, "downgrade", "-1");
    cr_expect(strstr(d.err, "invalid input value for enum") && strstr(d.err, "Rolled back"),
              "%s", d.err);
    agt_result_free(&d);
    const char *labels = "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) "
                         "FROM pg_enum";
    cr_expect_str_eq(db_query(p.url, labels), "sad,ok,meh,happy");
    cr_expect_str_eq(db_query(p.url, "SELECT count(*) FROM pg_type WHERE typname "
                                     "LIKE 'mood%'"),
                     "1", "no renamed type left behind");
    cr_expect_str_eq(db_query(p.url, "WITH d AS (DELETE FROM person RETURNING 1) "
                                     "SELECT count(*) FROM d"),
                     "1");
    AGOUT(&p, 0, "downgrade", "-1");
    cr_expect_str_eq(db_query(p.url, labels), "sad,ok,meh");
}

Test(runner_files, concurrently_needs_transaction_none, .timeout = 120)
{
    proj p;
    proj_open(&p, "concur");
    write_text("models/a.sql", "CREATE TABLE a (id int);\n");
    new_revision(&p, "create a", NULL);
    AGOUT(&p, 0, "upgrade");

    char *r2 = new_revision(&p, "index a", "--empty");
    edit_file(r2, "-- autogen:upgrade\n\n",
              "-- autogen:upgrade\n\nCREATE INDEX CONCURRENTLY a_id_idx ON a (id);\n");
    agt_result r = AG(&p, 1, "upgrade");
    cr_expect(strstr(r.err, "cannot run inside a transaction block") &&
                  strstr(r.err, "declare '-- autogen:transaction none'"),
              "%s", r.err);
    agt_result_free(&r);
    edit_file(r2, "-- autogen:transaction per-revision", "-- autogen:transaction none");
    edit_file(r2, "-- autogen:downgrade\n",
              "-- autogen:downgrade\nDROP INDEX CONCURRENTLY a_id_idx;\n");
    AGOUT(&p, 0, "upgrade", "--lock-timeout", "5s");
    cr_expect_str_eq(db_query(p.url, "SELECT indisvalid FROM pg_index WHERE indexrelid = "
                                     "'public.a_id_idx'::regclass"),
                     "t");
    cr_expect_str_eq(db_query(p.url, "SELECT count(*) FROM autogen_version WHERE "
                                     "duration_ms >= 0"),
                     "2");
    AGOUT(&p, 0, "downgrade", "-1");
    cr_expect_str_eq(db_query(p.url, "SELECT to_regclass('public.a_id_idx') IS NULL"), "t");
}

Test(runner_files, settings_from_autogen_ini, .timeout = 120)
{
    proj p;
    proj_open(&p, "settings");
    char *ini = read_text("autogen.ini");
    cr_expect(strstr(ini, "database_url") && strstr(ini, "${") && strstr(ini, "lock_timeout") &&
                  strstr(ini, "allow_hazards"),
              "documented keys: %s", ini);
    edit_file("autogen.ini", "; lock_timeout = 5s", "lock_timeout = 2500ms");
    edit_file("autogen.ini", "; statement_timeout = 15min", "statement_timeout = 7min");
    write_text("models/a.sql", "CREATE TABLE a (id int);\n");
    new_revision(&p, "create a", NULL);
    char *sql = AGOUT(&p, 0, "upgrade", "--sql");
    cr_expect(strstr(sql, "SET LOCAL lock_timeout = '2500ms';\n"
                          "SET LOCAL statement_timeout = '7min';\n") != NULL,
              "%s", sql);
    sql = AGOUT(&p, 0, "upgrade", "--sql", "--statement-timeout", "3s");
    cr_expect(strstr(sql, "SET LOCAL statement_timeout = '3s';") != NULL,
              "the command line wins: %s", sql);

    /* database_url with ${VAR}: the URL comes from the environment. */
    edit_file("autogen.ini", "; database_url = ${APP_DATABASE_URL}",
              "database_url = ${AGT_RUNNER_URL}");
    setenv("AGT_RUNNER_URL", p.url, 1);
    char *out = ag_out(NULL, 0, (const char *const[]){"upgrade", NULL});
    cr_expect(strstr(out, "Applied") != NULL, "%s", out);
    cr_expect(has_table(&p, "a"));
    unsetenv("AGT_RUNNER_URL");
    agt_result r = ag_run(NULL, 1, (const char *const[]){"current", NULL});
    cr_expect(strstr(r.err, "AGT_RUNNER_URL is not set") != NULL, "%s", r.err);
    agt_result_free(&r);
    out = ag_out(NULL, 0, (const char *const[]){"heads", NULL});
    cr_expect(strstr(out, "(head)") != NULL, "heads needs no database: %s", out);

    edit_file("autogen.ini", "lock_wait = 60s", "lock_wait = soon");
    r = AG(&p, 1, "upgrade");
    cr_expect(strstr(r.err, "lock_wait 'soon'") != NULL, "%s", r.err);
    agt_result_free(&r);
}
