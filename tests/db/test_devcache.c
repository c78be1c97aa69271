/* The dev-database cache against a real server (devcache.h): `check` on
 * models with a view, run again, gives the same answer from the cache
 * without touching the dev database; a changed view, another TimeZone in
 * the live session and a damaged cache file are misses, and the answer
 * stays right. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../support/harness.h"
#include "autogen/base.h"

static const char model_v1[] =
    "CREATE TABLE t (a int CHECK (a > 0), b varchar(5) DEFAULT 'x');\n"
    "CREATE VIEW v AS SELECT * FROM t WHERE a > 1;\n"
    "COMMENT ON COLUMN v.b IS 'it''s\nmulti-line';\n";
static const char model_v2[] =
    "CREATE TABLE t (a int CHECK (a > 0), b varchar(5) DEFAULT 'x');\n"
    "CREATE VIEW v AS SELECT * FROM t WHERE a > 2;\n"
    "COMMENT ON COLUMN v.b IS 'it''s\nmulti-line';\n";

typedef struct env {
    char *live, *dev;
    char *live_url, *dev_url;
    char *models; /* a temp file */
    char cache[64];
} env;

static char *
url_with(const char *url, const char *options)
{
    size_t n = strlen(url) + strlen(options) + 16;
    char *s = ag_xmalloc(n);
    snprintf(s, n, "%s&options=%s", url, options);
    return s;
}

static void
env_open(env *e)
{
    cr_assert_not_null(agt_pghost(), "run under with-postgres (ctest does)");
    char *why = NULL;
    e->live = agt_create_db("cache_live", &why);
    cr_assert_not_null(e->live, "%s", why ? why : "?");
    e->dev = agt_create_db("cache_dev", &why);
    cr_assert_not_null(e->dev, "%s", why ? why : "?");
    e->live_url = agt_db_url(e->live);
    e->dev_url = agt_db_url(e->dev);
    setenv("AUTOGEN_DEV_URL", e->dev_url, 1);
    strcpy(e->cache, "/tmp/agt-devcache-db-XXXXXX");
    cr_assert_not_null(mkdtemp(e->cache));
    setenv("AUTOGEN_CACHE_DIR", e->cache, 1);
    agt_result r;
    agt_psql_text(e->live, model_v1, &r);
    cr_assert_eq(r.code, 0, "loading the live database: %s", r.err);
    agt_result_free(&r);
    e->models = agt_write_temp(model_v1);
    cr_assert_not_null(e->models);
}

