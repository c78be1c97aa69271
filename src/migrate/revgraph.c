/*
 * revgraph.c - revisions linked by their parents: checks, topological
 * order, heads and ancestors.
 *
 * The order is Kahn's algorithm taking, among the revisions whose parents
 * are all placed, the one created first (then the smaller id): linear
 * chains come out in their obvious order and branches in a stable one,
 * whatever order the files were read in.
 */
#include "autogen/revgraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "a.sql, b.sql" of the listed revisions into buf. */
static void
list_files(ag_buf *b, const ag_migration *const *revs, const size_t *idx,
           size_t n)
{
    for (size_t i = 0; i < n; i++)
        ag_buf_printf(b, "%s%s (%s)", i ? ", " : "", revs[idx[i]]->path,
                      revs[idx[i]]->id);
}

static int
by_created(const ag_migration *a, const ag_migration *b)
{
    int c = strcmp(a->created, b->created);
    return c ? c : strcmp(a->id, b->id);
}

/* With every parent present, the revisions Kahn's algorithm could not
 * place all lie on or below a cycle; walking parents from any of them
 * must come back to a revision already seen, and the walk from there is
 * the cycle. */
static int
report_cycle(const ag_migration *migs, size_t n, size_t *const *parents,
             const size_t *nparents, const bool *placed, ag_arena *arena,
             ag_error *err)
{
    size_t start = 0;
    while (start < n && placed[start])
        start++;
    int *seen = ag_arena_alloc(arena, sizeof *seen * n);
    size_t cur = start;
    int step = 1;
    while (!seen[cur]) {
        seen[cur] = step++;
        for (size_t k = 0; k < nparents[cur]; k++)
            if (!placed[parents[cur][k]]) {
                cur = parents[cur][k];
                break;
            }
    }
    /* cur is on the cycle: list it from there. */
    ag_buf b;
    ag_buf_init(&b);
    size_t first = cur;
    do {
        ag_buf_printf(&b, "%s (%s) -> ", migs[cur].path, migs[cur].id);
        for (size_t k = 0; k < nparents[cur]; k++)
            if (!placed[parents[cur][k]] && seen[parents[cur][k]]) {
                cur = parents[cur][k];
                break;
            }
    } while (cur != first);
    ag_buf_printf(&b, "%s", migs[first].id);
    int rc = ag_errorf(err, AG_ECYCLE,
                       "the revisions' parents form a cycle: %s (each names "
                       "the next as its parent)",
                       b.data);
    ag_buf_free(&b);
    return rc;
}

