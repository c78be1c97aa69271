/*
 * test_corpus_edits.c - scripted round trips on the real-world corpus
 * (issue 5).  For every schema under ../shared/fixtures/real/ (or
 * $AUTOGEN_CORPUS_DIR) and every edit in tests/corpus/edits/<schema>.edits:
 * a database built from the corpus file is upgraded with autogen's SQL to
 * the edited model, `autogen check` against the edited model must be clean
 * and pg_dump must match a fresh load of it; the downgrade is applied and
 * `check` against the original must be clean, pg_dump matching the original.
 *
 * One loaded copy per schema (agt_edits_tpl_<schema>, made under a file
 * lock in the cluster's directory by whichever worker needs it first) is the
 * TEMPLATE of every edit's database, so gitlab is loaded once.  Not-applicable
 * and known-failure edits are skipped with their reason printed, never counted
 * as passes.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autogen/base.h"
#include "corpus_edits.h"
#include "harness.h"

#define MAX_PARAMS 256

enum { RUN, NOT_APPLICABLE, KNOWN_FAILURE, NO_CORPUS, BAD_EDITS };

struct edit_param {
    char schema[64];
    char dir[512];
    char edit[64];
    char kind[32];
    char note[400];
    int status;
};

static int
visible_dir(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static size_t
add_param(struct edit_param *out, size_t n, const char *schema, const char *dir,
          const char *edit, const char *kind, int status, const char *note)
{
    /* AUTOGEN_EDIT=<substring of "schema/edit">: run only those pairs */
    const char *only = getenv("AUTOGEN_EDIT");
    char key[160];
    snprintf(key, sizeof key, "%s/%s", schema, edit);
    if (n >= MAX_PARAMS || (only && *only && !strstr(key, only)))
        return n;
    if (out) {
        struct edit_param *p = &out[n];
        memset(p, 0, sizeof *p);
        snprintf(p->schema, sizeof p->schema, "%s", schema);
        snprintf(p->dir, sizeof p->dir, "%s", dir);
        snprintf(p->edit, sizeof p->edit, "%s", edit);
        snprintf(p->kind, sizeof p->kind, "%s", kind);
        snprintf(p->note, sizeof p->note, "%s", note ? note : "");
        p->status = status;
    }
    return n + 1;
}

/* Every (schema, edit) pair; out NULL just counts. */
static size_t
collect(struct edit_param *out)
{
    struct dirent **ents;
    int nents = scandir(agt_corpus_root(), &ents, visible_dir, alphasort);
    size_t n = 0;
    for (int i = 0; i < nents; i++) {
        const char *name = ents[i]->d_name;
        char dir[512], file[600], path[600];
        snprintf(dir, sizeof dir, "%s/%s", agt_corpus_root(), name);
        snprintf(file, sizeof file, "%s/schema.sql", dir);
        if (access(file, R_OK) == 0 && strlen(name) < 64) {
            agt_edit_set set;
            char *why = NULL;
            agt_edits_path(name, path, sizeof path);
            if (agt_edits_parse(path, &set, &why) != 0) {
                n = add_param(out, n, name, dir, "(edits file)", "", BAD_EDITS,
                              why);
            } else {
                for (size_t k = 0; k < set.n; k++) {
                    const agt_edit *e = &set.edits[k];
                    int st = e->not_applicable  ? NOT_APPLICABLE
                             : e->known_failure ? KNOWN_FAILURE
                                                : RUN;
                    n = add_param(out, n, name, dir, e->name,
                                  agt_edit_kind_names[e->kind], st,
                                  e->not_applicable ? e->not_applicable
                                                    : e->known_failure);
                }
                agt_edits_free(&set);
            }
            free(why);
        }
        free(ents[i]);
    }
    if (nents >= 0)
        free(ents);
    return n;
}

static void
free_params(struct criterion_test_params *crp)
{
    cr_free(crp->params);
}

ParameterizedTestParameters(corpus_edits, round_trip)
{
    size_t n = collect(NULL);
    struct edit_param *params = cr_malloc(sizeof *params * (n ? n : 1));
    if (n == 0) {
        add_param(params, 0, "(corpus missing)", "", "", "", NO_CORPUS, NULL);
        return cr_make_param_array(struct edit_param, params, 1, free_params);
    }
    collect(params);
    return cr_make_param_array(struct edit_param, params, n, free_params);
}

/* One line per pair: stderr now, and $AUTOGEN_CORPUS_REPORT (shown by
 * run-tests.sh after the run) with one O_APPEND write, so lines from
 * parallel workers stay whole. */
