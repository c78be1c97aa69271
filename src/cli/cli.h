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
    const char *models;      /* --models */
    const char *migrations;  /* --migrations */
    const char **schemas;    /* --schema, repeatable */
    size_t nschemas;
    int verbosity; /* -q: -1, default 0, -v: 1 */
    int color;     /* 0 never, 1 always, 2 auto */
    /* command options */
    const char *format;  /* --format */
    bool reverse;        /* --reverse */
    bool exit_code;      /* --exit-code */
    const char *message; /* -m */
    ag_config cfg;       /* the config file, when one was read */
} cli_opts;

int cmd_diff(cli_opts *o);
int cmd_check(cli_opts *o);

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

/* Print an error (with the program name) to stderr. */
void cli_error(const char *fmt, ...) AG_PRINTF(1, 2);

#endif
