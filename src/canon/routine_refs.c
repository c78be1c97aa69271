/*
 * routine_refs.c - the relations, columns, functions and types a function
 * body names, read from its parse trees (routine_refs.h).
 *
 * SQL trees are walked through the protobuf-c descriptors, one scope per
 * query level: a scope holds the relations of that level's FROM (or the
 * target of INSERT/UPDATE/DELETE) and its CTE names, so `alias.col` finds
 * its table and a bare `col` is credited to the only relation of the
 * innermost level that has any.  PL/pgSQL bodies go through
 * pg_query_parse_plpgsql, whose JSON carries every embedded query or
 * expression as a PLpgSQL_expr "query" string; each is parsed as SQL (an
 * expression as `SELECT expr`, an assignment without its target).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "autogen/ast.h"
#include "autogen/emit.h"
#include "autogen/ident.h"
#include "autogen/routine_refs.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RR_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(RR_ASAN)
#include <sanitizer/lsan_interface.h>
#define RR_LSAN_OFF() __lsan_disable()
#define RR_LSAN_ON() __lsan_enable()
#else
#define RR_LSAN_OFF() ((void)0)
#define RR_LSAN_ON() ((void)0)
#endif

/* ---- collecting ---- */

typedef struct rr_ctx {
    ag_catalog *cat;
    ag_funcref *refs; /* malloc'd while collecting; strings in the arena */
    size_t n, cap;
} rr_ctx;

static bool
str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Record a reference once; tree strings are copied into the arena. */
static void
add_ref(rr_ctx *x, ag_funcref_kind kind, const char *schema, const char *name,
        const char *col)
{
    if (!name || !*name || (schema && strcmp(schema, "pg_catalog") == 0))
        return;
    if (schema && !*schema)
        schema = NULL;
    for (size_t i = 0; i < x->n; i++)
        if (x->refs[i].kind == kind && str_eq(x->refs[i].name.schema, schema) &&
            strcmp(x->refs[i].name.name, name) == 0 &&
            str_eq(x->refs[i].col, col))
            return;
    if (x->n == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 8;
        x->refs = ag_xrealloc(x->refs, x->cap * sizeof *x->refs);
    }
    ag_arena *a = &x->cat->arena;
    x->refs[x->n++] =
        (ag_funcref){kind,
                     {ag_arena_strdup(a, schema), ag_arena_strdup(a, name)},
                     ag_arena_strdup(a, col)};
}

/* ---- scopes: one per query level ---- */

typedef struct rr_rel {
    const char *schema, *name; /* name NULL: a subquery or function */
    const char *refname;       /* alias, else the relation's name */
} rr_rel;

typedef struct rr_scope {
    struct rr_scope *up;
    rr_rel *rels;
    size_t nrels, cap;
    ag_node **ctes; /* CommonTableExpr nodes of this level's WITH */
    size_t nctes;
} rr_scope;

static void
scope_add(rr_scope *sc, const char *schema, const char *name,
          const char *refname)
{
    if (sc->nrels == sc->cap) {
        sc->cap = sc->cap ? 2 * sc->cap : 4;
        sc->rels = ag_xrealloc(sc->rels, sc->cap * sizeof *sc->rels);
    }
    sc->rels[sc->nrels++] = (rr_rel){schema, name, refname};
}

static bool
is_cte(const rr_scope *sc, const char *name)
{
    for (; sc; sc = sc->up)
        for (size_t i = 0; i < sc->nctes; i++)
            if (sc->ctes[i]->node_case ==
                    PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR &&
                strcmp(sc->ctes[i]->common_table_expr->ctename, name) == 0)
                return true;
    return false;
}

static const char *
alias_of(const PgQuery__Alias *a)
{
    return a && a->aliasname && *a->aliasname ? a->aliasname : NULL;
}

/* The FROM items of one level into its scope (not into subqueries). */
static void
scope_from(rr_scope *sc, const ag_node *n)
{
    if (!n)
        return;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR: {
        const PgQuery__RangeVar *rv = n->range_var;
        bool cte = !*rv->schemaname && is_cte(sc, rv->relname);
        const char *ref = alias_of(rv->alias);
        scope_add(sc, cte ? NULL : rv->schemaname, cte ? NULL : rv->relname,
                  ref ? ref : rv->relname);
        break;
    }
    case PG_QUERY__NODE__NODE_JOIN_EXPR:
        scope_from(sc, n->join_expr->larg);
        scope_from(sc, n->join_expr->rarg);
        if (alias_of(n->join_expr->alias))
            scope_add(sc, NULL, NULL, alias_of(n->join_expr->alias));
        break;
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
        scope_add(sc, NULL, NULL, alias_of(n->range_subselect->alias));
        break;
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION:
        scope_add(sc, NULL, NULL, alias_of(n->range_function->alias));
        break;
    default:
        break;
    }
}

