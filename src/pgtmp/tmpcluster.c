/*
 * tmpcluster.c - start and stop a throwaway PostgreSQL cluster.
 *
 * The postmaster runs as our own child (not daemonised through pg_ctl) so
 * that we know its pid, notice at once when it dies during startup, and can
 * stop it with a signal.  It gets its own process group: a Ctrl-C at the
 * terminal reaches the program that owns the cluster, which then shuts the
 * server down in order, instead of killing the server behind its back.
 */
#define _DEFAULT_SOURCE /* setgroups() */
#include "autogen/tmpcluster.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_PORT 5432
#define START_TIMEOUT_MS 60000
#define STOP_TIMEOUT_MS 30000
#define LOG_TAIL_BYTES 640
/* sun_path is 108 bytes on Linux; leave room for "/.s.PGSQL.65535.lock". */
#define SOCKET_DIR_MAX 80

/* Who the server processes run as: ourselves, or (when we are root) the
 * unprivileged postgres OS user. */
typedef struct runas {
    int drop;
    uid_t uid;
    gid_t gid;
} runas;

static void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Append the last LOG_TAIL_BYTES of the log (from a line start) to err's
 * message, so a failed start says why without anyone opening the file. */
static void
add_log_tail(ag_error *err, const char *log_path)
{
    if (!err)
        return;
    int fd = open(log_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char buf[LOG_TAIL_BYTES + 1];
    off_t size = lseek(fd, 0, SEEK_END);
    off_t from = size > LOG_TAIL_BYTES ? size - LOG_TAIL_BYTES : 0;
    ssize_t n = from >= 0 ? pread(fd, buf, LOG_TAIL_BYTES, from) : -1;
    close(fd);
    if (n <= 0)
        return;
    buf[n] = '\0';
    char *start = buf;
    if (from > 0) {
        char *nl = strchr(buf, '\n');
        if (nl && nl[1])
            start = nl + 1;
    }
    size_t len = strlen(err->msg);
    snprintf(err->msg + len, sizeof err->msg - len,
             "\n--- end of the server log ---\n%s", start);
}

/* Remove path and everything below it without following symlinks.
 * Returns 0 or -1 (errno set); keeps going past failures. */
static int
rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    int rc = 0;
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        char child[4096];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            int n = snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            if (n < 0 || (size_t)n >= sizeof child || rmtree(child) != 0)
                rc = -1;
        }
        closedir(d);
    }
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

/* Decide who runs the server.  Returns 0 or AG_EIO with err set. */
static int
resolve_runas(runas *ru, ag_error *err)
{
    memset(ru, 0, sizeof *ru);
    if (geteuid() != 0)
        return 0;
    struct passwd *pw = getpwnam("postgres");
    if (!pw)
        return ag_errorf(err, AG_EIO,
                         "running as root, and initdb/postgres refuse root: "
                         "need the unprivileged `postgres` OS user (created by "
                         "Debian's postgresql package), but it does not exist");
    ru->drop = 1;
    ru->uid = pw->pw_uid;
    ru->gid = pw->pw_gid;
    return 0;
}

/*
 * fork + exec argv[0] with stdin on /dev/null and stdout/stderr appended to
 * logfd, in a new process group, as ru says.  Only async-signal-safe calls
 * after fork: the caller may have threads (test runners do).  Returns the
 * pid, or -1 with err set.
 */
