/*
 * diff_cons.c - table constraints and stand-alone indexes.
 *
 * First every constraint and index of the current catalog gets a fate:
 * kept, dropped by its own op, gone implicitly with its table or column
 * (PostgreSQL drops those for us and an explicit DROP would fail), or
 * re-created (definition changed, its column is re-added, or - for an FK -
 * the key it references is dropped or re-created, because PostgreSQL will
 * not drop a key that an FK still uses).  Then the ops follow from the
 * fates: explicit drops early (FKs first), adds late (FKs last, after every
 * table exists, so tables may reference each other).  Non-FK constraints of
 * a new table are written inside its CREATE TABLE (diff_table.c).
 */
#include "diff_int.h"

#include <stdlib.h>
#include <string.h>

#include "autogen/toposort.h"

/* Keys (primary key, unique constraint, unique index) per from table. */
typedef struct keylist {
    const ag_object **objs;
    size_t n;
} keylist;

typedef struct cctx {
    df_ctx *c;
    keylist *keys; /* by from table id - 1 */
} cctx;

static bool
same_set(const char **a, size_t na, const char **b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        bool found = false;
        for (size_t j = 0; j < nb && !found; j++)
            found = strcmp(a[i], b[j]) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* Worst fate among the columns: C_DROP beats C_REPLACE beats C_KEEP. */
static df_colfate
cols_fate(df_ctx *c, const char *schema, const char *table, const char **cols,
          size_t n)
{
    df_colfate worst = C_KEEP;
    for (size_t i = 0; i < n; i++) {
        df_colfate f = df_column_fate(c, schema, table, cols[i]);
        if (f == C_DROP)
            return C_DROP;
        if (f == C_REPLACE)
            worst = C_REPLACE;
    }
    return worst;
}

static df_fate *
fate_of(df_ctx *c, const ag_object *o)
{
    return &c->fates[o->id - 1];
}

/* Fate of a non-FK constraint or an index; counterpart = same name in to. */
static df_fate
plain_fate(df_ctx *c, const ag_object *o, const char *table, const char **cols,
           size_t ncols, const ag_object *counterpart, const char *ctable,
           const char *canon, const char *ccanon)
{
    const char *schema = o->name.schema;
    if (df_table_dropped(c, schema, table) || df_view_gone(c, schema, table))
        return F_IMPLICIT; /* a matview's index goes with it */
    df_colfate cf = cols_fate(c, schema, table, cols, ncols);
    if (cf == C_DROP)
        return F_IMPLICIT;
    if (!counterpart)
        return F_DROP;
    if (cf == C_REPLACE ||
        strcmp(df_to_table_name(c, schema, table), ctable) != 0 ||
        strcmp(canon, ccanon) != 0)
        return F_RECREATE;
    return F_KEEP;
}

static void
collect_keys(cctx *cc)
{
    df_ctx *c = cc->c;
    ag_arena *ar = &c->plan->arena;
    cc->keys = ag_arena_alloc(ar, (c->from->nobjs + 1) * sizeof *cc->keys);
    ag_object *const *list;
    for (int kind = AG_KIND_CONSTRAINT; kind <= AG_KIND_INDEX; kind++) {
        size_t n = ag_catalog_list(c->from, (ag_kind)kind, &list);
        for (size_t i = 0; i < n; i++) {
            const char *table;
            if (kind == AG_KIND_CONSTRAINT) {
                const ag_constraint *k = (const ag_constraint *)list[i];
                if (k->type != AG_CON_PRIMARY && k->type != AG_CON_UNIQUE)
                    continue;
                table = k->table;
            } else {
                const ag_index *x = (const ag_index *)list[i];
                if (!x->unique)
                    continue;
                table = x->table;
            }
            const ag_table *t = df_from_table(c, list[i]->name.schema, table);
            if (!t)
                continue;
            keylist *kl = &cc->keys[t->obj.id - 1];
            kl->objs = ag_arena_grow(ar, kl->objs, kl->n, sizeof *kl->objs);
            kl->objs[kl->n++] = list[i];
        }
    }
}

/* Does the key an FK references go away or get re-created? */
static bool
key_changes(cctx *cc, const ag_constraint *f)
{
    df_ctx *c = cc->c;
    const ag_table *r =
        df_from_table(c, f->ref_table.schema, f->ref_table.name);
    if (!r)
        return false;
    if (cols_fate(c, f->ref_table.schema, f->ref_table.name, f->ref_cols,
                  f->nref_cols) != C_KEEP)
        return true;
    const keylist *kl = &cc->keys[r->obj.id - 1];
    for (size_t i = 0; i < kl->n; i++) {
        const ag_object *o = kl->objs[i];
        const char **cols;
        size_t ncols;
        if (o->kind == AG_KIND_CONSTRAINT) {
            cols = ((const ag_constraint *)o)->cols;
            ncols = ((const ag_constraint *)o)->ncols;
        } else {
            cols = ((const ag_index *)o)->cols;
            ncols = ((const ag_index *)o)->ncols;
        }
        if (same_set(cols, ncols, f->ref_cols, f->nref_cols) &&
            *fate_of(c, o) != F_KEEP)
            return true;
    }
    return false;
}

static df_fate
fk_fate(cctx *cc, const ag_constraint *f, const ag_constraint *to, bool *forced)
{
    df_ctx *c = cc->c;
    const char *schema = f->obj.name.schema;
    bool self = strcmp(schema, f->ref_table.schema) == 0 &&
                strcmp(f->table, f->ref_table.name) == 0;
    *forced = false;
    if (df_table_dropped(c, schema, f->table)) {
        /* It goes with its table at DROP TABLE time, unless its key goes
         * earlier: then it must go first. */
        if (self || df_table_dropped(c, f->ref_table.schema, f->ref_table.name))
            return F_IMPLICIT;
        return key_changes(cc, f) ? F_DROP : F_IMPLICIT;
    }
    df_colfate cf = cols_fate(c, schema, f->table, f->cols, f->ncols);
    if (cf == C_DROP)
        return key_changes(cc, f) ? F_DROP : F_IMPLICIT;
    if (!to)
        return F_DROP;
    if (cf == C_REPLACE || strcmp(f->table, to->table) != 0 ||
        to->type != f->type || strcmp(f->def.canon, to->def.canon) != 0)
        return F_RECREATE;
    if (key_changes(cc, f)) {
        *forced = true;
        return F_RECREATE;
    }
    return F_KEEP;
}

/* Two dropped tables where one references the other: the referencing one
 * goes first.  A cycle of such references is broken by dropping the FKs
 * of one link explicitly beforehand; the toposort over the dropped tables
 * (numbered densely) finds the cycles one at a time. */
static void
order_dropped_tables(cctx *cc, ag_op **drop_ops)
{
    df_ctx *c = cc->c;
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_CONSTRAINT, &list);
    size_t cap = 0, nfk = 0;
    const ag_constraint **fks = NULL;
    size_t *fs = NULL, *fr = NULL; /* per FK: dense numbers of S and R */
    size_t *dense = ag_xcalloc(c->from->nobjs + 1, sizeof *dense);
    ag_op **ops = NULL;
    size_t nt = 0;
    for (size_t i = 0; i < n; i++) {
        const ag_constraint *f = (const ag_constraint *)list[i];
        if (f->type != AG_CON_FOREIGN || *fate_of(c, &f->obj) != F_IMPLICIT)
            continue;
        const ag_table *s = df_from_table(c, f->obj.name.schema, f->table);
        const ag_table *r =
            df_from_table(c, f->ref_table.schema, f->ref_table.name);
        if (!s || !r || s == r || !drop_ops[s->obj.id - 1] ||
            !drop_ops[r->obj.id - 1])
            continue;
        if (nfk == cap) {
            cap = cap ? cap * 2 : 16;
            fks = ag_xrealloc(fks, cap * sizeof *fks);
            fs = ag_xrealloc(fs, cap * sizeof *fs);
            fr = ag_xrealloc(fr, cap * sizeof *fr);
            ops = ag_xrealloc(ops, 2 * cap * sizeof *ops);
        }
        const ag_table *ends[2] = {s, r};
        for (int e = 0; e < 2; e++)
            if (!dense[ends[e]->obj.id]) {
                ops[nt] = drop_ops[ends[e]->obj.id - 1];
                dense[ends[e]->obj.id] = ++nt;
            }
        fks[nfk] = f;
        fs[nfk] = dense[s->obj.id] - 1;
        fr[nfk++] = dense[r->obj.id] - 1;
    }
    size_t *ef = ag_xmalloc((nfk + 1) * sizeof *ef);
    size_t *et = ag_xmalloc((nfk + 1) * sizeof *et);
    size_t *order = ag_xmalloc((nt + 1) * sizeof *order);
    while (nfk) {
        size_t k = 0;
        for (size_t i = 0; i < nfk; i++)
            if (*fate_of(c, &fks[i]->obj) == F_IMPLICIT) {
                ef[k] = fs[i];
                et[k++] = fr[i];
            }
        size_t *cycle = NULL, ncycle = 0;
        if (ag_toposort(nt, NULL, ef, et, k, order, &cycle, &ncycle, NULL) ==
            0) {
            for (size_t i = 0; i < k; i++)
                df_edge(c, ops[ef[i]], ops[et[i]]);
            break;
        }
        /* cycle[0] references cycle[1]: drop those FKs first.  There is
         * always at least one (the edge came from it). */
        bool broke = false;
        for (size_t i = 0; i < nfk; i++)
            if (fs[i] == cycle[0] && fr[i] == cycle[1 % ncycle] &&
                *fate_of(c, &fks[i]->obj) == F_IMPLICIT) {
                *fate_of(c, &fks[i]->obj) = F_DROP;
                broke = true;
            }
        free(cycle);
        if (!broke)
            break;
    }
    free(order);
    free(et);
    free(ef);
    free(ops);
    free(fr);
    free(fs);
    free(fks);
    free(dense);
}

