/*
 * with_postgres.c - run one command against a throwaway PostgreSQL cluster.
 *
 *   with-postgres [--set NAME=VALUE]... [--] CMD [ARGS...]
 *
 * --set passes a server setting (e.g. shared_preload_libraries=
 * pg_stat_statements for the benchmark) on the postgres command line.
 * Starts a cluster (src/pgtmp), exports PGHOST/PGPORT/PGUSER/PGDATABASE and
 * AUTOGEN_TEST_PGHOST for it, runs CMD, then always stops the cluster and
 * removes its directory - also when CMD fails or we get SIGINT/SIGTERM/
 * SIGHUP - and exits with CMD's status (128+N when CMD died of signal N).
 * The tests and the demo run under it, so no test assumes a running server.
 */
#include "autogen/tmpcluster.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t nsignals;
static volatile pid_t child_pid;

/* Record the signal and pass it on to CMD.  A signal typed at the terminal
 * (si_code > 0, SI_KERNEL) has already reached CMD through the process
 * group, so only signals sent with kill() are forwarded; a second one means
 * "now": CMD is killed outright. */
static void
on_signal(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    got_signal = sig;
    nsignals++;
    pid_t p = child_pid;
    if (p > 0) {
        if (nsignals > 1)
            kill(p, SIGKILL);
        else if (info == NULL || info->si_code <= 0)
            kill(p, sig);
    }
}

static void
install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: waitpid must see EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* Point libpq (and the tests) at the cluster.  PGHOSTADDR and PGSERVICE
 * would override the socket directory, so they go. */
static void
export_env(const ag_tmpcluster *c)
{
    char port[16];
    snprintf(port, sizeof port, "%d", ag_tmpcluster_port(c));
    setenv("PGHOST", ag_tmpcluster_socket_dir(c), 1);
    setenv("PGPORT", port, 1);
    setenv("PGUSER", "postgres", 1);
    setenv("PGDATABASE", "postgres", 1);
    setenv("AUTOGEN_TEST_PGHOST", ag_tmpcluster_socket_dir(c), 1);
    unsetenv("PGHOSTADDR");
    unsetenv("PGSERVICE");
}

/* Run argv to completion.  Returns the exit status to pass on. */
static int
run_command(char **argv)
{
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "with-postgres: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        execvp(argv[0], argv);
        fprintf(stderr, "with-postgres: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    child_pid = pid;
    int status = 0;
    pid_t r;
    do
        r = waitpid(pid, &status, 0);
    while (r < 0 && errno == EINTR);
    child_pid = 0;
    if (r < 0) {
        fprintf(stderr, "with-postgres: waitpid: %s\n", strerror(errno));
        return 1;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}

static void
usage(FILE *f)
{
    fputs("usage: with-postgres [--set NAME=VALUE]... [--] CMD [ARGS...]\n"
          "Runs CMD with a throwaway PostgreSQL cluster (Unix socket only);\n"
          "PGHOST, PGPORT, PGUSER, PGDATABASE and AUTOGEN_TEST_PGHOST point at it.\n"
          "--set NAME=VALUE adds a server setting (repeatable).\n"
          "The cluster is removed afterwards; the exit status is CMD's.\n",
          f);
}

int
main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    /* Our options come first; the first word that is not one starts CMD.
     * At most argc settings, so argv-sized storage always suffices. */
    const char **settings = calloc((size_t)argc, sizeof *settings);
    size_t nsettings = 0;
    if (!settings) {
        fprintf(stderr, "with-postgres: out of memory\n");
        return 1;
    }
    while (first < argc) {
        const char *a = argv[first], *val;
        if (!strcmp(a, "--set")) {
            val = first + 1 < argc ? argv[first + 1] : "";
            first += 2;
        } else if (!strncmp(a, "--set=", 6)) {
            val = a + 6;
            first++;
        } else {
            break;
        }
        /* A usage error here, before a cluster is started for nothing. */
        if (!strchr(val, '=') || val[0] == '=') {
            fprintf(stderr, "with-postgres: --set needs NAME=VALUE, not '%s'\n", val);
            free(settings);
            return 2;
        }
        settings[nsettings++] = val;
    }
    if (first < argc && !strcmp(argv[first], "--"))
        first++;
    if (first >= argc) {
        usage(stderr);
        free(settings);
        return 2;
    }

    install_handlers();
    ag_tmpcluster cluster;
    memset(&cluster, 0, sizeof cluster);
    cluster.settings = settings;
    cluster.nsettings = nsettings;
    ag_error err = {0};
    int started = ag_tmpcluster_start(&cluster, &err);
    free(settings); /* only start reads them */
    cluster.settings = NULL;
    cluster.nsettings = 0;
    if (started != 0) {
        fprintf(stderr, "with-postgres: starting PostgreSQL: %s\n", err.msg);
        return 1;
    }

    int rc = 128 + got_signal;
    if (!got_signal) {
        export_env(&cluster);
        rc = run_command(argv + first);
    }

    if (ag_tmpcluster_stop(&cluster, &err) != 0) {
        fprintf(stderr, "with-postgres: stopping PostgreSQL: %s\n", err.msg);
        if (rc == 0)
            rc = 1;
    }
    return rc;
}
