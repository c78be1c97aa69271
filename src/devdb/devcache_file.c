/*
 * devcache_file.c - where the dev-database cache lives and its files read
 * and written whole (see devcache.h).
 *
 * Nothing is ever pruned: one file per distinct model state and server,
 * each about the size of the models' views and columns.  Deleting the
 * directory (or any file in it) at any time is safe.
 */
#include "autogen/devcache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
is_off(const char *v)
{
    return strcmp(v, "off") == 0;
}

static char *
join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = ag_xmalloc(n);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

void
ag_devcache_dir(const char *cfg_dir, const char *cfg_path, char **out,
                const char **source)
{
    *out = NULL;
    const char *v = getenv("AUTOGEN_CACHE_DIR");
    if (v && *v) {
        *source = "AUTOGEN_CACHE_DIR";
        if (!is_off(v))
            *out = ag_xstrdup(v);
        return;
    }
    if (cfg_dir && *cfg_dir) {
        *source = "config cache_dir";
        if (is_off(cfg_dir))
            return;
        const char *slash = cfg_path ? strrchr(cfg_path, '/') : NULL;
        if (cfg_dir[0] == '/' || !slash) {
            *out = ag_xstrdup(cfg_dir);
        } else {
            /* "/autogen.ini": the base is "", and join gives "/dir" */
            char *base = ag_xstrdup(cfg_path);
            base[slash - cfg_path] = '\0';
            *out = join(base, cfg_dir);
            free(base);
        }
        return;
    }
    if ((v = getenv("XDG_CACHE_HOME")) != NULL && v[0] == '/') {
        *source = "XDG_CACHE_HOME";
        *out = join(v, "autogen");
        return;
    }
    if ((v = getenv("HOME")) != NULL && *v) {
        *source = "HOME";
        *out = join(v, ".cache/autogen");
        return;
    }
    *source = "nowhere (no HOME)";
}

char *
ag_devcache_path(const char *dir, const char *hex)
{
    size_t n = strlen(dir) + strlen(hex) + 16;
    char *s = ag_xmalloc(n);
    snprintf(s, n, "%s/devdb/%s.cat", dir, hex);
    return s;
}

int
ag_devcache_load(const char *path, const char *hex, ag_catalog *dev,
                 ag_error *err)
{
    /* The usual miss, said plainly rather than as an error. */
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return ag_errorf(err, AG_EIO, "no entry yet: %s", path);
    char *data;
    size_t len;
    int rc = ag_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    rc = ag_devcache_parse(data, len, hex, dev, err);
    if (rc)
        ag_error_prefix(err, "%s: ", path);
    free(data);
    return rc;
}

/* mkdir -p for the directories of path (not its last component). */
static int
make_parents(const char *path, ag_error *err)
{
    char *p = ag_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            rc = ag_errorf(err, AG_EIO, "creating %s: %s", p, strerror(errno));
        *s = '/';
    }
    free(p);
    return rc;
}

int
ag_devcache_store(const char *path, const char *hex, const ag_catalog *dev,
                  ag_error *err)
{
    int rc = make_parents(path, err);
    if (rc)
        return rc;
    ag_buf text;
    ag_buf_init(&text);
    ag_devcache_serialize(dev, hex, &text);
    rc = ag_write_file_atomic(path, text.data ? text.data : "", text.len, err);
    ag_buf_free(&text);
    return rc;
}
