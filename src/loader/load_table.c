/*
 * load_table.c - CREATE TABLE, its columns and column constraints, and the
 * ALTER TABLE forms a model may use to refine a table (pg_dump style).
 *
 * Constraints are not turned into catalog objects here: they are deferred
 * to resolve.c, which names the unnamed ones the way PostgreSQL does and
 * fills in FK targets once every table is known.
 */
#include <string.h>

#include "autogen/ident.h"
#include "loader_int.h"

static const char *
qualify_collation(ag_loader *ld, PgQuery__CollateClause *cc)
{
    const char *schema, *name;
    if (ag_ast_qname(cc->collname, cc->n_collname, &schema, &name) < 0)
        return NULL;
    if (!schema && strcmp(name, "default") == 0)
        return NULL;
    ag_buf b;
    ag_buf_init(&b);
    /* Built-in collations live in pg_catalog; format them as the
     * introspector does: quote_ident(schema) . quote_ident(name). */
    ag_quote_ident(&b, schema ? schema : "pg_catalog");
    ag_buf_putc(&b, '.');
    ag_quote_ident(&b, name);
    const char *out = ag_arena_strdup(&ld->cat->arena, b.data);
    ag_buf_free(&b);
    return out;
}

/* serial: an integer column, an owned sequence named as PostgreSQL names
 * it, NOT NULL and DEFAULT nextval('schema.seq'::regclass). */
static void
expand_serial(ag_loader *ld, ld_pos pos, ag_table *tbl, ag_column *col,
              int bytes)
{
    const char *schema = tbl->obj.name.schema;
    const char *seqname = ld_choose_relation_name(
        ld->cat, schema, tbl->obj.name.name, col->name, "seq", false);
    ag_sequence *seq =
        ag_catalog_add(ld->cat, AG_KIND_SEQUENCE, schema, seqname, sizeof *seq);
    seq->obj.loc = col->loc;
    seq->type = col->type;
    seq->start = seq->increment = seq->min = seq->cache = 1;
    seq->max = bytes == 8 ? INT64_MAX : bytes == 4 ? INT32_MAX : INT16_MAX;
    seq->owned_by = tbl->obj.name;
    seq->owned_col = col->name;

    ag_buf reg, sql;
    ag_buf_init(&reg);
    ag_buf_init(&sql);
    ag_quote_qname(&reg, schema, seqname);
    ag_buf_put(&sql, "nextval(");
    ag_quote_literal(&sql, reg.data);
    ag_buf_put(&sql, "::regclass)");
    ag_error err;
    if (ag_canon_expr_text(ld->cat, sql.data, schema, &col->default_expr,
                           &err) != 0)
        ld_error(ld, pos, "%s", err.msg);
    col->notnull = true;
    ag_buf_free(&reg);
    ag_buf_free(&sql);
}

static void
set_default(ag_loader *ld, ld_pos pos, ag_table *tbl, ag_column *col,
            ag_node **expr)
{
    ag_error err;
    if (ag_canon_default_node(ld->cat, ld_ast(ld, pos), expr,
                              tbl->obj.name.schema, &col->default_expr,
                              &err) != 0)
        ld_error(ld, pos, "default of column %s: %s", col->name, err.msg);
}

static bool
is_deferral_attr(PgQuery__ConstrType t)
{
    return t == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE ||
           t == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE ||
           t == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED ||
           t == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE;
}

/* Order in which CREATE TABLE adds a table's constraints (and so names
 * them): CHECKs with the table, then indexes, then foreign keys. */
