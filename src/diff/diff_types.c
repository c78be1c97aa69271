/*
 * diff_types.c - enum types and sequences.
 *
 * Enums: PostgreSQL can add a label anywhere (ADD VALUE ... BEFORE/AFTER)
 * but can neither remove nor reorder one.  When the old labels are an
 * ordered subsequence of the new ones we add values; otherwise we rebuild
 * by rename-and-swap, converting the columns that keep the type and
 * dropping the renamed old type at the end of the migration, after the
 * columns and tables that go away have gone with it.
 *
 * Sequences: options are compared (never the current value), and OWNED BY
 * is set after the owning table exists.  A sequence owned by a table or
 * column that is dropped goes away with it: no DROP SEQUENCE then, and a
 * sequence that must survive its owner is detached first.
 */
#include "diff_int.h"

#include <string.h>

#include "autogen/ident.h"

/* ---- enums ---- */

static bool
has_label(const ag_enum *e, const char *label)
{
    for (size_t i = 0; i < e->nlabels; i++)
        if (strcmp(e->labels[i], label) == 0)
            return true;
    return false;
}

/* Are a's labels, in order, a subsequence of b's? */
static bool
is_subsequence(const ag_enum *a, const ag_enum *b)
{
    size_t i = 0;
    for (size_t j = 0; j < b->nlabels && i < a->nlabels; j++)
        if (strcmp(a->labels[i], b->labels[j]) == 0)
            i++;
    return i == a->nlabels;
}

static bool
same_labels(const ag_enum *a, const ag_enum *b)
{
    if (a->nlabels != b->nlabels)
        return false;
    for (size_t i = 0; i < a->nlabels; i++)
        if (strcmp(a->labels[i], b->labels[i]) != 0)
            return false;
    return true;
}

static void
add_values(df_ctx *c, const ag_enum *a, const ag_enum *b)
{
    for (size_t j = 0; j < b->nlabels; j++) {
        if (has_label(a, b->labels[j]))
            continue;
        ag_op *op = df_new_op(c, AG_OP_ADD_ENUM_VALUE, P_ENUM, AG_KIND_ENUM,
                              b->obj.name.schema, b->obj.name.name, NULL);
        op->from_obj = &a->obj;
        op->to_obj = &b->obj;
        op->label = b->labels[j];
        op->step = (int)j;
        /* Each label is placed after its predecessor in the new list; the
         * ops run in list order, so that predecessor already exists.  A
         * new first label goes before the first old one (a[0], since the
         * old labels are a subsequence); with no old labels at all, plain
         * appends in order are right. */
        if (j > 0) {
            op->anchor = b->labels[j - 1];
        } else if (a->nlabels > 0) {
            op->anchor = a->labels[0];
            op->before = true;
        }
    }
}

/* The from columns that keep enum type `typename` (plain or array). */
static void
collect_uses(df_ctx *c, const char *typename, ag_op *op)
{
    size_t tlen = strlen(typename);
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_table *ft = (const ag_table *)list[i];
        df_table *dt = df_dtable(c, ft);
        if (!dt->to)
            continue;
        for (size_t k = 0; k < ft->ncols; k++) {
            const ag_column *fc = &ft->cols[k];
            bool plain = strcmp(fc->type, typename) == 0;
            bool array = strncmp(fc->type, typename, tlen) == 0 &&
                         strcmp(fc->type + tlen, "[]") == 0;
            if ((!plain && !array) || dt->colfate[k] != C_KEEP ||
                strcmp(dt->match[k]->type, fc->type) != 0)
                continue;
            ag_enum_use *uses = ag_arena_grow(&c->plan->arena, op->uses,
                                              op->nuses, sizeof *uses);
            uses[op->nuses++] = (ag_enum_use){
                .table = ft,
                .col = fc,
                .array = array,
                .had_default = fc->default_expr != NULL,
                .reset_default = dt->match[k]->default_expr,
            };
            op->uses = uses;
            dt->default_by_rebuild[k] = true;
        }
    }
}

