/*
 * load_fixture.h - the loader unit suites' way to turn model SQL into a
 * catalog: one file "m.sql", optional autogen.ini options, diagnostics
 * kept for the assertions.
 */
#ifndef AUTOGEN_TEST_LOAD_FIXTURE_H
#define AUTOGEN_TEST_LOAD_FIXTURE_H

#include "autogen/catalog.h"
#include "autogen/loader.h"

/* Load `sql` as m.sql into *cat with `opts` (NULL: none) and seal it.
 * A catalog *cat already holds is destroyed first (a zeroed one holds
 * none).  The diagnostics replace *diag (freed first) when diag is not
 * NULL, else they are dropped.  Returns what ag_loader_finish returns. */
int load_sql(ag_catalog *cat, const char *sql, const ag_load_opts *opts,
             ag_diag *diag);

/* A suite's .init and .fini for its two catalogs and its diagnostics:
 * zeroed, and freed (a catalog only when it holds one). */
void fixture_init(ag_catalog *a, ag_catalog *b, ag_diag *diag);
void fixture_fini(ag_catalog *a, ag_catalog *b, ag_diag *diag);

/* Diff from -> to (both sealed; the diff must succeed: a Criterion
 * assertion) and render it: the summary (returned) and the SQL (*sql),
 * both malloc'd. */
char *diff_render(const ag_catalog *from, const ag_catalog *to, char **sql);

#endif
