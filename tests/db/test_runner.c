/*
 * test_runner.c - the everyday loop and the runner against a real server:
 * the full story of PRODUCT.md, named targets, --sql against a real run, a
 * revision failing halfway, two runners at once, the lock's bounded wait
 * and the timeouts.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test_runner.h"

static const char users_v1[] =
    "CREATE TABLE users (\n"
    "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
    "    email text NOT NULL UNIQUE\n"
    ");\n";
static const char users_v2[] =
    "CREATE TABLE users (\n"
    "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
    "    email text NOT NULL UNIQUE,\n"
    "    phone varchar(20)\n"
    ");\n";

/* init -> model -> -m -> upgrade -> edit -> -m "add phone field" ->
 * upgrade -> check clean -> downgrade -1 -> check reports the column ->
 * upgrade. */
Test(runner, full_story, .timeout = 180)
{
    proj p;
    proj_open(&p, "story");
    cr_expect_eq(access("autogen.ini", R_OK), 0);
    cr_expect_eq(access("models", X_OK), 0);
    cr_expect_eq(access("migrations", X_OK), 0);
    agt_result again = AG(&p, 1, "init");
    cr_expect(strstr(again.err, "already exists") != NULL, "%s", again.err);
    agt_result_free(&again);

    write_text("models/users.sql", users_v1);
    char *r1 = new_revision(&p, "create users", NULL);
    char *t1 = read_text(r1);
    cr_expect(strstr(t1, "-- autogen:parents none\n") != NULL, "%s", t1);
    cr_expect(strstr(t1, "CREATE TABLE public.users") != NULL, "%s", t1);
    cr_expect(strstr(t1, "-- autogen:downgrade\n\n-- hazard: deletes-data") != NULL,
              "%s", t1);
    cr_expect_str_eq(applied(&p), "", "-m writes, it does not apply");

    char *out = AGOUT(&p, 0, "upgrade");
    cr_expect(strstr(out, "Applied") && strstr(out, rev_of(r1)), "%s", out);
    cr_expect_str_eq(applied(&p), rev_of(r1));
    cr_expect(has_table(&p, "users"));

    out = AGOUT(&p, 0, "-m", "nothing new");
    cr_expect(strstr(out, "No changes detected") != NULL, "%s", out);
    cr_expect_eq(count_revisions(), 1, "in sync: no file written");

    write_text("models/users.sql", users_v2);
    char *r2 = new_revision(&p, "add phone field", NULL);
    cr_expect(strstr(r2, "_add_phone_field.sql") != NULL, "%s", r2);
    char *g2 = AGOUT(&p, 0, "history");
    cr_expect(strstr(g2, " -> ") && strstr(g2, "(head), add phone field"), "%s", g2);
    char *t2 = read_text(r2);
    char parents[64];
    snprintf(parents, sizeof parents, "-- autogen:parents %s\n", rev_of(r1));
    cr_expect(strstr(t2, parents) != NULL, "%s", t2);
    char *up = strstr(t2, "-- autogen:upgrade"), *down = strstr(t2, "-- autogen:downgrade");
    cr_assert(up && down && up < down, "%s", t2);
    cr_expect(strstr(up, "ALTER TABLE public.users ADD COLUMN phone character "
                         "varying(20);") < down,
              "%s", t2);
    cr_expect(strstr(down, "ALTER TABLE public.users DROP COLUMN phone;") != NULL,
              "%s", t2);
    /* Same inputs, same SQL: written again, only the header differs. */
    cr_assert_eq(unlink(r2), 0);
    r2 = new_revision(&p, "add phone field", NULL);
    char *again2 = read_text(r2);
    cr_expect_str_eq(strstr(again2, "-- autogen:upgrade"), up);
    cr_expect_eq(count_revisions(), 2);

    AGOUT(&p, 0, "upgrade");
    out = AGOUT(&p, 0, "check");
    cr_expect(strstr(out, "No drift") != NULL, "%s", out);
    out = AGOUT(&p, 0, "current");
    cr_expect(strstr(out, rev_of(r2)) && strstr(out, "(head)"), "%s", out);

    out = AGOUT(&p, 0, "downgrade", "-1");
    cr_expect(strstr(out, "Reverted") && strstr(out, rev_of(r2)), "%s", out);
    out = AGOUT(&p, 2, "check");
    cr_expect(strstr(out, "phone") != NULL, "check names the missing column: %s", out);
    cr_expect_str_eq(applied(&p), rev_of(r1));

    AGOUT(&p, 0, "upgrade");
    AGOUT(&p, 0, "check");
    char both[40];
    bool r1_first = strcmp(rev_of(r1), rev_of(r2)) < 0;
    snprintf(both, sizeof both, "%s,%s", rev_of(r1_first ? r1 : r2),
             rev_of(r1_first ? r2 : r1));
    cr_expect_str_eq(applied(&p), both);
    char *dur = db_query(p.url, "SELECT count(*) FROM autogen_version WHERE "
                                "duration_ms >= 0 AND length(checksum) = 64 AND "
                                "applied_at <= now()");
    cr_expect_str_eq(dur, "2", "every row has a checksum, a time and a duration");
}

