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
