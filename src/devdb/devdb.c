/*
 * devdb.c - the models run in a dev database, for the server's canonical
 * view definitions (see devdb.h for why and when).
 *
 * Safety: everything the models do to the dev database happens between
 * one BEGIN and one ROLLBACK on a single connection; nothing is committed.
 * The advisory lock is transaction-level, so it goes with the ROLLBACK.
 */
#include "autogen/devdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/db.h"
#include "autogen/diff.h"
#include "autogen/emit.h"
#include "autogen/introspect.h"

bool
ag_devdb_needed(const ag_catalog *models)
{
    ag_object *const *list;
    if (ag_catalog_list(models, AG_KIND_VIEW, &list) > 0)
        return true;
    size_t n = ag_catalog_list(models, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++)
        if (((const ag_table *)list[i])->as_sql)
            return true;
    return false;
}

int
ag_devdb_open(ag_devdb *d, const char *url, ag_error *err)
{
    if (url && *url) {
        int rc = ag_db_connect(url, &d->conn, err);
        if (rc)
            ag_error_prefix(err, "dev database: ");
        return rc;
    }
    int rc = ag_tmpcluster_start(&d->cluster, err);
    if (rc) {
        ag_error_prefix(err, "dev database: the models hold views, which are "
                             "compared in the server's own form, and no dev "
                             "database was given (--dev-url, dev_url in "
                             "autogen.ini, AUTOGEN_DEV_URL), so a throwaway "
                             "PostgreSQL was started, which failed: ");
        return rc;
    }
    d->own_cluster = true;
    char conninfo[AG_TMPCLUSTER_PATH_MAX + 64];
    snprintf(conninfo, sizeof conninfo,
             "host='%s' port=%d user=postgres dbname=postgres",
             ag_tmpcluster_socket_dir(&d->cluster),
             ag_tmpcluster_port(&d->cluster));
    rc = ag_db_connect(conninfo, &d->conn, err);
    if (rc)
        ag_error_prefix(err, "dev database: ");
    return rc;
}

void
ag_devdb_close(ag_devdb *d)
{
    if (d->conn)
        PQfinish(d->conn);
    d->conn = NULL;
    if (d->own_cluster) {
        ag_error ignored;
        ag_tmpcluster_stop(&d->cluster, &ignored);
        d->own_cluster = false;
    }
}

/* The line of sql holding the server's error position (1-based, in
 * characters; the generated SQL is UTF-8), copied into line[]: which
 * statement failed, for the error message.  0 when there is no position. */
static int
error_line(const char *sql, const char *position, char *line, size_t size)
{
    long pos = position ? strtol(position, NULL, 10) : 0;
    if (pos <= 0)
        return 0;
    const char *p = sql, *start = sql;
    int lineno = 1;
    for (long chars = 1; *p && chars < pos; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80)
            chars++;
        if (*p == '\n') {
            lineno++;
            start = p + 1;
        }
    }
    size_t len = strcspn(start, "\n");
    if (len >= size)
        len = size - 1;
    memcpy(line, start, len);
    line[len] = '\0';
    return lineno;
}

/* Run sql (one or many statements); AG_EDB with the server's message and,
 * when the server gives a position, the line of sql it points into. */
static int
exec(PGconn *conn, const char *what, const char *sql, ag_error *err)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        if (!msg)
            msg = PQerrorMessage(conn);
        char line[200];
        int lineno =
            error_line(sql, PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION),
                       line, sizeof line);
        if (lineno > 0)
            rc = ag_errorf(err, AG_EDB,
                           "dev database: %s: %s (line %d of the SQL "
                           "generated from the models: %s)",
                           what, msg, lineno, line);
        else
            rc = ag_errorf(err, AG_EDB, "dev database: %s: %s", what, msg);
    }
    PQclear(res);
    return rc;
}

/* Copy s into cat's arena (NULL stays NULL). */
static const char *
dup(ag_catalog *cat, const char *s)
{
    return s ? ag_arena_strdup(&cat->arena, s) : NULL;
}

static const ag_expr *
dup_expr(ag_catalog *cat, const ag_expr *e)
{
    if (!e)
        return NULL;
    ag_expr *x = ag_arena_alloc(&cat->arena, sizeof *x);
    x->sql = dup(cat, e->sql);
    x->canon = dup(cat, e->canon);
    return x;
}

