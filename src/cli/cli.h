/*
 * cli.h - what the command-line front end shares between its files.
 * Only src/cli/ parses argv, prints, and decides exit codes.
 */
#ifndef AUTOGEN_CLI_H
#define AUTOGEN_CLI_H

#include <libpq-fe.h>

#include "autogen/base.h"
#include "autogen/config.h"
#include "autogen/plan.h"
#include "autogen/revgraph.h"
#include "autogen/runner.h"

/* Exit codes, for every command (PRODUCT.md). */
enum {
    EXIT_OK = 0,
    EXIT_ERROR = 1,
    EXIT_DIFFERENCES = 2,
    EXIT_HAZARD = 3,
};

typedef struct cli_opts {
    const char *config_path; /* -c; NULL = ./autogen.ini when present */
    const char *url;         /* --url */
    const char *dev_url;     /* --dev-url */
    const char *models;      /* --models */
    const char *migrations;  /* --migrations */
    const char **schemas;    /* --schema, repeatable */
    size_t nschemas;
    int verbosity; /* -q: -1, default 0, -v: 1 */
    int color;     /* 0 never, 1 always, 2 auto */
    /* command options */
    const char *format;       /* --format */
    bool reverse;             /* --reverse */
    bool exit_code;           /* --exit-code */
    const char *message;      /* -m */
    bool sql;                 /* --sql: print what would run, touch nothing */
    bool empty;               /* --empty: a blank revision */
    const char *lock_timeout; /* --lock-timeout, else the config's */
    const char *statement_timeout; /* --statement-timeout, likewise */
    const char *lock_wait;         /* --lock-wait, likewise */
    const char **args;             /* arguments after the command (targets) */
    size_t nargs;
    ag_config cfg; /* the config file, when one was read */
} cli_opts;

int cmd_diff(cli_opts *o);
int cmd_check(cli_opts *o);

/* Revisions and the runner (cmd_init.c, cmd_revision.c, cmd_run.c,
 * cmd_status.c). */
int cmd_init(cli_opts *o);
int cmd_revision(cli_opts *o);
int cmd_merge(cli_opts *o);
int cmd_upgrade(cli_opts *o);
int cmd_downgrade(cli_opts *o);
int cmd_stamp(cli_opts *o);
int cmd_current(cli_opts *o);
int cmd_heads(cli_opts *o);
int cmd_history(cli_opts *o);

/* Models and database, diffed both ways from the same two catalogs. */
typedef struct cli_pipeline {
    ag_catalog models, db;
    ag_plan up;   /* database -> models */
    ag_plan down; /* models -> database (want_down only) */
    bool have_up, have_down;
} cli_pipeline;

/* Connect by the URL rules (--url, database_url, DATABASE_URL, PG*);
 * prints the error and returns EXIT_ERROR on failure. */
int cli_connect(const cli_opts *o, PGconn **conn);
/* Load the models, read the database (on conn, or a connection of its
 * own when conn is NULL) and diff.  Prints diagnostics and errors;
 * returns EXIT_OK or EXIT_ERROR.  Always call cli_pipeline_free. */
int cli_pipeline_run(const cli_opts *o, PGconn *conn, bool want_down,
                     cli_pipeline *pl);
void cli_pipeline_free(cli_pipeline *pl);

/* The migrations folder read and its revision graph built, in arena (the
 * caller's, initialised).  Prints the error and returns EXIT_ERROR when a
 * file or the graph is wrong. */
int cli_load_revisions(const cli_opts *o, ag_arena *arena, ag_revgraph *g);
/* Runner options from the command line and the config (lock_wait parsed
 * by grammar/duration.pcre); prints the error, returns EXIT_ERROR, for a
 * malformed duration. */
int cli_runner_opts(const cli_opts *o, ag_runner_opts *ro);
/* Read the version table on conn into vs; prints the error. */
int cli_read_versions(const cli_opts *o, PGconn *conn, ag_arena *arena,
                      ag_vstate *vs);

/* Print an error (with the program name) to stderr. */
void cli_error(const char *fmt, ...) AG_PRINTF(1, 2);

#endif
