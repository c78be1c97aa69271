/*
 * introspect.h - read a live database's schema into an ag_catalog.
 *
 * The database-side front end: the same catalog the loader fills from model
 * files, built from pg_catalog with a fixed number of set-based queries (one
 * per object kind, comments folded in) in one REPEATABLE READ READ ONLY
 * transaction with an empty search_path, so pg_get_*def() and format_type()
 * schema-qualify every name outside pg_catalog.  Never information_schema.
 *
 * What is left out: system schemas, extension members (including schemas an
 * extension created), the plpgsql extension, partitions with their cloned
 * constraints and attached indexes, dropped and system columns, identity
 * sequences, and autogen's version table with everything attached to it.
 * Only tables, columns, constraints (p, u, c, f, x), stand-alone indexes
 * (on materialized views too), sequences, enums, extensions, schemas,
 * functions and procedures, user triggers (on views too), domains,
 * composite types, and views and materialized views (with their columns
 * and dependencies) are read; other kinds (aggregates...) are not managed
 * yet and do not appear.
 */
#ifndef AUTOGEN_INTROSPECT_H
#define AUTOGEN_INTROSPECT_H

#include <libpq-fe.h>

#include "autogen/catalog.h"

typedef struct ag_introspect_opts {
    /* Schemas to read; empty = every user schema.  Extensions are read when
     * the schema they are installed into is in scope (all of them when no
     * schema is named). */
    const char *const *schemas;
    size_t nschemas;
    const char *version_schema; /* schema of autogen's version table;
                                   NULL = "public" */
    const char *version_table;  /* NULL = "autogen_version"; never part of
                                   the catalog */
} ag_introspect_opts;

typedef struct ag_introspect_stats {
    int queries;    /* statements sent, BEGIN/SET/COMMIT included */
    double seconds; /* wall time of ag_introspect */
} ag_introspect_stats;

/*
 * Fill `cat` (already ag_catalog_init'ed, normally empty) from the database
 * behind `conn`, then ag_catalog_seal it.  opts may be NULL (defaults);
 * stats may be NULL.
 *
 * The connection must be idle or inside a transaction block.  When idle the
 * reads run in their own REPEATABLE READ READ ONLY transaction; inside a
 * block (e.g. a runner checking its own work before COMMIT) they run in a
 * savepoint that is rolled back, so the caller's transaction and settings
 * are left as they were.
 *
 * Returns 0, AG_EDB ("introspecting <kind>: <server message>") when a query
 * fails, AG_EUNSUPPORTED for a server older than PostgreSQL 12, or the
 * error of a canon function (AG_EPARSE) prefixed with the object it was
 * reading.  On failure `cat` holds a partial catalog the caller destroys.
 */
int ag_introspect(PGconn *conn, const ag_introspect_opts *opts, ag_catalog *cat,
                  ag_introspect_stats *stats, ag_error *err);

#endif