static int
constraint_order(PgQuery__ConstrType t)
{
    if (t == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
        return 0;
    if (t == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
        return 2;
    return 1;
}

static void
column_constraints(ag_loader *ld, ld_pos pos, ag_table *tbl, ag_column *col,
                   PgQuery__ColumnDef *cd)
{
    PgQuery__Constraint *last = NULL;
    for (size_t i = 0; i < cd->n_constraints; i++) {
        PgQuery__Constraint *c = cd->constraints[i]->constraint;
        ld_pos cpos = ld_at(pos, c->location);
        switch (c->contype) {
        case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
            col->notnull = false;
            break;
        case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
            col->notnull = true;
            break;
        case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
            set_default(ld, cpos, tbl, col, &c->raw_expr);
            break;
        case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
            ld_set_identity(ld, cpos, col, c->generated_when[0], c->options,
                            c->n_options);
            break;
        case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED: {
            ag_error err;
            if (ag_canon_expr_node(ld->cat, ld_ast(ld, pos), &c->raw_expr,
                                   tbl->obj.name.schema, &col->generated,
                                   &err) != 0)
                ld_error(ld, cpos, "generated column %s: %s", col->name,
                         err.msg);
            break;
        }
        case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
        case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
        case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
        case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
        case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
            if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
                col->notnull = true;
            ld_defer(ld, PEND_CONSTRAINT, cpos, tbl, col->name, c,
                     constraint_order(c->contype));
            last = c;
            break;
        default:
            if (is_deferral_attr(c->contype) && last) {
                /* The grammar hands DEFERRABLE & co. to us as separate
                 * items that apply to the constraint before them. */
                if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE)
                    last->deferrable = true;
                else if (c->contype ==
                         PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE)
                    last->deferrable = false;
                else if (c->contype ==
                         PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED)
                    last->initdeferred = last->deferrable = true;
                else
                    last->initdeferred = false;
            } else {
                ld_error(ld, cpos, "unsupported column constraint");
            }
        }
    }
}

ag_column *
ld_add_column(ag_loader *ld, ld_pos pos, ag_table *tbl, PgQuery__ColumnDef *cd)
{
    ld_pos cpos = ld_at(pos, cd->location);
    if (ag_table_column(tbl, cd->colname)) {
        ld_error(ld, cpos, "column %s of table %s.%s is declared twice",
                 cd->colname, tbl->obj.name.schema, tbl->obj.name.name);
        return NULL;
    }
    ag_column col = {0};
    col.name = ag_arena_strdup(&ld->cat->arena, cd->colname);
    col.loc = ld_srcloc(cpos);
    int serial = 0;
    ag_error err;
    if (!cd->type_name) {
        ld_error(ld, cpos, "column %s has no type", cd->colname);
        return NULL;
    }
    if (ag_ast_type_canon(&ld->cat->arena, cd->type_name, tbl->obj.name.schema,
                          &col.type, &serial, &err) != 0) {
        ld_error(ld, ld_at(pos, cd->type_name->location), "column %s: %s",
                 cd->colname, err.msg);
        return NULL;
    }
    if (cd->coll_clause)
        col.collation = qualify_collation(ld, cd->coll_clause);
    if (cd->is_not_null)
        col.notnull = true;
    ag_column *stored = ag_table_add_column(ld->cat, tbl, &col);
    /* An unqualified user type: which schema it lives in is known only
     * once every file is read (resolve.c). */
    if (cd->type_name->n_names == 1 && strchr(col.type, '.'))
        ld_defer(ld, PEND_COLUMN_TYPE, cpos, tbl, stored->name, cd->type_name,
                 0);
    if (serial)
        expand_serial(ld, cpos, tbl, stored, serial);
    column_constraints(ld, pos, tbl, stored, cd);
    if (serial && stored->default_expr && stored->identity)
        ld_error(ld, cpos, "column %s: serial cannot also be an identity",
                 cd->colname);
    return stored;
}

/* Is p a PRIMARY KEY or UNIQUE constraint of a CREATE TABLE? */
static bool
is_key(const ld_pending *p)
{
    if (p->kind != PEND_CONSTRAINT)
        return false;
    const PgQuery__Constraint *c = p->node;
    return c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
           c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE;
}

/* The i-th key column of a key constraint (a column constraint's is its
 * column); NULL past the end. */
static const char *
key_col(const ld_pending *p, size_t i)
{
    const PgQuery__Constraint *c = p->node;
    if (p->colname)
        return i == 0 ? p->colname : NULL;
    return i < c->n_keys ? ag_ast_str(c->keys[i]) : NULL;
}

static bool
same_names(ag_node **a, size_t na, ag_node **b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        const char *x = ag_ast_str(a[i]), *y = ag_ast_str(b[i]);
        if (!x || !y || strcmp(x, y) != 0)
            return false;
    }
    return true;
}

