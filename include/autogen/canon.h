/*
 * canon.h - canonical forms, computed by the same code for both catalogs.
 *
 * The loader calls these on parse trees it already holds; the introspector
 * calls the *_text variants on what pg_get_expr(), pg_get_constraintdef()
 * and pg_get_indexdef() return (read with search_path = '').  Each parses
 * the text with libpg_query, normalises the tree (locations, no-op casts on
 * constants, IN lists as = ANY (ARRAY[...]), LIKE as ~~, pg_catalog and
 * public qualifiers on function names, ...) and deparses it, so two spellings
 * of the same definition give the same `canon` string.
 *
 * Type names need no work on the database side: the canonical spelling of a
 * column type *is* format_type(atttypid, atttypmod) under an empty
 * search_path, and the loader produces exactly that from a TypeName.
 *
 * All results are allocated in the catalog's arena.  On a parse error the
 * functions return AG_EPARSE with the server text in err.
 */
#ifndef AUTOGEN_CANON_H
#define AUTOGEN_CANON_H

#include "autogen/catalog.h"

/*
 * Canonicalise an expression (column default, generation expression, CHECK
 * body without the CHECK keyword, index predicate).  default_schema
 * qualifies unqualified sequence names inside nextval('...'); pass "public"
 * on the database side (where everything is qualified already).
 */
int ag_canon_expr_text(ag_catalog *cat, const char *sql,
                       const char *default_schema, const ag_expr **out,
                       ag_error *err);

/*
 * Fill a constraint from the body pg_get_constraintdef() prints, e.g.
 * "FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE" or
 * "CHECK ((price > (0)::numeric))".  Sets con->type, cols, ref_table,
 * ref_cols and def; obj.name and table must already be set.
 */
int ag_canon_constraint_text(ag_catalog *cat, ag_constraint *con,
                             const char *body, ag_error *err);

/*
 * Fill an index from the statement pg_get_indexdef() prints, e.g.
 * "CREATE UNIQUE INDEX i ON public.t USING btree (lower((a)::text))".
 * Sets unique, cols and def; obj.name and table must already be set.
 */
int ag_canon_index_text(ag_catalog *cat, ag_index *idx, const char *stmt,
                        ag_error *err);

#endif
