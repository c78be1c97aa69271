/*
 * normalize.c - rewrite an expression tree so that two spellings of the
 * same definition deparse to the same text.
 *
 * The rules mirror what PostgreSQL does when it stores an expression, so a
 * model's `CHECK (status IN ('a','b'))` meets the server's
 * `((status)::text = ANY ((ARRAY['a'::character varying, ...])::text[]))`:
 *   - casts of constants and of ARRAY[...] are dropped (the server adds
 *     them to match the column type), and so are casts to the string types
 *     text / varchar / bpchar (the server adds those around varchar columns)
 *     and casts of a bare column to the targets of PostgreSQL's implicit
 *     coercions (numeric widening, timestamp), which the server inserts to
 *     resolve operators: `unit_price * quantity` is stored as
 *     `unit_price * (quantity)::numeric`; other casts stay, with the type
 *     spelled canonically.  The price: a model that changes only such a
 *     cast on a column (a::bigint to a::numeric) is not seen as a change;
 *     a dev database settles those;
 *   - every constant is compared as its text;
 *   - x IN (...) becomes x = ANY (ARRAY[...]) (NOT IN: <> ALL), LIKE/ILIKE
 *     become their operators, BETWEEN becomes >= AND <=;
 *   - nested AND/OR are flattened;
 *   - pg_catalog. and public. qualifiers on function and operator names go;
 *   - the sequence name inside nextval('...') is schema-qualified.
 * This is a deliberately small set: a rule that made two different
 * definitions look equal would hide drift, which is worse than reporting a
 * spurious difference.  Where these rules cannot decide, a dev database
 * gives the server's own canonical form (a later feature).
 *
 * The walker is generic: it follows every Node-typed field through the
 * protobuf-c descriptors, so new node types need no code here.
 */
#include <stdio.h>
#include <string.h>

#include "autogen/ast.h"

typedef struct norm_ctx {
    ag_ast *ast;
    const char *default_schema;
    bool qualify_only; /* only make names explicit; change nothing else */
} norm_ctx;

static void norm_node(norm_ctx *cx, ag_node **slot);

static void *
new_msg(norm_ctx *cx, size_t size)
{
    return ag_arena_alloc(&cx->ast->arena, size);
}

/* Visit every Node reachable from message m (but not m itself). */
static void
walk_message(norm_ctx *cx, ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        char *member = (char *)m + f->offset;
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            uint32_t which = *(uint32_t *)((char *)m + f->quantifier_offset);
            if (which != f->id)
                continue;
        }
        bool is_node = f->descriptor == &pg_query__node__descriptor;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(size_t *)((char *)m + f->quantifier_offset);
            void **arr = *(void ***)member;
            for (size_t k = 0; k < n; k++) {
                if (is_node)
                    norm_node(cx, (ag_node **)&arr[k]);
                else if (arr[k])
                    walk_message(cx, arr[k]);
            }
        } else {
            void **p = (void **)member;
            if (!*p)
                continue;
            if (is_node)
                norm_node(cx, (ag_node **)p);
            else
                walk_message(cx, *p);
        }
    }
}

/* The message inside a Node wrapper (the oneof member that is set).
 * Every member of the oneof is a message pointer in the same union, so
 * any of them reads it (no search through ~250 field descriptors). */
static ProtobufCMessage *
node_inner(ag_node *n)
{
    return n->node_case == PG_QUERY__NODE__NODE__NOT_SET
               ? NULL
               : (ProtobufCMessage *)n->select_stmt;
}

static bool
is_string_type(const PgQuery__TypeName *tn)
{
    const char *schema, *name;
    if (tn->n_array_bounds ||
        ag_ast_qname(tn->names, tn->n_names, &schema, &name) < 0)
        return false;
    if (schema && strcmp(schema, "pg_catalog") != 0)
        return false;
    return strcmp(name, "text") == 0 || strcmp(name, "varchar") == 0 ||
           strcmp(name, "bpchar") == 0;
}

/* Targets of the implicit casts the server inserts around a column. */
static bool
is_implicit_target(norm_ctx *cx, const PgQuery__TypeName *tn)
{
    static const char *const targets[] = {
        "smallint",
        "integer",
        "bigint",
        "numeric",
        "real",
        "double precision",
        "timestamp without time zone",
        "timestamp with time zone",
    };
    const char *type;
    int serial;
    ag_error err;
    if (tn->n_typmods || tn->n_array_bounds ||
        ag_ast_type_canon(&cx->ast->arena, tn, cx->default_schema, &type,
                          &serial, &err) != 0)
        return false;
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (strcmp(type, targets[i]) == 0)
            return true;
    return false;
}

