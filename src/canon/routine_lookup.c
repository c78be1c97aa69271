/*
 * routine_lookup.c - what a function body's reference names in a catalog
 * (routine_refs.h): the differ asks it of the current catalog, along the
 * function's path or the database side's default order.
 */
#include <stdlib.h>
#include <string.h>

#include "autogen/routine_refs.h"

const ag_function *
ag_routine_find_name(const ag_catalog *cat, const char *schema,
                     const char *fname)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(cat, AG_KIND_FUNCTION, &list);
    size_t len = strlen(fname);
    char *key = ag_xmalloc(len + 2);
    memcpy(key, fname, len);
    memcpy(key + len, "(", 2);
    ag_qname want = {schema, key};
    size_t lo = 0, hi = n; /* first entry >= (schema, "fname(") */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ag_qname_cmp(&list[mid]->name, &want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const ag_function *f = NULL;
    if (lo < n && strcmp(list[lo]->name.schema, schema) == 0 &&
        strncmp(list[lo]->name.name, key, len + 1) == 0)
        f = (const ag_function *)list[lo];
    free(key);
    return f;
}

static const ag_object *
find_in(const ag_catalog *cat, const ag_funcref *r, const char *schema)
{
    const char *name = r->name.name;
    static const ag_kind rel[] = {AG_KIND_TABLE, AG_KIND_VIEW};
    static const ag_kind type[] = {AG_KIND_ENUM, AG_KIND_DOMAIN,
                                   AG_KIND_COMPOSITE, AG_KIND_TABLE,
                                   AG_KIND_VIEW};
    const ag_kind *kinds = r->kind == AG_REF_TYPE ? type : rel;
    size_t nkinds = r->kind == AG_REF_TYPE ? 5 : 2;
    if (r->kind == AG_REF_FUNCTION)
        return (const ag_object *)ag_routine_find_name(cat, schema, name);
    for (size_t i = 0; i < nkinds; i++) {
        const ag_object *o = ag_catalog_find(cat, kinds[i], schema, name);
        if (o)
            return o;
    }
    return NULL;
}

const ag_object *
ag_routine_ref_lookup(const ag_catalog *cat, const ag_function *fn,
                      const ag_funcref *r)
{
    if (r->name.schema)
        return find_in(cat, r, r->name.schema);
    if (fn->npath) {
        for (size_t i = 0; i < fn->npath; i++) {
            const ag_object *o = find_in(cat, r, fn->path[i]);
            if (o)
                return o;
        }
        return NULL;
    }
    /* The database side without SET search_path: the path a session uses
     * by default ("$user", public), then every other schema by name, so a
     * function in an application schema finds that schema's tables. */
    const ag_object *o = find_in(cat, r, "public");
    ag_object *const *schemas;
    size_t n = ag_catalog_list(cat, AG_KIND_SCHEMA, &schemas);
    for (size_t i = 0; !o && i < n; i++)
        if (strcmp(schemas[i]->name.name, "public") != 0)
            o = find_in(cat, r, schemas[i]->name.name);
    return o;
}
