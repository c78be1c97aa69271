/*
 * catalog.c - registry of catalog objects: ids, (kind, schema, name) lookup,
 * sorted per-kind listings and the canonical dump.
 *
 * The lookup is an open-addressing hash table keyed on (kind, schema, name);
 * removed objects leave a tombstone.  Listings are rebuilt by
 * ag_catalog_seal() and sorted by (schema, name) so the differ can walk two
 * catalogs in step and every output comes out in a stable order.
 */
#include "autogen/catalog.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
#define X(id, word, sql) word,
    AG_KINDS(X)
#undef X
};
static const char *const kind_sqls[] = {
#define X(id, word, sql) sql,
    AG_KINDS(X)
#undef X
};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == AG_KIND_COUNT,
               "one name per kind");

const char *
ag_kind_name(ag_kind kind)
{
    return kind < AG_KIND_COUNT ? kind_names[kind] : "object";
}

const char *
ag_kind_sql(ag_kind kind)
{
    return kind < AG_KIND_COUNT ? kind_sqls[kind] : "";
}

/* ---- hash map ---- */

#define TOMBSTONE ((ag_object *)(uintptr_t)1)

/* Open addressing with linear probing.  Each slot keeps its key's hash
 * beside the object: a probe compares hashes and only dereferences the
 * object (a cache miss per probe, then three strcmp) on a hash match.
 * Kept at most half full: at 10,000 tables each catalog holds ~60,000
 * objects and ag_catalog_find was ~10% of a check's samples. */
typedef struct map_slot_entry {
    uint64_t hash;
    ag_object *obj; /* NULL = empty, TOMBSTONE = removed */
} map_slot_entry;

struct ag_catalog_map {
    map_slot_entry *slots;
    size_t cap;  /* power of two */
    size_t used; /* live + tombstones */
};

/* Constraint names are unique per table, not per schema, so a
 * constraint's key also holds its table; for other kinds table is "". */
static const char *
obj_table(const ag_object *o)
{
    if (o->kind == AG_KIND_CONSTRAINT && ((const ag_constraint *)o)->table)
        return ((const ag_constraint *)o)->table;
    if (o->kind == AG_KIND_TRIGGER && ((const ag_trigger *)o)->table)
        return ((const ag_trigger *)o)->table;
    if (o->kind == AG_KIND_POLICY && ((const ag_policy *)o)->table)
        return ((const ag_policy *)o)->table;
    return "";
}

/* Kinds keyed on their table as well (names unique per table). */
static bool
per_table(ag_kind kind)
{
    return kind == AG_KIND_CONSTRAINT || kind == AG_KIND_TRIGGER ||
           kind == AG_KIND_POLICY;
}

static uint64_t
hash_key(ag_kind kind, const char *schema, const char *table, const char *name)
{
    /* FNV-1a over kind, schema, table and name, NUL-separated. */
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;
    h *= 1099511628211ULL;
    const char *parts[] = {schema, table, name};
    for (int i = 0; i < 3; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
            h = (h ^ *p) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL;
    }
    return h;
}

static bool
key_eq(const ag_object *o, ag_kind kind, const char *schema, const char *table,
       const char *name)
{
    return o->kind == kind && strcmp(o->name.name, name) == 0 &&
           strcmp(o->name.schema, schema) == 0 &&
           strcmp(obj_table(o), table) == 0;
}

static uint64_t
obj_hash(const ag_object *o)
{
    return hash_key(o->kind, o->name.schema, obj_table(o), o->name.name);
}

static void
map_insert_hashed(ag_catalog_map *m, ag_object *obj, uint64_t hash)
{
    size_t mask = m->cap - 1;
    size_t i = hash & mask;
    while (m->slots[i].obj && m->slots[i].obj != TOMBSTONE)
        i = (i + 1) & mask;
    if (!m->slots[i].obj)
        m->used++;
    m->slots[i].hash = hash;
    m->slots[i].obj = obj;
}

static void
map_grow(ag_catalog_map *m)
{
    map_slot_entry *old = m->slots;
    size_t oldcap = m->cap;
    m->cap = oldcap ? oldcap * 2 : 256;
    m->slots = ag_xcalloc(m->cap, sizeof *m->slots);
    m->used = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].obj && old[i].obj != TOMBSTONE)
            map_insert_hashed(m, old[i].obj, old[i].hash);
    free(old);
}

