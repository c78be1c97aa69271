/* Unit tests for the dev-database cache's file format (src/devdb/
 * devcache.c, devcache_file.c): a dev catalog written and read back is
 * equal in every field ag_devdb_adopt reads - strings with newlines,
 * quotes, spaces, digits and colons, empty strings apart from NULL - and
 * a file that is truncated, corrupted, for another key or another format
 * is a miss (an error value), never a crash. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autogen/devcache.h"
#include "autogen/sha256.h"

static const char *KEY =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char *OTHER_KEY =
    "f123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static ag_expr *
expr(ag_catalog *c, const char *sql, const char *canon)
{
    ag_expr *e = ag_arena_alloc(&c->arena, sizeof *e);
    e->sql = sql ? ag_arena_strdup(&c->arena, sql) : NULL;
    e->canon = canon ? ag_arena_strdup(&c->arena, canon) : NULL;
    return e;
}

/* A dev catalog with every field the format carries set, in the awkward
 * spellings a real one can hold. */
static void
build(ag_catalog *c)
{
    ag_catalog_init(c, "dev");
    ag_view *v = ag_catalog_add(c, AG_KIND_VIEW, "public", "v x", sizeof *v);
    v->def = " SELECT t.a,\n    'it''s: 12:34 -' AS \"q\"\"\"\n   FROM "
             "public.t";
    v->check_option = "cascaded";
    v->security_barrier = true;
    v->ncols = 3;
    v->cols = ag_arena_alloc(&c->arena, 3 * sizeof *v->cols);
    v->cols[0] = (ag_column){.name = "a",
                             .type = "integer",
                             .comment = "line 1\nline 2 \"quoted\" 'x'"};
    v->cols[1] = (ag_column){.name = "q\"", .type = "text", .comment = ""};
    v->cols[2] =
        (ag_column){.name = "", .type = NULL, .default_expr = expr(c, "0", "")};
    v->ndeps = 2;
    v->deps = ag_arena_alloc(&c->arena, 2 * sizeof *v->deps);
    v->deps[0] = (ag_viewdep){AG_KIND_TABLE, {"public", "t"}, "a"};
    v->deps[1] = (ag_viewdep){AG_KIND_FUNCTION, {"app", "f(integer)"}, NULL};
    ag_view *m = ag_catalog_add(c, AG_KIND_VIEW, "app", "m", sizeof *m);
    m->materialized = true;
    m->def = "";
    m->security_invoker = true;

    ag_table *t = ag_catalog_add(c, AG_KIND_TABLE, "public", "t", sizeof *t);
    ag_column col = {.name = "a",
                     .type = "integer",
                     .notnull = true,
                     .collation = "pg_catalog.\"C\"",
                     .default_expr =
                         expr(c, "nextval('s'::regclass)", "FuncCall{...}\n2"),
                     .comment = "- not NULL"};
    ag_table_add_column(c, t, &col);
    col = (ag_column){.name = "g",
                      .type = "numeric(10,2)",
                      .generated = expr(c, "(a * 2)", NULL)};
    ag_table_add_column(c, t, &col);
    ag_catalog_add(c, AG_KIND_TABLE, "public", "empty", sizeof(ag_table));

    ag_constraint *k = ag_catalog_add_constraint(c, "public", "t", "t_a_check");
    k->type = AG_CON_CHECK;
    k->def = (ag_expr){"CHECK ((a > 0))", "Constraint{contype=6}"};
    ag_constraint *pk = ag_catalog_add_constraint(c, "public", "t", "t_pkey");
    pk->type = AG_CON_PRIMARY;
    pk->def = (ag_expr){"PRIMARY KEY (a)", "pk"};

    ag_domain *d =
        ag_catalog_add(c, AG_KIND_DOMAIN, "public", "pos", sizeof *d);
    d->default_expr = expr(c, "1", "AConst{ival=1}");
    d->nchecks = 2;
    d->checks = ag_arena_alloc(&c->arena, 2 * sizeof *d->checks);
    d->checks[0] =
        (ag_domain_check){"pos_check", {"CHECK ((VALUE > 0))", "c"}, NULL};
    d->checks[1] =
        (ag_domain_check){"pos_check1", {"CHECK (true)", NULL}, NULL};
    ag_catalog_add(c, AG_KIND_DOMAIN, "public", "plain", sizeof(ag_domain));
    ag_catalog_seal(c);
}

