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

Test(tmpcluster, extra_settings_reach_the_server, .timeout = 120)
{
    /* max_locks_per_transaction overrides a default; listen_addresses must
     * not: the cluster stays on its private socket whatever the caller says. */
    static const char *const settings[] = {"work_mem=7MB",
                                           "max_locks_per_transaction=300",
                                           "listen_addresses=localhost"};
    ag_tmpcluster c;
    memset(&c, 0, sizeof c);
    c.settings = settings;
    c.nsettings = 3;
    ag_error err = {0};
    cr_assert_eq(ag_tmpcluster_start(&c, &err), 0, "start: %s", err.msg);
    char conninfo[600];
    snprintf(conninfo, sizeof conninfo, "host='%s' port=%d dbname=postgres user=postgres",
             ag_tmpcluster_socket_dir(&c), ag_tmpcluster_port(&c));
    PGconn *conn = PQconnectdb(conninfo);
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "connect: %s", PQerrorMessage(conn));
    /* Settings come from the command line, and the defaults still apply. */
    PGresult *res = PQexec(conn, "SELECT current_setting('work_mem'), "
                                 "(SELECT source FROM pg_settings WHERE name = 'work_mem'), "
                                 "current_setting('fsync'), "
                                 "current_setting('max_locks_per_transaction'), "
                                 "current_setting('listen_addresses')");
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQerrorMessage(conn));
    cr_expect_str_eq(PQgetvalue(res, 0, 0), "7MB");
    cr_expect_str_eq(PQgetvalue(res, 0, 1), "command line");
    cr_expect_str_eq(PQgetvalue(res, 0, 2), "off");
    cr_expect_str_eq(PQgetvalue(res, 0, 3), "300");
    cr_expect_str_eq(PQgetvalue(res, 0, 4), "");
    PQclear(res);
    PQfinish(conn);
    cr_assert_eq(ag_tmpcluster_stop(&c, &err), 0, "stop: %s", err.msg);
}

Test(tmpcluster, a_setting_without_a_name_is_refused)
{
    static const char *const settings[] = {"work_mem=4MB", "=oops"};
    ag_tmpcluster c;
    memset(&c, 0, sizeof c);
    c.settings = settings;
    c.nsettings = 2;
    ag_error err = {0};
    int rc = ag_tmpcluster_start(&c, &err);
    cr_assert_eq(rc, AG_EINVAL, "got %s: %s", ag_errname(rc), err.msg);
    cr_expect(strstr(err.msg, "=oops") != NULL, "%s", err.msg);
    cr_expect(c.base_dir[0] == '\0', "a directory was made: %s", c.base_dir);
    cr_expect_eq(c.pid, 0);
}
