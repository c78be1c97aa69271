/*
 * canon_int.h - helpers shared by the canon sources.
 */
#ifndef AUTOGEN_CANON_INT_H
#define AUTOGEN_CANON_INT_H

#include "autogen/ast.h"
#include "autogen/base.h"

/* Deparse `SELECT <expr>` and keep what follows "SELECT " (malloc'd in
 * *out).  Returns 0 or a negative AG_E* code with err filled. */
int cn_deparse_expr(ag_ast *ast, ag_node *expr, char **out, ag_error *err);

/*
 * libpg_query 15's deparser prints an index element that is a cast as
 * `a::bigint`, without the parentheses the grammar needs there (CREATE
 * INDEX and EXCLUDE elements; a syntax error when run).  Such elements are
 * hidden behind a placeholder column name while the statement is
 * deparsed, and put back afterwards as `(expr)`.
 */
typedef struct cast_elem {
    PgQuery__IndexElem *elem;
    ag_node *expr; /* the element's own expression, restored after */
    char placeholder[32];
    char *text; /* the expression deparsed alone (malloc'd) */
} cast_elem;

/* Hide the cast elements of elems[0..n) (out[] has room for n); returns
 * how many were hidden, or a negative AG_E* code (nothing left hidden). */
int cn_cast_elems_hide(ag_ast *ast, PgQuery__IndexElem **elems, size_t n,
                       cast_elem *out, ag_error *err);
/* Restore the k hidden elements and copy `deparsed` into out with each
 * placeholder replaced by its parenthesised expression. */
void cn_cast_elems_restore(cast_elem *ce, size_t k, const char *deparsed,
                           ag_buf *out);

#endif
