/*
 * emit_text.c - whole-plan output: the SQL script with hazard comments,
 * the one-line-per-op summary, and JSON.
 *
 * The summary is what `diff --format summary` and `check` print to say
 * exactly what differs, so each line names the object (quoted as in SQL)
 * and, for alterations, the old and new value.
 */
#include "emit_int.h"

#include <inttypes.h>
#include <string.h>

#include "autogen/ident.h"

/* ---- SQL script ---- */

void
ag_emit_comment_text(ag_buf *out, const char *text)
{
    for (const char *p = text; *p; p++)
        ag_buf_putc(out, *p == '\n' || *p == '\r' ? ' ' : *p);
}

void
ag_emit_sql(const ag_plan *plan, ag_buf *out)
{
    /* As pg_dump does: a SQL-language body may mention a table created
     * later in the same script. */
    if (em_plan_has_functions(plan))
        ag_buf_put(out, "SET check_function_bodies = false;\n\n");
    for (size_t i = 0; i < plan->nops; i++) {
        const ag_op *op = &plan->ops[i];
        if (i)
            ag_buf_putc(out, '\n');
        for (int h = 0; h < AG_NHAZARDS; h++)
            if (op->hazards & (1u << h)) {
                ag_buf_printf(out, "-- hazard: %s: ", ag_hazard_name(h));
                ag_emit_comment_text(out, op->why[h] ? op->why[h]
                                                     : ag_hazard_desc(h));
                ag_buf_putc(out, '\n');
            }
        ag_emit_op_sql(op, out);
    }
}

/* ---- summary ---- */

static char
sign_of(ag_op_type t)
{
    switch (t) {
    case AG_OP_CREATE_SCHEMA:
    case AG_OP_CREATE_EXTENSION:
    case AG_OP_CREATE_ENUM:
    case AG_OP_CREATE_SEQUENCE:
    case AG_OP_CREATE_TABLE:
    case AG_OP_ADD_COLUMN:
    case AG_OP_ADD_CONSTRAINT:
    case AG_OP_CREATE_INDEX:
    case AG_OP_CREATE_FUNCTION:
    case AG_OP_CREATE_TRIGGER:
    case AG_OP_CREATE_DOMAIN:
    case AG_OP_CREATE_COMPOSITE:
    case AG_OP_ADD_ATTRIBUTE:
    case AG_OP_ADD_DOMAIN_CHECK:
    case AG_OP_CREATE_VIEW:
    case AG_OP_CREATE_AGGREGATE:
    case AG_OP_CREATE_OPERATOR:
    case AG_OP_CREATE_CAST:
    case AG_OP_CREATE_POLICY:
    case AG_OP_CREATE_EVENT_TRIGGER:
    case AG_OP_CREATE_PUBLICATION:
        return '+';
    case AG_OP_DROP_SCHEMA:
    case AG_OP_DROP_EXTENSION:
    case AG_OP_DROP_ENUM:
    case AG_OP_DROP_OLD_ENUM:
    case AG_OP_DROP_SEQUENCE:
    case AG_OP_DROP_TABLE:
    case AG_OP_DROP_COLUMN:
    case AG_OP_DROP_CONSTRAINT:
    case AG_OP_DROP_INDEX:
    case AG_OP_DROP_FUNCTION:
    case AG_OP_DROP_TRIGGER:
    case AG_OP_DROP_DOMAIN:
    case AG_OP_DROP_COMPOSITE:
    case AG_OP_DROP_ATTRIBUTE:
    case AG_OP_DROP_DOMAIN_CHECK:
    case AG_OP_DROP_VIEW:
    case AG_OP_DROP_AGGREGATE:
    case AG_OP_DROP_OPERATOR:
    case AG_OP_DROP_CAST:
    case AG_OP_DROP_POLICY:
    case AG_OP_DROP_EVENT_TRIGGER:
    case AG_OP_DROP_PUBLICATION:
        return '-';
    default:
        return '~';
    }
}

static const ag_column *
op_col(const ag_op *op)
{
    if (op->type == AG_OP_DROP_COLUMN)
        return op->from_col;
    return op->to_col ? op->to_col : op->from_col;
}

