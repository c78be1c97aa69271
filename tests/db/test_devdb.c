/* The dev database through its throwaway-cluster path (no URL): a model
 * view gets the server's canonical text, column types and dependencies,
 * and the cluster is gone afterwards.  (The fixture cases and the corpus
 * use a dev database URL on the test cluster instead.) */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

#include "autogen/devdb.h"
#include "autogen/loader.h"

Test(devdb, throwaway_cluster_canonicalises_views, .timeout = 180)
{
    ag_catalog cat;
    ag_catalog_init(&cat, "models");
    ag_diag diag;
    ag_diag_init(&diag);
    ag_loader *ld = ag_loader_new(&cat, &diag);
    ag_loader_add_sql(ld, "m.sql",
                      "CREATE TABLE t (a int, b varchar(5));\n"
                      "CREATE VIEW w AS SELECT * FROM v;\n"
                      "CREATE VIEW v AS SELECT * FROM t;\n");
    ag_error err = {0};
    cr_assert_eq(ag_loader_finish(ld, &err), 0, "%s", err.msg);
    ag_loader_free(ld);
    cr_assert(ag_devdb_needed(&cat));

    ag_devdb d;
    memset(&d, 0, sizeof d);
    int rc = ag_devdb_open(&d, NULL, &err);
    cr_assert_eq(rc, 0, "open: %s", err.msg);
    cr_assert(d.own_cluster);
    char dir[AG_TMPCLUSTER_PATH_MAX];
    strcpy(dir, d.cluster.base_dir);
    rc = ag_devdb_canon(d.conn, NULL, &cat, &err);
    cr_assert_eq(rc, 0, "canon: %s", err.msg);

    /* Nothing was left behind in the dev database. */
    PGresult *res = PQexec(d.conn, "SELECT count(*) FROM pg_class WHERE "
                                   "relname IN ('t', 'v', 'w')");
    cr_assert_str_eq(PQgetvalue(res, 0, 0), "0");
    PQclear(res);
    ag_devdb_close(&d);
    struct stat st;
    cr_expect_neq(stat(dir, &st), 0, "%s is still there", dir);

    const ag_view *v = ag_catalog_view(&cat, "public", "v");
    cr_assert_not_null(v);
    cr_expect_null(v->search_path);
    cr_expect(strstr(v->def, "t.a") && strstr(v->def, "FROM public.t"), "%s",
              v->def);
    cr_assert_eq(v->ncols, 2);
    cr_expect_str_eq(v->cols[1].type, "character varying(5)");
    bool reads_a = false;
    for (size_t i = 0; i < v->ndeps; i++)
        reads_a |= v->deps[i].kind == AG_KIND_TABLE && v->deps[i].col &&
                   strcmp(v->deps[i].col, "a") == 0;
    cr_expect(reads_a, "v's dependencies name column t.a");
    const ag_view *w = ag_catalog_view(&cat, "public", "w");
    cr_assert_not_null(w);
    cr_assert_eq(w->ndeps, 1);
    cr_expect_eq(w->deps[0].kind, AG_KIND_VIEW);
    cr_expect_str_eq(w->deps[0].name.name, "v");
    ag_diag_free(&diag);
    ag_catalog_destroy(&cat);
}