static void
canon_typename(norm_ctx *cx, PgQuery__TypeName *tn)
{
    const char *type;
    int serial;
    ag_error err;
    if (ag_ast_type_canon(&cx->ast->arena, tn, cx->default_schema, &type,
                          &serial, &err) != 0)
        return; /* leave it as written; it still deparses */
    /* One opaque name carries the whole canonical spelling. */
    tn->n_names = 1;
    tn->names = new_msg(cx, sizeof(ag_node *));
    tn->names[0] = ag_ast_new_string(cx->ast, type);
    tn->n_typmods = 0;
    tn->n_array_bounds = 0;
}

static void
const_to_text(norm_ctx *cx, PgQuery__AConst *c)
{
    char tmp[64];
    const char *text = NULL;
    switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        snprintf(tmp, sizeof tmp, "%d", c->ival->ival);
        text = tmp;
        break;
    case PG_QUERY__A__CONST__VAL_FVAL:
        text = c->fval->fval;
        break;
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        text = c->boolval->boolval ? "true" : "false";
        break;
    default:
        return;
    }
    PgQuery__String *s = new_msg(cx, sizeof *s);
    pg_query__string__init(s);
    s->sval = ag_arena_strdup(&cx->ast->arena, text);
    c->val_case = PG_QUERY__A__CONST__VAL_SVAL;
    c->sval = s;
}

/* Drop a pg_catalog./public. qualifier from a name list in place. */
static void
strip_qualifier(ag_node **items, size_t *n)
{
    if (*n != 2)
        return;
    const char *schema = ag_ast_str(items[0]);
    if (schema &&
        (strcmp(schema, "pg_catalog") == 0 || strcmp(schema, "public") == 0)) {
        items[0] = items[1];
        *n = 1;
    }
}

static bool
has_unquoted_dot(const char *s)
{
    bool quoted = false;
    for (; *s; s++) {
        if (*s == '"')
            quoted = !quoted;
        else if (*s == '.' && !quoted)
            return true;
    }
    return false;
}

static void
norm_funccall(norm_ctx *cx, PgQuery__FuncCall *fc)
{
    if (!cx->qualify_only)
        strip_qualifier(fc->funcname, &fc->n_funcname);
    const char *fn = ag_ast_str(fc->funcname[fc->n_funcname - 1]);
    if (fc->n_funcname == 2) {
        const char *schema = ag_ast_str(fc->funcname[0]);
        if (!schema || strcmp(schema, "pg_catalog") != 0)
            fn = NULL;
    }
    if (!fn || fc->n_args < 1)
        return;
    if (strcmp(fn, "nextval") && strcmp(fn, "currval") && strcmp(fn, "setval"))
        return;
    ag_node *arg = fc->args[0];
    if (arg->node_case == PG_QUERY__NODE__NODE_TYPE_CAST && arg->type_cast->arg)
        arg = arg->type_cast->arg; /* nextval('s'::regclass) */
    if (arg->node_case != PG_QUERY__NODE__NODE_A_CONST ||
        arg->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
        return;
    const char *seq = arg->a_const->sval->sval;
    if (!has_unquoted_dot(seq))
        arg->a_const->sval->sval =
            ag_arena_sprintf(&cx->ast->arena, "%s.%s", cx->default_schema, seq);
}

static ag_node *
make_aexpr(norm_ctx *cx, const char *op, ag_node *l, ag_node *r)
{
    PgQuery__AExpr *e = new_msg(cx, sizeof *e);
    pg_query__a__expr__init(e);
    e->kind = PG_QUERY__A__EXPR__KIND__AEXPR_OP;
    e->n_name = 1;
    e->name = new_msg(cx, sizeof(ag_node *));
    e->name[0] = ag_ast_new_string(cx->ast, op);
    e->lexpr = l;
    e->rexpr = r;
    ag_node *n = new_msg(cx, sizeof *n);
    pg_query__node__init(n);
    n->node_case = PG_QUERY__NODE__NODE_A_EXPR;
    n->a_expr = e;
    return n;
}

static void
norm_aexpr(norm_ctx *cx, ag_node **slot)
{
    PgQuery__AExpr *e = (*slot)->a_expr;
    strip_qualifier(e->name, &e->n_name);
    const char *op = e->n_name == 1 ? ag_ast_str(e->name[0]) : NULL;
    switch (e->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
        if (e->rexpr && e->rexpr->node_case == PG_QUERY__NODE__NODE_LIST) {
            PgQuery__List *list = e->rexpr->list;
            PgQuery__AArrayExpr *arr = new_msg(cx, sizeof *arr);
            pg_query__a__array_expr__init(arr);
            arr->n_elements = list->n_items;
            arr->elements = list->items;
            e->rexpr->node_case = PG_QUERY__NODE__NODE_A_ARRAY_EXPR;
            e->rexpr->a_array_expr = arr;
            e->kind = op && strcmp(op, "<>") == 0
                          ? PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL
                          : PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY;
        }
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
        e->kind = PG_QUERY__A__EXPR__KIND__AEXPR_OP;
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN: {
        if (!e->rexpr || e->rexpr->node_case != PG_QUERY__NODE__NODE_LIST ||
            e->rexpr->list->n_items != 2)
            break;
        bool neg = e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN;
        ag_node *lo = e->rexpr->list->items[0], *hi = e->rexpr->list->items[1];
        PgQuery__BoolExpr *b = new_msg(cx, sizeof *b);
        pg_query__bool_expr__init(b);
        b->boolop = neg ? PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR
                        : PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR;
        b->n_args = 2;
        b->args = new_msg(cx, 2 * sizeof(ag_node *));
        b->args[0] = make_aexpr(cx, neg ? "<" : ">=", e->lexpr, lo);
        b->args[1] = make_aexpr(cx, neg ? ">" : "<=", e->lexpr, hi);
        (*slot)->node_case = PG_QUERY__NODE__NODE_BOOL_EXPR;
        (*slot)->bool_expr = b;
        break;
    }
    default:
        break;
    }
}

static void
norm_boolexpr(norm_ctx *cx, PgQuery__BoolExpr *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n_args; i++) {
        ag_node *a = b->args[i];
        if (a->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
            a->bool_expr->boolop == b->boolop &&
            b->boolop != PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR)
            n += a->bool_expr->n_args;
        else
            n++;
    }
    if (n == b->n_args)
        return;
    ag_node **args = new_msg(cx, n * sizeof *args);
    size_t k = 0;
    for (size_t i = 0; i < b->n_args; i++) {
        ag_node *a = b->args[i];
        if (a->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
            a->bool_expr->boolop == b->boolop) {
            for (size_t j = 0; j < a->bool_expr->n_args; j++)
                args[k++] = a->bool_expr->args[j];
        } else {
            args[k++] = a;
        }
    }
    b->args = args;
    b->n_args = n;
}