static pid_t
spawn(char *const argv[], const char *cwd, int logfd, const runas *ru,
      ag_error *err)
{
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) {
        ag_errorf(err, AG_EIO, "opening /dev/null: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        ag_errorf(err, AG_EIO, "fork: %s", strerror(errno));
        close(devnull);
        return -1;
    }
    if (pid == 0) {
        static const char fail_ids[] =
            "autogen tmpcluster: cannot switch to the postgres user\n";
        static const char fail_exec[] = "autogen tmpcluster: exec failed\n";
        static const int sigs[] = {SIGINT, SIGTERM, SIGQUIT,
                                   SIGHUP, SIGPIPE, SIGCHLD};
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            signal(sigs[i], SIG_DFL);
        setpgid(0, 0);
        if (dup2(devnull, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
            _exit(127);
        /* Inherited descriptors (test runner pipes...) must not stay open in
         * a server that outlives nothing but still holds them. */
        for (int fd = 3; fd < 4096; fd++)
            close(fd);
        if (chdir(cwd) != 0)
            _exit(127);
        if (ru->drop && (setgroups(0, NULL) != 0 || setgid(ru->gid) != 0 ||
                         setuid(ru->uid) != 0)) {
            ssize_t w = write(2, fail_ids, sizeof fail_ids - 1);
            (void)w;
            _exit(127);
        }
        execv(argv[0], argv);
        ssize_t w = write(2, fail_exec, sizeof fail_exec - 1);
        (void)w;
        _exit(127);
    }
    close(devnull);
    return pid;
}

/* waitpid that survives EINTR.  Returns the waitpid result. */
static pid_t
wait_child(pid_t pid, int *status, int flags)
{
    pid_t r;
    do
        r = waitpid(pid, status, flags);
    while (r < 0 && errno == EINTR);
    return r;
}

static void
describe_status(int status, char *out, size_t n)
{
    if (WIFEXITED(status))
        snprintf(out, n, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(out, n, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(out, n, "status %d", status);
}

/* Pick the parent directory and make the mkdtemp dir, owned by the server
 * user.  Returns 0 or AG_EIO with err set. */
static int
make_dirs(ag_tmpcluster *c, const runas *ru, ag_error *err)
{
    const char *parent = c->parent_dir;
    if (!parent) {
        /* As root, $TMPDIR may sit below a directory (e.g. /root) that the
         * postgres user cannot enter; /tmp always works. */
        const char *t = getenv("TMPDIR");
        parent = (!ru->drop && t && t[0] == '/') ? t : "/tmp";
        if (strlen(parent) + sizeof "/autogen-pg-XXXXXX" > SOCKET_DIR_MAX)
            parent = "/tmp";
    }
    if (strlen(parent) + sizeof "/autogen-pg-XXXXXX" > SOCKET_DIR_MAX)
        return ag_errorf(
            err, AG_EIO,
            "temp dir parent %s is too long for a Unix socket path", parent);
    if (strchr(parent, ',') || strchr(parent, '\''))
        return ag_errorf(err, AG_EIO,
                         "temp dir parent %s contains ',' or a quote, which "
                         "unix_socket_directories cannot take",
                         parent);
    snprintf(c->base_dir, sizeof c->base_dir, "%s/autogen-pg-XXXXXX", parent);
    if (!mkdtemp(c->base_dir)) {
        int e = errno;
        c->base_dir[0] = '\0';
        return ag_errorf(err, AG_EIO, "creating a temp dir in %s: %s", parent,
                         strerror(e));
    }
    /* base_dir is at most SOCKET_DIR_MAX long: these always fit */
    if (snprintf(c->data_dir, sizeof c->data_dir, "%s/data", c->base_dir) < 0 ||
        snprintf(c->log_path, sizeof c->log_path, "%s/server.log",
                 c->base_dir) < 0)
        return ag_errorf(err, AG_EIO, "formatting paths below %s", c->base_dir);
    if (ru->drop && chown(c->base_dir, ru->uid, ru->gid) != 0)
        return ag_errorf(err, AG_EIO, "handing %s to the postgres user: %s",
                         c->base_dir, strerror(errno));
    return 0;
}

/* Run initdb to completion.  Returns 0 or AG_EDB/AG_EIO with the log tail. */
static int
run_initdb(ag_tmpcluster *c, const runas *ru, int logfd, ag_error *err)
{
    char exe[AG_TMPCLUSTER_PATH_MAX + 16];
    snprintf(exe, sizeof exe, "%s/initdb", c->bin_dir);
    char *argv[] = {exe,
                    "-D",
                    c->data_dir,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                    "--no-instructions",
                    NULL};
    pid_t pid = spawn(argv, c->base_dir, logfd, ru, err);
    if (pid < 0)
        return AG_EIO;
    int status = 0;
    if (wait_child(pid, &status, 0) < 0)
        return ag_errorf(err, AG_EIO, "waiting for initdb: %s",
                         strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    char how[64];
    describe_status(status, how, sizeof how);
    ag_errorf(err, AG_EDB, "initdb failed (%s)", how);
    add_log_tail(err, c->log_path);
    return AG_EDB;
}

/* Start the postmaster in the background and wait until it answers.
 * Returns 0 or AG_EDB/AG_EIO with the log tail; on failure the server is
 * not running. */
static int
run_server(ag_tmpcluster *c, const runas *ru, int logfd, ag_error *err)
{
    char exe[AG_TMPCLUSTER_PATH_MAX + 16], sockdir[AG_TMPCLUSTER_PATH_MAX + 32],
        port[32];
    snprintf(exe, sizeof exe, "%s/postgres", c->bin_dir);
    snprintf(sockdir, sizeof sockdir, "unix_socket_directories=%s",
             c->base_dir);
    snprintf(port, sizeof port, "port=%d", c->port);
    /* Durability is pointless for data we delete; max_locks_per_transaction
     * lets pg_dump lock every table of a large corpus schema.  The caller's
     * settings come next and may override these (the last -c wins); where
     * the server listens comes last, so that no setting can move it. */
    static const char *const defaults[] = {"fsync=off",
                                           "full_page_writes=off",
                                           "synchronous_commit=off",
                                           "max_connections=100",
                                           "max_locks_per_transaction=256",
                                           "autovacuum=off",
                                           "logging_collector=off"};
    size_t ndefaults = sizeof defaults / sizeof defaults[0];
    size_t nsets = ndefaults + c->nsettings + 3;
    /* exe -D dir, a -c pair per setting, NULL */
    char **argv = ag_xcalloc(3 + 2 * nsets + 1, sizeof *argv);
    size_t k = 0;
    argv[k++] = exe;
    argv[k++] = "-D";
    argv[k++] = c->data_dir;
    for (size_t i = 0; i < nsets; i++) {
        const char *set;
        if (i < ndefaults)
            set = defaults[i];
        else if (i < ndefaults + c->nsettings)
            set = c->settings[i - ndefaults];
        else if (i == nsets - 3)
            set = "listen_addresses=";
        else if (i == nsets - 2)
            set = sockdir;
        else
            set = port;
        argv[k++] = "-c";
        argv[k++] = (char *)set; /* execv's prototype; never written */
    }
    argv[k] = NULL;
    pid_t pid = spawn(argv, c->base_dir, logfd, ru, err);
    free(argv);
    if (pid < 0)
        return AG_EIO;
    c->pid = pid;

    char conninfo[AG_TMPCLUSTER_PATH_MAX + 128];
    snprintf(
        conninfo, sizeof conninfo,
        "host='%s' port=%d dbname=postgres user=postgres connect_timeout=5",
        c->base_dir, c->port);
    for (int waited = 0; waited < START_TIMEOUT_MS; waited += 50) {
        int status = 0;
        if (wait_child(pid, &status, WNOHANG) == pid) {
            c->pid = 0;
            char how[64];
            describe_status(status, how, sizeof how);
            ag_errorf(err, AG_EDB,
                      "the PostgreSQL server exited during startup (%s)", how);
            add_log_tail(err, c->log_path);
            return AG_EDB;
        }
        if (PQping(conninfo) == PQPING_OK)
            return 0;
        sleep_ms(50);
    }
    ag_errorf(err, AG_EDB,
              "the PostgreSQL server did not accept connections within %d s",
              START_TIMEOUT_MS / 1000);
    add_log_tail(err, c->log_path);
    return AG_EDB;
}

int
ag_tmpcluster_start(ag_tmpcluster *c, ag_error *err)
{
    runas ru;
    int rc;
    c->pid = 0;
    c->started = 0;
    c->base_dir[0] = '\0';
    if (c->port <= 0)
        c->port = DEFAULT_PORT;
    /* A setting without a name would reach the server as a stray argument. */
    for (size_t i = 0; i < c->nsettings; i++) {
        const char *s = c->settings[i], *eq = s ? strchr(s, '=') : NULL;
        if (!eq || eq == s)
            return ag_errorf(err, AG_EINVAL,
                             "server setting '%s' is not name=value",
                             s ? s : "(null)");
    }
    if ((rc = ag_tmpcluster_find_bindir(c->bin_dir, sizeof c->bin_dir, err)) !=
        0)
        return rc;
    if ((rc = resolve_runas(&ru, err)) != 0)
        return rc;
    if ((rc = make_dirs(c, &ru, err)) != 0) {
        if (c->base_dir[0])
            rmtree(c->base_dir);
        c->base_dir[0] = '\0';
        return rc;
    }
    int logfd =
        open(c->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0) {
        rc = ag_errorf(err, AG_EIO, "creating %s: %s", c->log_path,
                       strerror(errno));
    } else {
        rc = run_initdb(c, &ru, logfd, err);
        if (rc == 0)
            rc = run_server(c, &ru, logfd, err);
        close(logfd);
    }
    if (rc != 0) {
        c->started = 1; /* let stop kill a half-started server and clean up */
        ag_tmpcluster_stop(c, NULL);
        return rc;
    }
    c->started = 1;
    return 0;
}

/* Send sig and wait up to ms for the postmaster to exit.  Returns 1 once it
 * is gone. */
static int
signal_and_wait(pid_t pid, int sig, int ms)
{
    if (kill(pid, sig) != 0 && errno == ESRCH)
        return 1;
    for (int waited = 0; waited <= ms; waited += 20) {
        int status;
        pid_t r = wait_child(pid, &status, WNOHANG);
        if (r == pid)
            return 1;
        /* Reaped by someone else (SIGCHLD ignored): ask the kernel. */
        if (r < 0 && errno == ECHILD && kill(pid, 0) != 0 && errno == ESRCH)
            return 1;
        sleep_ms(20);
    }
    return 0;
}

int
ag_tmpcluster_stop(ag_tmpcluster *c, ag_error *err)
{
    int rc = 0;
    if (!c->started)
        return 0;
    if (c->pid > 0) {
        /* SIGINT = fast shutdown: roll back sessions, exit cleanly. */
        if (!signal_and_wait(c->pid, SIGINT, STOP_TIMEOUT_MS)) {
            rc = ag_errorf(err, AG_EDB,
                           "the PostgreSQL server (pid %ld) ignored a fast "
                           "shutdown for %d s; killed it",
                           (long)c->pid, STOP_TIMEOUT_MS / 1000);
            if (!signal_and_wait(c->pid, SIGQUIT, 5000))
                signal_and_wait(c->pid, SIGKILL, 5000);
        }
        c->pid = 0;
    }
    if (c->base_dir[0] && rmtree(c->base_dir) != 0 && rc == 0)
        rc = ag_errorf(err, AG_EIO, "removing %s: %s", c->base_dir,
                       strerror(errno));
    c->started = 0;
    return rc;
}

const char *
ag_tmpcluster_socket_dir(const ag_tmpcluster *c)
{
    return c->base_dir;
}

int
ag_tmpcluster_port(const ag_tmpcluster *c)
{
    return c->port > 0 ? c->port : DEFAULT_PORT;
}
