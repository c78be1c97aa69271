/*
 * load_partition.c - partitioned tables, partitions and inheritance in the
 * models: PARTITION BY, PARTITION OF, INHERITS, ALTER TABLE ... ATTACH
 * PARTITION and ALTER INDEX ... ATTACH PARTITION.
 *
 * Parents may be declared in a later file, so a PARTITION OF or INHERITS
 * table is finished in ld_resolve (PEND_INHERIT, before ALTER TABLE is
 * applied: pg_dump alters inherited columns of children with ALTER TABLE
 * ONLY child).  Its columns are then merged as PostgreSQL merges them:
 * the parents' columns first, marked inherited, a column the child also
 * declares becomes local; the child's other columns follow.
 *
 * An index attached to a parent's index (ALTER INDEX ... ATTACH PARTITION)
 * is part of the parent's index from then on and stops being an object of
 * its own; a PRIMARY KEY / UNIQUE index attached that way takes its
 * constraint with it (PostgreSQL marks the constraint as the parent's).
 */
#include <stdlib.h>
#include <string.h>

#include "autogen/canon_partition.h"
#include "loader_int.h"

static void
push(ag_loader *ld, const ld_pending *q)
{
    if (ld->npend == ld->cappend) {
        ld->cappend = ld->cappend ? ld->cappend * 2 : 256;
        ld->pend = ag_xrealloc(ld->pend, ld->cappend * sizeof *ld->pend);
    }
    ld->pend[ld->npend++] = *q;
}

void
ld_partitioning(ag_loader *ld, ld_pos pos, ag_table *tbl,
                PgQuery__CreateStmt *s)
{
    ag_error err;
    if (s->partspec &&
        ag_canon_partkey_node(ld->cat, ld_ast(ld, pos), s->partspec, tbl, &err))
        ld_error(ld, pos, "partition key of %s: %s", tbl->obj.name.name,
                 err.msg);
    if (s->partbound && ag_canon_bound_node(ld->cat, ld_ast(ld, pos),
                                            s->partbound, &tbl->bound, &err))
        ld_error(ld, pos, "partition bound of %s: %s", tbl->obj.name.name,
                 err.msg);
    if (s->n_inh_relations)
        ld_defer(ld, PEND_INHERIT, pos, tbl, NULL, s, 0);
}

/* A copy of parent column pc, as the child inherits it. */
static ag_column
inherited_column(const ag_column *pc)
{
    ag_column c = *pc;
    c.inherited = true;
    c.comment = NULL;
    c.renamed_from = NULL;
    /* Identity is not inherited (PostgreSQL 15); a serial's default is. */
    c.identity = '\0';
    memset(&c.ident, 0, sizeof c.ident);
    return c;
}

void
ld_resolve_inherit(ag_loader *ld, const ld_pending *p)
{
    PgQuery__CreateStmt *s = p->node;
    ag_table *tbl = p->tbl;
    ag_table **parents =
        ag_arena_alloc(&ld->cat->arena, s->n_inh_relations * sizeof *parents);
    for (size_t i = 0; i < s->n_inh_relations; i++) {
        const PgQuery__RangeVar *rv = s->inh_relations[i]->range_var;
        parents[i] = ld_find_table_rv(ld, &p->path, rv);
        if (!parents[i]) {
            ld_error(ld, p->pos,
                     "table %s %s %s, which the models do not "
                     "declare",
                     tbl->obj.name.name,
                     s->partbound ? "is a partition of" : "inherits from",
                     rv->relname);
            return;
        }
        if (parents[i] == tbl) {
            ld_error(ld, p->pos, "table %s cannot inherit from itself",
                     tbl->obj.name.name);
            return;
        }
    }
    if (s->partbound) {
        if (!parents[0]->partkey) {
            ld_error(ld, p->pos, "%s.%s is not partitioned",
                     parents[0]->obj.name.schema, parents[0]->obj.name.name);
            return;
        }
        tbl->parent = parents[0]->obj.name;
    } else {
        tbl->ninherits = s->n_inh_relations;
        tbl->inherits = ag_arena_alloc(&ld->cat->arena,
                                       tbl->ninherits * sizeof *tbl->inherits);
        for (size_t i = 0; i < tbl->ninherits; i++)
            tbl->inherits[i] = parents[i]->obj.name;
    }
    /* Rebuild the column list: inherited first, in parent order. */
    ag_column *own = tbl->cols;
    size_t nown = tbl->ncols;
    bool *used = ag_arena_alloc(&ld->cat->arena, (nown + 1) * sizeof *used);
    tbl->cols = NULL;
    tbl->ncols = 0;
    tbl->capcols = 0;
    for (size_t i = 0; i < s->n_inh_relations; i++)
        for (size_t j = 0; j < parents[i]->ncols; j++) {
            const ag_column *pc = &parents[i]->cols[j];
            ag_column *have = ag_table_column(tbl, pc->name);
            if (have) { /* from two parents: one column */
                have->notnull = have->notnull || pc->notnull;
                continue;
            }
            ag_column c = inherited_column(pc);
            for (size_t k = 0; k < nown; k++)
                if (strcmp(own[k].name, pc->name) == 0) {
                    used[k] = true;
                    c = own[k];
                    c.notnull = c.notnull || pc->notnull;
                    if (!c.default_expr)
                        c.default_expr = pc->default_expr;
                }
            ag_table_add_column(ld->cat, tbl, &c);
        }
    for (size_t k = 0; k < nown; k++)
        if (!used[k])
            ag_table_add_column(ld->cat, tbl, &own[k]);
}

