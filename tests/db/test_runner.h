/*
 * test_runner.h - what the runner's server tests share: a project (a temp
 * folder made by `autogen init`, which the test process works in, and a
 * database of its own), autogen run against it, and small file and SQL
 * helpers.  Criterion runs each test in its own process, so the chdir into
 * the project folder does not leak between tests.
 */
#ifndef AUTOGEN_TEST_RUNNER_H
#define AUTOGEN_TEST_RUNNER_H

#include <libpq-fe.h>

#include "autogen/base.h"
#include "harness.h"

typedef struct proj {
    char dir[256];
    char *db;
    char *url;
} proj;

/* A fresh database and project folder (after `autogen init`); the process
 * moves into the folder. */
void proj_open(proj *p, const char *tag);
/* Another database on the same cluster: its URL and, when name is not
 * NULL, its name (caller frees both). */
char *proj_other_db(const char *tag, char **name);

/* autogen ARGS --url <url>: requires exit `want` and no sanitizer report;
 * returns the result (caller frees with agt_result_free). */
agt_result ag_run(const char *url, int want, const char *const args[]);
#define AG(p, want, ...) \
    ag_run((p)->url, (want), (const char *const[]){__VA_ARGS__, NULL})
/* The same, stdout only (caller frees). */
char *ag_out(const char *url, int want, const char *const args[]);
#define AGOUT(p, want, ...) \
    ag_out((p)->url, (want), (const char *const[]){__VA_ARGS__, NULL})

/* `autogen -m msg` (or with extra options first, e.g. "--empty"): the
 * path of the file it wrote, from its "Generating <path>" line. */
char *new_revision(proj *p, const char *msg, const char *extra);
/* The revision id in a revision file's name. */
char *rev_of(const char *path);
/* Number of *.sql files in migrations/. */
int count_revisions(void);

void write_text(const char *path, const char *text);
char *read_text(const char *path);
/* Replace the first `from` in the file by `to`; asserts it is there. */
void edit_file(const char *path, const char *from, const char *to);
/* 1-based line of the first `needle` in the file. */
int line_of(const char *path, const char *needle);

/* A connection to url (asserts). */
PGconn *db_connect(const char *url);
/* First column of every row, joined with ","; "ERROR: ..." on failure. */
char *db_query(const char *url, const char *sql);
/* Applied revisions, sorted, joined with ",". */
char *applied(proj *p);
/* 1 when relation public.<name> exists. */
int has_table(proj *p, const char *name);

/* A process started with autogen ARGS --url URL in the background. */
typedef struct bg {
    int pid;
    char out[300]; /* stdout + stderr end up here */
} bg;
void bg_start(bg *b, const char *url, const char *const args[]);
/* Wait for it: exit code, and its output in *text (caller frees). */
int bg_wait(bg *b, char **text);

#endif
