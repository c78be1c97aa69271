/*
 * canon_routines.h - canonical forms of functions, procedures and triggers.
 *
 * As for constraints and indexes, both front ends go through the same code:
 * the loader hands over the CREATE FUNCTION / CREATE TRIGGER parse tree of
 * a model, the introspector the text pg_get_functiondef() and
 * pg_get_triggerdef() print (read with search_path = ''), which is parsed
 * and then treated exactly like a model statement.
 *
 * Results live in the catalog's arena; trees are rewritten in place and
 * must live in `ast`.
 */
#ifndef AUTOGEN_CANON_ROUTINES_H
#define AUTOGEN_CANON_ROUTINES_H

#include "autogen/ast.h"

/*
 * Fill *fn (a scratch struct, not yet in the catalog) from a CREATE
 * FUNCTION / PROCEDURE statement: obj.name becomes (schema, "f(integer)"),
 * unqualified names and types taking default_schema.  Returns 0,
 * AG_EUNSUPPORTED for what is not managed yet (SQL-standard bodies, SET
 * ... FROM CURRENT, SUPPORT, TRANSFORM, WINDOW) or a type error, with the
 * reason in err.
 */
int ag_canon_function_node(ag_catalog *cat, ag_ast *ast,
                           PgQuery__CreateFunctionStmt *s,
                           const char *default_schema, ag_function *fn,
                           ag_error *err);

/* Register a function filled by ag_canon_function_node (copied into a new
 * catalog object).  NULL when one of that name and signature exists. */
ag_function *ag_canon_function_add(ag_catalog *cat, const ag_function *fn);

/* The database side: parse pg_get_functiondef() output and register it.
 * *out may be NULL. */
int ag_canon_function_text(ag_catalog *cat, const char *def, ag_function **out,
                           ag_error *err);

/* Canonical text of a type as a function signature spells it: the column
 * spelling of ag_ast_type_canon without typmods (pg_proc keeps none), plus
 * pseudo-types (trigger, void, anyelement, ...) that only signatures name.
 * Clears tn's typmods in place. */
int ag_canon_signature_type(ag_arena *out, PgQuery__TypeName *tn,
                            const char *default_schema, const char **type,
                            ag_error *err);

/*
 * Fill trg->func, constraint and def from a CREATE TRIGGER statement whose
 * relation and function name are schema-qualified (obj.name and table must
 * be set).  want_sql: deparse def.sql from the tree (the model side); the
 * text variant keeps the server's statement instead.
 */
int ag_canon_trigger_node(ag_catalog *cat, ag_ast *ast,
                          PgQuery__CreateTrigStmt *s, ag_trigger *trg,
                          bool want_sql, ag_error *err);
int ag_canon_trigger_text(ag_catalog *cat, ag_trigger *trg, const char *stmt,
                          ag_error *err);

#endif
