/*
 * diff_parts.c - partitions and table inheritance.
 *
 * df_tables has already created and dropped tables (a new partition is
 * created as PARTITION OF its parent, a new child with INHERITS); this pass
 * adds what changes on kept tables and the order between parents and
 * children:
 *   - a table that becomes a partition is attached, one that stops being
 *     one is detached; a changed bound is a detach and an attach;
 *   - INHERIT / NO INHERIT for changed inheritance parents;
 *   - a parent is created before its children, and its children are
 *     dropped before it (DROP TABLE on a partitioned table takes its
 *     partitions along, and on an inheritance parent fails while children
 *     remain).
 * A changed partition key cannot be altered: PostgreSQL has no ALTER for
 * it, and re-creating the table would drop every partition and its rows,
 * so the differ refuses and says so.
 */
#include "diff_int.h"

#include <string.h>

bool
df_columns_inherited(const ag_table *ft, const ag_table *tt)
{
    return (ft && ft->parent.name) || (tt && tt->parent.name);
}

static bool
qname_eq(const ag_qname *a, const ag_qname *b)
{
    if (!a->name || !b->name)
        return a->name == b->name;
    return strcmp(a->schema, b->schema) == 0 && strcmp(a->name, b->name) == 0;
}

static bool
has_parent(const ag_table *t, const ag_qname *q)
{
    for (size_t i = 0; i < t->ninherits; i++)
        if (qname_eq(&t->inherits[i], q))
            return true;
    return false;
}

static ag_op *
parent_op(df_ctx *c, ag_op_type type, int prio, const ag_table *ft,
          const ag_table *tt, const ag_qname *parent)
{
    const ag_table *t = tt ? tt : ft;
    ag_op *op = df_new_op(c, type, prio, AG_KIND_TABLE, t->obj.name.schema,
                          t->obj.name.name, NULL);
    op->from_obj = ft ? &ft->obj : NULL;
    op->to_obj = tt ? &tt->obj : NULL;
    op->parent = *parent;
    return op;
}

static void
partition_changes(df_ctx *c, const ag_table *ft, const ag_table *tt)
{
    const char *qn = df_qn(c, tt->obj.name.schema, tt->obj.name.name);
    bool fkey = ft->partkey != NULL, tkey = tt->partkey != NULL;
    if (fkey != tkey ||
        (fkey && strcmp(ft->partkey->canon, tt->partkey->canon) != 0)) {
        c->fail = ag_arena_sprintf(
            &c->plan->arena,
            "table %s: partitioning changes from %s to %s; PostgreSQL cannot "
            "alter a partition key and re-creating the table would drop its "
            "partitions and rows: create a new table and move the data in a "
            "hand-written migration",
            qn, fkey ? ft->partkey->sql : "none",
            tkey ? tt->partkey->sql : "none");
        return;
    }
    bool same_parent = qname_eq(&ft->parent, &tt->parent);
    bool same_bound =
        same_parent &&
        (!ft->parent.name || strcmp(ft->bound->canon, tt->bound->canon) == 0);
    if (same_bound)
        return;
    if (ft->parent.name) {
        ag_op *op =
            parent_op(c, AG_OP_DETACH_PARTITION, P_DETACH, ft, tt, &ft->parent);
        if (same_parent)
            op->note = "its bound changes";
    }
    if (tt->parent.name) {
        ag_op *op =
            parent_op(c, AG_OP_ATTACH_PARTITION, P_ATTACH, ft, tt, &tt->parent);
        if (same_parent)
            op->note = "with its new bound";
        df_hazard(c, op, AG_HAZARD_ACCESS_EXCLUSIVE_LOCK,
                  "ATTACH PARTITION scans %s to check its rows against the "
                  "bound (and a default partition's rows against it)",
                  qn);
    }
}

static void
inherit_changes(df_ctx *c, const ag_table *ft, const ag_table *tt)
{
    for (size_t i = 0; i < ft->ninherits; i++)
        if (!has_parent(tt, &ft->inherits[i]))
            parent_op(c, AG_OP_DROP_INHERIT, P_DETACH, ft, tt,
                      &ft->inherits[i]);
    for (size_t i = 0; i < tt->ninherits; i++)
        if (!has_parent(ft, &tt->inherits[i]))
            parent_op(c, AG_OP_ADD_INHERIT, P_ATTACH, ft, tt, &tt->inherits[i]);
}

