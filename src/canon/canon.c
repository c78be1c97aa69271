/*
 * canon.c - catalog fields (sql + canon texts) from parse-tree nodes, and
 * the *_text entry points the introspector uses on server output.
 *
 * Each definition is deparsed twice: once as given (the `sql` we emit) and
 * once after ag_canon_normalize (the `canon` the differ compares).  Both
 * model and database definitions go through these same functions, so a
 * difference in `canon` is a difference in meaning, not in spelling.
 */
#include <stdlib.h>
#include <string.h>

#include "autogen/ast.h"
#include "canon_int.h"
#include "autogen/canon.h"
#include "autogen/ident.h"

/* ---- synthetic statements around a node, for deparsing ---- */

/* Deparse `SELECT <expr>` and keep what follows "SELECT ".  The wrapping
 * statement is on the stack: garbage once deparsed. */
int
cn_deparse_expr(ag_ast *ast, ag_node *expr, char **out, ag_error *err)
{
    (void)ast;
    PgQuery__ResTarget rt = PG_QUERY__RES_TARGET__INIT;
    rt.val = expr;
    ag_node target = ag_ast_node_val(PG_QUERY__NODE__NODE_RES_TARGET, &rt);
    ag_node *targets[1] = {&target};
    PgQuery__SelectStmt sel = PG_QUERY__SELECT_STMT__INIT;
    sel.n_target_list = 1;
    sel.target_list = targets;
    sel.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
    sel.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
    ag_node stmt = ag_ast_node_val(PG_QUERY__NODE__NODE_SELECT_STMT, &sel);
    char *text;
    int rc = ag_ast_deparse_stmt(&stmt, &text, err);
    if (rc)
        return rc;
    const char *prefix = "SELECT ";
    size_t plen = strlen(prefix);
    if (strncmp(text, prefix, plen) == 0)
        memmove(text, text + plen, strlen(text + plen) + 1);
    *out = text;
    return 0;
}

/* Deparse `ALTER TABLE x ADD <constraint>` and keep the constraint part.
 * The wrapping statement is on the stack: garbage once deparsed. */
static int
deparse_constraint(ag_ast *ast, PgQuery__Constraint *c, char **out,
                   ag_error *err)
{
    PgQuery__RangeVar rv = PG_QUERY__RANGE_VAR__INIT;
    rv.relname = "x";
    rv.inh = true;
    rv.relpersistence = "p";
    PgQuery__AlterTableCmd cmd = PG_QUERY__ALTER_TABLE_CMD__INIT;
    cmd.subtype = PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint;
    cmd.behavior = PG_QUERY__DROP_BEHAVIOR__DROP_RESTRICT;
    ag_node def = ag_ast_node_val(PG_QUERY__NODE__NODE_CONSTRAINT, c);
    cmd.def = &def;
    ag_node cmdnode = ag_ast_node_val(PG_QUERY__NODE__NODE_ALTER_TABLE_CMD, &cmd);
    ag_node *cmds[1] = {&cmdnode};
    PgQuery__AlterTableStmt at = PG_QUERY__ALTER_TABLE_STMT__INIT;
    at.relation = &rv;
    at.n_cmds = 1;
    at.cmds = cmds;
    at.objtype = PG_QUERY__OBJECT_TYPE__OBJECT_TABLE;
    ag_node stmt = ag_ast_node_val(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT, &at);

    /* The name is kept outside the body (constraints are matched by name
     * separately), so deparse without it. */
    char *saved_name = c->conname;
    c->conname = "";
    /* Scratch for the cast workaround (cast_elems.c), freed below. */
    PgQuery__IndexElem **elems =
        ag_xmalloc((c->n_exclusions + 1) * sizeof *elems);
    for (size_t i = 0; i < c->n_exclusions; i++) {
        ag_node *pair = c->exclusions[i];
        elems[i] = pair->node_case == PG_QUERY__NODE__NODE_LIST &&
                           pair->list->n_items > 0 &&
                           pair->list->items[0]->node_case ==
                               PG_QUERY__NODE__NODE_INDEX_ELEM
                       ? pair->list->items[0]->index_elem
                       : NULL;
    }
    cast_elem *casts = ag_xmalloc((c->n_exclusions + 1) * sizeof *casts);
    int ncasts = cn_cast_elems_hide(ast, elems, c->n_exclusions, casts, err);
    free(elems);
    if (ncasts < 0) {
        c->conname = saved_name;
        free(casts);
        return ncasts;
    }
    char *raw;
    int rc = ag_ast_deparse_stmt(&stmt, &raw, err);
    c->conname = saved_name;
    ag_buf restored;
    ag_buf_init(&restored);
    cn_cast_elems_restore(casts, (size_t)ncasts, rc ? "" : raw, &restored);
    free(casts);
    if (rc) {
        ag_buf_free(&restored);
        return rc;
    }
    free(raw);
    char *text = ag_buf_detach(&restored);
    ag_buf_free(&restored);
    const char *prefix = "ALTER TABLE x ADD ";
    size_t plen = strlen(prefix);
    if (strncmp(text, prefix, plen) == 0)
        memmove(text, text + plen, strlen(text + plen) + 1);
    /* libpg_query 15's deparser drops NULLS NOT DISTINCT on UNIQUE
     * constraints; put it back where PostgreSQL prints it. */
    if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE &&
        c->nulls_not_distinct && strncmp(text, "UNIQUE ", 7) == 0 &&
        !strstr(text, "NULLS NOT DISTINCT")) {
        ag_buf b;
        ag_buf_init(&b);
        ag_buf_put(&b, "UNIQUE NULLS NOT DISTINCT ");
        ag_buf_put(&b, text + 7);
        free(text);
        text = ag_buf_detach(&b);
        ag_buf_free(&b);
    }
    *out = text;
    return 0;
}

