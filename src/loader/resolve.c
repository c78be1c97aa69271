/*
 * resolve.c - the loader's second half: everything that needs the whole
 * model.  ALTER TABLEs are applied to their tables; constraints and
 * indexes get their PostgreSQL-assigned names (in statement order, as the
 * server would pick them) and canonical definitions; foreign keys find
 * their target's primary key; OWNED BY and COMMENT ON find their objects.
 */
#include <stdlib.h>
#include <string.h>

#include "loader_int.h"

/* ---- helpers ---- */

static void
set_loc(ag_object *o, ld_pos pos)
{
    o->loc = ld_srcloc(pos);
}

static ag_node **
string_list(ag_ast *ast, const char *s)
{
    ag_node **l = ag_arena_alloc(&ast->arena, sizeof *l);
    l[0] = ag_ast_new_string(ast, s);
    return l;
}

static size_t
node_names(ag_node **items, size_t n, const char **out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = ag_ast_str(items[i]);
        if (s)
            out[k++] = s;
    }
    return k;
}

/* Distinct column names an expression references (CHECK naming rule). */
typedef struct colset {
    const char *names[2];
    size_t n;
    bool many;
} colset;

static void
collect_columns(const ProtobufCMessage *m, colset *cs)
{
    if (!m || cs->many)
        return;
    if (m->descriptor == &pg_query__column_ref__descriptor) {
        const PgQuery__ColumnRef *c = (const PgQuery__ColumnRef *)m;
        const char *name =
            c->n_fields ? ag_ast_str(c->fields[c->n_fields - 1]) : NULL;
        if (!name)
            return;
        for (size_t i = 0; i < cs->n; i++)
            if (strcmp(cs->names[i], name) == 0)
                return;
        if (cs->n == 1) {
            cs->many = true;
            return;
        }
        cs->names[cs->n++] = name;
        return;
    }
    const ProtobufCMessageDescriptor *d = m->descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        const char *member = (const char *)m + f->offset;
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF &&
            *(const uint32_t *)((const char *)m + f->quantifier_offset) !=
                f->id)
            continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n =
                *(const size_t *)((const char *)m + f->quantifier_offset);
            ProtobufCMessage *const *arr =
                *(ProtobufCMessage *const *const *)member;
            for (size_t k = 0; k < n; k++)
                collect_columns(arr[k], cs);
        } else {
            collect_columns(*(ProtobufCMessage *const *)member, cs);
        }
    }
}

/* Column names an index (or EXCLUDE) names itself after. */
static const char *
index_addition(ag_arena *a, ag_node **elems, size_t n, ag_node **incl,
               size_t nincl)
{
    const char **names = ag_arena_alloc(a, (n + nincl + 1) * sizeof *names);
    size_t k = 0;
    for (size_t i = 0; i < n + nincl; i++) {
        ag_node *e = i < n ? elems[i] : incl[i - n];
        if (e->node_case == PG_QUERY__NODE__NODE_LIST && e->list->n_items)
            e = e->list->items[0]; /* EXCLUDE: (elem, operator) */
        const char *name = NULL;
        if (e->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM) {
            PgQuery__IndexElem *ie = e->index_elem;
            name = *ie->name ? ie->name : ld_figure_colname(ie->expr);
        } else {
            name = ag_ast_str(e);
        }
        names[k++] = name ? name : "expr";
    }
    return ld_name_addition(a, names, k);
}

/* Index every table's primary key by table id, in one pass (a scan per
 * foreign key made loading quadratic in hand-written models, where
 * `REFERENCES t` without columns is common). */
static void
index_primary_keys(ag_loader *ld)
{
    ag_catalog *cat = ld->cat;
    free(ld->pk_of);
    ld->npk_of = cat->nobjs + 1;
    ld->pk_of = ag_xcalloc(ld->npk_of, sizeof *ld->pk_of);
    for (size_t i = 0; i < cat->nobjs; i++) {
        ag_object *o = cat->objs[i];
        if (!o || o->kind != AG_KIND_CONSTRAINT ||
            ((ag_constraint *)o)->type != AG_CON_PRIMARY)
            continue;
        ag_constraint *c = (ag_constraint *)o;
        ag_table *t = ag_catalog_table(cat, o->name.schema, c->table);
        if (t && t->obj.id < ld->npk_of)
            ld->pk_of[t->obj.id] = c;
    }
}

