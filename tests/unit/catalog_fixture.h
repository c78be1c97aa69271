/*
 * catalog_fixture.h - two in-memory catalogs for the differ and emitter
 * unit tests: A (the database side) and B (the models side), made fresh
 * for every test by the suite's .init/.fini.
 */
#ifndef AUTOGEN_TEST_CATALOG_FIXTURE_H
#define AUTOGEN_TEST_CATALOG_FIXTURE_H

#include "autogen/catalog.h"

extern ag_catalog A, B;

void catalogs_setup(void);
void catalogs_teardown(void);

/* An expression whose canonical form is its text (in cat's arena). */
const ag_expr *expr(ag_catalog *cat, const char *sql);

#endif
