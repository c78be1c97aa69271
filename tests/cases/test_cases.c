/*
 * test_cases.c - the four-phase loop over every fixtures/cases/<area>/<name>/
 * (before.sql, after.sql), against the cluster with-postgres started:
 *
 *  1. S <- before.sql, A <- after.sql, B <- before.sql, each a fresh database;
 *  2. up = `autogen diff` (S -> after.sql), down = `autogen diff --reverse`,
 *     both computed now, as `autogen -m` writes them into one revision file;
 *     expect_upgrade.txt lines must (or, with "!", must not) occur in up;
 *     apply up to S; pg_dump of S must equal that of A (normalised);
 *  3. `autogen check` S against after.sql exits 0;
 *  4. apply down to S; pg_dump of S must equal that of B; `autogen check`
 *     against before.sql exits 0 and `autogen diff` prints nothing.
 *
 * AUTOGEN_CASES_DIR overrides fixtures/cases; AUTOGEN_CASE=<substring>
 * runs only the matching cases.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define MAX_CASES 1024

struct case_param {
    char name[128]; /* area/name */
    char dir[512];
};

static int
is_file(const char *dir, const char *file)
{
    char path[640];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return access(path, R_OK) == 0;
}

static const char *
cases_root(void)
{
    const char *env = getenv("AUTOGEN_CASES_DIR");
    return env && *env ? env : AG_SOURCE_DIR "/fixtures/cases";
}

static int
visible_dir(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Collect case directories in sorted order into out (may be NULL to count).
 * Returns how many there are. */
static size_t
collect_cases(struct case_param *out, size_t max)
{
    const char *root = cases_root();
    const char *filter = getenv("AUTOGEN_CASE");
    struct dirent **areas;
    int nareas = scandir(root, &areas, visible_dir, alphasort);
    size_t n = 0;
    for (int i = 0; i < nareas; i++) {
        char adir[512];
        snprintf(adir, sizeof adir, "%s/%s", root, areas[i]->d_name);
        struct dirent **names;
        int nnames = scandir(adir, &names, visible_dir, alphasort);
        for (int j = 0; j < nnames; j++) {
            char dir[512], name[128];
            int dl = snprintf(dir, sizeof dir, "%s/%s", adir, names[j]->d_name);
            int nl = snprintf(name, sizeof name, "%s/%s", areas[i]->d_name,
                              names[j]->d_name);
            int fits = dl > 0 && (size_t)dl < sizeof dir && nl > 0 &&
                       (size_t)nl < sizeof name;
            if (fits && is_file(dir, "before.sql") && is_file(dir, "after.sql") &&
                (!filter || strstr(name, filter)) && n < max) {
                if (out) {
                    memcpy(out[n].name, name, sizeof name);
                    memcpy(out[n].dir, dir, sizeof dir);
                }
                n++;
            }
            free(names[j]);
        }
        if (nnames >= 0)
            free(names);
        free(areas[i]);
    }
    if (nareas >= 0)
        free(areas);
    return n;
}

static void
free_params(struct criterion_test_params *crp)
{
    cr_free(crp->params);
}

ParameterizedTestParameters(cases, four_phases)
{
    size_t n = collect_cases(NULL, MAX_CASES);
    struct case_param *params = cr_malloc(sizeof *params * (n ? n : 1));
    collect_cases(params, n);
    return cr_make_param_array(struct case_param, params, n, free_params);
}

/* The harness must find something to run: an empty or misplaced fixtures
 * tree would otherwise pass with zero cases. */
Test(cases, fixtures_exist)
{
    if (getenv("AUTOGEN_CASE"))
        cr_skip_test("AUTOGEN_CASE filter set");
    cr_assert_gt(collect_cases(NULL, MAX_CASES), 0,
                 "no case directories with before.sql and after.sql under %s",
                 cases_root());
}

/* ---- steps that assert ---- */

static void
require_server(void)
{
    cr_assert_not_null(agt_pghost(),
                       "AUTOGEN_TEST_PGHOST is not set: run this binary under "
                       "with-postgres (ctest does), e.g. "
                       "`build/tests/with-postgres -- build/tests/autogen-cases`");
}

static char *
new_db(const struct case_param *p, const char *tag)
{
    char *why = NULL;
    char *db = agt_create_db(tag, &why);
    cr_assert_not_null(db, "[%s] creating a database: %s", p->name, why ? why : "?");
    return db;
}

static void
load(const struct case_param *p, const char *db, const char *file)
{
    char path[640];
    snprintf(path, sizeof path, "%s/%s", p->dir, file);
    agt_result r;
    int rc = agt_psql_file(db, path, &r);
    cr_assert_eq(rc, 0, "[%s] phase 1: %s does not load (%s):\n%s", p->name, file,
                 agt_status(&r), r.err);
    agt_result_free(&r);
}

/* Run autogen; require it to exit with `want` and stay sanitizer-clean.
 * Returns its stdout (caller frees). */
static char *
autogen(const struct case_param *p, const char *phase, int want,
        const char *const args[])
{
    agt_result r;
    agt_autogen(args, &r);
    char cmd[512] = "autogen";
    for (int i = 0; args[i]; i++) {
        strncat(cmd, " ", sizeof cmd - strlen(cmd) - 1);
        strncat(cmd, args[i], sizeof cmd - strlen(cmd) - 1);
    }
    cr_assert(!agt_sanitizer_report(&r), "[%s] %s: `%s` has a sanitizer report:\n%s",
              p->name, phase, cmd, r.err);
    cr_assert(r.signal == 0 && r.code == want,
              "[%s] %s: `%s`: %s, expected exit %d\nstdout:\n%s\nstderr:\n%s", p->name,
              phase, cmd, agt_status(&r), want, r.out, r.err);
    char *out = r.out;
    r.out = NULL;
    agt_result_free(&r);
    return out;
}

static void
apply(const struct case_param *p, const char *phase, const char *db, const char *sql)
{
    agt_result r;
    int rc = agt_psql_text(db, sql, &r);
    cr_assert_eq(rc, 0, "[%s] %s: applying the SQL failed (%s):\n%s\n--- SQL ---\n%s",
                 p->name, phase, agt_status(&r), r.err, sql);
    agt_result_free(&r);
}

static char *
dump(const struct case_param *p, const char *db)
{
    agt_result r;
    int rc = agt_pg_dump(db, &r);
    cr_assert_eq(rc, 0, "[%s] pg_dump %s failed (%s):\n%s", p->name, db,
                 agt_status(&r), r.err);
    char *n = agt_normalize_dump(r.out);
    agt_result_free(&r);
    return n;
}

/* Normalised pg_dump of `got` must equal that of `want_db`. */
static void
same_schema(const struct case_param *p, const char *phase, const char *got,
            const char *want_db, const char *want_label, const char *sql)
{
    char *a = dump(p, want_db), *b = dump(p, got);
    if (strcmp(a, b) != 0) {
        char *d = agt_unified_diff(a, want_label, b, "after applying the SQL");
        cr_assert_fail("[%s] %s: schema differs from %s (normalised pg_dump, - expected "
                "+ got):\n%s--- SQL applied ---\n%s",
                p->name, phase, want_label, d, sql);
    }
    free(a);
    free(b);
}

/* expect_upgrade.txt: each non-empty line must occur in up; "!text" must not. */
static void
check_expectations(const struct case_param *p, const char *up)
{
    char path[640];
    snprintf(path, sizeof path, "%s/expect_upgrade.txt", p->dir);
    char *text = agt_read_file(path);
    if (!text)
        return;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        size_t len = strlen(line);
        while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
                           line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (line[0] == '!')
            cr_expect(strstr(up, line + 1) == NULL,
                      "[%s] the upgrade must not contain \"%s\":\n%s", p->name,
                      line + 1, up);
        else
            cr_expect(strstr(up, line) != NULL,
                      "[%s] the upgrade must contain \"%s\":\n%s", p->name, line, up);
    }
    free(text);
}