/* ---- expressions ---- */

/* The canonical text of a normalised subtree, in the catalog arena. */
static const char *
canon_text(ag_catalog *cat, const ProtobufCMessage *m)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_canon_print(&b, m);
    const char *out = ag_arena_strdup(&cat->arena, b.data);
    ag_buf_free(&b);
    return out;
}

/* ---- memo of canonicalised expressions ----
 * Defaults repeat: at 10,000 tables the models hold ~60,000 of them and
 * the database as many, mostly now(), 0, false, '{}'::jsonb.  Each costs a
 * deparse (model side) or a parse (database side) through libpg_query's
 * protobuf round trip, so the result is remembered per catalog, keyed by
 * the default schema and either the server's text ("T") or the canonical
 * print of the tree as given ("N").  The table lives in the catalog arena
 * (a grown table's old slots stay there: at most as much again). */
typedef struct memo_ent {
    uint64_t hash;
    const char *key;
    const void *val; /* an ag_expr, con_shape or idx_shape, never changed */
} memo_ent;

struct ag_canon_memo {
    memo_ent *ents;
    size_t cap, n;
};

static uint64_t
memo_hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static memo_ent *
memo_find(ag_catalog *cat, const char *key, uint64_t h)
{
    struct ag_canon_memo *m = cat->canon_memo;
    if (!m || !m->cap)
        return NULL;
    for (size_t i = h & (m->cap - 1); m->ents[i].key;
         i = (i + 1) & (m->cap - 1))
        if (m->ents[i].hash == h && strcmp(m->ents[i].key, key) == 0)
            return &m->ents[i];
    return NULL;
}

static void
memo_put(ag_catalog *cat, const char *key, uint64_t h, const void *val)
{
    struct ag_canon_memo *m = cat->canon_memo;
    if (!m)
        m = cat->canon_memo = ag_arena_alloc(&cat->arena, sizeof *m);
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        memo_ent *ents = ag_arena_alloc(&cat->arena, cap * sizeof *ents);
        memset(ents, 0, cap * sizeof *ents);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->ents[i].key)
                continue;
            size_t j = m->ents[i].hash & (cap - 1);
            while (ents[j].key)
                j = (j + 1) & (cap - 1);
            ents[j] = m->ents[i];
        }
        m->ents = ents;
        m->cap = cap;
    }
    size_t i = h & (m->cap - 1);
    while (m->ents[i].key)
        i = (i + 1) & (m->cap - 1);
    m->ents[i] = (memo_ent){h, ag_arena_strdup(&cat->arena, key), val};
    m->n++;
}

/* Remember an expression: a copy of *e, since callers may later point
 * their own ag_expr's fields elsewhere. */
static void
memo_put_expr(ag_catalog *cat, const char *key, uint64_t h, const ag_expr *e)
{
    ag_expr *copy = ag_arena_alloc(&cat->arena, sizeof *copy);
    *copy = *e;
    memo_put(cat, key, h, copy);
}

