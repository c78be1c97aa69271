/*
 * vtable.c - the version table: its SQL and reading it.
 *
 * Every statement that touches the table is built here, with the name
 * quoted by ident.c and values passed as parameters ($1, $2), so a
 * revision id or checksum never becomes SQL text.  Durations are measured
 * by the server in the same INSERT (clock_timestamp() minus the start of
 * the revision), so the --sql script records them just as a run does.
 */
#include <stdlib.h>
#include <string.h>

#include "autogen/ident.h"
#include "migrate_int.h"

static const char *
schema_of(const ag_runner_opts *o)
{
    return o->version_schema && *o->version_schema ? o->version_schema
                                                   : "public";
}

static const char *
table_of(const ag_runner_opts *o)
{
    return o->version_table && *o->version_table ? o->version_table
                                                 : "autogen_version";
}

void
ag_vtable_qname(const ag_runner_opts *o, ag_buf *out)
{
    ag_quote_qname(out, schema_of(o), table_of(o));
}

void
vt_sql_create_schema(const ag_runner_opts *o, ag_buf *out)
{
    ag_buf_put(out, "CREATE SCHEMA IF NOT EXISTS ");
    ag_quote_ident(out, schema_of(o));
}

void
vt_sql_create_table(const ag_runner_opts *o, ag_buf *out)
{
    ag_buf_put(out, "CREATE TABLE IF NOT EXISTS ");
    ag_vtable_qname(o, out);
    ag_buf_put(
        out, " (\n"
             "    revision text PRIMARY KEY,\n"
             "    checksum text NOT NULL,\n"
             "    applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
             "    duration_ms integer\n"
             ")");
}

void
vt_sql_mark_start(ag_buf *out)
{
    ag_buf_put(out, "SELECT set_config('autogen.revision_started', "
                    "clock_timestamp()::text, false)");
}

/* $n, or the value as a literal when one is given (the --sql form). */
static void
put_param(ag_buf *out, int n, const char *value)
{
    if (value)
        ag_quote_literal(out, value);
    else
        ag_buf_printf(out, "$%d", n);
}

void
vt_sql_insert(const ag_runner_opts *o, int timing, const char *rev,
              const char *sum, ag_buf *out)
{
    ag_buf_put(out, "INSERT INTO ");
    ag_vtable_qname(o, out);
    ag_buf_put(out, " (revision, checksum, duration_ms) VALUES (");
    put_param(out, 1, rev);
    ag_buf_put(out, ", ");
    put_param(out, 2, sum);
    ag_buf_put(out, ", ");
    if (timing == VT_FROM_XACT)
        ag_buf_put(out, "(extract(epoch FROM clock_timestamp() - now()) * "
                        "1000)::integer)");
    else if (timing == VT_FROM_MARK)
        ag_buf_put(out, "(extract(epoch FROM clock_timestamp() - "
                        "current_setting('autogen.revision_started')::"
                        "timestamptz) * 1000)::integer)");
    else
        ag_buf_put(out, "NULL)");
}

void
vt_sql_delete(const ag_runner_opts *o, const char *rev, ag_buf *out)
{
    ag_buf_put(out, "DELETE FROM ");
    ag_vtable_qname(o, out);
    ag_buf_put(out, " WHERE revision = ");
    put_param(out, 1, rev);
}

void
vt_sql_update_checksum(const ag_runner_opts *o, const char *rev,
                       const char *sum, ag_buf *out)
{
    ag_buf_put(out, "UPDATE ");
    ag_vtable_qname(o, out);
    ag_buf_put(out, " SET checksum = ");
    put_param(out, 2, sum);
    ag_buf_put(out, " WHERE revision = ");
    put_param(out, 1, rev);
}

static int
query_error(PGresult *res, PGconn *conn, const char *what, ag_error *err)
{
    const char *msg =
        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    int rc = ag_errorf(err, AG_EDB, "%s: %s", what,
                       msg ? msg : PQerrorMessage(conn));
    PQclear(res);
    return rc;
}

int
ag_vtable_read(PGconn *conn, const ag_runner_opts *o, ag_arena *arena,
               ag_vstate *vs, ag_error *err)
{
    memset(vs, 0, sizeof *vs);
    const char *params[2] = {schema_of(o), table_of(o)};
    PGresult *res = PQexecParams(
        conn,
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname "
        "= $1), EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN "
        "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
        "n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'))",
        2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return query_error(res, conn, "looking for the version table", err);
    vs->schema_exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    vs->exists = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    PQclear(res);
    if (!vs->exists)
        return 0;

    ag_buf q;
    ag_buf_init(&q);
    ag_buf_put(&q, "SELECT revision, checksum, to_char(applied_at AT TIME "
                   "ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                   "duration_ms::text FROM ");
    ag_vtable_qname(o, &q);
    ag_buf_put(&q, " ORDER BY applied_at, revision");
    res = PQexecParams(conn, q.data, 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        ag_buf_reset(&q);
        ag_buf_put(&q, "reading the version table ");
        ag_vtable_qname(o, &q);
        int rc = query_error(res, conn, q.data, err);
        ag_buf_free(&q);
        return rc;
    }
    ag_buf_free(&q);
    int n = PQntuples(res);
    vs->rows = ag_arena_alloc(arena, sizeof *vs->rows * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        ag_applied *r = &vs->rows[vs->nrows++];
        r->revision = ag_arena_strdup(arena, PQgetvalue(res, i, 0));
        r->checksum = ag_arena_strdup(arena, PQgetvalue(res, i, 1));
        r->applied_at = ag_arena_strdup(arena, PQgetvalue(res, i, 2));
        r->duration_ms = PQgetisnull(res, i, 3)
                             ? NULL
                             : ag_arena_strdup(arena, PQgetvalue(res, i, 3));
    }
    PQclear(res);
    return 0;
}

const ag_applied *
ag_vstate_find(const ag_vstate *vs, const char *id)
{
    for (size_t i = 0; i < vs->nrows; i++)
        if (strcmp(vs->rows[i].revision, id) == 0)
            return &vs->rows[i];
    return NULL;
}