static void
outcome(const struct edit_param *p, const char *what, const char *detail)
{
    char line[1024];
    int len =
        snprintf(line, sizeof line, "corpus-edits: %-20s %-30s %-14s %s%s%s\n",
                 p->schema, p->edit, p->kind, what, detail ? ": " : "",
                 detail ? detail : "");
    if (len < 0)
        return;
    if ((size_t)len >= sizeof line)
        len = (int)sizeof line - 1;
    fputs(line, stderr);
    const char *path = getenv("AUTOGEN_CORPUS_REPORT");
    int fd =
        path && *path ? open(path, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;
    if (fd >= 0) {
        ssize_t w = write(fd, line, (size_t)len);
        (void)w;
        close(fd);
    }
}

/* Each test runs in its own worker process: what it was doing when an
 * assertion ended it is reported by the .fini hook. */
static const struct edit_param *current;
/* The edited models of the running test (a file in its own temp dir). */
static char *models_file;
static void remove_models(char *file);
static const char *phase;

static void
report_failure(void)
{
    if (current && phase)
        outcome(current, "FAILED", phase);
    /* A failed assertion leaves the test at once: remove the edited
     * models here, or every failing run leaves a temp dir behind. */
    if (models_file)
        remove_models(models_file);
}

/* psql -1 (one transaction) with SQL text; 0 when it applied. */
static int
psql_one_tx(const char *db, const char *sql, agt_result *r)
{
    char *path = agt_write_temp(sql);
    cr_assert_not_null(path, "cannot write a temp file");
    const char *argv[] = {
        "psql", "-X",         "-q", "-w",       "-1", "-v", "ON_ERROR_STOP=1",
        "-h",   agt_pghost(), "-U", "postgres", "-d", db,   "-f",
        path,   NULL};
    int rc = agt_run((char *const *)argv, r);
    unlink(path);
    free(path);
    return rc == 0 && r->code == 0 ? 0 : -1;
}

/* One statement on the maintenance database; 0 on success. */
static int
admin_sql(const char *sql, agt_result *r)
{
    const char *argv[] = {"psql",
                          "-X",
                          "-q",
                          "-w",
                          "-At",
                          "-v",
                          "ON_ERROR_STOP=1",
                          "-h",
                          agt_pghost(),
                          "-U",
                          "postgres",
                          "-d",
                          "postgres",
                          "-c",
                          sql,
                          NULL};
    int rc = agt_run((char *const *)argv, r);
    return rc == 0 && r->code == 0 ? 0 : -1;
}

static const char *
schema_ini(const struct edit_param *p, char *buf, size_t n)
{
    snprintf(buf, n, "%s/tests/corpus/%s.ini", AG_SOURCE_DIR, p->schema);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

/* autogen <cmd> --url url --models models [--config ini] [extra]. */
static void
run_autogen(const struct edit_param *p, const char *cmd, const char *extra,
            const char *url, const char *models, agt_result *r)
{
    char ini[640];
    const char *cfg = schema_ini(p, ini, sizeof ini);
    const char *args[10];
    int n = 0;
    args[n++] = cmd;
    if (extra)
        args[n++] = extra;
    args[n++] = "--url";
    args[n++] = url;
    args[n++] = "--models";
    args[n++] = models;
    if (cfg) {
        args[n++] = "--config";
        args[n++] = cfg;
    }
    args[n] = NULL;
    agt_autogen(args, r);
    cr_assert(!agt_sanitizer_report(r),
              "[%s/%s] autogen %s: sanitizer report:\n%s", p->schema, p->edit,
              cmd, r->err);
    cr_assert_eq(r->signal, 0, "[%s/%s] autogen %s crashed (%s):\n%s",
                 p->schema, p->edit, cmd, agt_status(r), r->err);
}

/* Normalised pg_dump --schema-only of db (the oracle of the fixture cases:
 * independent of autogen's introspection). */
static char *
normalized_dump(const struct edit_param *p, const char *db)
{
    agt_result r;
    cr_assert_eq(agt_pg_dump(db, &r), 0, "[%s/%s] pg_dump %s failed (%s):\n%s",
                 p->schema, p->edit, db, agt_status(&r), r.err);
    char *n = agt_normalize_dump(r.out);
    agt_result_free(&r);
    return n;
}

/* Load setup.sql (when the schema has one) and then models into db. */
static void
load_schema(const struct edit_param *p, const char *db, const char *models,
            const char *what)
{
    char setup[640];
    snprintf(setup, sizeof setup, "%s/setup.sql", p->dir);
    agt_result r;
    if (access(setup, R_OK) == 0) {
        cr_assert_eq(agt_psql_file(db, setup, &r), 0,
                     "[%s/%s] setup.sql does not load (%s):\n%s", p->schema,
                     p->edit, agt_status(&r), r.err);
        agt_result_free(&r);
    }
    cr_assert_eq(agt_psql_file(db, models, &r), 0,
                 "[%s/%s] %s does not load (%s):\n%s", p->schema, p->edit, what,
                 agt_status(&r), r.err);
    agt_result_free(&r);
}

/* The lines of autogen's stderr that say "error" with the line after each
 * (the statement), else its first lines: warnings come first and would
 * hide the reason. */
static char *
error_lines(const char *err)
{
    ag_buf b;
    ag_buf_init(&b);
    int take = 0;
    for (const char *l = err; *l && b.len < 600;) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        for (size_t i = 0; i + 5 <= n; i++)
            if (!strncmp(l + i, "error", 5))
                take = 2;
        if (take > 0) {
            ag_buf_printf(&b, "%s%.*s", b.len ? " | " : "", (int)n, l);
            take--;
        }
        l += n + (nl ? 1 : 0);
    }
    char *s = b.len ? ag_buf_detach(&b) : agt_first_lines(err, 4, 300);
    ag_buf_free(&b);
    return s;
}

/* The schema's template database, loaded and checked once (under a file
 * lock shared by the workers).  Its comment records the outcome: "clean",
 * or why the unedited schema is not in sync with itself. */
static char *
template_db(const struct edit_param *p, char **base_problem, char **dump)
{
    char name[64], lock[256], sql[512];
    size_t k = 0;
    memcpy(name, "agt_edits_tpl_", 15);
    k = strlen(name);
    for (const char *c = p->schema; *c && k < sizeof name - 1; c++)
        name[k++] =
            (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ? *c : '_';
    name[k] = '\0';
    /* next to the cluster's socket: removed with the throwaway cluster */
    snprintf(lock, sizeof lock, "%s/corpus-edits-%s.lock", agt_pghost(), name);
    char dump_path[256];
    snprintf(dump_path, sizeof dump_path, "%s/corpus-edits-%s.dump",
             agt_pghost(), name);
    int fd = open(lock, O_RDWR | O_CREAT, 0644);
    cr_assert(fd >= 0 && flock(fd, LOCK_EX) == 0, "[%s] cannot lock %s",
              p->schema, lock);

    agt_result r;
    snprintf(sql, sizeof sql,
             "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM "
             "pg_database WHERE datname = '%s'",
             name);
    cr_assert_eq(admin_sql(sql, &r), 0, "[%s] %s:\n%s", p->schema, sql, r.err);
    char *state = ag_xstrdup(r.out);
    agt_result_free(&r);
    if (!agt_has_text(state)) {
        /* absent, or a load that did not finish: (re)build it */
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
                 name);
        admin_sql(sql, &r);
        agt_result_free(&r);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        cr_assert_eq(admin_sql(sql, &r), 0, "[%s] %s:\n%s", p->schema, sql,
                     r.err);
        agt_result_free(&r);
        char models[640];
        snprintf(models, sizeof models, "%s/schema.sql", p->dir);
        load_schema(p, name, models, "schema.sql");
        /* its dump, for the downgrade's oracle: written before the comment
         * that marks the template complete */
        char *d = normalized_dump(p, name);
        FILE *f = fopen(dump_path, "w");
        cr_assert(f && fputs(d, f) >= 0 && fclose(f) == 0, "cannot write %s",
                  dump_path);
        free(d);
        char *url = agt_db_url(name);
        run_autogen(p, "check", NULL, url, models, &r);
        free(url);
        free(state);
        if (r.code == 0) {
            state = ag_xstrdup("clean");
        } else {
            char *what = agt_has_text(r.out) ? agt_first_lines(r.out, 4, 300)
                                             : error_lines(r.err);
            ag_buf b;
            ag_buf_init(&b);
            ag_buf_printf(&b, "autogen check of the unedited schema: %s: %s",
                          agt_status(&r), what);
            state = ag_buf_detach(&b);
            ag_buf_free(&b);
            free(what);
        }
        agt_result_free(&r);
        ag_buf b;
        ag_buf_init(&b);
        ag_buf_printf(&b, "COMMENT ON DATABASE %s IS '", name);
        for (const char *c = state; *c; c++)
            ag_buf_put(&b, *c == '\'' ? "''" : (char[2]){*c, 0});
        ag_buf_put(&b, "'");
        cr_assert_eq(admin_sql(b.data, &r), 0, "[%s] %s:\n%s", p->schema,
                     b.data, r.err);
        agt_result_free(&r);
        ag_buf_free(&b);
    }
    *dump = agt_read_file(dump_path);
    flock(fd, LOCK_UN);
    close(fd);
    cr_assert_not_null(*dump, "[%s] cannot read %s", p->schema, dump_path);
    size_t sl = strlen(state);
    while (sl > 0 && state[sl - 1] == '\n')
        state[--sl] = '\0';
    if (strcmp(state, "clean") != 0)
        *base_problem = state;
    else
        free(state);
    return ag_xstrdup(name);
}

/* The normalised dump of db must equal want. */
static void
same_dump(const struct edit_param *p, const char *want, const char *want_label,
          const char *db, const char *sql)
{
    char *got = normalized_dump(p, db);
    if (strcmp(want, got) != 0) {
        char *d =
            agt_unified_diff(want, want_label, got, "after applying the SQL");
        cr_assert_fail(
            "[%s/%s] %s: schema differs from %s (normalised pg_dump, "
            "- expected + got):\n%s--- SQL applied ---\n%s",
            p->schema, p->edit, phase, want_label, d, sql);
    }
    free(got);
}

static char *
edited_models(const struct edit_param *p)
{
    char path[600], *why = NULL;
    agt_edits_path(p->schema, path, sizeof path);
    agt_edit_set set;
    cr_assert_eq(agt_edits_parse(path, &set, &why), 0, "[%s] %s", p->schema,
                 why);
    const agt_edit *e = agt_edits_find(&set, p->edit);
    cr_assert_not_null(e, "[%s/%s] edit vanished from %s", p->schema, p->edit,
                       path);
    char file[640];
    snprintf(file, sizeof file, "%s/schema.sql", p->dir);
    char *sql = agt_read_file(file);
    cr_assert_not_null(sql, "[%s] cannot read %s", p->schema, file);
    char *edited = agt_edit_apply(e, sql, &why);
    cr_assert_not_null(edited, "[%s/%s] %s: %s", p->schema, p->edit, path, why);
    free(sql);
    agt_edits_free(&set);

    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/autogen-edit-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
    char *out = ag_xmalloc(strlen(dir) + 16);
    sprintf(out, "%s/schema.sql", dir);
    FILE *f = fopen(out, "w");
    cr_assert(f && fputs(edited, f) >= 0 && fclose(f) == 0, "cannot write %s",
              out);
    free(edited);
    return out;
}

static void
remove_models(char *file)
{
    if (file == models_file)
        models_file = NULL;
    unlink(file);
    char *slash = strrchr(file, '/');
    *slash = '\0';
    rmdir(file);
    free(file);
}

ParameterizedTest(struct edit_param *p, corpus_edits, round_trip,
                  .timeout = 1800, .fini = report_failure)
{
    current = p;
    if (p->status == NO_CORPUS) {
        fprintf(stderr,
                "corpus-edits: ../shared/fixtures/real not found, corpus "
                "tests skipped\n");
        cr_skip_test("corpus not found at %s (set AUTOGEN_CORPUS_DIR)",
                     agt_corpus_root());
    }
    phase = "the edits file";
    cr_assert_neq(p->status, BAD_EDITS, "[%s] tests/corpus/edits/%s.edits: %s",
                  p->schema, p->schema, p->note);
    if (p->status == NOT_APPLICABLE) {
        phase = NULL;
        outcome(p, "not applicable", p->note);
        cr_skip_test("[%s/%s] not applicable: %s", p->schema, p->edit, p->note);
    }
    /* The edit's text operations must still match, known failure or not. */
    phase = "applying the edit to schema.sql";
    char *models = models_file = edited_models(p);
    if (p->status == KNOWN_FAILURE) {
        phase = NULL;
        outcome(p, "KNOWN FAILURE", p->note);
        remove_models(models);
        cr_skip_test("[%s/%s] known failure: %s", p->schema, p->edit, p->note);
    }
    cr_assert_not_null(agt_pghost(),
                       "AUTOGEN_TEST_PGHOST is not set: run this binary under "
                       "with-postgres (ctest does)");
    /* A dev database of this test's own (each test is its own process):
     * runs sharing one take turns, which serialised the -j2 workers on
     * gitlab's models (a whole schema created per autogen run). */
    char *dev_why = NULL;
    char *dev = agt_create_db("dev", &dev_why);
    cr_assert_not_null(dev, "[%s/%s] creating a dev database: %s", p->schema,
                       p->edit, dev_why ? dev_why : "?");
    char *dev_url = agt_db_url(dev);
    setenv("AUTOGEN_DEV_URL", dev_url, 1);
    free(dev_url);
    free(dev); /* left for the cluster's removal: empty between runs */

    phase = "the base (unedited schema) is not clean";
    char *base_problem = NULL;
    char *tpl_dump = NULL;
    char *tpl = template_db(p, &base_problem, &tpl_dump);
    cr_assert_null(base_problem,
                   "[%s/%s] the base is not clean, so no edit on it can pass "
                   "(see the corpus test): %s",
                   p->schema, p->edit, base_problem);

    char *why = NULL;
    char *db = agt_create_db(p->schema, &why);
    cr_assert_not_null(db, "[%s/%s] creating a database: %s", p->schema,
                       p->edit, why);
    /* agt_create_db made an empty one; replace it by a copy of the template */
    agt_drop_db(db);
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", db, tpl);
    agt_result r;
    cr_assert_eq(admin_sql(sql, &r), 0, "[%s/%s] %s:\n%s", p->schema, p->edit,
                 sql, r.err);
    agt_result_free(&r);

    char original[640];
    snprintf(original, sizeof original, "%s/schema.sql", p->dir);
    char *url = agt_db_url(db);

    phase = "computing the upgrade and downgrade";
    agt_result up, down;
    run_autogen(p, "diff", NULL, url, models, &up);
    cr_assert_eq(up.code, 0, "[%s/%s] upgrade: autogen diff %s:\n%s", p->schema,
                 p->edit, agt_status(&up), up.err);
    run_autogen(p, "diff", "--reverse", url, models, &down);
    cr_assert_eq(down.code, 0,
                 "[%s/%s] downgrade: autogen diff --reverse %s:\n%s", p->schema,
                 p->edit, agt_status(&down), down.err);
    cr_assert(agt_has_text(up.out),
              "[%s/%s] upgrade: the edit produced no upgrade SQL:\n%s",
              p->schema, p->edit, up.err);

    phase = "applying the upgrade";
    cr_assert_eq(
        psql_one_tx(db, up.out, &r), 0,
        "[%s/%s] upgrade: applying it failed (%s):\n%s\n--- upgrade ---\n%s",
        p->schema, p->edit, agt_status(&r), r.err, up.out);
    agt_result_free(&r);

    phase = "upgrade does not converge";
    run_autogen(p, "check", NULL, url, models, &r);
    cr_assert_eq(
        r.code, 0,
        "[%s/%s] upgrade: does not converge, autogen check against the "
        "edited model %s:\n%s%s\n--- upgrade applied ---\n%s",
        p->schema, p->edit, agt_status(&r), r.out, r.err, up.out);
    agt_result_free(&r);

    /* pg_dump oracle: the same schema as a fresh load of the edited model */
    phase = "the edited model does not load";
    char *ref = agt_create_db(p->schema, &why);
    cr_assert_not_null(ref, "[%s/%s] creating a database: %s", p->schema,
                       p->edit, why);
    load_schema(p, ref, models, "the edited model");
    char *want = normalized_dump(p, ref);
    agt_drop_db(ref);
    free(ref);
    phase = "upgrade does not converge (pg_dump)";
    same_dump(p, want, "a fresh load of the edited model", db, up.out);
    free(want);

    phase = "applying the downgrade";
    cr_assert_eq(
        psql_one_tx(db, down.out, &r), 0,
        "[%s/%s] downgrade: applying it failed (%s):\n%s\n--- downgrade "
        "---\n%s",
        p->schema, p->edit, agt_status(&r), r.err, down.out);
    agt_result_free(&r);

    phase = "downgrade does not return";
    run_autogen(p, "check", NULL, url, original, &r);
    cr_assert_eq(
        r.code, 0,
        "[%s/%s] downgrade: does not return, autogen check against the "
        "original schema.sql %s:\n%s%s\n--- downgrade applied ---\n%s",
        p->schema, p->edit, agt_status(&r), r.out, r.err, down.out);
    agt_result_free(&r);
    phase = "downgrade does not return (pg_dump)";
    same_dump(p, tpl_dump, "the unedited corpus schema", db, down.out);

    phase = NULL;
    outcome(p, "round trip ok", NULL);
    free(tpl_dump);
    agt_result_free(&up);
    agt_result_free(&down);
    free(url);
    agt_drop_db(db);
    free(db);
    free(tpl);
    remove_models(models);
}
