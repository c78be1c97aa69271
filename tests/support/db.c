/*
 * db.c - throwaway databases on the cluster with-postgres started, and the
 * programs the runners drive against them (psql, pg_dump, autogen).
 *
 * Every connection names the socket directory from AUTOGEN_TEST_PGHOST and
 * the role postgres explicitly, so nothing depends on the caller's PG*
 * variables.  Database names carry the test process id and a counter:
 * Criterion runs tests in parallel worker processes, and each test owns
 * the databases it creates.
 */
#include "harness.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autogen/base.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* A failed cr_assert abandons whatever the test still holds, so leak reports
 * from the runner processes would only repeat the failure.  Leaks are checked
 * where they matter: in the autogen processes the runners start, whose
 * stderr is scanned for sanitizer reports (agt_sanitizer_report). */
__attribute__((constructor)) static void
no_leak_checks_in_runners(void)
{
    __lsan_disable();
}
#endif

#ifndef AG_AUTOGEN_BIN
#error "AG_AUTOGEN_BIN (path of the autogen executable) must be defined"
#endif

const char *
agt_pghost(void)
{
    const char *h = getenv("AUTOGEN_TEST_PGHOST");
    return h && *h ? h : NULL;
}

const char *
agt_autogen_bin(void)
{
    const char *b = getenv("AUTOGEN_BIN");
    return b && *b ? b : AG_AUTOGEN_BIN;
}

/* psql against db with extra arguments appended (NULL-terminated). */
static int
psql(const char *db, const char *const extra[], agt_result *res)
{
    const char *argv[16] = {"psql", "-X", "-q", "-w", "-v", "ON_ERROR_STOP=1",
                            "-h", agt_pghost(), "-U", "postgres", "-d", db};
    int n = 12;
    for (int i = 0; extra[i] && n < 15; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    return agt_run((char *const *)argv, res);
}

static int
take_status(int rc, agt_result *res)
{
    return rc == 0 && res->code == 0 ? 0 : -1;
}

char *
agt_create_db(const char *tag, char **why)
{
    static unsigned counter;
    *why = NULL;
    if (!agt_pghost()) {
        *why = ag_xstrdup("AUTOGEN_TEST_PGHOST is not set");
        return NULL;
    }
    char clean[24];
    size_t k = 0;
    for (const char *p = tag; *p && k < sizeof clean - 1; p++)
        clean[k++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    clean[k] = '\0';
    for (int attempt = 0; attempt < 5; attempt++) {
        char name[64], sql[128];
        snprintf(name, sizeof name, "agt_%s_%ld_%u", clean, (long)getpid(), ++counter);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        const char *extra[] = {"-c", sql, NULL};
        agt_result r;
        int rc = psql("postgres", extra, &r);
        if (take_status(rc, &r) == 0) {
            agt_result_free(&r);
            return ag_xstrdup(name);
        }
        /* A leftover of an earlier process with the same pid: next name. */
        int exists = strstr(r.err, "already exists") != NULL;
        if (!exists || attempt == 4) {
            ag_buf b;
            ag_buf_init(&b);
            ag_buf_printf(&b, "%s failed (%s): %s", sql, agt_status(&r), r.err);
            *why = ag_buf_detach(&b);
            ag_buf_free(&b);
            agt_result_free(&r);
            return NULL;
        }
        agt_result_free(&r);
    }
    return NULL;
}

void
agt_drop_db(const char *db)
{
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
    const char *extra[] = {"-c", sql, NULL};
    agt_result r;
    psql("postgres", extra, &r);
    agt_result_free(&r);
}

char *
agt_db_url(const char *db)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "postgresql:///%s?host=%s&user=postgres", db, agt_pghost());
    char *s = ag_buf_detach(&b);
    ag_buf_free(&b);
    return s;
}

int
agt_psql_file(const char *db, const char *file, agt_result *res)
{
    const char *extra[] = {"-f", file, NULL};
    return take_status(psql(db, extra, res), res);
}

int
agt_psql_text(const char *db, const char *sql, agt_result *res)
{
    char *path = agt_write_temp(sql);
    if (!path) {
        memset(res, 0, sizeof *res);
        res->code = -1;
        res->out = ag_xstrdup("");
        res->err = ag_xstrdup("cannot write a temp file for the SQL");
        return -1;
    }
    int rc = agt_psql_file(db, path, res);
    unlink(path);
    free(path);
    return rc;
}

int
agt_pg_dump(const char *db, agt_result *res)
{
    const char *argv[] = {"pg_dump", "-w", "--schema-only", "-h", agt_pghost(),
                          "-U", "postgres", "-d", db, NULL};
    return take_status(agt_run((char *const *)argv, res), res);
}

/* The dev database autogen uses for models with views (AUTOGEN_DEV_URL):
 * one empty database, autogen_dev, on the test cluster, shared by every
 * run (autogen only writes to it inside a rolled-back transaction and
 * runs take turns), so no case starts a cluster of its own.  Created once
 * per process; a concurrent creation by another process is fine. */
static void
dev_database(void)
{
    static int done;
    if (done || !agt_pghost() || getenv("AUTOGEN_DEV_URL"))
        return;
    done = 1;
    const char *extra[] = {"-c", "CREATE DATABASE autogen_dev", NULL};
    agt_result r;
    psql("postgres", extra, &r);
    agt_result_free(&r);
    char *url = agt_db_url("autogen_dev");
    setenv("AUTOGEN_DEV_URL", url, 0);
    free(url);
}

/* The dev-database cache (devcache.h) of every autogen run: a directory
 * in the cluster's own temp dir, so that tests never write to ~/.cache,
 * start with an empty cache and leave nothing behind (the cluster's
 * removal takes it).  Runs of one test session share it, as a developer's
 * runs do.  A test that must reach the dev database itself sets
 * AUTOGEN_CACHE_DIR=off (or its own directory) first: an existing value
 * is kept. */
static void
cache_dir(void)
{
    if (!agt_pghost() || getenv("AUTOGEN_CACHE_DIR"))
        return;
    size_t n = strlen(agt_pghost()) + 32;
    char *dir = ag_xmalloc(n);
    snprintf(dir, n, "%s/autogen-cache", agt_pghost());
    setenv("AUTOGEN_CACHE_DIR", dir, 0);
    free(dir);
}

int
agt_autogen(const char *const args[], agt_result *res)
{
    dev_database();
    cache_dir();
    const char *argv[32];
    int n = 0;
    argv[n++] = agt_autogen_bin();
    for (int i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return agt_run((char *const *)argv, res);
}