static void
rebuild(df_ctx *c, const ag_enum *a, const ag_enum *b)
{
    const char *schema = b->obj.name.schema, *name = b->obj.name.name;
    const char *typename = df_qn(c, schema, name);
    const char *old =
        ag_arena_sprintf(&c->plan->arena, "%s__autogen_old", name);
    ag_op *op = df_new_op(c, AG_OP_REBUILD_ENUM, P_ENUM, AG_KIND_ENUM, schema,
                          name, NULL);
    op->from_obj = &a->obj;
    op->to_obj = &b->obj;
    op->old_name = old;
    collect_uses(c, typename, op);

    ag_buf removed;
    ag_buf_init(&removed);
    for (size_t i = 0; i < a->nlabels; i++)
        if (!has_label(b, a->labels[i])) {
            if (removed.len)
                ag_buf_put(&removed, ", ");
            ag_quote_literal(&removed, a->labels[i]);
        }
    if (removed.len)
        df_hazard(c, op, AG_HAZARD_DELETES_DATA,
                  "removing %s from %s fails while rows still hold it",
                  removed.data, typename);
    ag_buf_free(&removed);
    if (op->nuses)
        df_hazard(c, op, AG_HAZARD_TABLE_REWRITE,
                  "converting %zu column%s to the rebuilt %s rewrites %s",
                  op->nuses, op->nuses == 1 ? "" : "s", typename,
                  op->nuses == 1 ? "its table" : "their tables");

    ag_op *drop = df_new_op(c, AG_OP_DROP_OLD_ENUM, P_DROP_ENUM, AG_KIND_ENUM,
                            schema, old, NULL);
    drop->from_obj = &a->obj;
    drop->to_obj = &b->obj;
    drop->old_name = old;
}

void
df_enums(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_ENUM, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_enum *a = (const ag_enum *)list[i];
        const ag_enum *b = (const ag_enum *)df_renamed_to(c, &a->obj);
        if (!b)
            b = ag_catalog_enum(c->to, a->obj.name.schema, a->obj.name.name);
        if (!b) {
            ag_op *op = df_new_op(c, AG_OP_DROP_ENUM, P_DROP_ENUM, AG_KIND_ENUM,
                                  a->obj.name.schema, a->obj.name.name, NULL);
            op->from_obj = &a->obj;
            continue;
        }
        bool fresh = false;
        a = df_enum_value_renames(c, a, b);
        if (same_labels(a, b))
            ;
        else if (is_subsequence(a, b))
            add_values(c, a, b);
        else {
            rebuild(c, a, b);
            fresh = true; /* the comment stays on the renamed old type */
        }
        df_comment(c, AG_KIND_ENUM, b->obj.name.schema, b->obj.name.name, NULL,
                   a->obj.comment, b->obj.comment, fresh);
    }
    n = ag_catalog_list(c->to, AG_KIND_ENUM, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_enum *b = (const ag_enum *)list[i];
        if (df_renamed_from(c, &b->obj) ||
            ag_catalog_enum(c->from, b->obj.name.schema, b->obj.name.name))
            continue;
        ag_op *op = df_new_op(c, AG_OP_CREATE_ENUM, P_ENUM, AG_KIND_ENUM,
                              b->obj.name.schema, b->obj.name.name, NULL);
        op->to_obj = &b->obj;
        df_comment(c, AG_KIND_ENUM, b->obj.name.schema, b->obj.name.name, NULL,
                   NULL, b->obj.comment, true);
    }
}

/* ---- sequences ---- */

static bool
owner_going(df_ctx *c, const ag_sequence *s)
{
    return s->owned_by.name &&
           (df_table_dropped(c, s->owned_by.schema, s->owned_by.name) ||
            df_column_fate(c, s->owned_by.schema, s->owned_by.name,
                           s->owned_col) != C_KEEP);
}

/* Same owner once renames are followed? */
static bool
same_owner(df_ctx *c, const ag_sequence *a, const ag_sequence *b)
{
    if (!a->owned_by.name || !b->owned_by.name)
        return !a->owned_by.name && !b->owned_by.name;
    if (strcmp(a->owned_by.schema, b->owned_by.schema) != 0 ||
        strcmp(df_to_table_name(c, a->owned_by.schema, a->owned_by.name),
               b->owned_by.name) != 0)
        return false;
    const char *col = df_column_new_name(c, a->owned_by.schema,
                                         a->owned_by.name, a->owned_col);
    return col && strcmp(col, b->owned_col) == 0;
}

/* A sequence without a stated type is a bigint one, as in PostgreSQL. */
static const char *
seq_type(const ag_sequence *s)
{
    return s->type ? s->type : "bigint";
}

static bool
options_differ(const ag_sequence *a, const ag_sequence *b)
{
    return strcmp(seq_type(a), seq_type(b)) != 0 || a->start != b->start ||
           a->increment != b->increment || a->min != b->min ||
           a->max != b->max || a->cache != b->cache || a->cycle != b->cycle;
}

