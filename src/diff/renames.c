/*
 * renames.c - `-- autogen:renamed from=` directives turned into renames.
 *
 * Runs before every other pass.  A directive sits on one side only (the
 * models); it pairs a `from` object with a `to` object of another name:
 *   upgrade   (directive on `to`):   from.old  <->  to.new, rename old->new;
 *   downgrade (directive on `from`): from.new  <->  to.old, rename new->old.
 * A directive whose new name already has a counterpart is spent (the rename
 * was applied earlier) and ignored.  Later passes look pairs up with
 * df_renamed_to / df_renamed_from and translate table names with
 * df_to_table_name / df_from_table_name, so a renamed table keeps its
 * columns, constraints, indexes and triggers.
 *
 * Renames run at P_RENAME (after the drops that still use old names,
 * before anything created or altered under new ones); types are renamed
 * first of all (P_RENAME_TYPE), so every later statement can use the new
 * type name.
 */
#include "diff_int.h"

#include <string.h>

#include "autogen/ident.h"

static bool
is_type_kind(ag_kind k)
{
    return k == AG_KIND_ENUM || k == AG_KIND_DOMAIN || k == AG_KIND_COMPOSITE;
}

const ag_object *
df_renamed_to(const df_ctx *c, const ag_object *from)
{
    return c->ren_to ? c->ren_to[from->id - 1] : NULL;
}

const ag_object *
df_renamed_from(const df_ctx *c, const ag_object *to)
{
    return c->ren_from ? c->ren_from[to->id - 1] : NULL;
}

const ag_object *
df_to_object(df_ctx *c, const ag_object *from)
{
    const ag_object *r = df_renamed_to(c, from);
    return r ? r
             : ag_catalog_find(c->to, from->kind, from->name.schema,
                               from->name.name);
}

const ag_object *
df_from_object(df_ctx *c, const ag_object *to)
{
    const ag_object *r = df_renamed_from(c, to);
    return r ? r
             : ag_catalog_find(c->from, to->kind, to->name.schema,
                               to->name.name);
}

const char *
df_to_table_name(df_ctx *c, const char *schema, const char *from_table)
{
    const ag_table *ft = ag_catalog_table(c->from, schema, from_table);
    const ag_object *to = ft ? df_renamed_to(c, &ft->obj) : NULL;
    return to ? to->name.name : from_table;
}

const char *
df_from_table_name(df_ctx *c, const char *schema, const char *to_table)
{
    const ag_table *tt = ag_catalog_table(c->to, schema, to_table);
    const ag_object *from = tt ? df_renamed_from(c, &tt->obj) : NULL;
    return from ? from->name.name : to_table;
}

/* Look an object up by kind and name in `cat`; constraints by (schema,
 * table, name). */
static const ag_object *
find(const ag_catalog *cat, ag_kind kind, const char *schema, const char *table,
     const char *name)
{
    if (kind == AG_KIND_CONSTRAINT)
        return (const ag_object *)ag_catalog_find_constraint(cat, schema, table,
                                                             name);
    return ag_catalog_find(cat, kind, schema, name);
}

static const char *
table_of(const ag_object *o)
{
    if (o->kind == AG_KIND_CONSTRAINT)
        return ((const ag_constraint *)o)->table;
    if (o->kind == AG_KIND_INDEX)
        return ((const ag_index *)o)->table;
    return NULL;
}

/* Fail the diff with a message naming where the directive is. */
static void
fail(df_ctx *c, const ag_object *o, const char *msg)
{
    if (c->fail)
        return;
    c->fail = o->loc.file ? ag_arena_sprintf(&c->plan->arena, "%s:%d: %s",
                                             o->loc.file, o->loc.line, msg)
                          : msg;
}

static void
pair(df_ctx *c, const ag_object *a, const ag_object *b)
{
    c->ren_to[a->id - 1] = b;
    c->ren_from[b->id - 1] = a;
    /* Constraints and indexes are renamed only when they are kept: their
     * pass queues the op once it knows (see df_rename_op). */
    if (a->kind != AG_KIND_CONSTRAINT && a->kind != AG_KIND_INDEX)
        df_rename_op(c, a, b);
}