/* The dev database's view `dv` replaces the model view mv's text. */
static void
adopt(ag_catalog *cat, ag_view *mv, const ag_view *dv)
{
    mv->def = dup(cat, dv->def);
    mv->search_path = NULL;
    mv->aliased = false;
    mv->check_option = dup(cat, dv->check_option);
    mv->security_barrier = dv->security_barrier;
    mv->security_invoker = dv->security_invoker;
    mv->cols = ag_arena_alloc(&cat->arena, (dv->ncols + 1) * sizeof *mv->cols);
    for (size_t i = 0; i < dv->ncols; i++) {
        mv->cols[i].name = dup(cat, dv->cols[i].name);
        mv->cols[i].type = dup(cat, dv->cols[i].type);
        mv->cols[i].comment = dup(cat, dv->cols[i].comment);
        mv->cols[i].default_expr = dup_expr(cat, dv->cols[i].default_expr);
    }
    mv->ncols = dv->ncols;
    mv->deps = ag_arena_alloc(&cat->arena, (dv->ndeps + 1) * sizeof *mv->deps);
    for (size_t i = 0; i < dv->ndeps; i++) {
        mv->deps[i].kind = dv->deps[i].kind;
        mv->deps[i].name.schema = dup(cat, dv->deps[i].name.schema);
        mv->deps[i].name.name = dup(cat, dv->deps[i].name.name);
        mv->deps[i].col = dup(cat, dv->deps[i].col);
    }
    mv->ndeps = dv->ndeps;
}

/* The dev database's text replaces the models' for every expression
 * present on both sides (see ag_devdb_canon); an expression the dev
 * database lacks means the models were run wrongly, so it is left for
 * the diff to show. */
static void
adopt_expressions(ag_catalog *models, const ag_catalog *dev)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(models, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        ag_table *mt = (ag_table *)list[i];
        const ag_table *dt =
            ag_catalog_table(dev, mt->obj.name.schema, mt->obj.name.name);
        for (size_t k = 0; dt && k < mt->ncols; k++) {
            ag_column *mc = &mt->cols[k];
            const ag_column *dc = ag_table_column(dt, mc->name);
            if (!dc)
                continue;
            if (mc->default_expr && dc->default_expr)
                mc->default_expr = dup_expr(models, dc->default_expr);
            if (mc->generated && dc->generated)
                mc->generated = dup_expr(models, dc->generated);
        }
    }
    n = ag_catalog_list(models, AG_KIND_CONSTRAINT, &list);
    for (size_t i = 0; i < n; i++) {
        ag_constraint *mc = (ag_constraint *)list[i];
        if (mc->type != AG_CON_CHECK)
            continue;
        const ag_constraint *dc = ag_catalog_find_constraint(
            dev, mc->obj.name.schema, mc->table, mc->obj.name.name);
        if (dc && dc->type == AG_CON_CHECK) {
            mc->def.sql = dup(models, dc->def.sql);
            mc->def.canon = dup(models, dc->def.canon);
        }
    }
    n = ag_catalog_list(models, AG_KIND_DOMAIN, &list);
    for (size_t i = 0; i < n; i++) {
        ag_domain *md = (ag_domain *)list[i];
        const ag_domain *dd = (const ag_domain *)ag_catalog_find(
            dev, AG_KIND_DOMAIN, md->obj.name.schema, md->obj.name.name);
        if (!dd)
            continue;
        if (md->default_expr && dd->default_expr)
            md->default_expr = dup_expr(models, dd->default_expr);
        for (size_t k = 0; k < md->nchecks; k++)
            for (size_t j = 0; j < dd->nchecks; j++)
                if (strcmp(md->checks[k].name, dd->checks[j].name) == 0) {
                    md->checks[k].def.sql = dup(models, dd->checks[j].def.sql);
                    md->checks[k].def.canon =
                        dup(models, dd->checks[j].def.canon);
                }
    }
}

/* A CREATE TABLE AS table takes the columns the dev database gave it. */
static int
adopt_table_as(ag_catalog *models, const ag_catalog *dev, ag_error *err)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(models, AG_KIND_TABLE, &list);
    for (size_t i = 0; i < n; i++) {
        ag_table *mt = (ag_table *)list[i];
        if (!mt->as_sql)
            continue;
        const ag_table *dt =
            ag_catalog_table(dev, mt->obj.name.schema, mt->obj.name.name);
        if (!dt)
            return ag_errorf(err, AG_EDB,
                             "dev database: table %s.%s was not created",
                             mt->obj.name.schema, mt->obj.name.name);
        for (size_t k = 0; k < dt->ncols; k++) {
            const ag_column *dc = &dt->cols[k];
            ag_column c = {0};
            c.name = dup(models, dc->name);
            c.type = dup(models, dc->type);
            c.collation = dup(models, dc->collation);
            c.notnull = dc->notnull;
            c.comment = dup(models, dc->comment);
            c.loc = mt->obj.loc;
            ag_table_add_column(models, mt, &c);
        }
        mt->as_sql = NULL;
        mt->as_search_path = NULL;
    }
    return 0;
}

