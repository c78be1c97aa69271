/*
 * lock.c - the advisory lock that keeps two runners apart.
 *
 * A session lock (not a transaction one: a revision run without a
 * transaction must stay covered), on the session that applies, keyed by
 * the version table's qualified name so that two projects sharing a
 * database with different version tables do not wait for each other.
 * It is polled with pg_try_advisory_lock and a growing pause, never taken
 * with the blocking pg_advisory_lock: a runner blocked in that call sits in
 * an open transaction, and CREATE INDEX CONCURRENTLY in the runner holding
 * the lock waits for every open transaction to end, so both would wait
 * for ever (Atlas polls for the same reason).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "migrate_int.h"

static char *
lock_key(const ag_runner_opts *o)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_put(&b, "autogen:");
    ag_vtable_qname(o, &b);
    char *key = ag_buf_detach(&b);
    ag_buf_free(&b);
    return key;
}

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* "12345" / "12345, 12346": server processes holding the lock, or "". */
static char *
holders(PGconn *conn, const char *key)
{
    const char *params[1] = {key};
    PGresult *res = PQexecParams(
        conn,
        "SELECT coalesce(string_agg(l.pid::text, ', ' ORDER BY l.pid), '') "
        "FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND "
        "l.granted AND l.objsubid = 1 AND l.database = (SELECT oid FROM "
        "pg_catalog.pg_database WHERE datname = current_database()) AND "
        "((l.classid::bigint << 32) | l.objid::bigint) = "
        "hashtextextended($1, 0)",
        1, NULL, params, NULL, NULL, 0);
    char *out = ag_xstrdup(
        PQresultStatus(res) == PGRES_TUPLES_OK ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return out;
}

int
ag_runner_lock(PGconn *conn, const ag_runner_opts *o, ag_error *err)
{
    char *key = lock_key(o);
    const char *params[1] = {key};
    double start = now_ms();
    long pause = 50;
    int rc = 0;
    for (;;) {
        PGresult *res = PQexecParams(
            conn,
            "SELECT pg_catalog.pg_try_advisory_lock(hashtextextended($1, 0))",
            1, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
            rc = ag_errorf(err, AG_EDB, "taking the migration lock: %s",
                           msg ? msg : PQerrorMessage(conn));
            PQclear(res);
            break;
        }
        bool got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        PQclear(res);
        if (got)
            break;
        double waited = now_ms() - start;
        if (waited >= o->lock_wait_ms) {
            char *who = holders(conn, key);
            rc = ag_errorf(err, AG_ELOCKED,
                           "another autogen is migrating this database (the "
                           "migration lock is held by server process %s); "
                           "gave up after %.1f s (lock_wait in autogen.ini, "
                           "or --lock-wait)",
                           *who ? who : "?", waited / 1e3);
            free(who);
            break;
        }
        long left = (long)(o->lock_wait_ms - waited) + 1;
        pause_ms(pause < left ? pause : left);
        if (pause < 1000)
            pause *= 2;
    }
    free(key);
    return rc;
}

void
ag_runner_unlock(PGconn *conn, const ag_runner_opts *o)
{
    char *key = lock_key(o);
    const char *params[1] = {key};
    PGresult *res = PQexecParams(
        conn, "SELECT pg_catalog.pg_advisory_unlock(hashtextextended($1, 0))",
        1, NULL, params, NULL, NULL, 0);
    PQclear(res);
    free(key);
}
