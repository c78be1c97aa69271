/*
 * cmd_diff.c - `diff` and `check`: models and database into a plan, and
 * the plan out as SQL, a summary or JSON.
 */
#include <dirent.h>
#include <pg_query.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "autogen/db.h"
#include "autogen/devcache.h"
#include "autogen/devdb.h"
#include "autogen/diff.h"
#include "autogen/emit.h"
#include "autogen/introspect.h"
#include "autogen/literals.h"
#include "autogen/loader.h"
#include "autogen/runner.h"
#include "cli.h"

static void
print_diagnostics(const cli_opts *o, const ag_diag *diag)
{
    if (!diag->n || (o->verbosity < 0 && !diag->nerrors))
        return;
    ag_buf b;
    ag_buf_init(&b);
    ag_diag_render(diag, &b);
    fputs(b.data, stderr);
    ag_buf_free(&b);
}

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Total bytes of model SQL under path (for the MB/s figure of -v). */
static double
model_bytes(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return (double)st.st_size;
    double total = 0;
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *child = ag_xmalloc(len);
        snprintf(child, len, "%s/%s", path, e->d_name);
        size_t nl = strlen(e->d_name);
        struct stat cst;
        if (stat(child, &cst) == 0 &&
            (S_ISDIR(cst.st_mode) ||
             (nl > 4 && strcmp(e->d_name + nl - 4, ".sql") == 0)))
            total += model_bytes(child);
        free(child);
    }
    if (d)
        closedir(d);
    return total;
}

static int
load_models(const cli_opts *o, ag_catalog *cat)
{
    double t0 = now_seconds();
    ag_diag diag;
    ag_diag_init(&diag);
    ag_error err = {0};
    const char *paths[] = {o->models};
    ag_load_opts lo = {o->cfg.unmanaged, (const char *const *)o->cfg.exclude,
                       o->cfg.nexclude, o->cfg.rename_in_models};
    int rc = ag_load_paths_opts(cat, paths, 1, &lo, &diag, &err);
    print_diagnostics(o, &diag);
    ag_diag_free(&diag);
    if (rc) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    ag_catalog_restrict(cat, o->schemas, o->nschemas);
    ag_catalog_exclude(cat, (const char *const *)o->cfg.exclude,
                       o->cfg.nexclude);
    if (o->verbosity > 0) {
        double secs = now_seconds() - t0, mb = model_bytes(o->models) / 1e6;
        fprintf(stderr,
                "autogen: timing: models parsed in %.3f s (%.2f MB, %.1f "
                "MB/s, %zu objects)\n",
                secs, mb, secs > 0 ? mb / secs : 0.0, cat->nobjs);
    }
    return EXIT_OK;
}

int
cli_connect(const cli_opts *o, PGconn **conn)
{
    ag_error err = {0};
    char *url = NULL;
    if (ag_db_resolve_url(o->url, o->cfg.database_url, &url, &err) != 0) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    if (o->verbosity > 0) {
        ag_buf masked;
        ag_buf_init(&masked);
        ag_db_mask_url(url, &masked);
        fprintf(stderr, "autogen: database %s (from %s)\n",
                *masked.data ? masked.data : "(libpq defaults)",
                ag_db_url_source(o->url, o->cfg.database_url));
        ag_buf_free(&masked);
    }
    int rc = ag_db_connect(url, conn, &err);
    free(url);
    if (rc) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    return EXIT_OK;
}

/* Reads the database into cat (one read-only snapshot). */
static int
read_database(const cli_opts *o, PGconn *conn, ag_catalog *cat)
{
    ag_error err = {0};
    ag_introspect_opts io = {
        .schemas = o->schemas,
        .nschemas = o->nschemas,
        .version_schema = o->cfg.version_table_schema,
    };
    ag_introspect_stats st = {0};
    if (ag_introspect(conn, &io, cat, &st, &err) != 0) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    /* [exclude] objects: left out on the database side too, with a note. */
    if (o->cfg.nexclude) {
        size_t gone = ag_catalog_exclude(
            cat, (const char *const *)o->cfg.exclude, o->cfg.nexclude);
        if (o->verbosity >= 0)
            fprintf(stderr,
                    "autogen: note: %zu database object%s left out ([exclude] "
                    "objects in %s)\n",
                    gone, gone == 1 ? "" : "s", o->cfg.path);
    }
    if (o->verbosity > 0)
        fprintf(stderr,
                "autogen: timing: database read in %.3f s (%d queries, %zu "
                "objects)\n",
                st.seconds, st.queries, cat->nobjs);
    return EXIT_OK;
}