static void
norm_node(norm_ctx *cx, ag_node **slot)
{
    ag_node *n = *slot;
    if (!n)
        return;
    ProtobufCMessage *inner = node_inner(n);
    if (inner)
        walk_message(cx, inner); /* children first */

    if (cx->qualify_only) {
        if (n->node_case == PG_QUERY__NODE__NODE_FUNC_CALL)
            norm_funccall(cx, n->func_call);
        return;
    }
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        PgQuery__TypeCast *tc = n->type_cast;
        ag_node *arg = tc->arg;
        if (arg && (arg->node_case == PG_QUERY__NODE__NODE_A_CONST ||
                    arg->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR ||
                    (tc->type_name && is_string_type(tc->type_name)) ||
                    (arg->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
                     tc->type_name && is_implicit_target(cx, tc->type_name)))) {
            *slot = arg;
        } else if (tc->type_name) {
            canon_typename(cx, tc->type_name);
        }
        break;
    }
    case PG_QUERY__NODE__NODE_A_CONST:
        const_to_text(cx, n->a_const);
        break;
    case PG_QUERY__NODE__NODE_A_EXPR:
        norm_aexpr(cx, slot);
        break;
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
        norm_boolexpr(cx, n->bool_expr);
        break;
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        norm_funccall(cx, n->func_call);
        break;
    case PG_QUERY__NODE__NODE_INDEX_ELEM: {
        PgQuery__IndexElem *ie = n->index_elem;
        strip_qualifier(ie->opclass, &ie->n_opclass);
        strip_qualifier(ie->collation, &ie->n_collation);
        /* ASC and the default NULLS placement are what the server omits. */
        bool desc = ie->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
        if (ie->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_ASC)
            ie->ordering = PG_QUERY__SORT_BY_DIR__SORTBY_DEFAULT;
        if ((desc && ie->nulls_ordering ==
                         PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST) ||
            (!desc &&
             ie->nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST))
            ie->nulls_ordering = PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_DEFAULT;
        /* An expression that is just a column is a plain column. */
        if (ie->expr &&
            ie->expr->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
            ie->expr->column_ref->n_fields == 1 &&
            ag_ast_str(ie->expr->column_ref->fields[0])) {
            ie->name = (char *)ag_ast_str(ie->expr->column_ref->fields[0]);
            ie->expr = NULL;
        }
        break;
    }
    default:
        break;
    }
}

void
ag_canon_normalize(ag_ast *ast, ag_node **slot, const char *default_schema)
{
    norm_ctx cx = {ast, default_schema ? default_schema : "public", false};
    norm_node(&cx, slot);
}

void
ag_canon_qualify(ag_ast *ast, ag_node **slot, const char *default_schema)
{
    norm_ctx cx = {ast, default_schema ? default_schema : "public", true};
    norm_node(&cx, slot);
}
