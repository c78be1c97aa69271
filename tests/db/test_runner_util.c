/*
 * test_runner_util.c - helpers of the runner's server tests (see
 * test_runner.h).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "autogen/base.h"
#include "test_runner.h"

static char project_dir[256];

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* The project folder goes when the test process ends. */
static void
remove_project(void)
{
    if (project_dir[0] && chdir("/") == 0)
        nftw(project_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void
proj_open(proj *p, const char *tag)
{
    cr_assert_not_null(agt_pghost(), "run under with-postgres (ctest does)");
    char *why = NULL;
    p->db = agt_create_db(tag, &why);
    cr_assert_not_null(p->db, "creating a database: %s", why ? why : "?");
    p->url = agt_db_url(p->db);
    const char *tmp = getenv("TMPDIR");
    snprintf(p->dir, sizeof p->dir, "%s/agrun-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
             tag);
    cr_assert_not_null(mkdtemp(p->dir), "mkdtemp %s", p->dir);
    cr_assert_eq(chdir(p->dir), 0, "chdir %s", p->dir);
    if (!project_dir[0])
        atexit(remove_project);
    snprintf(project_dir, sizeof project_dir, "%s", p->dir);
    agt_result r = AG(p, 0, "init");
    cr_expect(strstr(r.out, "Created autogen.ini") != NULL, "%s", r.out);
    agt_result_free(&r);
}

char *
proj_other_db(const char *tag, char **name)
{
    char *why = NULL;
    char *db = agt_create_db(tag, &why);
    cr_assert_not_null(db, "creating a database: %s", why ? why : "?");
    char *url = agt_db_url(db);
    if (name)
        *name = db;
    else
        free(db);
    return url;
}

agt_result
ag_run(const char *url, int want, const char *const args[])
{
    const char *argv[32];
    int n = 0;
    char cmd[600] = "autogen";
    for (int i = 0; args[i] && n < 28; i++) {
        argv[n++] = args[i];
        strncat(cmd, " ", sizeof cmd - strlen(cmd) - 1);
        strncat(cmd, args[i], sizeof cmd - strlen(cmd) - 1);
    }
    if (url) {
        argv[n++] = "--url";
        argv[n++] = url;
    }
    argv[n] = NULL;
    agt_result r;
    agt_autogen(argv, &r);
    cr_assert(!agt_sanitizer_report(&r), "`%s` has a sanitizer report:\n%s", cmd,
              r.err);
    cr_assert(r.signal == 0 && r.code == want,
              "`%s`: %s, expected exit %d\nstdout:\n%s\nstderr:\n%s", cmd,
              agt_status(&r), want, r.out, r.err);
    return r;
}

char *
ag_out(const char *url, int want, const char *const args[])
{
    agt_result r = ag_run(url, want, args);
    char *out = r.out;
    r.out = NULL;
    agt_result_free(&r);
    return out;
}

char *
new_revision(proj *p, const char *msg, const char *extra)
{
    agt_result r = extra ? AG(p, 0, "revision", extra, "-m", msg)
                         : AG(p, 0, "-m", msg);
    const char *g = strstr(r.out, "Generating ");
    cr_assert_not_null(g, "no 'Generating' line:\n%s", r.out);
    g += strlen("Generating ");
    size_t n = strcspn(g, "\n");
    char *path = ag_xmalloc(n + 1);
    memcpy(path, g, n);
    path[n] = '\0';
    agt_result_free(&r);
    cr_assert_eq(access(path, R_OK), 0, "%s was not written", path);
    return path;
}

char *
rev_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dash = strchr(base, '-');
    cr_assert_not_null(dash, "%s", path);
    char *id = ag_xmalloc(13);
    memcpy(id, dash + 1, 12);
    id[12] = '\0';
    return id;
}

int
count_revisions(void)
{
    DIR *d = opendir("migrations");
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        n += l > 4 && strcmp(e->d_name + l - 4, ".sql") == 0;
    }
    closedir(d);
    return n;
}

void
write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

char *
read_text(const char *path)
{
    char *t = agt_read_file(path);
    cr_assert_not_null(t, "cannot read %s", path);
    return t;
}

void
edit_file(const char *path, const char *from, const char *to)
{
    char *t = read_text(path);
    char *at = strstr(t, from);
    cr_assert_not_null(at, "%s has no '%s':\n%s", path, from, t);
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_putn(&b, t, (size_t)(at - t));
    ag_buf_put(&b, to);
    ag_buf_put(&b, at + strlen(from));
    write_text(path, b.data);
    ag_buf_free(&b);
    free(t);
}

int
line_of(const char *path, const char *needle)
{
    char *t = read_text(path);
    char *at = strstr(t, needle);
    cr_assert_not_null(at, "%s has no '%s'", path, needle);
    int line = 1;
    for (char *c = t; c < at; c++)
        line += *c == '\n';
    free(t);
    return line;
}

PGconn *
db_connect(const char *url)
{
    PGconn *c = PQconnectdb(url);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    return c;
}

char *
db_query(const char *url, const char *sql)
{
    PGconn *c = db_connect(url);
    PGresult *res = PQexec(c, sql);
    ag_buf b;
    ag_buf_init(&b);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        ag_buf_printf(&b, "ERROR: %s", PQerrorMessage(c));
    } else {
        for (int i = 0; i < PQntuples(res); i++)
            ag_buf_printf(&b, "%s%s", i ? "," : "", PQgetvalue(res, i, 0));
    }
    PQclear(res);
    PQfinish(c);
    char *s = ag_buf_detach(&b);
    ag_buf_free(&b);
    return s;
}

char *
applied(proj *p)
{
    char *s = db_query(p->url, "SELECT revision FROM public.autogen_version ORDER BY 1");
    /* No version table yet: nothing applied. */
    if (strncmp(s, "ERROR:", 6) == 0 && strstr(s, "does not exist")) {
        free(s);
        return ag_xstrdup("");
    }
    return s;
}

int
has_table(proj *p, const char *name)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT to_regclass('public.%s') IS NOT NULL", name);
    char *s = db_query(p->url, sql);
    int yes = strcmp(s, "t") == 0;
    free(s);
    return yes;
}

void
bg_start(bg *b, const char *url, const char *const args[])
{
    const char *tmp = getenv("TMPDIR");
    snprintf(b->out, sizeof b->out, "%s/agrun-bg-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(b->out);
    cr_assert_geq(fd, 0);
    close(fd);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        const char *argv[32];
        int n = 0;
        for (int i = 0; args[i] && n < 28; i++)
            argv[n++] = args[i];
        argv[n++] = "--url";
        argv[n++] = url;
        argv[n] = NULL;
        agt_result r;
        agt_autogen(argv, &r);
        FILE *f = fopen(b->out, "w");
        if (f) {
            fprintf(f, "%s\n--- stderr ---\n%s", r.out, r.err);
            fclose(f);
        }
        _exit(r.code < 0 ? 99 : r.code);
    }
    b->pid = pid;
}

int
bg_wait(bg *b, char **text)
{
    int status = 0;
    cr_assert_eq(waitpid(b->pid, &status, 0), b->pid);
    *text = read_text(b->out);
    unlink(b->out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
