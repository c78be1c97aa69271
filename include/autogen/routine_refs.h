/*
 * routine_refs.h - what a function body names, for both catalogs.
 *
 * One extraction serves the loader (the model's body text) and the
 * introspector (prosrc as pg_get_functiondef prints it, no extra query):
 * LANGUAGE sql bodies are parsed with the SQL parser, LANGUAGE plpgsql
 * bodies with libpg_query's PL/pgSQL parser, whose embedded queries and
 * expressions are then parsed as SQL.  Dynamic SQL (EXECUTE of a string)
 * is not followed; other languages are skipped.  A body that does not
 * parse records nothing: PostgreSQL accepts such bodies with
 * check_function_bodies off, so neither may the load fail on them.
 *
 * The references are never compared; the differ uses them to order
 * creations and to warn when a migration removes what a kept function
 * still names (see docs/coverage.md).
 */
#ifndef AUTOGEN_ROUTINE_REFS_H
#define AUTOGEN_ROUTINE_REFS_H

#include "autogen/catalog.h"

/*
 * Fill fn->refs (sorted, unique, in the catalog arena) from fn->body and
 * fn->path from its SET search_path, else from `path` (the model's
 * search_path at CREATE; NULL/0 on the database side).  fn's language,
 * body, args and result must be set.  Never fails: what cannot be read is
 * left out.
 */
void ag_routine_refs(ag_catalog *cat, ag_function *fn, const char *const *path,
                     size_t npath);

/*
 * The object of `cat` that reference r of fn names: for a relation a table
 * or view, for a function its first overload, for a type an enum, domain,
 * composite type or table (row type).  Unqualified names go along fn->path,
 * or without one along "public" and then every schema of `cat` in name
 * order.  NULL when nothing in `cat` matches (built-ins among them).
 */
const ag_object *ag_routine_ref_lookup(const ag_catalog *cat,
                                       const ag_function *fn,
                                       const ag_funcref *r);

/* Does a function named (schema, fname), any overload, exist in cat? */
const ag_function *ag_routine_find_name(const ag_catalog *cat,
                                        const char *schema, const char *fname);

#endif
