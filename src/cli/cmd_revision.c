/*
 * cmd_revision.c - new revision files: `revision -m` (models against a
 * database at head), `revision --empty` (for hand-written SQL) and `merge`
 * (a revision joining the heads).
 *
 * A file is rendered whole, read back through the same parser `upgrade`
 * uses (so autogen never writes a file it would refuse), and written with
 * ag_write_file_atomic: whole or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "autogen/emit.h"
#include "autogen/migration.h"
#include "cli.h"

static bool
have_message(const cli_opts *o, const char *cmd)
{
    const char *m = o->message;
    while (m && (*m == ' ' || *m == '\t'))
        m++;
    if (!m || !*m) {
        cli_error("%s needs a message: -m \"what it changes\"", cmd);
        return false;
    }
    return true;
}

/* A fresh id that no revision of g has. */
static int
new_id(const ag_revgraph *g, char id[AG_REV_LEN + 1])
{
    ag_error err = {0};
    do {
        if (ag_migration_new_id(id, &err) != 0) {
            cli_error("%s", err.msg);
            return EXIT_ERROR;
        }
    } while (ag_revgraph_index(g, id) >= 0);
    return EXIT_OK;
}

/* Give h an id, message and time; render, check and write the revision;
 * print "Generating <path>". */
static int
write_revision(const cli_opts *o, const ag_revgraph *g, ag_revision_header *h,
               const char *up, const char *down)
{
    char id[AG_REV_LEN + 1];
    if (new_id(g, id) != EXIT_OK)
        return EXIT_ERROR;
    h->id = id;
    h->message = o->message;
    h->created = time(NULL);
    ag_buf text, path;
    ag_buf_init(&text);
    ag_buf_init(&path);
    ag_migration_render(h, up, down, &text);
    ag_buf_printf(&path, "%s/", o->migrations);
    ag_migration_filename(h, &path);

    ag_arena check;
    ag_arena_init(&check);
    ag_migration m;
    ag_error err = {0};
    int rc = EXIT_OK;
    if (ag_migration_parse(path.data, text.data, text.len, &check, &m, &err) !=
        0) {
        /* Our own output must read back; if it does not, say so rather
         * than leave a file upgrade would refuse. */
        cli_error("internal error: the new revision does not read back: %s",
                  err.msg);
        rc = EXIT_ERROR;
    } else if (access(path.data, F_OK) == 0) {
        cli_error("%s already exists", path.data);
        rc = EXIT_ERROR;
    } else if (ag_write_file_atomic(path.data, text.data, text.len, &err) !=
               0) {
        cli_error("%s", err.msg);
        rc = EXIT_ERROR;
    } else if (o->verbosity >= 0) {
        printf("Generating %s\n", path.data);
    }
    ag_arena_destroy(&check);
    ag_buf_free(&text);
    ag_buf_free(&path);
    return rc;
}

/* The parent of a new revision: the one head, or none in an empty folder. */
static int
parent_of_new(const ag_revgraph *g, const char **parent)
{
    *parent = NULL;
    if (g->n == 0)
        return EXIT_OK;
    size_t head;
    ag_error err = {0};
    if (ag_revgraph_head(g, &head, &err) != 0) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    *parent = g->revs[head]->id;
    return EXIT_OK;
}

/* The database must have exactly the folder's revisions applied. */
static int
require_at_head(const ag_revgraph *g, const ag_vstate *vs)
{
    ag_error err = {0};
    if (ag_runner_check(g, vs, true, &err) != 0) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    size_t missing = 0;
    for (size_t i = 0; i < g->n; i++)
        missing += !ag_vstate_find(vs, g->revs[i]->id);
    if (!missing)
        return EXIT_OK;
    if (vs->nrows == 0)
        cli_error("target database is not up to date: run autogen upgrade "
                  "(or, if the database already has this schema, adopt it "
                  "with autogen stamp head)");
    else
        cli_error("target database is not up to date: run autogen upgrade "
                  "(%zu revision%s not applied)",
                  missing, missing == 1 ? "" : "s");
    return EXIT_ERROR;
}

