/*
 * diff_udt.c - domains and composite types.
 *
 * Domains are altered in place where ALTER DOMAIN can (default, NOT NULL,
 * checks: a changed check is dropped and added under its name).  A new
 * base type or collation cannot be altered: the domain is dropped and
 * created again, which PostgreSQL refuses while a column uses it, so that
 * case is an error naming the columns (change it in two steps).
 * Composite types gain, lose and retype attributes with ALTER TYPE.
 */
#include "diff_int.h"

#include <string.h>

#include "autogen/ident.h"

/* ---- domains ---- */

static const ag_domain_check *
find_check(const ag_domain *d, const char *name)
{
    for (size_t i = 0; i < d->nchecks; i++)
        if (strcmp(d->checks[i].name, name) == 0)
            return &d->checks[i];
    return NULL;
}

static bool
same_expr(const ag_expr *a, const ag_expr *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a->canon, b->canon) == 0;
}

/* The columns of `from` whose type is the domain (or an array of it), as
 * "schema.table.column, ..." in the plan arena; NULL when none. */
static const char *
domain_users(df_ctx *c, const ag_domain *d)
{
    const char *qn = df_qn(c, d->obj.name.schema, d->obj.name.name);
    size_t len = strlen(qn);
    ag_buf b;
    ag_buf_init(&b);
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_table *t = (const ag_table *)list[i];
        for (size_t k = 0; k < t->ncols; k++) {
            const char *ty = t->cols[k].type;
            if (strncmp(ty, qn, len) != 0 || (ty[len] && ty[len] != '['))
                continue;
            ag_buf_printf(&b, "%s%s.%s", b.len ? ", " : "",
                          df_qn(c, t->obj.name.schema, t->obj.name.name),
                          t->cols[k].name);
        }
    }
    const char *out = b.len ? ag_arena_strdup(&c->plan->arena, b.data) : NULL;
    ag_buf_free(&b);
    return out;
}

/* Is the domain's base type (or its element type) a composite type of
 * `cat` (kind AG_KIND_COMPOSITE), or a table's row type (AG_KIND_TABLE)?
 * Such a domain is created after composite types (or tables) and dropped
 * before them; every other domain comes first, as composite attributes,
 * function signatures and table columns may use it. */
static bool
on_rowtype(const ag_catalog *cat, ag_kind kind, const ag_domain *d)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(cat, kind, &list);
    ag_buf b;
    ag_buf_init(&b);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++) {
        ag_buf_reset(&b);
        ag_quote_qname(&b, list[i]->name.schema, list[i]->name.name);
        found = strncmp(d->type, b.data, b.len) == 0 &&
                (d->type[b.len] == '\0' || d->type[b.len] == '[');
    }
    ag_buf_free(&b);
    return found;
}

static ag_op *
domain_op(df_ctx *c, ag_op_type type, int prio, const ag_domain *a,
          const ag_domain *b)
{
    const ag_domain *d = b ? b : a;
    const ag_catalog *cat = prio == P_DOMAIN && b ? c->to : c->from;
    if (prio == P_DOMAIN && on_rowtype(cat, AG_KIND_COMPOSITE, d))
        prio = P_DOMAIN_ON_COMPOSITE;
    else if (prio == P_DOMAIN && on_rowtype(cat, AG_KIND_TABLE, d))
        prio = P_DOMAIN_ON_TABLE;
    else if (prio == P_DROP_DOMAIN && on_rowtype(c->from, AG_KIND_COMPOSITE, d))
        prio = P_DROP_DOMAIN_ON_COMPOSITE;
    else if (prio == P_DROP_DOMAIN && on_rowtype(c->from, AG_KIND_TABLE, d))
        prio = P_DROP_DOMAIN_ON_TABLE;
    ag_op *op = df_new_op(c, type, prio, AG_KIND_DOMAIN, d->obj.name.schema,
                          d->obj.name.name, NULL);
    op->from_obj = a ? &a->obj : NULL;
    op->to_obj = b ? &b->obj : NULL;
    return op;
}

static void
create_domain(df_ctx *c, const ag_domain *b, int step)
{
    ag_op *op = domain_op(c, AG_OP_CREATE_DOMAIN, P_DOMAIN, NULL, b);
    op->step = step;
    df_comment(c, AG_KIND_DOMAIN, b->obj.name.schema, b->obj.name.name, NULL,
               NULL, b->obj.comment, true);
}