/* The CREATE TABLE / DROP TABLE op of every table, by catalog id. */
typedef struct table_ops {
    ag_op **create; /* by to id - 1 */
    ag_op **drop;   /* by from id - 1 */
} table_ops;

static table_ops
collect_table_ops(df_ctx *c)
{
    table_ops t;
    t.create =
        ag_arena_alloc(&c->plan->arena, (c->to->nobjs + 1) * sizeof *t.create);
    t.drop =
        ag_arena_alloc(&c->plan->arena, (c->from->nobjs + 1) * sizeof *t.drop);
    for (size_t i = 0; i < c->nops; i++) {
        ag_op *op = c->ops[i];
        if (op->type == AG_OP_CREATE_TABLE)
            t.create[op->to_obj->id - 1] = op;
        else if (op->type == AG_OP_DROP_TABLE)
            t.drop[op->from_obj->id - 1] = op;
    }
    return t;
}

/* Edges between a child's op and its parent's (either may be absent). */
static void
order_parent(df_ctx *c, const table_ops *t, const ag_table *child,
             const ag_qname *parent, bool creating)
{
    const ag_catalog *cat = creating ? c->to : c->from;
    const ag_table *p = ag_catalog_table(cat, parent->schema, parent->name);
    if (!p)
        return;
    if (creating) {
        ag_op *pc = t->create[p->obj.id - 1],
              *cc = t->create[child->obj.id - 1];
        if (pc && cc)
            df_edge(c, pc, cc);
    } else {
        ag_op *pd = t->drop[p->obj.id - 1], *cd = t->drop[child->obj.id - 1];
        if (pd && cd)
            df_edge(c, cd, pd);
    }
}

static void
order_tables(df_ctx *c, const ag_catalog *cat, const table_ops *t,
             bool creating)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(cat, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_table *tbl = (const ag_table *)list[i];
        if (tbl->parent.name)
            order_parent(c, t, tbl, &tbl->parent, creating);
        for (size_t k = 0; k < tbl->ninherits; k++)
            order_parent(c, t, tbl, &tbl->inherits[k], creating);
    }
}

/* Does a foreign key of `from` reference `parent` or a table above it? */
static bool
referenced_above(const ag_catalog *from, const ag_qname *parent)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(from, AG_KIND_CONSTRAINT, &list);
    for (const ag_table *p =
             ag_catalog_table(from, parent->schema, parent->name);
         p; p = p->parent.name
                    ? ag_catalog_table(from, p->parent.schema, p->parent.name)
                    : NULL)
        for (size_t i = 0; i < n; i++) {
            const ag_constraint *k = (const ag_constraint *)list[i];
            if (k->type == AG_CON_FOREIGN &&
                strcmp(k->ref_table.schema, p->obj.name.schema) == 0 &&
                strcmp(k->ref_table.name, p->obj.name.name) == 0)
                return true;
        }
    return false;
}

/* A partition dropped from a kept parent that foreign keys reference
 * (PostgREST's car_models): each foreign key has a clone referencing the
 * partition, and DROP TABLE fails on it ("constraint ... depends on table
 * car_models_2022"); DETACH PARTITION removes the clones first. */
static void
detach_before_drop(df_ctx *c, const table_ops *t)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_table *ft = (const ag_table *)list[i];
        ag_op *drop = t->drop[ft->obj.id - 1];
        if (!drop || !ft->parent.name ||
            df_table_dropped(c, ft->parent.schema, ft->parent.name) ||
            !referenced_above(c->from, &ft->parent))
            continue;
        ag_op *op = parent_op(c, AG_OP_DETACH_PARTITION, P_DETACH, ft, NULL,
                              &ft->parent);
        op->note = "before it is dropped: foreign keys reference its parent";
        df_edge(c, op, drop);
    }
}

void
df_partitions(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_table *ft = (const ag_table *)list[i];
        const ag_table *tt = df_dtable(c, ft)->to;
        if (!tt)
            continue;
        partition_changes(c, ft, tt);
        inherit_changes(c, ft, tt);
    }
    table_ops t = collect_table_ops(c);
    order_tables(c, c->to, &t, true);
    order_tables(c, c->from, &t, false);
    detach_before_drop(c, &t);
}
