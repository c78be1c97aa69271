/* Unit tests for partitions and inheritance: the loader's catalog, the
 * canonical key and bound forms, and the differ's and emitter's SQL. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/canon_partition.h"
#include "autogen/diff.h"
#include "autogen/emit.h"
#include "autogen/loader.h"
#include "diag_fixture.h"
#include "load_fixture.h"

static ag_catalog cats[2];
static ag_diag diags[2];

static int
load_into(int which, const char *sql)
{
    return load_sql(&cats[which], sql, NULL, &diags[which]);
}

static int
load(const char *sql)
{
    return load_into(0, sql);
}

static const char *
rendered(void)
{
    return diag_text(&diags[0]);
}

static void
done(void)
{
    for (int i = 0; i < 2; i++) {
        ag_diag_free(&diags[i]);
        ag_catalog_destroy(&cats[i]);
    }
}

/* The upgrade SQL from catalog 0 to catalog 1 (static buffer). */
static const char *
upgrade_sql(int *rc)
{
    static char out[8192];
    ag_plan plan;
    ag_error err = {0};
    *rc = ag_diff(&cats[0], &cats[1], &plan, &err);
    ag_buf b;
    ag_buf_init(&b);
    if (*rc == 0)
        ag_emit_sql(&plan, &b);
    snprintf(out, sizeof out, "%s", *rc ? err.msg : b.data ? b.data : "");
    ag_buf_free(&b);
    ag_plan_free(&plan);
    return out;
}

TestSuite(partition, .fini = done);

static const char events[] =
    "CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, note text)\n"
    "  PARTITION BY RANGE (at);\n";

Test(partition, partition_of_takes_the_parents_columns)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "%sCREATE TABLE events_24 PARTITION OF events\n"
             "  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n",
             events);
    cr_assert_eq(load(sql), 0, "%s", rendered());
    ag_table *p = ag_catalog_table(&cats[0], "public", "events");
    ag_table *c = ag_catalog_table(&cats[0], "public", "events_24");
    cr_assert_str_eq(p->partkey->canon, "RANGE (at)");
    cr_assert_eq(p->npartcols, 1);
    cr_assert_str_eq(p->partcols[0], "at");
    cr_assert_str_eq(c->parent.name, "events");
    cr_assert_str_eq(c->bound->sql,
                     "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
    cr_assert_eq(c->ncols, 3);
    cr_assert_str_eq(c->cols[1].name, "at");
    cr_assert(c->cols[1].inherited);
    cr_assert(c->cols[1].notnull);
}

Test(partition, attach_partition_makes_a_standalone_table_a_partition)
{
    cr_assert_eq(load("CREATE TABLE m (k int NOT NULL) PARTITION BY LIST (k);\n"
                      "CREATE TABLE m1 (k int NOT NULL);\n"
                      "ALTER TABLE ONLY m ATTACH PARTITION m1 "
                      "FOR VALUES IN (1, 2);\n"),
                 0, "%s", rendered());
    ag_table *c = ag_catalog_table(&cats[0], "public", "m1");
    cr_assert_str_eq(c->parent.name, "m");
    cr_assert_str_eq(c->bound->sql, "FOR VALUES IN (1, 2)");
    /* int4 is printed bare, int8 quoted: canon quotes both. */
    cr_assert_str_eq(c->bound->canon, "FOR VALUES IN ('1', '2')");
    cr_assert(!c->cols[0].inherited, "declared by the table itself");
}