static void
alter_domain(df_ctx *c, const ag_domain *a, const ag_domain *b)
{
    if (!df_same_type(c, a->type, b->type) ||
        !df_str_eq(a->collation, b->collation)) {
        const char *users = domain_users(c, a);
        if (users && !c->fail) {
            ag_buf m;
            ag_buf_init(&m);
            ag_buf_printf(&m,
                          "domain %s: its base type changes (%s -> %s) "
                          "while columns use it (%s); PostgreSQL cannot "
                          "alter a domain's type: change those columns to "
                          "another type first, in a separate migration",
                          df_qn(c, a->obj.name.schema, a->obj.name.name),
                          a->type, b->type, users);
            c->fail = ag_arena_strdup(&c->plan->arena, m.data);
            ag_buf_free(&m);
        }
        ag_op *op = domain_op(c, AG_OP_DROP_DOMAIN, P_DOMAIN, a, NULL);
        op->note = "its base type changes: dropped and created again";
        create_domain(c, b, 1);
        return;
    }
    if (!same_expr(a->default_expr, b->default_expr))
        domain_op(c, AG_OP_ALTER_DOMAIN_DEFAULT, P_DOMAIN, a, b)->step = 1;
    if (a->notnull != b->notnull)
        domain_op(c, AG_OP_ALTER_DOMAIN_NOT_NULL, P_DOMAIN, a, b)->step = 1;
    for (size_t i = 0; i < a->nchecks; i++) {
        const ag_domain_check *k = find_check(b, a->checks[i].name);
        if (k && strcmp(k->def.canon, a->checks[i].def.canon) == 0)
            continue;
        ag_op *op = domain_op(c, AG_OP_DROP_DOMAIN_CHECK, P_DOMAIN, a, b);
        op->label = a->checks[i].name;
        if (k)
            op->note = "definition changed: dropped and added again";
    }
    for (size_t i = 0; i < b->nchecks; i++) {
        const ag_domain_check *k = find_check(a, b->checks[i].name);
        if (k && strcmp(k->def.canon, b->checks[i].def.canon) == 0)
            continue;
        ag_op *op = domain_op(c, AG_OP_ADD_DOMAIN_CHECK, P_DOMAIN, a, b);
        op->label = b->checks[i].name;
        op->step = 2;
    }
    df_comment(c, AG_KIND_DOMAIN, b->obj.name.schema, b->obj.name.name, NULL,
               a->obj.comment, b->obj.comment, false);
}

/* Is `type` (a domain's base type, maybe an array of it) the domain d? */
static bool
names_domain(const char *type, const ag_domain *d)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_quote_qname(&b, d->obj.name.schema, d->obj.name.name);
    bool same = strncmp(type, b.data, b.len) == 0 &&
                (type[b.len] == '\0' || type[b.len] == '[');
    ag_buf_free(&b);
    return same;
}

/* A domain over another domain (PostgREST's tsvector_not_empty over
 * tsvector_not_null): created after it and dropped before it, whatever
 * their names' order.  ops[0..n) are the domain ops df_domains made. */
static void
domain_chain_edges(df_ctx *c, ag_op **ops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ag_op *x = ops[i];
        bool create = x->type == AG_OP_CREATE_DOMAIN;
        if (!create && x->type != AG_OP_DROP_DOMAIN)
            continue;
        const ag_domain *dx =
            (const ag_domain *)(create ? x->to_obj : x->from_obj);
        for (size_t j = 0; j < n; j++) {
            ag_op *y = ops[j];
            if (j == i || y->type != x->type)
                continue;
            const ag_domain *dy =
                (const ag_domain *)(create ? y->to_obj : y->from_obj);
            if (!names_domain(dx->type, dy))
                continue;
            if (create)
                df_edge(c, y, x);
            else
                df_edge(c, x, y);
        }
    }
}

void
df_domains(df_ctx *c)
{
    size_t first_op = c->nops;
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_DOMAIN, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_domain *a = (const ag_domain *)list[i];
        const ag_domain *b = (const ag_domain *)df_to_object(c, &a->obj);
        if (b)
            alter_domain(c, a, b);
        else
            domain_op(c, AG_OP_DROP_DOMAIN, P_DROP_DOMAIN, a, NULL);
    }
    n = ag_catalog_list(c->to, AG_KIND_DOMAIN, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_domain *b = (const ag_domain *)list[i];
        if (!df_from_object(c, &b->obj))
            create_domain(c, b, 0);
    }
    domain_chain_edges(c, c->ops + first_op, c->nops - first_op);
}