static void
map_insert(ag_catalog_map *m, ag_object *obj)
{
    if ((m->used + 1) * 2 > m->cap)
        map_grow(m);
    map_insert_hashed(m, obj, obj_hash(obj));
}

/* The slot holding (kind, schema, table, name), or NULL. */
static ag_object **
map_slot_t(const ag_catalog_map *m, ag_kind kind, const char *schema,
           const char *table, const char *name)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    uint64_t h = hash_key(kind, schema, table, name);
    for (size_t i = h & mask; m->slots[i].obj; i = (i + 1) & mask) {
        map_slot_entry *e = &m->slots[i];
        if (e->hash == h && e->obj != TOMBSTONE &&
            key_eq(e->obj, kind, schema, table, name))
            return &e->obj;
    }
    return NULL;
}

static ag_object **
map_slot(const ag_catalog_map *m, ag_kind kind, const char *schema,
         const char *name)
{
    return map_slot_t(m, kind, schema, "", name);
}

static ag_object **
obj_slot(const ag_catalog_map *m, const ag_object *o)
{
    return map_slot_t(m, o->kind, o->name.schema, obj_table(o), o->name.name);
}

/* ---- constraint names per schema ----
 * PostgreSQL picks implicit constraint names unique across the schema
 * (ConstraintNameExists), so naming asks "is this name used anywhere in
 * the schema?" once per unnamed constraint: a counted hash set keeps that
 * O(1) (a scan of every object made loading quadratic). */

typedef struct conname_entry {
    char *key; /* schema '\x1f' name, malloc'd; NULL = empty slot */
    size_t count;
} conname_entry;

struct ag_conname_set {
    conname_entry *slots;
    size_t cap, used;
};

static uint64_t
hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static char *
conname_key(const char *schema, const char *name)
{
    size_t a = strlen(schema), b = strlen(name);
    char *k = ag_xmalloc(a + b + 2);
    memcpy(k, schema, a);
    k[a] = '\x1f';
    memcpy(k + a + 1, name, b + 1);
    return k;
}

static conname_entry *
conname_slot(struct ag_conname_set *set, const char *key)
{
    size_t mask = set->cap - 1;
    for (size_t i = hash_str(key) & mask;; i = (i + 1) & mask)
        if (!set->slots[i].key || strcmp(set->slots[i].key, key) == 0)
            return &set->slots[i];
}

static void
conname_add(struct ag_conname_set *set, const char *schema, const char *name)
{
    if ((set->used + 1) * 2 > set->cap) {
        struct ag_conname_set grown = {NULL, set->cap ? set->cap * 2 : 256, 0};
        grown.slots = ag_xcalloc(grown.cap, sizeof *grown.slots);
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i].key) {
                *conname_slot(&grown, set->slots[i].key) = set->slots[i];
                grown.used++;
            }
        free(set->slots);
        *set = grown;
    }
    char *key = conname_key(schema, name);
    conname_entry *e = conname_slot(set, key);
    if (e->key) {
        free(key);
    } else {
        e->key = key;
        set->used++;
    }
    e->count++;
}

/* Entries are never removed, only counted down: a name used once stays a
 * (zero-count) key, which costs nothing. */
static void
conname_del(struct ag_conname_set *set, const char *schema, const char *name)
{
    if (!set->cap)
        return;
    char *key = conname_key(schema, name);
    conname_entry *e = conname_slot(set, key);
    if (e->key && e->count)
        e->count--;
    free(key);
}

static bool
conname_has(const struct ag_conname_set *set, const char *schema,
            const char *name)
{
    if (!set->cap)
        return false;
    char *key = conname_key(schema, name);
    conname_entry *e = conname_slot((struct ag_conname_set *)set, key);
    bool found = e->key && e->count > 0;
    free(key);
    return found;
}

/* ---- catalog ---- */