/* Would PostgreSQL build the same index for both key constraints? */
static bool
same_key(const ld_pending *p, const ld_pending *q)
{
    const PgQuery__Constraint *a = p->node, *b = q->node;
    for (size_t i = 0;; i++) {
        const char *x = key_col(p, i), *y = key_col(q, i);
        if (!x || !y) {
            if (x || y)
                return false;
            break;
        }
        if (strcmp(x, y) != 0)
            return false;
    }
    return same_names(a->including, a->n_including, b->including,
                      b->n_including) &&
           a->nulls_not_distinct == b->nulls_not_distinct &&
           a->deferrable == b->deferrable && a->initdeferred == b->initdeferred;
}

/*
 * CREATE TABLE keeps one of several PRIMARY KEY / UNIQUE constraints that
 * would build the same index, the primary key first (parse_utilcmd.c's
 * transformIndexConstraints): PostgREST's `id serial not null unique, ...,
 * primary key (id)` makes only public_consumers_pkey.  A kept constraint
 * without a name takes the name of a dropped one.  pend[first..] are the
 * statement's deferred items.
 */
static void
drop_duplicate_keys(ag_loader *ld, size_t first)
{
    size_t pk = ld->npend;
    for (size_t i = first; i < ld->npend; i++)
        if (is_key(&ld->pend[i]) &&
            ((PgQuery__Constraint *)ld->pend[i].node)->contype ==
                PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
            pk = i;
            break;
        }
    size_t out = first;
    for (size_t i = first; i < ld->npend; i++) {
        ld_pending *p = &ld->pend[i];
        ld_pending *prior = NULL;
        if (is_key(p) && i != pk) {
            if (pk < ld->npend && same_key(&ld->pend[pk], p))
                prior = &ld->pend[pk];
            for (size_t j = first; !prior && j < out; j++)
                if (is_key(&ld->pend[j]) && same_key(&ld->pend[j], p))
                    prior = &ld->pend[j];
        }
        if (prior) {
            PgQuery__Constraint *kept = prior->node, *gone = p->node;
            if (!*kept->conname && *gone->conname)
                kept->conname = gone->conname;
            continue;
        }
        /* Moving an item before pk: keep pk pointing at it. */
        if (i == pk)
            pk = out;
        ld->pend[out++] = *p;
    }
    ld->npend = out;
}

void
ld_create_table(ag_loader *ld, ld_pos pos, PgQuery__CreateStmt *s)
{
    PgQuery__RangeVar *rv = s->relation;
    if (s->of_typename) {
        ld_error(ld, pos, "typed tables are not managed by autogen yet");
        return;
    }
    if (rv->relpersistence[0] == 't') {
        ld_error(ld, pos, "temporary tables cannot be part of a model");
        return;
    }
    const char *schema = ld_creation_schema(ld, &ld->path, rv->schemaname);
    if (!schema) {
        ld_error(ld, pos, "no schema has been selected to create in");
        return;
    }
    ag_table *tbl = ag_catalog_add(ld->cat, AG_KIND_TABLE, schema, rv->relname,
                                   sizeof *tbl);
    if (!tbl) {
        if (!s->if_not_exists)
            ld_error(ld, pos, "table %s.%s is declared twice", schema,
                     rv->relname);
        return;
    }
    tbl->obj.loc = ld_srcloc(pos);
    tbl->persistence = rv->relpersistence[0] == 'u' ? 'u' : 'p';
    size_t first_pending = ld->npend;
    size_t ncoldefs = 0;
    for (size_t i = 0; i < s->n_table_elts; i++)
        ncoldefs += s->table_elts[i]->node_case ==
                    PG_QUERY__NODE__NODE_COLUMN_DEF;
    ag_table_reserve_columns(ld->cat, tbl, tbl->ncols + ncoldefs);
    for (size_t i = 0; i < s->n_table_elts; i++) {
        ag_node *e = s->table_elts[i];
        switch (e->node_case) {
        case PG_QUERY__NODE__NODE_COLUMN_DEF:
            if (s->partbound) {
                ld_error(ld, ld_at(pos, e->column_def->location),
                         "column options on a partition are not managed: "
                         "declare them on the partitioned table");
                break;
            }
            ld_add_column(ld, pos, tbl, e->column_def);
            break;
        case PG_QUERY__NODE__NODE_CONSTRAINT:
            ld_defer(ld, PEND_CONSTRAINT, ld_at(pos, e->constraint->location),
                     tbl, NULL, e->constraint,
                     constraint_order(e->constraint->contype));
            break;
        default:
            ld_error(ld, pos,
                     "LIKE and other table elements are not "
                     "supported in models");
        }
    }
    drop_duplicate_keys(ld, first_pending);
    ld_partitioning(ld, pos, tbl, s);
}