static ag_constraint *
find_primary_key(ag_loader *ld, const ag_table *tbl)
{
    return tbl->obj.id < ld->npk_of ? ld->pk_of[tbl->obj.id] : NULL;
}

/* ---- constraints ---- */

static void
resolve_constraint(ag_loader *ld, const ld_pending *p)
{
    PgQuery__Constraint *c = p->node;
    ag_table *tbl = p->tbl;
    ag_ast *ast = ld_ast(ld, p->pos);
    const char *schema = tbl->obj.name.schema, *tname = tbl->obj.name.name;

    /* A column constraint names its column implicitly. */
    if (p->colname) {
        if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN &&
            !c->n_fk_attrs) {
            c->fk_attrs = string_list(ast, p->colname);
            c->n_fk_attrs = 1;
        } else if ((c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
                    c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE) &&
                   !c->n_keys) {
            c->keys = string_list(ast, p->colname);
            c->n_keys = 1;
        }
    }
    if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN) {
        const char *rschema;
        ag_table *ref = ld_find_table(ld, &p->path, c->pktable->schemaname,
                                      c->pktable->relname, &rschema);
        if (!ref) {
            ld_error(ld, p->pos,
                     "foreign key references table %s.%s, which the models "
                     "do not declare",
                     rschema, c->pktable->relname);
            return;
        }
        c->pktable->schemaname = (char *)ref->obj.name.schema;
        if (!c->n_pk_attrs) {
            ag_constraint *pk = find_primary_key(ld, ref);
            if (!pk) {
                ld_error(ld, p->pos,
                         "there is no primary key for referenced table %s.%s",
                         ref->obj.name.schema, ref->obj.name.name);
                return;
            }
            c->n_pk_attrs = pk->ncols;
            c->pk_attrs =
                ag_arena_alloc(&ast->arena, pk->ncols * sizeof(ag_node *));
            for (size_t i = 0; i < pk->ncols; i++)
                c->pk_attrs[i] = ag_ast_new_string(ast, pk->cols[i]);
        }
    }

    /* Every key column must exist; a PRIMARY KEY makes them NOT NULL. */
    ag_node **keys = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN
                         ? c->fk_attrs
                         : c->keys;
    size_t nkeys = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN
                       ? c->n_fk_attrs
                       : c->n_keys;
    for (size_t i = 0; i < nkeys; i++) {
        const char *k = ag_ast_str(keys[i]);
        ag_column *col = k ? ag_table_column(tbl, k) : NULL;
        if (!col) {
            ld_error(ld, p->pos,
                     "column %s named in a constraint does not "
                     "exist in table %s.%s",
                     k ? k : "?", schema, tname);
            return;
        }
        if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
            col->notnull = true;
    }

    const char *name = *c->conname ? c->conname : NULL;
    bool implicit = name == NULL;
    if (implicit) {
        const char **cols =
            ag_arena_alloc(&ld->cat->arena, (nkeys + 1) * sizeof *cols);
        size_t ncols = node_names(keys, nkeys, cols);
        switch (c->contype) {
        case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
            name = ld_choose_relation_name(ld->cat, schema, tname, NULL, "pkey",
                                           true);
            break;
        case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
            name = ld_choose_relation_name(
                ld->cat, schema, tname,
                index_addition(&ld->cat->arena, c->keys, c->n_keys,
                               c->including, c->n_including),
                "key", true);
            break;
        case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
            name = ld_choose_relation_name(
                ld->cat, schema, tname,
                index_addition(&ld->cat->arena, c->exclusions, c->n_exclusions,
                               c->including, c->n_including),
                "excl", true);
            break;
        case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: {
            colset cs = {{NULL}, 0, false};
            collect_columns((ProtobufCMessage *)c->raw_expr, &cs);
            name = ld_choose_constraint_name(
                ld->cat, schema, tname,
                cs.n == 1 && !cs.many ? cs.names[0] : NULL, "check");
            break;
        }
        case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
            name = ld_choose_constraint_name(
                ld->cat, schema, tname,
                ld_name_addition(&ld->cat->arena, cols, ncols), "fkey");
            break;
        default:
            ld_error(ld, p->pos, "unsupported constraint");
            return;
        }
    }
    ag_constraint *con =
        ag_catalog_add_constraint(ld->cat, schema, tname, name);
    if (!con) {
        ld_error(ld, p->pos, "constraint %s on table %s.%s is declared twice",
                 name, schema, tname);
        return;
    }
    set_loc(&con->obj, p->pos);
    con->implicit_name = implicit;
    ag_error err;
    if (ag_canon_constraint_node(ld->cat, ast, c, con, schema, &err) != 0)
        ld_error(ld, p->pos, "%s", err.msg);
}