Test(partition, server_text_of_a_bound_canonicalises_like_the_model)
{
    ag_catalog_init(&cats[1], "database");
    const ag_expr *a, *b;
    ag_error err;
    cr_assert_eq(
        ag_canon_bound_text(&cats[1], "FOR VALUES IN ('1', '2')", &a, &err), 0,
        "%s", err.msg);
    cr_assert_eq(
        ag_canon_bound_text(&cats[1], "FOR VALUES IN (1, 2)", &b, &err), 0,
        "%s", err.msg);
    cr_assert_str_eq(a->canon, b->canon);
    cr_assert_str_eq(a->sql, "FOR VALUES IN ('1', '2')");
    cr_assert_eq(ag_canon_bound_text(
                     &cats[1], "FOR VALUES FROM (MINVALUE) TO (10)", &a, &err),
                 0, "%s", err.msg);
    cr_assert_str_eq(a->canon, "FOR VALUES FROM (MINVALUE) TO ('10')");
    cr_assert_eq(ag_canon_bound_text(&cats[1], "DEFAULT", &a, &err), 0);
    cr_assert_str_eq(a->canon, "DEFAULT");
    cr_assert_eq(ag_canon_bound_text(&cats[1],
                                     "FOR VALUES WITH (modulus 4, remainder 1)",
                                     &a, &err),
                 0, "%s", err.msg);
    cr_assert_str_eq(a->canon, "FOR VALUES WITH (modulus 4, remainder 1)");
}

static const char *
map_upper(void *ctx, size_t keypos, const char *value)
{
    (void)value;
    *(size_t *)ctx += keypos + 1;
    return "X";
}

Test(partition, bound_map_replaces_string_values_only)
{
    ag_catalog_init(&cats[1], "models");
    const char *canon;
    size_t seen = 0;
    ag_error err;
    cr_assert_eq(ag_canon_bound_map(&cats[1],
                                    "FOR VALUES FROM ('a', 1) TO ('b', 2)",
                                    map_upper, &seen, &canon, &err),
                 0, "%s", err.msg);
    cr_assert_str_eq(canon, "FOR VALUES FROM ('X', '1') TO ('X', '2')");
    cr_assert_eq(seen, 2, "two strings, both at key position 0");
}

Test(partition, partkey_text_and_node_agree)
{
    cr_assert_eq(load("CREATE TABLE t (name text, n int) "
                      "PARTITION BY LIST (lower(name));\n"),
                 0, "%s", rendered());
    ag_table *t = ag_catalog_table(&cats[0], "public", "t");
    ag_catalog_init(&cats[1], "database");
    ag_table *u =
        ag_catalog_add(&cats[1], AG_KIND_TABLE, "public", "t", sizeof *u);
    ag_error err;
    cr_assert_eq(ag_canon_partkey_text(&cats[1], u, "LIST (lower(name))", &err),
                 0, "%s", err.msg);
    cr_assert_str_eq(t->partkey->canon, u->partkey->canon);
    cr_assert_null(u->partcols[0], "an expression, not a column");
    cr_assert_str_eq(u->partkey->sql, "LIST (lower(name))");
}

Test(partition, attached_index_is_part_of_the_parents)
{
    char sql[2048];
    snprintf(
        sql, sizeof sql,
        "%sCREATE TABLE e1 (id bigint NOT NULL, at date NOT NULL, "
        "note text);\n"
        "ALTER TABLE ONLY events ATTACH PARTITION e1 "
        "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
        "ALTER TABLE ONLY events ADD CONSTRAINT events_pkey "
        "PRIMARY KEY (id, at);\n"
        "ALTER TABLE ONLY e1 ADD CONSTRAINT e1_pkey PRIMARY KEY (id, at);\n"
        "CREATE INDEX events_note_idx ON ONLY events (note);\n"
        "CREATE INDEX e1_note_idx ON e1 (note);\n"
        "ALTER INDEX events_note_idx ATTACH PARTITION e1_note_idx;\n"
        "ALTER INDEX events_pkey ATTACH PARTITION e1_pkey;\n",
        events);
    cr_assert_eq(load(sql), 0, "%s", rendered());
    cr_assert_null(
        ag_catalog_find(&cats[0], AG_KIND_INDEX, "public", "e1_note_idx"));
    cr_assert_null(
        ag_catalog_find_constraint(&cats[0], "public", "e1", "e1_pkey"));
    ag_index *x = (ag_index *)ag_catalog_find(&cats[0], AG_KIND_INDEX, "public",
                                              "events_note_idx");
    cr_assert_not_null(x);
    cr_assert_null(strstr(x->def.sql, "ONLY"), "%s", x->def.sql);
}