/* The relation a column reference reads, or NULL when unknown. */
static const rr_rel *
column_rel(const rr_scope *sc, const char *qual)
{
    for (; sc; sc = sc->up) {
        if (!qual) {
            if (sc->nrels)
                return sc->nrels == 1 ? &sc->rels[0] : NULL;
            continue;
        }
        for (size_t i = 0; i < sc->nrels; i++)
            if (sc->rels[i].refname && strcmp(sc->rels[i].refname, qual) == 0)
                return &sc->rels[i];
    }
    return NULL;
}

static void walk(rr_ctx *x, const ProtobufCMessage *m, rr_scope *sc);

static void
column_ref(rr_ctx *x, const PgQuery__ColumnRef *c, const rr_scope *sc)
{
    size_t n = c->n_fields;
    const char *col = n ? ag_ast_str(c->fields[n - 1]) : NULL;
    if (!col) /* A_Star */
        return;
    const char *qual = n >= 2 ? ag_ast_str(c->fields[n - 2]) : NULL;
    if (n >= 2 && !qual)
        return;
    const rr_rel *r = column_rel(sc, qual);
    if (r && r->name)
        add_ref(x, AG_REF_RELATION, r->schema, r->name, col);
}

/* Target columns of INSERT (cols) and UPDATE (SET): plain names. */
static void
target_columns(rr_ctx *x, const rr_rel *rel, ag_node *const *items, size_t n)
{
    for (size_t i = 0; rel->name && i < n; i++)
        if (items[i]->node_case == PG_QUERY__NODE__NODE_RES_TARGET &&
            items[i]->res_target->name && *items[i]->res_target->name)
            add_ref(x, AG_REF_RELATION, rel->schema, rel->name,
                    items[i]->res_target->name);
}

static void
name_ref(rr_ctx *x, ag_funcref_kind kind, ag_node *const *items, size_t n)
{
    const char *schema, *name;
    if (n && ag_ast_qname(items, n, &schema, &name) == 0)
        add_ref(x, kind, schema, name, NULL);
}

/* Every message-valued field of m (a Node's oneof: only what is set). */
static void
walk_fields(rr_ctx *x, const ProtobufCMessage *m, rr_scope *sc)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    const char *base = (const char *)m;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)(base + f->quantifier_offset) != f->id)
            continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t k = *(const size_t *)(base + f->quantifier_offset);
            ProtobufCMessage *const *arr =
                *(ProtobufCMessage *const *const *)(base + f->offset);
            for (size_t j = 0; j < k; j++)
                if (arr[j])
                    walk(x, arr[j], sc);
        } else {
            const ProtobufCMessage *sub =
                *(const ProtobufCMessage *const *)(base + f->offset);
            if (sub)
                walk(x, sub, sc);
        }
    }
}

/* One query level: a scope of its FROM items (or DML target) and CTEs,
 * then the statement's fields walked inside it. */
static void
walk_level(rr_ctx *x, const ProtobufCMessage *m, PgQuery__WithClause *with,
           ag_node *const *from, size_t nfrom, PgQuery__RangeVar *target,
           ag_node *const *cols, size_t ncols, rr_scope *up)
{
    rr_scope sc = {.up = up};
    if (with) {
        sc.ctes = with->ctes;
        sc.nctes = with->n_ctes;
    }
    if (target) {
        const char *ref = alias_of(target->alias);
        scope_add(&sc, target->schemaname, target->relname,
                  ref ? ref : target->relname);
        target_columns(x, &sc.rels[0], cols, ncols);
    }
    for (size_t i = 0; i < nfrom; i++)
        scope_from(&sc, from[i]);
    walk_fields(x, m, &sc);
    free(sc.rels);
}