/* On the same session: the models' constant defaults get the server's
 * canonical text (see src/introspect/literals.c). */
static int
canon_literals(PGconn *conn, ag_catalog *models)
{
    ag_error err = {0};
    int queries = 0;
    if (ag_introspect_canon_literals(conn, models, &queries, &err) != 0) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    return EXIT_OK;
}

/* The dev database's answer for these models, from the cache when it
 * has one (devcache.h): 0 and *hit set, or 0 with *path NULL when the
 * cache is off or unusable (said under -v).  For a dev URL, d is opened
 * first (the server's version is part of the key); a throwaway cluster
 * is only located, not started. */
static int
cache_lookup(const cli_opts *o, const char *url, PGconn *like,
             ag_catalog *models, ag_devdb *d, char **path, char hex[65],
             bool *hit, ag_error *err)
{
    *path = NULL;
    *hit = false;
    char *dir = NULL;
    const char *dir_source = NULL;
    ag_devcache_dir(o->cfg.cache_dir, o->cfg.path, &dir, &dir_source);
    if (url && *url) {
        int rc = ag_devdb_open(d, url, err);
        if (rc) {
            free(dir);
            return rc;
        }
    }
    if (!dir) {
        if (o->verbosity > 0)
            fprintf(stderr, "autogen: dev database cache: off (%s)\n",
                    dir_source);
        return 0;
    }
    char *version = NULL;
    ag_error kerr = {0};
    if (ag_devcache_server_version(d->conn, &version, &kerr) == 0 &&
        ag_devcache_key(models, version, like, hex, &kerr) == 0) {
        *path = ag_devcache_path(dir, hex);
    } else if (o->verbosity > 0) {
        fprintf(stderr, "autogen: dev database cache: not used: %s\n",
                kerr.msg);
    }
    free(version);
    free(dir);
    if (!*path)
        return 0;
    ag_catalog cached;
    ag_catalog_init(&cached, "dev database cache");
    ag_error lerr = {0};
    if (ag_devcache_load(*path, hex, &cached, &lerr) == 0 &&
        ag_devcache_covers(models, &cached, &lerr)) {
        *hit = true;
        if (o->verbosity > 0)
            fprintf(stderr, "autogen: dev database cache: hit %s\n", *path);
    } else if (o->verbosity > 0) {
        fprintf(stderr, "autogen: dev database cache: miss (%s)\n", lerr.msg);
    }
    int rc = *hit ? ag_devdb_adopt(models, &cached, err) : 0;
    ag_catalog_destroy(&cached);
    return rc;
}

/* Only when the models hold views (see devdb.h): their canonical form
 * from a dev database: --dev-url, dev_url, AUTOGEN_DEV_URL, else a
 * throwaway local cluster.  Nothing is committed there.  The answer is
 * cached (devcache.h): a hit runs nothing in the dev database and starts
 * no cluster (a dev URL is still connected to: its server's version is
 * part of the key). */