/* A fresh ag_expr sharing the remembered texts (never written through). */
static const ag_expr *
memo_expr(ag_catalog *cat, const memo_ent *hit)
{
    ag_expr *e = ag_arena_alloc(&cat->arena, sizeof *e);
    *e = *(const ag_expr *)hit->val;
    return e;
}

/* want_sql: deparse the expression for emitting (the model side); the
 * database side emits the server's own text instead. */
static int
expr_node(ag_catalog *cat, ag_ast *ast, ag_node **slot,
          const char *default_schema, bool want_sql, const ag_expr **out,
          ag_error *err)
{
    ag_expr *e = ag_arena_alloc(&cat->arena, sizeof *e);
    if (want_sql) {
        char *sql;
        ag_canon_qualify(ast, slot, default_schema);
        int rc = cn_deparse_expr(ast, *slot, &sql, err);
        if (rc)
            return rc;
        e->sql = ag_arena_strdup(&cat->arena, sql);
        free(sql);
    }
    ag_canon_normalize(ast, slot, default_schema);
    e->canon = canon_text(cat, (const ProtobufCMessage *)*slot);
    *out = e;
    return 0;
}

int
ag_canon_expr_node(ag_catalog *cat, ag_ast *ast, ag_node **slot,
                   const char *default_schema, const ag_expr **out,
                   ag_error *err)
{
    return expr_node(cat, ast, slot, default_schema, true, out, err);
}

int
ag_canon_default_node(ag_catalog *cat, ag_ast *ast, ag_node **slot,
                      const char *default_schema, const ag_expr **out,
                      ag_error *err)
{
    ag_buf key;
    ag_buf_init(&key);
    ag_buf_printf(&key, "N%s", default_schema ? default_schema : "");
    ag_buf_putc(&key, '\x1f');
    ag_canon_print(&key, (const ProtobufCMessage *)*slot);
    uint64_t h = memo_hash(key.data);
    const memo_ent *hit = memo_find(cat, key.data, h);
    int rc = 0;
    if (hit) {
        *out = memo_expr(cat, hit);
    } else {
        rc = expr_node(cat, ast, slot, default_schema, true, out, err);
        if (rc == 0)
            memo_put_expr(cat, key.data, h, *out);
    }
    ag_buf_free(&key);
    return rc;
}

int
ag_canon_expr_text(ag_catalog *cat, const char *sql, const char *default_schema,
                   const ag_expr **out, ag_error *err)
{
    ag_buf key;
    ag_buf_init(&key);
    ag_buf_printf(&key, "T%s", default_schema ? default_schema : "");
    ag_buf_putc(&key, '\x1f');
    ag_buf_put(&key, sql);
    uint64_t h = memo_hash(key.data);
    const memo_ent *hit = memo_find(cat, key.data, h);
    if (hit) {
        *out = memo_expr(cat, hit);
        ag_buf_free(&key);
        return 0;
    }
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "SELECT %s", sql);
    ag_ast ast;
    int rc = ag_ast_parse(&ast, b.data, NULL, err);
    if (rc == 0) {
        PgQuery__SelectStmt *sel = ast.tree->stmts[0]->stmt->select_stmt;
        PgQuery__ResTarget *rt = sel->target_list[0]->res_target;
        rc = expr_node(cat, &ast, &rt->val, default_schema, false, out, err);
        if (rc == 0) { /* emit the server's own text */
            ((ag_expr *)*out)->sql = ag_arena_strdup(&cat->arena, sql);
            memo_put_expr(cat, key.data, h, *out);
        }
    } else {
        ag_error_prefix(err, "expression %s: ", sql);
    }
    ag_ast_free(&ast);
    ag_buf_free(&b);
    ag_buf_free(&key);
    return rc;
}

/* ---- constraints ---- */

static const char **
name_list(ag_catalog *cat, ag_node **items, size_t n)
{
    const char **out = ag_arena_alloc(&cat->arena, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const char *s = ag_ast_str(items[i]);
        out[i] = ag_arena_strdup(&cat->arena, s ? s : "");
    }
    return out;
}