/* "table public.t", "column public.t.c", "constraint c on public.t". */
static void
put_object(ag_buf *out, const ag_op *op)
{
    const ag_column *col = op->kind == AG_KIND_TABLE ? op_col(op) : NULL;
    if (col) {
        ag_buf_put(out, "column ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        ag_buf_putc(out, '.');
        ag_quote_ident(out, col->name);
        return;
    }
    if (op->kind == AG_KIND_FUNCTION || op->kind == AG_KIND_TRIGGER) {
        em_routine_object(out, op);
        return;
    }
    if (op->kind == AG_KIND_VIEW) {
        em_view_object(out, op);
        return;
    }
    if (op->kind == AG_KIND_AGGREGATE || op->kind == AG_KIND_OPERATOR ||
        op->kind == AG_KIND_CAST) {
        em_def_object(out, op);
        return;
    }
    if (em_security_object(out, op))
        return;
    ag_buf_printf(out, "%s ", ag_kind_name(op->kind));
    if (op->kind == AG_KIND_CONSTRAINT) {
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, " on ");
        ag_quote_qname(out, op->name.schema, op->table);
    } else {
        ag_quote_qname(out, op->name.schema, op->name.name);
    }
}

static void
put_opt(ag_buf *out, const char *s)
{
    ag_buf_put(out, s ? s : "none");
}

static void
put_comment(ag_buf *out, const char *s)
{
    if (s)
        ag_quote_literal(out, s);
    else
        ag_buf_put(out, "none");
}

static const char *
identity_word(char identity)
{
    return identity == 'a' ? "always" : identity == 'd' ? "by default" : "none";
}

static void
put_labels(ag_buf *out, const ag_enum *e)
{
    ag_buf_putc(out, '(');
    for (size_t i = 0; i < e->nlabels; i++) {
        if (i)
            ag_buf_put(out, ", ");
        ag_quote_literal(out, e->labels[i]);
    }
    ag_buf_putc(out, ')');
}

static void
sequence_changes(ag_buf *out, const ag_sequence *a, const ag_sequence *b)
{
    const char *sep = "";
#define CHANGE(field, label)                                                   \
    if (a->field != b->field) {                                                \
        ag_buf_printf(out, "%s" label " %" PRId64 " -> %" PRId64, sep,         \
                      (int64_t)a->field, (int64_t)b->field);                   \
        sep = ", ";                                                            \
    }
    const char *ta = a->type ? a->type : "bigint";
    const char *tb = b->type ? b->type : "bigint";
    if (strcmp(ta, tb) != 0) {
        ag_buf_printf(out, "type %s -> %s", ta, tb);
        sep = ", ";
    }
    CHANGE(start, "start")
    CHANGE(increment, "increment")
    CHANGE(min, "minvalue")
    CHANGE(max, "maxvalue")
    CHANGE(cache, "cache")
#undef CHANGE
    if (a->cycle != b->cycle)
        ag_buf_printf(out, "%s%s", sep, b->cycle ? "cycle" : "no cycle");
}

