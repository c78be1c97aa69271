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
 * print of the tree as given ("N").  Constraints repeat as well (PRIMARY
 * KEY (id)) and are remembered the same way: "C", the model's tree, and
 * "K", the server's text.  The table lives in the catalog arena (a grown
 * table's old slots stay there: at most as much again). */
typedef struct memo_ent {
    uint64_t hash;
    const char *key;
    const char *sql, *canon;
    const ag_constraint *con; /* "K" keys: a copy of the first one read */
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
memo_put(ag_catalog *cat, const char *key, uint64_t h, const ag_expr *e,
         const ag_constraint *con)
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
    ag_constraint *kept = NULL;
    if (con) { /* a copy: callers may pass a constraint on their stack */
        kept = ag_arena_alloc(&cat->arena, sizeof *kept);
        *kept = *con;
    }
    m->ents[i] = (memo_ent){h, ag_arena_strdup(&cat->arena, key), e->sql,
                            e->canon, kept};
    m->n++;
}

/* A fresh ag_expr sharing the remembered texts (never written through). */
static const ag_expr *
memo_expr(ag_catalog *cat, const memo_ent *hit)
{
    ag_expr *e = ag_arena_alloc(&cat->arena, sizeof *e);
    e->sql = hit->sql;
    e->canon = hit->canon;
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
            memo_put(cat, key.data, h, *out, NULL);
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
            memo_put(cat, key.data, h, *out, NULL);
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

    /* Model side: constraints repeat (PRIMARY KEY (id) on most tables), so
     * their texts are remembered like defaults', keyed by the default
     * schema and the print of the nameless tree as given ("C"). */
    ag_buf key;
    uint64_t h = 0;
    char *saved_name = c->conname;
    if (want_sql) {
        ag_buf_init(&key);
        ag_buf_printf(&key, "C%s", default_schema ? default_schema : "");
        ag_buf_putc(&key, '\x1f');
        c->conname = "";
        ag_canon_print(&key, (const ProtobufCMessage *)c);
        c->conname = saved_name;
        h = memo_hash(key.data);
        const memo_ent *hit = memo_find(cat, key.data, h);
        if (hit) {
            con->def.sql = hit->sql;
            con->def.canon = hit->canon;
            ag_buf_free(&key);
            return 0;
        }
        char *sql;
        int rc = deparse_constraint(ast, c, &sql, err);
        if (rc) {
            ag_buf_free(&key);
            return rc;
        }
        con->def.sql = ag_arena_strdup(&cat->arena, sql);
        free(sql);
    }
    /* Normalise every expression hanging off the constraint (CHECK body,
     * EXCLUDE elements and predicate) by walking it as one subtree; the
     * name is compared separately. */
    ag_node as_node = ag_ast_node_val(PG_QUERY__NODE__NODE_CONSTRAINT, c);
    ag_node *slot = &as_node;
    ag_canon_normalize(ast, &slot, default_schema);
    c->conname = "";
    con->def.canon = canon_text(cat, (const ProtobufCMessage *)c);
    c->conname = saved_name;
    if (want_sql) {
        memo_put(cat, key.data, h, &con->def, NULL);
        ag_buf_free(&key);
    }
    return 0;
}

int
ag_canon_constraint_node(ag_catalog *cat, ag_ast *ast, PgQuery__Constraint *c,
                         ag_constraint *con, const char *default_schema,
                         ag_error *err)
{
    return constraint_node(cat, ast, c, con, default_schema, true, err);
}

int
ag_canon_constraint_text(ag_catalog *cat, ag_constraint *con, const char *body,
                         ag_error *err)
{
    /* Database side: the server's text of a constraint that repeats
     * (PRIMARY KEY (id)) is parsed once ("K"); the others share the first
     * one's columns and texts, which are never written through. */
    ag_buf key;
    ag_buf_init(&key);
    ag_buf_put(&key, "K");
    ag_buf_put(&key, body);
    uint64_t h = memo_hash(key.data);
    const memo_ent *hit = memo_find(cat, key.data, h);
    if (hit) {
        const ag_constraint *p = hit->con;
        con->type = p->type;
        con->cols = p->cols;
        con->ncols = p->ncols;
        con->ref_table = p->ref_table;
        con->ref_cols = p->ref_cols;
        con->nref_cols = p->nref_cols;
        con->def = p->def;
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
            con->def.sql = ag_arena_strdup(&cat->arena, body);
            memo_put(cat, key.data, h, &con->def, con);
        }
    }
    ag_buf_free(&key);
    if (rc)
        ag_error_prefix(err, "constraint %s: ", con->obj.name.name);
    ag_ast_free(&ast);
    ag_buf_free(&b);
    return rc;
}

/* ---- indexes ---- */

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
    ag_node *as_node = ag_ast_node(ast, PG_QUERY__NODE__NODE_INDEX_STMT, s);
    ag_canon_normalize(ast, &as_node, default_schema);
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

int
ag_canon_index_node(ag_catalog *cat, ag_ast *ast, PgQuery__IndexStmt *s,
                    ag_index *idx, const char *default_schema, ag_error *err)
{
    return index_node(cat, ast, s, idx, default_schema, true, err);
}

int
ag_canon_index_text(ag_catalog *cat, ag_index *idx, const char *stmt,
                    ag_error *err)
{
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
    }
    if (rc)
        ag_error_prefix(err, "index %s: ", idx->obj.name.name);
    ag_ast_free(&ast);
    return rc;
}
