/*
 * migration.h - revision files: reading, checking and writing them.
 *
 * One file per revision, migrations/YYYYMMDD_HHMM-<rev>_<slug>.sql: a header
 * of "-- autogen:<key> <value>" lines, then "-- autogen:upgrade" and
 * "-- autogen:downgrade", each followed by plain SQL.  grammar/README.md is
 * the normative format; the grammar/ patterns implement it (grammar.h), and the
 * sections are split into statements by libpg_query's parser-based
 * splitter.  docs/migrations.md explains the choices.
 *
 * Everything a parsed ag_migration points to lives in the arena passed to
 * the reader.
 */
#ifndef AUTOGEN_MIGRATION_H
#define AUTOGEN_MIGRATION_H

#include <time.h>

#include "autogen/base.h"
#include "autogen/plan.h"

#define AG_REV_LEN 12 /* hex digits in a revision id */

typedef enum ag_txn_mode {
    AG_TXN_PER_REVISION, /* statements + version row in one transaction */
    AG_TXN_NONE          /* each statement on its own (CONCURRENTLY, ...) */
} ag_txn_mode;

/* "per-revision" / "none" */
const char *ag_txn_mode_name(ag_txn_mode mode);

/* One statement of a section. */
typedef struct ag_stmt {
    const char *sql; /* what is sent: from its leading comments (blanks
                        trimmed) to its end, without the ';' */
    size_t offset;   /* byte offset of sql[0] in the file */
    int line;        /* line of its first token, 1-based */
} ag_stmt;

typedef struct ag_section {
    int marker_line;   /* line of the "-- autogen:upgrade" marker */
    size_t start, end; /* the section's bytes in the file */
    ag_stmt *stmts;
    size_t nstmts;
} ag_section;

typedef struct ag_migration {
    const char *path; /* as read, for messages */
    const char *text; /* the whole file */
    size_t len;
    char checksum[65];    /* SHA-256 of the file bytes, hex */
    const char *id;       /* 12 lowercase hex digits */
    const char **parents; /* ids; none for the root, several for a merge */
    size_t nparents;
    const char *message;
    const char *created;  /* "2026-11-21T15:30:07Z" */
    ag_txn_mode txn;      /* the upgrade section's mode */
    ag_txn_mode down_txn; /* the downgrade's: downgrade-transaction, else txn */
    uint32_t hazards;     /* AG_HAZARD_* named in the header */
    ag_section up, down;
} ag_migration;

/*
 * Parse the text of a revision file (len bytes, NUL-terminated) into *m,
 * allocating in arena; path names the file in messages.  Returns 0, or
 * AG_EPARSE with "path:line: what was wrong, what was expected" and the
 * offending line in err (the first problem found: header keys unknown,
 * missing, repeated or with a malformed value; a marker missing or out of
 * place; a stray "-- autogen:" line; an SQL syntax error at line:col;
 * transaction control inside a per-revision revision).
 */
int ag_migration_parse(const char *path, const char *text, size_t len,
                       ag_arena *arena, ag_migration *m, ag_error *err);

/*
 * Read every *.sql file of dir (in name order; other files and hidden ones
 * are ignored) into an arena array *out of *n revisions.  Each name must
 * follow the file-name grammar and carry the revision id of its header.
 * A missing folder is AG_EIO suggesting `autogen init`; a bad file is the
 * error of ag_migration_parse or AG_EPARSE naming the file.
 */
int ag_migration_read_dir(const char *dir, ag_arena *arena, ag_migration **out,
                          size_t *n, ag_error *err);

/* ---- writing ---- */

/* What goes into a new revision's header. */
typedef struct ag_revision_header {
    const char *id;
    const char *const *parents;
    size_t nparents;
    const char *message;
    time_t created;
    ag_txn_mode txn;      /* "transaction" */
    ag_txn_mode down_txn; /* "downgrade-transaction", written when it
                             differs from txn */
    uint32_t hazards;
} ag_revision_header;

/* The file text: header, "-- autogen:upgrade", up_sql, "-- autogen:downgrade",
 * down_sql (either may be empty).  Newlines in the message become spaces. */
void ag_migration_render(const ag_revision_header *h, const char *up_sql,
                         const char *down_sql, ag_buf *out);
/* "YYYYMMDD_HHMM-<id>_<slug>.sql", in UTC. */
void ag_migration_filename(const ag_revision_header *h, ag_buf *out);
/* The message in lowercase ASCII letters and digits, every other run of
 * characters one '_', trimmed, at most 48 characters; "revision" when
 * nothing is left. */
void ag_migration_slug(const char *message, ag_buf *out);
/* 12 hex digits from /dev/urandom into out (NUL-terminated).  AG_EIO when
 * the device cannot be read. */
int ag_migration_new_id(char out[AG_REV_LEN + 1], ag_error *err);

/*
 * The transaction mode a generated revision needs.  PostgreSQL (12+) lets
 * ALTER TYPE ... ADD VALUE run in a transaction, but the new label cannot
 * be used before that transaction commits; so a plan that adds a label and
 * also mentions it as a literal elsewhere ('label', in a default, a check,
 * an index predicate) must run without a wrapping transaction.  *label
 * (may be NULL) gets the first such label (plan arena).
 */
ag_txn_mode ag_migration_txn_for_plan(const ag_plan *up, const char **label);

/* The mode the section of one direction runs in. */
ag_txn_mode ag_migration_txn(const ag_migration *m, bool down);

#endif
