/*
 * emit_routines.c - SQL and summaries for functions, procedures and
 * triggers.
 *
 * CREATE FUNCTION is written from the catalog's fields (canonical types,
 * defaults as their `sql`, the options PostgreSQL stores), in the layout
 * pg_get_functiondef uses; the body goes between dollar quotes whose tag it
 * does not contain.  Triggers are the `sql` statement the catalog carries.
 */
#include "emit_int.h"

#include <stdlib.h>
#include <string.h>

#include "autogen/ident.h"

void
em_function_signature(ag_buf *out, const ag_function *f)
{
    ag_quote_qname(out, f->obj.name.schema, f->fname);
    ag_buf_printf(out, "(%s)", f->identity);
}

static const char *
routine_word(const ag_function *f)
{
    return f->is_procedure ? "PROCEDURE" : "FUNCTION";
}

static bool
returns_set(const ag_function *f)
{
    return f->result && (strncmp(f->result, "SETOF ", 6) == 0 ||
                         strncmp(f->result, "TABLE(", 6) == 0);
}

/* SET name TO 'a', 'b' from the stored "name=a, b". */
static void
config_clause(ag_buf *out, const char *entry)
{
    const char *eq = strchr(entry, '=');
    if (!eq)
        return;
    ag_buf_put(out, "\n    SET ");
    ag_buf_putn(out, entry, (size_t)(eq - entry));
    ag_buf_put(out, " TO ");
    const char *p = eq + 1;
    for (bool first = true;; first = false) {
        const char *sep = strstr(p, ", ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        char *v = ag_xmalloc(len + 1);
        memcpy(v, p, len);
        v[len] = '\0';
        if (!first)
            ag_buf_put(out, ", ");
        ag_quote_literal(out, v);
        free(v);
        if (!sep)
            break;
        p = sep + 2;
    }
}

void
ag_emit_funcargs(ag_buf *out, const ag_function *f, bool defaults)
{
    ag_buf_putc(out, '(');
    bool first = true;
    for (size_t i = 0; i < f->nargs; i++) {
        const ag_funcarg *a = &f->args[i];
        if (a->mode == 't')
            continue; /* columns of RETURNS TABLE */
        ag_buf_put(out, first ? "" : ", ");
        first = false;
        ag_buf_put(out, a->mode == 'o'   ? "OUT "
                        : a->mode == 'b' ? "INOUT "
                        : a->mode == 'v' ? "VARIADIC "
                                         : "");
        if (a->name) {
            ag_quote_ident(out, a->name);
            ag_buf_putc(out, ' ');
        }
        ag_buf_put(out, a->type);
        if (defaults && a->default_expr)
            ag_buf_printf(out, " DEFAULT %s", a->default_expr->sql);
    }
    ag_buf_putc(out, ')');
}

static void
create_function(ag_buf *out, const ag_function *f, bool replace)
{
    ag_buf_printf(out, "CREATE %s%s ", replace ? "OR REPLACE " : "",
                  routine_word(f));
    ag_quote_qname(out, f->obj.name.schema, f->fname);
    ag_emit_funcargs(out, f, true);
    if (f->result)
        ag_buf_printf(out, "\n    RETURNS %s", f->result);
    ag_buf_put(out, "\n    LANGUAGE ");
    ag_quote_ident(out, f->language);
    if (!f->is_procedure) {
        if (f->volatility == 'i')
            ag_buf_put(out, "\n    IMMUTABLE");
        else if (f->volatility == 's')
            ag_buf_put(out, "\n    STABLE");
        if (f->strict)
            ag_buf_put(out, "\n    STRICT");
        if (f->leakproof)
            ag_buf_put(out, "\n    LEAKPROOF");
        if (f->parallel == 's')
            ag_buf_put(out, "\n    PARALLEL SAFE");
        else if (f->parallel == 'r')
            ag_buf_put(out, "\n    PARALLEL RESTRICTED");
        bool c_like = strcmp(f->language, "c") == 0 ||
                      strcmp(f->language, "internal") == 0;
        if (f->cost != (c_like ? 1 : 100))
            ag_buf_printf(out, "\n    COST %g", f->cost);
        if (returns_set(f) && f->rows != 1000)
            ag_buf_printf(out, "\n    ROWS %g", f->rows);
    }
    if (f->security_definer)
        ag_buf_put(out, "\n    SECURITY DEFINER");
    for (size_t i = 0; i < f->nconfig; i++)
        config_clause(out, f->config[i]);
    ag_buf_put(out, "\nAS ");
    if (f->probin) {
        ag_quote_literal(out, f->probin);
        ag_buf_put(out, ", ");
        ag_quote_literal(out, f->body);
    } else {
        ag_quote_dollar(out, f->body, "function");
    }
    ag_buf_put(out, ";\n");
}

/* The CREATE TRIGGER statement without a trailing semicolon; OR REPLACE
 * goes in after CREATE. */
static void
create_trigger(ag_buf *out, const ag_trigger *t, bool replace)
{
    const char *sql = t->def.sql;
    size_t n = strlen(sql);
    while (n && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n'))
        n--;
    if (replace && strncmp(sql, "CREATE ", 7) == 0) {
        ag_buf_put(out, "CREATE OR REPLACE ");
        ag_buf_putn(out, sql + 7, n - 7);
    } else {
        ag_buf_putn(out, sql, n);
    }
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

void
em_routine_sql(const ag_op *op, ag_buf *out)
{
    switch (op->type) {
    case AG_OP_CREATE_FUNCTION:
    case AG_OP_REPLACE_FUNCTION:
        create_function(out, (const ag_function *)op->to_obj,
                        op->type == AG_OP_REPLACE_FUNCTION);
        return;
    case AG_OP_DROP_FUNCTION: {
        const ag_function *f = (const ag_function *)op->from_obj;
        note_line(out, op);
        ag_buf_printf(out, "DROP %s ", routine_word(f));
        em_function_signature(out, f);
        ag_buf_put(out, ";\n");
        return;
    }
    case AG_OP_CREATE_TRIGGER:
    case AG_OP_REPLACE_TRIGGER:
        create_trigger(out, (const ag_trigger *)op->to_obj,
                       op->type == AG_OP_REPLACE_TRIGGER);
        return;
    case AG_OP_DROP_TRIGGER:
        note_line(out, op);
        ag_buf_put(out, "DROP TRIGGER ");
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, " ON ");
        ag_quote_qname(out, op->name.schema, op->table);
        ag_buf_put(out, ";\n");
        return;
    default:
        return;
    }
}

void
em_routine_object(ag_buf *out, const ag_op *op)
{
    if (op->kind == AG_KIND_TRIGGER) {
        ag_buf_put(out, "trigger ");
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, " on ");
        ag_quote_qname(out, op->name.schema, op->table);
        return;
    }
    const ag_function *f =
        (const ag_function *)(op->to_obj ? op->to_obj : op->from_obj);
    if (!f) {
        ag_buf_printf(out, "function %s.%s", op->name.schema, op->name.name);
        return;
    }
    ag_buf_put(out, f->is_procedure ? "procedure " : "function ");
    em_function_signature(out, f);
}

static const char *
volatility_word(char v)
{
    return v == 'i' ? "immutable" : v == 's' ? "stable" : "volatile";
}

static const char *
parallel_word(char p)
{
    return p == 's' ? "safe" : p == 'r' ? "restricted" : "unsafe";
}

void
em_routine_changes(ag_buf *out, const ag_op *op)
{
    if (op->type == AG_OP_REPLACE_TRIGGER) {
        ag_buf_put(out, ": definition changed");
        return;
    }
    if (op->type != AG_OP_REPLACE_FUNCTION)
        return;
    const ag_function *a = (const ag_function *)op->from_obj;
    const ag_function *b = (const ag_function *)op->to_obj;
    const char *sep = ": ";
#define SAY(...)                                                               \
    do {                                                                       \
        ag_buf_put(out, sep);                                                  \
        ag_buf_printf(out, __VA_ARGS__);                                       \
        sep = ", ";                                                            \
    } while (0)
    if (strcmp(a->language, b->language) != 0)
        SAY("language %s -> %s", a->language, b->language);
    bool probin_changed =
        (a->probin || b->probin) &&
        (!a->probin || !b->probin || strcmp(a->probin, b->probin) != 0);
    if (strcmp(a->body, b->body) != 0 || probin_changed)
        SAY("body changed");
    if (a->volatility != b->volatility)
        SAY("%s -> %s", volatility_word(a->volatility),
            volatility_word(b->volatility));
    if (a->strict != b->strict)
        SAY("%s", b->strict ? "strict" : "not strict");
    if (a->security_definer != b->security_definer)
        SAY("%s",
            b->security_definer ? "security definer" : "security invoker");
    if (a->leakproof != b->leakproof)
        SAY("%s", b->leakproof ? "leakproof" : "not leakproof");
    if (a->parallel != b->parallel)
        SAY("parallel %s -> %s", parallel_word(a->parallel),
            parallel_word(b->parallel));
    if (a->cost != b->cost)
        SAY("cost %g -> %g", a->cost, b->cost);
    if (a->rows != b->rows)
        SAY("rows %g -> %g", a->rows, b->rows);
    bool cfg = a->nconfig != b->nconfig;
    for (size_t i = 0; !cfg && i < a->nconfig; i++)
        cfg = strcmp(a->config[i], b->config[i]) != 0;
    if (cfg)
        SAY("SET clauses changed");
    if (strcmp(sep, ": ") == 0)
        SAY("argument defaults changed");
#undef SAY
}

bool
em_plan_has_functions(const ag_plan *plan)
{
    for (size_t i = 0; i < plan->nops; i++)
        if (plan->ops[i].type == AG_OP_CREATE_FUNCTION ||
            plan->ops[i].type == AG_OP_REPLACE_FUNCTION)
            return true;
    return false;
}
