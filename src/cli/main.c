/*
 * main.c - argv, the command table, configuration and exit codes.
 *
 * Global options may stand before or after the command.  The config file
 * (-c, else ./autogen.ini when present) supplies defaults that options
 * override.  A .env file in the working directory fills in environment
 * variables that are not already set.
 */
#include <ctype.h>
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autogen/db.h"
#include "cli.h"

void
cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("autogen: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

typedef struct command {
    const char *name;
    int (*run)(cli_opts *o);
    int maxargs;   /* arguments after the command; -1 = any number */
    bool needs_db; /* database_url must expand */
    const char *help;
} command;

static const command commands[] = {
    {"init", cmd_init, 1, false,
     "create autogen.ini, models/ and migrations/ [DIR]"},
    {"revision", cmd_revision, 0, true,
     "write a new revision from models vs. database: -m MSG [--empty] "
     "(also: autogen -m MSG)"},
    {"upgrade", cmd_upgrade, 1, true,
     "apply pending revisions [head|+N|REV] [--sql]"},
    {"downgrade", cmd_downgrade, 1, true,
     "revert applied revisions -N|REV|base [--sql]"},
    {"current", cmd_current, 0, true, "the revision(s) the database is at"},
    {"heads", cmd_heads, 0, false, "the latest revision(s) of the folder"},
    {"history", cmd_history, 0, false, "the revisions, newest first [-v]"},
    {"stamp", cmd_stamp, -1, true,
     "set the version without running SQL: REV|head|base [--sql]"},
    {"merge", cmd_merge, 0, false, "a revision joining the heads: -m MSG"},
    {"diff", cmd_diff, 0, true,
     "print the SQL that brings the database to the models "
     "[--format sql|summary|json] [--reverse] [--exit-code]"},
    {"check", cmd_check, 0, true,
     "exit 0 when the database matches the models, 2 on drift (listing it) "
     "[--format summary|json]"},
};

/* Commands of PRODUCT.md that this build does not have yet: say so
 * plainly instead of pretending. */
static const char *const later[] = {
    "inspect",
    "verify",
};

static void
usage(FILE *out)
{
    fprintf(out, "usage: autogen [options] COMMAND [command options]\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(out,
            "\nOptions:\n"
            "  -c, --config FILE   configuration (default ./autogen.ini when "
            "present)\n"
            "  --url URL           database URL (else database_url, "
            "DATABASE_URL, PG* variables)\n"
            "  --dev-url URL       dev database for views (else dev_url, "
            "AUTOGEN_DEV_URL, a throwaway local PostgreSQL); its answers\n"
            "                      are cached in AUTOGEN_CACHE_DIR (else "
            "cache_dir,\n"
            "                      ~/.cache/autogen; off: no cache)\n"
            "  --models PATH       model folder or file (default models)\n"
            "  --migrations DIR    revision folder (default migrations)\n"
            "  --schema NAME       manage only this schema (repeatable)\n"
            "  --lock-timeout T    lock_timeout for each revision (e.g. 5s)\n"
            "  --statement-timeout T  statement_timeout for each revision\n"
            "  --lock-wait T       wait this long for another runner "
            "(default 60s)\n"
            "  -q, -v              quieter, more verbose\n"
            "  --color auto|always|never\n"
            "  --help, --version\n"
            "\nExit codes: 0 success / in sync, 1 error, 2 differences found, "
            "3 refused because of a hazard.\n");
}

static const char *
need_value(int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    if (arg[0] == '-' && arg[1] == '-' && eq)
        return eq + 1;
    if (*i + 1 >= argc) {
        cli_error("option %s needs a value", arg);
        return NULL;
    }
    return argv[++*i];
}

static bool
opt_is(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

int
main(int argc, char **argv)
{
    cli_opts o;
    memset(&o, 0, sizeof o);
    o.color = 2;
    ag_config_init(&o.cfg);
    o.schemas = ag_xcalloc((size_t)argc + 1, sizeof *o.schemas);
    o.args = ag_xcalloc((size_t)argc + 1, sizeof *o.args);
    const char *cmd = NULL;
    int rc = EXIT_ERROR;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            rc = EXIT_OK;
            goto out;
        } else if (strcmp(a, "--version") == 0) {
            printf("autogen %s (PostgreSQL grammar %s, libpq %d)\n", AG_VERSION,
                   PG_VERSION, PQlibVersion());
            rc = EXIT_OK;
            goto out;
        } else if (strcmp(a, "-c") == 0 || opt_is(a, "--config")) {
            if (!(o.config_path = need_value(argc, argv, &i)))
                goto out;
        } else if (opt_is(a, "--url")) {
            if (!(o.url = need_value(argc, argv, &i)))
                goto out;
        } else if (opt_is(a, "--dev-url")) {
            if (!(o.dev_url = need_value(argc, argv, &i)))
                goto out;
        } else if (opt_is(a, "--models")) {
            if (!(o.models = need_value(argc, argv, &i)))
                goto out;
        } else if (opt_is(a, "--migrations")) {
            if (!(o.migrations = need_value(argc, argv, &i)))
                goto out;
        } else if (opt_is(a, "--schema")) {
            if (!(v = need_value(argc, argv, &i)))
                goto out;
            o.schemas[o.nschemas++] = v;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o.verbosity = -1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            o.verbosity = 1;
        } else if (opt_is(a, "--color")) {
            if (!(v = need_value(argc, argv, &i)))
                goto out;
            o.color = strcmp(v, "always") == 0  ? 1
                      : strcmp(v, "never") == 0 ? 0
                                                : 2;
        } else if (opt_is(a, "--format")) {
            if (!(o.format = need_value(argc, argv, &i)))
                goto out;
        } else if (strcmp(a, "--reverse") == 0) {
            o.reverse = true;
        } else if (strcmp(a, "--exit-code") == 0) {
            o.exit_code = true;
        } else if (strcmp(a, "-m") == 0 || opt_is(a, "--message")) {
            if (!(o.message = need_value(argc, argv, &i)))
                goto out;
        } else if (strcmp(a, "--sql") == 0) {
            o.sql = true;
        } else if (strcmp(a, "--empty") == 0) {
            o.empty = true;
        } else if (opt_is(a, "--lock-timeout")) {
            if (!(o.lock_timeout = need_value(argc, argv, &i)))
                goto out;
        } else if (opt_is(a, "--statement-timeout")) {
            if (!(o.statement_timeout = need_value(argc, argv, &i)))
                goto out;
        } else if (opt_is(a, "--lock-wait")) {
            if (!(o.lock_wait = need_value(argc, argv, &i)))
                goto out;
        } else if (a[0] == '-' && !(cmd && isdigit((unsigned char)a[1]))) {
            /* "-1" after a command is a target (downgrade -1). */
            cli_error("unknown option %s (see autogen --help)", a);
            goto out;
        } else if (!cmd) {
            cmd = a;
        } else {
            o.args[o.nargs++] = a;
        }
    }
    if (!cmd && o.message)
        cmd = "revision";
    if (!cmd) {
        usage(stderr);
        goto out;
    }

    ag_error err = {0};
    if (access(".env", R_OK) == 0 && ag_db_load_dotenv(".env", &err) != 0) {
        cli_error("%s", err.msg);
        goto out;
    }
    const char *cfg_path = o.config_path;
    if (!cfg_path && access("autogen.ini", R_OK) == 0)
        cfg_path = "autogen.ini";
    if (cfg_path && ag_config_read(&o.cfg, cfg_path, &err) != 0) {
        cli_error("%s", err.msg);
        goto out;
    }
    if (!o.models)
        o.models = o.cfg.models ? o.cfg.models : "models";
    if (!o.migrations)
        o.migrations = o.cfg.migrations ? o.cfg.migrations : "migrations";
    if (!o.nschemas)
        for (size_t i = 0; i < o.cfg.nschemas; i++)
            o.schemas[o.nschemas++] = o.cfg.schemas[i];
    if (!o.lock_timeout)
        o.lock_timeout = o.cfg.lock_timeout;
    if (!o.statement_timeout)
        o.statement_timeout = o.cfg.statement_timeout;
    if (!o.lock_wait)
        o.lock_wait = o.cfg.lock_wait;

    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const command *c = &commands[i];
        if (strcmp(cmd, c->name) != 0)
            continue;
        if (c->maxargs >= 0 && o.nargs > (size_t)c->maxargs) {
            cli_error("unexpected argument %s", o.args[c->maxargs]);
            goto out;
        }
        /* database_url's ${VAR} references are expanded only where the
         * URL is used, so `heads` or --url work without the variables. */
        if (c->needs_db && !o.url && o.cfg.database_url) {
            char *url = NULL;
            if (ag_db_expand_vars(o.cfg.database_url, &url, &err) != 0) {
                cli_error("%s: database_url: %s",
                          o.cfg.path ? o.cfg.path : "config", err.msg);
                goto out;
            }
            free(o.cfg.database_url);
            o.cfg.database_url = url;
        }
        if (c->needs_db && !o.dev_url && o.cfg.dev_url) {
            char *url = NULL;
            if (ag_db_expand_vars(o.cfg.dev_url, &url, &err) != 0) {
                cli_error("%s: dev_url: %s", o.cfg.path ? o.cfg.path : "config",
                          err.msg);
                goto out;
            }
            free(o.cfg.dev_url);
            o.cfg.dev_url = url;
        }
        rc = c->run(&o);
        goto out;
    }
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
        if (strcmp(cmd, later[i]) == 0) {
            cli_error("'%s' is not available in this version of autogen yet "
                      "(see autogen --help for the commands it has)",
                      cmd);
            goto out;
        }
    }
    cli_error("unknown command '%s' (see autogen --help)", cmd);
out:
    ag_config_free(&o.cfg);
    free(o.schemas);
    free(o.args);
    /* pg_query_exit frees libpg_query's memory context and crashes when
     * nothing created it (--help, --version, init): create it first, which
     * is a no-op when a command already did. */
    pg_query_init();
    pg_query_exit();
    return rc;
}
