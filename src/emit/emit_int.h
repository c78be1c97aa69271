/*
 * emit_int.h - what the emitter's files share (private to src/emit).
 */
#ifndef AUTOGEN_EMIT_INT_H
#define AUTOGEN_EMIT_INT_H

#include "autogen/emit.h"

/* The statements of a function or trigger op (emit_routines.c). */
void em_routine_sql(const ag_op *op, ag_buf *out);
/* "public.f(integer, text)": how DROP and COMMENT name a function. */
void em_function_signature(ag_buf *out, const ag_function *f);
/* The object a function or trigger op is about, for summaries:
 * "function public.f(integer)", "trigger t on public.tbl". */
void em_routine_object(ag_buf *out, const ag_op *op);
/* The ": what changed" part of a REPLACE_FUNCTION / REPLACE_TRIGGER. */
void em_routine_changes(ag_buf *out, const ag_op *op);
/* Does the plan create or replace a function (then the script starts by
 * turning check_function_bodies off, as pg_dump does)? */
bool em_plan_has_functions(const ag_plan *plan);

/* Domain and composite type ops (emit_types.c): the SQL, and the ": what
 * changed" part of a summary line. */
void em_type_sql(const ag_op *op, ag_buf *out);
void em_type_changes(ag_buf *out, const ag_op *op);

/* Rename ops (emit_renames.c): the SQL, and the ": renamed from x" part
 * of a summary line (the object named is the new one). */
void em_rename_sql(const ag_op *op, ag_buf *out);
void em_rename_changes(ag_buf *out, const ag_op *op);
/* Views and materialized views (emit_views.c): the SQL of a view op, what
 * COMMENT ON names ("VIEW public.v", "COLUMN public.v.c"), and the object
 * of a summary line ("materialized view public.m"). */
void em_view_sql(const ag_op *op, ag_buf *out);
void em_view_comment_target(ag_buf *out, const ag_op *op);
void em_view_object(ag_buf *out, const ag_op *op);
/* Aggregate, operator and cast ops (emit_defs.c): the SQL, and the object
 * as summaries name it ("aggregate public.f(text)"). */
void em_def_sql(const ag_op *op, ag_buf *out);
void em_def_object(ag_buf *out, const ag_op *op);
/* Partitions and inheritance (emit_parts.c).  em_partition_head writes
 * " PARTITION OF parent" after a partition's name and returns true (false,
 * writing nothing, for other tables); em_table_tail writes what follows
 * the column list: the bound, INHERITS (...), PARTITION BY ... */
bool em_partition_head(ag_buf *out, const ag_table *t);
void em_table_tail(ag_buf *out, const ag_table *t);
void em_parts_sql(const ag_op *op, ag_buf *out);
void em_parts_changes(ag_buf *out, const ag_op *op);
/* RLS, policies, trigger enabled state, event triggers and publications
 * (emit_security.c): the SQL, the object named in a summary line, and the
 * ": what changed" part. */
void em_security_sql(const ag_op *op, ag_buf *out);
/* Returns false when the op is not one of these kinds. */
bool em_security_object(ag_buf *out, const ag_op *op);
void em_security_changes(ag_buf *out, const ag_op *op);
/* "ENABLE", "DISABLE", "ENABLE REPLICA", "ENABLE ALWAYS" for 'O' (or 0),
 * 'D', 'R', 'A'. */
const char *em_enabled_words(char enabled);

#endif