static int
constraint_node(ag_catalog *cat, ag_ast *ast, PgQuery__Constraint *c,
                ag_constraint *con, const char *default_schema, bool want_sql,
                ag_error *err)
{
    switch (c->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
        con->type = AG_CON_PRIMARY;
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
        con->type = AG_CON_UNIQUE;
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
        con->type = AG_CON_CHECK;
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
        con->type = AG_CON_FOREIGN;
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
        con->type = AG_CON_EXCLUDE;
        break;
    default:
        return ag_errorf(err, AG_EUNSUPPORTED, "unsupported constraint kind");
    }
    /* Defaults the server fills in and prints (or omits) consistently. */
    if (!*c->fk_matchtype)
        c->fk_matchtype = "s";
    if (!*c->fk_upd_action)
        c->fk_upd_action = "a";
    if (!*c->fk_del_action)
        c->fk_del_action = "a";
    if (con->type == AG_CON_EXCLUDE && !*c->access_method)
        c->access_method = "btree";
    c->initially_valid = !c->skip_validation;

    if (con->type == AG_CON_FOREIGN) {
        con->cols = name_list(cat, c->fk_attrs, c->n_fk_attrs);
        con->ncols = c->n_fk_attrs;
        con->ref_table.schema = ag_arena_strdup(
            &cat->arena,
            *c->pktable->schemaname ? c->pktable->schemaname : default_schema);
        con->ref_table.name = ag_arena_strdup(&cat->arena, c->pktable->relname);
        con->ref_cols = name_list(cat, c->pk_attrs, c->n_pk_attrs);
        con->nref_cols = c->n_pk_attrs;
    } else if (con->type == AG_CON_EXCLUDE) {
        con->cols =
            ag_arena_alloc(&cat->arena, (c->n_exclusions + 1) * sizeof(char *));
        for (size_t i = 0; i < c->n_exclusions; i++) {
            ag_node *pair = c->exclusions[i];
            if (pair->node_case != PG_QUERY__NODE__NODE_LIST ||
                pair->list->n_items < 1 ||
                pair->list->items[0]->node_case !=
                    PG_QUERY__NODE__NODE_INDEX_ELEM)
                continue;
            const char *col = pair->list->items[0]->index_elem->name;
            if (col && *col)
                con->cols[con->ncols++] = ag_arena_strdup(&cat->arena, col);
        }
    } else {
        con->cols = name_list(cat, c->keys, c->n_keys);
        con->ncols = c->n_keys;
    }

    if (want_sql) {
        char *sql;
        int rc = deparse_constraint(ast, c, &sql, err);
        if (rc)
            return rc;
        con->def.sql = ag_arena_strdup(&cat->arena, sql);
        free(sql);
    }
    /* Normalise every expression hanging off the constraint (CHECK body,
     * EXCLUDE elements and predicate) by walking it as one subtree; the
     * name is compared separately. */
    ag_node as_node = ag_ast_node_val(PG_QUERY__NODE__NODE_CONSTRAINT, c);
    ag_node *slot = &as_node;
    ag_canon_normalize(ast, &slot, default_schema);
    char *saved_name = c->conname;
    c->conname = "";
    con->def.canon = canon_text(cat, (const ProtobufCMessage *)c);
    c->conname = saved_name;
    return 0;
}

/* What constraint_node derives from a constraint: a pure function of the
 * server's body text (database side, key "C" + body) or of the tree
 * without its name and of the default schema (model side, key "K"), so
 * remembered per catalog.  At 10,000 tables each side holds 10,000
 * "PRIMARY KEY (id)".  sql is the model side's deparsed body. */
typedef struct con_shape {
    char type;
    const char **cols, **ref_cols;
    size_t ncols, nref_cols;
    ag_qname ref_table;
    const char *canon, *sql;
} con_shape;

static void
con_shape_put(ag_catalog *cat, const char *key, uint64_t h,
              const ag_constraint *con)
{
    con_shape *c = ag_arena_alloc(&cat->arena, sizeof *c);
    *c = (con_shape){con->type,      con->cols,      con->ref_cols,
                     con->ncols,     con->nref_cols, con->ref_table,
                     con->def.canon, con->def.sql};
    memo_put(cat, key, h, c);
}

static void
con_shape_get(ag_constraint *con, const con_shape *c)
{
    con->type = c->type;
    con->cols = c->cols;
    con->ncols = c->ncols;
    con->ref_table = c->ref_table;
    con->ref_cols = c->ref_cols;
    con->nref_cols = c->nref_cols;
    con->def.canon = c->canon;
    con->def.sql = c->sql;
}