/* ---- indexes ---- */

static void
resolve_index(ag_loader *ld, const ld_pending *p)
{
    PgQuery__IndexStmt *s = p->node;
    const char *schema;
    ag_table *tbl = ld_find_table(ld, &p->path, s->relation->schemaname,
                                  s->relation->relname, &schema);
    /* An index on a materialized view: its columns are known only once
     * the dev database has run it, so they are not checked here. */
    ag_view *mv = tbl ? NULL
                      : ld_find_view(ld, &p->path, s->relation->schemaname,
                                     s->relation->relname);
    if (!tbl && (!mv || !mv->materialized)) {
        ld_error(ld, p->pos,
                 "index on table %s.%s, which the models do not "
                 "declare",
                 schema, s->relation->relname);
        return;
    }
    const ag_object *rel = tbl ? &tbl->obj : &mv->obj;
    schema = rel->name.schema;
    for (size_t i = 0; tbl && i < s->n_index_params; i++) {
        PgQuery__IndexElem *ie = s->index_params[i]->index_elem;
        if (*ie->name && !ag_table_column(tbl, ie->name)) {
            ld_error(ld, p->pos, "column %s does not exist in table %s.%s",
                     ie->name, schema, tbl->obj.name.name);
            return;
        }
    }
    s->relation->schemaname = (char *)schema;
    /* CREATE INDEX ON ONLY parent (pg_dump's form) is completed by the
     * partitions' indexes attached to it: the same index as a plain
     * CREATE INDEX, which is how the database side reads it too. */
    s->relation->inh = true;
    bool implicit = !*s->idxname;
    if (implicit)
        s->idxname = (char *)ld_choose_relation_name(
            ld->cat, schema, rel->name.name,
            index_addition(&ld->cat->arena, s->index_params, s->n_index_params,
                           s->index_including_params,
                           s->n_index_including_params),
            "idx", false);
    ag_index *idx =
        ag_catalog_add(ld->cat, AG_KIND_INDEX, schema, s->idxname, sizeof *idx);
    if (!idx) {
        if (!s->if_not_exists)
            ld_error(ld, p->pos, "index %s.%s is declared twice", schema,
                     s->idxname);
        return;
    }
    set_loc(&idx->obj, p->pos);
    idx->table = rel->name.name;
    idx->implicit_name = implicit;
    ag_error err;
    if (ag_canon_index_node(ld->cat, ld_ast(ld, p->pos), s, idx, schema, &err))
        ld_error(ld, p->pos, "%s", err.msg);
}

/* ---- OWNED BY ---- */