/*
 * A serial column becoming an identity column, or back.  The identity's
 * own sequence takes the serial's name (<table>_<column>_seq), so the two
 * cannot coexist: the serial sequence is dropped right after the default
 * that used it and before ADD GENERATED, or created right after DROP
 * IDENTITY.  Returns the column (to side) when `s` is part of such a swap.
 */
static const ag_column *
identity_swap(df_ctx *c, const ag_sequence *s, bool dropping)
{
    if (!s->owned_by.name)
        return NULL;
    const char *schema = s->owned_by.schema, *table = s->owned_by.name;
    const ag_table *tt = ag_catalog_table(c->to, schema, table);
    const ag_table *ft = df_from_table(c, schema, table);
    if (!tt || !ft)
        return NULL;
    const ag_column *fc, *tc;
    if (dropping) {
        const char *name = df_column_new_name(c, schema, table, s->owned_col);
        fc = ag_table_column(ft, s->owned_col);
        tc = name ? ag_table_column(tt, name) : NULL;
    } else {
        tc = ag_table_column(tt, s->owned_col);
        fc = df_from_column(c, schema, table, s->owned_col);
    }
    if (!fc || !tc)
        return NULL;
    return (dropping ? tc->identity && !fc->identity
                     : fc->identity && !tc->identity)
               ? tc
               : NULL;
}

/* Move a sequence op into the column's own run of ALTERs. */
static void
in_column_slot(ag_op *op, const ag_sequence *s, const ag_column *tc)
{
    op->prio = P_ALTER_COLUMN;
    op->key = s->owned_by.name;
    op->sub = tc->name;
    op->step = S_SEQUENCE;
    op->to_col = tc;
}

static ag_op *
seq_op(df_ctx *c, ag_op_type type, int prio, const ag_sequence *a,
       const ag_sequence *b)
{
    const ag_sequence *s = b ? b : a;
    ag_op *op = df_new_op(c, type, prio, AG_KIND_SEQUENCE, s->obj.name.schema,
                          s->obj.name.name, NULL);
    op->from_obj = a ? &a->obj : NULL;
    op->to_obj = b ? &b->obj : NULL;
    return op;
}

void
df_sequences(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_SEQUENCE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_sequence *a = (const ag_sequence *)list[i];
        const ag_sequence *b = (const ag_sequence *)df_renamed_to(c, &a->obj);
        if (!b)
            b = ag_catalog_sequence(c->to, a->obj.name.schema,
                                    a->obj.name.name);
        bool going = owner_going(c, a);
        if (!b) {
            if (going)
                continue;
            ag_op *op =
                seq_op(c, AG_OP_DROP_SEQUENCE, P_DROP_SEQUENCE, a, NULL);
            const ag_column *tc = identity_swap(c, a, true);
            if (tc)
                in_column_slot(op, a, tc);
            continue;
        }
        if (options_differ(a, b))
            seq_op(c, AG_OP_ALTER_SEQUENCE, P_SEQUENCE, a, b);
        if (going || !same_owner(c, a, b)) {
            /* Detach early when the old owner goes (it would take the
             * sequence with it) or when there is no new owner. */
            if (going || !b->owned_by.name) {
                ag_op *op =
                    seq_op(c, AG_OP_SET_SEQUENCE_OWNER, P_SEQUENCE, a, b);
                op->owner_none = true;
                op->step = 1;
            }
            if (b->owned_by.name)
                seq_op(c, AG_OP_SET_SEQUENCE_OWNER, P_OWNED_BY, a, b);
        }
        df_comment(c, AG_KIND_SEQUENCE, b->obj.name.schema, b->obj.name.name,
                   NULL, a->obj.comment, b->obj.comment, false);
    }
    n = ag_catalog_list(c->to, AG_KIND_SEQUENCE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_sequence *b = (const ag_sequence *)list[i];
        if (df_renamed_from(c, &b->obj) ||
            ag_catalog_sequence(c->from, b->obj.name.schema, b->obj.name.name))
            continue;
        ag_op *op = seq_op(c, AG_OP_CREATE_SEQUENCE, P_SEQUENCE, NULL, b);
        const ag_column *tc = identity_swap(c, b, false);
        if (tc) {
            in_column_slot(op, b, tc);
            op->note = "replaces the identity";
        }
        if (b->owned_by.name)
            seq_op(c, AG_OP_SET_SEQUENCE_OWNER, P_OWNED_BY, NULL, b);
        df_comment(c, AG_KIND_SEQUENCE, b->obj.name.schema, b->obj.name.name,
                   NULL, NULL, b->obj.comment, true);
    }
}
