/*
 * runner.h - applying revisions to a database, and the version table.
 *
 * The version table (autogen_version in the configured schema) holds the
 * *set* of applied revisions, one row each: id, checksum of the file,
 * applied time, duration.  A run is planned first, as a script of steps
 * (ag_script), and then either executed or printed (--sql): both come
 * from the same steps, so what --sql prints is what upgrade runs.
 *
 * Each revision runs in its own transaction together with its version-table
 * row, unless its header says "transaction none".  A session advisory lock,
 * polled with a bounded wait, keeps two runners apart (ag_runner_lock).
 * docs/migrations.md gives the reasons.
 */
#ifndef AUTOGEN_RUNNER_H
#define AUTOGEN_RUNNER_H

#include <libpq-fe.h>

#include "autogen/revgraph.h"

/* One row of the version table. */
typedef struct ag_applied {
    const char *revision;
    const char *checksum;
    const char *applied_at;  /* UTC, "2026-11-21T15:30:07Z" */
    const char *duration_ms; /* NULL when stamped (no SQL ran) */
} ag_applied;

/* What the version table says. */
typedef struct ag_vstate {
    bool schema_exists;
    bool exists;
    ag_applied *rows; /* by applied time, then id */
    size_t nrows;
} ag_vstate;

typedef struct ag_runner_opts {
    const char *version_schema;    /* NULL = "public" */
    const char *version_table;     /* NULL = "autogen_version" */
    const char *lock_timeout;      /* NULL or "" = the server's setting */
    const char *statement_timeout; /* likewise */
    int lock_wait_ms;              /* advisory lock: give up after this */
} ag_runner_opts;

typedef enum ag_runner_action {
    AG_RUN_UPGRADE,
    AG_RUN_DOWNGRADE,
    AG_RUN_STAMP
} ag_runner_action;

typedef enum ag_step_kind {
    AG_STEP_NOTE,    /* a comment in the script; not sent */
    AG_STEP_CONTROL, /* BEGIN, SET LOCAL, COMMIT, version-table DDL */
    AG_STEP_USER,    /* a statement of a revision file */
    AG_STEP_VERSION  /* a version-table row written or removed */
} ag_step_kind;

typedef struct ag_step {
    ag_step_kind kind;
    const char *sql;   /* what is sent, with $1.. for params; NOTE: text */
    const char *shown; /* as printed, parameters inlined as literals */
    const char *params[2];
    int nparams;
    const ag_migration *mig; /* the revision it belongs to, or NULL */
    const ag_stmt *stmt;     /* USER steps: the statement in the file */
    const char *revision;    /* VERSION steps: the row's revision id */
    char change;             /* VERSION steps: '+' row added, '-' removed,
                                '~' checksum replaced */
    bool ends_revision;      /* the revision is done once this ran */
} ag_step;

typedef struct ag_script {
    ag_arena arena;
    ag_runner_action action;
    ag_step *steps; /* malloc'd, like revs */
    size_t nsteps, capsteps;
    const ag_migration **revs; /* applied / reverted / stamped, in order */
    size_t nrevs, caprevs;
} ag_script;

void ag_script_init(ag_script *s);
void ag_script_free(ag_script *s);
/* One step as the script shows it: "-- note\n" or "sql;\n", and a blank
 * line after the step that ends a revision. */
void ag_step_render(const ag_step *step, ag_buf *out);
/* The whole script (what --sql prints). */
void ag_script_render(const ag_script *s, ag_buf *out);

/* ---- version table (vtable.c) ---- */

/* schema.table, quoted as needed, into out. */
void ag_vtable_qname(const ag_runner_opts *o, ag_buf *out);
/* Read the version table into vs (strings in arena).  A missing table is
 * no error (vs->exists false).  AG_EDB on a failed query. */
int ag_vtable_read(PGconn *conn, const ag_runner_opts *o, ag_arena *arena,
                   ag_vstate *vs, ag_error *err);
/* The row of a revision, or NULL. */
const ag_applied *ag_vstate_find(const ag_vstate *vs, const char *id);

/*
 * Check what the database says against the files: every applied revision
 * has a file; every applied file still has the checksum it had when it
 * was applied (unless ignore_checksums); every ancestor of an applied
 * revision is applied.  Returns 0, AG_EDRIFT for a changed file (naming
 * it, both checksums, and how to accept the change), AG_EINVAL otherwise.
 */
int ag_runner_check(const ag_revgraph *g, const ag_vstate *vs,
                    bool ignore_checksums, ag_error *err);

/* Indexes of the applied revisions that no applied revision depends on
 * (where the database is), in topological order, into an arena array. */
size_t ag_runner_current(const ag_revgraph *g, const ag_vstate *vs,
                         ag_arena *arena, size_t **out);

/*
 * Plan a run into s (ag_script_init'ed).  targets: for upgrade one of
 * "head" (the default when ntargets is 0), "+N", or a revision; for
 * downgrade "-N", a revision (which stays applied) or "base"; for stamp
 * one or more of "head", "base" and revisions, whose ancestors become the
 * applied set (rows kept get the file's current checksum).  Target syntax
 * is grammar/target.pcre.  Returns 0 (s->nrevs may be 0: nothing to do),
 * or AG_EINVAL / AG_ECONFLICT explaining the target.
 */
int ag_runner_plan(const ag_revgraph *g, const ag_vstate *vs,
                   ag_runner_action action, const char *const *targets,
                   size_t ntargets, const ag_runner_opts *o, ag_script *s,
                   ag_error *err);

/* ---- execution (exec.c, lock.c) ---- */

typedef struct ag_runner_hooks {
    void *user;
    /* before each step is sent (NOTE steps included): the -v echo */
    void (*on_step)(const ag_step *step, void *user);
    /* after the step that ends a revision, with its wall time */
    void (*on_done)(const ag_migration *m, ag_runner_action action,
                    double seconds, void *user);
    /* a NOTICE or WARNING from the server */
    void (*on_notice)(const char *message, void *user);
} ag_runner_hooks;

/*
 * Run the script's steps on conn (idle, autocommit).  On a failed
 * statement the open transaction is rolled back and AG_EDB returned with
 * file:line:col of the statement, the server's message, and what state
 * the database is left in.  hooks may be NULL.
 */
int ag_runner_exec(PGconn *conn, const ag_script *s,
                   const ag_runner_hooks *hooks, ag_error *err);

/*
 * Take the session advisory lock that keeps runners apart, polling
 * pg_try_advisory_lock (never a blocking wait, which could deadlock with a
 * CREATE INDEX CONCURRENTLY of the runner holding it) for up to
 * o->lock_wait_ms.  AG_ELOCKED when it stays taken, naming the server
 * process that holds it; AG_EDB on a failed query.
 */
int ag_runner_lock(PGconn *conn, const ag_runner_opts *o, ag_error *err);
/* Release it (best effort: a closed session releases it too). */
void ag_runner_unlock(PGconn *conn, const ag_runner_opts *o);

#endif