int
ag_canon_constraint_node(ag_catalog *cat, ag_ast *ast, PgQuery__Constraint *c,
                         ag_constraint *con, const char *default_schema,
                         ag_error *err)
{
    ag_buf key;
    ag_buf_init(&key);
    ag_buf_printf(&key, "K%s", default_schema ? default_schema : "");
    ag_buf_putc(&key, '\x1f');
    char *saved_name = c->conname;
    c->conname = "";
    ag_canon_print(&key, (const ProtobufCMessage *)c);
    c->conname = saved_name;
    uint64_t h = memo_hash(key.data);
    const memo_ent *hit = memo_find(cat, key.data, h);
    int rc = 0;
    if (hit) {
        con_shape_get(con, hit->val);
    } else {
        rc = constraint_node(cat, ast, c, con, default_schema, true, err);
        if (rc == 0)
            con_shape_put(cat, key.data, h, con);
    }
    ag_buf_free(&key);
    return rc;
}

int
ag_canon_constraint_text(ag_catalog *cat, ag_constraint *con, const char *body,
                         ag_error *err)
{
    ag_buf key;
    ag_buf_init(&key);
    ag_buf_putc(&key, 'C');
    ag_buf_put(&key, body);
    uint64_t h = memo_hash(key.data);
    const memo_ent *hit = memo_find(cat, key.data, h);
    if (hit) {
        con_shape_get(con, hit->val);
        con->def.sql = hit->key + 1; /* the body, already in the arena */
        ag_buf_free(&key);
        return 0;
    }
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "ALTER TABLE x ADD %s", body);
    ag_ast ast;
    int rc = ag_ast_parse(&ast, b.data, NULL, err);
    if (rc == 0) {
        PgQuery__AlterTableStmt *at =
            ast.tree->stmts[0]->stmt->alter_table_stmt;
        PgQuery__Constraint *c = at->cmds[0]->alter_table_cmd->def->constraint;
        rc = constraint_node(cat, &ast, c, con, "public", false, err);
        if (rc == 0) {
            con->def.sql = NULL; /* the shape holds no text: see below */
            con_shape_put(cat, key.data, h, con);
            con->def.sql = ag_arena_strdup(&cat->arena, body);
        }
    }
    if (rc)
        ag_error_prefix(err, "constraint %s: ", con->obj.name.name);
    ag_ast_free(&ast);
    ag_buf_free(&b);
    ag_buf_free(&key);
    return rc;
}

/* ---- indexes ---- */

/* What index_node derives from an index apart from its name and table,
 * remembered per catalog: on the database side keyed "I" + the UNIQUE
 * flag + pg_get_indexdef's text from " USING " on (see index_key); on the
 * model side keyed "X" + the default schema + the tree's print without
 * name and table, with `sql` the deparsed statement holding placeholders
 * for both (see model_index_sql). */
typedef struct idx_shape {
    bool unique;
    const char **cols;
    size_t ncols;
    const char *canon, *sql;
} idx_shape;