static const char *
drop_note(df_ctx *c, const ag_object *o, const char *table, df_fate f,
          bool forced, bool col_replaced)
{
    if (f == F_RECREATE)
        return forced ? "re-created: the key it references is re-created"
               : col_replaced ? "re-created: its column is re-added"
                              : "re-created: definition changed";
    if (o->kind == AG_KIND_CONSTRAINT &&
        df_table_dropped(c, o->name.schema, table))
        return "dropped before its table: what it references goes first";
    return NULL;
}

static void
drop_ops_for(cctx *cc, bool *forced)
{
    df_ctx *c = cc->c;
    ag_object *const *list;
    for (int kind = AG_KIND_CONSTRAINT; kind <= AG_KIND_INDEX; kind++) {
        size_t n = ag_catalog_list(c->from, (ag_kind)kind, &list);
        for (size_t i = 0; i < n; i++) {
            const ag_object *o = list[i];
            df_fate f = *fate_of(c, o);
            if (f != F_DROP && f != F_RECREATE)
                continue;
            const char *table;
            bool fk = false, replaced;
            if (kind == AG_KIND_CONSTRAINT) {
                const ag_constraint *k = (const ag_constraint *)o;
                table = k->table;
                fk = k->type == AG_CON_FOREIGN;
                replaced = cols_fate(c, o->name.schema, table, k->cols,
                                     k->ncols) == C_REPLACE;
            } else {
                const ag_index *x = (const ag_index *)o;
                table = x->table;
                replaced = cols_fate(c, o->name.schema, table, x->cols,
                                     x->ncols) == C_REPLACE;
            }
            ag_op *op =
                df_new_op(c,
                          kind == AG_KIND_INDEX ? AG_OP_DROP_INDEX
                                                : AG_OP_DROP_CONSTRAINT,
                          fk ? P_DROP_FK : P_DROP_CONSTRAINT, (ag_kind)kind,
                          o->name.schema, o->name.name, table);
            op->from_obj = o;
            op->note = drop_note(c, o, table, f, forced[o->id - 1], replaced);
        }
    }
}

