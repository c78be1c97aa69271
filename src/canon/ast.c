/*
 * ast.c - parsing and deparsing through libpg_query, into a scratch arena.
 *
 * libpg_query hands back a packed protobuf; we unpack it with a protobuf-c
 * allocator that draws from an ag_arena, so callers may rewrite the tree in
 * place and free everything with one ag_ast_free.
 */
#include "autogen/ast.h"
#include "autogen/ident.h"

#include <stdlib.h>
#include <string.h>

static void *
arena_alloc(void *data, size_t size)
{
    return ag_arena_alloc(data, size);
}

static void
arena_free(void *data, void *ptr)
{
    (void)data;
    (void)ptr; /* freed with the arena */
}

int
ag_ast_parse(ag_ast *ast, const char *sql, int *errpos, ag_error *err)
{
    ag_arena_init(&ast->arena);
    ast->tree = NULL;
    if (errpos)
        *errpos = -1;
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
    if (r.error) {
        if (errpos && r.error->cursorpos > 0)
            *errpos = r.error->cursorpos - 1;
        int rc = ag_errorf(err, AG_EPARSE, "%s", r.error->message);
        pg_query_free_protobuf_parse_result(r);
        return rc;
    }
    ProtobufCAllocator alloc = {arena_alloc, arena_free, &ast->arena};
    ast->tree = pg_query__parse_result__unpack(
        &alloc, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
    pg_query_free_protobuf_parse_result(r);
    if (!ast->tree)
        return ag_errorf(err, AG_EPARSE, "cannot unpack the parse tree");
    return 0;
}

void
ag_ast_free(ag_ast *ast)
{
    ag_arena_destroy(&ast->arena);
    ast->tree = NULL;
}

int
ag_ast_deparse(const PgQuery__ParseResult *tree, char **out, ag_error *err)
{
    PgQueryProtobuf pb;
    pb.len = pg_query__parse_result__get_packed_size(tree);
    pb.data = ag_xmalloc(pb.len ? pb.len : 1);
    pg_query__parse_result__pack(tree, (uint8_t *)pb.data);
    PgQueryDeparseResult d = pg_query_deparse_protobuf(pb);
    free(pb.data);
    int rc = 0;
    if (d.error)
        rc = ag_errorf(err, AG_EPARSE, "deparse: %s", d.error->message);
    else
        *out = ag_xstrdup(d.query);
    pg_query_free_deparse_result(d);
    return rc;
}

ag_node *
ag_ast_new_string(ag_ast *ast, const char *s)
{
    ag_node *n = ag_arena_alloc(&ast->arena, sizeof *n);
    pg_query__node__init(n);
    PgQuery__String *str = ag_arena_alloc(&ast->arena, sizeof *str);
    pg_query__string__init(str);
    str->sval = ag_arena_strdup(&ast->arena, s);
    n->node_case = PG_QUERY__NODE__NODE_STRING;
    n->string = str;
    return n;
}

const char *
ag_ast_str(const ag_node *n)
{
    if (n && n->node_case == PG_QUERY__NODE__NODE_STRING && n->string)
        return n->string->sval;
    return NULL;
}

int
ag_ast_qname(ag_node *const *items, size_t n, const char **schema,
             const char **name)
{
    if (n < 1 || n > 3)
        return -1;
    *name = ag_ast_str(items[n - 1]);
    *schema = n >= 2 ? ag_ast_str(items[n - 2]) : NULL;
    return *name ? 0 : -1;
}

bool
ag_ast_int(const ag_node *n, long *out)
{
    if (!n)
        return false;
    if (n->node_case == PG_QUERY__NODE__NODE_INTEGER) {
        *out = n->integer->ival;
        return true;
    }
    if (n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
        *out = n->a_const->ival->ival;
        return true;
    }
    return false;
}

ag_node *
ag_ast_node(ag_ast *ast, PgQuery__Node__NodeCase which, void *msg)
{
    ag_node *n = ag_arena_alloc(&ast->arena, sizeof *n);
    pg_query__node__init(n);
    n->node_case = which;
    /* Every oneof member is a message pointer at the same offset. */
    n->select_stmt = msg;
    return n;
}

PgQuery__ParseResult *
ag_ast_wrap(ag_ast *ast, ag_node *stmt)
{
    PgQuery__RawStmt *raw = ag_arena_alloc(&ast->arena, sizeof *raw);
    pg_query__raw_stmt__init(raw);
    raw->stmt = stmt;
    PgQuery__ParseResult *pr = ag_arena_alloc(&ast->arena, sizeof *pr);
    pg_query__parse_result__init(pr);
    pr->version = PG_VERSION_NUM;
    pr->n_stmts = 1;
    pr->stmts = ag_arena_alloc(&ast->arena, sizeof(PgQuery__RawStmt *));
    pr->stmts[0] = raw;
    return pr;
}

int
ag_ast_deparse_stmt(ag_node *stmt, char **out, ag_error *err)
{
    /* The wrapper is garbage once deparsed: on the stack, not in an arena
     * (at resolution time that arena is the loader's, which lives on). */
    PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
    raw.stmt = stmt;
    PgQuery__RawStmt *stmts[1] = {&raw};
    PgQuery__ParseResult pr = PG_QUERY__PARSE_RESULT__INIT;
    pr.version = PG_VERSION_NUM;
    pr.n_stmts = 1;
    pr.stmts = stmts;
    return ag_ast_deparse(&pr, out, err);
}

int
ag_ast_deparse_named(ag_node *stmt, char **name_field, ag_buf *out,
                     ag_error *err)
{
    static const char placeholder[] = "ag_name_placeholder";
    char *name = *name_field;
    *name_field = (char *)placeholder;
    char *deparsed;
    int rc = ag_ast_deparse_stmt(stmt, &deparsed, err);
    *name_field = name;
    if (rc)
        return rc;
    char *at = strstr(deparsed, placeholder);
    if (at) {
        ag_buf_putn(out, deparsed, (size_t)(at - deparsed));
        ag_quote_ident(out, name);
        ag_buf_put(out, at + sizeof placeholder - 1);
    } else {
        ag_buf_put(out, deparsed);
    }
    free(deparsed);
    return 0;
}