static void
walk_node(rr_ctx *x, const ag_node *n, rr_scope *sc)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE__NOT_SET:
        return;
    case PG_QUERY__NODE__NODE_SELECT_STMT: {
        PgQuery__SelectStmt *s = n->select_stmt;
        walk_level(x, &s->base, s->with_clause, s->from_clause,
                   s->n_from_clause, NULL, NULL, 0, sc);
        return;
    }
    case PG_QUERY__NODE__NODE_INSERT_STMT: {
        PgQuery__InsertStmt *s = n->insert_stmt;
        walk_level(x, &s->base, s->with_clause, NULL, 0, s->relation, s->cols,
                   s->n_cols, sc);
        return;
    }
    case PG_QUERY__NODE__NODE_UPDATE_STMT: {
        PgQuery__UpdateStmt *s = n->update_stmt;
        walk_level(x, &s->base, s->with_clause, s->from_clause,
                   s->n_from_clause, s->relation, s->target_list,
                   s->n_target_list, sc);
        return;
    }
    case PG_QUERY__NODE__NODE_DELETE_STMT: {
        PgQuery__DeleteStmt *s = n->delete_stmt;
        walk_level(x, &s->base, s->with_clause, s->using_clause,
                   s->n_using_clause, s->relation, NULL, 0, sc);
        return;
    }
    case PG_QUERY__NODE__NODE_COLUMN_REF:
        column_ref(x, n->column_ref, sc);
        return;
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        name_ref(x, AG_REF_FUNCTION, n->func_call->funcname,
                 n->func_call->n_funcname);
        break;
    default:
        break;
    }
    /* Every member of the oneof is a message pointer in one union. */
    walk(x, (const ProtobufCMessage *)n->select_stmt, sc);
}

static void
walk(rr_ctx *x, const ProtobufCMessage *m, rr_scope *sc)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pg_query__node__descriptor) {
        walk_node(x, (const ag_node *)m, sc);
    } else if (d == &pg_query__range_var__descriptor) {
        const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;
        if (*rv->schemaname || !is_cte(sc, rv->relname))
            add_ref(x, AG_REF_RELATION, rv->schemaname, rv->relname, NULL);
    } else if (d == &pg_query__type_name__descriptor) {
        const PgQuery__TypeName *tn = (const PgQuery__TypeName *)m;
        name_ref(x, AG_REF_TYPE, tn->names, tn->n_names);
    } else {
        walk_fields(x, m, sc);
    }
}

/* ---- bodies ---- */

/* Parse `sql` and walk every statement; false when it does not parse. */
static bool
walk_sql(rr_ctx *x, const char *sql)
{
    ag_ast ast;
    ag_error err;
    bool ok = ag_ast_parse(&ast, sql, NULL, &err) == 0;
    if (ok)
        for (size_t i = 0; i < ast.tree->n_stmts; i++)
            if (ast.tree->stmts[i]->stmt)
                walk_node(x, ast.tree->stmts[i]->stmt, NULL);
    ag_ast_free(&ast);
    return ok;
}

static bool
starts_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(s, w, n) == 0 &&
           !(s[n] == '_' || s[n] == '$' || isalnum((unsigned char)s[n]));
}

/* A PL/pgSQL query or expression: statements as they are, expressions as
 * `SELECT expr`, assignments (`target := expr`) without their target. */
static void
walk_plpgsql_expr(rr_ctx *x, const char *q)
{
    while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
        q++;
    static const char *const stmts[] = {"select", "insert", "update", "delete",
                                        "with",   "values", "table",  "merge"};
    for (size_t i = 0; i < sizeof stmts / sizeof *stmts; i++)
        if (starts_word(q, stmts[i])) {
            walk_sql(x, q);
            return;
        }
    /* The assignment target comes first: a name, maybe dotted or
     * subscripted; no quotes before the `:=`. */
    const char *as = strstr(q, ":=");
    if (as && !memchr(q, '\'', (size_t)(as - q)))
        q = as + 2;
    char *sel = ag_xmalloc(strlen(q) + 8);
    strcpy(sel, "SELECT ");
    strcat(sel, q);
    walk_sql(x, sel);
    free(sel);
}

/* Decode the JSON string starting after its opening quote at *p; returns
 * a malloc'd string and moves *p past the closing quote. */
static char *
json_string(const char **p)
{
    ag_buf b;
    ag_buf_init(&b);
    const char *s = *p;
    for (; *s && *s != '"'; s++) {
        if (*s != '\\') {
            ag_buf_putc(&b, *s);
            continue;
        }
        s++;
        switch (*s) {
        case 'n':
            ag_buf_putc(&b, '\n');
            break;
        case 't':
            ag_buf_putc(&b, '\t');
            break;
        case 'r':
            ag_buf_putc(&b, '\r');
            break;
        case 'b':
            ag_buf_putc(&b, '\b');
            break;
        case 'f':
            ag_buf_putc(&b, '\f');
            break;
        case 'u': {
            /* Only control characters come escaped so (the rest of the
             * text is UTF-8 as is): keep the low byte. */
            unsigned v = 0;
            for (int k = 1; k <= 4 && s[k]; k++) {
                char ch = s[k];
                v = v * 16 + (unsigned)(ch <= '9'   ? ch - '0'
                                        : ch <= 'F' ? ch - 'A' + 10
                                                    : ch - 'a' + 10);
            }
            ag_buf_putc(&b, (char)(v & 0xff));
            s += 4;
            break;
        }
        case '\0':
            s--;
            break;
        default: /* \" \\ \/ */
            ag_buf_putc(&b, *s);
        }
    }
    *p = *s ? s + 1 : s;
    return ag_buf_detach(&b);
}