static bool
not_valid(const ag_constraint *k)
{
    return strstr(k->def.sql, "NOT VALID") != NULL;
}

static void
create_constraint(df_ctx *c, const ag_constraint *k, const ag_object *from,
                  bool new_table)
{
    bool fk = k->type == AG_CON_FOREIGN;
    if (new_table && df_inline_constraint(c, k))
        return; /* written inside CREATE TABLE */
    const char *schema = k->obj.name.schema;
    ag_op *op =
        df_new_op(c, AG_OP_ADD_CONSTRAINT, fk ? P_ADD_FK : P_ADD_CONSTRAINT,
                  AG_KIND_CONSTRAINT, schema, k->obj.name.name, k->table);
    op->to_obj = &k->obj;
    op->from_obj = from;
    if (new_table)
        return;
    const char *where = df_qn(c, schema, k->table);
    if (!not_valid(k))
        df_hazard(c, op, AG_HAZARD_ACCESS_EXCLUSIVE_LOCK,
                  "validating %s scans %s while holding a lock",
                  df_qn(c, "", k->obj.name.name), where);
    if (k->type == AG_CON_PRIMARY || k->type == AG_CON_UNIQUE ||
        k->type == AG_CON_EXCLUDE)
        df_hazard(c, op, AG_HAZARD_INDEX_BUILD,
                  "building the index of %s blocks writes to %s",
                  df_qn(c, "", k->obj.name.name), where);
}