static void
str_eq(const char *got, const char *want, const char *what)
{
    if (!want)
        cr_expect_null(got, "%s: NULL expected, got \"%s\"", what, got);
    else if (!got)
        cr_expect_not_null(got, "%s: \"%s\" expected, got NULL", what, want);
    else
        cr_expect_str_eq(got, want, "%s", what);
}

static void
expr_eq(const ag_expr *got, const ag_expr *want, const char *what)
{
    if (!want || !got) {
        cr_expect_eq(got == NULL, want == NULL, "%s: presence", what);
        return;
    }
    str_eq(got->sql, want->sql, what);
    str_eq(got->canon, want->canon, what);
}

/* Every field the format promises, compared one by one. */
static void
catalogs_eq(const ag_catalog *got, const ag_catalog *want)
{
    ag_object *const *wl;
    size_t n = ag_catalog_list(want, AG_KIND_VIEW, &wl);
    ag_object *const *gl;
    cr_assert_eq(ag_catalog_list(got, AG_KIND_VIEW, &gl), n);
    for (size_t i = 0; i < n; i++) {
        const ag_view *w = (const ag_view *)wl[i];
        const ag_view *g =
            ag_catalog_view(got, w->obj.name.schema, w->obj.name.name);
        cr_assert_not_null(g, "view %s", w->obj.name.name);
        str_eq(g->def, w->def, "def");
        str_eq(g->check_option, w->check_option, "check_option");
        cr_expect_eq(g->materialized, w->materialized);
        cr_expect_eq(g->security_barrier, w->security_barrier);
        cr_expect_eq(g->security_invoker, w->security_invoker);
        cr_assert_eq(g->ncols, w->ncols);
        for (size_t k = 0; k < w->ncols; k++) {
            str_eq(g->cols[k].name, w->cols[k].name, "view col name");
            str_eq(g->cols[k].type, w->cols[k].type, "view col type");
            str_eq(g->cols[k].comment, w->cols[k].comment, "view col comment");
            expr_eq(g->cols[k].default_expr, w->cols[k].default_expr,
                    "view col default");
        }
        cr_assert_eq(g->ndeps, w->ndeps);
        for (size_t k = 0; k < w->ndeps; k++) {
            cr_expect_eq(g->deps[k].kind, w->deps[k].kind);
            str_eq(g->deps[k].name.schema, w->deps[k].name.schema, "dep");
            str_eq(g->deps[k].name.name, w->deps[k].name.name, "dep");
            str_eq(g->deps[k].col, w->deps[k].col, "dep col");
        }
    }
    n = ag_catalog_list(want, AG_KIND_TABLE, &wl);
    cr_assert_eq(ag_catalog_list(got, AG_KIND_TABLE, &gl), n);
    for (size_t i = 0; i < n; i++) {
        const ag_table *w = (const ag_table *)wl[i];
        const ag_table *g =
            ag_catalog_table(got, w->obj.name.schema, w->obj.name.name);
        cr_assert_not_null(g, "table %s", w->obj.name.name);
        cr_assert_eq(g->ncols, w->ncols);
        for (size_t k = 0; k < w->ncols; k++) {
            const ag_column *gc = &g->cols[k], *wc = &w->cols[k];
            str_eq(gc->name, wc->name, "col name");
            str_eq(gc->type, wc->type, "col type");
            str_eq(gc->collation, wc->collation, "col collation");
            cr_expect_eq(gc->notnull, wc->notnull);
            str_eq(gc->comment, wc->comment, "col comment");
            expr_eq(gc->default_expr, wc->default_expr, "col default");
            expr_eq(gc->generated, wc->generated, "col generated");
        }
    }
    n = ag_catalog_list(want, AG_KIND_CONSTRAINT, &wl);
    size_t checks = 0;
    for (size_t i = 0; i < n; i++) {
        const ag_constraint *w = (const ag_constraint *)wl[i];
        const ag_constraint *g = ag_catalog_find_constraint(
            got, w->obj.name.schema, w->table, w->obj.name.name);
        if (w->type != AG_CON_CHECK) {
            cr_expect_null(g, "only CHECK constraints are cached");
            continue;
        }
        checks++;
        cr_assert_not_null(g, "constraint %s", w->obj.name.name);
        cr_expect_eq(g->type, AG_CON_CHECK);
        expr_eq(&g->def, &w->def, "check");
    }
    cr_expect_eq(ag_catalog_list(got, AG_KIND_CONSTRAINT, &gl), checks);
    n = ag_catalog_list(want, AG_KIND_DOMAIN, &wl);
    cr_assert_eq(ag_catalog_list(got, AG_KIND_DOMAIN, &gl), n);
    for (size_t i = 0; i < n; i++) {
        const ag_domain *w = (const ag_domain *)wl[i];
        const ag_domain *g = (const ag_domain *)ag_catalog_find(
            got, AG_KIND_DOMAIN, w->obj.name.schema, w->obj.name.name);
        cr_assert_not_null(g, "domain %s", w->obj.name.name);
        expr_eq(g->default_expr, w->default_expr, "domain default");
        cr_assert_eq(g->nchecks, w->nchecks);
        for (size_t k = 0; k < w->nchecks; k++) {
            str_eq(g->checks[k].name, w->checks[k].name, "domain check");
            expr_eq(&g->checks[k].def, &w->checks[k].def, "domain check");
        }
    }
}

