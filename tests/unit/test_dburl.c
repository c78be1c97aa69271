/* Unit tests for src/db: driver stripping, password masking, URL
 * precedence, ${VAR} expansion, .env parsing and connection errors (against
 * a socket directory that does not exist, so no server is needed).
 * Criterion forks per test, so environment changes stay inside one test. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autogen/db.h"

static char *
masked(const char *url)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_db_mask_url(url, &b);
    char *s = ag_xstrdup(b.data);
    ag_buf_free(&b);
    return s;
}

#define ASSERT_MASK(in, want)                                           \
    do {                                                                \
        char *m_ = masked(in);                                          \
        cr_assert_str_eq(m_, want, "mask(%s)", in);                     \
        free(m_);                                                       \
    } while (0)

#define ASSERT_STRIP(in, want)                                          \
    do {                                                                \
        char *s_ = ag_db_strip_driver(in);                              \
        cr_assert_str_eq(s_, want, "strip(%s)", in);                    \
        free(s_);                                                       \
    } while (0)

Test(dburl, strips_sqlalchemy_driver)
{
    ASSERT_STRIP("postgresql+asyncpg://u:p@h:5432/db",
                 "postgresql://u:p@h:5432/db");
    ASSERT_STRIP("postgresql+psycopg2://h/db", "postgresql://h/db");
    ASSERT_STRIP("postgres+x://h/db", "postgres://h/db");
    ASSERT_STRIP("postgresql://h/db", "postgresql://h/db");
    ASSERT_STRIP("host=h dbname=d", "host=h dbname=d");
    ASSERT_STRIP("", "");
    /* asyncpg spells libpq's sslmode "ssl"; libpq rejects unknown keys. */
    ASSERT_STRIP("postgresql+asyncpg://h/db?ssl=require&application_name=x",
                 "postgresql://h/db?sslmode=require&application_name=x");
    ASSERT_STRIP("postgresql+asyncpg://h/db?x=1&ssl=true",
                 "postgresql://h/db?x=1&sslmode=require");
    ASSERT_STRIP("postgresql://h/db?ssl=true", "postgresql://h/db?ssl=true");
    /* Not ours to touch: another database, or no driver name at all. */
    ASSERT_STRIP("mysql+pymysql://h/db", "mysql+pymysql://h/db");
    ASSERT_STRIP("postgresql+://h/db", "postgresql+://h/db");
}

Test(dburl, masks_url_passwords)
{
    ASSERT_MASK("postgresql://u:secret@h/db", "postgresql://u:****@h/db");
    ASSERT_MASK("postgresql://u:p%40ss%2Fw0rd@h:5432/db?sslmode=require",
                "postgresql://u:****@h:5432/db?sslmode=require");
    /* An unencoded '@' or '/' in the password is still hidden whole. */
    ASSERT_MASK("postgresql://u:p@ss/x@h/db", "postgresql://u:****@h/db");
    ASSERT_MASK("postgresql+asyncpg://app:pw@db.internal/app",
                "postgresql+asyncpg://app:****@db.internal/app");
    ASSERT_MASK("postgresql://:pw@h", "postgresql://:****@h");
    ASSERT_MASK("postgresql://u:pw@h1:5432,h2:5433/db",
                "postgresql://u:****@h1:5432,h2:5433/db");
}

Test(dburl, leaves_urls_without_password_alone)
{
    ASSERT_MASK("postgresql://u@h/db", "postgresql://u@h/db");
    ASSERT_MASK("postgresql://h:5432/db", "postgresql://h:5432/db");
    ASSERT_MASK("postgresql:///db?host=/tmp/x", "postgresql:///db?host=/tmp/x");
    ASSERT_MASK("host=/tmp/x dbname=d", "host=/tmp/x dbname=d");
    ASSERT_MASK("", "");
}

