/*
 * load_function.c - CREATE [OR REPLACE] FUNCTION / PROCEDURE in models.
 *
 * The statement becomes an ag_function through the canon shared with the
 * introspector.  Unqualified names and argument types take the first
 * schema of the search_path in force.  A model may declare the same
 * signature twice with OR REPLACE (dumps of migration histories do): the
 * last declaration wins, as it would when the file is run.  What the
 * body references is recorded with the search_path in force.
 */
#include "loader_int.h"

#include "autogen/canon_routines.h"
#include "autogen/routine_refs.h"

void
ld_create_function(ag_loader *ld, ld_pos pos, PgQuery__CreateFunctionStmt *s)
{
    const char *kind = s->is_procedure ? "procedure" : "function";
    const char *schema = ld_creation_schema(ld, &ld->path, NULL);
    ag_error err;
    ag_function fn;
    if (ag_canon_function_node(ld->cat, ld_ast(ld, pos), s,
                               schema ? schema : "public", &fn, &err) != 0) {
        ld_error(ld, pos, "CREATE %s: %s",
                 s->is_procedure ? "PROCEDURE" : "FUNCTION", err.msg);
        return;
    }
    fn.obj.loc = ld_srcloc(pos);
    /* What the body names, read along the search_path of this statement
     * (resolved at diff time, so statement order does not matter). */
    ag_routine_refs(ld->cat, &fn, ld->path.schemas, ld->path.n);
    ag_object *old = ag_catalog_find(ld->cat, AG_KIND_FUNCTION,
                                     fn.obj.name.schema, fn.obj.name.name);
    if (old) {
        if (!s->replace) {
            ld_error(ld, pos, "%s %s.%s is declared twice (first at %s:%d)",
                     kind, fn.obj.name.schema, fn.obj.name.name,
                     old->loc.file ? old->loc.file : "?", old->loc.line);
            return;
        }
        /* OR REPLACE: the later declaration replaces the earlier one,
         * keeping a comment already attached to it. */
        fn.obj.comment = old->comment;
        ag_catalog_remove(ld->cat, old);
    }
    ag_canon_function_add(ld->cat, &fn);
}