Test(devcache, round_trip)
{
    ag_catalog want, got;
    build(&want);
    ag_buf text;
    ag_buf_init(&text);
    ag_devcache_serialize(&want, KEY, &text);
    ag_catalog_init(&got, "cache");
    ag_error err = {0};
    cr_assert_eq(ag_devcache_parse(text.data, text.len, KEY, &got, &err), 0,
                 "%s", err.msg);
    catalogs_eq(&got, &want);
    /* Written again, the same bytes: the format is deterministic. */
    ag_buf again;
    ag_buf_init(&again);
    ag_devcache_serialize(&got, KEY, &again);
    cr_expect_str_eq(again.data, text.data);
    ag_buf_free(&again);
    ag_buf_free(&text);
    ag_catalog_destroy(&got);
    ag_catalog_destroy(&want);
}

/* Parsing `len` bytes of text (maybe edited) for key is a miss. */
static void
expect_miss(const char *text, size_t len, const char *key, const char *what)
{
    ag_catalog got;
    ag_catalog_init(&got, "cache");
    ag_error err = {0};
    int rc = ag_devcache_parse(text, len, key, &got, &err);
    cr_expect_neq(rc, 0, "%s: parsed as a hit", what);
    cr_expect(rc == 0 || err.msg[0], "%s: a miss says why", what);
    ag_catalog_destroy(&got);
}

Test(devcache, damaged_files_are_misses)
{
    ag_catalog want;
    build(&want);
    ag_buf text;
    ag_buf_init(&text);
    ag_devcache_serialize(&want, KEY, &text);
    char what[64];
    /* Every truncation, including the empty file and the header alone. */
    for (size_t len = 0; len < text.len; len++) {
        snprintf(what, sizeof what, "truncated to %zu bytes", len);
        expect_miss(text.data, len, KEY, what);
    }
    expect_miss(text.data, text.len, OTHER_KEY, "another key");
    /* One byte changed anywhere: the digest, the header or the body. */
    char *copy = ag_xmalloc(text.len + 2);
    for (size_t i = 0; i < text.len; i += 7) {
        memcpy(copy, text.data, text.len + 1);
        copy[i] = copy[i] == 'x' ? 'y' : 'x';
        snprintf(what, sizeof what, "byte %zu changed", i);
        expect_miss(copy, text.len, KEY, what);
    }
    /* Trailing bytes after the body. */
    memcpy(copy, text.data, text.len);
    memcpy(copy + text.len, "V", 2);
    expect_miss(copy, text.len + 1, KEY, "a trailing byte");
    /* Another format version. */
    memcpy(copy, text.data, text.len + 1);
    char *digit = strchr(copy, '\n') - 1;
    *digit = *digit == '9' ? '8' : (char)(*digit + 1);
    expect_miss(copy, text.len, KEY, "another format");
    free(copy);
    ag_buf_free(&text);
    ag_catalog_destroy(&want);
}

/* A body that passes its digest but is malformed (a hand-made file) is a
 * miss too: the parser checks every field. */