int
ag_revgraph_build(const ag_migration *migs, size_t n, ag_arena *arena,
                  ag_revgraph *g, ag_error *err)
{
    memset(g, 0, sizeof *g);
    /* Duplicates, and parent ids resolved to indexes into migs. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(migs[i].id, migs[j].id) == 0)
                return ag_errorf(
                    err, AG_ECONFLICT,
                    "revision %s is defined twice: in %s and in %s", migs[i].id,
                    migs[j].path, migs[i].path);
    size_t **par = ag_arena_alloc(arena, sizeof *par * (n ? n : 1));
    size_t *npar = ag_arena_alloc(arena, sizeof *npar * (n ? n : 1));
    size_t roots = 0;
    for (size_t i = 0; i < n; i++) {
        npar[i] = migs[i].nparents;
        par[i] = ag_arena_alloc(arena, sizeof **par * (npar[i] ? npar[i] : 1));
        if (!npar[i])
            roots++;
        for (size_t k = 0; k < npar[i]; k++) {
            size_t j = 0;
            while (j < n && strcmp(migs[j].id, migs[i].parents[k]) != 0)
                j++;
            if (j == n)
                return ag_errorf(err, AG_EPARSE,
                                 "%s: revision %s names parent %s, but no "
                                 "file in the migrations folder has that "
                                 "revision",
                                 migs[i].path, migs[i].id, migs[i].parents[k]);
            par[i][k] = j;
        }
    }

    /* Kahn, always taking the earliest ready revision. */
    bool *placed = ag_arena_alloc(arena, sizeof *placed * (n ? n : 1));
    size_t *order = ag_arena_alloc(arena, sizeof *order * (n ? n : 1));
    size_t *pos = ag_arena_alloc(arena, sizeof *pos * (n ? n : 1));
    size_t done = 0;
    while (done < n) {
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            if (placed[i])
                continue;
            bool ready = true;
            for (size_t k = 0; k < npar[i] && ready; k++)
                ready = placed[par[i][k]];
            if (ready && (best == n || by_created(&migs[i], &migs[best]) < 0))
                best = i;
        }
        if (best == n)
            return report_cycle(migs, n, par, npar, placed, arena, err);
        placed[best] = true;
        pos[best] = done;
        order[done++] = best;
    }
    if (roots > 1) {
        ag_buf b;
        ag_buf_init(&b);
        size_t *rl = ag_arena_alloc(arena, sizeof *rl * roots);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!npar[order[i]])
                rl[k++] = i;
        const ag_migration **tmp = ag_arena_alloc(arena, sizeof *tmp * n);
        for (size_t i = 0; i < n; i++)
            tmp[i] = &migs[order[i]];
        list_files(&b, tmp, rl, roots);
        int rc = ag_errorf(err, AG_ECONFLICT,
                           "%zu revisions have no parent (there must be one "
                           "first revision): %s; give all but the first "
                           "'-- autogen:parents <id>'",
                           roots, b.data);
        ag_buf_free(&b);
        return rc;
    }

    /* The graph in topological numbering. */
    g->n = n;
    g->revs = ag_arena_alloc(arena, sizeof *g->revs * (n ? n : 1));
    g->parents = ag_arena_alloc(arena, sizeof *g->parents * (n ? n : 1));
    g->nparents = ag_arena_alloc(arena, sizeof *g->nparents * (n ? n : 1));
    g->children = ag_arena_alloc(arena, sizeof *g->children * (n ? n : 1));
    g->nchildren = ag_arena_alloc(arena, sizeof *g->nchildren * (n ? n : 1));
    for (size_t t = 0; t < n; t++) {
        size_t i = order[t];
        g->revs[t] = &migs[i];
        g->nparents[t] = npar[i];
        g->parents[t] = ag_arena_alloc(arena, sizeof **g->parents *
                                                  (npar[i] ? npar[i] : 1));
        for (size_t k = 0; k < npar[i]; k++) {
            size_t p = pos[par[i][k]];
            g->parents[t][k] = p;
            g->children[p] = ag_arena_grow(
                arena, g->children[p], g->nchildren[p], sizeof **g->children);
            g->children[p][g->nchildren[p]++] = t;
        }
    }
    g->heads = ag_arena_alloc(arena, sizeof *g->heads * (n ? n : 1));
    for (size_t t = 0; t < n; t++)
        if (!g->nchildren[t])
            g->heads[g->nheads++] = t;
    return 0;
}

long
ag_revgraph_index(const ag_revgraph *g, const char *id)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->revs[i]->id, id) == 0)
            return (long)i;
    return -1;
}

int
ag_revgraph_find(const ag_revgraph *g, const char *id, size_t *idx,
                 ag_error *err)
{
    size_t len = strlen(id), found = 0;
    ag_buf b;
    ag_buf_init(&b);
    for (size_t i = 0; i < g->n; i++)
        if (strncmp(g->revs[i]->id, id, len) == 0) {
            ag_buf_printf(&b, "%s%s", found ? ", " : "", g->revs[i]->id);
            if (!found++)
                *idx = i;
        }
    int rc = 0;
    if (found == 0)
        rc = ag_errorf(err, AG_EINVAL,
                       "no revision %s in the migrations folder", id);
    else if (found > 1)
        rc = ag_errorf(err, AG_EINVAL,
                       "revision prefix %s is ambiguous: %s; give more digits",
                       id, b.data);
    ag_buf_free(&b);
    return rc;
}

int
ag_revgraph_head(const ag_revgraph *g, size_t *idx, ag_error *err)
{
    if (g->n == 0)
        return ag_errorf(err, AG_EINVAL,
                         "no revisions yet: write one with autogen -m \"...\"");
    if (g->nheads == 1) {
        *idx = g->heads[0];
        return 0;
    }
    ag_buf b;
    ag_buf_init(&b);
    list_files(&b, g->revs, g->heads, g->nheads);
    int rc = ag_errorf(err, AG_ECONFLICT,
                       "the migrations have %zu heads: %s; join them with: "
                       "autogen merge -m \"merge heads\"",
                       g->nheads, b.data);
    ag_buf_free(&b);
    return rc;
}

void
ag_revgraph_ancestors(const ag_revgraph *g, size_t idx, bool *mark)
{
    /* Parents come before children in g->revs, so one backward sweep
     * reaches every ancestor (no recursion, however long the chain). */
    bool *own = ag_xcalloc(g->n, sizeof *own);
    own[idx] = true;
    for (size_t i = idx + 1; i-- > 0;) {
        if (!own[i])
            continue;
        mark[i] = true;
        for (size_t k = 0; k < g->nparents[i]; k++)
            own[g->parents[i][k]] = true;
    }
    free(own);
}