static int
index_node(ag_catalog *cat, ag_ast *ast, PgQuery__IndexStmt *s, ag_index *idx,
           const char *default_schema, bool want_sql, ag_error *err)
{
    idx->unique = s->unique;
    idx->cols =
        ag_arena_alloc(&cat->arena, (s->n_index_params + 1) * sizeof(char *));
    for (size_t i = 0; i < s->n_index_params; i++) {
        PgQuery__IndexElem *ie = s->index_params[i]->index_elem;
        if (ie->name && *ie->name)
            idx->cols[idx->ncols++] = ag_arena_strdup(&cat->arena, ie->name);
    }
    if (!*s->access_method)
        s->access_method = "btree";
    s->concurrent = false;
    s->if_not_exists = false;
    s->table_space = "";
    if (want_sql) {
        /* Scratch for the cast workaround (cast_elems.c), freed below. */
        PgQuery__IndexElem **elems =
            ag_xmalloc((s->n_index_params + 1) * sizeof *elems);
        for (size_t i = 0; i < s->n_index_params; i++)
            elems[i] = s->index_params[i]->index_elem;
        cast_elem *casts =
            ag_xmalloc((s->n_index_params + 1) * sizeof *casts);
        int ncasts =
            cn_cast_elems_hide(ast, elems, s->n_index_params, casts, err);
        free(elems);
        if (ncasts < 0) {
            free(casts);
            return ncasts;
        }
        ag_buf sql;
        ag_buf_init(&sql);
        ag_node stmt = ag_ast_node_val(PG_QUERY__NODE__NODE_INDEX_STMT, s);
        int rc = ag_ast_deparse_named(&stmt, &s->idxname, &sql, err);
        ag_buf fixed;
        ag_buf_init(&fixed);
        cn_cast_elems_restore(casts, (size_t)ncasts, rc ? "" : sql.data,
                              &fixed);
        free(casts);
        if (rc == 0)
            idx->def.sql = ag_arena_strdup(&cat->arena, fixed.data);
        ag_buf_free(&fixed);
        ag_buf_free(&sql);
        if (rc)
            return rc;
    }
    ag_node as_node = ag_ast_node_val(PG_QUERY__NODE__NODE_INDEX_STMT, s);
    ag_node *slot = &as_node;
    ag_canon_normalize(ast, &slot, default_schema);
    /* The index name and its table are compared apart from the
     * definition (a renamed table keeps its indexes). */
    char *saved_name = s->idxname;
    PgQuery__RangeVar *saved_rel = s->relation;
    s->idxname = "";
    s->relation = NULL;
    idx->def.canon = canon_text(cat, (const ProtobufCMessage *)s);
    s->idxname = saved_name;
    s->relation = saved_rel;
    return 0;
}

static const char idx_placeholder[] = "ag_index_name_placeholder";
static const char rel_placeholder[] = "ag_index_table_placeholder";

/* The one occurrence of `word` in sql, or NULL when there is not exactly
 * one (then the template cannot be filled in safely). */
static const char *
only_occurrence(const char *sql, const char *word)
{
    const char *at = strstr(sql, word);
    return at && !strstr(at + 1, word) ? at : NULL;
}

/* Fill the template: the placeholders become the index's name and its
 * table as the deparser would have printed them (quote_identifier rules,
 * schema-qualified when the model qualified it).  False when the template
 * does not hold each placeholder exactly once. */
static bool
model_index_sql(ag_catalog *cat, const char *tpl,
                const PgQuery__IndexStmt *s, ag_index *idx)
{
    const char *at_idx = only_occurrence(tpl, idx_placeholder);
    const char *at_rel = only_occurrence(tpl, rel_placeholder);
    if (!at_idx || !at_rel || at_rel < at_idx)
        return false;
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_putn(&b, tpl, (size_t)(at_idx - tpl));
    ag_quote_ident(&b, s->idxname);
    const char *mid = at_idx + sizeof idx_placeholder - 1;
    ag_buf_putn(&b, mid, (size_t)(at_rel - mid));
    if (s->relation->schemaname && *s->relation->schemaname) {
        ag_quote_ident(&b, s->relation->schemaname);
        ag_buf_putc(&b, '.');
    }
    ag_quote_ident(&b, s->relation->relname);
    ag_buf_put(&b, at_rel + sizeof rel_placeholder - 1);
    idx->def.sql = ag_arena_strdup(&cat->arena, b.data);
    ag_buf_free(&b);
    return true;
}

int
ag_canon_index_node(ag_catalog *cat, ag_ast *ast, PgQuery__IndexStmt *s,
                    ag_index *idx, const char *default_schema, ag_error *err)
{
    /* Indexes repeat apart from name and table ((created_at) on every
     * table): deparse once with placeholders for those, then fill them in. */
    if (!s->idxname || !*s->idxname || !s->relation || !s->relation->relname ||
        (s->relation->catalogname && *s->relation->catalogname))
        return index_node(cat, ast, s, idx, default_schema, true, err);
    char *name = s->idxname, *rschema = s->relation->schemaname,
         *rname = s->relation->relname;
    s->idxname = "";
    s->relation->schemaname = "";
    s->relation->relname = "";
    ag_buf key;
    ag_buf_init(&key);
    ag_buf_printf(&key, "X%s", default_schema ? default_schema : "");
    ag_buf_putc(&key, '\x1f');
    ag_canon_print(&key, (const ProtobufCMessage *)s);
    uint64_t h = memo_hash(key.data);
    const memo_ent *hit = memo_find(cat, key.data, h);
    const idx_shape *x = hit ? hit->val : NULL;
    int rc = 0;
    if (!x) {
        s->idxname = (char *)idx_placeholder;
        s->relation->relname = (char *)rel_placeholder;
        rc = index_node(cat, ast, s, idx, default_schema, true, err);
        if (rc == 0) {
            idx_shape *nx = ag_arena_alloc(&cat->arena, sizeof *nx);
            *nx = (idx_shape){idx->unique, idx->cols, idx->ncols,
                              idx->def.canon, idx->def.sql};
            memo_put(cat, key.data, h, nx);
            x = nx;
        }
    }
    s->idxname = name;
    s->relation->schemaname = rschema;
    s->relation->relname = rname;
    ag_buf_free(&key);
    if (rc)
        return rc;
    idx->unique = x->unique;
    idx->cols = x->cols;
    idx->ncols = x->ncols;
    idx->def.canon = x->canon;
    if (!model_index_sql(cat, x->sql, s, idx))
        return index_node(cat, ast, s, idx, default_schema, true, err);
    return 0;
}