/* A CREATE statement around the body, as pg_query_parse_plpgsql wants:
 * the arguments name the variables and the result type says whether
 * NEW/OLD exist (trigger functions). */
static void
plpgsql_stmt(const ag_function *fn, ag_buf *out)
{
    ag_buf_put(out, fn->is_procedure ? "CREATE PROCEDURE f"
                                     : "CREATE FUNCTION f");
    ag_emit_funcargs(out, fn, false);
    if (fn->result)
        ag_buf_printf(out, " RETURNS %s", fn->result);
    ag_buf_put(out, " LANGUAGE plpgsql AS ");
    ag_quote_dollar(out, fn->body, "body");
}

static void
walk_plpgsql(rr_ctx *x, const ag_function *fn)
{
    ag_buf stmt;
    ag_buf_init(&stmt);
    plpgsql_stmt(fn, &stmt);
    /* libpg_query 15 loses its copy of the (empty) stderr text, one byte,
     * whenever a body fails to compile; it is not ours to free, so the
     * leak checker looks away for this one call. */
    RR_LSAN_OFF();
    PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(stmt.data);
    RR_LSAN_ON();
    ag_buf_free(&stmt);
    static const char key[] = "\"query\":\"";
    for (const char *p = r.error ? NULL : r.plpgsql_funcs;
         p && (p = strstr(p, key)) != NULL;) {
        p += sizeof key - 1;
        char *q = json_string(&p);
        walk_plpgsql_expr(x, q);
        free(q);
    }
    pg_query_free_plpgsql_parse_result(r);
}

/* ---- the path ---- */

/* SET search_path of the function as schema names, or 0 when none. */
static size_t
config_path(ag_catalog *cat, const ag_function *fn, const char ***out)
{
    static const char key[] = "search_path=";
    for (size_t i = 0; i < fn->nconfig; i++) {
        if (strncmp(fn->config[i], key, sizeof key - 1) != 0)
            continue;
        const char *s = fn->config[i] + sizeof key - 1;
        size_t n = 0;
        const char **v =
            ag_arena_alloc(&cat->arena, (strlen(s) / 2 + 2) * sizeof *v);
        while (*s) {
            while (*s == ' ' || *s == ',')
                s++;
            const char *e = s;
            if (*s == '"') {
                e = strchr(s + 1, '"');
                e = e ? e : s + strlen(s);
                if (e > s + 1 && strncmp(s, "\"$user\"", 7) != 0)
                    v[n++] = ag_arena_strndup(&cat->arena, s + 1,
                                              (size_t)(e - s - 1));
                s = *e ? e + 1 : e;
                continue;
            }
            while (*e && *e != ',' && *e != ' ')
                e++;
            if (e > s && strncmp(s, "$user", 5) != 0 &&
                strncmp(s, "''", 2) != 0)
                v[n++] = ag_arena_strndup(&cat->arena, s, (size_t)(e - s));
            s = e;
        }
        if (!n) /* SET search_path = '': nothing unqualified resolves */
            v[n++] = "";
        *out = v;
        return n;
    }
    return 0;
}

void
ag_routine_refs(ag_catalog *cat, ag_function *fn, const char *const *path,
                size_t npath)
{
    fn->npath = config_path(cat, fn, &fn->path);
    if (!fn->npath && npath) {
        fn->path = ag_arena_alloc(&cat->arena, npath * sizeof *fn->path);
        for (size_t i = 0; i < npath; i++)
            fn->path[i] = ag_arena_strdup(&cat->arena, path[i]);
        fn->npath = npath;
    }
    fn->refs = NULL;
    fn->nrefs = 0;
    if (!fn->language || !fn->body)
        return;
    rr_ctx x = {.cat = cat};
    if (strcmp(fn->language, "sql") == 0)
        walk_sql(&x, fn->body);
    else if (strcmp(fn->language, "plpgsql") == 0)
        walk_plpgsql(&x, fn);
    if (x.n) {
        fn->refs = ag_arena_alloc(&cat->arena, x.n * sizeof *fn->refs);
        memcpy(fn->refs, x.refs, x.n * sizeof *fn->refs);
        fn->nrefs = x.n;
    }
    free(x.refs);
}
