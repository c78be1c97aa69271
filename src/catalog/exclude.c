/*
 * exclude.c - leave objects listed under [exclude] in autogen.ini out of a
 * catalog, so both sides of a diff ignore them alike.
 */
#include <string.h>

#include "autogen/catalog.h"

/* Does "schema.name" name (schema, name)?  Functions and aggregates are
 * keyed "name(types)": every overload matches. */
static bool
matches(const char *x, const char *schema, const char *name)
{
    size_t sl = strlen(schema);
    if (!name || strncmp(x, schema, sl) != 0 || x[sl] != '.')
        return false;
    x += sl + 1;
    size_t nl = strlen(x);
    return strncmp(name, x, nl) == 0 && (name[nl] == '\0' || name[nl] == '(');
}

size_t
ag_catalog_exclude(ag_catalog *cat, const char *const *names, size_t n)
{
    size_t removed = 0;
    for (size_t i = 0; n && i < cat->nobjs; i++) {
        ag_object *o = cat->objs[i];
        if (!o)
            continue;
        /* constraints, indexes and triggers go with their table */
        const char *table =
            o->kind == AG_KIND_CONSTRAINT ? ((ag_constraint *)o)->table
            : o->kind == AG_KIND_INDEX    ? ((ag_index *)o)->table
            : o->kind == AG_KIND_TRIGGER  ? ((ag_trigger *)o)->table
                                          : NULL;
        for (size_t k = 0; k < n; k++)
            if (matches(names[k], o->name.schema, o->name.name) ||
                matches(names[k], o->name.schema, table)) {
                ag_catalog_remove(cat, o);
                removed++;
                break;
            }
    }
    ag_catalog_seal(cat);
    return removed;
}