static void
create_index(df_ctx *c, const ag_index *x, const ag_object *from,
             bool new_table)
{
    const char *schema = x->obj.name.schema;
    ag_op *op = df_new_op(c, AG_OP_CREATE_INDEX, P_CREATE_INDEX, AG_KIND_INDEX,
                          schema, x->obj.name.name, x->table);
    op->to_obj = &x->obj;
    op->from_obj = from;
    if (!new_table)
        df_hazard(c, op, AG_HAZARD_INDEX_BUILD,
                  "CREATE INDEX on %s blocks writes until it is built",
                  df_qn(c, schema, x->table));
}

/* The to-side counterpart of a from constraint: renamed by a directive,
 * or of the same name on its table (which may be renamed). */
static const ag_constraint *
to_constraint(df_ctx *c, const ag_constraint *k)
{
    const ag_object *r = df_renamed_to(c, &k->obj);
    if (r)
        return (const ag_constraint *)r;
    const char *schema = k->obj.name.schema;
    return ag_catalog_find_constraint(
        c->to, schema, df_to_table_name(c, schema, k->table), k->obj.name.name);
}

/* The from-side counterpart of a to constraint or index (table: its
 * table's to-side name). */
static const ag_object *
from_counterpart(df_ctx *c, const ag_object *o, const char *table)
{
    const ag_object *r = df_renamed_from(c, o);
    if (r)
        return r;
    if (o->kind == AG_KIND_INDEX)
        return ag_catalog_find(c->from, AG_KIND_INDEX, o->name.schema,
                               o->name.name);
    return (const ag_object *)ag_catalog_find_constraint(
        c->from, o->name.schema, df_from_table_name(c, o->name.schema, table),
        o->name.name);
}

/* Adds for every to-side constraint and index that is new or re-created,
 * and the comments of all of them. */