void
ld_attach_partition(ag_loader *ld, const ld_pending *p, ag_table *parent,
                    PgQuery__PartitionCmd *pc)
{
    ag_table *child = ld_find_table_rv(ld, &p->path, pc->name);
    if (!child) {
        ld_error(ld, p->pos,
                 "ATTACH PARTITION of %s, which the models do not declare",
                 pc->name->relname);
        return;
    }
    if (!parent->partkey) {
        ld_error(ld, p->pos, "%s.%s is not partitioned",
                 parent->obj.name.schema, parent->obj.name.name);
        return;
    }
    if (child->parent.name) {
        ld_error(ld, p->pos, "%s.%s is already a partition of %s.%s",
                 child->obj.name.schema, child->obj.name.name,
                 child->parent.schema, child->parent.name);
        return;
    }
    ag_error err;
    if (ag_canon_bound_node(ld->cat, ld_ast(ld, p->pos), pc->bound,
                            &child->bound, &err)) {
        ld_error(ld, p->pos, "partition bound of %s: %s", child->obj.name.name,
                 err.msg);
        return;
    }
    child->parent = parent->obj.name;
}

bool
ld_alter_index_attach(ag_loader *ld, const ld_pending *p)
{
    PgQuery__AlterTableStmt *s = p->node;
    if (s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_INDEX || s->n_cmds != 1 ||
        s->cmds[0]->alter_table_cmd->subtype !=
            PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition)
        return false;
    ld_pending q = *p;
    q.kind = PEND_INDEX_ATTACH;
    push(ld, &q);
    return true;
}

/* The constraints that own an index (PRIMARY KEY, UNIQUE, EXCLUDE), sorted
 * by (schema, name), then id: an ATTACH PARTITION may name one by its
 * index's name, and scanning every object per ATTACH was quadratic
 * (GitLab has 1,865 of them).  Index names are unique per schema, so one
 * (schema, name) has at most one such constraint. */
typedef struct conindex {
    ag_object **cons;
    size_t n;
} conindex;

