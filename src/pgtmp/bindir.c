/*
 * bindir.c - locate the PostgreSQL server binaries (initdb, postgres).
 *
 * libpq-dev's pg_config knows the bindir of the server it was built for, but
 * on Debian the client and server may come from different packages, so the
 * answer is only trusted when initdb is really there; otherwise the newest
 * /usr/lib/postgresql/<major>/bin (Debian's layout, several majors can be
 * installed side by side) wins.
 */
#include "autogen/tmpcluster.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEBIAN_PGROOT "/usr/lib/postgresql"

/* 1 when dir holds executable initdb and postgres. */
static int
has_server_binaries(const char *dir)
{
    char path[512];
    static const char *const names[] = {"initdb", "postgres"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int n = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (n < 0 || (size_t)n >= sizeof path || access(path, X_OK) != 0)
            return 0;
    }
    return 1;
}

/* `pg_config --bindir` into out, or 0 bytes when pg_config is missing or
 * says nothing useful.  Returns 1 when out holds a candidate. */
static int
pg_config_bindir(char *out, size_t n)
{
    FILE *p = popen("pg_config --bindir 2>/dev/null", "r");
    if (!p)
        return 0;
    char line[512];
    int ok = fgets(line, sizeof line, p) != NULL;
    /* pclose status is not interesting: a missing pg_config prints nothing */
    pclose(p);
    if (!ok)
        return 0;
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] != '/' || strlen(line) >= n)
        return 0;
    memcpy(out, line, strlen(line) + 1);
    return 1;
}

/* Newest major under /usr/lib/postgresql whose bin/ has the server.  Majors
 * are "9.6", "10" ... "18": compared as numbers, not strings. */
static int
newest_debian_bindir(char *out, size_t n)
{
    DIR *d = opendir(DEBIAN_PGROOT);
    if (!d)
        return 0;
    double best = -1;
    char cand[512];
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        double v = strtod(e->d_name, &end);
        if (end == e->d_name || *end != '\0' || v <= best)
            continue;
        int len =
            snprintf(cand, sizeof cand, DEBIAN_PGROOT "/%s/bin", e->d_name);
        if (len < 0 || (size_t)len >= sizeof cand || (size_t)len >= n)
            continue;
        if (has_server_binaries(cand)) {
            best = v;
            memcpy(out, cand, (size_t)len + 1);
        }
    }
    closedir(d);
    return best >= 0;
}

int
ag_tmpcluster_find_bindir(char *out, size_t n, ag_error *err)
{
    char cand[512];
    if (pg_config_bindir(cand, sizeof cand) && has_server_binaries(cand) &&
        strlen(cand) < n) {
        memcpy(out, cand, strlen(cand) + 1);
        return 0;
    }
    if (newest_debian_bindir(out, n))
        return 0;
    return ag_errorf(
        err, AG_EIO,
        "PostgreSQL server binaries not found: `pg_config --bindir` "
        "has no initdb and there is no " DEBIAN_PGROOT
        "/<major>/bin/initdb (install the postgresql package)");
}