void
ag_catalog_init(ag_catalog *cat, const char *origin)
{
    memset(cat, 0, sizeof *cat);
    ag_arena_init(&cat->arena);
    cat->map = ag_xcalloc(1, sizeof *cat->map);
    cat->connames = ag_xcalloc(1, sizeof *cat->connames);
    cat->origin = origin;
}

void
ag_catalog_destroy(ag_catalog *cat)
{
    if (cat->map) {
        free(cat->map->slots);
        free(cat->map);
    }
    if (cat->connames) {
        for (size_t i = 0; i < cat->connames->cap; i++)
            free(cat->connames->slots[i].key);
        free(cat->connames->slots);
        free(cat->connames);
    }
    for (int k = 0; k < AG_KIND_COUNT; k++)
        free(cat->sorted[k]);
    free(cat->objs);
    ag_arena_destroy(&cat->arena);
    memset(cat, 0, sizeof *cat);
}

void *
ag_catalog_add(ag_catalog *cat, ag_kind kind, const char *schema,
               const char *name, size_t size)
{
    if (!schema)
        schema = "";
    if (!per_table(kind) && map_slot(cat->map, kind, schema, name))
        return NULL;
    ag_object *obj = ag_arena_alloc(&cat->arena, size);
    obj->kind = kind;
    obj->name.schema = ag_arena_strdup(&cat->arena, schema);
    obj->name.name = ag_arena_strdup(&cat->arena, name);
    if (cat->nobjs == cat->capobjs) {
        cat->capobjs = cat->capobjs ? cat->capobjs * 2 : 256;
        cat->objs = ag_xrealloc(cat->objs, cat->capobjs * sizeof *cat->objs);
    }
    cat->objs[cat->nobjs++] = obj;
    obj->id = (uint32_t)cat->nobjs;
    /* A constraint is keyed on its table, which the caller sets after this
     * returns: it enters the lookup map at ag_catalog_seal (or at once
     * through ag_catalog_add_constraint). */
    if (!per_table(kind))
        map_insert(cat->map, obj);
    /* Constraint names are unique per schema for naming purposes (see
     * ag_catalog_conname_taken); remove and rename keep the count. */
    if (kind == AG_KIND_CONSTRAINT)
        conname_add(cat->connames, obj->name.schema, obj->name.name);
    cat->sealed = false;
    return obj;
}

/* The table field of a per-table kind (constraint, trigger, policy). */
static const char **
table_field(ag_object *o)
{
    if (o->kind == AG_KIND_POLICY)
        return &((ag_policy *)o)->table;
    return o->kind == AG_KIND_CONSTRAINT ? &((ag_constraint *)o)->table
                                         : &((ag_trigger *)o)->table;
}

static ag_object *
find_on_table(const ag_catalog *cat, ag_kind kind, const char *schema,
              const char *table, const char *name)
{
    ag_object **slot = map_slot_t(cat->map, kind, schema, table, name);
    return slot ? *slot : NULL;
}

/* Create a per-table object, keyed at once on (schema, table, name);
 * NULL when the table already has one of that name. */
static ag_object *
add_on_table(ag_catalog *cat, ag_kind kind, const char *schema,
             const char *table, const char *name, size_t size)
{
    if (find_on_table(cat, kind, schema, table, name))
        return NULL;
    ag_object *o = ag_catalog_add(cat, kind, schema, name, size);
    *table_field(o) = ag_arena_strdup(&cat->arena, table);
    map_insert(cat->map, o);
    return o;
}

ag_constraint *
ag_catalog_add_constraint(ag_catalog *cat, const char *schema,
                          const char *table, const char *name)
{
    return (ag_constraint *)add_on_table(cat, AG_KIND_CONSTRAINT, schema, table,
                                         name, sizeof(ag_constraint));
}

ag_constraint *
ag_catalog_find_constraint(const ag_catalog *cat, const char *schema,
                           const char *table, const char *name)
{
    return (ag_constraint *)find_on_table(cat, AG_KIND_CONSTRAINT, schema,
                                          table, name);
}

ag_trigger *
ag_catalog_add_trigger(ag_catalog *cat, const char *schema, const char *table,
                       const char *name)
{
    return (ag_trigger *)add_on_table(cat, AG_KIND_TRIGGER, schema, table, name,
                                      sizeof(ag_trigger));
}