ag_op *
df_rename_op(df_ctx *c, const ag_object *a, const ag_object *b)
{
    ag_op_type type = a->kind == AG_KIND_TABLE || a->kind == AG_KIND_SEQUENCE
                          ? AG_OP_RENAME_TABLE
                      : a->kind == AG_KIND_INDEX      ? AG_OP_RENAME_INDEX
                      : a->kind == AG_KIND_CONSTRAINT ? AG_OP_RENAME_CONSTRAINT
                                                      : AG_OP_RENAME_TYPE;
    /* Named by the new name (the summary reads "table new: renamed from
     * old"); a constraint's table by its name when the rename runs, after
     * its table's own rename. */
    const char *table = a->kind == AG_KIND_CONSTRAINT ? table_of(b) : NULL;
    ag_op *op =
        df_new_op(c, type, is_type_kind(a->kind) ? P_RENAME_TYPE : P_RENAME,
                  a->kind, b->name.schema, b->name.name, table);
    op->from_obj = a;
    op->to_obj = b;
    return op;
}

/* Directive on the `to` side: rename from.old to to.new. */
static void
upgrade_renames(df_ctx *c, ag_kind kind)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->to, kind, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_object *b = list[i];
        if (!b->renamed_from)
            continue;
        const char *schema = b->name.schema, *old = b->renamed_from;
        const char *ftable =
            table_of(b) ? df_from_table_name(c, schema, table_of(b)) : NULL;
        if (find(c->from, kind, schema, ftable, b->name.name))
            continue; /* spent: the database has the new name */
        const ag_object *a = find(c->from, kind, schema, ftable, old);
        if (a && !df_renamed_to(c, a)) {
            pair(c, a, b);
            continue;
        }
        /* A table or type that exists under neither name is simply new (a
         * database built from nothing); a constraint or index whose table
         * exists under neither name is a mistake in the directive. */
        if (!a && table_of(b) && ag_catalog_table(c->from, schema, ftable))
            fail(c, b,
                 ag_arena_sprintf(&c->plan->arena,
                                  "renamed from=%s: %s has no constraint or "
                                  "index of that name in the database",
                                  old, df_qn(c, schema, ftable)));
    }
}

/* Directive on the `from` side (a downgrade): rename from.new back to
 * to.old. */
static void
downgrade_renames(df_ctx *c, ag_kind kind)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, kind, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_object *a = list[i];
        if (!a->renamed_from || df_renamed_to(c, a))
            continue;
        const char *schema = a->name.schema;
        const char *ttable =
            table_of(a) ? df_to_table_name(c, schema, table_of(a)) : NULL;
        if (find(c->to, kind, schema, ttable, a->name.name))
            continue;
        const ag_object *b = find(c->to, kind, schema, ttable, a->renamed_from);
        if (b && !df_renamed_from(c, b))
            pair(c, a, b);
    }
}

/* Both names present in the database: the directive cannot apply. */
static void
check_both_present(df_ctx *c, ag_kind kind)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->to, kind, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_object *b = list[i];
        if (!b->renamed_from)
            continue;
        const char *schema = b->name.schema;
        const char *ftable =
            table_of(b) ? df_from_table_name(c, schema, table_of(b)) : NULL;
        if (find(c->from, kind, schema, ftable, b->name.name) &&
            find(c->from, kind, schema, ftable, b->renamed_from))
            fail(c, b,
                 ag_arena_sprintf(&c->plan->arena,
                                  "renamed from=%s: the database has both %s "
                                  "and %s; remove the directive or the old "
                                  "object",
                                  b->renamed_from, b->renamed_from,
                                  b->name.name));
    }
}

/* A sequence owned by a renamed table, named after the table as serial
 * columns name theirs: the models name it after the new table, so it is
 * renamed along (never dropped and created again: it holds the counter). */