/* Three revisions, a table gaining a column in each. */
static char **
three_revisions(proj *p)
{
    static char *revs[3];
    write_text("models/t.sql", "CREATE TABLE t (a int);\n");
    revs[0] = new_revision(p, "create t", NULL);
    AGOUT(p, 0, "upgrade");
    write_text("models/t.sql", "CREATE TABLE t (a int, b int);\n");
    revs[1] = new_revision(p, "add b", NULL);
    AGOUT(p, 0, "upgrade");
    write_text("models/t.sql", "CREATE TABLE t (a int, b int, c int);\n");
    revs[2] = new_revision(p, "add c", NULL);
    AGOUT(p, 0, "upgrade");
    AGOUT(p, 0, "downgrade", "base");
    cr_assert_str_eq(applied(p), "");
    cr_assert(!has_table(p, "t"));
    return revs;
}

static char *
cols(proj *p)
{
    return db_query(p->url, "SELECT attname FROM pg_attribute WHERE attrelid = "
                            "'public.t'::regclass AND attnum > 0 AND NOT attisdropped "
                            "ORDER BY attnum");
}

Test(runner, named_targets, .timeout = 180)
{
    proj p;
    proj_open(&p, "targets");
    char **r = three_revisions(&p);
    char prefix[8];
    snprintf(prefix, sizeof prefix, "%.6s", rev_of(r[0]));
    AGOUT(&p, 0, "upgrade", prefix);
    cr_expect_str_eq(applied(&p), rev_of(r[0]));
    cr_expect_str_eq(cols(&p), "a");
    AGOUT(&p, 0, "upgrade", "+1");
    cr_expect_str_eq(cols(&p), "a,b");
    agt_result too_far = AG(&p, 1, "upgrade", "+2");
    cr_expect(strstr(too_far.err, "only 1 revision is left") != NULL, "%s", too_far.err);
    agt_result_free(&too_far);
    AGOUT(&p, 0, "upgrade", "head");
    cr_expect_str_eq(cols(&p), "a,b,c");
    char *out = AGOUT(&p, 0, "upgrade");
    cr_expect(strstr(out, "Nothing to upgrade") != NULL, "%s", out);

    AGOUT(&p, 0, "downgrade", rev_of(r[0]));
    cr_expect_str_eq(applied(&p), rev_of(r[0]), "the target stays applied");
    cr_expect_str_eq(cols(&p), "a");
    agt_result gone = AG(&p, 1, "downgrade", rev_of(r[1]));
    cr_expect(strstr(gone.err, "is not applied") != NULL, "%s", gone.err);
    agt_result_free(&gone);
    AGOUT(&p, 0, "downgrade", "base");
    cr_expect_str_eq(applied(&p), "");
    cr_expect(!has_table(&p, "t"));
    AGOUT(&p, 0, "upgrade", rev_of(r[1]));
    cr_expect_str_eq(cols(&p), "a,b");
    agt_result bad = AG(&p, 1, "upgrade", "sideways");
    cr_expect(strstr(bad.err, "bad target 'sideways'") != NULL, "%s", bad.err);
    agt_result_free(&bad);
}

/* Lines of stderr that are not autogen's own messages: the -v echo. */
static char *
echo_of(const char *err)
{
    ag_buf b;
    ag_buf_init(&b);
    for (const char *l = err; *l;) {
        size_t n = strcspn(l, "\n");
        if (strncmp(l, "autogen: ", 9) != 0) {
            ag_buf_putn(&b, l, n);
            ag_buf_putc(&b, '\n');
        }
        l += n + (l[n] == '\n');
    }
    char *s = ag_buf_detach(&b);
    ag_buf_free(&b);
    return s;
}

