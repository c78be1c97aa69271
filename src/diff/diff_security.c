/*
 * diff_security.c - row-level security switches, policies, a trigger's
 * enabled state, and the comments on domain checks and composite-type
 * attributes.
 *
 * Policies are matched by (schema, table, name).  A changed policy is
 * altered in place (ALTER POLICY: roles, USING, WITH CHECK) when
 * PostgreSQL allows it, otherwise dropped and created again: its command
 * and PERMISSIVE/RESTRICTIVE cannot change, and ALTER POLICY cannot remove
 * an expression.  Policies are created after their table and the
 * functions they call (P_CREATE_POLICY) and dropped before those go
 * (P_DROP_POLICY); a dropped table takes its policies along.
 *
 * The enabled state of a trigger is set after the trigger is created or
 * replaced (CREATE OR REPLACE TRIGGER resets it to ENABLE).
 */
#include "diff_int.h"

#include <string.h>

static char
enabled_of(char e)
{
    return e ? e : 'O';
}

/* ---- RLS ---- */

static void
rls_op(df_ctx *c, ag_op_type type, const ag_table *a, const ag_table *b)
{
    ag_op *op = df_new_op(c, type, P_RLS, AG_KIND_TABLE, b->obj.name.schema,
                          b->obj.name.name, NULL);
    op->from_obj = a ? &a->obj : NULL;
    op->to_obj = &b->obj;
}

static void
diff_rls(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->to, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_table *b = (const ag_table *)list[i];
        const ag_table *a =
            df_from_table(c, b->obj.name.schema, b->obj.name.name);
        bool rls = a ? a->rls : false, forced = a ? a->rls_forced : false;
        if (rls != b->rls)
            rls_op(c, AG_OP_SET_RLS, a, b);
        if (forced != b->rls_forced)
            rls_op(c, AG_OP_SET_RLS_FORCE, a, b);
    }
}

/* ---- policies ---- */

static bool
expr_eq(const ag_expr *a, const ag_expr *b)
{
    return !a ? !b : b && strcmp(a->canon, b->canon) == 0;
}

static bool
roles_eq(const ag_policy *a, const ag_policy *b)
{
    if (a->nroles != b->nroles)
        return false;
    for (size_t i = 0; i < a->nroles; i++)
        if (strcmp(a->roles[i], b->roles[i]) != 0)
            return false;
    return true;
}

static ag_op *
policy_op(df_ctx *c, ag_op_type type, int prio, const ag_policy *a,
          const ag_policy *b)
{
    const ag_policy *p = b ? b : a;
    ag_op *op = df_new_op(c, type, prio, AG_KIND_POLICY, p->obj.name.schema,
                          p->obj.name.name, p->table);
    op->from_obj = a ? &a->obj : NULL;
    op->to_obj = b ? &b->obj : NULL;
    return op;
}

/* Why ALTER POLICY cannot turn a into b, or NULL when it can. */
static const char *
policy_recreate_reason(const ag_policy *a, const ag_policy *b)
{
    if (a->cmd != b->cmd)
        return "its command changed";
    if (a->permissive != b->permissive)
        return "PERMISSIVE / RESTRICTIVE changed";
    if ((a->using_expr && !b->using_expr) || (a->check_expr && !b->check_expr))
        return "an expression was removed";
    return NULL;
}

static void
diff_policies(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_POLICY, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_policy *a = (const ag_policy *)list[i];
        const char *schema = a->obj.name.schema;
        const ag_policy *b =
            ag_catalog_find_policy(c->to, schema, a->table, a->obj.name.name);
        if (!b) {
            if (df_table_dropped(c, schema, a->table)) {
                c->fates[a->obj.id - 1] = F_IMPLICIT;
                continue;
            }
            c->fates[a->obj.id - 1] = F_DROP;
            policy_op(c, AG_OP_DROP_POLICY, P_DROP_POLICY, a, NULL);
            continue;
        }
        bool fresh = false;
        if (a->cmd != b->cmd || a->permissive != b->permissive ||
            !roles_eq(a, b) || !expr_eq(a->using_expr, b->using_expr) ||
            !expr_eq(a->check_expr, b->check_expr)) {
            const char *why = policy_recreate_reason(a, b);
            if (!why) {
                policy_op(c, AG_OP_ALTER_POLICY, P_CREATE_POLICY, a, b);
            } else {
                c->fates[a->obj.id - 1] = F_RECREATE;
                ag_op *drop =
                    policy_op(c, AG_OP_DROP_POLICY, P_DROP_POLICY, a, NULL);
                drop->note = ag_arena_sprintf(
                    &c->plan->arena, "%s: dropped and re-created", why);
                policy_op(c, AG_OP_CREATE_POLICY, P_CREATE_POLICY, NULL, b);
                fresh = true;
            }
        }
        df_comment(c, AG_KIND_POLICY, schema, b->obj.name.name, b->table,
                   fresh ? NULL : a->obj.comment, b->obj.comment, fresh);
    }
    n = ag_catalog_list(c->to, AG_KIND_POLICY, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_policy *b = (const ag_policy *)list[i];
        if (ag_catalog_find_policy(c->from, b->obj.name.schema, b->table,
                                   b->obj.name.name))
            continue;
        policy_op(c, AG_OP_CREATE_POLICY, P_CREATE_POLICY, NULL, b);
        df_comment(c, AG_KIND_POLICY, b->obj.name.schema, b->obj.name.name,
                   b->table, NULL, b->obj.comment, true);
    }
}

