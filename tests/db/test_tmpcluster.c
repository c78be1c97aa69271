/* Tests for src/pgtmp: a throwaway cluster starts, serves, and leaves nothing
 * behind; a server that cannot start comes back as an error with its log. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autogen/tmpcluster.h"

Test(tmpcluster, starts_serves_and_cleans_up, .timeout = 120)
{
    ag_tmpcluster c;
    memset(&c, 0, sizeof c);
    ag_error err = {0};
    int rc = ag_tmpcluster_start(&c, &err);
    cr_assert_eq(rc, 0, "start: %s", err.msg);

    const char *dir = ag_tmpcluster_socket_dir(&c);
    char sock[512];
    snprintf(sock, sizeof sock, "%s/.s.PGSQL.%d", dir, ag_tmpcluster_port(&c));
    struct stat st;
    cr_assert_eq(stat(sock, &st), 0, "no socket at %s", sock);

    char conninfo[600];
    snprintf(conninfo, sizeof conninfo, "host='%s' port=%d dbname=postgres user=postgres",
             dir, ag_tmpcluster_port(&c));
    PGconn *conn = PQconnectdb(conninfo);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "connect: %s", PQerrorMessage(conn));
    PGresult *res = PQexec(conn, "SELECT current_setting('fsync'), "
                                 "current_setting('listen_addresses'), "
                                 "current_setting('server_encoding'), "
                                 "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)");
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
    cr_expect_str_eq(PQgetvalue(res, 0, 0), "off");
    cr_expect_str_eq(PQgetvalue(res, 0, 1), "");
    cr_expect_str_eq(PQgetvalue(res, 0, 2), "UTF8");
    cr_expect_str_eq(PQgetvalue(res, 0, 3), "t");
    PQclear(res);
    PQfinish(conn);

    char base[AG_TMPCLUSTER_PATH_MAX];
    memcpy(base, c.base_dir, sizeof base);
    rc = ag_tmpcluster_stop(&c, &err);
    cr_assert_eq(rc, 0, "stop: %s", err.msg);
    cr_assert_neq(stat(base, &st), 0, "%s is still there after stop", base);
    cr_assert_eq(ag_tmpcluster_stop(&c, &err), 0, "a second stop is a no-op");
}

Test(tmpcluster, failed_start_reports_the_server_log, .timeout = 120)
{
    ag_tmpcluster c;
    memset(&c, 0, sizeof c);
    c.port = 99999; /* initdb succeeds, the server refuses the setting */
    ag_error err = {0};
    int rc = ag_tmpcluster_start(&c, &err);
    cr_assert_eq(rc, AG_EDB, "got %s: %s", ag_errname(rc), err.msg);
    cr_expect(strstr(err.msg, "during startup") != NULL, "%s", err.msg);
    cr_expect(strstr(err.msg, "port") != NULL, "log tail missing: %s", err.msg);
    struct stat st;
    cr_expect(c.base_dir[0] == '\0' || stat(c.base_dir, &st) != 0,
              "%s left behind", c.base_dir);
}

Test(tmpcluster, finds_the_server_binaries)
{
    char dir[AG_TMPCLUSTER_PATH_MAX];
    ag_error err = {0};
    cr_assert_eq(ag_tmpcluster_find_bindir(dir, sizeof dir, &err), 0, "%s", err.msg);
    char initdb[AG_TMPCLUSTER_PATH_MAX + 16];
    snprintf(initdb, sizeof initdb, "%s/initdb", dir);
    cr_assert_eq(access(initdb, X_OK), 0, "%s", initdb);
}