Test(runner, sql_output_is_what_upgrade_runs, .timeout = 180)
{
    proj p;
    proj_open(&p, "sqlout");
    three_revisions(&p);
    AGOUT(&p, 0, "upgrade", "+1");
    char *before = applied(&p);

    char *script = AGOUT(&p, 0, "upgrade", "--sql", "--lock-timeout", "4s");
    cr_expect(strstr(script, "SET LOCAL lock_timeout = '4s';") != NULL, "%s", script);
    cr_expect_str_eq(applied(&p), before, "--sql touches nothing");
    cr_expect_str_eq(cols(&p), "a");

    agt_result run = AG(&p, 0, "upgrade", "-v", "--lock-timeout", "4s");
    char *echo = echo_of(run.err);
    cr_expect_str_eq(echo, script, "what ran (-v) differs from --sql");
    agt_result_free(&run);

    /* The script, run by psql on a copy at the same point, gives the same
     * schema and the same version rows. */
    proj q = p;
    char *name;
    char *other = proj_other_db("sqlcopy", &name);
    q.url = other;
    AGOUT(&q, 0, "upgrade", "+1");
    agt_result pr;
    cr_assert_eq(agt_psql_text(name, script, &pr), 0, "psql: %s", pr.err);
    agt_result_free(&pr);
    const char *rows = "SELECT revision || ' ' || checksum || ' ' || (duration_ms >= 0) "
                       "FROM autogen_version ORDER BY 1";
    cr_expect_str_eq(db_query(other, rows), db_query(p.url, rows));
    cr_expect_str_eq(cols(&q), cols(&p));

    char *down = AGOUT(&p, 0, "downgrade", "base", "--sql");
    agt_result drun = AG(&p, 0, "downgrade", "base", "-v");
    cr_expect_str_eq(echo_of(drun.err), down);
    agt_result_free(&drun);
    cr_expect_str_eq(applied(&p), "");
}

Test(runner, failing_revision_leaves_everything_as_it_was, .timeout = 180)
{
    proj p;
    proj_open(&p, "fail");
    write_text("models/a.sql", "CREATE TABLE a (id int);\n");
    char *r1 = new_revision(&p, "create a", NULL);
    char *r2 = new_revision(&p, "broken", "--empty");
    edit_file(r2, "-- autogen:upgrade\n\n",
              "-- autogen:upgrade\n\nCREATE TABLE b (id int);\n\n"
              "INSERT INTO a VALUES (1);\n\n"
              "ALTER TABLE nope ADD COLUMN x int;\n\n");
    int line = line_of(r2, "ALTER TABLE nope");

    for (int attempt = 0; attempt < 2; attempt++) {
        agt_result r = AG(&p, 1, "upgrade");
        char where[400];
        snprintf(where, sizeof where, "%s:%d:", r2, line);
        cr_expect(strstr(r.err, where) != NULL, "no %s in:\n%s", where, r.err);
        cr_expect(strstr(r.err, "relation \"nope\" does not exist") != NULL, "%s", r.err);
        cr_expect(strstr(r.err, "ALTER TABLE nope ADD COLUMN x int") != NULL, "%s", r.err);
        cr_expect(strstr(r.err, "Rolled back") != NULL, "%s", r.err);
        agt_result_free(&r);
        /* r1 ran in its own transaction and stays; r2 left no trace. */
        cr_expect_str_eq(applied(&p), rev_of(r1));
        cr_expect(has_table(&p, "a"));
        cr_expect(!has_table(&p, "b"), "the first statement was rolled back");
        cr_expect_str_eq(db_query(p.url, "SELECT count(*) FROM a"), "0");
    }
}

Test(runner, two_runners_apply_each_revision_once, .timeout = 180)
{
    proj p;
    proj_open(&p, "concurrent");
    char *r1 = new_revision(&p, "log table", "--empty");
    edit_file(r1, "-- autogen:upgrade\n\n",
              "-- autogen:upgrade\n\nCREATE TABLE log (n int);\n"
              "SELECT pg_sleep(1.5);\nINSERT INTO log VALUES (1);\n\n");
    char *r2 = new_revision(&p, "second row", "--empty");
    edit_file(r2, "-- autogen:upgrade\n\n",
              "-- autogen:upgrade\n\nINSERT INTO log VALUES (2);\n\n");

    bg a, b;
    const char *args[] = {"upgrade", NULL};
    bg_start(&a, p.url, args);
    bg_start(&b, p.url, args);
    char *ta, *tb;
    int ca = bg_wait(&a, &ta), cb = bg_wait(&b, &tb);
    cr_expect_eq(ca, 0, "%s", ta);
    cr_expect_eq(cb, 0, "%s", tb);
    cr_expect_str_eq(db_query(p.url, "SELECT string_agg(n::text, ',' ORDER BY n) FROM log"),
                     "1,2", "each revision ran exactly once");
    cr_expect_str_eq(db_query(p.url, "SELECT count(*) FROM autogen_version"), "2");
    /* One applied both; the other waited for the lock, then found nothing. */
    bool a_applied = strstr(ta, "Applied") != NULL, b_applied = strstr(tb, "Applied") != NULL;
    cr_expect(a_applied != b_applied, "A:\n%s\nB:\n%s", ta, tb);
    cr_expect(strstr(a_applied ? tb : ta, "Nothing to upgrade") != NULL, "A:\n%s\nB:\n%s",
              ta, tb);
}