static void
set_models(env *e, const char *text)
{
    FILE *f = fopen(e->models, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* The cache's files (under <cache>/devdb), by name; returns how many. */
static int
cache_files(const env *e, char names[][512], int max)
{
    char dir[128];
    snprintf(dir, sizeof dir, "%s/devdb", e->cache);
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *x; d && (x = readdir(d)) != NULL;)
        if (x->d_name[0] != '.' && n < max)
            snprintf(names[n++], 512, "%s/%s", dir, x->d_name);
    if (d)
        closedir(d);
    return n;
}

static void
env_close(env *e)
{
    char names[16][512];
    int n = cache_files(e, names, 16);
    for (int i = 0; i < n; i++)
        unlink(names[i]);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/devdb", e->cache);
    rmdir(dir);
    rmdir(e->cache);
    unlink(e->models);
    free(e->models);
    agt_drop_db(e->live);
    agt_drop_db(e->dev);
    free(e->live);
    free(e->dev);
    free(e->live_url);
    free(e->dev_url);
}

/* autogen check -v against live_url; the exit code must be `code` and
 * stderr must say "(cache <outcome>)". */
static agt_result
check(const char *live_url, const env *e, int code, const char *outcome)
{
    const char *args[] = {"check",    "-v",      "--url", live_url,
                          "--models", e->models, NULL};
    agt_result r;
    agt_autogen(args, &r);
    cr_assert_eq(r.code, code, "check: %s, want exit %d\n%s\n%s",
                 agt_status(&r), code, r.out, r.err);
    char want[32];
    snprintf(want, sizeof want, "(cache %s)", outcome);
    if (code != 1)
        cr_assert(strstr(r.err, want) != NULL, "want %s:\n%s", want, r.err);
    cr_assert(!agt_sanitizer_report(&r), "%s", r.err);
    return r;
}

/* A session on the dev database holding the advisory lock every dev
 * database run takes first (devdb.c): while it is held, a run that
 * reached the dev database would wait for it. */
static PGconn *
hold_dev_lock(const env *e)
{
    PGconn *c = PQconnectdb(e->dev_url);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    PGresult *res = PQexec(c, "SELECT pg_catalog.pg_advisory_lock(7163, 1)");
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
    PQclear(res);
    return c;
}

Test(devcache, second_run_is_a_hit_and_leaves_the_dev_database_alone,
     .timeout = 240)
{
    env e;
    env_open(&e);

    agt_result first = check(e.live_url, &e, 0, "miss");
    cr_expect(strstr(first.out, "No drift") != NULL, "%s", first.out);
    char names[4][512];
    cr_assert_eq(cache_files(&e, names, 4), 1, "one entry written");

    /* With the dev database's lock held by someone else and a dev URL
     * that gives up waiting after 2 s, only a run that never reaches
     * the dev database can finish. */
    PGconn *lock = hold_dev_lock(&e);
    char *impatient = url_with(e.dev_url, "-c%20lock_timeout%3D2000");
    setenv("AUTOGEN_DEV_URL", impatient, 1);
    agt_result second = check(e.live_url, &e, 0, "hit");
    cr_expect_str_eq(second.out, first.out);

    /* The proof holds: a run that needs the dev database (the view's
     * text changed: a miss) does fail behind the lock. */
    set_models(&e, model_v2);
    agt_result blocked = check(e.live_url, &e, 1, "miss");
    cr_expect(strstr(blocked.err, "cache: miss") != NULL, "%s", blocked.err);
    cr_expect(strstr(blocked.err, "lock timeout") != NULL, "%s", blocked.err);
    PQfinish(lock);

    /* Released: the changed view is a miss, and its new definition is
     * used: drift on v. */
    agt_result changed = check(e.live_url, &e, 2, "miss");
    cr_expect(strstr(changed.out, "public.v") != NULL, "%s", changed.out);
    agt_result again = check(e.live_url, &e, 2, "hit");
    cr_expect_str_eq(again.out, changed.out);

    /* The live database catches up: the cached new definition matches. */
    agt_result r;
    agt_psql_text(
        e.live, "CREATE OR REPLACE VIEW v AS SELECT * FROM t WHERE a > 2;", &r);
    cr_assert_eq(r.code, 0, "%s", r.err);
    agt_result_free(&r);
    agt_result synced = check(e.live_url, &e, 0, "hit");
    cr_expect(strstr(synced.out, "No drift") != NULL, "%s", synced.out);

    /* And back to v1's models: the first entry is still there. */
    set_models(&e, model_v1);
    agt_result back = check(e.live_url, &e, 2, "hit");
    cr_expect(strstr(back.out, "Drift") != NULL, "%s", back.out);
    set_models(&e, model_v2);

    agt_result_free(&first);
    agt_result_free(&second);
    agt_result_free(&blocked);
    agt_result_free(&changed);
    agt_result_free(&again);
    agt_result_free(&synced);
    agt_result_free(&back);
    free(impatient);
    env_close(&e);
}

/* Constants print by the live session's TimeZone (devdb.c copies it into
 * the dev session): another TimeZone is another key. */
Test(devcache, another_timezone_is_a_miss, .timeout = 240)
{
    env e;
    env_open(&e);
    agt_result r1 = check(e.live_url, &e, 0, "miss");
    agt_result r2 = check(e.live_url, &e, 0, "hit");
    char *tokyo = url_with(e.live_url, "-c%20TimeZone%3DAsia/Tokyo");
    agt_result r3 = check(tokyo, &e, 0, "miss");
    agt_result r4 = check(tokyo, &e, 0, "hit");
    char names[4][512];
    cr_expect_eq(cache_files(&e, names, 4), 2);
    agt_result_free(&r1);
    agt_result_free(&r2);
    agt_result_free(&r3);
    agt_result_free(&r4);
    free(tokyo);
    env_close(&e);
}

/* Another build of autogen (here: a copy of the binary, another inode and
 * mtime) does not adopt what this one cached: the answers come from code
 * that may have changed without the version string changing. */
Test(devcache, another_build_is_a_miss, .timeout = 240)
{
    env e;
    env_open(&e);
    agt_result r1 = check(e.live_url, &e, 0, "miss");
    char copy[160];
    snprintf(copy, sizeof copy, "%s/autogen-copy", e.cache);
    char *bin = agt_read_file(agt_autogen_bin());
    cr_assert_not_null(bin);
    struct stat st;
    cr_assert_eq(stat(agt_autogen_bin(), &st), 0);
    FILE *f = fopen(copy, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bin, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    cr_assert_eq(fclose(f), 0);
    free(bin);
    cr_assert_eq(chmod(copy, 0700), 0);
    char *argv[] = {copy,       "check",  "-v", "--url", e.live_url,
                    "--models", e.models, NULL};
    agt_result r2;
    agt_run(argv, &r2);
    cr_assert_eq(r2.code, 0, "%s\n%s", agt_status(&r2), r2.err);
    cr_expect(strstr(r2.err, "(cache miss)") != NULL, "want a miss:\n%s",
              r2.err);
    agt_result r3 = check(e.live_url, &e, 0, "hit");
    unlink(copy);
    agt_result_free(&r1);
    agt_result_free(&r2);
    agt_result_free(&r3);
    env_close(&e);
}

/* A damaged entry is recomputed (and rewritten), never an error. */
Test(devcache, damaged_entry_is_recomputed, .timeout = 240)
{
    env e;
    env_open(&e);
    set_models(&e, model_v2); /* drift: the answer must stay exactly this */
    agt_result want = check(e.live_url, &e, 2, "miss");
    char names[4][512];
    cr_assert_eq(cache_files(&e, names, 4), 1);
    char *text = agt_read_file(names[0]);
    cr_assert_not_null(text);

    static const char *const damage[] = {"truncated", "flipped", "garbage",
                                         "empty"};
    for (size_t i = 0; i < sizeof damage / sizeof damage[0]; i++) {
        FILE *f = fopen(names[0], "w");
        cr_assert_not_null(f);
        size_t len = strlen(text);
        if (i == 0)
            fwrite(text, 1, len / 2, f);
        else if (i == 1) {
            char *copy = ag_xstrdup(text);
            copy[len - 10] ^= 1;
            fputs(copy, f);
            free(copy);
        } else if (i == 2)
            fputs("not a cache file\n\x01\x02", f);
        fclose(f);
        agt_result r = check(e.live_url, &e, 2, "miss");
        cr_expect_str_eq(r.out, want.out, "after a %s entry", damage[i]);
        agt_result_free(&r);
        agt_result hit = check(e.live_url, &e, 2, "hit");
        cr_expect_str_eq(hit.out, want.out, "rewritten after %s", damage[i]);
        agt_result_free(&hit);
    }
    free(text);
    agt_result_free(&want);
    env_close(&e);
}

/* AUTOGEN_CACHE_DIR=off: every run reaches the dev database, nothing is
 * written. */
Test(devcache, off_means_no_cache, .timeout = 240)
{
    env e;
    env_open(&e);
    setenv("AUTOGEN_CACHE_DIR", "off", 1);
    agt_result r1 = check(e.live_url, &e, 0, "off");
    agt_result r2 = check(e.live_url, &e, 0, "off");
    setenv("AUTOGEN_CACHE_DIR", e.cache, 1);
    char names[4][512];
    cr_expect_eq(cache_files(&e, names, 4), 0);
    agt_result_free(&r1);
    agt_result_free(&r2);
    env_close(&e);
}

/* cache_dir in autogen.ini, relative to the config file; off there too. */
Test(devcache, cache_dir_in_the_config, .timeout = 240)
{
    env e;
    env_open(&e);
    setenv("AUTOGEN_CACHE_DIR", "",
           1); /* unset for autogen, kept by the harness */
    char conf[128], ini[192], files[192];
    snprintf(conf, sizeof conf, "%s/conf", e.cache);
    cr_assert_eq(mkdir(conf, 0700), 0);
    snprintf(ini, sizeof ini, "%s/autogen.ini", conf);
    FILE *f = fopen(ini, "w");
    cr_assert_not_null(f);
    fputs("[autogen]\ncache_dir = agcache\n", f);
    fclose(f);
    const char *args[] = {"-c",       ini,        "check",  "-v", "--url",
                          e.live_url, "--models", e.models, NULL};
    agt_result r;
    agt_autogen(args, &r);
    cr_expect_eq(r.code, 0, "%s\n%s", r.out, r.err);
    cr_expect(strstr(r.err, "(cache miss)") != NULL, "%s", r.err);
    agt_result_free(&r);
    agt_autogen(args, &r);
    cr_expect(strstr(r.err, "(cache hit)") != NULL, "%s", r.err);
    agt_result_free(&r);
    snprintf(files, sizeof files, "%s/agcache/devdb", conf);
    DIR *d = opendir(files);
    cr_assert_not_null(d, "%s was not created", files);
    int n = 0;
    for (struct dirent *x; (x = readdir(d)) != NULL;)
        if (x->d_name[0] != '.') {
            n++;
            char p[512];
            snprintf(p, sizeof p, "%s/%s", files, x->d_name);
            unlink(p);
        }
    closedir(d);
    cr_expect_eq(n, 1);
    rmdir(files);
    snprintf(files, sizeof files, "%s/agcache", conf);
    rmdir(files);

    f = fopen(ini, "w");
    fputs("[autogen]\ncache_dir = off\n", f);
    fclose(f);
    agt_autogen(args, &r);
    cr_expect_eq(r.code, 0, "%s\n%s", r.out, r.err);
    cr_expect(strstr(r.err, "(cache off)") != NULL, "%s", r.err);
    agt_result_free(&r);
    unlink(ini);
    rmdir(conf);
    setenv("AUTOGEN_CACHE_DIR", e.cache, 1);
    env_close(&e);
}

/* No dev URL: the key takes the throwaway cluster's server version from
 * `postgres --version` without starting it; the first run starts one (a
 * miss), the second is a hit with the same answer. */
Test(devcache, throwaway_cluster_path, .timeout = 240)
{
    env e;
    env_open(&e);
    setenv("AUTOGEN_DEV_URL", "",
           1); /* none for autogen, kept by the harness */
    set_models(&e, model_v2);
    agt_result miss = check(e.live_url, &e, 2, "miss");
    cr_expect(strstr(miss.err, "a throwaway local cluster") != NULL, "%s",
              miss.err);
    agt_result hit = check(e.live_url, &e, 2, "hit");
    cr_expect_str_eq(hit.out, miss.out);
    agt_result_free(&miss);
    agt_result_free(&hit);
    env_close(&e);
}
