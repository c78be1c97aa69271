/*
 * tmpcluster.h - a throwaway PostgreSQL cluster on a private Unix socket.
 *
 * initdb into a fresh mkdtemp directory, start `postgres` as a child process
 * listening only on a socket in that directory (no TCP), with durability off
 * (fsync, full_page_writes, synchronous_commit) because the data is thrown
 * away.  Used by the test harness (with-postgres) and by the product wherever
 * it needs a scratch database (`autogen verify`, the dev database).
 *
 * Superuser role `postgres`, trust authentication on the socket, UTF8 with
 * the C.UTF-8 locale.  When the calling process is root, initdb and postgres
 * (which refuse to run as root) run as the unprivileged `postgres` OS user
 * and the directory is handed over to it.
 *
 * Nothing here prints or exits; failures come back as ag_error values whose
 * message ends with the tail of the server (or initdb) log.
 */
#ifndef AUTOGEN_TMPCLUSTER_H
#define AUTOGEN_TMPCLUSTER_H

#include "autogen/base.h"

#include <sys/types.h>

#define AG_TMPCLUSTER_PATH_MAX 256

typedef struct ag_tmpcluster {
    /* Inputs, all optional (zero = default); set before ag_tmpcluster_start. */
    const char
        *parent_dir; /* where the temp dir goes: default $TMPDIR or /tmp */
    int port;        /* names the socket file only: default 5432 */
    /* Extra server settings, each "name=value", passed as `-c name=value`
     * after (so overriding) the durability and lock defaults; e.g.
     * "shared_preload_libraries=pg_stat_statements".  The socket, port and
     * listen_addresses cannot be overridden.  Not copied: they must live
     * until ag_tmpcluster_start returns. */
    const char *const *settings;
    size_t nsettings;

    /* Filled by ag_tmpcluster_start. */
    char base_dir[AG_TMPCLUSTER_PATH_MAX]; /* the mkdtemp dir; also the socket
                                              dir */
    char data_dir[AG_TMPCLUSTER_PATH_MAX]; /* base_dir/data */
    char log_path[AG_TMPCLUSTER_PATH_MAX]; /* base_dir/server.log (initdb and
                                              server) */
    char bin_dir[AG_TMPCLUSTER_PATH_MAX];  /* where initdb and postgres were
                                              found */
    pid_t pid;   /* the postmaster, 0 when not running */
    int started; /* 1 between a successful start and stop */
} ag_tmpcluster;

/* Create the directory, initdb, start the server and wait until it accepts
 * connections (up to 60 s).  c must be zeroed apart from the inputs above.
 * Returns 0, or a negative AG_E* code with err set (AG_EINVAL for a setting
 * that is not name=value, AG_EIO for file system and process trouble,
 * AG_EDB when initdb or the server fails, with the log tail); on failure
 * nothing is left running and the directory is removed. */
int ag_tmpcluster_start(ag_tmpcluster *c, ag_error *err);

/* Fast shutdown (SIGINT; escalating to SIGQUIT and SIGKILL if the server has
 * not gone after 30 s), then remove the directory.  Safe to call on a
 * cluster that never started or was already stopped.  Returns 0 or a
 * negative AG_E* code with err set; the directory is removed either way. */
int ag_tmpcluster_stop(ag_tmpcluster *c, ag_error *err);

/* The directory holding the server's socket: the value for PGHOST or a
 * URL's host= parameter.  Points into c. */
const char *ag_tmpcluster_socket_dir(const ag_tmpcluster *c);

/* The port that names the socket file (.s.PGSQL.<port>). */
int ag_tmpcluster_port(const ag_tmpcluster *c);

/* Find the directory holding initdb and postgres: `pg_config --bindir` when
 * that has initdb, else the newest /usr/lib/postgresql/<major>/bin.  Writes
 * into out (size n).  Returns 0 or AG_EIO with err set. */
int ag_tmpcluster_find_bindir(char *out, size_t n, ag_error *err);

#endif