ag_policy *
ag_catalog_add_policy(ag_catalog *cat, const char *schema, const char *table,
                      const char *name)
{
    return (ag_policy *)add_on_table(cat, AG_KIND_POLICY, schema, table, name,
                                     sizeof(ag_policy));
}

ag_policy *
ag_catalog_find_policy(const ag_catalog *cat, const char *schema,
                       const char *table, const char *name)
{
    return (ag_policy *)find_on_table(cat, AG_KIND_POLICY, schema, table, name);
}

ag_trigger *
ag_catalog_find_trigger(const ag_catalog *cat, const char *schema,
                        const char *table, const char *name)
{
    return (ag_trigger *)find_on_table(cat, AG_KIND_TRIGGER, schema, table,
                                       name);
}

void
ag_catalog_remove(ag_catalog *cat, ag_object *obj)
{
    ag_object **slot = obj_slot(cat->map, obj);
    if (slot && *slot == obj)
        *slot = TOMBSTONE;
    /* Keep the id slot (ids stay dense and stable) but mark it empty. */
    if (obj->id && obj->id <= cat->nobjs && cat->objs[obj->id - 1] == obj) {
        cat->objs[obj->id - 1] = NULL;
        if (obj->kind == AG_KIND_CONSTRAINT)
            conname_del(cat->connames, obj->name.schema, obj->name.name);
    }
    cat->sealed = false;
}

int
ag_catalog_rename(ag_catalog *cat, ag_object *obj, const char *newname)
{
    if (map_slot_t(cat->map, obj->kind, obj->name.schema, obj_table(obj),
                   newname))
        return -1;
    ag_object **slot = obj_slot(cat->map, obj);
    if (slot && *slot == obj)
        *slot = TOMBSTONE;
    if (obj->kind == AG_KIND_CONSTRAINT) {
        conname_del(cat->connames, obj->name.schema, obj->name.name);
        conname_add(cat->connames, obj->name.schema, newname);
    }
    obj->name.name = ag_arena_strdup(&cat->arena, newname);
    map_insert(cat->map, obj);
    cat->sealed = false;
    return 0;
}

ag_object *
ag_catalog_find(const ag_catalog *cat, ag_kind kind, const char *schema,
                const char *name)
{
    ag_object **slot = map_slot(cat->map, kind, schema ? schema : "", name);
    return slot ? *slot : NULL;
}

bool
ag_catalog_relname_taken(const ag_catalog *cat, const char *schema,
                         const char *name)
{
    return ag_catalog_find(cat, AG_KIND_TABLE, schema, name) ||
           ag_catalog_find(cat, AG_KIND_VIEW, schema, name) ||
           ag_catalog_find(cat, AG_KIND_SEQUENCE, schema, name) ||
           ag_catalog_find(cat, AG_KIND_INDEX, schema, name);
}

bool
ag_catalog_conname_taken(const ag_catalog *cat, const char *schema,
                         const char *name)
{
    return conname_has(cat->connames, schema, name);
}

int
ag_qname_cmp(const ag_qname *a, const ag_qname *b)
{
    int c = strcmp(a->schema, b->schema);
    return c ? c : strcmp(a->name, b->name);
}

static int
cmp_obj(const void *pa, const void *pb)
{
    const ag_object *a = *(ag_object *const *)pa;
    const ag_object *b = *(ag_object *const *)pb;
    int c = strcmp(a->name.schema, b->name.schema);
    if (c == 0)
        c = strcmp(obj_table(a), obj_table(b));
    return c ? c : strcmp(a->name.name, b->name.name);
}

void
ag_catalog_seal(ag_catalog *cat)
{
    size_t counts[AG_KIND_COUNT] = {0};
    for (size_t i = 0; i < cat->nobjs; i++)
        if (cat->objs[i])
            counts[cat->objs[i]->kind]++;
    for (int k = 0; k < AG_KIND_COUNT; k++) {
        free(cat->sorted[k]);
        cat->sorted[k] = ag_xmalloc((counts[k] + 1) * sizeof(ag_object *));
        cat->nsorted[k] = 0;
    }
    for (size_t i = 0; i < cat->nobjs; i++) {
        ag_object *o = cat->objs[i];
        if (!o)
            continue;
        cat->sorted[o->kind][cat->nsorted[o->kind]++] = o;
        if (per_table(o->kind) && !obj_slot(cat->map, o))
            map_insert(cat->map, o);
    }
    for (int k = 0; k < AG_KIND_COUNT; k++)
        qsort(cat->sorted[k], cat->nsorted[k], sizeof(ag_object *), cmp_obj);
    cat->sealed = true;
}