static void
owned_sequences(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_SEQUENCE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_sequence *a = (const ag_sequence *)list[i];
        if (!a->owned_by.name ||
            ag_catalog_sequence(c->to, a->obj.name.schema, a->obj.name.name))
            continue;
        const char *tname =
            df_to_table_name(c, a->owned_by.schema, a->owned_by.name);
        const ag_table *tt = ag_catalog_table(c->to, a->owned_by.schema, tname);
        if (!tt || strcmp(tname, a->owned_by.name) == 0)
            continue;
        ag_object *const *tl;
        size_t tn = ag_catalog_list(c->to, AG_KIND_SEQUENCE, &tl);
        for (size_t j = 0; j < tn; j++) {
            const ag_sequence *b = (const ag_sequence *)tl[j];
            if (!b->owned_by.name || df_renamed_from(c, &b->obj) ||
                strcmp(b->owned_by.schema, a->owned_by.schema) != 0 ||
                strcmp(b->owned_by.name, tname) != 0 ||
                ag_catalog_sequence(c->from, b->obj.name.schema,
                                    b->obj.name.name))
                continue;
            const ag_column *col = ag_table_column(tt, b->owned_col);
            if (strcmp(b->owned_col, a->owned_col) == 0 ||
                (col && col->renamed_from &&
                 strcmp(col->renamed_from, a->owned_col) == 0)) {
                pair(c, &a->obj, &b->obj);
                break;
            }
        }
    }
}

static bool has_label(const ag_enum *e, const char *label);

/* Columns and enum values: a directive whose parent exists in the
 * database, which has neither the old nor the new name (a typo), or has
 * both. */
static void
check_members(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->to, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_table *tt = (const ag_table *)list[i];
        const ag_table *ft = (const ag_table *)df_from_object(c, list[i]);
        for (size_t j = 0; ft && j < tt->ncols; j++) {
            const ag_column *col = &tt->cols[j];
            if (!col->renamed_from)
                continue;
            bool has_old = ag_table_column(ft, col->renamed_from) != NULL;
            bool has_new = ag_table_column(ft, col->name) != NULL;
            if (has_old == has_new && !c->fail)
                c->fail = ag_arena_sprintf(
                    &c->plan->arena,
                    "%s:%d: renamed from=%s: table %s has %s column %s in the "
                    "database",
                    col->loc.file ? col->loc.file : "?", col->loc.line,
                    col->renamed_from,
                    df_qn(c, ft->obj.name.schema, ft->obj.name.name),
                    has_old ? "both that and the new" : "no",
                    has_old ? col->name : "of either name");
        }
    }
    n = ag_catalog_list(c->to, AG_KIND_ENUM, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_enum *b = (const ag_enum *)list[i];
        const ag_enum *a = (const ag_enum *)df_from_object(c, list[i]);
        for (size_t j = 0; a && b->label_renamed_from && j < b->nlabels; j++) {
            const char *old = b->label_renamed_from[j];
            if (old && has_label(a, old) == has_label(a, b->labels[j]))
                fail(c, &b->obj,
                     ag_arena_sprintf(
                         &c->plan->arena,
                         "renamed from '%s': enum %s has %s in "
                         "the database",
                         old, df_qn(c, a->obj.name.schema, a->obj.name.name),
                         has_label(a, old) ? "both values" : "neither value"));
        }
    }
}

/* A function whose signature uses a renamed type would be dropped under
 * a name that no longer resolves: refused, with the way out. */
static void
check_signatures(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_FUNCTION, &list);
    for (size_t i = 0; i < n && !c->fail; i++) {
        const ag_function *f = (const ag_function *)list[i];
        for (size_t j = 0; j < f->ntypes; j++) {
            static const ag_kind kinds[] = {AG_KIND_ENUM, AG_KIND_DOMAIN,
                                            AG_KIND_COMPOSITE};
            for (size_t k = 0; k < 3; k++) {
                const ag_object *t = ag_catalog_find(
                    c->from, kinds[k], f->types[j].schema, f->types[j].name);
                const ag_object *r = t ? df_renamed_to(c, t) : NULL;
                if (r)
                    fail(c, r,
                         ag_arena_sprintf(
                             &c->plan->arena,
                             "renamed from=%s: function %s uses the type in "
                             "its signature; renaming such a type is not "
                             "supported yet (rename it by hand, then stamp)",
                             t->name.name,
                             df_qn(c, f->obj.name.schema, f->fname)));
            }
        }
    }
}