static int
canon_views(const cli_opts *o, PGconn *like, ag_catalog *models)
{
    if (!ag_devdb_needed(models))
        return EXIT_OK;
    double t0 = now_seconds();
    const char *url = o->dev_url ? o->dev_url : o->cfg.dev_url;
    const char *source = o->dev_url ? "--dev-url" : "config dev_url";
    if (!url || !*url) {
        url = getenv("AUTOGEN_DEV_URL");
        source = "AUTOGEN_DEV_URL";
    }
    if (!url || !*url)
        source = "a throwaway local cluster";
    ag_devdb d;
    memset(&d, 0, sizeof d);
    ag_error err = {0};
    char *path = NULL, hex[65];
    bool hit = false;
    int rc = cache_lookup(o, url, like, models, &d, &path, hex, &hit, &err);
    if (rc == 0 && !hit) {
        if (!d.conn)
            rc = ag_devdb_open(&d, url, &err);
        ag_catalog dev;
        ag_catalog_init(&dev, "dev database");
        if (rc == 0)
            rc = ag_devdb_read(d.conn, like, models, &dev, &err);
        ag_error serr = {0};
        if (rc == 0 && path && ag_devcache_store(path, hex, &dev, &serr) != 0 &&
            o->verbosity > 0)
            fprintf(stderr, "autogen: dev database cache: not stored: %s\n",
                    serr.msg);
        if (rc == 0)
            rc = ag_devdb_adopt(models, &dev, &err);
        ag_catalog_destroy(&dev);
    }
    ag_devdb_close(&d);
    free(path);
    if (rc) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    if (o->verbosity > 0)
        fprintf(stderr,
                "autogen: timing: dev database (%s) in %.3f s (cache %s)\n",
                source, now_seconds() - t0,
                hit    ? "hit"
                : path ? "miss"
                       : "off");
    return EXIT_OK;
}

/* The models are parsed in a second thread while the main thread reads
 * the database: the two are independent (separate catalogs and arenas;
 * libpg_query keeps its memory contexts per thread), so the wall time is
 * the longer of the two instead of their sum. */
typedef struct load_job {
    const cli_opts *o;
    ag_catalog *cat;
    int rc;
} load_job;

static void *
load_thread(void *arg)
{
    load_job *job = arg;
    /* libpg_query frees this thread's parser memory itself when the
     * thread ends (a thread-specific destructor): no pg_query_exit. */
    job->rc = load_models(job->o, job->cat);
    return NULL;
}

int
cli_pipeline_run(const cli_opts *o, PGconn *conn, bool want_down,
                 cli_pipeline *pl)
{
    memset(pl, 0, sizeof *pl);
    ag_catalog_init(&pl->models, "models");
    ag_catalog_init(&pl->db, "database");
    load_job job = {o, &pl->models, EXIT_ERROR};
    pthread_t loader;
    bool threaded = pthread_create(&loader, NULL, load_thread, &job) == 0;
    if (!threaded)
        job.rc = load_models(o, &pl->models);

    PGconn *own = NULL;
    int rc = EXIT_OK;
    if (!conn) {
        rc = cli_connect(o, &own);
        conn = own;
    }
    if (rc == EXIT_OK)
        rc = read_database(o, conn, &pl->db);
    if (threaded)
        pthread_join(loader, NULL);
    if (rc == EXIT_OK)
        rc = job.rc;
    if (rc == EXIT_OK)
        rc = canon_literals(conn, &pl->models);
    if (rc == EXIT_OK)
        rc = canon_views(o, conn, &pl->models);
    if (own)
        PQfinish(own);
    if (rc != EXIT_OK)
        return rc;
    ag_error err = {0};
    double t0 = now_seconds();
    if (ag_diff(&pl->db, &pl->models, &pl->up, &err) != 0) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    pl->have_up = true;
    if (want_down) {
        if (ag_diff(&pl->models, &pl->db, &pl->down, &err) != 0) {
            cli_error("%s", err.msg);
            return EXIT_ERROR;
        }
        pl->have_down = true;
    }
    if (o->verbosity > 0)
        fprintf(stderr, "autogen: timing: diff in %.3f s (%zu operations)\n",
                now_seconds() - t0, ag_plan_count(&pl->up));
    return EXIT_OK;
}

void
cli_pipeline_free(cli_pipeline *pl)
{
    if (pl->have_up)
        ag_plan_free(&pl->up);
    if (pl->have_down)
        ag_plan_free(&pl->down);
    ag_catalog_destroy(&pl->models);
    ag_catalog_destroy(&pl->db);
}

static bool
format_ok(const char *format, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(format, *allowed) == 0)
            return true;
    cli_error("unknown --format %s", format);
    return false;
}

