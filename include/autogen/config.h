/*
 * config.h - autogen.ini, read with libinih.
 *
 * [autogen]
 * models = models                 ; folder (or file) of model SQL
 * migrations = migrations         ; folder of revision files
 * database_url = ${DATABASE_URL}  ; ${VAR} expanded from the environment
 * dev_url = ${DEV_DATABASE_URL}   ; dev database for views (see devdb.h)
 * cache_dir = .autogen-cache      ; its results' cache (devcache.h), relative
 *                                 ; to this file; off: none
 * schemas = public, app           ; schemas autogen manages (default: all)
 * version_table_schema = public   ; where autogen_version lives
 * lock_timeout = 5s               ; SET for each revision's SQL (server syntax)
 * statement_timeout = 10min       ; likewise
 * lock_wait = 60s                 ; how long to wait for another runner
 * rename_in_models = apply        ; ALTER TABLE ... RENAME CONSTRAINT of a
 *                                 ; constraint the models declare renames it
 *                                 ; (scripts); default error
 *
 * [unmanaged]
 * kinds = rule, foreign_table     ; left out of the diff (see below)
 *
 * [exclude]
 * objects = test.broken_view      ; these objects, on both sides
 *
 * Strings are malloc'd and freed by ag_config_free.
 */
#ifndef AUTOGEN_CONFIG_H
#define AUTOGEN_CONFIG_H

#include "autogen/base.h"

/* Object kinds autogen does not manage that a config may list under
 * [unmanaged] `kinds`: their statements in models are skipped with a
 * warning instead of being errors (the database side never reads them).
 * (id, config word, statement as messages name it) */
#define AG_UNMANAGED_KINDS(X)                                                  \
    X(RULE, "rule", "CREATE RULE")                                             \
    X(FOREIGN_TABLE, "foreign_table", "CREATE FOREIGN TABLE")                  \
    X(SERVER, "server", "CREATE SERVER")                                       \
    X(FDW, "foreign_data_wrapper", "CREATE FOREIGN DATA WRAPPER")              \
    X(USER_MAPPING, "user_mapping", "CREATE USER MAPPING")                     \
    X(TABLE_AS, "table_as", "CREATE TABLE AS / SELECT INTO")

enum {
#define AG_UM_IDX(id, word, stmt) AG_UNMANAGED_IDX_##id,
    AG_UNMANAGED_KINDS(AG_UM_IDX)
#undef AG_UM_IDX
};
enum {
#define AG_UM_BIT(id, word, stmt)                                              \
    AG_UNMANAGED_##id = 1u << AG_UNMANAGED_IDX_##id,
    AG_UNMANAGED_KINDS(AG_UM_BIT)
#undef AG_UM_BIT
};

/* The bit for a config word ("rule"), 0 when unknown. */
unsigned ag_unmanaged_bit(const char *word);
/* The config word and the statement of a single bit. */
const char *ag_unmanaged_word(unsigned bit);
const char *ag_unmanaged_stmt(unsigned bit);

typedef struct ag_config {
    char *path; /* the file read, NULL when none */
    char *models;
    char *migrations;
    char *database_url; /* as written (not yet expanded) */
    char *dev_url;      /* likewise; NULL = none configured */
    char *cache_dir;    /* as written; NULL = the default, "off" = none */
    char **schemas;
    size_t nschemas;
    char *version_table_schema;
    char *lock_timeout;      /* NULL = the server's setting */
    char *statement_timeout; /* NULL = the server's setting */
    char *lock_wait;         /* NULL = the default (60 s) */
    unsigned unmanaged;      /* AG_UNMANAGED_* bits from [unmanaged] kinds */
    bool rename_in_models;   /* rename_in_models = apply */
    char **exclude;          /* [exclude] objects: "schema.name" each */
    size_t nexclude;
} ag_config;

void ag_config_init(ag_config *cfg);
void ag_config_free(ag_config *cfg);
/* Read path into cfg.  Unknown keys and sections are errors (a typo must
 * not silently change what autogen manages). */
int ag_config_read(ag_config *cfg, const char *path, ag_error *err);
/* Append a schema to cfg->schemas (copied). */
void ag_config_add_schema(ag_config *cfg, const char *schema);

#endif
