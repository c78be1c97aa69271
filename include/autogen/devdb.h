/*
 * devdb.h - the dev database: the server's own canonical form of what
 * parse-side rules cannot settle.
 *
 * A view's definition is compared in the text pg_get_viewdef prints (it
 * expands `SELECT *`, adds casts, qualifies columns), its columns' types
 * are what the server infers, and what it reads comes from pg_depend:
 * none of that can be computed from a model file alone.  So when the
 * models hold views, the whole model is planned against the dev database
 * (ag_diff), run there inside ONE transaction, introspected with the
 * normal queries, and the transaction is ROLLED BACK: the dev database is
 * left exactly as it was.  The views' canonical text, columns and
 * dependencies are then copied into the model catalog.
 *
 * The dev database is an existing, preferably empty, database (--dev-url,
 * dev_url in autogen.ini, or AUTOGEN_DEV_URL), or a throwaway local
 * PostgreSQL started with tmpcluster.h and removed afterwards.  Runs that
 * share one dev database take turns (a transaction-level advisory lock).
 * The CLI caches the answer on disk (devcache.h), so a run with unchanged
 * models needs no dev database at all.
 */
#ifndef AUTOGEN_DEVDB_H
#define AUTOGEN_DEVDB_H

#include <libpq-fe.h>

#include "autogen/catalog.h"
#include "autogen/tmpcluster.h"

/* Does the model catalog need a dev database (does it hold views)? */
bool ag_devdb_needed(const ag_catalog *models);

typedef struct ag_devdb {
    PGconn *conn;
    ag_tmpcluster cluster; /* started when no URL was given */
    bool own_cluster;
} ag_devdb;

/* Connect to `url`, or when url is NULL or "" start a throwaway cluster
 * and connect to it.  *d must be zeroed.  Returns 0, or AG_EDB / AG_EIO
 * with err saying what failed and what to do (the URL masked).  Call
 * ag_devdb_close also after a failure. */
int ag_devdb_open(ag_devdb *d, const char *url, ag_error *err);
void ag_devdb_close(ag_devdb *d);

/*
 * Run the models in the dev database behind conn (idle) inside one
 * transaction, introspect it, roll back, and give every view of `models`
 * the server's definition, columns (with their comments) and dependencies.
 * Column defaults and generation expressions, CHECK constraints and
 * domain defaults and checks get the server's text too: some only the
 * server can print (a constant of a domain type, a CHECK on a domain over
 * a domain, which gains a cast of VALUE).
 *
 * `like` (may be NULL) is the live database's session: the dev session
 * takes its TimeZone, DateStyle and IntervalStyle, since they decide how
 * constants print, so that both sides print them alike.
 *
 * `models` must be sealed; its strings stay in its own arena.  Returns 0,
 * or AG_EDB with "dev database: ..." and the server's message (a model
 * the server refuses, e.g. a view reading a column that does not exist).
 */
int ag_devdb_canon(PGconn *conn, PGconn *like, ag_catalog *models,
                   ag_error *err);

/* ag_devdb_canon in its two halves, so that the dev catalog can be cached
 * (devcache.h) and a cached one adopted without a dev database.
 *
 * ag_devdb_read: the transaction alone; `dev` (initialised by the caller,
 * destroyed by the caller also after a failure) receives the dev
 * database's catalog as introspected before the ROLLBACK.
 *
 * ag_devdb_adopt: the copying alone; from `dev` it reads the views (def,
 * check_option, security flags, columns with name, type, comment and
 * default, dependencies), the tables' columns (name, type, collation,
 * notnull, comment, default, generation expression), the CHECK
 * constraints' def and the domains' default and checks: nothing else, so
 * a partial catalog holding only those serves as well.  Strings are copied
 * into models' arena; dev can be destroyed afterwards.  AG_EDB when a
 * model view or CREATE TABLE AS table is missing from dev. */
int ag_devdb_read(PGconn *conn, PGconn *like, ag_catalog *models,
                  ag_catalog *dev, ag_error *err);
int ag_devdb_adopt(ag_catalog *models, const ag_catalog *dev, ag_error *err);

#endif
