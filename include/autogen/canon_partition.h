/*
 * canon_partition.h - canonical forms of partition keys and partition
 * bounds, computed by the same code from a model's parse tree and from what
 * pg_get_partkeydef() / pg_get_expr(relpartbound) print.
 *
 * A bound's `canon` spells every value as a quoted literal of its text
 * ('1', 'a', '2022-01-01 00:00:00+00'), MINVALUE / MAXVALUE / NULL as
 * such: the server prints int4 bare and int8 quoted, the model may write
 * either.  The text of a value such as a timestamptz depends on the
 * server's settings; src/introspect/literals.c rewrites the model side's
 * string values with ag_canon_bound_map once a session is open.
 */
#ifndef AUTOGEN_CANON_PARTITION_H
#define AUTOGEN_CANON_PARTITION_H

#include "autogen/ast.h"

/* Set t->partkey, partcols and npartcols from a PARTITION BY clause. */
int ag_canon_partkey_node(ag_catalog *cat, ag_ast *ast,
                          PgQuery__PartitionSpec *ps, ag_table *t,
                          ag_error *err);
/* The same from pg_get_partkeydef's text, "RANGE (created_at)". */
int ag_canon_partkey_text(ag_catalog *cat, ag_table *t, const char *def,
                          ag_error *err);

/* A bound ("FOR VALUES ..." / "DEFAULT") from the parse tree or from
 * pg_get_expr's text; *out in the catalog arena. */
int ag_canon_bound_node(ag_catalog *cat, ag_ast *ast,
                        PgQuery__PartitionBoundSpec *b, const ag_expr **out,
                        ag_error *err);
int ag_canon_bound_text(ag_catalog *cat, const char *text, const ag_expr **out,
                        ag_error *err);

/*
 * Walk the string constants of bound text `sql` in order.  fn gets the
 * key position the value is compared with (0 for a LIST bound, the column
 * index for a RANGE bound) and the value's text; it returns the text to
 * use in canon instead, or NULL to keep it.  *canon (catalog arena) is the
 * bound's canon with the replacements.
 */
typedef const char *(*ag_bound_value_fn)(void *ctx, size_t keypos,
                                         const char *value);
int ag_canon_bound_map(ag_catalog *cat, const char *sql, ag_bound_value_fn fn,
                       void *ctx, const char **canon, ag_error *err);

#endif
