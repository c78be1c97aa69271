/*
 * diff.c - the differ's entry point: runs the passes, diffs schemas and
 * extensions, then puts the ops in their final order.
 *
 * Order is decided in two steps.  The ops are first sorted by a total key
 * (base priority, schema, object, sub-object, step, kind, type, label), so
 * the same catalogs always give the same list whatever order the passes
 * produced it in.  The heap-based toposort then applies the few edges the
 * base order cannot express (e.g. which of two dropped tables referencing
 * each other goes first) and otherwise keeps that order.
 */
#include "diff_int.h"

#include <stdlib.h>
#include <string.h>

#include "autogen/ident.h"
#include "autogen/toposort.h"

/* ---- helpers shared by the passes ---- */

ag_op *
df_new_op(df_ctx *c, ag_op_type type, int prio, ag_kind kind,
          const char *schema, const char *name, const char *table)
{
    ag_op *op = ag_arena_alloc(&c->plan->arena, sizeof *op);
    op->type = type;
    op->prio = prio;
    op->kind = kind;
    op->name.schema = schema ? schema : "";
    op->name.name = name;
    op->table = table;
    op->key = table ? table : name;
    op->sub = table ? name : NULL;
    op->uid = (uint32_t)c->nops;
    if (c->nops == c->capops) {
        c->capops = c->capops ? c->capops * 2 : 64;
        c->ops = ag_xrealloc(c->ops, c->capops * sizeof *c->ops);
    }
    c->ops[c->nops++] = op;
    return op;
}

void
df_hazard(df_ctx *c, ag_op *op, uint32_t bit, const char *fmt, ...)
{
    int idx = 0;
    while (idx < AG_NHAZARDS && !(bit & (1u << idx)))
        idx++;
    if (idx == AG_NHAZARDS || (op->hazards & bit))
        return;
    op->hazards |= bit;
    ag_buf b;
    ag_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ag_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    op->why[idx] = ag_arena_strdup(&c->plan->arena, b.data ? b.data : "");
    ag_buf_free(&b);
}

void
df_edge(df_ctx *c, ag_op *before, ag_op *after)
{
    if (c->nedges == c->capedges) {
        c->capedges = c->capedges ? c->capedges * 2 : 16;
        c->edge_from =
            ag_xrealloc(c->edge_from, c->capedges * sizeof *c->edge_from);
        c->edge_to = ag_xrealloc(c->edge_to, c->capedges * sizeof *c->edge_to);
    }
    c->edge_from[c->nedges] = before;
    c->edge_to[c->nedges++] = after;
}

const char *
df_qn(df_ctx *c, const char *schema, const char *name)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_quote_qname(&b, schema, name);
    const char *s = ag_arena_strdup(&c->plan->arena, b.data);
    ag_buf_free(&b);
    return s;
}

bool
df_str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

ag_op *
df_comment(df_ctx *c, ag_kind kind, const char *schema, const char *name,
           const char *table, const char *old_comment, const char *new_comment,
           bool fresh)
{
    if (fresh ? !new_comment : df_str_eq(old_comment, new_comment))
        return NULL;
    ag_op *op =
        df_new_op(c, AG_OP_SET_COMMENT, P_COMMENT, kind, schema, name, table);
    op->comment = new_comment;
    op->old_comment = fresh ? NULL : old_comment;
    return op;
}

/* ---- schemas and extensions ---- */

static void
diff_schemas(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_SCHEMA, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_object *a = list[i];
        const ag_object *b =
            ag_catalog_find(c->to, AG_KIND_SCHEMA, "", a->name.name);
        if (!b) {
            ag_op *op = df_new_op(c, AG_OP_DROP_SCHEMA, P_DROP_SCHEMA,
                                  AG_KIND_SCHEMA, "", a->name.name, NULL);
            op->from_obj = a;
            continue;
        }
        df_comment(c, AG_KIND_SCHEMA, "", a->name.name, NULL, a->comment,
                   b->comment, false);
    }
    n = ag_catalog_list(c->to, AG_KIND_SCHEMA, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_object *b = list[i];
        if (ag_catalog_find(c->from, AG_KIND_SCHEMA, "", b->name.name))
            continue;
        ag_op *op = df_new_op(c, AG_OP_CREATE_SCHEMA, P_CREATE_SCHEMA,
                              AG_KIND_SCHEMA, "", b->name.name, NULL);
        op->to_obj = b;
        df_comment(c, AG_KIND_SCHEMA, "", b->name.name, NULL, NULL, b->comment,
                   true);
    }
}

static void
diff_extensions(df_ctx *c)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(c->from, AG_KIND_EXTENSION, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_extension *a = (const ag_extension *)list[i];
        const ag_extension *b = (const ag_extension *)ag_catalog_find(
            c->to, AG_KIND_EXTENSION, "", a->obj.name.name);
        if (!b) {
            ag_op *op =
                df_new_op(c, AG_OP_DROP_EXTENSION, P_DROP_EXTENSION,
                          AG_KIND_EXTENSION, "", a->obj.name.name, NULL);
            op->from_obj = &a->obj;
            continue;
        }
        /* An unspecified schema on either side means "wherever it is". */
        if (a->schema && b->schema && strcmp(a->schema, b->schema) != 0) {
            ag_op *op =
                df_new_op(c, AG_OP_ALTER_EXTENSION_SCHEMA, P_CREATE_EXTENSION,
                          AG_KIND_EXTENSION, "", a->obj.name.name, NULL);
            op->from_obj = &a->obj;
            op->to_obj = &b->obj;
        }
        /* An extension's comment usually comes from its control file:
         * compared only when both sides state one (models rarely do). */
        if (a->obj.comment && b->obj.comment)
            df_comment(c, AG_KIND_EXTENSION, "", a->obj.name.name, NULL,
                       a->obj.comment, b->obj.comment, false);
    }
    n = ag_catalog_list(c->to, AG_KIND_EXTENSION, &list);
    for (size_t i = 0; i < n; i++) {
        const ag_extension *b = (const ag_extension *)list[i];
        if (ag_catalog_find(c->from, AG_KIND_EXTENSION, "", b->obj.name.name))
            continue;
        ag_op *op = df_new_op(c, AG_OP_CREATE_EXTENSION, P_CREATE_EXTENSION,
                              AG_KIND_EXTENSION, "", b->obj.name.name, NULL);
        op->to_obj = &b->obj;
        df_comment(c, AG_KIND_EXTENSION, "", b->obj.name.name, NULL, NULL,
                   b->obj.comment, true);
    }
}

