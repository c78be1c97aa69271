/* The introspection session against a real server: every kind's query goes
 * out in one pipeline, so a query that fails half-way must still come
 * back as an error naming its kind, and leave the connection usable. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "autogen/introspect.h"
#include "harness.h"

static PGconn *
connect_as(const char *db, const char *user)
{
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "host='%s' dbname=%s user=%s",
             agt_pghost(), db, user);
    PGconn *conn = PQconnectdb(conninfo);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "connect: %s",
                 PQerrorMessage(conn));
    return conn;
}

static char *
schema_db(void)
{
    cr_assert_not_null(agt_pghost(), "run under with-postgres (ctest does)");
    char *why = NULL;
    char *db = agt_create_db("intro", &why);
    cr_assert_not_null(db, "%s", why ? why : "?");
    agt_result r;
    int rc = agt_psql_text(db,
                           "CREATE TABLE t (id int PRIMARY KEY, a text);\n"
                           "CREATE INDEX t_a ON t (a);\n"
                           "CREATE VIEW v AS SELECT a FROM t;\n",
                           &r);
    cr_assert_eq(rc, 0, "%s", r.err);
    agt_result_free(&r);
    return db;
}

Test(introspect, one_pipeline_reads_everything_and_can_run_again,
     .timeout = 60)
{
    char *db = schema_db();
    PGconn *conn = connect_as(db, "postgres");
    for (int round = 0; round < 2; round++) {
        ag_catalog cat;
        ag_catalog_init(&cat, "database");
        ag_introspect_stats stats = {0};
        ag_error err = {0};
        /* the second round inside the caller's transaction (a savepoint) */
        if (round == 1)
            PQclear(PQexec(conn, "BEGIN"));
        int rc = ag_introspect(conn, NULL, &cat, &stats, &err);
        cr_assert_eq(rc, 0, "round %d: %s", round, err.msg);
        cr_expect_not_null(ag_catalog_table(&cat, "public", "t"));
        cr_expect_not_null(
            ag_catalog_find(&cat, AG_KIND_INDEX, "public", "t_a"));
        const ag_view *v = ag_catalog_view(&cat, "public", "v");
        cr_assert_not_null(v);
        cr_expect_eq(v->ncols, 1, "the view's columns came from their query");
        cr_expect_gt(v->ndeps, 0, "and its dependencies from theirs");
        cr_expect_eq(PQpipelineStatus(conn), PQ_PIPELINE_OFF);
        ag_catalog_destroy(&cat);
    }
    cr_expect_eq(PQtransactionStatus(conn), PQTRANS_INTRANS,
                 "the caller's transaction is still open");
    PQclear(PQexec(conn, "ROLLBACK"));
    PQfinish(conn);
    agt_drop_db(db);
    free(db);
}

Test(introspect, a_query_failing_mid_pipeline_is_an_error_of_its_kind,
     .timeout = 60)
{
    char *db = schema_db();
    /* pg_get_indexdef is per database (pg_proc): revoking it here makes
     * only the indexes query fail, with queries before and after it in
     * the same pipeline. */
    agt_result r;
    char sql[512];
    snprintf(sql, sizeof sql,
             "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname "
             "= 'ag_intro_limited') THEN CREATE ROLE ag_intro_limited "
             "LOGIN; END IF; END$$;\n"
             "REVOKE EXECUTE ON FUNCTION pg_catalog.pg_get_indexdef(oid) "
             "FROM PUBLIC;\n");
    int rc = agt_psql_text(db, sql, &r);
    cr_assert_eq(rc, 0, "%s", r.err);
    agt_result_free(&r);

    PGconn *conn = connect_as(db, "ag_intro_limited");
    ag_catalog cat;
    ag_catalog_init(&cat, "database");
    ag_error err = {0};
    rc = ag_introspect(conn, NULL, &cat, NULL, &err);
    cr_assert_eq(rc, AG_EDB);
    cr_expect(strstr(err.msg, "introspecting indexes") &&
                  strstr(err.msg, "pg_get_indexdef"),
              "%s", err.msg);
    ag_catalog_destroy(&cat);

    /* the pipeline was drained and left: the session goes on */
    cr_expect_eq(PQpipelineStatus(conn), PQ_PIPELINE_OFF);
    cr_expect_eq(PQtransactionStatus(conn), PQTRANS_IDLE);
    PGresult *res = PQexec(conn, "SELECT 41 + 1");
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s",
                 PQerrorMessage(conn));
    cr_expect_str_eq(PQgetvalue(res, 0, 0), "42");
    PQclear(res);
    PQfinish(conn);
    agt_drop_db(db);
    free(db);
}
