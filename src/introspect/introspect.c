/*
 * introspect.c - the introspection session: transaction, parameters, the
 * order of the per-kind queries, and the helpers they share (running a
 * counted query, reading fields, the oid -> table map).
 *
 * The query count is fixed: BEGIN, SET LOCAL, one query per kind, COMMIT
 * (or SAVEPOINT ... ROLLBACK TO/RELEASE inside a caller's transaction).
 */
#include "intro.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- oid map ---- */

static size_t
oid_slot(const ag_intro_oidmap *m, uint32_t oid)
{
    /* Fibonacci hashing: oids are dense, so spread them. */
    size_t i = (size_t)((oid * 2654435769u) & (uint32_t)(m->cap - 1));
    while (m->keys[i] && m->keys[i] != oid)
        i = (i + 1) & (m->cap - 1);
    return i;
}

void
ag_intro_map_put(ag_intro_oidmap *m, uint32_t oid, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        ag_intro_oidmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 1024;
        m->keys = ag_xcalloc(m->cap, sizeof *m->keys);
        m->vals = ag_xcalloc(m->cap, sizeof *m->vals);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i])
                ag_intro_map_put(m, old.keys[i], old.vals[i]);
        free(old.keys);
        free(old.vals);
    }
    size_t i = oid_slot(m, oid);
    if (!m->keys[i])
        m->n++;
    m->keys[i] = oid;
    m->vals[i] = val;
}

void *
ag_intro_map_get(const ag_intro_oidmap *m, uint32_t oid)
{
    if (!m->cap || !oid)
        return NULL;
    size_t i = oid_slot(m, oid);
    return m->keys[i] ? m->vals[i] : NULL;
}

