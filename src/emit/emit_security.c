/*
 * emit_security.c - SQL and summaries for row-level security, policies, a
 * trigger's enabled state, event triggers and publications.
 *
 * Policy expressions are written from their `sql` (the model's spelling or
 * pg_get_expr's); role names are quoted except PUBLIC.  A publication's
 * ALTER is written from its two sides: ADD / DROP for the tables and
 * schemas that differ, SET (...) for the options.
 */
#include "emit_int.h"

#include <string.h>

#include "autogen/ident.h"

const char *
em_enabled_words(char enabled)
{
    switch (enabled) {
    case 'D':
        return "DISABLE";
    case 'R':
        return "ENABLE REPLICA";
    case 'A':
        return "ENABLE ALWAYS";
    default:
        return "ENABLE";
    }
}

static const char *
cmd_word(char cmd)
{
    switch (cmd) {
    case 'r':
        return "SELECT";
    case 'a':
        return "INSERT";
    case 'w':
        return "UPDATE";
    case 'd':
        return "DELETE";
    default:
        return "ALL";
    }
}

static void
policy_on(ag_buf *out, const ag_op *op)
{
    ag_quote_ident(out, op->name.name);
    ag_buf_put(out, " ON ");
    ag_quote_qname(out, op->name.schema, op->table);
}

static void
policy_roles(ag_buf *out, const ag_policy *p)
{
    ag_buf_put(out, " TO ");
    for (size_t i = 0; i < p->nroles; i++) {
        if (i)
            ag_buf_put(out, ", ");
        if (strcmp(p->roles[i], "public") == 0)
            ag_buf_put(out, "PUBLIC");
        else
            ag_quote_ident(out, p->roles[i]);
    }
}

static void
create_policy(ag_buf *out, const ag_op *op)
{
    const ag_policy *p = (const ag_policy *)op->to_obj;
    ag_buf_put(out, "CREATE POLICY ");
    policy_on(out, op);
    ag_buf_printf(out, " AS %s FOR %s",
                  p->permissive ? "PERMISSIVE" : "RESTRICTIVE",
                  cmd_word(p->cmd));
    policy_roles(out, p);
    if (p->using_expr)
        ag_buf_printf(out, " USING (%s)", p->using_expr->sql);
    if (p->check_expr)
        ag_buf_printf(out, " WITH CHECK (%s)", p->check_expr->sql);
    ag_buf_put(out, ";\n");
}

static bool
roles_differ(const ag_policy *a, const ag_policy *b)
{
    if (a->nroles != b->nroles)
        return true;
    for (size_t i = 0; i < a->nroles; i++)
        if (strcmp(a->roles[i], b->roles[i]) != 0)
            return true;
    return false;
}

static bool
expr_differs(const ag_expr *a, const ag_expr *b)
{
    return !a ? b != NULL : !b || strcmp(a->canon, b->canon) != 0;
}

static void
alter_policy(ag_buf *out, const ag_op *op)
{
    const ag_policy *a = (const ag_policy *)op->from_obj;
    const ag_policy *b = (const ag_policy *)op->to_obj;
    ag_buf_put(out, "ALTER POLICY ");
    policy_on(out, op);
    if (roles_differ(a, b))
        policy_roles(out, b);
    if (expr_differs(a->using_expr, b->using_expr))
        ag_buf_printf(out, " USING (%s)", b->using_expr->sql);
    if (expr_differs(a->check_expr, b->check_expr))
        ag_buf_printf(out, " WITH CHECK (%s)", b->check_expr->sql);
    ag_buf_put(out, ";\n");
}

static void
note_line(ag_buf *out, const ag_op *op)
{
    if (!op->note)
        return;
    ag_buf_put(out, "-- ");
    ag_emit_comment_text(out, op->note);
    ag_buf_putc(out, '\n');
}

static void
create_event_trigger(ag_buf *out, const ag_event_trigger *e)
{
    ag_buf_put(out, "CREATE EVENT TRIGGER ");
    ag_quote_ident(out, e->obj.name.name);
    ag_buf_printf(out, " ON %s", e->event);
    for (size_t i = 0; i < e->ntags; i++) {
        ag_buf_put(out, i ? ", " : "\n    WHEN TAG IN (");
        ag_quote_literal(out, e->tags[i]);
    }
    if (e->ntags)
        ag_buf_putc(out, ')');
    ag_buf_put(out, "\n    EXECUTE FUNCTION ");
    ag_quote_qname(out, e->func.schema, e->func.name);
    ag_buf_put(out, "();\n");
}

/* The table name of a publication entry, without a column list or WHERE
 * clause (outside double quotes, the first " (" or " WHERE"). */
static void
entry_name(ag_buf *out, const char *entry)
{
    bool quoted = false;
    const char *p = entry;
    for (; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == ' ')
            break;
    }
    ag_buf_putn(out, entry, (size_t)(p - entry));
}