ParameterizedTest(struct case_param *p, cases, four_phases, .timeout = 600)
{
    require_server();
    char before[640], after[640];
    snprintf(before, sizeof before, "%s/before.sql", p->dir);
    snprintf(after, sizeof after, "%s/after.sql", p->dir);

    /* 1. three fresh databases */
    char *S = new_db(p, "s"), *A = new_db(p, "a"), *B = new_db(p, "b");
    load(p, S, "before.sql");
    load(p, A, "after.sql");
    load(p, B, "before.sql");
    char *url = agt_db_url(S);

    /* 2. upgrade converges */
    const char *up_args[] = {"diff", "--url", url, "--models", after, NULL};
    const char *down_args[] = {"diff", "--reverse", "--url", url, "--models", after, NULL};
    char *up = autogen(p, "phase 2 (upgrade SQL)", 0, up_args);
    char *down = autogen(p, "phase 2 (downgrade SQL)", 0, down_args);
    check_expectations(p, up);
    apply(p, "phase 2 (upgrade)", S, up);
    same_schema(p, "phase 2 (upgrade)", S, A, "after.sql loaded fresh", up);

    /* 3. in sync with after.sql */
    const char *check_after[] = {"check", "--url", url, "--models", after, NULL};
    free(autogen(p, "phase 3 (check after upgrade)", 0, check_after));

    /* 4. downgrade returns to before.sql, and stays there */
    apply(p, "phase 4 (downgrade)", S, down);
    same_schema(p, "phase 4 (downgrade)", S, B, "before.sql loaded fresh", down);
    const char *check_before[] = {"check", "--url", url, "--models", before, NULL};
    free(autogen(p, "phase 4 (check after downgrade)", 0, check_before));
    const char *diff_before[] = {"diff", "--url", url, "--models", before, NULL};
    char *again = autogen(p, "phase 4 (diff after downgrade)", 0, diff_before);
    cr_assert(!agt_has_text(again),
              "[%s] phase 4: `autogen diff` against before.sql after the downgrade "
              "must print nothing, got:\n%s", p->name, again);

    free(again);
    free(up);
    free(down);
    free(url);
    agt_drop_db(S);
    agt_drop_db(A);
    agt_drop_db(B);
    free(S);
    free(A);
    free(B);
}
