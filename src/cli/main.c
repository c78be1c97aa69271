/*
 * main.c - argv, the command table, configuration and exit codes.
 *
 * Global options may stand before or after the command.  The config file
 * (-c, else ./autogen.ini when present) supplies defaults that options
 * override.  A .env file in the working directory fills in environment
 * variables that are not already set.
 */
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
    const char *help;
} command;

static const command commands[] = {
    {"diff", cmd_diff,
     "print the SQL that brings the database to the models "
     "[--format sql|summary|json] [--reverse] [--exit-code]"},
    {"check", cmd_check,
     "exit 0 when the database matches the models, 2 on drift (listing it) "
     "[--format summary|json]"},
};

/* Commands of PRODUCT.md that this build does not have yet: say so
 * plainly instead of pretending. */
static const char *const later[] = {
    "init", "revision", "upgrade", "downgrade", "current", "heads",
    "history", "stamp", "merge", "inspect", "verify",
};

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: autogen [options] COMMAND [command options]\n\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
    fprintf(out,
            "\nOptions:\n"
            "  -c, --config FILE   configuration (default ./autogen.ini when "
            "present)\n"
            "  --url URL           database URL (else database_url, "
            "DATABASE_URL, PG* variables)\n"
            "  --models PATH       model folder or file (default models)\n"
            "  --migrations DIR    revision folder (default migrations)\n"
            "  --schema NAME       manage only this schema (repeatable)\n"
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
    const char *cmd = NULL;
    int rc = EXIT_ERROR;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            rc = EXIT_OK;
            goto out;
        } else if (strcmp(a, "--version") == 0) {
            printf("autogen %s (PostgreSQL grammar %s, libpq %d)\n",
                   AG_VERSION, PG_VERSION, PQlibVersion());
            rc = EXIT_OK;
            goto out;
        } else if (strcmp(a, "-c") == 0 || opt_is(a, "--config")) {
            if (!(o.config_path = need_value(argc, argv, &i)))
                goto out;
        } else if (opt_is(a, "--url")) {
            if (!(o.url = need_value(argc, argv, &i)))
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
            o.color = strcmp(v, "always") == 0 ? 1
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
        } else if (a[0] == '-') {
            cli_error("unknown option %s (see autogen --help)", a);
            goto out;
        } else if (!cmd) {
            cmd = a;
        } else {
            cli_error("unexpected argument %s", a);
            goto out;
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

    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(cmd, commands[i].name) == 0) {
            rc = commands[i].run(&o);
            goto out;
        }
    }
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
        if (strcmp(cmd, later[i]) == 0) {
            cli_error("'%s' is not available in this version of autogen yet; "
                      "this build has: diff, check",
                      cmd);
            goto out;
        }
    }
    cli_error("unknown command '%s' (see autogen --help)", cmd);
out:
    ag_config_free(&o.cfg);
    free(o.schemas);
    pg_query_exit();
    return rc;
}
