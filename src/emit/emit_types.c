/*
 * emit_types.c - SQL and summaries of domain and composite type ops.
 *
 * CREATE DOMAIN is written as pg_dump writes it (base type, COLLATE,
 * DEFAULT, NOT NULL on the first line, one named CHECK per line); checks
 * are always named so a later ALTER DOMAIN ... DROP CONSTRAINT can find
 * them.  Types and expressions are the catalog's canonical SQL.
 */
#include "emit_int.h"

#include <string.h>

#include "autogen/ident.h"

static const char *
collation_name(const char *collation)
{
    static const char prefix[] = "pg_catalog.";
    return strncmp(collation, prefix, sizeof prefix - 1) == 0
               ? collation + sizeof prefix - 1
               : collation;
}

static void
type_and_collation(ag_buf *out, const ag_column *a)
{
    ag_buf_printf(out, "%s", a->type);
    if (a->collation)
        ag_buf_printf(out, " COLLATE %s", collation_name(a->collation));
}

static const ag_domain_check *
check_named(const ag_object *o, const char *name)
{
    const ag_domain *d = (const ag_domain *)o;
    for (size_t i = 0; d && i < d->nchecks; i++)
        if (strcmp(d->checks[i].name, name) == 0)
            return &d->checks[i];
    return NULL;
}

static void
head(ag_buf *out, const char *what, const ag_op *op)
{
    ag_buf_printf(out, "%s ", what);
    ag_quote_qname(out, op->name.schema, op->name.name);
}

static void
create_domain(ag_buf *out, const ag_domain *d)
{
    ag_buf_put(out, "CREATE DOMAIN ");
    ag_quote_qname(out, d->obj.name.schema, d->obj.name.name);
    ag_buf_printf(out, " AS %s", d->type);
    if (d->collation)
        ag_buf_printf(out, " COLLATE %s", collation_name(d->collation));
    if (d->default_expr)
        ag_buf_printf(out, " DEFAULT %s", d->default_expr->sql);
    if (d->notnull)
        ag_buf_put(out, " NOT NULL");
    for (size_t i = 0; i < d->nchecks; i++) {
        ag_buf_put(out, "\n    CONSTRAINT ");
        ag_quote_ident(out, d->checks[i].name);
        ag_buf_printf(out, " %s", d->checks[i].def.sql);
    }
}

static void
create_composite(ag_buf *out, const ag_composite *t)
{
    ag_buf_put(out, "CREATE TYPE ");
    ag_quote_qname(out, t->obj.name.schema, t->obj.name.name);
    ag_buf_put(out, " AS (");
    for (size_t i = 0; i < t->nattrs; i++) {
        ag_buf_put(out, i ? ",\n    " : "\n    ");
        ag_quote_ident(out, t->attrs[i].name);
        ag_buf_putc(out, ' ');
        type_and_collation(out, &t->attrs[i]);
    }
    ag_buf_put(out, t->nattrs ? "\n)" : ")");
}

void
em_type_sql(const ag_op *op, ag_buf *out)
{
    const ag_domain *to = (const ag_domain *)op->to_obj;
    switch (op->type) {
    case AG_OP_CREATE_DOMAIN:
        create_domain(out, to);
        break;
    case AG_OP_ALTER_DOMAIN_DEFAULT:
        head(out, "ALTER DOMAIN", op);
        if (to->default_expr)
            ag_buf_printf(out, " SET DEFAULT %s", to->default_expr->sql);
        else
            ag_buf_put(out, " DROP DEFAULT");
        break;
    case AG_OP_ALTER_DOMAIN_NOT_NULL:
        head(out, "ALTER DOMAIN", op);
        ag_buf_put(out, to->notnull ? " SET NOT NULL" : " DROP NOT NULL");
        break;
    case AG_OP_ADD_DOMAIN_CHECK:
        head(out, "ALTER DOMAIN", op);
        ag_buf_put(out, " ADD CONSTRAINT ");
        ag_quote_ident(out, op->label);
        ag_buf_printf(out, " %s", check_named(op->to_obj, op->label)->def.sql);
        break;
    case AG_OP_DROP_DOMAIN_CHECK:
        head(out, "ALTER DOMAIN", op);
        ag_buf_put(out, " DROP CONSTRAINT ");
        ag_quote_ident(out, op->label);
        break;
    case AG_OP_DROP_DOMAIN:
        head(out, "DROP DOMAIN", op);
        break;
    case AG_OP_CREATE_COMPOSITE:
        create_composite(out, (const ag_composite *)op->to_obj);
        break;
    case AG_OP_ADD_ATTRIBUTE:
        head(out, "ALTER TYPE", op);
        ag_buf_put(out, " ADD ATTRIBUTE ");
        ag_quote_ident(out, op->to_col->name);
        ag_buf_putc(out, ' ');
        type_and_collation(out, op->to_col);
        break;
    case AG_OP_DROP_ATTRIBUTE:
        head(out, "ALTER TYPE", op);
        ag_buf_put(out, " DROP ATTRIBUTE ");
        ag_quote_ident(out, op->label);
        break;
    case AG_OP_ALTER_ATTRIBUTE_TYPE:
        head(out, "ALTER TYPE", op);
        ag_buf_put(out, " ALTER ATTRIBUTE ");
        ag_quote_ident(out, op->label);
        ag_buf_put(out, " TYPE ");
        type_and_collation(out, op->to_col);
        break;
    case AG_OP_DROP_COMPOSITE:
        head(out, "DROP TYPE", op);
        break;
    default:
        return;
    }
    ag_buf_put(out, ";\n");
}

void
em_type_changes(ag_buf *out, const ag_op *op)
{
    switch (op->type) {
    case AG_OP_ALTER_DOMAIN_DEFAULT: {
        const ag_domain *a = (const ag_domain *)op->from_obj;
        const ag_domain *b = (const ag_domain *)op->to_obj;
        ag_buf_printf(out, ": default %s -> %s",
                      a->default_expr ? a->default_expr->sql : "none",
                      b->default_expr ? b->default_expr->sql : "none");
        break;
    }
    case AG_OP_ALTER_DOMAIN_NOT_NULL:
        ag_buf_put(out, ((const ag_domain *)op->to_obj)->notnull
                            ? ": set not null"
                            : ": drop not null");
        break;
    case AG_OP_ADD_DOMAIN_CHECK:
        ag_buf_printf(out, ": add check %s %s", op->label,
                      check_named(op->to_obj, op->label)->def.sql);
        break;
    case AG_OP_DROP_DOMAIN_CHECK:
        ag_buf_printf(out, ": drop check %s", op->label);
        break;
    case AG_OP_ADD_ATTRIBUTE:
        ag_buf_printf(out, ": add attribute %s %s", op->label,
                      op->to_col->type);
        break;
    case AG_OP_DROP_ATTRIBUTE:
        ag_buf_printf(out, ": drop attribute %s", op->label);
        break;
    case AG_OP_ALTER_ATTRIBUTE_TYPE:
        ag_buf_printf(out, ": attribute %s type %s -> %s", op->label,
                      op->from_col->type, op->to_col->type);
        break;
    default:
        break;
    }
}
