/* Unit tests for src/diff/toposort.c: base order kept, edges honoured,
 * cycles reported with their members. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "autogen/toposort.h"

static void
check_edges(const size_t *order, size_t n, const size_t *ef, const size_t *et,
            size_t ne)
{
    size_t *pos = calloc(n, sizeof *pos);
    bool *seen = calloc(n, sizeof *seen);
    for (size_t i = 0; i < n; i++) {
        cr_assert_lt(order[i], n);
        cr_assert_not(seen[order[i]], "item %zu twice", order[i]);
        seen[order[i]] = true;
        pos[order[i]] = i;
    }
    for (size_t k = 0; k < ne; k++)
        cr_assert_lt(pos[ef[k]], pos[et[k]], "edge %zu->%zu", ef[k], et[k]);
    free(pos);
    free(seen);
}

Test(toposort, no_edges_gives_base_order)
{
    int prio[] = {3, 1, 2, 1, 0};
    size_t order[5];
    ag_error err;
    size_t *cyc = NULL, ncyc = 0;
    cr_assert_eq(ag_toposort(5, prio, NULL, NULL, 0, order, &cyc, &ncyc, &err),
                 0);
    size_t want[] = {4, 1, 3, 2, 0}; /* ties (1,3) by index */
    for (int i = 0; i < 5; i++)
        cr_assert_eq(order[i], want[i], "position %d", i);
    cr_assert_null(cyc);
    cr_assert_eq(ncyc, 0);
}

Test(toposort, null_prio_is_index_order)
{
    size_t order[4];
    cr_assert_eq(
        ag_toposort(4, NULL, NULL, NULL, 0, order, NULL, NULL, NULL), 0);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(order[i], i);
}

Test(toposort, edges_move_items_only_as_far_as_needed)
{
    /* 0 1 2 3 4 in base order; 4 must precede 1. */
    size_t ef[] = {4}, et[] = {1};
    size_t order[5];
    cr_assert_eq(ag_toposort(5, NULL, ef, et, 1, order, NULL, NULL, NULL), 0);
    size_t want[] = {0, 2, 3, 4, 1};
    for (int i = 0; i < 5; i++)
        cr_assert_eq(order[i], want[i], "position %d", i);
}

Test(toposort, chain_and_duplicates)
{
    size_t ef[] = {3, 2, 1, 3, 3}, et[] = {2, 1, 0, 2, 0};
    size_t order[4];
    cr_assert_eq(ag_toposort(4, NULL, ef, et, 5, order, NULL, NULL, NULL), 0);
    size_t want[] = {3, 2, 1, 0};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(order[i], want[i]);
    check_edges(order, 4, ef, et, 5);
}

Test(toposort, stable_under_many_random_dag_edges)
{
    enum { N = 200 };
    int prio[N];
    size_t ef[400], et[400], ne = 0;
    unsigned seed = 12345;
    for (size_t i = 0; i < N; i++)
        prio[i] = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 7;
    for (size_t k = 0; k < 400; k++) {
        size_t a = ((seed = seed * 1103515245u + 12345u) >> 16) % N;
        size_t b = ((seed = seed * 1103515245u + 12345u) >> 16) % N;
        if (a == b)
            continue;
        ef[ne] = a < b ? a : b; /* always low -> high: acyclic */
        et[ne++] = a < b ? b : a;
    }
    size_t o1[N], o2[N];
    cr_assert_eq(ag_toposort(N, prio, ef, et, ne, o1, NULL, NULL, NULL), 0);
    cr_assert_eq(ag_toposort(N, prio, ef, et, ne, o2, NULL, NULL, NULL), 0);
    check_edges(o1, N, ef, et, ne);
    for (size_t i = 0; i < N; i++)
        cr_assert_eq(o1[i], o2[i]);
    /* The first item placed is the lowest (prio, index) without
     * predecessors. */
    bool haspred[N] = {false};
    for (size_t k = 0; k < ne; k++)
        haspred[et[k]] = true;
    size_t best = N;
    for (size_t i = 0; i < N; i++)
        if (!haspred[i] && (best == N || prio[i] < prio[best]))
            best = i;
    cr_assert_eq(o1[0], best);
}

Test(toposort, cycle_is_reported_with_members)
{
    /* 0 free; 1 -> 2 -> 3 -> 1 cycle; 4 after 3 (blocked, not a member). */
    size_t ef[] = {1, 2, 3, 3}, et[] = {2, 3, 1, 4};
    size_t order[5];
    size_t *cyc = NULL, ncyc = 0;
    ag_error err;
    int rc = ag_toposort(5, NULL, ef, et, 4, order, &cyc, &ncyc, &err);
    cr_assert_eq(rc, AG_ECYCLE);
    cr_assert_eq(err.code, AG_ECYCLE);
    cr_assert_eq(ncyc, 3);
    cr_assert_eq(cyc[0], 1);
    cr_assert_eq(cyc[1], 2);
    cr_assert_eq(cyc[2], 3);
    free(cyc);
}

Test(toposort, self_loop_and_two_cycle)
{
    size_t ef[] = {2}, et[] = {2};
    size_t order[3];
    size_t *cyc = NULL, ncyc = 0;
    cr_assert_eq(ag_toposort(3, NULL, ef, et, 1, order, &cyc, &ncyc, NULL),
                 AG_ECYCLE);
    cr_assert_eq(ncyc, 1);
    cr_assert_eq(cyc[0], 2);
    free(cyc);

    size_t ef2[] = {4, 1}, et2[] = {1, 4};
    size_t order2[5];
    cr_assert_eq(ag_toposort(5, NULL, ef2, et2, 2, order2, &cyc, &ncyc, NULL),
                 AG_ECYCLE);
    cr_assert_eq(ncyc, 2);
    cr_assert_eq(cyc[0], 1); /* starts at the lowest member */
    cr_assert_eq(cyc[1], 4);
    free(cyc);
}

Test(toposort, bad_edge_is_einval)
{
    size_t ef[] = {0}, et[] = {7};
    size_t order[2];
    ag_error err;
    cr_assert_eq(ag_toposort(2, NULL, ef, et, 1, order, NULL, NULL, &err),
                 AG_EINVAL);
}

Test(toposort, empty_input)
{
    size_t order[1];
    cr_assert_eq(ag_toposort(0, NULL, NULL, NULL, 0, order, NULL, NULL, NULL),
                 0);
}
