/*
 * cmd_run.c - `upgrade`, `downgrade` and `stamp`: the folder checked
 * against the version table, a script planned, and the script either run
 * under the migration lock or, with --sql, printed and nothing touched.
 *
 * Progress goes to stdout; with -v every statement is echoed to stderr as
 * it is sent, in the same form --sql prints.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct run_ui {
    const cli_opts *o;
} run_ui;

static void
echo_step(const ag_step *step, void *user)
{
    const run_ui *ui = user;
    if (ui->o->verbosity <= 0)
        return;
    ag_buf b;
    ag_buf_init(&b);
    ag_step_render(step, &b);
    fputs(b.data, stderr);
    fflush(stderr);
    ag_buf_free(&b);
}

static void
report_done(const ag_migration *m, ag_runner_action action, double seconds,
            void *user)
{
    const run_ui *ui = user;
    if (ui->o->verbosity < 0)
        return;
    printf("%s %s  %s  (%.0f ms)\n",
           action == AG_RUN_UPGRADE ? "Applied " : "Reverted", m->id,
           m->message, seconds * 1e3);
    fflush(stdout);
}

static void
report_notice(const char *message, void *user)
{
    const run_ui *ui = user;
    if (ui->o->verbosity >= 0)
        fprintf(stderr, "autogen: %s\n", message);
}

/* Where the database is after a run, from the script's point of view. */
static void
report_position(const cli_opts *o, PGconn *conn, const ag_revgraph *g)
{
    if (o->verbosity < 0)
        return;
    ag_arena arena;
    ag_arena_init(&arena);
    ag_vstate vs;
    if (cli_read_versions(o, conn, &arena, &vs) == EXIT_OK) {
        size_t *cur;
        size_t n = ag_runner_current(g, &vs, &arena, &cur);
        printf("The database is at ");
        for (size_t i = 0; i < n; i++)
            printf("%s%s%s", i ? ", " : "", g->revs[cur[i]]->id,
                   g->nchildren[cur[i]] == 0 ? " (head)" : "");
        printf("%s.\n", n ? "" : "base");
    }
    ag_arena_destroy(&arena);
}

static void
report_stamp(const cli_opts *o, const ag_script *s)
{
    if (o->verbosity < 0)
        return;
    for (size_t i = 0; i < s->nsteps; i++) {
        const ag_step *st = &s->steps[i];
        if (st->kind != AG_STEP_VERSION)
            continue;
        const char *what = st->change == '+'   ? "Stamped "
                           : st->change == '-' ? "Removed "
                                               : "Accepted";
        printf("%s %s  %s%s\n", what, st->revision,
               st->mig ? st->mig->message : "(no file)",
               st->change == '~' ? "  (its file's current checksum)" : "");
    }
}

static const char *
action_name(ag_runner_action a)
{
    return a == AG_RUN_UPGRADE     ? "upgrade"
           : a == AG_RUN_DOWNGRADE ? "downgrade"
                                   : "stamp";
}

static int
run(cli_opts *o, ag_runner_action action)
{
    ag_runner_opts ro;
    if (cli_runner_opts(o, &ro) != EXIT_OK)
        return EXIT_ERROR;
    ag_arena arena;
    ag_arena_init(&arena);
    ag_revgraph g;
    PGconn *conn = NULL;
    ag_script script;
    ag_script_init(&script);
    ag_error err = {0};
    bool locked = false;
    ag_vstate vs;
    int rc = cli_load_revisions(o, &arena, &g);
    if (rc == EXIT_OK)
        rc = cli_connect(o, &conn);
    /* --sql takes no lock: it changes nothing. */
    if (rc == EXIT_OK && !o->sql) {
        if (ag_runner_lock(conn, &ro, &err) != 0) {
            cli_error("%s", err.msg);
            rc = EXIT_ERROR;
        } else {
            locked = true;
        }
    }
    /* Read under the lock: a runner that waited sees what the other one
     * applied, and applies nothing twice. */
    if (rc == EXIT_OK)
        rc = cli_read_versions(o, conn, &arena, &vs);
    if (rc == EXIT_OK && action != AG_RUN_STAMP &&
        ag_runner_check(&g, &vs, false, &err) != 0) {
        cli_error("%s", err.msg);
        rc = EXIT_ERROR;
    }
    if (rc == EXIT_OK && ag_runner_plan(&g, &vs, action, o->args, o->nargs, &ro,
                                        &script, &err) != 0) {
        cli_error("%s", err.msg);
        rc = EXIT_ERROR;
    }
    if (rc == EXIT_OK && o->sql) {
        ag_buf b;
        ag_buf_init(&b);
        ag_script_render(&script, &b);
        fputs(b.data, stdout);
        ag_buf_free(&b);
        if (script.nsteps == 0 && o->verbosity >= 0)
            fprintf(stderr, "autogen: nothing to %s\n", action_name(action));
    } else if (rc == EXIT_OK && script.nsteps == 0) {
        if (o->verbosity >= 0)
            printf("Nothing to %s.\n", action_name(action));
        report_position(o, conn, &g);
    } else if (rc == EXIT_OK) {
        run_ui ui = {o};
        ag_runner_hooks hooks = {&ui, echo_step, report_done, report_notice};
        if (ag_runner_exec(conn, &script, &hooks, &err) != 0) {
            cli_error("%s", err.msg);
            rc = EXIT_ERROR;
        } else {
            if (action == AG_RUN_STAMP)
                report_stamp(o, &script);
            report_position(o, conn, &g);
        }
    }
    if (locked)
        ag_runner_unlock(conn, &ro);
    if (conn)
        PQfinish(conn);
    ag_script_free(&script);
    ag_arena_destroy(&arena);
    return rc;
}

int
cmd_upgrade(cli_opts *o)
{
    return run(o, AG_RUN_UPGRADE);
}

int
cmd_downgrade(cli_opts *o)
{
    return run(o, AG_RUN_DOWNGRADE);
}

int
cmd_stamp(cli_opts *o)
{
    return run(o, AG_RUN_STAMP);
}