static void
print_plan(const cli_opts *o, const ag_plan *up, ag_txn_mode txn,
           const char *label)
{
    if (o->verbosity < 0)
        return;
    ag_buf b;
    ag_buf_init(&b);
    ag_emit_summary(up, &b);
    for (const char *line = b.data; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        printf("  %.*s\n", (int)len, line);
        line += len + (nl ? 1 : 0);
    }
    uint32_t hz = ag_plan_hazards(up);
    for (int h = 0; h < AG_NHAZARDS; h++)
        if (hz & (1u << h))
            printf("  hazard: %s: %s (review before applying)\n",
                   ag_hazard_name(h), ag_hazard_desc(h));
    if (txn == AG_TXN_NONE)
        printf("  note: the upgrade runs without a transaction: it adds enum "
               "label '%s' and uses it, and PostgreSQL cannot use a new "
               "label before the transaction that added it commits\n",
               label);
    ag_buf_free(&b);
}

static int
generate(cli_opts *o, const ag_revgraph *g, const char *parent)
{
    PGconn *conn = NULL;
    ag_arena arena;
    ag_arena_init(&arena);
    ag_vstate vs;
    int rc = cli_connect(o, &conn);
    if (rc == EXIT_OK)
        rc = cli_read_versions(o, conn, &arena, &vs);
    if (rc == EXIT_OK)
        rc = require_at_head(g, &vs);
    cli_pipeline pl;
    bool have_pl = false;
    if (rc == EXIT_OK) {
        rc = cli_pipeline_run(o, conn, true, &pl);
        have_pl = true;
    }
    if (rc == EXIT_OK && ag_plan_count(&pl.up) == 0) {
        if (o->verbosity >= 0)
            printf("No changes detected\n");
    } else if (rc == EXIT_OK) {
        ag_buf up, down;
        ag_buf_init(&up);
        ag_buf_init(&down);
        ag_emit_sql(&pl.up, &up);
        ag_emit_sql(&pl.down, &down);
        const char *label = NULL;
        ag_revision_header h = {
            .parents = parent ? &parent : NULL,
            .nparents = parent ? 1 : 0,
            .txn = ag_migration_txn_for_plan(&pl.up, &label),
            /* Whatever the upgrade needs, the downgrade of a generated
             * revision (an enum rebuild, drops) is transaction-safe, and
             * a failure there must roll back whole. */
            .down_txn = AG_TXN_PER_REVISION,
            .hazards = ag_plan_hazards(&pl.up),
        };
        rc = write_revision(o, g, &h, up.data, down.data);
        if (rc == EXIT_OK)
            print_plan(o, &pl.up, h.txn, label);
        ag_buf_free(&up);
        ag_buf_free(&down);
    }
    if (have_pl)
        cli_pipeline_free(&pl);
    if (conn)
        PQfinish(conn);
    ag_arena_destroy(&arena);
    return rc;
}

int
cmd_revision(cli_opts *o)
{
    if (!have_message(o, "revision"))
        return EXIT_ERROR;
    ag_arena arena;
    ag_arena_init(&arena);
    ag_revgraph g;
    const char *parent = NULL;
    int rc = cli_load_revisions(o, &arena, &g);
    if (rc == EXIT_OK)
        rc = parent_of_new(&g, &parent);
    if (rc == EXIT_OK && o->empty) {
        ag_revision_header h = {.parents = parent ? &parent : NULL,
                                .nparents = parent ? 1 : 0};
        rc = write_revision(o, &g, &h, "", "");
    } else if (rc == EXIT_OK) {
        rc = generate(o, &g, parent);
    }
    ag_arena_destroy(&arena);
    return rc;
}

int
cmd_merge(cli_opts *o)
{
    if (!have_message(o, "merge"))
        return EXIT_ERROR;
    ag_arena arena;
    ag_arena_init(&arena);
    ag_revgraph g;
    int rc = cli_load_revisions(o, &arena, &g);
    if (rc == EXIT_OK && g.nheads < 2) {
        if (g.n == 0)
            cli_error("nothing to merge: there are no revisions yet");
        else
            cli_error("nothing to merge: the migrations have one head (%s)",
                      g.revs[g.heads[0]]->id);
        rc = EXIT_ERROR;
    }
    if (rc == EXIT_OK) {
        const char **parents =
            ag_arena_alloc(&arena, sizeof *parents * g.nheads);
        for (size_t i = 0; i < g.nheads; i++)
            parents[i] = g.revs[g.heads[i]]->id;
        ag_revision_header h = {.parents = parents, .nparents = g.nheads};
        rc = write_revision(o, &g, &h, "", "");
        if (rc == EXIT_OK && o->verbosity >= 0)
            for (size_t i = 0; i < g.nheads; i++)
                printf("  joins %s %s\n", parents[i],
                       g.revs[g.heads[i]]->message);
    }
    ag_arena_destroy(&arena);
    return rc;
}