/* An attached constraint's index is gone from the catalog: attaching it
 * again finds nothing (the lookup of constraints by name must not return
 * one already removed). */
Test(partition, attaching_a_constraint_index_twice_is_an_error)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "%sCREATE TABLE e1 (id bigint NOT NULL, at date NOT NULL);\n"
             "ALTER TABLE ONLY events ATTACH PARTITION e1 "
             "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
             "ALTER TABLE ONLY events ADD CONSTRAINT events_pkey "
             "PRIMARY KEY (id, at);\n"
             "ALTER TABLE ONLY e1 ADD CONSTRAINT e1_pkey PRIMARY KEY (id, "
             "at);\n"
             "ALTER INDEX public.events_pkey ATTACH PARTITION e1_pkey;\n"
             "ALTER INDEX events_pkey ATTACH PARTITION public.e1_pkey;\n",
             events);
    cr_assert_neq(load(sql), 0);
    cr_assert_not_null(strstr(rendered(), "e1_pkey is not declared"), "%s",
                       rendered());
}

Test(partition, attaching_an_undeclared_index_is_an_error)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "%sCREATE INDEX events_note_idx ON ONLY events (note);\n"
             "ALTER INDEX events_note_idx ATTACH PARTITION nowhere_idx;\n",
             events);
    cr_assert_neq(load(sql), 0);
    cr_assert_not_null(strstr(rendered(), "nowhere_idx"), "%s", rendered());
}

Test(partition, partitions_copy_of_a_parent_check_is_the_parents)
{
    cr_assert_eq(
        load("CREATE TABLE m (k int, CONSTRAINT k_pos CHECK (k > 0))"
             " PARTITION BY LIST (k);\n"
             "CREATE TABLE m1 (k int, CONSTRAINT k_pos CHECK (k > 0),"
             " CONSTRAINT own CHECK (k < 9));\n"
             "ALTER TABLE ONLY m ATTACH PARTITION m1 FOR VALUES IN (1);\n"),
        0, "%s", rendered());
    cr_assert_not_null(
        ag_catalog_find_constraint(&cats[0], "public", "m", "k_pos"));
    cr_assert_null(
        ag_catalog_find_constraint(&cats[0], "public", "m1", "k_pos"));
    cr_assert_not_null(
        ag_catalog_find_constraint(&cats[0], "public", "m1", "own"));
}

Test(partition, partition_of_an_undeclared_table_is_an_error)
{
    cr_assert_neq(load("CREATE TABLE c PARTITION OF nope DEFAULT;\n"), 0);
    cr_assert_not_null(strstr(rendered(), "nope"), "%s", rendered());
}

Test(partition, inherits_merges_columns_as_postgresql_does)
{
    cr_assert_eq(load("CREATE TABLE a (id int NOT NULL, x text);\n"
                      "CREATE TABLE b (id int, y text);\n"
                      "CREATE TABLE c (z int, x text DEFAULT 'q') "
                      "INHERITS (a, b);\n"),
                 0, "%s", rendered());
    ag_table *c = ag_catalog_table(&cats[0], "public", "c");
    cr_assert_eq(c->ninherits, 2);
    cr_assert_str_eq(c->inherits[0].name, "a");
    cr_assert_str_eq(c->inherits[1].name, "b");
    const char *order[] = {"id", "x", "y", "z"};
    bool inherited[] = {true, false, true, false};
    cr_assert_eq(c->ncols, 4);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_str_eq(c->cols[i].name, order[i]);
        cr_expect_eq(c->cols[i].inherited, inherited[i], "%s", order[i]);
    }
    cr_assert(c->cols[0].notnull, "NOT NULL comes from a");
    cr_assert_not_null(c->cols[1].default_expr, "the child's own default");
}

