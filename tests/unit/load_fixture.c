/*
 * load_fixture.c - model SQL into a catalog for the loader unit suites
 * (see load_fixture.h).
 */
#include "load_fixture.h"

#include <string.h>

int
load_sql(ag_catalog *cat, const char *sql, const ag_load_opts *opts,
         ag_diag *diag)
{
    if (cat->map)
        ag_catalog_destroy(cat);
    ag_catalog_init(cat, "models");
    ag_diag d;
    ag_diag_init(&d);
    ag_loader *ld = ag_loader_new(cat, &d);
    if (opts)
        ag_loader_set_opts(ld, opts);
    ag_loader_add_sql(ld, "m.sql", sql);
    ag_error err;
    int rc = ag_loader_finish(ld, &err);
    ag_loader_free(ld);
    if (diag) {
        ag_diag_free(diag);
        *diag = d;
    } else {
        ag_diag_free(&d);
    }
    return rc;
}

void
fixture_init(ag_catalog *a, ag_catalog *b, ag_diag *diag)
{
    memset(a, 0, sizeof *a);
    memset(b, 0, sizeof *b);
    ag_diag_init(diag);
}

void
fixture_fini(ag_catalog *a, ag_catalog *b, ag_diag *diag)
{
    ag_diag_free(diag);
    if (a->map)
        ag_catalog_destroy(a);
    if (b->map)
        ag_catalog_destroy(b);
}