void
ld_alter_table(ag_loader *ld, ld_pos pos, PgQuery__AlterTableStmt *s)
{
    /* Applied in ld_resolve, once every CREATE TABLE of every file is in. */
    ld_defer(ld, PEND_ALTER_TABLE, pos, NULL, NULL, s, 0);
}

static ag_column *
alter_column(ag_loader *ld, ld_pos pos, ag_table *tbl, const char *name)
{
    ag_column *col = ag_table_column(tbl, name);
    if (!col)
        ld_error(ld, pos, "column %s of table %s.%s is not declared", name,
                 tbl->obj.name.schema, tbl->obj.name.name);
    return col;
}

/* ALTER VIEW v ALTER COLUMN c SET/DROP DEFAULT (PostgREST's
 * complex_items_view), the one ALTER of a view's columns; OWNER TO says
 * nothing (not managed). */
static void
alter_view(ag_loader *ld, const ld_pending *p)
{
    PgQuery__AlterTableStmt *s = p->node;
    ag_view *v = ld_find_view(ld, &p->path, s->relation->schemaname,
                              s->relation->relname);
    if (!v) {
        ld_error(ld, p->pos,
                 "ALTER VIEW on %s, which the models do not declare",
                 s->relation->relname);
        return;
    }
    for (size_t i = 0; i < s->n_cmds; i++) {
        PgQuery__AlterTableCmd *cmd = s->cmds[i]->alter_table_cmd;
        if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner)
            continue;
        if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault) {
            ld_error(ld, p->pos,
                     "this ALTER VIEW form cannot be part of a model: "
                     "declare the view as it should be");
            continue;
        }
        ag_column *col = NULL;
        for (size_t k = 0; k < v->ncols; k++)
            if (strcmp(v->cols[k].name, cmd->name) == 0)
                col = &v->cols[k];
        if (!col) {
            /* Named by the view's query, not its column list: kept by
             * name until the dev database gives the view its columns. */
            v->cols = ag_arena_grow(&ld->cat->arena, v->cols, v->ncols,
                                    sizeof *v->cols);
            col = &v->cols[v->ncols++];
            col->name = ag_arena_strdup(&ld->cat->arena, cmd->name);
        }
        col->default_expr = NULL;
        if (!cmd->def)
            continue;
        ag_error err;
        if (ag_canon_expr_node(ld->cat, ld_ast(ld, p->pos), &cmd->def,
                               v->obj.name.schema, &col->default_expr,
                               &err) != 0)
            ld_error(ld, p->pos, "default of view column %s: %s", cmd->name,
                     err.msg);
    }
}