static void
create_ops_for(cctx *cc)
{
    df_ctx *c = cc->c;
    ag_object *const *list;
    for (int kind = AG_KIND_CONSTRAINT; kind <= AG_KIND_INDEX; kind++) {
        size_t n = ag_catalog_list(c->to, (ag_kind)kind, &list);
        for (size_t i = 0; i < n; i++) {
            const ag_object *o = list[i];
            const char *table = kind == AG_KIND_INDEX
                                    ? ((const ag_index *)o)->table
                                    : ((const ag_constraint *)o)->table;
            const ag_object *from = from_counterpart(c, o, table);
            bool fresh = !from || *fate_of(c, from) != F_KEEP;
            bool new_table = df_table_new(c, o->name.schema, table) ||
                             df_view_fresh(c, o->name.schema, table);
            if (fresh && kind == AG_KIND_INDEX)
                create_index(c, (const ag_index *)o, from, new_table);
            else if (fresh)
                create_constraint(c, (const ag_constraint *)o, from, new_table);
            df_comment(c, (ag_kind)kind, o->name.schema, o->name.name, table,
                       from ? from->comment : NULL, o->comment, fresh);
        }
    }
}

void
df_constraints(df_ctx *c)
{
    cctx cc = {.c = c};
    collect_keys(&cc);
    bool *forced =
        ag_arena_alloc(&c->plan->arena, (c->from->nobjs + 1) * sizeof *forced);
    ag_object *const *list;

    /* Plain constraints and indexes first: FK fates depend on their keys. */
    size_t n = ag_catalog_list(c->from, AG_KIND_CONSTRAINT, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_constraint *k = (const ag_constraint *)list[i];
        if (k->type == AG_CON_FOREIGN)
            continue;
        const ag_constraint *to = to_constraint(c, k);
        *fate_of(c, &k->obj) = plain_fate(
            c, &k->obj, k->table, k->cols, k->ncols, to ? &to->obj : NULL,
            to ? to->table : NULL, k->def.canon, to ? to->def.canon : NULL);
        if (*fate_of(c, &k->obj) == F_KEEP && to->type != k->type)
            *fate_of(c, &k->obj) = F_RECREATE;
    }
    n = ag_catalog_list(c->from, AG_KIND_INDEX, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_index *x = (const ag_index *)list[i];
        const ag_index *to = (const ag_index *)df_renamed_to(c, &x->obj);
        if (!to)
            to = (const ag_index *)ag_catalog_find(
                c->to, AG_KIND_INDEX, x->obj.name.schema, x->obj.name.name);
        *fate_of(c, &x->obj) = plain_fate(
            c, &x->obj, x->table, x->cols, x->ncols, to ? &to->obj : NULL,
            to ? to->table : NULL, x->def.canon, to ? to->def.canon : NULL);
    }
    n = ag_catalog_list(c->from, AG_KIND_CONSTRAINT, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_constraint *k = (const ag_constraint *)list[i];
        if (k->type != AG_CON_FOREIGN)
            continue;
        const ag_constraint *to = to_constraint(c, k);
        *fate_of(c, &k->obj) = fk_fate(&cc, k, to, &forced[k->obj.id - 1]);
    }

    /* DROP TABLE ops by from table id, for ordering dropped tables. */
    ag_op **drop_ops = ag_arena_alloc(&c->plan->arena,
                                      (c->from->nobjs + 1) * sizeof *drop_ops);
    for (size_t i = 0; i < c->nops; i++)
        if (c->ops[i]->type == AG_OP_DROP_TABLE)
            drop_ops[c->ops[i]->from_obj->id - 1] = c->ops[i];
    order_dropped_tables(&cc, drop_ops);

    /* Renamed by a directive and otherwise kept: renamed in place. */
    for (int kind = AG_KIND_CONSTRAINT; kind <= AG_KIND_INDEX; kind++) {
        n = ag_catalog_list(c->from, (ag_kind)kind, &list);
        for (size_t i = 0; i < n; i++) {
            const ag_object *r = df_renamed_to(c, list[i]);
            if (r && *fate_of(c, list[i]) == F_KEEP)
                df_rename_op(c, list[i], r);
        }
    }
    drop_ops_for(&cc, forced);
    create_ops_for(&cc);
}