/* ---- final order ---- */

static int
cmp_null(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int
cmp_op(const void *pa, const void *pb)
{
    const ag_op *a = *(ag_op *const *)pa;
    const ag_op *b = *(ag_op *const *)pb;
    int r;
    if (a->prio != b->prio)
        return a->prio < b->prio ? -1 : 1;
    if ((r = strcmp(a->name.schema, b->name.schema)) != 0)
        return r;
    if ((r = cmp_null(a->key, b->key)) != 0)
        return r;
    if ((r = cmp_null(a->sub, b->sub)) != 0)
        return r;
    if (a->step != b->step)
        return a->step < b->step ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if ((r = cmp_null(a->label, b->label)) != 0)
        return r;
    return a->uid < b->uid ? -1 : a->uid > b->uid;
}

static void
describe(ag_buf *b, const ag_op *op)
{
    ag_buf_printf(b, "%s ", ag_op_name(op->type));
    if (op->table) {
        ag_quote_qname(b, op->name.schema, op->table);
        ag_buf_putc(b, '.');
        ag_quote_ident(b, op->name.name);
    } else {
        ag_quote_qname(b, op->name.schema, op->name.name);
    }
}

/* Sort, apply the edges, and move the ops into the plan. */
static int
finish(df_ctx *c, ag_error *err)
{
    size_t n = c->nops;
    ag_op **sorted = ag_xmalloc((n ? n : 1) * sizeof *sorted);
    if (n)
        memcpy(sorted, c->ops, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_op);
    size_t *pos = ag_xmalloc((n ? n : 1) * sizeof *pos); /* uid -> index */
    for (size_t i = 0; i < n; i++)
        pos[sorted[i]->uid] = i;
    size_t ne = c->nedges;
    size_t *ef = ag_xmalloc((ne ? ne : 1) * sizeof *ef);
    size_t *et = ag_xmalloc((ne ? ne : 1) * sizeof *et);
    for (size_t k = 0; k < ne; k++) {
        ef[k] = pos[c->edge_from[k]->uid];
        et[k] = pos[c->edge_to[k]->uid];
    }
    size_t *order = ag_xmalloc((n ? n : 1) * sizeof *order);
    size_t *cycle = NULL, ncycle = 0;
    int rc = ag_toposort(n, NULL, ef, et, ne, order, &cycle, &ncycle, err);
    if (rc == AG_ECYCLE) {
        ag_buf b;
        ag_buf_init(&b);
        for (size_t i = 0; i < ncycle; i++) {
            describe(&b, sorted[cycle[i]]);
            ag_buf_put(&b, " -> ");
        }
        if (ncycle)
            describe(&b, sorted[cycle[0]]);
        ag_errorf(err, AG_ECYCLE, "dependency cycle: %s", b.data);
        ag_buf_free(&b);
    } else if (rc == 0) {
        c->plan->ops = ag_xmalloc((n ? n : 1) * sizeof *c->plan->ops);
        for (size_t i = 0; i < n; i++)
            c->plan->ops[i] = *sorted[order[i]];
        c->plan->nops = c->plan->capops = n;
    }
    free(cycle);
    free(order);
    free(et);
    free(ef);
    free(pos);
    free(sorted);
    return rc;
}

int
ag_diff(const ag_catalog *from, const ag_catalog *to, ag_plan *plan,
        ag_error *err)
{
    ag_plan_init(plan, from, to);
    if (!from->sealed || !to->sealed)
        return ag_errorf(err, AG_EINVAL, "diff: the %s catalog is not sealed",
                         from->sealed ? to->origin : from->origin);
    df_ctx c = {.from = from, .to = to, .plan = plan};
    c.tables =
        ag_arena_alloc(&plan->arena, (from->nobjs + 1) * sizeof *c.tables);
    c.fates = ag_arena_alloc(&plan->arena, (from->nobjs + 1) * sizeof *c.fates);

    df_match_renames(&c); /* first: every later pass follows renames */
    df_match_tables(&c);
    df_enums(&c);
    df_domains(&c);
    df_composites(&c);
    df_tables(&c);
    df_domain_rowtype_edges(&c);
    df_partitions(&c);
    df_constraints(&c);
    df_sequences(&c);
    df_routines(&c); /* after tables: orders functions against them */
    df_views(&c);    /* last: edges to the index and trigger ops */
    df_view_signature_edges(&c);
    df_defs(&c);     /* after routines: orders against function ops */
    df_security(&c); /* after routines: reads the functions' fates */
    df_events(&c);
    diff_schemas(&c);
    diff_extensions(&c);
    df_function_refs(&c); /* last: hazards on the ops queued above */
    int rc = c.fail ? ag_errorf(err, AG_EUNSUPPORTED, "%s", c.fail)
                    : finish(&c, err);

    free(c.ops);
    free(c.edge_from);
    free(c.edge_to);
    return rc;
}