ag_column *
ag_table_column(const ag_table *tbl, const char *name)
{
    for (size_t i = 0; i < tbl->ncols; i++)
        if (strcmp(tbl->cols[i].name, name) == 0)
            return &tbl->cols[i];
    return NULL;
}

ag_column *
ag_table_add_column(ag_catalog *cat, ag_table *tbl, const ag_column *col)
{
    /* Grow by doubling inside the arena (8 slots first) unless
     * ag_table_reserve_columns made room.  capcols is 0 for arrays set
     * up by hand, which are then copied on the first addition. */
    size_t n = tbl->ncols;
    if (n >= tbl->capcols)
        ag_table_reserve_columns(cat, tbl, n < 4 ? 8 : n * 2);
    tbl->cols[n] = *col;
    tbl->ncols = n + 1;
    return &tbl->cols[n];
}

void
ag_table_reserve_columns(ag_catalog *cat, ag_table *tbl, size_t n)
{
    if (n <= tbl->capcols || n <= tbl->ncols)
        return;
    ag_column *cols = ag_arena_alloc(&cat->arena, n * sizeof *cols);
    if (tbl->ncols)
        memcpy(cols, tbl->cols, tbl->ncols * sizeof *cols);
    tbl->cols = cols;
    tbl->capcols = n;
}

/* ---- canonical dump ---- */

static void
dump_str(ag_buf *out, const char *key, const char *val)
{
    if (val)
        ag_buf_printf(out, " %s=%s", key, val);
}

static void
dump_list(ag_buf *out, const char *key, const char **items, size_t n)
{
    if (!n)
        return;
    ag_buf_printf(out, " %s=(", key);
    for (size_t i = 0; i < n; i++)
        ag_buf_printf(out, "%s%s", i ? "," : "", items[i]);
    ag_buf_putc(out, ')');
}

static void
dump_function(ag_buf *out, const ag_function *f)
{
    ag_buf_printf(out, " %s args=(",
                  f->is_procedure ? "procedure" : "function");
    for (size_t i = 0; i < f->nargs; i++) {
        const ag_funcarg *a = &f->args[i];
        ag_buf_printf(out, "%s%c %s %s", i ? ", " : "", a->mode,
                      a->name ? a->name : "-", a->type);
        if (a->default_expr)
            ag_buf_printf(out, " default %s", a->default_expr->canon);
    }
    ag_buf_putc(out, ')');
    dump_str(out, "returns", f->result);
    ag_buf_printf(out,
                  " language=%s volatility=%c parallel=%c%s%s%s "
                  "cost=%g rows=%g",
                  f->language, f->volatility, f->parallel,
                  f->strict ? " strict" : "",
                  f->security_definer ? " security-definer" : "",
                  f->leakproof ? " leakproof" : "", f->cost, f->rows);
    dump_list(out, "set", f->config, f->nconfig);
    dump_str(out, "probin", f->probin);
    /* The body in full, on one line: the dump is one object per line. */
    ag_buf_put(out, " body=");
    for (const char *p = f->body ? f->body : ""; *p; p++) {
        if (*p == '\n' || *p == '\\')
            ag_buf_putc(out, '\\');
        ag_buf_putc(out, *p == '\n' ? 'n' : *p);
    }
}

