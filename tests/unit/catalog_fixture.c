/* catalog_fixture.c - see catalog_fixture.h. */
#include "catalog_fixture.h"

ag_catalog A, B;

void
catalogs_setup(void)
{
    ag_catalog_init(&A, "database");
    ag_catalog_init(&B, "models");
}

void
catalogs_teardown(void)
{
    ag_catalog_destroy(&A);
    ag_catalog_destroy(&B);
}

const ag_expr *
expr(ag_catalog *cat, const char *sql)
{
    ag_expr *e = ag_arena_alloc(&cat->arena, sizeof *e);
    e->sql = ag_arena_strdup(&cat->arena, sql);
    e->canon = e->sql;
    return e;
}
