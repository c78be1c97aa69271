/*
 * emit_defs.c - SQL for aggregate, operator and cast ops.
 *
 * The catalog holds each as its canonical CREATE statement, already
 * schema-qualified and quoted, so CREATE emits it as it is, REPLACE adds
 * OR REPLACE (aggregates, PostgreSQL 14+) and DROP names the object the
 * way the canonical form does ("AGGREGATE public.f(text)").
 */
#include "emit_int.h"

#include <string.h>

static const ag_def *
op_def(const ag_op *op)
{
    return (const ag_def *)(op->to_obj ? op->to_obj : op->from_obj);
}

void
em_def_sql(const ag_op *op, ag_buf *out)
{
    const ag_def *d = op_def(op);
    if (op->note)
        ag_buf_printf(out, "-- %s\n", op->note);
    switch (op->type) {
    case AG_OP_CREATE_AGGREGATE:
    case AG_OP_CREATE_OPERATOR:
    case AG_OP_CREATE_CAST:
        ag_buf_put(out, d->sql);
        break;
    case AG_OP_REPLACE_AGGREGATE:
        /* "CREATE AGGREGATE ..." -> "CREATE OR REPLACE AGGREGATE ..." */
        ag_buf_put(out, "CREATE OR REPLACE");
        ag_buf_put(out, d->sql + strlen("CREATE"));
        break;
    default: /* the drops */
        ag_buf_printf(out, "DROP %s", d->target);
        break;
    }
    ag_buf_put(out, ";\n");
}

/* "aggregate public.f(text)", "cast (text AS public.color)". */
void
em_def_object(ag_buf *out, const ag_op *op)
{
    const ag_def *d = op_def(op);
    const char *t = d->target;
    /* target is "AGGREGATE public.f(text)": the kind word in lower case */
    ag_buf_put(out, ag_kind_name(op->kind));
    ag_buf_put(out, strchr(t, ' '));
}