/* A domain over a table's row type comes after that table's CREATE TABLE
 * and goes before its DROP TABLE: edges, not only priorities, since a
 * function using the domain may hold the domain's drop back (called once
 * the table ops exist). */
void
df_domain_rowtype_edges(df_ctx *c)
{
    for (size_t i = 0; i < c->nops; i++) {
        ag_op *d = c->ops[i];
        bool create =
            d->prio == P_DOMAIN_ON_TABLE && d->type == AG_OP_CREATE_DOMAIN;
        if (!create &&
            (d->prio != P_DROP_DOMAIN_ON_TABLE || d->type != AG_OP_DROP_DOMAIN))
            continue;
        const ag_domain *dom =
            (const ag_domain *)(create ? d->to_obj : d->from_obj);
        ag_op_type want = create ? AG_OP_CREATE_TABLE : AG_OP_DROP_TABLE;
        ag_buf b;
        ag_buf_init(&b);
        for (size_t j = 0; j < c->nops; j++) {
            ag_op *t = c->ops[j];
            if (t->type != want || t->table)
                continue;
            ag_buf_reset(&b);
            ag_quote_qname(&b, t->name.schema, t->name.name);
            if (strncmp(dom->type, b.data, b.len) != 0 ||
                (dom->type[b.len] && dom->type[b.len] != '['))
                continue;
            if (create)
                df_edge(c, t, d);
            else
                df_edge(c, d, t);
        }
        ag_buf_free(&b);
    }
}

/* ---- composite types ---- */

static const ag_column *
find_attr(const ag_composite *t, const char *name)
{
    for (size_t i = 0; i < t->nattrs; i++)
        if (strcmp(t->attrs[i].name, name) == 0)
            return &t->attrs[i];
    return NULL;
}

static ag_op *
composite_op(df_ctx *c, ag_op_type type, int prio, const ag_composite *a,
             const ag_composite *b)
{
    const ag_composite *t = b ? b : a;
    ag_op *op = df_new_op(c, type, prio, AG_KIND_COMPOSITE, t->obj.name.schema,
                          t->obj.name.name, NULL);
    op->from_obj = a ? &a->obj : NULL;
    op->to_obj = b ? &b->obj : NULL;
    return op;
}

static void
alter_composite(df_ctx *c, const ag_composite *a, const ag_composite *b)
{
    for (size_t i = 0; i < a->nattrs; i++) {
        const ag_column *x = &a->attrs[i], *y = find_attr(b, x->name);
        ag_op *op = NULL;
        if (!y) {
            op = composite_op(c, AG_OP_DROP_ATTRIBUTE, P_COMPOSITE, a, b);
            df_hazard(c, op, AG_HAZARD_DELETES_DATA,
                      "drops attribute %s of every stored value", x->name);
        } else if (!df_same_type(c, x->type, y->type) ||
                   !df_str_eq(x->collation, y->collation)) {
            op = composite_op(c, AG_OP_ALTER_ATTRIBUTE_TYPE, P_COMPOSITE, a, b);
            op->step = 1;
            op->from_col = x;
            op->to_col = y;
        } else {
            continue;
        }
        op->label = x->name;
        if (!op->to_col)
            op->from_col = x;
    }
    for (size_t i = 0; i < b->nattrs; i++) {
        if (find_attr(a, b->attrs[i].name))
            continue;
        ag_op *op = composite_op(c, AG_OP_ADD_ATTRIBUTE, P_COMPOSITE, a, b);
        op->label = b->attrs[i].name;
        op->to_col = &b->attrs[i];
        op->step = 2 + (int)i; /* in declaration order */
    }
    df_comment(c, AG_KIND_COMPOSITE, b->obj.name.schema, b->obj.name.name, NULL,
               a->obj.comment, b->obj.comment, false);
}

void
df_composites(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_COMPOSITE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_composite *a = (const ag_composite *)list[i];
        const ag_composite *b = (const ag_composite *)df_to_object(c, &a->obj);
        if (b)
            alter_composite(c, a, b);
        else
            composite_op(c, AG_OP_DROP_COMPOSITE, P_DROP_COMPOSITE, a, NULL);
    }
    n = ag_catalog_list(c->to, AG_KIND_COMPOSITE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_composite *b = (const ag_composite *)list[i];
        if (df_from_object(c, &b->obj))
            continue;
        composite_op(c, AG_OP_CREATE_COMPOSITE, P_COMPOSITE, NULL, b);
        df_comment(c, AG_KIND_COMPOSITE, b->obj.name.schema, b->obj.name.name,
                   NULL, NULL, b->obj.comment, true);
    }
}
