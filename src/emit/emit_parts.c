/*
 * emit_parts.c - SQL of partitions and inheritance: the parts of CREATE
 * TABLE that say where a table belongs, ATTACH / DETACH PARTITION and
 * INHERIT / NO INHERIT.
 */
#include "emit_int.h"

#include "autogen/ident.h"

bool
em_partition_head(ag_buf *out, const ag_table *t)
{
    if (!t->parent.name)
        return false;
    ag_buf_put(out, " PARTITION OF ");
    ag_quote_qname(out, t->parent.schema, t->parent.name);
    return true;
}

void
em_table_tail(ag_buf *out, const ag_table *t)
{
    if (t->parent.name)
        ag_buf_printf(out, " %s", t->bound->sql);
    if (t->ninherits) {
        ag_buf_put(out, "\nINHERITS (");
        for (size_t i = 0; i < t->ninherits; i++) {
            if (i)
                ag_buf_put(out, ", ");
            ag_quote_qname(out, t->inherits[i].schema, t->inherits[i].name);
        }
        ag_buf_putc(out, ')');
    }
    if (t->partkey)
        ag_buf_printf(out, "\nPARTITION BY %s", t->partkey->sql);
}

void
em_parts_sql(const ag_op *op, ag_buf *out)
{
    const ag_table *t =
        (const ag_table *)(op->to_obj ? op->to_obj : op->from_obj);
    bool partition = op->type == AG_OP_ATTACH_PARTITION ||
                     op->type == AG_OP_DETACH_PARTITION;
    ag_buf_put(out, "ALTER TABLE ");
    if (partition) {
        ag_quote_qname(out, op->parent.schema, op->parent.name);
        ag_buf_put(out, op->type == AG_OP_ATTACH_PARTITION
                            ? " ATTACH PARTITION "
                            : " DETACH PARTITION ");
        ag_quote_qname(out, t->obj.name.schema, t->obj.name.name);
        if (op->type == AG_OP_ATTACH_PARTITION)
            ag_buf_printf(out, " %s", t->bound->sql);
    } else {
        ag_quote_qname(out, t->obj.name.schema, t->obj.name.name);
        ag_buf_put(out, op->type == AG_OP_ADD_INHERIT ? " INHERIT "
                                                      : " NO INHERIT ");
        ag_quote_qname(out, op->parent.schema, op->parent.name);
    }
    ag_buf_put(out, ";\n");
}

void
em_parts_changes(ag_buf *out, const ag_op *op)
{
    const char *word = op->type == AG_OP_ATTACH_PARTITION   ? "partition of"
                       : op->type == AG_OP_DETACH_PARTITION ? "detached from"
                       : op->type == AG_OP_ADD_INHERIT      ? "inherits from"
                                                            : "no longer "
                                                              "inherits from";
    ag_buf_printf(out, ": %s ", word);
    ag_quote_qname(out, op->parent.schema, op->parent.name);
    if (op->type == AG_OP_ATTACH_PARTITION)
        ag_buf_printf(out, " %s", ((const ag_table *)op->to_obj)->bound->sql);
}