/* ---- trigger enabled state ---- */

static void
diff_trigger_states(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->to, AG_KIND_TRIGGER, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_trigger *b = (const ag_trigger *)list[i];
        const ag_trigger *a = ag_catalog_find_trigger(
            c->from, b->obj.name.schema, b->table, b->obj.name.name);
        /* New, re-created or replaced: the trigger starts out enabled. */
        bool fresh = !a || c->fates[a->obj.id - 1] == F_RECREATE ||
                     strcmp(a->def.canon, b->def.canon) != 0;
        char was = fresh ? 'O' : enabled_of(a->enabled);
        if (was == enabled_of(b->enabled))
            continue;
        ag_op *op =
            df_new_op(c, AG_OP_SET_TRIGGER_ENABLED, P_RLS, AG_KIND_TRIGGER,
                      b->obj.name.schema, b->obj.name.name, b->table);
        op->from_obj = a && !fresh ? &a->obj : NULL;
        op->to_obj = &b->obj;
    }
}

/* ---- comments on domain checks and composite attributes ---- */

static const ag_domain_check *
find_check(const ag_domain *d, const char *name)
{
    for (size_t i = 0; d && i < d->nchecks; i++)
        if (strcmp(d->checks[i].name, name) == 0)
            return &d->checks[i];
    return NULL;
}

static void
sub_comment(df_ctx *c, ag_kind kind, const ag_object *b, const char *sub,
            const char *old_comment, const char *new_comment, bool fresh)
{
    /* df_comment keys on (schema, name); the label tells the sub-objects
     * of one type apart. */
    ag_op *op = df_comment(c, kind, b->name.schema, b->name.name, NULL,
                           old_comment, new_comment, fresh);
    if (op) {
        op->label = sub;
        op->sub = sub;
        op->to_obj = b;
    }
}

static void
diff_sub_comments(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->to, AG_KIND_DOMAIN, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_domain *b = (const ag_domain *)list[i];
        const ag_domain *a = (const ag_domain *)ag_catalog_find(
            c->from, AG_KIND_DOMAIN, b->obj.name.schema, b->obj.name.name);
        /* A new base type or collation re-creates the domain
         * (diff_udt.c). */
        bool dfresh = !a || strcmp(a->type, b->type) != 0 ||
                      !df_str_eq(a->collation, b->collation);
        for (size_t k = 0; k < b->nchecks; k++) {
            const ag_domain_check *bk = &b->checks[k];
            const ag_domain_check *ak = dfresh ? NULL : find_check(a, bk->name);
            bool fresh = !ak || strcmp(ak->def.canon, bk->def.canon) != 0;
            sub_comment(c, AG_KIND_DOMAIN, &b->obj, bk->name,
                        fresh ? NULL : ak->comment, bk->comment, fresh);
        }
    }
    n = ag_catalog_list(c->to, AG_KIND_COMPOSITE, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_composite *b = (const ag_composite *)list[i];
        const ag_composite *a = (const ag_composite *)ag_catalog_find(
            c->from, AG_KIND_COMPOSITE, b->obj.name.schema, b->obj.name.name);
        bool tfresh = !a || c->fates[a->obj.id - 1] == F_RECREATE;
        for (size_t k = 0; k < b->nattrs; k++) {
            const ag_column *bc = &b->attrs[k];
            const ag_column *ac = NULL;
            for (size_t j = 0; !tfresh && !ac && j < a->nattrs; j++)
                if (strcmp(a->attrs[j].name, bc->name) == 0)
                    ac = &a->attrs[j];
            sub_comment(c, AG_KIND_COMPOSITE, &b->obj, bc->name,
                        ac ? ac->comment : NULL, bc->comment, !ac);
        }
    }
}

void
df_security(df_ctx *c)
{
    diff_rls(c);
    diff_policies(c);
    diff_trigger_states(c);
    diff_sub_comments(c);
}