Test(dburl, masks_query_and_keyword_passwords)
{
    ASSERT_MASK("postgresql://h/db?user=u&password=s3cret&sslmode=disable",
                "postgresql://h/db?user=u&password=****&sslmode=disable");
    ASSERT_MASK("postgresql://h/db?PASSWORD=x#frag",
                "postgresql://h/db?PASSWORD=****#frag");
    ASSERT_MASK("host=h password=secret dbname=d",
                "host=h password=**** dbname=d");
    ASSERT_MASK("host=h password = 'se cret\\'s' dbname=d",
                "host=h password = **** dbname=d");
    ASSERT_MASK("password=a\\ b user=u", "password=**** user=u");
    /* "passwordx" is not the password keyword. */
    ASSERT_MASK("passwordx=1 password=2", "passwordx=1 password=****");
}

Test(dburl, precedence_cli_config_env_libpq)
{
    setenv("DATABASE_URL", "postgresql+psycopg2://env/db", 1);
    char *u = NULL;
    cr_assert_eq(ag_db_resolve_url("postgresql://cli/db",
                                   "postgresql://cfg/db", &u, NULL), 0);
    cr_assert_str_eq(u, "postgresql://cli/db");
    cr_assert_str_eq(ag_db_url_source("x", "y"), "--url");
    free(u);

    cr_assert_eq(ag_db_resolve_url(NULL, "postgresql+asyncpg://cfg/db", &u,
                                   NULL), 0);
    cr_assert_str_eq(u, "postgresql://cfg/db");
    free(u);

    /* Empty strings count as absent. */
    cr_assert_eq(ag_db_resolve_url("", "", &u, NULL), 0);
    cr_assert_str_eq(u, "postgresql://env/db");
    cr_assert_str_eq(ag_db_url_source("", NULL), "DATABASE_URL");
    free(u);

    unsetenv("DATABASE_URL");
    cr_assert_eq(ag_db_resolve_url(NULL, NULL, &u, NULL), 0);
    cr_assert_str_eq(u, "");
    cr_assert_str_eq(ag_db_url_source(NULL, NULL),
                     "libpq defaults (PG* variables)");
    free(u);
}

Test(dburl, expands_environment_variables)
{
    setenv("AG_T_HOST", "db.example", 1);
    setenv("AG_T_EMPTY", "", 1);
    unsetenv("AG_T_UNSET");
    char *out = NULL;
    ag_error err = {0};
    cr_assert_eq(ag_db_expand_vars("postgresql://u@${AG_T_HOST}:"
                                   "${AG_T_UNSET:-5432}/${AG_T_EMPTY:-app}"
                                   "?x=$1",
                                   &out, &err),
                 0, "%s", err.msg);
    cr_assert_str_eq(out, "postgresql://u@db.example:5432/app?x=$1");
    free(out);

    cr_assert_eq(ag_db_expand_vars("${AG_T_EMPTY}", &out, &err), 0);
    cr_assert_str_eq(out, "");
    free(out);

    cr_assert_eq(ag_db_expand_vars("postgresql://${AG_T_UNSET}/db", &out, &err),
                 AG_ECONFIG);
    cr_assert_null(out);
    cr_assert(strstr(err.msg, "AG_T_UNSET"), "%s", err.msg);

    cr_assert_eq(ag_db_expand_vars("x${AG_T_HOST", &out, &err), AG_ECONFIG);
    cr_assert_eq(ag_db_expand_vars("x${}", &out, &err), AG_ECONFIG);
}

