/*
 * migrate_int.h - what the files of src/migrate/ share and nobody else
 * needs.
 */
#ifndef AUTOGEN_MIGRATE_INT_H
#define AUTOGEN_MIGRATE_INT_H

#include "autogen/migration.h"
#include "autogen/runner.h"

/*
 * Split section sec of m (m->text, m->path set; lines indexes m->text) into
 * statements with libpg_query's parser-based splitter.  A syntax error is
 * AG_EPARSE at path:line:col; so is transaction control (BEGIN, COMMIT, ...)
 * when the revision runs in one transaction (allow_txn_control false).  what
 * names the section ("upgrade") in messages.
 */
int mig_split_section(const ag_migration *m, const ag_lineidx *lines,
                      ag_section *sec, const char *what, bool allow_txn_control,
                      ag_arena *arena, ag_error *err);

/* Byte offset of the 1-based character position pos in s (UTF-8), clamped
 * to len. */
size_t mig_char_to_byte(const char *s, size_t len, int pos);

/* Version-table SQL (vtable.c).  Each appends one statement without ';'
 * into out.  rev and sum (the revision id and its checksum) are written
 * as literals when given and as $1 and $2 when NULL (for PQexecParams). */
void vt_sql_create_schema(const ag_runner_opts *o, ag_buf *out);
void vt_sql_create_table(const ag_runner_opts *o, ag_buf *out);
enum { VT_STAMPED, VT_FROM_XACT, VT_FROM_MARK };
/* timing: VT_FROM_XACT measures the duration from the start of the
 * transaction (per-revision), VT_FROM_MARK from the session mark set by
 * vt_sql_mark_start (revisions run without a transaction); VT_STAMPED
 * records NULL. */
void vt_sql_insert(const ag_runner_opts *o, int timing, const char *rev,
                   const char *sum, ag_buf *out);
void vt_sql_delete(const ag_runner_opts *o, const char *rev, ag_buf *out);
void vt_sql_update_checksum(const ag_runner_opts *o, const char *rev,
                            const char *sum, ag_buf *out);
void vt_sql_mark_start(ag_buf *out);

#endif
