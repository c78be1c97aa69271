/*
 * canon_defs.h - canonical forms of aggregates, operators and casts.
 *
 * Each becomes one canonical CREATE statement (ag_def.sql), written field
 * by field in a fixed order with defaults left out, every function, type
 * and operator name schema-qualified.  The loader hands over the model's
 * DefineStmt / CreateCastStmt; the introspector a CREATE statement it
 * assembles in SQL from pg_aggregate, pg_operator and pg_cast, which is
 * parsed and goes through the same code.
 */
#ifndef AUTOGEN_CANON_DEFS_H
#define AUTOGEN_CANON_DEFS_H

#include "autogen/ast.h"

/* Schema of an unqualified function (is_operator false) or operator name
 * on the model side, or NULL for pg_catalog (a built-in). */
typedef const char *(*ag_def_resolver)(void *ctx, bool is_operator,
                                       const char *name);

/*
 * Fill *d (scratch, not yet in the catalog) from a DefineStmt (aggregate
 * or operator) or CreateCastStmt.  Unqualified object names and types take
 * default_schema; unqualified function and operator names go through
 * `resolve` (NULL: pg_catalog).  Returns 0, or AG_EUNSUPPORTED / AG_EPARSE
 * with the reason in err (ordered-set aggregates, unknown options, ...).
 * Strings live in the catalog arena; *kind receives the object kind.
 */
int ag_canon_def_node(ag_catalog *cat, ag_node *stmt,
                      const char *default_schema, ag_def_resolver resolve,
                      void *ctx, ag_def *d, ag_kind *kind, ag_error *err);

/* Register a def filled by ag_canon_def_node (copied into a new catalog
 * object).  NULL when one of that kind and name exists. */
ag_def *ag_canon_def_add(ag_catalog *cat, ag_kind kind, const ag_def *d);

/* The database side: parse a CREATE AGGREGATE / OPERATOR / CAST statement
 * and register it.  *out may be NULL. */
int ag_canon_def_text(ag_catalog *cat, const char *sql, ag_def **out,
                      ag_error *err);

#endif