/* The ": what changed" part of an alteration. */
static void
put_change(ag_buf *out, const ag_op *op)
{
    const ag_column *a = op->from_col, *b = op->to_col;
    switch (op->type) {
    case AG_OP_ADD_COLUMN:
        ag_buf_printf(out, " %s", b->type);
        return;
    case AG_OP_RENAME_COLUMN:
        ag_buf_put(out, ": renamed from ");
        ag_quote_ident(out, a->name);
        return;
    case AG_OP_ALTER_COLUMN_TYPE:
        ag_buf_put(out, ":");
        if (strcmp(a->type, b->type) != 0)
            ag_buf_printf(out, " type %s -> %s", a->type, b->type);
        if ((a->collation || b->collation) &&
            (!a->collation || !b->collation ||
             strcmp(a->collation, b->collation) != 0))
            ag_buf_printf(out, "%s collation %s -> %s",
                          strcmp(a->type, b->type) != 0 ? "," : "",
                          a->collation ? a->collation : "default",
                          b->collation ? b->collation : "default");
        return;
    case AG_OP_SET_NOT_NULL:
        ag_buf_put(out, ": nullable -> not null");
        return;
    case AG_OP_DROP_NOT_NULL:
        ag_buf_put(out, ": not null -> nullable");
        return;
    case AG_OP_SET_DEFAULT: {
        /* After a type change the old default was already dropped.  When
         * both spellings are the same text, the canonical forms are what
         * differ: show those, so a drift report explains itself. */
        const ag_expr *old = a && !op->note ? a->default_expr : NULL;
        const ag_expr *new_ = b->default_expr;
        bool canon = old && strcmp(old->sql, new_->sql) == 0;
        ag_buf_put(out, ": default ");
        put_opt(out, old ? (canon ? old->canon : old->sql) : NULL);
        ag_buf_printf(out, " -> %s%s", canon ? new_->canon : new_->sql,
                      canon ? " (canonical forms)" : "");
        return;
    }
    case AG_OP_DROP_DEFAULT:
        ag_buf_printf(out, ": default %s -> none", a->default_expr->sql);
        return;
    case AG_OP_ADD_IDENTITY:
    case AG_OP_SET_IDENTITY:
    case AG_OP_DROP_IDENTITY:
        ag_buf_printf(out, ": identity %s -> %s", identity_word(a->identity),
                      identity_word(b->identity));
        return;
    case AG_OP_DROP_EXPRESSION:
        ag_buf_printf(out, ": generated (%s) -> none", a->generated->sql);
        return;
    case AG_OP_SET_IDENTITY_OPTIONS:
        ag_buf_printf(out,
                      ": identity options start %lld -> %lld, increment "
                      "%lld -> %lld, min %lld -> %lld, max %lld -> %lld, "
                      "cache %lld -> %lld%s",
                      (long long)a->ident.start, (long long)b->ident.start,
                      (long long)a->ident.increment,
                      (long long)b->ident.increment, (long long)a->ident.min,
                      (long long)b->ident.min, (long long)a->ident.max,
                      (long long)b->ident.max, (long long)a->ident.cache,
                      (long long)b->ident.cache,
                      a->ident.cycle != b->ident.cycle
                          ? (b->ident.cycle ? ", cycle" : ", no cycle")
                          : "");
        return;
    case AG_OP_SET_PERSISTENCE:
        ag_buf_printf(out, ": %s",
                      ((const ag_table *)op->to_obj)->persistence == 'u'
                          ? "logged -> unlogged"
                          : "unlogged -> logged");
        return;
    case AG_OP_ALTER_EXTENSION_SCHEMA:
        ag_buf_printf(out, ": schema %s -> %s",
                      ((const ag_extension *)op->from_obj)->schema,
                      ((const ag_extension *)op->to_obj)->schema);
        return;
    case AG_OP_ADD_ENUM_VALUE:
        ag_buf_put(out, ": add value ");
        ag_quote_literal(out, op->label);
        if (op->anchor) {
            ag_buf_put(out, op->before ? " before " : " after ");
            ag_quote_literal(out, op->anchor);
        }
        return;
    case AG_OP_REBUILD_ENUM:
        ag_buf_put(out, ": labels ");
        put_labels(out, (const ag_enum *)op->from_obj);
        ag_buf_put(out, " -> ");
        put_labels(out, (const ag_enum *)op->to_obj);
        ag_buf_printf(out, ", rebuilt (%zu column%s converted)", op->nuses,
                      op->nuses == 1 ? "" : "s");
        return;
    case AG_OP_DROP_OLD_ENUM:
        ag_buf_put(out, " (the old copy of ");
        ag_quote_qname(out, op->name.schema,
                       ((const ag_enum *)op->to_obj)->obj.name.name);
        ag_buf_putc(out, ')');
        return;
    case AG_OP_ALTER_SEQUENCE:
        ag_buf_put(out, ": ");
        sequence_changes(out, (const ag_sequence *)op->from_obj,
                         (const ag_sequence *)op->to_obj);
        return;
    case AG_OP_SET_SEQUENCE_OWNER: {
        const ag_sequence *s = (const ag_sequence *)op->to_obj;
        ag_buf_put(out, ": owned by ");
        if (op->owner_none) {
            ag_buf_put(out, "none");
            return;
        }
        ag_quote_qname(out, s->owned_by.schema, s->owned_by.name);
        ag_buf_putc(out, '.');
        ag_quote_ident(out, s->owned_col);
        return;
    }
    case AG_OP_REPLACE_FUNCTION:
    case AG_OP_REPLACE_TRIGGER:
        em_routine_changes(out, op);
        return;
    case AG_OP_ALTER_DOMAIN_DEFAULT:
    case AG_OP_ALTER_DOMAIN_NOT_NULL:
    case AG_OP_ADD_DOMAIN_CHECK:
    case AG_OP_DROP_DOMAIN_CHECK:
    case AG_OP_ADD_ATTRIBUTE:
    case AG_OP_DROP_ATTRIBUTE:
    case AG_OP_ALTER_ATTRIBUTE_TYPE:
        em_type_changes(out, op);
        return;
    case AG_OP_RENAME_TABLE:
    case AG_OP_RENAME_INDEX:
    case AG_OP_RENAME_CONSTRAINT:
    case AG_OP_RENAME_TYPE:
    case AG_OP_RENAME_ENUM_VALUE:
        em_rename_changes(out, op);
        return;
    case AG_OP_ATTACH_PARTITION:
    case AG_OP_DETACH_PARTITION:
    case AG_OP_ADD_INHERIT:
    case AG_OP_DROP_INHERIT:
        em_parts_changes(out, op);
        return;
    case AG_OP_SET_RLS:
    case AG_OP_SET_RLS_FORCE:
    case AG_OP_SET_TRIGGER_ENABLED:
    case AG_OP_SET_EVENT_TRIGGER_ENABLED:
    case AG_OP_ALTER_POLICY:
    case AG_OP_ALTER_PUBLICATION:
        em_security_changes(out, op);
        return;
    case AG_OP_SET_COMMENT:
        ag_buf_put(out, ": comment ");
        put_comment(out, op->old_comment);
        ag_buf_put(out, " -> ");
        put_comment(out, op->comment);
        return;
    default:
        return;
    }
}

