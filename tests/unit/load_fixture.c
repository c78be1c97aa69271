/*
 * load_fixture.c - model SQL into a catalog for the loader unit suites
 * (see load_fixture.h).
 */
#include "load_fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#include "autogen/diff.h"
#include "autogen/emit.h"

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

char *
diff_render(const ag_catalog *from, const ag_catalog *to, char **sql)
{
    ag_plan plan;
    ag_error err;
    cr_assert_eq(ag_diff(from, to, &plan, &err), 0, "%s", err.msg);
    ag_buf b, s;
    ag_buf_init(&b);
    ag_buf_init(&s);
    ag_emit_summary(&plan, &b);
    ag_emit_sql(&plan, &s);
    ag_plan_free(&plan);
    *sql = ag_buf_detach(&s);
    ag_buf_free(&s);
    char *out = ag_buf_detach(&b);
    ag_buf_free(&b);
    return out;
}
