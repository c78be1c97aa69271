/*
 * cmd_init.c - `autogen init [DIR]`: a project skeleton, autogen.ini with
 * every key documented, models/ and migrations/.  An existing autogen.ini
 * is never overwritten; existing folders are kept as they are.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char ini_template[] =
    "; autogen.ini - written by `autogen init`.  Paths are relative to the\n"
    "; folder autogen runs in; command-line options override every key.\n"
    "[autogen]\n"
    "\n"
    "; Model files: plain PostgreSQL DDL describing the schema you want\n"
    "; (every *.sql below the folder, in path order).\n"
    "models = models\n"
    "\n"
    "; Revision files written by `autogen -m \"...\"` and applied by\n"
    "; `autogen upgrade`.\n"
    "migrations = migrations\n"
    "\n"
    "; Where the database is.  ${VAR} and ${VAR:-default} are taken from\n"
    "; the environment, or from a .env file in this folder.  Without this\n"
    "; key autogen uses --url, then DATABASE_URL, then libpq's PG*\n"
    "; variables and ~/.pgpass.  Passwords are never printed.\n"
    "; database_url = ${APP_DATABASE_URL}\n"
    "\n"
    "; Views and CREATE TABLE AS in models are compared in the server's\n"
    "; own form: the models are run in a dev database inside a transaction\n"
    "; that is rolled back.  Preferably an empty database; without this key\n"
    "; (or --dev-url, AUTOGEN_DEV_URL) autogen starts a throwaway local\n"
    "; PostgreSQL for it.\n"
    "; dev_url = postgresql:///autogen_dev\n"
    "\n"
    "; The dev database's answers are cached on disk, keyed by the models,\n"
    "; the servers and autogen's build; default $XDG_CACHE_HOME/autogen or\n"
    "; ~/.cache/autogen (AUTOGEN_CACHE_DIR overrides).  off: no cache.\n"
    "; cache_dir = .autogen-cache\n"
    "\n"
    "; Schemas autogen manages (comma-separated); default: all user\n"
    "; schemas.\n"
    "; schemas = public\n"
    "\n"
    "; Schema of the version table autogen_version, which records every\n"
    "; applied revision.\n"
    "version_table_schema = public\n"
    "\n"
    "; Timeouts set for the SQL of each revision (PostgreSQL syntax), so a\n"
    "; migration waiting for a busy table fails instead of blocking the\n"
    "; application.  --lock-timeout and --statement-timeout override them.\n"
    "; lock_timeout = 5s\n"
    "; statement_timeout = 15min\n"
    "\n"
    "; How long upgrade, downgrade and stamp wait for another autogen\n"
    "; working on the same database (30s, 500ms, 2min).\n"
    "lock_wait = 60s\n"
    "\n"
    "; Schema files written as scripts may create a constraint and rename\n"
    "; it at once (ALTER TABLE t RENAME CONSTRAINT t_a_fkey TO a).  apply\n"
    "; reads that as declaring the new name; error (the default) refuses\n"
    "; every ALTER ... RENAME in models (renames between model versions\n"
    "; are -- autogen:renamed directives).\n"
    "; rename_in_models = apply\n"
    "\n"
    "; Hazard policy - reserved, not read by this version.  Revisions are\n"
    "; written with a comment on every hazardous statement and a\n"
    "; -- autogen:hazards header line; a coming version will refuse\n"
    "; (exit 3) hazards not listed here:\n"
    "; allow_hazards = deletes-data, table-rewrite, access-exclusive-lock, "
    "index-build, breaks-function\n"
    "\n"
    "; Object kinds autogen does not manage.  In models they are errors\n"
    "; (file:line) unless listed here; listed, they are skipped with a\n"
    "; warning and left out of the diff (the database side never reads\n"
    "; them).  Kinds: rule, foreign_table, server, foreign_data_wrapper,\n"
    "; user_mapping, table_as (CREATE TABLE AS / SELECT INTO).\n"
    "; [unmanaged]\n"
    "; kinds = rule, foreign_table, server\n"
    "\n"
    "; Objects left out of the diff on both sides (schema.name; every\n"
    "; overload of a function; a table with its indexes, constraints and\n"
    "; triggers), e.g. one the database holds but no DDL can recreate.\n"
    "; [exclude]\n"
    "; objects = app.legacy_view\n";

/* Create a folder unless it exists; say which happened. */
static int
ensure_dir(const cli_opts *o, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            cli_error("%s exists and is not a folder", path);
            return EXIT_ERROR;
        }
        if (o->verbosity >= 0)
            printf("Kept    %s/ (it exists)\n", path);
        return EXIT_OK;
    }
    if (mkdir(path, 0777) != 0) {
        cli_error("cannot create %s: %s", path, strerror(errno));
        return EXIT_ERROR;
    }
    if (o->verbosity >= 0)
        printf("Created %s/\n", path);
    return EXIT_OK;
}

int
cmd_init(cli_opts *o)
{
    const char *dir = o->nargs ? o->args[0] : ".";
    if (o->nargs && ensure_dir(o, dir) != EXIT_OK)
        return EXIT_ERROR;
    ag_buf ini, models, migs;
    ag_buf_init(&ini);
    ag_buf_init(&models);
    ag_buf_init(&migs);
    bool here = strcmp(dir, ".") == 0;
    ag_buf_printf(&ini, "%s%sautogen.ini", here ? "" : dir, here ? "" : "/");
    ag_buf_printf(&models, "%s%smodels", here ? "" : dir, here ? "" : "/");
    ag_buf_printf(&migs, "%s%smigrations", here ? "" : dir, here ? "" : "/");
    int rc = EXIT_OK;
    ag_error err = {0};
    if (access(ini.data, F_OK) == 0) {
        cli_error("%s already exists; not overwriting it", ini.data);
        rc = EXIT_ERROR;
    } else if (ag_write_file_atomic(ini.data, ini_template,
                                    sizeof ini_template - 1, &err) != 0) {
        cli_error("%s", err.msg);
        rc = EXIT_ERROR;
    } else {
        if (o->verbosity >= 0)
            printf("Created %s\n", ini.data);
        rc = ensure_dir(o, models.data);
        if (rc == EXIT_OK)
            rc = ensure_dir(o, migs.data);
        if (rc == EXIT_OK && o->verbosity >= 0)
            printf("Next: describe your schema in %s/*.sql, then run "
                   "autogen -m \"create tables\"\n",
                   models.data);
    }
    ag_buf_free(&ini);
    ag_buf_free(&models);
    ag_buf_free(&migs);
    return rc;
}