static int
copy_views(ag_catalog *models, const ag_catalog *dev, ag_error *err)
{
    ag_object *const *list;
    size_t n = ag_catalog_list(models, AG_KIND_VIEW, &list);
    for (size_t i = 0; i < n; i++) {
        ag_view *mv = (ag_view *)list[i];
        const ag_view *dv =
            ag_catalog_view(dev, mv->obj.name.schema, mv->obj.name.name);
        if (!dv)
            return ag_errorf(err, AG_EDB,
                             "dev database: view %s.%s was not created",
                             mv->obj.name.schema, mv->obj.name.name);
        adopt(models, mv, dv);
    }
    return 0;
}

/* Inside the open transaction: plan base -> models, run it, read back. */
static int
load_and_read(PGconn *conn, ag_catalog *models, ag_catalog *dev, ag_error *err)
{
    ag_catalog base;
    ag_catalog_init(&base, "dev database");
    int rc = ag_introspect(conn, NULL, &base, NULL, err);
    ag_plan plan;
    bool planned = false;
    if (rc == 0) {
        rc = ag_diff(&base, models, &plan, err);
        planned = true;
    }
    if (rc == 0) {
        ag_buf sql;
        ag_buf_init(&sql);
        ag_emit_sql(&plan, &sql);
        if (sql.len)
            rc = exec(conn, "running the models", sql.data, err);
        ag_buf_free(&sql);
    }
    if (planned)
        ag_plan_free(&plan);
    ag_catalog_destroy(&base);
    if (rc == 0)
        rc = ag_introspect(conn, NULL, dev, NULL, err);
    return rc;
}

/* SET LOCAL the settings that decide how constants print to the values
 * the `like` session reports (libpq tracks them: GUC_REPORT). */
static int
match_settings(PGconn *conn, PGconn *like, ag_error *err)
{
    static const char *const names[] = {"TimeZone", "DateStyle",
                                        "IntervalStyle"};
    for (size_t i = 0; like && i < sizeof names / sizeof names[0]; i++) {
        const char *v = PQparameterStatus(like, names[i]);
        if (!v)
            continue;
        char *lit = PQescapeLiteral(conn, v, strlen(v));
        if (!lit)
            return ag_errorf(err, AG_EDB, "dev database: %s",
                             PQerrorMessage(conn));
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT pg_catalog.set_config('%s', %s, true)", names[i], lit);
        PQfreemem(lit);
        int rc = exec(conn, "matching the database's settings", sql, err);
        if (rc)
            return rc;
    }
    return 0;
}

int
ag_devdb_read(PGconn *conn, PGconn *like, ag_catalog *models, ag_catalog *dev,
              ag_error *err)
{
    int rc = exec(conn, "starting a transaction", "BEGIN", err);
    if (rc)
        return rc;
    /* Runs sharing a dev database take turns; released at ROLLBACK. */
    rc = exec(conn, "waiting for the dev database",
              "SELECT pg_catalog.pg_advisory_xact_lock(7163, 1)", err);
    /* The models' own notices and warnings (PostgREST's casts to domains:
     * "cast will be ignored") are about the models, already loaded once
     * by their author: not for autogen's output. */
    if (rc == 0)
        rc = exec(conn, "quieting notices",
                  "SET LOCAL client_min_messages = error", err);
    if (rc == 0)
        rc = match_settings(conn, like, err);
    if (rc == 0)
        rc = load_and_read(conn, models, dev, err);
    ag_error rb_err;
    int rb = exec(conn, "rolling back", "ROLLBACK", &rb_err);
    if (rc == 0 && rb != 0) {
        *err = rb_err;
        rc = rb;
    }
    return rc;
}

int
ag_devdb_adopt(ag_catalog *models, const ag_catalog *dev, ag_error *err)
{
    int rc = copy_views(models, dev, err);
    if (rc == 0)
        rc = adopt_table_as(models, dev, err);
    if (rc == 0)
        adopt_expressions(models, dev);
    return rc;
}

int
ag_devdb_canon(PGconn *conn, PGconn *like, ag_catalog *models, ag_error *err)
{
    ag_catalog dev;
    ag_catalog_init(&dev, "dev database");
    int rc = ag_devdb_read(conn, like, models, &dev, err);
    if (rc == 0)
        rc = ag_devdb_adopt(models, &dev, err);
    ag_catalog_destroy(&dev);
    return rc;
}