static void
resolve_owned_by(ag_loader *ld, const ld_pending *p)
{
    ag_sequence *seq;
    PgQuery__List *owned;
    if (p->obj) { /* CREATE SEQUENCE ... OWNED BY */
        seq = (ag_sequence *)p->obj;
        owned = p->node;
    } else { /* ALTER SEQUENCE */
        PgQuery__AlterSeqStmt *s = p->node;
        const char *schema =
            ld_creation_schema(ld, &p->path, s->sequence->schemaname);
        seq = NULL;
        for (size_t i = 0; !seq && !*s->sequence->schemaname && i < p->path.n;
             i++)
            seq = ag_catalog_sequence(ld->cat, p->path.schemas[i],
                                      s->sequence->relname);
        if (!seq && schema)
            seq = ag_catalog_sequence(ld->cat, schema, s->sequence->relname);
        if (!seq) {
            ld_error(ld, p->pos,
                     "ALTER SEQUENCE on %s, which the models do "
                     "not declare",
                     s->sequence->relname);
            return;
        }
        owned = NULL;
        /* Other options refine the declaration too. */
        bool have = false;
        for (size_t i = 0; i < s->n_options; i++)
            if (strcmp(s->options[i]->def_elem->defname, "owned_by") == 0)
                owned = s->options[i]->def_elem->arg->list;
            else
                have = true;
        if (have)
            ld_seq_options(ld, p->pos, seq, s->options, s->n_options, NULL);
        if (!owned)
            return;
    }
    const char *tschema = NULL, *tname, *col;
    if (owned->n_items == 1) {
        const char *v = ag_ast_str(owned->items[0]);
        if (v && strcmp(v, "none") == 0) {
            seq->owned_by.name = NULL;
            return;
        }
    }
    if (owned->n_items < 2) {
        ld_error(ld, p->pos, "OWNED BY needs table.column");
        return;
    }
    col = ag_ast_str(owned->items[owned->n_items - 1]);
    tname = ag_ast_str(owned->items[owned->n_items - 2]);
    if (owned->n_items >= 3)
        tschema = ag_ast_str(owned->items[owned->n_items - 3]);
    const char *schema;
    ag_table *tbl = ld_find_table(ld, &p->path, tschema, tname, &schema);
    if (!tbl || !ag_table_column(tbl, col)) {
        ld_error(ld, p->pos, "OWNED BY %s.%s.%s: no such column in the models",
                 schema, tname, col);
        return;
    }
    seq->owned_by = tbl->obj.name;
    seq->owned_col = ag_table_column(tbl, col)->name;
}

/* ---- comments ---- */

static const char *
comment_text(ag_loader *ld, const PgQuery__CommentStmt *s)
{
    return s->comment && *s->comment
               ? ag_arena_strdup(&ld->cat->arena, s->comment)
               : NULL;
}

/* COMMENT ON COLUMN of a view: the column is named (aliases) or added by
 * name; the dev database gives it its type and place. */
static void
view_column_comment(ag_loader *ld, ag_view *v, const char *col,
                    const char *text)
{
    for (size_t i = 0; i < v->ncols; i++)
        if (strcmp(v->cols[i].name, col) == 0) {
            v->cols[i].comment = text;
            return;
        }
    v->cols =
        ag_arena_grow(&ld->cat->arena, v->cols, v->ncols, sizeof *v->cols);
    v->cols[v->ncols].name = ag_arena_strdup(&ld->cat->arena, col);
    v->cols[v->ncols++].comment = text;
}

