/*
 * toposort.c - heap-based topological sort that keeps the base order.
 *
 * Kahn's algorithm with a min-heap of ready items keyed on (prio, index),
 * as pg_dump_sort.c's TopoSort does: whenever several items are free to go
 * next, the one that comes first in the base order goes, so the result is
 * the base order wherever the edges allow and identical inputs always give
 * identical outputs.  When items remain that can never become ready, one
 * cycle among them is extracted for the error message.
 */
#include "autogen/toposort.h"

#include <stdlib.h>
#include <string.h>

typedef struct heap {
    size_t *items;
    size_t n;
    const int *prio;
} heap;

static bool
less(const heap *h, size_t a, size_t b)
{
    int pa = h->prio ? h->prio[a] : 0, pb = h->prio ? h->prio[b] : 0;
    return pa != pb ? pa < pb : a < b;
}

static void
heap_push(heap *h, size_t item)
{
    size_t i = h->n++;
    h->items[i] = item;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!less(h, h->items[i], h->items[parent]))
            break;
        size_t t = h->items[i];
        h->items[i] = h->items[parent];
        h->items[parent] = t;
        i = parent;
    }
}

static size_t
heap_pop(heap *h)
{
    size_t top = h->items[0];
    h->items[0] = h->items[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && less(h, h->items[l], h->items[m]))
            m = l;
        if (r < h->n && less(h, h->items[r], h->items[m]))
            m = r;
        if (m == i)
            break;
        size_t t = h->items[i];
        h->items[i] = h->items[m];
        h->items[m] = t;
        i = m;
    }
    return top;
}

/*
 * Every unplaced item has an unplaced predecessor (else it would have been
 * ready), so walking predecessors from any of them must revisit an item:
 * that loop is a cycle.  Choosing the lowest start and the lowest
 * predecessor keeps the report deterministic.  Linear in items and edges.
 * Returns a malloc'd array.
 */
static size_t *
find_cycle(size_t n, const size_t *edge_from, const size_t *edge_to,
           size_t nedges, const bool *placed, size_t *ncycle)
{
    /* Lowest unplaced predecessor of every item. */
    size_t *pred = ag_xmalloc(n * sizeof *pred);
    for (size_t i = 0; i < n; i++)
        pred[i] = n;
    for (size_t k = 0; k < nedges; k++)
        if (!placed[edge_from[k]] && edge_from[k] < pred[edge_to[k]])
            pred[edge_to[k]] = edge_from[k];
    size_t *pos = ag_xcalloc(n, sizeof *pos); /* step + 1, 0 = unseen */
    size_t *path = ag_xmalloc(n * sizeof *path);
    size_t cur = 0;
    while (placed[cur])
        cur++;
    size_t len = 0;
    while (!pos[cur]) {
        pos[cur] = ++len;
        path[len - 1] = cur;
        cur = pred[cur];
    }
    /* path[pos[cur]-1 .. len-1] is the loop, walked against the edges. */
    size_t start = pos[cur] - 1, m = len - start;
    size_t *cycle = ag_xmalloc(m * sizeof *cycle);
    size_t low = 0;
    for (size_t i = 0; i < m; i++) {
        cycle[i] = path[len - 1 - i]; /* reversed: each precedes the next */
        if (cycle[i] < cycle[low])
            low = i;
    }
    for (size_t i = 0; i < m; i++)
        path[i] = cycle[(low + i) % m];
    memcpy(cycle, path, m * sizeof *cycle);
    free(pos);
    free(path);
    free(pred);
    *ncycle = m;
    return cycle;
}

int
ag_toposort(size_t n, const int *prio, const size_t *edge_from,
            const size_t *edge_to, size_t nedges, size_t *order_out,
            size_t **cycle_out, size_t *ncycle_out, ag_error *err)
{
    if (cycle_out)
        *cycle_out = NULL;
    if (ncycle_out)
        *ncycle_out = 0;
    for (size_t k = 0; k < nedges; k++)
        if (edge_from[k] >= n || edge_to[k] >= n)
            return ag_errorf(err, AG_EINVAL,
                             "toposort: edge %zu names item %zu of %zu", k,
                             edge_from[k] >= n ? edge_from[k] : edge_to[k], n);

    /* Successor lists in compressed form: succ[start[i] .. start[i+1]). */
    size_t *start = ag_xcalloc(n + 1, sizeof *start);
    size_t *succ = ag_xmalloc((nedges ? nedges : 1) * sizeof *succ);
    size_t *indeg = ag_xcalloc(n ? n : 1, sizeof *indeg);
    for (size_t k = 0; k < nedges; k++) {
        start[edge_from[k] + 1]++;
        indeg[edge_to[k]]++;
    }
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    size_t *fill = ag_xmalloc((n ? n : 1) * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        fill[i] = start[i];
    for (size_t k = 0; k < nedges; k++)
        succ[fill[edge_from[k]]++] = edge_to[k];

    heap h = {ag_xmalloc((n ? n : 1) * sizeof(size_t)), 0, prio};
    for (size_t i = 0; i < n; i++)
        if (!indeg[i])
            heap_push(&h, i);
    size_t done = 0;
    while (h.n) {
        size_t it = heap_pop(&h);
        order_out[done++] = it;
        for (size_t s = start[it]; s < start[it + 1]; s++)
            if (--indeg[succ[s]] == 0)
                heap_push(&h, succ[s]);
    }

    int rc = 0;
    if (done < n) {
        bool *placed = ag_xcalloc(n, sizeof *placed);
        for (size_t i = 0; i < done; i++)
            placed[order_out[i]] = true;
        size_t m;
        size_t *cycle = find_cycle(n, edge_from, edge_to, nedges, placed, &m);
        free(placed);
        rc = ag_errorf(err, AG_ECYCLE,
                       "dependency cycle among %zu of %zu items", n - done, n);
        if (cycle_out) {
            *cycle_out = cycle;
            if (ncycle_out)
                *ncycle_out = m;
        } else {
            free(cycle);
        }
    }
    free(h.items);
    free(fill);
    free(indeg);
    free(succ);
    free(start);
    return rc;
}
