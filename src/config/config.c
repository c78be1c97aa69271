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
    free(cfg->cache_dir);
    free(cfg->version_table_schema);
    free(cfg->lock_timeout);
    free(cfg->statement_timeout);
    free(cfg->lock_wait);
    for (size_t i = 0; i < cfg->nschemas; i++)
        free(cfg->schemas[i]);
    free(cfg->schemas);
    for (size_t i = 0; i < cfg->nexclude; i++)
        free(cfg->exclude[i]);
    free(cfg->exclude);
    memset(cfg, 0, sizeof *cfg);
}

void
ag_config_add_schema(ag_config *cfg, const char *schema)
{
    cfg->schemas =
        ag_xrealloc(cfg->schemas, (cfg->nschemas + 1) * sizeof *cfg->schemas);
    cfg->schemas[cfg->nschemas++] = ag_xstrdup(schema);
}

static const struct {
    const char *word, *stmt;
} unmanaged_kinds[] = {
#define AG_UM_ROW(id, word, stmt) {word, stmt},
    AG_UNMANAGED_KINDS(AG_UM_ROW)
#undef AG_UM_ROW
};
enum { NUNMANAGED = sizeof unmanaged_kinds / sizeof unmanaged_kinds[0] };

unsigned
ag_unmanaged_bit(const char *word)
{
    for (unsigned i = 0; i < NUNMANAGED; i++)
        if (strcmp(word, unmanaged_kinds[i].word) == 0)
            return 1u << i;
    return 0;
}

static unsigned
bit_index(unsigned bit)
{
    unsigned i = 0;
    while (i < NUNMANAGED && !(bit & (1u << i)))
        i++;
    return i < NUNMANAGED ? i : 0;
}

const char *
ag_unmanaged_word(unsigned bit)
{
    return unmanaged_kinds[bit_index(bit)].word;
}

const char *
ag_unmanaged_stmt(unsigned bit)
{
    return unmanaged_kinds[bit_index(bit)].stmt;
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
    if (strcmp(section, "unmanaged") == 0 && strcmp(key, "kinds") == 0) {
        /* kinds = rule, foreign_table: left out of the diff */
        char *copy = ag_xstrdup(value), *save = NULL;
        for (char *tok = strtok_r(copy, ", \t", &save); tok;
             tok = strtok_r(NULL, ", \t", &save)) {
            unsigned bit = ag_unmanaged_bit(tok);
            if (!bit) {
                ag_buf b;
                ag_buf_init(&b);
                for (unsigned i = 0; i < NUNMANAGED; i++)
                    ag_buf_printf(&b, "%s%s", i ? ", " : "",
                                  unmanaged_kinds[i].word);
                st->rc = ag_errorf(st->err, AG_ECONFIG,
                                   "%s:%d: [unmanaged] kinds: unknown kind %s "
                                   "(known: %s)",
                                   cfg->path, lineno, tok, b.data);
                ag_buf_free(&b);
                free(copy);
                return 0;
            }
            cfg->unmanaged |= bit;
        }
        free(copy);
        return 1;
    }
    if (strcmp(section, "exclude") == 0 && strcmp(key, "objects") == 0) {
        /* objects = test.broken_view, app.t: qualified names */
        char *copy = ag_xstrdup(value), *save = NULL;
        for (char *tok = strtok_r(copy, ", \t", &save); tok;
             tok = strtok_r(NULL, ", \t", &save)) {
            if (!strchr(tok, '.')) {
                st->rc = ag_errorf(st->err, AG_ECONFIG,
                                   "%s:%d: [exclude] objects: %s is not "
                                   "schema-qualified (write schema.name)",
                                   cfg->path, lineno, tok);
                free(copy);
                return 0;
            }
            cfg->exclude = ag_xrealloc(cfg->exclude, (cfg->nexclude + 1) *
                                                         sizeof *cfg->exclude);
            cfg->exclude[cfg->nexclude++] = ag_xstrdup(tok);
        }
        free(copy);
        return 1;
    }
    if (strcmp(section, "autogen") != 0) {
        bool known = strcmp(section, "unmanaged") == 0 ||
                     strcmp(section, "exclude") == 0;
        st->rc =
            ag_errorf(st->err, AG_ECONFIG,
                      "%s:%d: unknown %s [%s] (expected [autogen], "
                      "[unmanaged] with kinds = ... or [exclude] with "
                      "objects = ...)",
                      cfg->path, lineno, known ? "key in" : "section", section);
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
    } else if (strcmp(key, "cache_dir") == 0) {
        set(&cfg->cache_dir, value);
    } else if (strcmp(key, "version_table_schema") == 0) {
        set(&cfg->version_table_schema, value);
    } else if (strcmp(key, "lock_timeout") == 0) {
        set(&cfg->lock_timeout, value);
    } else if (strcmp(key, "statement_timeout") == 0) {
        set(&cfg->statement_timeout, value);
    } else if (strcmp(key, "lock_wait") == 0) {
        set(&cfg->lock_wait, value);
    } else if (strcmp(key, "rename_in_models") == 0) {
        if (strcmp(value, "apply") != 0 && strcmp(value, "error") != 0) {
            st->rc = ag_errorf(st->err, AG_ECONFIG,
                               "%s:%d: rename_in_models: expected apply or "
                               "error, not %s",
                               cfg->path, lineno, value);
            return 0;
        }
        cfg->rename_in_models = strcmp(value, "apply") == 0;
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
