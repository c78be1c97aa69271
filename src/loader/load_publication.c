/*
 * load_publication.c - CREATE PUBLICATION and the ALTER PUBLICATION ...
 * ADD TABLE that pg_dump writes after it.
 *
 * Called by ld_resolve_security once every table is in: FOR TABLE entries
 * are resolved along the search_path in force where the statement was
 * written and kept as schema-qualified SQL, sorted; publish = '...' is
 * kept in PostgreSQL's canonical order.  Column lists and row filters are
 * not managed yet (an error naming file:line).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "loader_int.h"

#include "autogen/ident.h"

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
def_bool(const PgQuery__DefElem *d, bool *out)
{
    const char *v = d->arg ? ag_ast_str(d->arg) : "true";
    long n;
    if (!v && d->arg && ag_ast_int(d->arg, &n)) {
        *out = n != 0;
        return true;
    }
    if (!v)
        return false;
    if (strcmp(v, "true") == 0 || strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0 || strcmp(v, "off") == 0 ||
             strcmp(v, "0") == 0)
        *out = false;
    else
        return false;
    return true;
}

/* publish = 'insert, update' in canonical order. */
static const char *
publish_list(ag_loader *ld, const char *text)
{
    static const char *const words[] = {"insert", "update", "delete",
                                        "truncate"};
    bool on[4] = {false, false, false, false};
    const char *p = text;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", ");
        bool known = len == 0;
        for (int k = 0; k < 4; k++)
            if (len == strlen(words[k]) && strncasecmp(p, words[k], len) == 0)
                on[k] = known = true;
        if (!known)
            return NULL;
        p += len;
    }
    ag_buf b;
    ag_buf_init(&b);
    for (int k = 0; k < 4; k++)
        if (on[k])
            ag_buf_printf(&b, "%s%s", b.len ? ", " : "", words[k]);
    const char *r = ag_arena_strdup(&ld->cat->arena, b.data ? b.data : "");
    ag_buf_free(&b);
    return r;
}

static void
publication_options(ag_loader *ld, const ld_pending *p, ag_publication *pub,
                    ag_node **opts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        PgQuery__DefElem *d = opts[i]->def_elem;
        const char *v = ag_ast_str(d->arg);
        const char *list;
        if (strcmp(d->defname, "publish") == 0 && v &&
            (list = publish_list(ld, v)) != NULL)
            pub->publish = list;
        else if (strcmp(d->defname, "publish_via_partition_root") != 0 ||
                 !def_bool(d, &pub->via_root))
            ld_error(ld, p->pos, "publication %s: option %s is not understood",
                     pub->obj.name.name, d->defname);
    }
}

static void
add_entry(ag_loader *ld, const char ***list, size_t *n, const char *entry)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], entry) == 0)
            return;
    const char **grown =
        ag_arena_alloc(&ld->cat->arena, (*n + 1) * sizeof *grown);
    if (*n)
        memcpy(grown, *list, *n * sizeof *grown);
    grown[(*n)++] = entry;
    qsort(grown, *n, sizeof *grown, cmp_str);
    *list = grown;
}

static void
publication_objects(ag_loader *ld, const ld_pending *p, ag_publication *pub,
                    ag_node **objs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        PgQuery__PublicationObjSpec *o = objs[i]->publication_obj_spec;
        if (o->pubobjtype ==
            PG_QUERY__PUBLICATION_OBJ_SPEC_TYPE__PUBLICATIONOBJ_TABLE) {
            PgQuery__PublicationTable *t = o->pubtable;
            if (t->where_clause || t->n_columns) {
                ld_error(ld, ld_at(p->pos, o->location),
                         "publication %s: column lists and WHERE clauses are "
                         "not managed by autogen yet",
                         pub->obj.name.name);
                continue;
            }
            ag_table *tbl = ld_find_table_rv(ld, &p->path, t->relation);
            if (!tbl) {
                ld_error(ld, ld_at(p->pos, o->location),
                         "publication %s: table %s is not declared in the "
                         "models",
                         pub->obj.name.name, t->relation->relname);
                continue;
            }
            ag_buf b;
            ag_buf_init(&b);
            ag_quote_qname(&b, tbl->obj.name.schema, tbl->obj.name.name);
            add_entry(ld, &pub->tables, &pub->ntables,
                      ag_arena_strdup(&ld->cat->arena, b.data));
            ag_buf_free(&b);
        } else {
            const char *schema =
                o->pubobjtype ==
                        PG_QUERY__PUBLICATION_OBJ_SPEC_TYPE__PUBLICATIONOBJ_TABLES_IN_SCHEMA
                    ? o->name
                    : (p->path.n ? p->path.schemas[0] : "public");
            add_entry(ld, &pub->schemas, &pub->nschemas,
                      ag_arena_strdup(&ld->cat->arena, schema));
        }
    }
}

void
ld_resolve_publication(ag_loader *ld, const ld_pending *p,
                       PgQuery__CreatePublicationStmt *s)
{
    ag_publication *pub = ag_catalog_add(ld->cat, AG_KIND_PUBLICATION, "",
                                         s->pubname, sizeof *pub);
    if (!pub) {
        ld_error(ld, p->pos, "publication %s is declared twice", s->pubname);
        return;
    }
    pub->obj.loc = ld_srcloc(p->pos);
    pub->all_tables = s->for_all_tables;
    pub->publish = "insert, update, delete, truncate";
    publication_options(ld, p, pub, s->options, s->n_options);
    publication_objects(ld, p, pub, s->pubobjects, s->n_pubobjects);
}

/* pg_dump writes ALTER PUBLICATION p ADD TABLE ONLY t after CREATE. */
void
ld_resolve_alter_publication(ag_loader *ld, const ld_pending *p,
                             PgQuery__AlterPublicationStmt *s)
{
    ag_publication *pub = (ag_publication *)ag_catalog_find(
        ld->cat, AG_KIND_PUBLICATION, "", s->pubname);
    if (!pub) {
        ld_error(ld, p->pos, "publication %s is not declared in the models",
                 s->pubname);
        return;
    }
    if (s->action != PG_QUERY__ALTER_PUBLICATION_ACTION__AP_AddObjects ||
        s->n_options) {
        ld_error(ld, p->pos,
                 "ALTER PUBLICATION other than ADD TABLE cannot be part of a "
                 "model: declare the final state in CREATE PUBLICATION");
        return;
    }
    publication_objects(ld, p, pub, s->pubobjects, s->n_pubobjects);
}