static void
dump_udt(ag_buf *out, const ag_object *o)
{
    if (o->kind == AG_KIND_DOMAIN) {
        const ag_domain *d = (const ag_domain *)o;
        ag_buf_printf(out, " type=%s", d->type);
        dump_str(out, "collate", d->collation);
        if (d->notnull)
            ag_buf_put(out, " not-null");
        if (d->default_expr)
            dump_str(out, "default", d->default_expr->canon);
        for (size_t i = 0; i < d->nchecks; i++)
            ag_buf_printf(out, " check %s=%s", d->checks[i].name,
                          d->checks[i].def.canon);
        return;
    }
    const ag_composite *c = (const ag_composite *)o;
    ag_buf_put(out, " attrs=(");
    for (size_t i = 0; i < c->nattrs; i++) {
        ag_buf_printf(out, "%s%s %s", i ? ", " : "", c->attrs[i].name,
                      c->attrs[i].type);
        if (c->attrs[i].collation)
            ag_buf_printf(out, " collate %s", c->attrs[i].collation);
    }
    ag_buf_putc(out, ')');
}

static void
dump_view(ag_buf *out, const ag_view *v)
{
    if (v->materialized)
        ag_buf_put(out, " materialized");
    dump_str(out, "check_option", v->check_option);
    if (v->security_barrier)
        ag_buf_put(out, " security_barrier");
    if (v->security_invoker)
        ag_buf_put(out, " security_invoker");
    dump_str(out, "def", v->def);
    for (size_t c = 0; c < v->ncols; c++) {
        ag_buf_printf(out, "\n  column %s %s", v->cols[c].name,
                      v->cols[c].type ? v->cols[c].type : "?");
        dump_str(out, "comment", v->cols[c].comment);
    }
}

static void
dump_security(ag_buf *out, const ag_object *o)
{
    if (o->kind == AG_KIND_POLICY) {
        const ag_policy *p = (const ag_policy *)o;
        ag_buf_printf(out, " on=%s %s cmd=%c", p->table,
                      p->permissive ? "permissive" : "restrictive", p->cmd);
        dump_list(out, "roles", p->roles, p->nroles);
        if (p->using_expr)
            dump_str(out, "using", p->using_expr->canon);
        if (p->check_expr)
            dump_str(out, "check", p->check_expr->canon);
    } else if (o->kind == AG_KIND_EVENT_TRIGGER) {
        const ag_event_trigger *e = (const ag_event_trigger *)o;
        ag_buf_printf(out, " on=%s func=%s.%s enabled=%c", e->event,
                      e->func.schema, e->func.name, e->enabled);
        dump_list(out, "tags", e->tags, e->ntags);
    } else {
        const ag_publication *p = (const ag_publication *)o;
        if (p->all_tables)
            ag_buf_put(out, " all-tables");
        dump_list(out, "tables", p->tables, p->ntables);
        dump_list(out, "schemas", p->schemas, p->nschemas);
        dump_str(out, "publish", p->publish);
        if (p->via_root)
            ag_buf_put(out, " via-root");
    }
}

