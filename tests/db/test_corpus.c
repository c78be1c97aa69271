/*
 * test_corpus.c - zero drift on the real-world corpus: every schema under
 * ../shared/fixtures/real/ (or $AUTOGEN_CORPUS_DIR) is loaded into a fresh
 * database (setup.sql first when present, then schema.sql) and
 * `autogen check` runs with the same schema.sql as models.
 *
 * The schemas in clean_schemas (all ten of the corpus today) must be in
 * sync: exit 0.  A schema added to the corpus later must at least run to
 * completion - exit 0, 1 or 2, no signal, no sanitizer report - until it is
 * put on the list.  Each prints a one-line report (also appended to
 * $AUTOGEN_CORPUS_REPORT when set).  A schema with an autogen.ini at
 * tests/corpus/<name>.ini is checked with it (--config).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define MAX_SCHEMAS 64

struct schema_param {
    char name[64];
    char dir[512];
    int must_be_clean;
    int missing; /* the corpus is absent: a single placeholder that skips */
};

static const char *const clean_schemas[] = {
    "chinook",  "temporal", "synapse", "temporal-visibility", "supabase-base",
    "danbooru", "apflora",  "pagila",  "postgrest-spec",      "gitlab"};

static const char *
corpus_root(void)
{
    const char *env = getenv("AUTOGEN_CORPUS_DIR");
    return env && *env ? env : AG_SOURCE_DIR "/../shared/fixtures/real";
}

static int
visible_dir(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static size_t
collect(struct schema_param *out, size_t max)
{
    struct dirent **ents;
    int nents = scandir(corpus_root(), &ents, visible_dir, alphasort);
    size_t n = 0;
    for (int i = 0; i < nents; i++) {
        char dir[512], file[600];
        snprintf(dir, sizeof dir, "%s/%s", corpus_root(), ents[i]->d_name);
        snprintf(file, sizeof file, "%s/schema.sql", dir);
        if (access(file, R_OK) == 0 && strlen(ents[i]->d_name) < 64 &&
            n < max) {
            if (out) {
                memset(&out[n], 0, sizeof out[n]);
                memcpy(out[n].name, ents[i]->d_name,
                       strlen(ents[i]->d_name) + 1);
                memcpy(out[n].dir, dir, sizeof dir);
                for (size_t k = 0;
                     k < sizeof clean_schemas / sizeof clean_schemas[0]; k++)
                    if (!strcmp(ents[i]->d_name, clean_schemas[k]))
                        out[n].must_be_clean = 1;
            }
            n++;
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

ParameterizedTestParameters(corpus, zero_drift)
{
    size_t n = collect(NULL, MAX_SCHEMAS);
    struct schema_param *params = cr_malloc(sizeof *params * (n ? n : 1));
    if (n == 0) {
        memset(params, 0, sizeof *params);
        snprintf(params->name, sizeof params->name, "(corpus missing)");
        params->missing = 1;
        return cr_make_param_array(struct schema_param, params, 1, free_params);
    }
    collect(params, n);
    return cr_make_param_array(struct schema_param, params, n, free_params);
}

/* One line per schema: stderr now, and the report file for the summary. */
static void
report(const char *line)
{
    fprintf(stderr, "%s\n", line);
    const char *path = getenv("AUTOGEN_CORPUS_REPORT");
    if (!path || !*path)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        return;
    char buf[1024];
    int len = snprintf(buf, sizeof buf, "%s\n", line);
    if (len > 0) {
        /* one write with O_APPEND: lines from parallel workers stay whole */
        ssize_t w =
            write(fd, buf, (size_t)len < sizeof buf ? (size_t)len : sizeof buf);
        (void)w;
    }
    close(fd);
}

static void
load(const struct schema_param *p, const char *db, const char *file)
{
    char path[640];
    snprintf(path, sizeof path, "%s/%s", p->dir, file);
    agt_result r;
    if (agt_psql_file(db, path, &r) == 0) {
        agt_result_free(&r);
        return;
    }
    int ext =
        strstr(r.err, "extension") &&
        (strstr(r.err, "is not available") || strstr(r.err, "control file"));
    cr_assert_fail(
        "[%s] %s does not load (%s)%s:\n%s", p->name, file, agt_status(&r),
        ext ? ": it needs a PostgreSQL extension this server lacks "
              "(install postgresql-contrib, tests/support/install-deps.sh)"
            : "",
        r.err);
}

ParameterizedTest(struct schema_param *p, corpus, zero_drift, .timeout = 1800)
{
    if (p->missing) {
        fprintf(stderr, "corpus: ../shared/fixtures/real not found, corpus "
                        "tests skipped\n");
        cr_skip_test("corpus not found at %s (set AUTOGEN_CORPUS_DIR)",
                     corpus_root());
    }
    cr_assert_not_null(agt_pghost(),
                       "AUTOGEN_TEST_PGHOST is not set: run this binary under "
                       "with-postgres (ctest does)");

    char *why = NULL;
    char *db = agt_create_db(p->name, &why);
    cr_assert_not_null(db, "[%s] creating a database: %s", p->name,
                       why ? why : "?");
    char setup[640];
    snprintf(setup, sizeof setup, "%s/setup.sql", p->dir);
    if (access(setup, R_OK) == 0)
        load(p, db, "setup.sql");
    load(p, db, "schema.sql");

    char models[640];
    snprintf(models, sizeof models, "%s/schema.sql", p->dir);
    char *url = agt_db_url(db);
    /* tests/corpus/<name>.ini, when present, is the schema's autogen.ini:
     * [unmanaged] kinds and [exclude] objects, each with its reason. */
    char ini[640];
    snprintf(ini, sizeof ini, "%s/tests/corpus/%s.ini", AG_SOURCE_DIR, p->name);
    int has_ini = access(ini, R_OK) == 0;
    const char *args[] = {"check",    "--url", url,
                          "--models", models,  has_ini ? "--config" : NULL,
                          ini,        NULL};
    agt_result r;
    agt_autogen(args, &r);

    char *what = agt_first_lines(
        r.code == 1 || !agt_has_text(r.out) ? r.err : r.out, 3, 300);
    char line[512];
    snprintf(line, sizeof line, "corpus: %-20s autogen check %s%s%s", p->name,
             agt_status(&r), *what ? ": " : "", what);
    report(line);

    cr_assert(!agt_sanitizer_report(&r),
              "[%s] autogen check has a sanitizer report:\n%s", p->name, r.err);
    cr_assert_eq(r.signal, 0, "[%s] autogen check crashed (%s):\n%s", p->name,
                 agt_status(&r), r.err);
    if (p->must_be_clean)
        cr_assert_eq(
            r.code, 0,
            "[%s] must be in sync with itself, autogen check %s\nstdout:\n%s\n"
            "stderr:\n%s",
            p->name, agt_status(&r), r.out, r.err);
    else
        cr_assert(r.code >= 0 && r.code <= 2,
                  "[%s] autogen check must finish with 0, 1 or 2, got %s:\n%s",
                  p->name, agt_status(&r), r.err);

    free(what);
    agt_result_free(&r);
    free(url);
    agt_drop_db(db);
    free(db);
}
