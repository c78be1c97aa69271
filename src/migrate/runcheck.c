/*
 * runcheck.c - the version table against the files: where the database
 * is, and whether what it says still holds (every applied revision has its
 * file, unchanged, with its ancestors applied).
 */
#include <string.h>

#include "migrate_int.h"

size_t
ag_runner_current(const ag_revgraph *g, const ag_vstate *vs, ag_arena *arena,
                  size_t **out)
{
    size_t *list = ag_arena_alloc(arena, sizeof *list * (g->n ? g->n : 1));
    size_t n = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (!ag_vstate_find(vs, g->revs[i]->id))
            continue;
        bool child_applied = false;
        for (size_t k = 0; k < g->nchildren[i] && !child_applied; k++)
            child_applied =
                ag_vstate_find(vs, g->revs[g->children[i][k]]->id) != NULL;
        if (!child_applied)
            list[n++] = i;
    }
    *out = list;
    return n;
}

/* "autogen stamp a b" for the current revisions (or base). */
static void
stamp_command(const ag_revgraph *g, const ag_vstate *vs, ag_buf *out)
{
    ag_arena tmp;
    ag_arena_init(&tmp);
    size_t *cur;
    size_t n = ag_runner_current(g, vs, &tmp, &cur);
    ag_buf_put(out, "autogen stamp");
    for (size_t i = 0; i < n; i++)
        ag_buf_printf(out, " %s", g->revs[cur[i]]->id);
    if (!n)
        ag_buf_put(out, " base");
    ag_arena_destroy(&tmp);
}

int
ag_runner_check(const ag_revgraph *g, const ag_vstate *vs,
                bool ignore_checksums, ag_error *err)
{
    ag_buf cmd;
    ag_buf_init(&cmd);
    int rc = 0;
    for (size_t r = 0; r < vs->nrows && !rc; r++) {
        const ag_applied *row = &vs->rows[r];
        if (ag_revgraph_index(g, row->revision) < 0) {
            stamp_command(g, vs, &cmd);
            rc = ag_errorf(err, AG_EINVAL,
                           "the database has revision %s applied (at %s), "
                           "but no file in the migrations folder has it: "
                           "restore the file, or make the database forget "
                           "it with: %s",
                           row->revision, row->applied_at, cmd.data);
        }
    }
    for (size_t i = 0; i < g->n && !rc && !ignore_checksums; i++) {
        const ag_migration *m = g->revs[i];
        const ag_applied *row = ag_vstate_find(vs, m->id);
        if (row && strcmp(row->checksum, m->checksum) != 0) {
            stamp_command(g, vs, &cmd);
            rc = ag_errorf(err, AG_EDRIFT,
                           "%s was changed after it was applied (at %s): "
                           "checksum %.12s... recorded, %.12s... now; "
                           "restore the file, or accept the change with: %s",
                           m->path, row->applied_at, row->checksum, m->checksum,
                           cmd.data);
        }
    }
    for (size_t i = 0; i < g->n && !rc; i++) {
        if (!ag_vstate_find(vs, g->revs[i]->id))
            continue;
        for (size_t k = 0; k < g->nparents[i]; k++) {
            const ag_migration *par = g->revs[g->parents[i][k]];
            if (!ag_vstate_find(vs, par->id)) {
                rc = ag_errorf(err, AG_EINVAL,
                               "the version table lists %s (%s) as applied "
                               "but not its parent %s (%s); set the state "
                               "that is true with autogen stamp <revision>",
                               g->revs[i]->id, g->revs[i]->path, par->id,
                               par->path);
                break;
            }
        }
    }
    ag_buf_free(&cmd);
    return rc;
}
