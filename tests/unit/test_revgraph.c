/* Unit tests for src/migrate/revgraph.c: order, heads and ancestors, and
 * the errors for duplicates, missing parents, cycles and second roots. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/revgraph.h"

static ag_arena A;
static ag_migration M[16];
static size_t NM;

static void
setup(void)
{
    ag_arena_init(&A);
    NM = 0;
}

static void
teardown(void)
{
    ag_arena_destroy(&A);
}

TestSuite(revgraph, .init = setup, .fini = teardown);

/* A revision file rendered and read back; parents "a,b" or "" (created at
 * minute `minute`, so the order of creation is known). */
static void
rev(const char *id, const char *parents, int minute)
{
    const char *plist[4];
    size_t np = 0;
    char copy[64];
    snprintf(copy, sizeof copy, "%s", parents);
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t;
         t = strtok_r(NULL, ",", &save))
        plist[np++] = ag_arena_strdup(&A, t);
    ag_revision_header h = {.id = id, .parents = plist, .nparents = np,
                            .message = id, .created = 1700000000 + 60 * minute};
    ag_buf b;
    ag_buf_init(&b);
    ag_migration_render(&h, "SELECT 1;\n", "SELECT 2;\n", &b);
    char *text = ag_arena_strdup(&A, b.data);
    ag_buf_free(&b);
    char *path = ag_arena_sprintf(&A, "m/%s.sql", id);
    ag_error err = {0};
    cr_assert_eq(ag_migration_parse(path, text, strlen(text), &A, &M[NM], &err), 0,
                 "%s", err.msg);
    NM++;
}

static int
build(ag_revgraph *g, ag_error *err)
{
    return ag_revgraph_build(M, NM, &A, g, err);
}

static const char *
order(const ag_revgraph *g)
{
    static char buf[256];
    buf[0] = '\0';
    for (size_t i = 0; i < g->n; i++) {
        strcat(buf, i ? " " : "");
        strncat(buf, g->revs[i]->id, 4);
    }
    return buf;
}

Test(revgraph, empty_folder_is_an_empty_graph)
{
    ag_revgraph g;
    ag_error err = {0};
    cr_assert_eq(build(&g, &err), 0, "%s", err.msg);
    cr_expect_eq(g.n, 0);
    size_t h;
    cr_expect_eq(ag_revgraph_head(&g, &h, &err), AG_EINVAL);
    cr_expect(strstr(err.msg, "no revisions yet") != NULL, "%s", err.msg);
}

Test(revgraph, chain_in_parent_order_whatever_the_file_order)
{
    /* Read in an order that is neither creation nor dependency order. */
    rev("cccccccccccc", "bbbbbbbbbbbb", 1);
    rev("aaaaaaaaaaaa", "", 3);
    rev("bbbbbbbbbbbb", "aaaaaaaaaaaa", 2);
    ag_revgraph g;
    ag_error err = {0};
    cr_assert_eq(build(&g, &err), 0, "%s", err.msg);
    cr_expect_str_eq(order(&g), "aaaa bbbb cccc");
    cr_expect_eq(g.nheads, 1);
    size_t h;
    cr_assert_eq(ag_revgraph_head(&g, &h, &err), 0);
    cr_expect_str_eq(g.revs[h]->id, "cccccccccccc");

    bool mark[3] = {0};
    ag_revgraph_ancestors(&g, 1, mark);
    cr_expect(mark[0] && mark[1] && !mark[2]);
}

Test(revgraph, branches_and_a_merge)
{
    rev("aaaaaaaaaaaa", "", 0);
    rev("dddddddddddd", "aaaaaaaaaaaa", 2);
    rev("bbbbbbbbbbbb", "aaaaaaaaaaaa", 1);
    ag_revgraph g;
    ag_error err = {0};
    cr_assert_eq(build(&g, &err), 0, "%s", err.msg);
    /* Ready revisions are taken by creation time. */
    cr_expect_str_eq(order(&g), "aaaa bbbb dddd");
    cr_expect_eq(g.nheads, 2);
    size_t h;
    cr_expect_eq(ag_revgraph_head(&g, &h, &err), AG_ECONFLICT);
    cr_expect(strstr(err.msg, "2 heads") != NULL, "%s", err.msg);
    cr_expect(strstr(err.msg, "m/bbbbbbbbbbbb.sql") != NULL, "%s", err.msg);
    cr_expect(strstr(err.msg, "m/dddddddddddd.sql") != NULL, "%s", err.msg);
    cr_expect(strstr(err.msg, "autogen merge -m \"merge heads\"") != NULL, "%s",
              err.msg);

    rev("eeeeeeeeeeee", "dddddddddddd,bbbbbbbbbbbb", 3);
    cr_assert_eq(build(&g, &err), 0, "%s", err.msg);
    cr_expect_eq(g.nheads, 1);
    cr_assert_eq(ag_revgraph_head(&g, &h, &err), 0);
    cr_expect_eq(g.nparents[h], 2);
    cr_expect_eq(g.nchildren[0], 2, "a is a branch point");
}