/* Called from ld_resolve with the search_path the statement saw. */
void
ld_apply_alter_table(ag_loader *ld, const ld_pending *p)
{
    PgQuery__AlterTableStmt *s = p->node;
    ld_pos pos = p->pos;
    if (ld_alter_index_attach(ld, p))
        return;
    /* ALTER INDEX ... ALTER COLUMN n SET STATISTICS (danbooru): a planner
     * setting, ignored like the table form. */
    bool stats_only = s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX;
    for (size_t i = 0; stats_only && i < s->n_cmds; i++)
        stats_only =
            s->cmds[i]->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD &&
            s->cmds[i]->alter_table_cmd->subtype ==
                PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics;
    if (stats_only && s->n_cmds) {
        ld_warn(ld, pos,
                "storage and planner settings are not managed by autogen; "
                "ignored");
        return;
    }
    if (s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ||
        (s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
         !ld_find_table_rv(ld, &p->path, s->relation) &&
         ld_find_view(ld, &p->path, s->relation->schemaname,
                      s->relation->relname))) {
        alter_view(ld, p);
        return;
    }
    if (s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        ld_error(ld, pos, "ALTER %s is not supported in models",
                 s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX
                     ? "INDEX"
                     : "on this object kind");
        return;
    }
    const char *schema;
    ag_table *tbl = ld_find_table(ld, &p->path, s->relation->schemaname,
                                  s->relation->relname, &schema);
    /* pg_dump writes ALTER TABLE ... OWNER TO for sequences and views as
     * well; ownership is not managed, so such a statement says nothing. */
    bool only_owner = true;
    for (size_t i = 0; i < s->n_cmds; i++)
        if (s->cmds[i]->alter_table_cmd->subtype !=
            PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner)
            only_owner = false;
    if (only_owner)
        return;
    if (!tbl) {
        ld_error(ld, pos,
                 "ALTER TABLE on %s.%s, which the models do not "
                 "declare",
                 schema, s->relation->relname);
        return;
    }
    for (size_t i = 0; i < s->n_cmds; i++) {
        PgQuery__AlterTableCmd *cmd = s->cmds[i]->alter_table_cmd;
        ag_column *col;
        switch (cmd->subtype) {
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint: {
            PgQuery__Constraint *c = cmd->def->constraint;
            ld_pending q = *p;
            q.kind = PEND_CONSTRAINT;
            q.pos = ld_at(pos, c->location);
            q.tbl = tbl;
            q.colname = NULL;
            q.node = c;
            q.order = 3; /* after the table's own constraints */
            if (ld->npend == ld->cappend) {
                ld->cappend *= 2;
                ld->pend =
                    ag_xrealloc(ld->pend, ld->cappend * sizeof *ld->pend);
            }
            ld->pend[ld->npend++] = q;
            break;
        }
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
            if ((col = alter_column(ld, pos, tbl, cmd->name))) {
                if (cmd->def) {
                    ag_error err;
                    if (ag_canon_default_node(ld->cat, ld_ast(ld, pos),
                                              &cmd->def, tbl->obj.name.schema,
                                              &col->default_expr, &err) != 0)
                        ld_error(ld, pos, "default of column %s: %s", col->name,
                                 err.msg);
                } else {
                    col->default_expr = NULL;
                }
            }
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
            if ((col = alter_column(ld, pos, tbl, cmd->name)))
                col->notnull = true;
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
            if ((col = alter_column(ld, pos, tbl, cmd->name)))
                col->notnull = false;
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
            if ((col = alter_column(ld, pos, tbl, cmd->name))) {
                PgQuery__Constraint *ic = cmd->def->constraint;
                ld_set_identity(ld, pos, col, ic->generated_when[0],
                                ic->options, ic->n_options);
            }
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
            ld_add_column(ld, pos, tbl, cmd->def->column_def);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
            break; /* ownership is not managed */
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetOptions:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStorage:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplicaIdentity:
            ld_warn(ld, pos,
                    "storage and planner settings are not managed "
                    "by autogen; ignored");
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
            ld_table_security(ld, pos, tbl, s->cmds[i]);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
            ld_attach_partition(ld, p, tbl, cmd->def->partition_cmd);
            break;
        default:
            ld_error(ld, pos,
                     "this ALTER TABLE form cannot be part of a model: models "
                     "declare the desired state");
        }
    }
}

void
ld_create_index(ag_loader *ld, ld_pos pos, PgQuery__IndexStmt *s)
{
    if (s->concurrent)
        ld_warn(ld, pos,
                "CONCURRENTLY describes how to build, not what to "
                "build; ignored in a model");
    ld_defer(ld, PEND_INDEX, pos, NULL, NULL, s, 0);
}