static void
resolve_comment(ag_loader *ld, const ld_pending *p)
{
    PgQuery__CommentStmt *s = p->node;
    ag_node *obj = s->object;
    ag_node **items = NULL;
    size_t n = 0;
    if (obj && obj->node_case == PG_QUERY__NODE__NODE_LIST) {
        items = obj->list->items;
        n = obj->list->n_items;
    }
    const char *schema = NULL, *name = NULL;
    ag_object *target = NULL;
    switch (s->objtype) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: {
        ag_kind kind = s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE
                           ? AG_KIND_TABLE
                       : s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX
                           ? AG_KIND_INDEX
                           : AG_KIND_SEQUENCE;
        if (ag_ast_qname(items, n, &schema, &name) < 0)
            break;
        if (schema)
            target = ag_catalog_find(ld->cat, kind, schema, name);
        for (size_t i = 0; !schema && !target && i < p->path.n; i++)
            target = ag_catalog_find(ld->cat, kind, p->path.schemas[i], name);
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: {
        if (ag_ast_qname(items, n, &schema, &name) < 0)
            break;
        ag_view *v = ld_find_view(ld, &p->path, schema, name);
        if (v && v->materialized ==
                     (s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW))
            target = &v->obj;
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: {
        /* COMMENT ON TYPE names enums and composite types (a domain too,
         * as PostgreSQL accepts); COMMENT ON DOMAIN only domains. */
        static const ag_kind type_kinds[] = {AG_KIND_DOMAIN, AG_KIND_ENUM,
                                             AG_KIND_COMPOSITE};
        size_t nk = s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN ? 1 : 3;
        if (obj && obj->node_case == PG_QUERY__NODE__NODE_TYPE_NAME &&
            ag_ast_qname(obj->type_name->names, obj->type_name->n_names,
                         &schema, &name) == 0) {
            for (size_t k = 0; !target && k < nk; k++) {
                if (schema)
                    target =
                        ag_catalog_find(ld->cat, type_kinds[k], schema, name);
                for (size_t i = 0; !schema && !target && i < p->path.n; i++)
                    target = ag_catalog_find(ld->cat, type_kinds[k],
                                             p->path.schemas[i], name);
            }
        }
        break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: {
        if (n < 2)
            break;
        const char *last = ag_ast_str(items[n - 1]);
        name = ag_ast_str(items[n - 2]);
        schema = n >= 3 ? ag_ast_str(items[n - 3]) : NULL;
        const char *found;
        ag_table *tbl = ld_find_table(ld, &p->path, schema, name, &found);
        if (!tbl && s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN) {
            ag_view *v = ld_find_view(ld, &p->path, schema, name);
            if (v) {
                view_column_comment(ld, v, last, comment_text(ld, s));
                return;
            }
        }
        if (!tbl && s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN &&
            ld_comment_attribute(ld, p, schema, name, last, s->comment))
            return;
        if (!tbl)
            break;
        if (s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN) {
            ag_column *col = ag_table_column(tbl, last);
            if (col) {
                col->comment = comment_text(ld, s);
                return;
            }
        } else {
            ag_constraint *k =
                ag_catalog_find_constraint(ld->cat, found, name, last);
            target = k ? &k->obj : NULL;
        }
        break;
    }
    default:
        ld_error(ld, p->pos,
                 "COMMENT ON this kind of object is not managed "
                 "by autogen yet");
        return;
    }
    if (!target) {
        ld_error(ld, p->pos, "COMMENT ON an object the models do not declare");
        return;
    }
    target->comment = comment_text(ld, s);
}

/* ---- column types naming user types ---- */

/* Types that well-known extensions create, so a column of type citext
 * finds the schema the model installs citext into. */
static const struct {
    const char *type, *extension;
} extension_types[] = {
    {"citext", "citext"},    {"hstore", "hstore"},     {"ltree", "ltree"},
    {"lquery", "ltree"},     {"ltxtquery", "ltree"},   {"cube", "cube"},
    {"seg", "seg"},          {"isbn", "isn"},          {"isbn13", "isn"},
    {"ean13", "isn"},        {"issn", "isn"},          {"issn13", "isn"},
    {"ismn", "isn"},         {"ismn13", "isn"},        {"upc", "isn"},
    {"geometry", "postgis"}, {"geography", "postgis"}, {"vector", "vector"},
};

/* An unqualified type name that is not built in was qualified with the
 * first schema of search_path when the column was read; now that every
 * file is in, look it up as PostgreSQL would: an enum, domain or composite
 * type in a schema of the path, else the schema of the extension that
 * provides it.  The same for a domain's base type and a composite type's
 * attributes (p->obj set instead of p->tbl). */
static void
resolve_column_type(ag_loader *ld, const ld_pending *p)
{
    PgQuery__TypeName *tn = p->node;
    const char **slot = NULL;
    if (p->tbl) {
        ag_column *col = ag_table_column(p->tbl, p->colname);
        slot = col ? &col->type : NULL;
    } else if (p->obj && p->obj->kind == AG_KIND_DOMAIN) {
        slot = &((ag_domain *)p->obj)->type;
    } else if (p->obj && p->obj->kind == AG_KIND_COMPOSITE) {
        ag_composite *t = (ag_composite *)p->obj;
        for (size_t i = 0; !slot && i < t->nattrs; i++)
            if (strcmp(t->attrs[i].name, p->colname) == 0)
                slot = &t->attrs[i].type;
    }
    const char *name = ag_ast_str(tn->names[tn->n_names - 1]);
    if (!slot || !name)
        return;
    const char *schema = NULL;
    for (size_t i = 0; !schema && i < p->path.n; i++)
        if (ag_catalog_enum(ld->cat, p->path.schemas[i], name) ||
            ag_catalog_find(ld->cat, AG_KIND_DOMAIN, p->path.schemas[i],
                            name) ||
            ag_catalog_find(ld->cat, AG_KIND_COMPOSITE, p->path.schemas[i],
                            name))
            schema = p->path.schemas[i];
    for (size_t i = 0;
         !schema && i < sizeof extension_types / sizeof extension_types[0];
         i++) {
        if (strcmp(name, extension_types[i].type) != 0)
            continue;
        ag_extension *ext = (ag_extension *)ag_catalog_find(
            ld->cat, AG_KIND_EXTENSION, "", extension_types[i].extension);
        if (ext && ext->schema)
            schema = ext->schema;
    }
    if (!schema)
        return;
    const char *type;
    int serial;
    ag_error err;
    if (ag_ast_type_canon(&ld->cat->arena, tn, schema, &type, &serial, &err) ==
        0)
        *slot = type;
}

/* ---- driver ---- */

static int
cmp_pending(const void *pa, const void *pb)
{
    const ld_pending *a = *(ld_pending *const *)pa;
    const ld_pending *b = *(ld_pending *const *)pb;
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a < b ? -1 : a > b;
}

static bool
is_fk(const ld_pending *p)
{
    return p->kind == PEND_CONSTRAINT &&
           ((PgQuery__Constraint *)p->node)->contype ==
               PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN;
}

void
ld_resolve(ag_loader *ld)
{
    /* Partitions and inheritance children get their parents' columns
     * (load_partition.c). */
    for (size_t i = 0; i < ld->npend; i++)
        if (ld->pend[i].kind == PEND_INHERIT)
            ld_resolve_inherit(ld, &ld->pend[i]);
    /* ALTER TABLE first: it may add columns, defaults and constraints
     * (appended to the pending list as it goes). */
    for (size_t i = 0; i < ld->npend; i++)
        if (ld->pend[i].kind == PEND_ALTER_TABLE)
            ld_apply_alter_table(ld, &ld->pend[i]);
    for (size_t i = 0; i < ld->npend; i++)
        if (ld->pend[i].kind == PEND_COLUMN_TYPE)
            resolve_column_type(ld, &ld->pend[i]);

    ld_pending **order = ag_xmalloc((ld->npend + 1) * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < ld->npend; i++)
        if (ld->pend[i].kind != PEND_ALTER_TABLE &&
            ld->pend[i].kind != PEND_COLUMN_TYPE &&
            ld->pend[i].kind != PEND_INHERIT)
            order[n++] = &ld->pend[i];
    qsort(order, n, sizeof *order, cmp_pending);

    /* Keys and indexes before foreign keys (which need the referenced
     * primary key), comments last (everything is named by then). */
    for (size_t i = 0; i < n; i++) {
        const ld_pending *p = order[i];
        if (p->kind == PEND_CONSTRAINT && !is_fk(p))
            resolve_constraint(ld, p);
        else if (p->kind == PEND_INDEX)
            resolve_index(ld, p);
    }
    /* Index statements are done with (see ag_loader.keep_indexes). */
    for (size_t i = 0; i < n; i++)
        if (order[i]->kind == PEND_INDEX)
            order[i]->node = NULL;
    ag_arena_destroy(&ld->keep_indexes);
    index_primary_keys(ld);
    for (size_t i = 0; i < n; i++) {
        if (is_fk(order[i]))
            resolve_constraint(ld, order[i]);
        else if (order[i]->kind == PEND_OWNED_BY)
            resolve_owned_by(ld, order[i]);
    }
    ld_resolve_index_attaches(ld, order, n);
    ld_resolve_partition_checks(ld);
    for (size_t i = 0; i < n; i++)
        if (order[i]->kind == PEND_RENAME)
            ld_resolve_rename(ld, order[i]);
    for (size_t i = 0; i < n; i++)
        if (order[i]->kind == PEND_COMMENT)
            resolve_comment(ld, order[i]);
    free(order);

    /* Every object's schema must be declared (or be public). */
    for (size_t i = 0; i < ld->cat->nobjs; i++) {
        ag_object *o = ld->cat->objs[i];
        if (!o || !*o->name.schema ||
            ag_catalog_find(ld->cat, AG_KIND_SCHEMA, "", o->name.schema))
            continue;
        ag_diag_add(ld->diag, AG_SEV_ERROR, o->loc.file, NULL, 0,
                    "%s %s.%s: schema %s is not declared (add CREATE SCHEMA "
                    "%s)",
                    ag_kind_name(o->kind), o->name.schema, o->name.name,
                    o->name.schema, o->name.schema);
    }
}