void
ag_emit_op_summary(const ag_op *op, ag_buf *out)
{
    ag_buf_printf(out, "%c ", sign_of(op->type));
    put_object(out, op);
    put_change(out, op);
    if (op->note)
        ag_buf_printf(out, " (%s)", op->note);
}

void
ag_emit_summary(const ag_plan *plan, ag_buf *out)
{
    ag_buf line;
    ag_buf_init(&line);
    for (size_t i = 0; i < plan->nops; i++) {
        ag_buf_reset(&line);
        const ag_op *op = &plan->ops[i];
        ag_emit_op_summary(op, &line);
        /* A kept function that will fail is a mistake in the models, not
         * a cost of the migration: `check` and `diff` say so on the line. */
        if (op->hazards & AG_HAZARD_BREAKS_FUNCTION)
            ag_buf_printf(&line, " [hazard: %s: %s]",
                          ag_hazard_name(AG_HAZARD_IDX_BREAKS_FUNCTION),
                          op->why[AG_HAZARD_IDX_BREAKS_FUNCTION]
                              ? op->why[AG_HAZARD_IDX_BREAKS_FUNCTION]
                              : ag_hazard_desc(AG_HAZARD_IDX_BREAKS_FUNCTION));
        ag_emit_comment_text(out, line.data); /* one line per op, always */
        ag_buf_putc(out, '\n');
    }
    ag_buf_free(&line);
}

/* ---- JSON ---- */

static void
json_str(ag_buf *out, const char *s)
{
    ag_buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            ag_buf_put(out, "\\\"");
            break;
        case '\\':
            ag_buf_put(out, "\\\\");
            break;
        case '\n':
            ag_buf_put(out, "\\n");
            break;
        case '\r':
            ag_buf_put(out, "\\r");
            break;
        case '\t':
            ag_buf_put(out, "\\t");
            break;
        default:
            if (*p < 0x20)
                ag_buf_printf(out, "\\u%04x", *p);
            else
                ag_buf_putc(out, (char)*p);
        }
    }
    ag_buf_putc(out, '"');
}

/* "public.users", "public.users.phone": plain names joined by dots. */
static void
json_object(ag_buf *out, const ag_op *op)
{
    ag_buf b;
    ag_buf_init(&b);
    if (*op->name.schema)
        ag_buf_printf(&b, "%s.", op->name.schema);
    const ag_column *col = op->kind == AG_KIND_TABLE ? op_col(op) : NULL;
    if (op->table &&
        (op->kind == AG_KIND_CONSTRAINT || op->kind == AG_KIND_TRIGGER ||
         op->kind == AG_KIND_POLICY))
        ag_buf_printf(&b, "%s.", op->table);
    ag_buf_put(&b, op->name.name);
    if (op->type == AG_OP_SET_COMMENT && op->label &&
        (op->kind == AG_KIND_DOMAIN || op->kind == AG_KIND_COMPOSITE))
        ag_buf_printf(&b, ".%s", op->label);
    if (col)
        ag_buf_printf(&b, ".%s", col->name);
    json_str(out, b.data);
    ag_buf_free(&b);
}

void
ag_emit_json(const ag_plan *plan, ag_buf *out)
{
    ag_buf tmp;
    ag_buf_init(&tmp);
    ag_buf_putc(out, '[');
    for (size_t i = 0; i < plan->nops; i++) {
        const ag_op *op = &plan->ops[i];
        ag_buf_put(out, i ? ",\n  " : "\n  ");
        ag_buf_printf(out, "{\"op\":\"%s\",\"object\":", ag_op_name(op->type));
        json_object(out, op);
        ag_buf_put(out, ",\"hazards\":[");
        const char *sep = "";
        for (int h = 0; h < AG_NHAZARDS; h++)
            if (op->hazards & (1u << h)) {
                ag_buf_printf(out, "%s\"%s\"", sep, ag_hazard_name(h));
                sep = ",";
            }
        ag_buf_put(out, "],\"summary\":");
        ag_buf_reset(&tmp);
        ag_emit_op_summary(op, &tmp);
        json_str(out, tmp.data);
        ag_buf_put(out, ",\"sql\":");
        ag_buf_reset(&tmp);
        ag_emit_op_sql(op, &tmp);
        json_str(out, tmp.data);
        ag_buf_putc(out, '}');
    }
    ag_buf_put(out, plan->nops ? "\n]\n" : "]\n");
    ag_buf_free(&tmp);
}