Test(partition, new_partition_is_created_as_partition_of)
{
    cr_assert_eq(load(events), 0, "%s", rendered());
    char sql[1024];
    snprintf(sql, sizeof sql,
             "%sCREATE TABLE e2 PARTITION OF events "
             "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\n",
             events);
    cr_assert_eq(load_into(1, sql), 0);
    int rc;
    const char *up = upgrade_sql(&rc);
    cr_assert_eq(rc, 0, "%s", up);
    cr_assert_not_null(strstr(up, "CREATE TABLE public.e2 PARTITION OF "
                                  "public.events FOR VALUES FROM "
                                  "('2025-01-01') TO ('2026-01-01');"),
                       "%s", up);
    cr_assert_null(strstr(up, "bigint"), "no column list: %s", up);
}

Test(partition, changed_bound_is_detach_then_attach)
{
    char a[1024], b[1024];
    snprintf(a, sizeof a,
             "%sCREATE TABLE e2 PARTITION OF events FOR VALUES FROM "
             "('2025-01-01') TO ('2026-01-01');\n",
             events);
    snprintf(b, sizeof b,
             "%sCREATE TABLE e2 PARTITION OF events FOR VALUES FROM "
             "('2025-01-01') TO ('2027-01-01');\n",
             events);
    cr_assert_eq(load_into(0, a), 0);
    cr_assert_eq(load_into(1, b), 0);
    int rc;
    const char *up = upgrade_sql(&rc);
    cr_assert_eq(rc, 0, "%s", up);
    const char *d = strstr(up, "ALTER TABLE public.events DETACH PARTITION "
                               "public.e2;");
    const char *t = strstr(up, "ALTER TABLE public.events ATTACH PARTITION "
                               "public.e2 FOR VALUES FROM ('2025-01-01') TO "
                               "('2027-01-01');");
    cr_assert(d && t && d < t, "%s", up);
    cr_assert_not_null(strstr(up, "access-exclusive-lock"), "%s", up);
}

Test(partition, changed_partition_key_is_refused)
{
    cr_assert_eq(load_into(0, events), 0);
    cr_assert_eq(load_into(1, "CREATE TABLE events (id bigint NOT NULL, "
                              "at date NOT NULL, note text) "
                              "PARTITION BY HASH (id);\n"),
                 0);
    int rc;
    const char *msg = upgrade_sql(&rc);
    cr_assert_neq(rc, 0);
    cr_assert_not_null(strstr(msg, "HASH (id)"), "%s", msg);
}

Test(partition, dropped_parent_takes_its_partitions)
{
    char a[1024];
    snprintf(a, sizeof a,
             "%sCREATE TABLE e2 PARTITION OF events FOR VALUES FROM "
             "('2025-01-01') TO ('2026-01-01');\n",
             events);
    cr_assert_eq(load_into(0, a), 0);
    cr_assert_eq(load_into(1, "CREATE TABLE other (id int);\n"), 0);
    int rc;
    const char *up = upgrade_sql(&rc);
    cr_assert_eq(rc, 0, "%s", up);
    cr_assert_not_null(strstr(up, "DROP TABLE public.events;"), "%s", up);
    cr_assert_null(strstr(up, "DROP TABLE public.e2;"), "%s", up);
}

Test(partition, inheritance_child_lists_only_its_own_columns)
{
    cr_assert_eq(load_into(0, "CREATE TABLE a (id int, x text);\n"), 0);
    cr_assert_eq(load_into(1, "CREATE TABLE a (id int, x text);\n"
                              "CREATE TABLE c (z int) INHERITS (a);\n"),
                 0);
    int rc;
    const char *up = upgrade_sql(&rc);
    cr_assert_eq(rc, 0, "%s", up);
    cr_assert_not_null(strstr(up, "CREATE TABLE public.c (\n    z integer\n)"
                                  "\nINHERITS (public.a);"),
                       "%s", up);
}