void
ag_intro_map_free(ag_intro_oidmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- fields ---- */

const char *
ag_intro_get(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

const char *
ag_intro_dup(ag_intro *s, const PGresult *r, int row, int col)
{
    return ag_arena_strdup(&s->cat->arena, ag_intro_get(r, row, col));
}

int64_t
ag_intro_int64(const PGresult *r, int row, int col)
{
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

bool
ag_intro_bool(const PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col)[0] == 't';
}

uint32_t
ag_intro_oid(const PGresult *r, int row, int col)
{
    return (uint32_t)strtoul(PQgetvalue(r, row, col), NULL, 10);
}

/* ---- statements ---- */

/* The server's complaint about a failed statement, without "ERROR:" and
 * the trailing newline; PQerrorMessage when there is no result (lost
 * connection). */
static void
server_message(PGconn *conn, const PGresult *res, char *out, size_t size)
{
    const char *msg =
        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(conn);
    if (!msg || !*msg)
        msg = "no message from the server";
    size_t n = strcspn(msg, "\n");
    if (n >= size)
        n = size - 1;
    memcpy(out, msg, n);
    out[n] = '\0';
}

/* The next result of the pipeline and the NULL that ends it. */
static PGresult *
next_result(PGconn *conn)
{
    PGresult *res = PQgetResult(conn);
    if (res) {
        PGresult *end = PQgetResult(conn);
        PQclear(end); /* NULL after a query's one result */
    }
    return res;
}

int
ag_intro_query(ag_intro *s, const char *kind, const char *sql, int nparams,
               PGresult **out, ag_error *err)
{
    *out = NULL;
    if (s->sending) {
        s->queries++;
        if (!PQsendQueryParams(s->conn, sql, nparams, NULL,
                               nparams ? s->params : NULL, NULL, NULL, 0)) {
            char msg[512];
            server_message(s->conn, NULL, msg, sizeof msg);
            return ag_errorf(err, AG_EDB, "introspecting %s: %s", kind, msg);
        }
        return AG_INTRO_SENT;
    }
    PGresult *res;
    if (s->pipelined) {
        res = next_result(s->conn);
    } else {
        s->queries++;
        res = PQexecParams(s->conn, sql, nparams, NULL,
                           nparams ? s->params : NULL, NULL, NULL, 0);
    }
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        char msg[512];
        server_message(s->conn, res, msg, sizeof msg);
        PQclear(res);
        *out = NULL;
        return ag_errorf(err, AG_EDB, "introspecting %s: %s", kind, msg);
    }
    *out = res;
    return 0;
}

/* A statement that returns no rows (BEGIN, SET, COMMIT...). */
static int
command(ag_intro *s, const char *what, const char *sql, ag_error *err)
{
    s->queries++;
    PGresult *res = PQexec(s->conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        char msg[512];
        server_message(s->conn, res, msg, sizeof msg);
        PQclear(res);
        return ag_errorf(err, AG_EDB, "introspecting: %s: %s", what, msg);
    }
    PQclear(res);
    return 0;
}

/* Schema names as a text[] literal: {"a","b \"q\""}. */
static char *
schemas_literal(const ag_introspect_opts *opts)
{
    if (!opts || !opts->nschemas)
        return NULL;
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_putc(&b, '{');
    for (size_t i = 0; i < opts->nschemas; i++) {
        ag_buf_put(&b, i ? ",\"" : "\"");
        for (const char *p = opts->schemas[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                ag_buf_putc(&b, '\\');
            ag_buf_putc(&b, *p);
        }
        ag_buf_putc(&b, '"');
    }
    ag_buf_putc(&b, '}');
    char *lit = ag_buf_detach(&b);
    ag_buf_free(&b);
    return lit;
}

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef int (*kind_fn)(ag_intro *s, ag_error *err);

/* Order matters only for columns, which attach to tables read before. */
static const kind_fn kinds[] = {
    ag_intro_schemas,        ag_intro_extensions,   ag_intro_enums,
    ag_intro_domains,        ag_intro_composites,   ag_intro_sequences,
    ag_intro_functions,      ag_intro_tables,       ag_intro_columns,
    ag_intro_constraints,    ag_intro_indexes,      ag_intro_triggers,
    ag_intro_views,          ag_intro_view_columns, ag_intro_view_deps,
    ag_intro_aggregates,     ag_intro_operators,
    ag_intro_casts,          ag_intro_inherits,     ag_intro_policies,
    ag_intro_event_triggers, ag_intro_publications,
};

/* Read what is left of the pipeline up to its sync and leave pipeline
 * mode; 0, or AG_EDB when the connection broke. */
static int
end_pipeline(ag_intro *s, ag_error *err)
{
    /* A NULL ends one query's results; two in a row mean nothing more is
     * pending (the sync was never sent, or the connection broke). */
    for (int nulls = 0; nulls < 2;) {
        PGresult *res = PQgetResult(s->conn);
        if (!res) {
            nulls++;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(res);
        PQclear(res);
        if (st == PGRES_PIPELINE_SYNC)
            break;
    }
    s->pipelined = false;
    if (!PQexitPipelineMode(s->conn)) {
        char msg[512];
        server_message(s->conn, NULL, msg, sizeof msg);
        return ag_errorf(err, AG_EDB, "introspecting: %s", msg);
    }
    return 0;
}

/* Every kind's query is sent at once in one pipeline, then every kind
 * reads its result in the order sent: the server runs the next query
 * while autogen reads the last one's rows, and a remote database costs
 * one round trip instead of one per kind.  (The queries are a few tens
 * of kB, well inside the socket buffers, so sending them all before
 * reading cannot block on a server that is busy writing results.) */
static int
run_kinds(ag_intro *s, ag_error *err)
{
    size_t n = sizeof kinds / sizeof kinds[0];
    if (!PQenterPipelineMode(s->conn)) {
        /* not possible (e.g. a libpq older than 14): one by one */
        int rc = 0;
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = kinds[i](s, err);
        return rc;
    }
    s->pipelined = true;
    s->sending = true;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        rc = kinds[i](s, err);
        if (rc != AG_INTRO_SENT)
            break;
        rc = 0;
    }
    s->sending = false;
    /* Sent even after a failed send, so that what was sent completes. */
    if (!PQpipelineSync(s->conn) && rc == 0) {
        char msg[512];
        server_message(s->conn, NULL, msg, sizeof msg);
        rc = ag_errorf(err, AG_EDB, "introspecting: %s", msg);
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = kinds[i](s, err);
    ag_error end_err;
    int end_rc = end_pipeline(s, &end_err);
    if (rc == 0 && end_rc != 0) {
        *err = end_err;
        rc = end_rc;
    }
    return rc;
}

/* Run every kind inside our own transaction (ended by COMMIT, or ROLLBACK
 * after a failure) or inside a savepoint of the caller's transaction
 * (always rolled back to, which also undoes SET LOCAL).  Returns the first
 * error; a failure to end the block is reported only when all else
 * succeeded. */
static int
run_session(ag_intro *s, bool own_txn, ag_error *err)
{
    int rc = own_txn ? command(s, "starting a transaction",
                               "BEGIN ISOLATION LEVEL REPEATABLE READ "
                               "READ ONLY",
                               err)
                     : command(s, "setting a savepoint",
                               "SAVEPOINT autogen_introspect", err);
    if (rc)
        return rc;
    rc = command(s, "emptying search_path", "SET LOCAL search_path = ''", err);
    if (rc == 0)
        rc = run_kinds(s, err);

    ag_error end_err;
    int end_rc;
    if (own_txn) {
        end_rc = rc == 0 ? command(s, "committing", "COMMIT", &end_err)
                         : command(s, "rolling back", "ROLLBACK", &end_err);
    } else {
        end_rc = command(s, "leaving the savepoint",
                         "ROLLBACK TO SAVEPOINT autogen_introspect", &end_err);
        if (end_rc == 0)
            end_rc = command(s, "leaving the savepoint",
                             "RELEASE SAVEPOINT autogen_introspect", &end_err);
    }
    if (rc == 0 && end_rc != 0) {
        *err = end_err;
        rc = end_rc;
    }
    return rc;
}

int
ag_introspect(PGconn *conn, const ag_introspect_opts *opts, ag_catalog *cat,
              ag_introspect_stats *stats, ag_error *err)
{
    double t0 = now_seconds();
    ag_intro s = {.conn = conn, .cat = cat};
    s.server_version = PQserverVersion(conn);
    /* attgenerated (12) is the newest column the queries read. */
    if (s.server_version < 120000)
        return ag_errorf(err, AG_EUNSUPPORTED,
                         "introspecting: PostgreSQL %d.%d is not supported "
                         "(12 or later is needed)",
                         s.server_version / 10000, s.server_version % 10000);

    bool own_txn;
    switch (PQtransactionStatus(conn)) {
    case PQTRANS_IDLE:
        own_txn = true;
        break;
    case PQTRANS_INTRANS:
        own_txn = false;
        break;
    default:
        return ag_errorf(err, AG_EDB,
                         "introspecting: the connection is busy or its "
                         "transaction has failed");
    }

    char *schemas = schemas_literal(opts);
    s.params[0] = schemas;
    s.params[1] =
        opts && opts->version_schema ? opts->version_schema : "public";
    s.params[2] =
        opts && opts->version_table ? opts->version_table : "autogen_version";
    int rc = run_session(&s, own_txn, err);
    free(schemas);
    ag_intro_map_free(&s.tables);
    ag_intro_map_free(&s.views);
    if (rc == 0)
        ag_catalog_seal(cat);
    if (stats) {
        stats->queries = s.queries;
        stats->seconds = now_seconds() - t0;
    }
    return rc;
}
