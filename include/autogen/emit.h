/*
 * emit.h - turn a plan into SQL, a one-line-per-op summary, or JSON.
 *
 * The only place that writes SQL.  Every name goes through ident.h and every
 * expression or definition is the `sql` text the catalog carries, so the
 * output is schema-qualified and byte-for-byte deterministic.
 */
#ifndef AUTOGEN_EMIT_H
#define AUTOGEN_EMIT_H

#include "autogen/plan.h"

/*
 * The migration script: for each op, a `-- hazard: <name>: <why>` line
 * per hazard, then its statements.  Every statement ends in ";\n" and
 * statements are separated by one blank line.  Nothing for an empty plan.
 */
void ag_emit_sql(const ag_plan *plan, ag_buf *out);
/* One line per op: "+ table public.users", "- index public.i",
 * "~ column public.t.c: type integer -> bigint". */
void ag_emit_summary(const ag_plan *plan, ag_buf *out);
/* [{"op":"create_table","object":"public.users","hazards":[],
 *   "summary":"...","sql":"..."}, ...] followed by a newline. */
void ag_emit_json(const ag_plan *plan, ag_buf *out);

/* The statements of one op (as in ag_emit_sql, without hazard lines). */
void ag_emit_op_sql(const ag_op *op, ag_buf *out);
/* The summary line of one op, without the newline. */
void ag_emit_op_summary(const ag_op *op, ag_buf *out);
/* Append text for a `--` comment line: CR and LF become spaces, so a name
 * holding a newline cannot end the comment and smuggle in SQL (pg_dump's
 * sanitize_line). */
void ag_emit_comment_text(ag_buf *out, const char *text);
/* A routine's parenthesised argument list as CREATE FUNCTION declares it
 * (RETURNS TABLE columns left out), with the DEFAULTs when asked. */
void ag_emit_funcargs(ag_buf *out, const ag_function *f, bool defaults);

#endif