static bool
has(const char **list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static void
publication_options(ag_buf *out, const ag_publication *p)
{
    ag_buf_put(out, "(publish = ");
    ag_quote_literal(out, p->publish);
    ag_buf_printf(out, ", publish_via_partition_root = %s)",
                  p->via_root ? "true" : "false");
}

static void
create_publication(ag_buf *out, const ag_publication *p)
{
    ag_buf_put(out, "CREATE PUBLICATION ");
    ag_quote_ident(out, p->obj.name.name);
    if (p->all_tables) {
        ag_buf_put(out, " FOR ALL TABLES");
    } else if (p->ntables || p->nschemas) {
        ag_buf_put(out, " FOR ");
        const char *sep = "";
        for (size_t i = 0; i < p->ntables; i++, sep = ", ")
            ag_buf_printf(out, "%sTABLE %s", sep, p->tables[i]);
        for (size_t i = 0; i < p->nschemas; i++, sep = ", ") {
            ag_buf_printf(out, "%sTABLES IN SCHEMA ", sep);
            ag_quote_ident(out, p->schemas[i]);
        }
    }
    ag_buf_put(out, " WITH ");
    publication_options(out, p);
    ag_buf_put(out, ";\n");
}

static void
alter_head(ag_buf *out, const ag_publication *p)
{
    ag_buf_put(out, "ALTER PUBLICATION ");
    ag_quote_ident(out, p->obj.name.name);
}

static void
alter_publication(ag_buf *out, const ag_publication *a, const ag_publication *b)
{
    for (size_t i = 0; i < a->ntables; i++)
        if (!has(b->tables, b->ntables, a->tables[i])) {
            alter_head(out, a);
            ag_buf_put(out, " DROP TABLE ");
            entry_name(out, a->tables[i]);
            ag_buf_put(out, ";\n");
        }
    for (size_t i = 0; i < a->nschemas; i++)
        if (!has(b->schemas, b->nschemas, a->schemas[i])) {
            alter_head(out, a);
            ag_buf_put(out, " DROP TABLES IN SCHEMA ");
            ag_quote_ident(out, a->schemas[i]);
            ag_buf_put(out, ";\n");
        }
    for (size_t i = 0; i < b->ntables; i++)
        if (!has(a->tables, a->ntables, b->tables[i])) {
            alter_head(out, a);
            ag_buf_printf(out, " ADD TABLE %s;\n", b->tables[i]);
        }
    for (size_t i = 0; i < b->nschemas; i++)
        if (!has(a->schemas, a->nschemas, b->schemas[i])) {
            alter_head(out, a);
            ag_buf_put(out, " ADD TABLES IN SCHEMA ");
            ag_quote_ident(out, b->schemas[i]);
            ag_buf_put(out, ";\n");
        }
    if (strcmp(a->publish, b->publish) != 0 || a->via_root != b->via_root) {
        alter_head(out, a);
        ag_buf_put(out, " SET ");
        publication_options(out, b);
        ag_buf_put(out, ";\n");
    }
}

void
em_security_sql(const ag_op *op, ag_buf *out)
{
    switch (op->type) {
    case AG_OP_SET_RLS:
    case AG_OP_SET_RLS_FORCE: {
        const ag_table *t = (const ag_table *)op->to_obj;
        ag_buf_put(out, "ALTER TABLE ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        if (op->type == AG_OP_SET_RLS)
            ag_buf_printf(out, " %s ROW LEVEL SECURITY;\n",
                          t->rls ? "ENABLE" : "DISABLE");
        else
            ag_buf_printf(out, " %sFORCE ROW LEVEL SECURITY;\n",
                          t->rls_forced ? "" : "NO ");
        return;
    }
    case AG_OP_SET_TRIGGER_ENABLED:
        ag_buf_put(out, "ALTER TABLE ");
        ag_quote_qname(out, op->name.schema, op->table);
        ag_buf_printf(
            out, " %s TRIGGER ",
            em_enabled_words(((const ag_trigger *)op->to_obj)->enabled));
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, ";\n");
        return;
    case AG_OP_CREATE_POLICY:
        create_policy(out, op);
        return;
    case AG_OP_ALTER_POLICY:
        alter_policy(out, op);
        return;
    case AG_OP_DROP_POLICY:
        note_line(out, op);
        ag_buf_put(out, "DROP POLICY ");
        policy_on(out, op);
        ag_buf_put(out, ";\n");
        return;
    case AG_OP_CREATE_EVENT_TRIGGER:
        create_event_trigger(out, (const ag_event_trigger *)op->to_obj);
        return;
    case AG_OP_SET_EVENT_TRIGGER_ENABLED:
        ag_buf_put(out, "ALTER EVENT TRIGGER ");
        ag_quote_ident(out, op->name.name);
        ag_buf_printf(
            out, " %s;\n",
            em_enabled_words(((const ag_event_trigger *)op->to_obj)->enabled));
        return;
    case AG_OP_DROP_EVENT_TRIGGER:
        note_line(out, op);
        ag_buf_put(out, "DROP EVENT TRIGGER ");
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, ";\n");
        return;
    case AG_OP_CREATE_PUBLICATION:
        create_publication(out, (const ag_publication *)op->to_obj);
        return;
    case AG_OP_ALTER_PUBLICATION:
        alter_publication(out, (const ag_publication *)op->from_obj,
                          (const ag_publication *)op->to_obj);
        return;
    case AG_OP_DROP_PUBLICATION:
        note_line(out, op);
        ag_buf_put(out, "DROP PUBLICATION ");
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, ";\n");
        return;
    default:
        return;
    }
}

