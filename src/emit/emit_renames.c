/*
 * emit_renames.c - the SQL and summary of rename ops (directives in the
 * models, see src/diff/renames.c).
 */
#include "emit_int.h"

#include "autogen/ident.h"

static const char *
type_word(ag_kind kind)
{
    return kind == AG_KIND_DOMAIN ? "DOMAIN" : "TYPE";
}

void
em_rename_sql(const ag_op *op, ag_buf *out)
{
    const ag_object *a = op->from_obj, *b = op->to_obj;
    switch (op->type) {
    case AG_OP_RENAME_TABLE: /* tables and their serial sequences */
        ag_buf_put(out, a->kind == AG_KIND_SEQUENCE ? "ALTER SEQUENCE "
                                                    : "ALTER TABLE ");
        ag_quote_qname(out, a->name.schema, a->name.name);
        break;
    case AG_OP_RENAME_INDEX:
        ag_buf_put(out, "ALTER INDEX ");
        ag_quote_qname(out, a->name.schema, a->name.name);
        break;
    case AG_OP_RENAME_CONSTRAINT:
        /* op->table: the table's name when this runs (renamed already). */
        ag_buf_put(out, "ALTER TABLE ");
        ag_quote_qname(out, op->name.schema, op->table);
        ag_buf_put(out, " RENAME CONSTRAINT ");
        ag_quote_ident(out, a->name.name);
        ag_buf_put(out, " TO ");
        ag_quote_ident(out, b->name.name);
        ag_buf_put(out, ";\n");
        return;
    case AG_OP_RENAME_TYPE:
        ag_buf_printf(out, "ALTER %s ", type_word(a->kind));
        ag_quote_qname(out, a->name.schema, a->name.name);
        break;
    case AG_OP_RENAME_ENUM_VALUE:
        ag_buf_put(out, "ALTER TYPE ");
        ag_quote_qname(out, b->name.schema, b->name.name);
        ag_buf_put(out, " RENAME VALUE ");
        ag_quote_literal(out, op->old_name);
        ag_buf_put(out, " TO ");
        ag_quote_literal(out, op->label);
        ag_buf_put(out, ";\n");
        return;
    default:
        return;
    }
    ag_buf_put(out, " RENAME TO ");
    ag_quote_ident(out, b->name.name);
    ag_buf_put(out, ";\n");
}

void
em_rename_changes(ag_buf *out, const ag_op *op)
{
    if (op->type == AG_OP_RENAME_ENUM_VALUE) {
        ag_buf_put(out, ": value ");
        ag_quote_literal(out, op->old_name);
        ag_buf_put(out, " renamed to ");
        ag_quote_literal(out, op->label);
        return;
    }
    ag_buf_put(out, ": renamed from ");
    ag_quote_ident(out, op->from_obj->name.name);
}