static int
cmp_con(const void *a, const void *b)
{
    const ag_object *x = *(ag_object *const *)a, *y = *(ag_object *const *)b;
    int c = strcmp(x->name.schema, y->name.schema);
    if (c == 0)
        c = strcmp(x->name.name, y->name.name);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void
conindex_build(conindex *ci, const ag_catalog *cat)
{
    ci->cons = ag_xmalloc((cat->nobjs + 1) * sizeof *ci->cons);
    ci->n = 0;
    for (size_t i = 0; i < cat->nobjs; i++) {
        ag_object *k = cat->objs[i];
        if (k && k->kind == AG_KIND_CONSTRAINT &&
            ((ag_constraint *)k)->type != AG_CON_CHECK &&
            ((ag_constraint *)k)->type != AG_CON_FOREIGN)
            ci->cons[ci->n++] = k;
    }
    qsort(ci->cons, ci->n, sizeof *ci->cons, cmp_con);
}

/* The index or index-backed constraint named (schema, name) that is
 * still in the catalog (attaching removes the child). */
static ag_object *
find_index_like(ag_loader *ld, const conindex *ci, const char *schema,
                const char *name)
{
    ag_object *o = ag_catalog_find(ld->cat, AG_KIND_INDEX, schema, name);
    if (o)
        return o;
    size_t lo = 0, hi = ci->n;
    while (lo < hi) { /* the first entry not below (schema, name) */
        size_t mid = lo + (hi - lo) / 2;
        const ag_object *k = ci->cons[mid];
        int c = strcmp(k->name.schema, schema);
        if (c == 0)
            c = strcmp(k->name.name, name);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < ci->n; i++) {
        ag_object *k = ci->cons[i];
        if (strcmp(k->name.schema, schema) != 0 ||
            strcmp(k->name.name, name) != 0)
            break;
        if (ld->cat->objs[k->id - 1] == k)
            return k;
    }
    return NULL;
}

static ag_object *
lookup(ag_loader *ld, const conindex *ci, const ld_search_path *path,
       const PgQuery__RangeVar *rv)
{
    if (rv->schemaname && *rv->schemaname)
        return find_index_like(ld, ci, rv->schemaname, rv->relname);
    for (size_t i = 0; i < path->n; i++) {
        ag_object *o = find_index_like(ld, ci, path->schemas[i], rv->relname);
        if (o)
            return o;
    }
    return NULL;
}

static void
resolve_index_attach(ag_loader *ld, const conindex *ci, const ld_pending *p)
{
    PgQuery__AlterTableStmt *s = p->node;
    PgQuery__PartitionCmd *pc = s->cmds[0]->alter_table_cmd->def->partition_cmd;
    const PgQuery__RangeVar *prv = s->relation;
    if (!lookup(ld, ci, &p->path, prv)) {
        ld_error(ld, p->pos, "index %s is not declared in the models",
                 prv->relname);
        return;
    }
    ag_object *child = lookup(ld, ci, &p->path, pc->name);
    if (!child) {
        ld_error(ld, p->pos, "index %s is not declared in the models",
                 pc->name->relname);
        return;
    }
    ag_catalog_remove(ld->cat, child);
}

void
ld_resolve_index_attaches(ag_loader *ld, ld_pending *const *order, size_t n)
{
    conindex ci;
    conindex_build(&ci, ld->cat);
    for (size_t i = 0; i < n; i++)
        if (order[i]->kind == PEND_INDEX_ATTACH)
            resolve_index_attach(ld, &ci, order[i]);
    free(ci.cons);
}

/*
 * A partition's CHECK constraint named like one of its parent's is the
 * parent's: ATTACH PARTITION merges the two and the partition's copy stops
 * being local (pg_dump writes it in the partition's CREATE TABLE so that
 * the ATTACH can skip its validation scan).  Collected first, removed
 * after, so a sub-partition still finds its parent's copy.
 */
void
ld_resolve_partition_checks(ag_loader *ld)
{
    ag_object **drop = NULL;
    size_t n = 0;
    for (size_t i = 0; i < ld->cat->nobjs; i++) {
        ag_object *o = ld->cat->objs[i];
        if (!o || o->kind != AG_KIND_CONSTRAINT)
            continue;
        ag_constraint *k = (ag_constraint *)o;
        if (k->type != AG_CON_CHECK)
            continue;
        ag_table *t = ag_catalog_table(ld->cat, o->name.schema, k->table);
        if (!t || !t->parent.name ||
            !ag_catalog_find_constraint(ld->cat, t->parent.schema,
                                        t->parent.name, o->name.name))
            continue;
        drop = ag_xrealloc(drop, (n + 1) * sizeof *drop);
        drop[n++] = o;
    }
    for (size_t i = 0; i < n; i++)
        ag_catalog_remove(ld->cat, drop[i]);
    free(drop);
}
