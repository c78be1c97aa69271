/*
 * diff_events.c - event triggers and publications (objects without a
 * schema).
 *
 * An event trigger's event, tags and function cannot be altered: a change
 * drops and creates it again, as does re-creating its function (which
 * PostgreSQL refuses while the trigger depends on it).  Its enabled state
 * is ALTER EVENT TRIGGER ... ENABLE/DISABLE.  Event triggers are created
 * after functions and dropped before them.
 *
 * A publication switching to or from FOR ALL TABLES is dropped and
 * created again; otherwise one ALTER op carries the change, and the
 * emitter writes ADD / DROP TABLE, ADD / DROP TABLES IN SCHEMA and
 * SET (options) from the two sides.  Publications are created and altered
 * after tables (P_PUBLICATION) and dropped before tables go.
 */
#include "diff_int.h"

#include <string.h>

static bool
list_eq(const char **a, size_t na, const char **b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static char
enabled_of(char e)
{
    return e ? e : 'O';
}

static ag_op *
named_op(df_ctx *c, ag_op_type type, int prio, ag_kind kind, const ag_object *a,
         const ag_object *b)
{
    const ag_object *o = b ? b : a;
    ag_op *op = df_new_op(c, type, prio, kind, "", o->name.name, NULL);
    op->from_obj = a;
    op->to_obj = b;
    return op;
}

/* Is the event trigger's function dropped and created again? */
static bool
function_recreated(df_ctx *c, const ag_event_trigger *e)
{
    const char *key = ag_arena_sprintf(&c->plan->arena, "%s()", e->func.name);
    const ag_object *f =
        ag_catalog_find(c->from, AG_KIND_FUNCTION, e->func.schema, key);
    return f && c->fates[f->id - 1] == F_RECREATE;
}

static void
create_event_trigger(df_ctx *c, const ag_event_trigger *b)
{
    named_op(c, AG_OP_CREATE_EVENT_TRIGGER, P_CREATE_EVENT_TRIGGER,
             AG_KIND_EVENT_TRIGGER, NULL, &b->obj);
    if (enabled_of(b->enabled) != 'O')
        named_op(c, AG_OP_SET_EVENT_TRIGGER_ENABLED, P_CREATE_EVENT_TRIGGER,
                 AG_KIND_EVENT_TRIGGER, NULL, &b->obj)
            ->step = 1;
    df_comment(c, AG_KIND_EVENT_TRIGGER, "", b->obj.name.name, NULL, NULL,
               b->obj.comment, true);
}

static void
diff_event_triggers(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_EVENT_TRIGGER, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_event_trigger *a = (const ag_event_trigger *)list[i];
        const ag_event_trigger *b = (const ag_event_trigger *)ag_catalog_find(
            c->to, AG_KIND_EVENT_TRIGGER, "", a->obj.name.name);
        if (!b) {
            c->fates[a->obj.id - 1] = F_DROP;
            named_op(c, AG_OP_DROP_EVENT_TRIGGER, P_DROP_EVENT_TRIGGER,
                     AG_KIND_EVENT_TRIGGER, &a->obj, NULL);
            continue;
        }
        bool refn = function_recreated(c, a);
        if (refn || strcmp(a->event, b->event) != 0 ||
            ag_qname_cmp(&a->func, &b->func) != 0 ||
            !list_eq(a->tags, a->ntags, b->tags, b->ntags)) {
            c->fates[a->obj.id - 1] = F_RECREATE;
            ag_op *drop =
                named_op(c, AG_OP_DROP_EVENT_TRIGGER, P_DROP_EVENT_TRIGGER,
                         AG_KIND_EVENT_TRIGGER, &a->obj, NULL);
            drop->note = refn ? "its function is re-created"
                              : "event, tags or function changed: dropped "
                                "and re-created";
            create_event_trigger(c, b);
            continue;
        }
        if (enabled_of(a->enabled) != enabled_of(b->enabled))
            named_op(c, AG_OP_SET_EVENT_TRIGGER_ENABLED, P_CREATE_EVENT_TRIGGER,
                     AG_KIND_EVENT_TRIGGER, &a->obj, &b->obj);
        df_comment(c, AG_KIND_EVENT_TRIGGER, "", b->obj.name.name, NULL,
                   a->obj.comment, b->obj.comment, false);
    }
    n = ag_catalog_list(c->to, AG_KIND_EVENT_TRIGGER, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_event_trigger *b = (const ag_event_trigger *)list[i];
        if (!ag_catalog_find(c->from, AG_KIND_EVENT_TRIGGER, "",
                             b->obj.name.name))
            create_event_trigger(c, b);
    }
}

static void
create_publication(df_ctx *c, const ag_publication *b)
{
    named_op(c, AG_OP_CREATE_PUBLICATION, P_PUBLICATION, AG_KIND_PUBLICATION,
             NULL, &b->obj)
        ->step = 1;
    df_comment(c, AG_KIND_PUBLICATION, "", b->obj.name.name, NULL, NULL,
               b->obj.comment, true);
}

static void
diff_publications(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_PUBLICATION, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_publication *a = (const ag_publication *)list[i];
        const ag_publication *b = (const ag_publication *)ag_catalog_find(
            c->to, AG_KIND_PUBLICATION, "", a->obj.name.name);
        if (!b || a->all_tables != b->all_tables) {
            c->fates[a->obj.id - 1] = b ? F_RECREATE : F_DROP;
            ag_op *drop =
                named_op(c, AG_OP_DROP_PUBLICATION, P_DROP_PUBLICATION,
                         AG_KIND_PUBLICATION, &a->obj, NULL);
            if (b) {
                drop->note = "FOR ALL TABLES changed: dropped and re-created";
                create_publication(c, b);
            }
            continue;
        }
        if (!list_eq(a->tables, a->ntables, b->tables, b->ntables) ||
            !list_eq(a->schemas, a->nschemas, b->schemas, b->nschemas) ||
            strcmp(a->publish, b->publish) != 0 || a->via_root != b->via_root)
            named_op(c, AG_OP_ALTER_PUBLICATION, P_PUBLICATION,
                     AG_KIND_PUBLICATION, &a->obj, &b->obj);
        df_comment(c, AG_KIND_PUBLICATION, "", b->obj.name.name, NULL,
                   a->obj.comment, b->obj.comment, false);
    }
    n = ag_catalog_list(c->to, AG_KIND_PUBLICATION, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_publication *b = (const ag_publication *)list[i];
        if (!ag_catalog_find(c->from, AG_KIND_PUBLICATION, "",
                             b->obj.name.name))
            create_publication(c, b);
    }
}

void
df_events(df_ctx *c)
{
    diff_event_triggers(c);
    diff_publications(c);
}
