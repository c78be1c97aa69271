/*
 * cast_elems.c - index and EXCLUDE elements that are casts, deparsed in
 * the parentheses the grammar needs (see canon_int.h).
 */
#include "canon_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hide the cast elements of elems[0..n) (out[] has room for n); returns
 * how many were hidden, or a negative AG_E* code (nothing left hidden). */
int
cn_cast_elems_hide(ag_ast *ast, PgQuery__IndexElem **elems, size_t n,
                   cast_elem *out, ag_error *err)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        PgQuery__IndexElem *ie = elems[i];
        if (!ie || !ie->expr ||
            ie->expr->node_case != PG_QUERY__NODE__NODE_TYPE_CAST)
            continue;
        char *text;
        int rc = cn_deparse_expr(ast, ie->expr, &text, err);
        if (rc) {
            for (size_t j = 0; j < k; j++) {
                out[j].elem->expr = out[j].expr;
                out[j].elem->name = "";
                free(out[j].text);
            }
            return rc;
        }
        cast_elem *ce = &out[k++];
        ce->elem = ie;
        ce->expr = ie->expr;
        ce->text = text;
        snprintf(ce->placeholder, sizeof ce->placeholder, "ag_cast_elem_%zu_",
                 k);
        ie->expr = NULL;
        ie->name = ce->placeholder;
    }
    return (int)k;
}

/* Restore the k hidden elements and copy `deparsed` into out with each
 * placeholder replaced by its parenthesised expression. */
void
cn_cast_elems_restore(cast_elem *ce, size_t k, const char *deparsed,
                      ag_buf *out)
{
    const char *p = deparsed;
    while (*p) {
        size_t hit = k;
        const char *at = NULL;
        for (size_t j = 0; j < k; j++) {
            const char *f = strstr(p, ce[j].placeholder);
            if (f && (!at || f < at)) {
                at = f;
                hit = j;
            }
        }
        if (!at) {
            ag_buf_put(out, p);
            break;
        }
        ag_buf_putn(out, p, (size_t)(at - p));
        ag_buf_printf(out, "(%s)", ce[hit].text);
        p = at + strlen(ce[hit].placeholder);
    }
    for (size_t j = 0; j < k; j++) {
        ce[j].elem->expr = ce[j].expr;
        ce[j].elem->name = "";
        free(ce[j].text);
    }
}