Test(revgraph, duplicate_id_names_both_files)
{
    rev("aaaaaaaaaaaa", "", 0);
    rev("aaaaaaaaaaaa", "", 1);
    M[1].path = "m/copy.sql";
    ag_revgraph g;
    ag_error err = {0};
    cr_expect_eq(build(&g, &err), AG_ECONFLICT);
    cr_expect(strstr(err.msg, "defined twice") && strstr(err.msg, "m/aaaaaaaaaaaa.sql") &&
                  strstr(err.msg, "m/copy.sql"),
              "%s", err.msg);
}

Test(revgraph, missing_parent_names_the_file_and_the_id)
{
    rev("aaaaaaaaaaaa", "", 0);
    rev("bbbbbbbbbbbb", "ffffffffffff", 1);
    ag_revgraph g;
    ag_error err = {0};
    cr_expect_eq(build(&g, &err), AG_EPARSE);
    cr_expect(strstr(err.msg, "m/bbbbbbbbbbbb.sql") && strstr(err.msg, "ffffffffffff"),
              "%s", err.msg);
}

Test(revgraph, cycle_names_its_members_only)
{
    rev("aaaaaaaaaaaa", "", 0);
    rev("bbbbbbbbbbbb", "cccccccccccc", 1);
    rev("cccccccccccc", "bbbbbbbbbbbb", 2);
    rev("dddddddddddd", "cccccccccccc", 3); /* below the cycle, not on it */
    ag_revgraph g;
    ag_error err = {0};
    cr_expect_eq(build(&g, &err), AG_ECYCLE);
    cr_expect(strstr(err.msg, "m/bbbbbbbbbbbb.sql") && strstr(err.msg, "m/cccccccccccc.sql"),
              "%s", err.msg);
    cr_expect(!strstr(err.msg, "dddddddddddd") && !strstr(err.msg, "aaaaaaaaaaaa"),
              "%s", err.msg);
}

Test(revgraph, second_root_is_an_error)
{
    rev("aaaaaaaaaaaa", "", 0);
    rev("bbbbbbbbbbbb", "", 1);
    ag_revgraph g;
    ag_error err = {0};
    cr_expect_eq(build(&g, &err), AG_ECONFLICT);
    cr_expect(strstr(err.msg, "2 revisions have no parent") != NULL, "%s", err.msg);
    cr_expect(strstr(err.msg, "m/bbbbbbbbbbbb.sql") != NULL, "%s", err.msg);
}

Test(revgraph, find_by_prefix)
{
    rev("abcd00000000", "", 0);
    rev("abcd11111111", "abcd00000000", 1);
    rev("ef0000000000", "abcd11111111", 2);
    ag_revgraph g;
    ag_error err = {0};
    cr_assert_eq(build(&g, &err), 0, "%s", err.msg);
    size_t i;
    cr_expect_eq(ag_revgraph_find(&g, "ef00", &i, &err), 0);
    cr_expect_str_eq(g.revs[i]->id, "ef0000000000");
    cr_expect_eq(ag_revgraph_find(&g, "abcd1", &i, &err), 0);
    cr_expect_str_eq(g.revs[i]->id, "abcd11111111");
    cr_expect_eq(ag_revgraph_find(&g, "abcd", &i, &err), AG_EINVAL);
    cr_expect(strstr(err.msg, "ambiguous") != NULL, "%s", err.msg);
    cr_expect_eq(ag_revgraph_find(&g, "1234", &i, &err), AG_EINVAL);
    cr_expect(strstr(err.msg, "no revision 1234") != NULL, "%s", err.msg);
    cr_expect_eq(ag_revgraph_index(&g, "abcd00000000"), 0);
    cr_expect_eq(ag_revgraph_index(&g, "abcd"), -1);
}

/* A long chain: no recursion limit, and ancestors reach the root. */
Test(revgraph, long_chain)
{
    enum { N = 3000 };
    ag_migration *migs = ag_arena_alloc(&A, sizeof *migs * N);
    for (int i = 0; i < N; i++) {
        char id[13], parent[13];
        snprintf(id, sizeof id, "%012x", i + 1);
        snprintf(parent, sizeof parent, "%012x", i);
        const char *pl[1] = {parent};
        ag_revision_header h = {.id = id, .parents = pl, .nparents = i ? 1 : 0,
                                .message = "m", .created = 1700000000};
        ag_buf b;
        ag_buf_init(&b);
        ag_migration_render(&h, "", "", &b);
        char *text = ag_arena_strdup(&A, b.data);
        ag_buf_free(&b);
        ag_error err = {0};
        cr_assert_eq(ag_migration_parse("x.sql", text, strlen(text), &A, &migs[N - 1 - i],
                                        &err),
                     0, "%s", err.msg);
    }
    ag_revgraph g;
    ag_error err = {0};
    cr_assert_eq(ag_revgraph_build(migs, N, &A, &g, &err), 0, "%s", err.msg);
    cr_expect_str_eq(g.revs[0]->id, "000000000001");
    bool *mark = ag_arena_alloc(&A, N);
    ag_revgraph_ancestors(&g, N - 1, mark);
    for (int i = 0; i < N; i++)
        cr_assert(mark[i], "%d not reached", i);
}