Test(runner, lock_wait_is_bounded, .timeout = 120)
{
    proj p;
    proj_open(&p, "lockwait");
    write_text("models/a.sql", "CREATE TABLE a (id int);\n");
    new_revision(&p, "create a", NULL);
    PGconn *holder = db_connect(p.url);
    PGresult *res = PQexec(holder, "SELECT pg_advisory_lock(hashtextextended("
                                   "'autogen:public.autogen_version', 0))");
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQerrorMessage(holder));
    PQclear(res);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    agt_result r = AG(&p, 1, "upgrade", "--lock-wait", "1s");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    char pid[32];
    snprintf(pid, sizeof pid, "server process %d", PQbackendPID(holder));
    cr_expect(strstr(r.err, "another autogen is migrating this database") != NULL, "%s",
              r.err);
    cr_expect(strstr(r.err, pid) != NULL, "names the holder (%s): %s", pid, r.err);
    cr_expect_geq(secs, 1.0, "waited %.2f s", secs);
    cr_expect_lt(secs, 20.0, "waited %.2f s", secs);
    agt_result_free(&r);
    cr_expect_str_eq(applied(&p), "");
    cr_expect(!has_table(&p, "a"));

    PQfinish(holder); /* releases the lock */
    AGOUT(&p, 0, "upgrade", "--lock-wait", "1s");
    cr_expect(has_table(&p, "a"));
}

Test(runner, lock_timeout_applies_to_revision_sql, .timeout = 120)
{
    proj p;
    proj_open(&p, "locktimeout");
    write_text("models/a.sql", "CREATE TABLE a (id int);\n");
    new_revision(&p, "create a", NULL);
    AGOUT(&p, 0, "upgrade");
    write_text("models/a.sql", "CREATE TABLE a (id int, y int);\n");
    char *r2 = new_revision(&p, "add y", NULL);

    PGconn *blocker = db_connect(p.url);
    PGresult *res = PQexec(blocker, "BEGIN; LOCK TABLE a IN ACCESS EXCLUSIVE MODE");
    cr_assert_eq(PQresultStatus(res), PGRES_COMMAND_OK, "%s", PQerrorMessage(blocker));
    PQclear(res);
    agt_result r = AG(&p, 1, "upgrade", "--lock-timeout", "300ms");
    cr_expect(strstr(r.err, "lock timeout") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, r2) != NULL, "%s", r.err);
    agt_result_free(&r);
    cr_expect_eq(strchr(applied(&p), ','), NULL, "the second revision is not recorded");
    PQfinish(blocker);
    AGOUT(&p, 0, "upgrade", "--lock-timeout", "300ms");
    AGOUT(&p, 0, "check");
}

/* `check` covers the migration chain too: a revision written but not
 * applied, or an applied file edited afterwards, is drift (exit 2), even
 * when the schema itself happens to match. */
Test(runner, check_reports_the_migration_chain, .timeout = 180)
{
    proj p;
    proj_open(&p, "chaincheck");
    write_text("models/users.sql", "CREATE TABLE users (id bigint PRIMARY "
                                   "KEY);\n");
    char *r1 = new_revision(&p, "create users", NULL);
    AG(&p, 0, "upgrade");
    char *clean = AGOUT(&p, 0, "check");
    cr_expect(strstr(clean, "No drift") != NULL, "%s", clean);

    /* A hand-written revision that changes nothing the models see. */
    char *r2 = new_revision(&p, "note", "--empty");
    char *out = AGOUT(&p, 2, "check");
    cr_expect(strstr(out, "not applied") && strstr(out, rev_of(r2)), "%s", out);
    AG(&p, 0, "upgrade");
    AGOUT(&p, 0, "check");

    /* Editing an applied file is a broken chain. */
    edit_file(r1, "CREATE TABLE", "CREATE  TABLE");
    out = AGOUT(&p, 2, "check");
    cr_expect(strstr(out, "migration chain") != NULL, "%s", out);
}