void
ag_catalog_dump(const ag_catalog *cat, ag_buf *out)
{
    for (int k = 0; k < AG_KIND_COUNT; k++) {
        for (size_t i = 0; i < cat->nsorted[k]; i++) {
            const ag_object *o = cat->sorted[k][i];
            ag_buf_printf(out, "%s %s%s%s", ag_kind_name(o->kind),
                          o->name.schema, *o->name.schema ? "." : "",
                          o->name.name);
            switch (o->kind) {
            case AG_KIND_EXTENSION:
                dump_str(out, "schema", ((const ag_extension *)o)->schema);
                break;
            case AG_KIND_ENUM: {
                const ag_enum *e = (const ag_enum *)o;
                dump_list(out, "labels", e->labels, e->nlabels);
                break;
            }
            case AG_KIND_SEQUENCE: {
                const ag_sequence *s = (const ag_sequence *)o;
                ag_buf_printf(out,
                              " type=%s start=%lld inc=%lld min=%lld max=%lld "
                              "cache=%lld%s",
                              s->type, (long long)s->start,
                              (long long)s->increment, (long long)s->min,
                              (long long)s->max, (long long)s->cache,
                              s->cycle ? " cycle" : "");
                if (s->owned_by.name)
                    ag_buf_printf(out, " owned_by=%s.%s.%s", s->owned_by.schema,
                                  s->owned_by.name, s->owned_col);
                break;
            }
            case AG_KIND_TABLE: {
                const ag_table *t = (const ag_table *)o;
                if (t->persistence == 'u')
                    ag_buf_put(out, " unlogged");
                if (t->rls)
                    ag_buf_put(out, " rls");
                if (t->rls_forced)
                    ag_buf_put(out, " rls-forced");
                /* The table's own comment belongs on its line, not after
                 * the last column. */
                dump_str(out, "comment", o->comment);
                if (t->partkey)
                    dump_str(out, "partition-by", t->partkey->canon);
                if (t->parent.name)
                    ag_buf_printf(out, " partition-of=%s.%s bound=%s",
                                  t->parent.schema, t->parent.name,
                                  t->bound->canon);
                for (size_t h = 0; h < t->ninherits; h++)
                    ag_buf_printf(out, " inherits=%s.%s", t->inherits[h].schema,
                                  t->inherits[h].name);
                for (size_t c = 0; c < t->ncols; c++) {
                    const ag_column *col = &t->cols[c];
                    ag_buf_printf(out, "\n  column %s %s", col->name,
                                  col->type);
                    dump_str(out, "collate", col->collation);
                    if (col->notnull)
                        ag_buf_put(out, " not-null");
                    if (col->default_expr)
                        dump_str(out, "default", col->default_expr->canon);
                    if (col->identity)
                        ag_buf_printf(
                            out,
                            " identity=%c(start=%lld inc=%lld min=%lld "
                            "max=%lld cache=%lld%s)",
                            col->identity, (long long)col->ident.start,
                            (long long)col->ident.increment,
                            (long long)col->ident.min,
                            (long long)col->ident.max,
                            (long long)col->ident.cache,
                            col->ident.cycle ? " cycle" : "");
                    if (col->generated)
                        dump_str(out, "generated", col->generated->canon);
                    if (col->inherited)
                        ag_buf_put(out, " inherited");
                    dump_str(out, "comment", col->comment);
                }
                break;
            }
            case AG_KIND_CONSTRAINT: {
                const ag_constraint *c = (const ag_constraint *)o;
                ag_buf_printf(out, " on=%s type=%c def=%s", c->table, c->type,
                              c->def.canon);
                break;
            }
            case AG_KIND_INDEX: {
                const ag_index *x = (const ag_index *)o;
                ag_buf_printf(out, " on=%s def=%s", x->table, x->def.canon);
                break;
            }
            case AG_KIND_FUNCTION:
                dump_function(out, (const ag_function *)o);
                break;
            case AG_KIND_DOMAIN:
            case AG_KIND_COMPOSITE:
                dump_udt(out, o);
                break;
            case AG_KIND_TRIGGER: {
                const ag_trigger *t = (const ag_trigger *)o;
                ag_buf_printf(out, " on=%s def=%s", t->table, t->def.canon);
                if (t->enabled && t->enabled != 'O')
                    ag_buf_printf(out, " enabled=%c", t->enabled);
                break;
            }
            case AG_KIND_VIEW:
                dump_view(out, (const ag_view *)o);
                break;
            case AG_KIND_POLICY:
            case AG_KIND_EVENT_TRIGGER:
            case AG_KIND_PUBLICATION:
                dump_security(out, o);
                break;
            default:
                break;
            }
            if (o->kind != AG_KIND_TABLE)
                dump_str(out, "comment", o->comment);
            ag_buf_putc(out, '\n');
        }
    }
}

void
ag_catalog_restrict(ag_catalog *cat, const char *const *schemas, size_t n)
{
    if (n == 0)
        return;
    for (size_t i = 0; i < cat->nobjs; i++) {
        ag_object *o = cat->objs[i];
        if (!o)
            continue;
        /* Schemas are named by their own name; extensions by the schema
         * they live in (unknown: kept). */
        const char *schema = o->name.schema;
        if (o->kind == AG_KIND_SCHEMA)
            schema = o->name.name;
        else if (o->kind == AG_KIND_EXTENSION)
            schema = ((ag_extension *)o)->schema;
        if (!schema || !*schema)
            continue;
        bool keep = false;
        for (size_t k = 0; k < n && !keep; k++)
            keep = strcmp(schemas[k], schema) == 0;
        if (!keep)
            ag_catalog_remove(cat, o);
    }
    ag_catalog_seal(cat);
}
