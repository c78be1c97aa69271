/*
 * toposort.h - a generic, deterministic topological sort.
 *
 * pg_dump's TopoSort idea: among the items whose predecessors are all
 * placed, always take the one with the lowest (prio, index), using a binary
 * heap.  With no edges the result is simply the base order, and edges move
 * items only as far as they must.  Used for the migration plan and for any
 * other graph (revision ordering) that wants a stable order.
 */
#ifndef AUTOGEN_TOPOSORT_H
#define AUTOGEN_TOPOSORT_H

#include "autogen/base.h"

/*
 * Order items 0..n-1.  prio[i] is the base order (lower first, ties broken
 * by index); prio may be NULL for "index order".  Edge k says item
 * edge_from[k] must come before item edge_to[k]; duplicates are fine.
 *
 * Returns 0 with order_out[0..n-1] filled (a permutation of 0..n-1).
 * Returns AG_ECYCLE when the edges form a cycle: order_out is then
 * unspecified and, when cycle_out is not NULL, *cycle_out gets a malloc'd
 * array (caller frees) of the members of one cycle in dependency order
 * (each must precede the next, the last precedes the first), starting from
 * its lowest index; *ncycle_out its length.  Returns AG_EINVAL for an edge
 * naming an item >= n.  On success *cycle_out is NULL and *ncycle_out 0.
 */
int ag_toposort(size_t n, const int *prio, const size_t *edge_from,
                const size_t *edge_to, size_t nedges, size_t *order_out,
                size_t **cycle_out, size_t *ncycle_out, ag_error *err);

#endif
