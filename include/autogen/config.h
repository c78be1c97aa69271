/*
 * config.h - autogen.ini, read with libinih.
 *
 * [autogen]
 * models = models                 ; folder (or file) of model SQL
 * migrations = migrations         ; folder of revision files
 * database_url = ${DATABASE_URL}  ; ${VAR} expanded from the environment
 * dev_url = ${DEV_DATABASE_URL}   ; dev database for views (see devdb.h)
 * schemas = public, app           ; schemas autogen manages (default: all)
 * version_table_schema = public   ; where autogen_version lives
 * lock_timeout = 5s               ; SET for each revision's SQL (server syntax)
 * statement_timeout = 10min       ; likewise
 * lock_wait = 60s                 ; how long to wait for another runner
 *
 * Strings are malloc'd and freed by ag_config_free.
 */
#ifndef AUTOGEN_CONFIG_H
#define AUTOGEN_CONFIG_H

#include "autogen/base.h"

typedef struct ag_config {
    char *path; /* the file read, NULL when none */
    char *models;
    char *migrations;
    char *database_url; /* as written (not yet expanded) */
    char *dev_url;      /* likewise; NULL = none configured */
    char **schemas;
    size_t nschemas;
    char *version_table_schema;
    char *lock_timeout;      /* NULL = the server's setting */
    char *statement_timeout; /* NULL = the server's setting */
    char *lock_wait;         /* NULL = the default (60 s) */
} ag_config;

void ag_config_init(ag_config *cfg);
void ag_config_free(ag_config *cfg);
/* Read path into cfg.  Unknown keys and sections are errors (a typo must
 * not silently change what autogen manages). */
int ag_config_read(ag_config *cfg, const char *path, ag_error *err);
/* Append a schema to cfg->schemas (copied). */
void ag_config_add_schema(ag_config *cfg, const char *schema);

#endif
