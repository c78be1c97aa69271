/*
 * ast.h - the only place that knows libpg_query's protobuf field names.
 *
 * Parse trees are unpacked into a scratch arena through a protobuf-c
 * allocator, so they can be rewritten in place (normalisation) and dropped
 * in one call; nothing from a tree survives ag_ast_free: whatever the
 * catalog keeps is copied into the catalog's arena first.
 *
 * Used by src/canon (canonical forms) and src/loader (model files).
 */
#ifndef AUTOGEN_AST_H
#define AUTOGEN_AST_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "autogen/base.h"
#include "autogen/catalog.h"

typedef PgQuery__Node ag_node;

typedef struct ag_ast {
    ag_arena arena;
    PgQuery__ParseResult *tree; /* NULL after a parse error */
} ag_ast;

/*
 * Parse `sql` with PostgreSQL's grammar.  On a syntax error returns
 * AG_EPARSE, with the server-style message in err and the 0-based byte
 * offset of the error in *errpos (-1 when unknown).  Always call
 * ag_ast_free, also after an error.
 */
int ag_ast_parse(ag_ast *ast, const char *sql, int *errpos, ag_error *err);
void ag_ast_free(ag_ast *ast);

/* A deep copy of a parse-tree message (any PgQuery__* struct, NULL gives
 * NULL) and everything it reaches, allocated in `a` (ast_copy.c). */
void *ag_ast_copy(ag_arena *a, const void *msg);

/* Deparse a whole parse result back to SQL; the string is malloc'd. */
int ag_ast_deparse(const PgQuery__ParseResult *tree, char **out, ag_error *err);

/* A Node of the given case wrapping msg, allocated in the ast arena. */
ag_node *ag_ast_node(ag_ast *ast, PgQuery__Node__NodeCase which, void *msg);
/* The same by value, for wrappers needed only during one call (deparsing):
 * they then cost no arena memory. */
static inline ag_node
ag_ast_node_val(PgQuery__Node__NodeCase which, void *msg)
{
    ag_node n = PG_QUERY__NODE__INIT;
    n.node_case = which;
    n.select_stmt = msg; /* every oneof member is a pointer at one offset */
    return n;
}
/* A one-statement parse result around stmt, for ag_ast_deparse. */
PgQuery__ParseResult *ag_ast_wrap(ag_ast *ast, ag_node *stmt);
/* Deparse one statement (wrapped in a parse result on the stack). */
int ag_ast_deparse_stmt(ag_node *stmt, char **out, ag_error *err);
/* Deparse stmt and append it to out, with *name_field (the statement's
 * own name, which libpg_query 15 deparses without quoting it) properly
 * quoted: the statement is deparsed with a placeholder name which is then
 * replaced.  *name_field is restored before returning. */
int ag_ast_deparse_named(ag_node *stmt, char **name_field, ag_buf *out,
                         ag_error *err);

/* Allocate a fresh, initialised node of the given case in the ast arena. */
ag_node *ag_ast_new_string(ag_ast *ast, const char *s);

/* String value of a String node, NULL for anything else. */
const char *ag_ast_str(const ag_node *n);

/* Split a 1-3 part name list (catalog.schema.name) into schema and name;
 * schema is NULL when unqualified.  Returns -1 on a malformed list. */
int ag_ast_qname(ag_node *const *items, size_t n, const char **schema,
                 const char **name);

/* Integer value of an A_Const / Integer node (typmods); false if not one. */
bool ag_ast_int(const ag_node *n, long *out);

/*
 * Canonical spelling of a type, as format_type() prints it with an empty
 * search_path (see catalog.h).  Unqualified names that are not built-in
 * types are qualified with default_schema.  *serial receives 2, 4 or 8 for
 * smallserial/serial/bigserial (the caller expands those), else 0.
 * The string is allocated in `out`.
 */
int ag_ast_type_canon(ag_arena *out, const PgQuery__TypeName *tn,
                      const char *default_schema, const char **type,
                      int *serial, ag_error *err);

/* ---- canonical forms from parse-tree nodes (src/canon/canon.c) ----
 * These rewrite the given subtree in place (it must live in `ast`). */

/* Make names in an expression explicit without changing its meaning or
 * spelling otherwise (the sequence in nextval('s') gets its schema), so
 * emitted SQL does not depend on the search_path it runs with. */
void ag_canon_qualify(ag_ast *ast, ag_node **slot, const char *default_schema);

/* Append the canonical, location-free text of a (normalised) subtree:
 * what `canon` fields hold.  Not SQL; equal exactly when the trees are. */
void ag_canon_print(ag_buf *b, const ProtobufCMessage *m);

/* Normalise an expression subtree in place (see canon.h for the rules). */
void ag_canon_normalize(ag_ast *ast, ag_node **slot,
                        const char *default_schema);

/* sql = deparse of the expression as given, canon = deparse after
 * normalisation.  Both in the catalog arena. */
int ag_canon_expr_node(ag_catalog *cat, ag_ast *ast, ag_node **slot,
                       const char *default_schema, const ag_expr **out,
                       ag_error *err);

/* The same for a column default, remembered per catalog: an expression
 * printed the same as one seen before (now(), 0, false...) gets that one's
 * texts without deparsing again, and *slot is then left as given (callers
 * must not rely on it being qualified or normalised afterwards). */
int ag_canon_default_node(ag_catalog *cat, ag_ast *ast, ag_node **slot,
                          const char *default_schema, const ag_expr **out,
                          ag_error *err);

/* Fill con->type, cols, ref_table, ref_cols and def from a Constraint node.
 * The caller has completed the node: keys / fk_attrs hold the columns even
 * for a column constraint, pktable is schema-qualified and pk_attrs are
 * filled in. */
int ag_canon_constraint_node(ag_catalog *cat, ag_ast *ast,
                             PgQuery__Constraint *c, ag_constraint *con,
                             const char *default_schema, ag_error *err);

/* Fill idx->unique, cols and def from an IndexStmt whose relation is
 * schema-qualified and whose idxname is set. */
int ag_canon_index_node(ag_catalog *cat, ag_ast *ast, PgQuery__IndexStmt *s,
                        ag_index *idx, const char *default_schema,
                        ag_error *err);

#endif
