/*
 * config.c - autogen.ini through libinih (a small, well-kept INI parser
 * packaged by Debian), so we do not hand-roll one.
 */
#include "autogen/config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ag_config_init(ag_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
}

void
ag_config_free(ag_config *cfg)
{
    free(cfg->path);
    free(cfg->models);
    free(cfg->migrations);
    free(cfg->database_url);
    free(cfg->dev_url);
    free(cfg->version_table_schema);
    free(cfg->lock_timeout);
    free(cfg->statement_timeout);
    free(cfg->lock_wait);
    for (size_t i = 0; i < cfg->nschemas; i++)
        free(cfg->schemas[i]);
    free(cfg->schemas);
    memset(cfg, 0, sizeof *cfg);
}

void
ag_config_add_schema(ag_config *cfg, const char *schema)
{
    cfg->schemas =
        ag_xrealloc(cfg->schemas, (cfg->nschemas + 1) * sizeof *cfg->schemas);
    cfg->schemas[cfg->nschemas++] = ag_xstrdup(schema);
}

/* Debian's libinih calls handlers without a line number, so the reader
 * counts lines itself for error messages. */
typedef struct read_state {
    ag_config *cfg;
    ag_error *err;
    int rc;
    FILE *f;
    int line;
} read_state;

static char *
read_line(char *str, int num, void *stream)
{
    read_state *st = stream;
    char *s = fgets(str, num, st->f);
    if (s)
        st->line++;
    return s;
}

static void
set(char **field, const char *value)
{
    free(*field);
    *field = ag_xstrdup(value);
}

static int
on_entry(void *user, const char *section, const char *key, const char *value)
{
    read_state *st = user;
    int lineno = st->line;
    ag_config *cfg = st->cfg;
    if (strcmp(section, "autogen") != 0) {
        st->rc = ag_errorf(st->err, AG_ECONFIG,
                           "%s:%d: unknown section [%s] (expected [autogen])",
                           cfg->path, lineno, section);
        return 0;
    }
    if (strcmp(key, "models") == 0) {
        set(&cfg->models, value);
    } else if (strcmp(key, "migrations") == 0) {
        set(&cfg->migrations, value);
    } else if (strcmp(key, "database_url") == 0) {
        set(&cfg->database_url, value);
    } else if (strcmp(key, "dev_url") == 0) {
        set(&cfg->dev_url, value);
    } else if (strcmp(key, "version_table_schema") == 0) {
        set(&cfg->version_table_schema, value);
    } else if (strcmp(key, "lock_timeout") == 0) {
        set(&cfg->lock_timeout, value);
    } else if (strcmp(key, "statement_timeout") == 0) {
        set(&cfg->statement_timeout, value);
    } else if (strcmp(key, "lock_wait") == 0) {
        set(&cfg->lock_wait, value);
    } else if (strcmp(key, "schemas") == 0) {
        char *copy = ag_xstrdup(value), *save = NULL;
        for (char *tok = strtok_r(copy, ", \t", &save); tok;
             tok = strtok_r(NULL, ", \t", &save))
            ag_config_add_schema(cfg, tok);
        free(copy);
    } else {
        st->rc = ag_errorf(st->err, AG_ECONFIG, "%s:%d: unknown key %s",
                           cfg->path, lineno, key);
        return 0;
    }
    return 1;
}

int
ag_config_read(ag_config *cfg, const char *path, ag_error *err)
{
    set(&cfg->path, path);
    read_state st = {cfg, err, 0, fopen(path, "r"), 0};
    if (!st.f)
        return ag_errorf(err, AG_ECONFIG, "%s: cannot read the file", path);
    int line = ini_parse_stream(read_line, &st, on_entry, &st);
    fclose(st.f);
    if (st.rc)
        return st.rc;
    if (line < 0)
        return ag_errorf(err, AG_ECONFIG, "%s: cannot read the file", path);
    if (line > 0)
        return ag_errorf(err, AG_ECONFIG, "%s:%d: malformed line", path, line);
    return 0;
}
