/*
 * devkey.c - the key of a dev-database cache entry: everything the dev
 * database's answer depends on, hashed (see devcache.h).
 */
#include "autogen/devcache.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "autogen/diff.h"
#include "autogen/emit.h"
#include "autogen/sha256.h"
#include "autogen/tmpcluster.h"

extern char **environ;

/* `<bindir>/postgres --version`: the first line of its output into out.
 * Spawned without a shell, so the path needs no quoting.  (postgres
 * answers --version before its refusal to run as root.) */
static int
postgres_version(const char *bindir, ag_buf *out, ag_error *err)
{
    char path[AG_TMPCLUSTER_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/postgres", bindir);
    int fds[2];
    if (pipe(fds) != 0)
        return ag_errorf(err, AG_EIO, "pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char *argv[] = {path, "--version", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return ag_errorf(err, AG_EIO, "running %s --version: %s", path,
                         strerror(rc));
    }
    char chunk[256];
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof chunk)) > 0 ||
           (n < 0 && errno == EINTR))
        if (n > 0)
            ag_buf_putn(out, chunk, (size_t)n);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !out->len)
        return ag_errorf(err, AG_EIO, "%s --version failed", path);
    out->data[strcspn(out->data, "\r\n")] = '\0';
    out->len = strlen(out->data);
    return 0;
}

int
ag_devcache_server_version(PGconn *conn, char **out, ag_error *err)
{
    ag_buf b;
    ag_buf_init(&b);
    int rc = 0;
    if (conn) {
        const char *v = PQparameterStatus(conn, "server_version");
        ag_buf_printf(&b, "server_version_num=%d server_version=%s",
                      PQserverVersion(conn), v ? v : "");
        if (PQserverVersion(conn) == 0)
            rc = ag_errorf(err, AG_EDB, "the dev server's version is unknown");
    } else {
        char bindir[AG_TMPCLUSTER_PATH_MAX];
        rc = ag_tmpcluster_find_bindir(bindir, sizeof bindir, err);
        if (rc == 0) {
            ag_buf_printf(&b, "%s: ", bindir);
            rc = postgres_version(bindir, &b, err);
        }
    }
    if (rc) {
        ag_buf_free(&b);
        *out = NULL;
        return rc;
    }
    *out = ag_buf_detach(&b);
    return 0;
}

/* Which build of autogen is running: the size, modification time and
 * inode of its executable.  The version string alone would let a rebuilt
 * autogen (a developer's, or a distribution's patched one) adopt answers
 * its predecessor read from the dev database; any rebuild now starts
 * afresh.  "" where /proc/self/exe is not available. */
static void
build_identity(char *out, size_t size)
{
    struct stat st;
    if (stat("/proc/self/exe", &st) != 0) {
        out[0] = '\0';
        return;
    }
    snprintf(out, size, "%lld:%lld.%09ld:%llu", (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
             (unsigned long long)st.st_ino);
}

/* "<name> <length>:<value>\n": no value can run into the next. */
static void
field(ag_sha256 *s, const char *name, const char *value)
{
    char head[96];
    size_t n = value ? strlen(value) : 0;
    int len = value ? snprintf(head, sizeof head, "%s %zu:", name, n)
                    : snprintf(head, sizeof head, "%s -", name);
    ag_sha256_update(s, head, (size_t)len);
    if (value)
        ag_sha256_update(s, value, n);
    ag_sha256_update(s, "\n", 1);
}

int
ag_devcache_key(const ag_catalog *models, const char *server_version,
                PGconn *like, char hex[65], ag_error *err)
{
    /* The SQL the models run in an empty dev database: a pure function
     * of the models, byte for byte (the emitter's promise). */
    ag_catalog empty;
    ag_catalog_init(&empty, "empty");
    ag_catalog_seal(&empty);
    ag_plan plan;
    int rc = ag_diff(&empty, models, &plan, err);
    ag_buf sql;
    ag_buf_init(&sql);
    if (rc == 0)
        ag_emit_sql(&plan, &sql);
    ag_plan_free(&plan);
    ag_catalog_destroy(&empty);
    if (rc) {
        ag_buf_free(&sql);
        return rc;
    }

    ag_sha256 s;
    ag_sha256_init(&s);
    char format[16];
    snprintf(format, sizeof format, "%d", AG_DEVCACHE_FORMAT);
    field(&s, "format", format);
    field(&s, "autogen", AG_VERSION);
    char build[96];
    build_identity(build, sizeof build);
    field(&s, "build", build);
    field(&s, "server", server_version);
    static const char *const settings[] = {"TimeZone", "DateStyle",
                                           "IntervalStyle"};
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        field(&s, settings[i],
              like ? PQparameterStatus(like, settings[i]) : NULL);
    field(&s, "sql", sql.data ? sql.data : "");
    ag_buf_free(&sql);
    unsigned char digest[32];
    ag_sha256_final(&s, digest);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return 0;
}
