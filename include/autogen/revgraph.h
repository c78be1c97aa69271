/*
 * revgraph.h - the revisions of a migrations folder as a graph.
 *
 * Each revision names its parents by id; exactly one has none (the root).
 * A duplicate id, a parent that no file has, a cycle and a second root are
 * errors naming the files involved.  Several heads (revisions nobody names
 * as a parent) are allowed in the graph, because `heads`, `history` and
 * `merge` must work on a branched folder; commands that need one head ask
 * ag_revgraph_head, whose error gives the `autogen merge` command to run.
 *
 * The graph borrows the migrations (and their arena); its own arrays live
 * in the arena passed to ag_revgraph_build.
 */
#ifndef AUTOGEN_REVGRAPH_H
#define AUTOGEN_REVGRAPH_H

#include "autogen/migration.h"

typedef struct ag_revgraph {
    const ag_migration **revs; /* topological: parents before children;
                                  ties by creation time, then id */
    size_t n;
    size_t **parents; /* per revision, indexes into revs */
    size_t *nparents;
    size_t **children;
    size_t *nchildren;
    size_t *heads; /* indexes of the heads, in topological order */
    size_t nheads;
} ag_revgraph;

/*
 * Build the graph of migs[0..n).  Returns 0, or AG_ECONFLICT for a
 * duplicate id (naming both files), AG_EPARSE for a missing parent (naming
 * the file and the id), AG_ECYCLE for a cycle (naming every file on it),
 * AG_ECONFLICT for more than one root (naming them).  An empty folder is a
 * valid, empty graph.
 */
int ag_revgraph_build(const ag_migration *migs, size_t n, ag_arena *arena,
                      ag_revgraph *g, ag_error *err);

/* Index of the revision whose id is id, or starts with the prefix id (at
 * least 4 hex digits).  AG_EINVAL when none or several match (naming them). */
int ag_revgraph_find(const ag_revgraph *g, const char *id, size_t *idx,
                     ag_error *err);

/*
 * The one head, in *idx.  AG_EINVAL for an empty graph ("no revisions
 * yet"); AG_ECONFLICT for several heads, listing them with their files and
 * the exact command that joins them:  autogen merge -m "merge heads".
 */
int ag_revgraph_head(const ag_revgraph *g, size_t *idx, ag_error *err);

/* Mark idx and every revision it depends on (its ancestors) in mark[]
 * (g->n entries, caller-zeroed or accumulated). */
void ag_revgraph_ancestors(const ag_revgraph *g, size_t idx, bool *mark);

/* Index of the revision with exactly this id, or -1. */
long ag_revgraph_index(const ag_revgraph *g, const char *id);

#endif
