/*
 * cmd_status.c - where things are: `current` (the database), `heads` and
 * `history` (the migrations folder), and the helpers the revision
 * commands share for reading the folder and the version table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/grammar.h"
#include "cli.h"

int
cli_load_revisions(const cli_opts *o, ag_arena *arena, ag_revgraph *g)
{
    ag_error err = {0};
    ag_migration *migs;
    size_t n;
    memset(g, 0, sizeof *g);
    if (ag_migration_read_dir(o->migrations, arena, &migs, &n, &err) != 0 ||
        ag_revgraph_build(migs, n, arena, g, &err) != 0) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    return EXIT_OK;
}

/* Milliseconds of a duration ("30", "30s", "500ms", "2min"), -1 when
 * malformed. */
static long
duration_ms(const char *text)
{
    ag_error err = {0};
    ag_match m;
    const char *num, *unit;
    size_t nlen, ulen;
    if (ag_grammar_init(&err) != 0 ||
        !ag_grammar_match(AG_RE_DURATION, text, strlen(text), 0, &m) ||
        !ag_match_group(&m, "number", &num, &nlen))
        return -1;
    long n = strtol(num, NULL, 10);
    if (!ag_match_group(&m, "unit", &unit, &ulen) ||
        (ulen == 1 && *unit == 's'))
        return n * 1000;
    return ulen == 2 ? n : n * 60000;
}

int
cli_runner_opts(const cli_opts *o, ag_runner_opts *ro)
{
    memset(ro, 0, sizeof *ro);
    ro->version_schema = o->cfg.version_table_schema;
    ro->lock_timeout = o->lock_timeout;
    ro->statement_timeout = o->statement_timeout;
    ro->lock_wait_ms = 60000;
    if (o->lock_wait) {
        long ms = duration_ms(o->lock_wait);
        if (ms < 0) {
            cli_error("lock_wait '%s': expected a duration such as 30s, "
                      "500ms or 2min",
                      o->lock_wait);
            return EXIT_ERROR;
        }
        ro->lock_wait_ms = (int)(ms > 86400000L ? 86400000L : ms);
    }
    return EXIT_OK;
}

int
cli_read_versions(const cli_opts *o, PGconn *conn, ag_arena *arena,
                  ag_vstate *vs)
{
    ag_runner_opts ro;
    if (cli_runner_opts(o, &ro) != EXIT_OK)
        return EXIT_ERROR;
    ag_error err = {0};
    if (ag_vtable_read(conn, &ro, arena, vs, &err) != 0) {
        cli_error("%s", err.msg);
        return EXIT_ERROR;
    }
    return EXIT_OK;
}

static bool
is_head(const ag_revgraph *g, size_t i)
{
    return g->nchildren[i] == 0;
}

int
cmd_current(cli_opts *o)
{
    ag_arena arena;
    ag_arena_init(&arena);
    ag_revgraph g;
    PGconn *conn = NULL;
    ag_vstate vs;
    int rc = cli_load_revisions(o, &arena, &g);
    if (rc == EXIT_OK)
        rc = cli_connect(o, &conn);
    if (rc == EXIT_OK)
        rc = cli_read_versions(o, conn, &arena, &vs);
    if (rc == EXIT_OK) {
        size_t *cur;
        size_t n = ag_runner_current(&g, &vs, &arena, &cur);
        for (size_t i = 0; i < n; i++) {
            const ag_migration *m = g.revs[cur[i]];
            const ag_applied *row = ag_vstate_find(&vs, m->id);
            printf("%s%s %s%s\n", m->id, is_head(&g, cur[i]) ? " (head)" : "",
                   m->message,
                   strcmp(row->checksum, m->checksum) != 0
                       ? "  [file changed since it was applied]"
                       : "");
        }
        for (size_t r = 0; r < vs.nrows; r++)
            if (ag_revgraph_index(&g, vs.rows[r].revision) < 0)
                printf("%s (no file in %s)\n", vs.rows[r].revision,
                       o->migrations);
        if (n == 0 && vs.nrows == 0)
            printf("base (no revision applied)\n");
        size_t pending = 0;
        for (size_t i = 0; i < g.n; i++)
            pending += !ag_vstate_find(&vs, g.revs[i]->id);
        if (pending && o->verbosity >= 0)
            fprintf(stderr,
                    "autogen: %zu revision%s not applied: run autogen "
                    "upgrade\n",
                    pending, pending == 1 ? "" : "s");
    }
    if (conn)
        PQfinish(conn);
    ag_arena_destroy(&arena);
    return rc;
}

int
cmd_heads(cli_opts *o)
{
    ag_arena arena;
    ag_arena_init(&arena);
    ag_revgraph g;
    int rc = cli_load_revisions(o, &arena, &g);
    if (rc == EXIT_OK) {
        for (size_t i = 0; i < g.nheads; i++) {
            const ag_migration *m = g.revs[g.heads[i]];
            printf("%s (head) %s\n", m->id, m->message);
            if (o->verbosity > 0)
                printf("    %s\n", m->path);
        }
        if (g.nheads > 1 && o->verbosity >= 0)
            fprintf(stderr,
                    "autogen: %zu heads: join them with: autogen merge -m "
                    "\"merge heads\"\n",
                    g.nheads);
    }
    ag_arena_destroy(&arena);
    return rc;
}

static void
put_parents(const ag_revgraph *g, size_t i)
{
    if (!g->nparents[i])
        fputs("<base>", stdout);
    for (size_t k = 0; k < g->nparents[i]; k++)
        printf("%s%s", k ? ", " : "", g->revs[g->parents[i][k]]->id);
}

static void
verbose_entry(const ag_revgraph *g, size_t i)
{
    const ag_migration *m = g->revs[i];
    printf("Revision: %s%s%s%s\n", m->id, is_head(g, i) ? " (head)" : "",
           g->nparents[i] > 1 ? " (mergepoint)" : "",
           g->nchildren[i] > 1 ? " (branchpoint)" : "");
    fputs("Parents: ", stdout);
    put_parents(g, i);
    printf("\nPath: %s\nCreated: %s\nTransaction: %s", m->path, m->created,
           ag_txn_mode_name(m->txn));
    if (m->down_txn != m->txn)
        printf(" (downgrade: %s)", ag_txn_mode_name(m->down_txn));
    fputs("\nHazards: ", stdout);
    bool any = false;
    for (int h = 0; h < AG_NHAZARDS; h++)
        if (m->hazards & (1u << h)) {
            printf("%s%s", any ? ", " : "", ag_hazard_name(h));
            any = true;
        }
    printf("%s\nStatements: %zu up, %zu down\n\n    %s\n\n", any ? "" : "none",
           m->up.nstmts, m->down.nstmts, m->message);
}

int
cmd_history(cli_opts *o)
{
    ag_arena arena;
    ag_arena_init(&arena);
    ag_revgraph g;
    int rc = cli_load_revisions(o, &arena, &g);
    for (size_t i = g.n; rc == EXIT_OK && i-- > 0;) {
        if (o->verbosity > 0) {
            verbose_entry(&g, i);
            continue;
        }
        put_parents(&g, i);
        printf(" -> %s%s%s%s, %s\n", g.revs[i]->id,
               is_head(&g, i) ? " (head)" : "",
               g.nparents[i] > 1 ? " (mergepoint)" : "",
               g.nchildren[i] > 1 ? " (branchpoint)" : "", g.revs[i]->message);
    }
    ag_arena_destroy(&arena);
    return rc;
}
