/*
 * names.c - the names PostgreSQL gives unnamed constraints, indexes and
 * serial sequences, so a model that leaves them out matches the database.
 *
 * Mirrors makeObjectName, ChooseRelationName, ChooseConstraintName,
 * ChooseIndexNameAddition and FigureColname (src/backend/commands/
 * indexcmds.c, catalog/pg_constraint.c, parser/parse_target.c): parts are
 * shortened to fit NAMEDATALEN (63 bytes, never splitting a UTF-8
 * character), and a number is appended to the label on a collision.
 */
#include <stdio.h>
#include <string.h>

#include "loader_int.h"

#define NAMEDATALEN 64

/* Longest prefix of s of at most n bytes that ends on a UTF-8 boundary. */
static size_t
clip_utf8(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

const char *
ld_make_object_name(ag_arena *a, const char *name1, const char *name2,
                    const char *label)
{
    size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
    size_t overhead = (name2 ? 1 : 0) + (label ? strlen(label) + 1 : 0);
    size_t avail = NAMEDATALEN - 1 - overhead;
    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    n1 = clip_utf8(name1, n1);
    if (name2)
        n2 = clip_utf8(name2, n2);
    char buf[NAMEDATALEN * 2];
    int len = snprintf(buf, sizeof buf, "%.*s", (int)n1, name1);
    if (name2)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "_%.*s", (int)n2,
                        name2);
    if (label)
        snprintf(buf + len, sizeof buf - (size_t)len, "_%s", label);
    return ag_arena_strdup(a, buf);
}

const char *
ld_choose_relation_name(ag_catalog *cat, const char *schema, const char *name1,
                        const char *name2, const char *label, bool isconstraint)
{
    char modlabel[NAMEDATALEN];
    snprintf(modlabel, sizeof modlabel, "%s", label);
    for (int pass = 1;; pass++) {
        const char *name =
            ld_make_object_name(&cat->arena, name1, name2, modlabel);
        if (!ag_catalog_relname_taken(cat, schema, name) &&
            !(isconstraint && ag_catalog_conname_taken(cat, schema, name)))
            return name;
        snprintf(modlabel, sizeof modlabel, "%s%d", label, pass);
    }
}

const char *
ld_choose_constraint_name(ag_catalog *cat, const char *schema,
                          const char *name1, const char *name2,
                          const char *label)
{
    char modlabel[NAMEDATALEN];
    snprintf(modlabel, sizeof modlabel, "%s", label);
    for (int pass = 1;; pass++) {
        const char *name =
            ld_make_object_name(&cat->arena, name1, name2, modlabel);
        if (!ag_catalog_conname_taken(cat, schema, name))
            return name;
        snprintf(modlabel, sizeof modlabel, "%s%d", label, pass);
    }
}

const char *
ld_name_addition(ag_arena *a, const char *const *names, size_t n)
{
    char buf[NAMEDATALEN * 2];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (len > 0)
            buf[len++] = '_';
        size_t l = strlen(names[i]);
        if (l > NAMEDATALEN - 1)
            l = NAMEDATALEN - 1;
        memcpy(buf + len, names[i], l);
        len += l;
        buf[len] = '\0';
        if (len >= NAMEDATALEN)
            break;
    }
    return ag_arena_strdup(a, buf);
}

/* FigureColname's choices for the expressions an index may hold; NULL
 * means "no name", which the caller turns into "expr". */
const char *
ld_figure_colname(const ag_node *n)
{
    if (!n)
        return NULL;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
        const PgQuery__ColumnRef *c = n->column_ref;
        return c->n_fields ? ag_ast_str(c->fields[c->n_fields - 1]) : NULL;
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL: {
        const PgQuery__FuncCall *f = n->func_call;
        return f->n_funcname ? ag_ast_str(f->funcname[f->n_funcname - 1])
                             : NULL;
    }
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        const char *name = ld_figure_colname(n->type_cast->arg);
        if (name)
            return name;
        const PgQuery__TypeName *tn = n->type_cast->type_name;
        return tn && tn->n_names ? ag_ast_str(tn->names[tn->n_names - 1])
                                 : NULL;
    }
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        return "coalesce";
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        return n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST
                   ? "greatest"
                   : "least";
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return "case";
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
        return "array";
    case PG_QUERY__NODE__NODE_ROW_EXPR:
        return "row";
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        return ld_figure_colname(n->collate_clause->arg);
    default:
        return NULL;
    }
}
