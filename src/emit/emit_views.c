/*
 * emit_views.c - SQL and summaries for views and materialized views.
 *
 * The definition is the catalog's text (pg_get_viewdef's, schema-
 * qualified); options go in WITH (...) and the check option after the
 * query, as pg_dump writes them.  A model view not yet canonicalised (the
 * dev database's own run) carries the search_path its names were written
 * against, set just before it.
 */
#include "emit_int.h"

#include <string.h>

#include "autogen/ident.h"

static const ag_view *
op_view(const ag_op *op)
{
    return (const ag_view *)(op->to_obj ? op->to_obj : op->from_obj);
}

static const char *
view_word(const ag_view *v)
{
    return v->materialized ? "MATERIALIZED VIEW" : "VIEW";
}

static void
options(ag_buf *out, const ag_view *v)
{
    const char *sep = " WITH (";
    if (v->security_barrier) {
        ag_buf_printf(out, "%ssecurity_barrier='true'", sep);
        sep = ", ";
    }
    if (v->security_invoker) {
        ag_buf_printf(out, "%ssecurity_invoker='true'", sep);
        sep = ", ";
    }
    if (*sep == ',')
        ag_buf_putc(out, ')');
}

/* The query without leading blanks and a trailing ';'. */
static void
query(ag_buf *out, const char *def)
{
    while (*def == ' ' || *def == '\n')
        def++;
    size_t n = strlen(def);
    while (n && (def[n - 1] == ';' || def[n - 1] == ' ' || def[n - 1] == '\n'))
        n--;
    ag_buf_putn(out, def, n);
}

static void
create(ag_buf *out, const ag_view *v, bool replace)
{
    if (v->search_path)
        ag_buf_printf(out, "SET search_path = %s;\n\n", v->search_path);
    ag_buf_printf(out, "CREATE %s%s ", replace ? "OR REPLACE " : "",
                  view_word(v));
    ag_quote_qname(out, v->obj.name.schema, v->obj.name.name);
    /* Before canonicalisation the model's column list (aliases) is all
     * there is; pg_get_viewdef's text names the columns itself. */
    if (v->search_path && v->aliased) {
        ag_buf_put(out, " (");
        for (size_t i = 0; i < v->ncols; i++) {
            if (i)
                ag_buf_put(out, ", ");
            ag_quote_ident(out, v->cols[i].name);
        }
        ag_buf_putc(out, ')');
    }
    options(out, v);
    ag_buf_put(out, " AS\n");
    query(out, v->def);
    if (v->check_option)
        ag_buf_printf(out, "\n  WITH %s CHECK OPTION",
                      strcmp(v->check_option, "local") == 0 ? "LOCAL"
                                                            : "CASCADED");
    if (v->materialized)
        ag_buf_put(out, v->populated ? "\n  WITH DATA" : "\n  WITH NO DATA");
    ag_buf_put(out, ";\n");
}

void
em_view_sql(const ag_op *op, ag_buf *out)
{
    const ag_view *v = op_view(op);
    switch (op->type) {
    case AG_OP_CREATE_VIEW:
    case AG_OP_REPLACE_VIEW:
        create(out, v, op->type == AG_OP_REPLACE_VIEW);
        break;
    case AG_OP_DROP_VIEW:
        if (op->note) {
            ag_buf_put(out, "-- ");
            ag_emit_comment_text(out, op->note);
            ag_buf_putc(out, '\n');
        }
        ag_buf_printf(out, "DROP %s ", view_word(v));
        ag_quote_qname(out, v->obj.name.schema, v->obj.name.name);
        ag_buf_put(out, ";\n");
        break;
    default:
        break;
    }
}

void
em_view_comment_target(ag_buf *out, const ag_op *op)
{
    const ag_view *v = op_view(op);
    const ag_column *col = op->to_col ? op->to_col : op->from_col;
    if (col) {
        ag_buf_put(out, "COLUMN ");
        ag_quote_qname(out, v->obj.name.schema, v->obj.name.name);
        ag_buf_putc(out, '.');
        ag_quote_ident(out, col->name);
        return;
    }
    ag_buf_printf(out, "%s ", view_word(v));
    ag_quote_qname(out, v->obj.name.schema, v->obj.name.name);
}

void
em_view_object(ag_buf *out, const ag_op *op)
{
    const ag_view *v = op_view(op);
    const ag_column *col = op->to_col ? op->to_col : op->from_col;
    if (col)
        ag_buf_put(out, "column ");
    else
        ag_buf_put(out, v->materialized ? "materialized view " : "view ");
    ag_quote_qname(out, v->obj.name.schema, v->obj.name.name);
    if (col) {
        ag_buf_putc(out, '.');
        ag_quote_ident(out, col->name);
    }
}