static char *
write_temp(const char *text)
{
    char *path = ag_xmalloc(64);
    snprintf(path, 64, "/tmp/ag_test_dotenv_XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    size_t len = strlen(text);
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

Test(dburl, dotenv_sets_only_unset_variables)
{
    setenv("AG_T_REAL", "from-environment", 1);
    unsetenv("AG_T_A");
    unsetenv("AG_T_B");
    unsetenv("AG_T_C");
    unsetenv("AG_T_D");
    unsetenv("AG_T_E");
    unsetenv("AG_T_F");
    char *path = write_temp("# a comment\n"
                            "\n"
                            "AG_T_A=plain value   # trailing comment\n"
                            "export AG_T_B = 'single # not a comment $X'\n"
                            "AG_T_C=\"line1\\nq\\\"uote\"  # c\n"
                            "AG_T_REAL=from-dotenv\n"
                            "  AG_T_D=a#b\r\n"
                            "AG_T_E=\"multi\n"
                            "line\"\n"
                            "AG_T_F=\n");
    ag_error err = {0};
    cr_assert_eq(ag_db_load_dotenv(path, &err), 0, "%s", err.msg);
    cr_assert_str_eq(getenv("AG_T_A"), "plain value");
    cr_assert_str_eq(getenv("AG_T_B"), "single # not a comment $X");
    cr_assert_str_eq(getenv("AG_T_C"), "line1\nq\"uote");
    cr_assert_str_eq(getenv("AG_T_REAL"), "from-environment");
    cr_assert_str_eq(getenv("AG_T_D"), "a#b");
    cr_assert_str_eq(getenv("AG_T_E"), "multi\nline");
    cr_assert_not_null(getenv("AG_T_F"));
    cr_assert_str_eq(getenv("AG_T_F"), "");
    unlink(path);
    free(path);
}

Test(dburl, dotenv_malformed_names_line_and_sets_nothing)
{
    unsetenv("AG_T_OK");
    char *path = write_temp("AG_T_OK=1\n"
                            "# fine\n"
                            "this line is wrong\n");
    ag_error err = {0};
    cr_assert_eq(ag_db_load_dotenv(path, &err), AG_ECONFIG);
    cr_assert(strstr(err.msg, ":3:"), "%s", err.msg);
    cr_assert_null(getenv("AG_T_OK"));
    unlink(path);
    free(path);

    path = write_temp("AG_T_OK=1\nAG_T_Q=\"never closed\nmore\n");
    cr_assert_eq(ag_db_load_dotenv(path, &err), AG_ECONFIG);
    cr_assert(strstr(err.msg, ":2:"), "%s", err.msg);
    cr_assert(strstr(err.msg, "unterminated"), "%s", err.msg);
    cr_assert_null(getenv("AG_T_OK"));
    unlink(path);
    free(path);

    path = write_temp("AG_T_OK='x' trailing\n");
    cr_assert_eq(ag_db_load_dotenv(path, &err), AG_ECONFIG);
    unlink(path);
    free(path);
}

Test(dburl, dotenv_missing_file_is_fine)
{
    ag_error err = {0};
    cr_assert_eq(ag_db_load_dotenv("/tmp/ag_no_such_dir/.env", &err), 0);
}

Test(dburl, connect_error_hides_password)
{
    PGconn *conn = (PGconn *)1;
    ag_error err = {0};
    int rc = ag_db_connect(
        "postgresql://u:topsecret@/db?host=/nonexistent/ag_socket_dir", &conn,
        &err);
    cr_assert_eq(rc, AG_EDB);
    cr_assert_null(conn);
    cr_assert_null(strstr(err.msg, "topsecret"), "%s", err.msg);
    cr_assert(strstr(err.msg, "postgresql://u:****@/db"), "%s", err.msg);

    /* libpq's own parse error would quote the bad password token. */
    rc = ag_db_connect("postgresql://u:top%zzsecret@/db", &conn, &err);
    cr_assert_eq(rc, AG_EDB);
    cr_assert_null(strstr(err.msg, "top%zz"), "%s", err.msg);
    cr_assert_null(strstr(err.msg, "zzsecret"), "%s", err.msg);

    /* A SQLAlchemy URL handed straight to connect is understood too. */
    rc = ag_db_connect("postgresql+asyncpg://u:topsecret@/db?host=/nonexistent"
                       "/ag_socket_dir",
                       &conn, &err);
    cr_assert_eq(rc, AG_EDB);
    cr_assert_null(strstr(err.msg, "topsecret"), "%s", err.msg);
    cr_assert(strstr(err.msg, "ag_socket_dir/.s.PGSQL"), "%s", err.msg);

    rc = ag_db_connect("host=/nonexistent/ag_socket_dir password=topsecret "
                       "dbname=d",
                       &conn, &err);
    cr_assert_eq(rc, AG_EDB);
    cr_assert_null(strstr(err.msg, "topsecret"), "%s", err.msg);
    cr_assert(strstr(err.msg, "password=****"), "%s", err.msg);
}