/* Skip one identifier as quote_identifier prints it: "..." with ""
 * doubled, or a run of characters that are neither space, dot nor quote.
 * NULL when there is none. */
static const char *
skip_ident(const char *p)
{
    if (*p == '"') {
        for (p++; *p; p++)
            if (*p == '"') {
                if (p[1] != '"')
                    return p + 1;
                p++;
            }
        return NULL;
    }
    const char *start = p;
    while (*p && *p != ' ' && *p != '.' && *p != '"')
        p++;
    return p > start ? p : NULL;
}

static bool
skip_word(const char **p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*p, word, n) != 0)
        return false;
    *p += n;
    return true;
}

/* The memo key of `CREATE [UNIQUE] INDEX name ON [ONLY] [schema.]table
 * USING ...`: false when the head is in any other form (then no memo). */
static bool
index_key(const char *stmt, ag_buf *key)
{
    const char *p = stmt;
    if (!skip_word(&p, "CREATE "))
        return false;
    bool unique = skip_word(&p, "UNIQUE ");
    if (!skip_word(&p, "INDEX ") || !(p = skip_ident(p)) ||
        !skip_word(&p, " ON "))
        return false;
    skip_word(&p, "ONLY ");
    if (!(p = skip_ident(p)))
        return false;
    if (*p == '.' && !(p = skip_ident(p + 1)))
        return false;
    if (strncmp(p, " USING ", 7) != 0)
        return false;
    ag_buf_put(key, unique ? "IU" : "I-");
    ag_buf_put(key, p);
    return true;
}

int
ag_canon_index_text(ag_catalog *cat, ag_index *idx, const char *stmt,
                    ag_error *err)
{
    ag_buf key;
    ag_buf_init(&key);
    bool keyed = index_key(stmt, &key);
    uint64_t h = keyed ? memo_hash(key.data) : 0;
    const memo_ent *hit = keyed ? memo_find(cat, key.data, h) : NULL;
    if (hit) {
        const idx_shape *x = hit->val;
        idx->unique = x->unique;
        idx->cols = x->cols;
        idx->ncols = x->ncols;
        idx->def.canon = x->canon;
        idx->def.sql = ag_arena_strdup(&cat->arena, stmt);
        ag_buf_free(&key);
        return 0;
    }
    ag_ast ast;
    int rc = ag_ast_parse(&ast, stmt, NULL, err);
    if (rc == 0) {
        ag_node *n = ast.tree->n_stmts == 1 ? ast.tree->stmts[0]->stmt : NULL;
        if (!n || n->node_case != PG_QUERY__NODE__NODE_INDEX_STMT)
            rc = ag_errorf(err, AG_EPARSE, "not a CREATE INDEX statement");
        else
            rc =
                index_node(cat, &ast, n->index_stmt, idx, "public", false, err);
        if (rc == 0) /* the server's own statement is emit-ready */
            idx->def.sql = ag_arena_strdup(&cat->arena, stmt);
        if (rc == 0 && keyed) {
            idx_shape *x = ag_arena_alloc(&cat->arena, sizeof *x);
            *x = (idx_shape){idx->unique, idx->cols, idx->ncols,
                             idx->def.canon, NULL};
            memo_put(cat, key.data, h, x);
        }
    }
    if (rc)
        ag_error_prefix(err, "index %s: ", idx->obj.name.name);
    ag_ast_free(&ast);
    ag_buf_free(&key);
    return rc;
}