bool
em_security_object(ag_buf *out, const ag_op *op)
{
    switch (op->kind) {
    case AG_KIND_POLICY:
        ag_buf_put(out, "policy ");
        policy_on(out, op);
        return true;
    case AG_KIND_EVENT_TRIGGER:
    case AG_KIND_PUBLICATION:
        ag_buf_printf(out, "%s ", ag_kind_name(op->kind));
        ag_quote_ident(out, op->name.name);
        return true;
    case AG_KIND_DOMAIN:
    case AG_KIND_COMPOSITE:
        if (op->type != AG_OP_SET_COMMENT || !op->label)
            return false;
        if (op->kind == AG_KIND_DOMAIN) {
            ag_buf_put(out, "constraint ");
            ag_quote_ident(out, op->label);
            ag_buf_put(out, " on domain ");
            ag_quote_qname(out, op->name.schema, op->name.name);
        } else {
            ag_buf_put(out, "attribute ");
            ag_quote_qname(out, op->name.schema, op->name.name);
            ag_buf_putc(out, '.');
            ag_quote_ident(out, op->label);
        }
        return true;
    default:
        return false;
    }
}

void
em_security_changes(ag_buf *out, const ag_op *op)
{
    switch (op->type) {
    case AG_OP_SET_RLS: {
        const ag_table *t = (const ag_table *)op->to_obj;
        ag_buf_printf(out, ": row level security %s",
                      t->rls ? "enabled" : "disabled");
        return;
    }
    case AG_OP_SET_RLS_FORCE: {
        const ag_table *t = (const ag_table *)op->to_obj;
        ag_buf_printf(out, ": row level security %s",
                      t->rls_forced ? "forced" : "not forced");
        return;
    }
    case AG_OP_SET_TRIGGER_ENABLED:
        ag_buf_printf(
            out, ": %s",
            em_enabled_words(((const ag_trigger *)op->to_obj)->enabled));
        return;
    case AG_OP_SET_EVENT_TRIGGER_ENABLED:
        ag_buf_printf(
            out, ": %s",
            em_enabled_words(((const ag_event_trigger *)op->to_obj)->enabled));
        return;
    case AG_OP_ALTER_POLICY: {
        const ag_policy *a = (const ag_policy *)op->from_obj;
        const ag_policy *b = (const ag_policy *)op->to_obj;
        const char *sep = ": ";
        if (roles_differ(a, b)) {
            ag_buf_printf(out, "%sroles changed", sep);
            sep = ", ";
        }
        if (expr_differs(a->using_expr, b->using_expr)) {
            ag_buf_printf(out, "%sUSING changed", sep);
            sep = ", ";
        }
        if (expr_differs(a->check_expr, b->check_expr))
            ag_buf_printf(out, "%sWITH CHECK changed", sep);
        return;
    }
    case AG_OP_ALTER_PUBLICATION: {
        const ag_publication *a = (const ag_publication *)op->from_obj;
        const ag_publication *b = (const ag_publication *)op->to_obj;
        const char *sep = ": ";
        for (size_t i = 0; i < b->ntables; i++)
            if (!has(a->tables, a->ntables, b->tables[i])) {
                ag_buf_printf(out, "%s+table %s", sep, b->tables[i]);
                sep = ", ";
            }
        for (size_t i = 0; i < a->ntables; i++)
            if (!has(b->tables, b->ntables, a->tables[i])) {
                ag_buf_printf(out, "%s-table %s", sep, a->tables[i]);
                sep = ", ";
            }
        for (size_t i = 0; i < b->nschemas; i++)
            if (!has(a->schemas, a->nschemas, b->schemas[i])) {
                ag_buf_printf(out, "%s+schema %s", sep, b->schemas[i]);
                sep = ", ";
            }
        for (size_t i = 0; i < a->nschemas; i++)
            if (!has(b->schemas, b->nschemas, a->schemas[i])) {
                ag_buf_printf(out, "%s-schema %s", sep, a->schemas[i]);
                sep = ", ";
            }
        if (strcmp(a->publish, b->publish) != 0)
            ag_buf_printf(out, "%spublish '%s' -> '%s'", sep, a->publish,
                          b->publish);
        if (a->via_root != b->via_root)
            ag_buf_printf(out, "%spublish_via_partition_root %s", sep,
                          b->via_root ? "on" : "off");
        return;
    }
    default:
        return;
    }
}
