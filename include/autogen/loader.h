/*
 * loader.h - model files (plain PostgreSQL DDL) into a catalog.
 *
 * Files are parsed with libpg_query; each statement becomes catalog
 * objects.  Mistakes are collected as diagnostics (file:line:col with the
 * source line) and all reported at once; data statements are skipped with a
 * warning; statements that cannot be a declaration, or whose object kind is
 * not managed yet, are errors.  Cross-statement work (FK targets, implicit
 * constraint and index names, comments) happens in ag_loader_finish, so
 * statement order across files does not matter.
 */
#ifndef AUTOGEN_LOADER_H
#define AUTOGEN_LOADER_H

#include "autogen/catalog.h"

typedef struct ag_loader ag_loader;

/* cat must be initialised and empty; both cat and diag are borrowed and
 * must outlive the loader. */
ag_loader *ag_loader_new(ag_catalog *cat, ag_diag *diag);
/* Add one file's text; `name` is used in diagnostics and kept (copied). */
void ag_loader_add_sql(ag_loader *ld, const char *name, const char *sql);
/* Read and add a file, or every *.sql below a directory in path order. */
int ag_loader_add_path(ag_loader *ld, const char *path, ag_error *err);
/* Resolve everything and seal the catalog.  Returns 0, or AG_EPARSE when
 * diagnostics hold errors (err says how many). */
int ag_loader_finish(ag_loader *ld, ag_error *err);
void ag_loader_free(ag_loader *ld);

/* Convenience: new + add_path for each path + finish + free. */
int ag_load_paths(ag_catalog *cat, const char *const *paths, size_t npaths,
                  ag_diag *diag, ag_error *err);

/* What autogen.ini leaves out of the models. */
typedef struct ag_load_opts {
    /* Statements of these kinds (AG_UNMANAGED_* bits, config.h: the
     * [unmanaged] section) are skipped with a warning, not errors. */
    unsigned unmanaged;
    /* [exclude] objects: "schema.name"; statements creating or altering
     * them (or indexes, triggers, rules and comments on them) are skipped
     * with a warning. */
    const char *const *exclude;
    size_t nexclude;
    /* rename_in_models = apply: ALTER TABLE ... RENAME CONSTRAINT of a
     * constraint the models declare renames it (load_rename.c); else such
     * a statement is an error like every ALTER ... RENAME. */
    bool rename_in_models;
} ag_load_opts;

/* Set the options (borrowed; they must outlive the loader).  Call before
 * adding files. */
void ag_loader_set_opts(ag_loader *ld, const ag_load_opts *opts);
/* ag_load_paths with options (NULL: none). */
int ag_load_paths_opts(ag_catalog *cat, const char *const *paths, size_t npaths,
                       const ag_load_opts *opts, ag_diag *diag, ag_error *err);

#endif