int
cmd_diff(cli_opts *o)
{
    const char *format = o->format ? o->format : "sql";
    static const char *const formats[] = {"sql", "summary", "json", NULL};
    if (!format_ok(format, formats))
        return EXIT_ERROR;
    cli_pipeline pl;
    int rc = cli_pipeline_run(o, NULL, o->reverse, &pl);
    if (rc == EXIT_OK) {
        /* The downgrade: SQL taking a database in the models' state back
         * to the database's current state. */
        const ag_plan *plan = o->reverse ? &pl.down : &pl.up;
        ag_buf out;
        ag_buf_init(&out);
        if (strcmp(format, "json") == 0)
            ag_emit_json(plan, &out);
        else if (strcmp(format, "summary") == 0)
            ag_emit_summary(plan, &out);
        else
            ag_emit_sql(plan, &out);
        fputs(out.data, stdout);
        ag_buf_free(&out);
        if (o->exit_code && ag_plan_count(plan) > 0)
            rc = EXIT_DIFFERENCES;
    }
    cli_pipeline_free(&pl);
    return rc;
}

/*
 * The migration chain's part of `check`: when the migrations folder holds
 * revisions, the database must have applied all of them, unchanged, and
 * the chain must have one head.  Appends one line per problem to out and
 * returns how many there were, or -1 on an error (already printed).
 */
static int
check_chain(const cli_opts *o, PGconn *conn, ag_buf *out)
{
    struct stat st;
    if (stat(o->migrations, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    ag_arena arena;
    ag_arena_init(&arena);
    ag_revgraph g;
    ag_vstate vs;
    int problems = -1;
    if (cli_load_revisions(o, &arena, &g) != EXIT_OK)
        goto out;
    problems = 0;
    if (g.n == 0)
        goto out;
    if (cli_read_versions(o, conn, &arena, &vs) != EXIT_OK) {
        problems = -1;
        goto out;
    }
    if (g.nheads > 1) {
        ag_buf_printf(out,
                      "! migration chain: %zu heads (join them with "
                      "autogen merge -m MESSAGE)\n",
                      g.nheads);
        problems++;
    }
    ag_error err = {0};
    if (ag_runner_check(&g, &vs, false, &err) != 0) {
        ag_buf_printf(out, "! migration chain: %s\n", err.msg);
        problems++;
    }
    for (size_t i = 0; i < g.n; i++) {
        if (ag_vstate_find(&vs, g.revs[i]->id))
            continue;
        ag_buf_printf(out, "! migration %s not applied (%s)\n", g.revs[i]->id,
                      g.revs[i]->path);
        problems++;
    }
out:
    ag_arena_destroy(&arena);
    return problems;
}

int
cmd_check(cli_opts *o)
{
    const char *format = o->format ? o->format : "summary";
    static const char *const formats[] = {"summary", "json", "sql", NULL};
    if (!format_ok(format, formats))
        return EXIT_ERROR;
    PGconn *conn = NULL;
    if (cli_connect(o, &conn) != EXIT_OK)
        return EXIT_ERROR;
    cli_pipeline pl;
    int rc = cli_pipeline_run(o, conn, false, &pl);
    ag_buf chain;
    ag_buf_init(&chain);
    int nchain = rc == EXIT_OK ? check_chain(o, conn, &chain) : 0;
    if (nchain < 0)
        rc = EXIT_ERROR;
    if (rc == EXIT_OK) {
        size_t n = ag_plan_count(&pl.up) + (size_t)nchain;
        ag_buf out;
        ag_buf_init(&out);
        if (strcmp(format, "json") == 0) {
            ag_emit_json(&pl.up, &out);
        } else if (n == 0) {
            if (o->verbosity >= 0)
                ag_buf_put(&out,
                           "No drift: the database matches the models.\n");
        } else {
            ag_buf_printf(&out,
                          "Drift: %zu difference%s between the database and "
                          "the models (changes the database needs):\n",
                          n, n == 1 ? "" : "s");
            if (strcmp(format, "sql") == 0)
                ag_emit_sql(&pl.up, &out);
            else
                ag_emit_summary(&pl.up, &out);
            ag_buf_put(&out, chain.data);
        }
        fputs(out.data, stdout);
        ag_buf_free(&out);
        rc = n ? EXIT_DIFFERENCES : EXIT_OK;
    }
    ag_buf_free(&chain);
    cli_pipeline_free(&pl);
    PQfinish(conn);
    return rc;
}
