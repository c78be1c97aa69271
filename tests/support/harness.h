/*
 * harness.h - what the server-backed test runners share: running programs
 * (autogen, psql, pg_dump, diff) with their output captured, throwaway
 * databases on the cluster that with-postgres started, and the pg_dump
 * normaliser.
 *
 * No Criterion here: these functions report, the test files assert.
 * Every char * returned is malloc'd and owned by the caller.
 */
#ifndef AUTOGEN_TEST_HARNESS_H
#define AUTOGEN_TEST_HARNESS_H

#include <stddef.h>

/* What a finished program left behind. */
typedef struct agt_result {
    int code;   /* exit status, or -1 when it did not exit normally */
    int signal; /* the signal that killed it, or 0 */
    char *out;  /* stdout, NUL-terminated, never NULL after agt_run */
    char *err;  /* stderr, likewise; holds the reason when spawning failed */
} agt_result;

/* ---- processes (proc.c) ---- */

/* Run argv (argv[0] looked up in PATH) with stdin on /dev/null and both
 * outputs captured.  Returns 0 when the program ran (whatever its status),
 * -1 when it could not be started (res->err says why). */
int agt_run(char *const argv[], agt_result *res);
void agt_result_free(agt_result *res);
/* "exit 2", "killed by signal 11": into a static buffer. */
const char *agt_status(const agt_result *res);
/* 1 when stderr carries an AddressSanitizer/LeakSanitizer/UBSan report. */
int agt_sanitizer_report(const agt_result *res);
/* The first nlines lines of text joined with " | ", at most max bytes. */
char *agt_first_lines(const char *text, int nlines, size_t max);
/* 1 when text has anything but whitespace. */
int agt_has_text(const char *text);
/* Write text to a fresh temp file; returns its path or NULL. */
char *agt_write_temp(const char *text);
/* `diff -u` of two texts with the given labels; never NULL. */
char *agt_unified_diff(const char *a, const char *alabel, const char *b,
                       const char *blabel);
/* Whole file, or NULL when it cannot be read. */
char *agt_read_file(const char *path);

/* ---- the cluster and its databases (db.c) ---- */

/* AUTOGEN_TEST_PGHOST, or NULL when the tests were not started under
 * with-postgres. */
const char *agt_pghost(void);
/* The autogen executable under test: $AUTOGEN_BIN or the one just built. */
const char *agt_autogen_bin(void);
/* CREATE DATABASE with a unique name derived from tag.  Returns the name,
 * or NULL with the reason in *why (malloc'd). */
char *agt_create_db(const char *tag, char **why);
/* Best effort DROP DATABASE. */
void agt_drop_db(const char *db);
/* postgresql:///DB?host=<socket dir>&user=postgres */
char *agt_db_url(const char *db);
/* psql -X -q -v ON_ERROR_STOP=1 -f file against db. */
int agt_psql_file(const char *db, const char *file, agt_result *res);
/* The same with SQL text (through a temp file, so psql sees a script). */
int agt_psql_text(const char *db, const char *sql, agt_result *res);
/* pg_dump --schema-only of db. */
int agt_pg_dump(const char *db, agt_result *res);
/* autogen with the given arguments (NULL-terminated, no argv[0]). */
int agt_autogen(const char *const args[], agt_result *res);

/* ---- pg_dump normaliser (pgdump_normalize.c) ---- */

/* A pg_dump --schema-only text reduced to what must match between an
 * upgraded database and a fresh load: comments, blank lines, SET lines,
 * set_config() calls and \restrict/\unrestrict dropped; the lines inside
 * each CREATE TABLE ( ... ) sorted, trailing commas stripped, because a
 * column added by ALTER TABLE lands at the end. */
char *agt_normalize_dump(const char *dump);

#endif