void
df_match_renames(df_ctx *c)
{
    c->ren_to = ag_arena_alloc(&c->plan->arena,
                               (c->from->nobjs + 1) * sizeof *c->ren_to);
    c->ren_from = ag_arena_alloc(&c->plan->arena,
                                 (c->to->nobjs + 1) * sizeof *c->ren_from);
    /* Tables first: constraints are found through their table's name. */
    static const ag_kind kinds[] = {AG_KIND_TABLE,  AG_KIND_ENUM,
                                    AG_KIND_DOMAIN, AG_KIND_COMPOSITE,
                                    AG_KIND_INDEX,  AG_KIND_CONSTRAINT};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        check_both_present(c, kinds[k]);
        upgrade_renames(c, kinds[k]);
        downgrade_renames(c, kinds[k]);
        if (kinds[k] == AG_KIND_TABLE)
            owned_sequences(c);
    }
    check_members(c);
    check_signatures(c);
}

/* ---- types ---- */

/* Does from-side type text `ft` name the renamed type `a` (plain or as
 * an array)?  Returns the to-side spelling then, else NULL. */
static const char *
translate_type(df_ctx *c, const char *ft, const ag_object *a,
               const ag_object *b)
{
    const char *qa = df_qn(c, a->name.schema, a->name.name);
    size_t n = strlen(qa);
    if (strncmp(ft, qa, n) != 0 || (ft[n] && strncmp(ft + n, "[]", 2) != 0))
        return NULL;
    return ag_arena_sprintf(&c->plan->arena, "%s%s",
                            df_qn(c, b->name.schema, b->name.name), ft + n);
}

bool
df_same_type(df_ctx *c, const char *from_type, const char *to_type)
{
    if (strcmp(from_type, to_type) == 0)
        return true;
    static const ag_kind kinds[] = {AG_KIND_ENUM, AG_KIND_DOMAIN,
                                    AG_KIND_COMPOSITE};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        ag_object *const *list;
        size_t n = ag_catalog_list(c->from, kinds[k], &list);
        for (size_t i = 0; i < n; i++) {
            const ag_object *b = df_renamed_to(c, list[i]);
            const char *t = b ? translate_type(c, from_type, list[i], b) : NULL;
            if (t && strcmp(t, to_type) == 0)
                return true;
        }
    }
    return false;
}

/* ---- enum values ---- */

static const char *
renamed_label(const ag_enum *e, size_t i)
{
    return e->label_renamed_from ? e->label_renamed_from[i] : NULL;
}

static bool
has_label(const ag_enum *e, const char *label)
{
    for (size_t i = 0; i < e->nlabels; i++)
        if (strcmp(e->labels[i], label) == 0)
            return true;
    return false;
}

const ag_enum *
df_enum_value_renames(df_ctx *c, const ag_enum *a, const ag_enum *b)
{
    if (!a->label_renamed_from && !b->label_renamed_from)
        return a;
    ag_enum *m = ag_arena_alloc(&c->plan->arena, sizeof *m);
    *m = *a;
    m->labels =
        ag_arena_alloc(&c->plan->arena, (a->nlabels + 1) * sizeof *m->labels);
    for (size_t i = 0; i < a->nlabels; i++) {
        const char *label = a->labels[i], *to = NULL;
        if (!has_label(b, label)) {
            /* upgrade: a `to` value renamed from this one */
            for (size_t j = 0; j < b->nlabels && !to; j++)
                if (renamed_label(b, j) &&
                    strcmp(renamed_label(b, j), label) == 0 &&
                    !has_label(a, b->labels[j]))
                    to = b->labels[j];
            /* downgrade: this value was renamed from a `to` value */
            if (!to && renamed_label(a, i) &&
                has_label(b, renamed_label(a, i)) &&
                !has_label(a, renamed_label(a, i)))
                to = renamed_label(a, i);
        }
        m->labels[i] = to ? to : label;
        if (!to)
            continue;
        ag_op *op = df_new_op(c, AG_OP_RENAME_ENUM_VALUE, P_ENUM, AG_KIND_ENUM,
                              b->obj.name.schema, b->obj.name.name, NULL);
        op->from_obj = &a->obj;
        op->to_obj = &b->obj;
        op->old_name = label;
        op->label = to;
        op->step = -1; /* before values are added next to it */
    }
    return m;
}