Test(devcache, malformed_body_with_a_valid_digest)
{
    static const char *const bodies[] = {
        "V 6:public\n",                                /* fields missing */
        "V 6:public 1:v 1:2 - - 1:0 1:0 1:0 1:0\n",    /* flag out of range */
        "V 6:public 1:v 1:0 - - 1:0 1:0 9:99999999\n", /* count too large */
        "V 6:public 1:v 1:0 - - 1:0 1:0 1:0 1:1 4:nope 1:a 1:b -\n",
        "T 6:public 99:t 1:0\n",                    /* length past the end */
        "T 6:public 1:t 1:0\nT 6:public 1:t 1:0\n", /* listed twice */
        "T 6:public 1:t 1:0",                       /* no newline */
        "X\n",                                      /* unknown record */
        "D 6:public 1:d 1:x 1:0\n",                 /* expression tag */
        "T 6:public 1:t 1:1 - - - 1:0 - - -\n",     /* NULL column name */
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        char sum[65];
        ag_sha256_hex(bodies[i], strlen(bodies[i]), sum);
        ag_buf text;
        ag_buf_init(&text);
        ag_buf_printf(&text, "autogen devcache %d\nkey %s\nbody %zu %s\n%s",
                      AG_DEVCACHE_FORMAT, KEY, strlen(bodies[i]), sum,
                      bodies[i]);
        char what[32];
        snprintf(what, sizeof what, "body %zu", i);
        expect_miss(text.data, text.len, KEY, what);
        ag_buf_free(&text);
    }
}

Test(devcache, files_are_written_whole_and_read_back)
{
    char dir[] = "/tmp/agt-devcache-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    ag_catalog want, got;
    build(&want);
    char *path = ag_devcache_path(dir, KEY);
    ag_error err = {0};
    ag_catalog_init(&got, "cache");
    cr_expect_neq(ag_devcache_load(path, KEY, &got, &err), 0, "no file yet");
    ag_catalog_destroy(&got);
    cr_assert_eq(ag_devcache_store(path, KEY, &want, &err), 0, "%s", err.msg);
    ag_catalog_init(&got, "cache");
    cr_assert_eq(ag_devcache_load(path, KEY, &got, &err), 0, "%s", err.msg);
    catalogs_eq(&got, &want);
    ag_catalog_destroy(&got);
    /* Only the file itself: no temp file left beside it. */
    char sub[300];
    snprintf(sub, sizeof sub, "%s/devdb", dir);
    int entries = 0;
    DIR *d = opendir(sub);
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        entries += e->d_name[0] != '.';
    closedir(d);
    cr_expect_eq(entries, 1);
    /* Truncated on disk: a miss. */
    cr_assert_eq(truncate(path, 100), 0);
    ag_catalog_init(&got, "cache");
    cr_expect_neq(ag_devcache_load(path, KEY, &got, &err), 0);
    ag_catalog_destroy(&got);
    unlink(path);
    rmdir(sub);
    rmdir(dir);
    free(path);
    ag_catalog_destroy(&want);
}

Test(devcache, cache_dir_resolution)
{
    char *dir = NULL;
    const char *source = NULL;
    setenv("AUTOGEN_CACHE_DIR", "/x/cache", 1);
    ag_devcache_dir("ignored", "conf/autogen.ini", &dir, &source);
    cr_expect_str_eq(dir, "/x/cache");
    free(dir);
    setenv("AUTOGEN_CACHE_DIR", "off", 1);
    ag_devcache_dir("ignored", NULL, &dir, &source);
    cr_expect_null(dir);
    unsetenv("AUTOGEN_CACHE_DIR");
    ag_devcache_dir(".cache", "conf/autogen.ini", &dir, &source);
    cr_expect_str_eq(dir, "conf/.cache", "relative to the config file");
    free(dir);
    ag_devcache_dir(".cache", "autogen.ini", &dir, &source);
    cr_expect_str_eq(dir, ".cache");
    free(dir);
    ag_devcache_dir(".cache", "/autogen.ini", &dir, &source);
    cr_expect_str_eq(dir, "/.cache");
    free(dir);
    ag_devcache_dir("off", "autogen.ini", &dir, &source);
    cr_expect_null(dir);
    setenv("XDG_CACHE_HOME", "/xdg", 1);
    ag_devcache_dir(NULL, NULL, &dir, &source);
    cr_expect_str_eq(dir, "/xdg/autogen");
    free(dir);
    unsetenv("XDG_CACHE_HOME");
    setenv("HOME", "/home/u", 1);
    ag_devcache_dir(NULL, NULL, &dir, &source);
    cr_expect_str_eq(dir, "/home/u/.cache/autogen");
    free(dir);
}
