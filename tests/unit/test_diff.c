/* Unit tests for src/diff: the ops and their order, on catalogs built by
 * hand, checked through the emitted SQL and the op list. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/diff.h"
#include "autogen/emit.h"
#include "catalog_fixture.h"

/* ---- catalog builders ---- */

TestSuite(diff, .init = catalogs_setup, .fini = catalogs_teardown);

static ag_table *
table(ag_catalog *cat, const char *name)
{
    ag_table *t = ag_catalog_add(cat, AG_KIND_TABLE, "public", name, sizeof *t);
    cr_assert_not_null(t);
    t->persistence = 'p';
    return t;
}

static ag_column *
column(ag_catalog *cat, ag_table *t, const char *name, const char *type,
       bool notnull)
{
    ag_column c = {.name = ag_arena_strdup(&cat->arena, name),
                   .type = ag_arena_strdup(&cat->arena, type),
                   .notnull = notnull};
    return ag_table_add_column(cat, t, &c);
}

/* "a,b" -> array in the arena */
static const char **
list(ag_catalog *cat, const char *csv, size_t *n)
{
    *n = 0;
    if (!csv || !*csv)
        return NULL;
    const char **out = ag_arena_alloc(&cat->arena, 16 * sizeof *out);
    const char *p = csv;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        out[(*n)++] = ag_arena_strndup(&cat->arena, p, len);
        p += len + (e ? 1 : 0);
    }
    return out;
}

static ag_constraint *
constraint(ag_catalog *cat, const char *tbl, const char *name, char type,
           const char *cols, const char *def)
{
    ag_constraint *k = ag_catalog_add_constraint(cat, "public", tbl, name);
    cr_assert_not_null(k);
    k->type = type;
    k->cols = list(cat, cols, &k->ncols);
    k->def = *expr(cat, def);
    return k;
}

static ag_constraint *
fkey(ag_catalog *cat, const char *tbl, const char *name, const char *cols,
     const char *ref, const char *refcols)
{
    char def[256];
    snprintf(def, sizeof def, "FOREIGN KEY (%s) REFERENCES public.%s(%s)",
             cols, ref, refcols);
    ag_constraint *k = constraint(cat, tbl, name, AG_CON_FOREIGN, cols, def);
    k->ref_table.schema = "public";
    k->ref_table.name = ag_arena_strdup(&cat->arena, ref);
    k->ref_cols = list(cat, refcols, &k->nref_cols);
    return k;
}

static ag_index *
index_(ag_catalog *cat, const char *tbl, const char *name, const char *cols,
       bool unique)
{
    ag_index *x = ag_catalog_add(cat, AG_KIND_INDEX, "public", name, sizeof *x);
    cr_assert_not_null(x);
    x->table = ag_arena_strdup(&cat->arena, tbl);
    x->unique = unique;
    x->cols = list(cat, cols, &x->ncols);
    x->def.sql = ag_arena_sprintf(&cat->arena,
                                  "CREATE %sINDEX %s ON public.%s USING btree "
                                  "(%s)",
                                  unique ? "UNIQUE " : "", name, tbl, cols);
    x->def.canon = ag_arena_sprintf(&cat->arena, "%s btree (%s)",
                                    unique ? "unique" : "", cols);
    return x;
}

static ag_enum *
enum_(ag_catalog *cat, const char *name, const char *labels)
{
    ag_enum *e = ag_catalog_add(cat, AG_KIND_ENUM, "public", name, sizeof *e);
    cr_assert_not_null(e);
    e->labels = list(cat, labels, &e->nlabels);
    return e;
}

static ag_sequence *
sequence(ag_catalog *cat, const char *name, const char *owner_tbl,
         const char *owner_col)
{
    ag_sequence *s =
        ag_catalog_add(cat, AG_KIND_SEQUENCE, "public", name, sizeof *s);
    cr_assert_not_null(s);
    s->type = "integer";
    s->start = 1;
    s->increment = 1;
    s->min = 1;
    s->max = 2147483647;
    s->cache = 1;
    if (owner_tbl) {
        s->owned_by.schema = "public";
        s->owned_by.name = ag_arena_strdup(&cat->arena, owner_tbl);
        s->owned_col = ag_arena_strdup(&cat->arena, owner_col);
    }
    return s;
}

/* A serial column: integer, nextval default, owned sequence. */
static ag_table *
serial_table(ag_catalog *cat, const char *name)
{
    ag_table *t = table(cat, name);
    char seq[128], def[256];
    snprintf(seq, sizeof seq, "%s_id_seq", name);
    snprintf(def, sizeof def, "nextval('public.%s'::regclass)", seq);
    column(cat, t, "id", "integer", true)->default_expr = expr(cat, def);
    sequence(cat, seq, name, "id");
    return t;
}

/* ---- running the differ ---- */

static ag_plan plan;

static char *
run(const ag_catalog *from, const ag_catalog *to)
{
    ag_catalog_seal((ag_catalog *)from);
    ag_catalog_seal((ag_catalog *)to);
    ag_error err = {0};
    int rc = ag_diff(from, to, &plan, &err);
    cr_assert_eq(rc, 0, "ag_diff: %s", err.msg);
    ag_buf out;
    ag_buf_init(&out);
    ag_emit_sql(&plan, &out);
    char *s = ag_buf_detach(&out);
    ag_buf_free(&out); /* detach leaves a fresh empty buffer */
    return s;
}

/* SQL of diff(from, to) with the plan freed; caller frees. */
static char *
sql_of(const ag_catalog *from, const ag_catalog *to)
{
    char *s = run(from, to);
    ag_plan_free(&plan);
    return s;
}

static char *
summary_of(const ag_catalog *from, const ag_catalog *to)
{
    free(run(from, to));
    ag_buf out;
    ag_buf_init(&out);
    ag_emit_summary(&plan, &out);
    ag_plan_free(&plan);
    char *s = ag_buf_detach(&out);
    ag_buf_free(&out); /* detach leaves a fresh empty buffer */
    return s;
}

static void
expect_sql(const ag_catalog *from, const ag_catalog *to, const char *want)
{
    char *got = sql_of(from, to);
    cr_assert_str_eq(got, want, "\n--- got ---\n%s\n--- want ---\n%s", got,
                     want);
    free(got);
}

/* Position of `needle` in `hay` (asserting it is there). */
static size_t
at(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    cr_assert_not_null(p, "missing `%s` in:\n%s", needle, hay);
    return (size_t)(p - hay);
}

static void
absent(const char *hay, const char *needle)
{
    cr_assert_null(strstr(hay, needle), "unexpected `%s` in:\n%s", needle,
                   hay);
}

/* ---- tables and columns ---- */

Test(diff, identical_catalogs_give_an_empty_plan)
{
    ag_catalog *cats[] = {&A, &B};
    for (int i = 0; i < 2; i++) {
        ag_table *t = serial_table(cats[i], "users");
        column(cats[i], t, "email", "character varying(255)", true);
        constraint(cats[i], "users", "users_pkey", AG_CON_PRIMARY, "id",
                   "PRIMARY KEY (id)");
        index_(cats[i], "users", "users_email_idx", "email", false);
        enum_(cats[i], "mood", "sad,ok,happy");
    }
    char *s = run(&A, &B);
    cr_assert_eq(ag_plan_count(&plan), 0);
    cr_assert_str_eq(s, "");
    ag_plan_free(&plan);
    free(s);
    s = run(&A, &A);
    cr_assert_eq(ag_plan_count(&plan), 0);
    ag_plan_free(&plan);
    free(s);
}

Test(diff, create_and_drop_table)
{
    ag_table *t = table(&B, "users");
    column(&B, t, "id", "integer", true);
    ag_column *e = column(&B, t, "email", "character varying(255)", true);
    e->collation = "pg_catalog.\"C\"";
    constraint(&B, "users", "users_pkey", AG_CON_PRIMARY, "id",
               "PRIMARY KEY (id)");
    expect_sql(&A, &B,
               "CREATE TABLE public.users (\n"
               "    id integer NOT NULL,\n"
               "    email character varying(255) COLLATE \"C\" "
               "NOT NULL,\n"
               "    CONSTRAINT users_pkey PRIMARY KEY (id)\n"
               ");\n");
    expect_sql(&B, &A,
               "-- hazard: deletes-data: drops table public.users and its "
               "rows\n"
               "DROP TABLE public.users;\n");
}

Test(diff, add_and_drop_column)
{
    ag_table *a = table(&A, "users");
    column(&A, a, "id", "integer", true);
    ag_table *b = table(&B, "users");
    column(&B, b, "id", "integer", true);
    column(&B, b, "phone", "character varying(20)", false);
    expect_sql(&A, &B,
               "ALTER TABLE public.users ADD COLUMN phone character "
               "varying(20);\n");
    expect_sql(&B, &A,
               "-- hazard: deletes-data: drops column public.users.phone and "
               "its values\n"
               "ALTER TABLE public.users DROP COLUMN phone;\n");
}

static void
one_column(const char *ta, const char *tb)
{
    column(&A, table(&A, "t"), "c", ta, false);
    column(&B, table(&B, "t"), "c", tb, false);
}

Test(diff, varchar_widening_needs_no_using_and_no_hazard)
{
    one_column("character varying(20)", "character varying(50)");
    expect_sql(&A, &B,
               "ALTER TABLE public.t ALTER COLUMN c TYPE character "
               "varying(50);\n");
    /* The other way narrows. */
    expect_sql(&B, &A,
               "-- hazard: deletes-data: narrowing public.t.c from character "
               "varying(50) to character varying(20) fails on values that do "
               "not fit\n"
               "ALTER TABLE public.t ALTER COLUMN c TYPE character "
               "varying(20);\n");
}

Test(diff, integer_to_bigint_needs_no_using)
{
    one_column("integer", "bigint");
    expect_sql(&A, &B,
               "-- hazard: table-rewrite: changing public.t.c from integer to "
               "bigint rewrites the table\n"
               "ALTER TABLE public.t ALTER COLUMN c TYPE bigint;\n");
}

Test(diff, text_to_integer_needs_using)
{
    one_column("text", "integer");
    char *s = sql_of(&A, &B);
    at(s, "ALTER TABLE public.t ALTER COLUMN c TYPE integer USING "
          "c::integer;\n");
    at(s, "-- hazard: table-rewrite:");
    free(s);
    /* integer -> text has an assignment cast */
    s = sql_of(&B, &A);
    at(s, "ALTER TABLE public.t ALTER COLUMN c TYPE text;\n");
    free(s);
}

Test(diff, type_classification)
{
    struct {
        const char *from, *to;
        bool using_cast, rewrite, narrowing;
    } cases[] = {
        {"character varying(20)", "character varying(50)", 0, 0, 0},
        {"character varying(50)", "character varying(20)", 0, 0, 1},
        {"character varying(20)", "character varying", 0, 0, 0},
        {"character varying(20)", "text", 0, 0, 0},
        {"text", "character varying(10)", 0, 0, 1},
        {"smallint", "integer", 0, 1, 0},
        {"integer", "bigint", 0, 1, 0},
        {"bigint", "numeric", 0, 1, 0},
        {"bigint", "integer", 0, 1, 1},
        {"real", "double precision", 0, 1, 0},
        {"double precision", "real", 0, 1, 1},
        {"numeric(10,2)", "numeric(12,2)", 0, 0, 0},
        {"numeric(12,2)", "numeric(10,2)", 0, 1, 1},
        {"integer", "text", 0, 1, 0},
        {"text", "integer", 1, 1, 0},
        {"text", "public.mood", 1, 1, 0},
        {"integer[]", "bigint[]", 0, 1, 0},
        {"integer", "integer[]", 1, 1, 0},
        {"timestamp(3) without time zone", "timestamp(6) without time zone",
         0, 0, 0},
        {"timestamp without time zone", "timestamp with time zone", 0, 1, 0},
        {"jsonb", "json", 1, 1, 0},
        {"character(2)", "character(4)", 0, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        catalogs_teardown();
        catalogs_setup();
        one_column(cases[i].from, cases[i].to);
        free(run(&A, &B));
        cr_assert_eq(ag_plan_count(&plan), 1, "%s -> %s", cases[i].from,
                     cases[i].to);
        const ag_op *op = &plan.ops[0];
        cr_assert_eq(op->type, AG_OP_ALTER_COLUMN_TYPE);
        cr_assert_eq(op->using_cast, cases[i].using_cast, "USING %s -> %s",
                     cases[i].from, cases[i].to);
        cr_assert_eq(!!(op->hazards & AG_HAZARD_TABLE_REWRITE),
                     cases[i].rewrite, "rewrite %s -> %s", cases[i].from,
                     cases[i].to);
        cr_assert_eq(!!(op->hazards & AG_HAZARD_DELETES_DATA),
                     cases[i].narrowing, "narrowing %s -> %s", cases[i].from,
                     cases[i].to);
        ag_plan_free(&plan);
    }
}

Test(diff, nullability_both_ways)
{
    column(&A, table(&A, "t"), "c", "text", false);
    column(&B, table(&B, "t"), "c", "text", true);
    expect_sql(&A, &B,
               "-- hazard: access-exclusive-lock: SET NOT NULL scans "
               "public.t under an ACCESS EXCLUSIVE lock\n"
               "ALTER TABLE public.t ALTER COLUMN c SET NOT NULL;\n");
    expect_sql(&B, &A, "ALTER TABLE public.t ALTER COLUMN c DROP NOT NULL;\n");
}

Test(diff, default_added_changed_dropped)
{
    ag_column *a = column(&A, table(&A, "t"), "c", "timestamp with time zone",
                          false);
    ag_column *b = column(&B, table(&B, "t"), "c", "timestamp with time zone",
                          false);
    b->default_expr = expr(&B, "now()");
    expect_sql(&A, &B, "ALTER TABLE public.t ALTER COLUMN c SET DEFAULT now();\n");
    expect_sql(&B, &A, "ALTER TABLE public.t ALTER COLUMN c DROP DEFAULT;\n");
    a->default_expr = expr(&A, "'2000-01-01'::timestamp with time zone");
    expect_sql(&A, &B, "ALTER TABLE public.t ALTER COLUMN c SET DEFAULT now();\n");
    char *s = summary_of(&B, &A);
    cr_assert_str_eq(s, "~ column public.t.c: default now() -> "
                        "'2000-01-01'::timestamp with time zone\n");
    free(s);
}

Test(diff, type_change_with_default_drops_and_resets_it)
{
    ag_column *a = column(&A, table(&A, "t"), "c", "text", false);
    a->default_expr = expr(&A, "'0'::text");
    ag_column *b = column(&B, table(&B, "t"), "c", "integer", false);
    b->default_expr = expr(&B, "0");
    expect_sql(&A, &B,
               "ALTER TABLE public.t ALTER COLUMN c DROP DEFAULT;\n"
               "\n"
               "-- hazard: table-rewrite: changing public.t.c from text to "
               "integer rewrites the table\n"
               "ALTER TABLE public.t ALTER COLUMN c TYPE integer USING "
               "c::integer;\n"
               "\n"
               "ALTER TABLE public.t ALTER COLUMN c SET DEFAULT 0;\n");
}

Test(diff, identity_add_drop_and_kind)
{
    ag_column *a = column(&A, table(&A, "t"), "id", "bigint", false);
    ag_column *b = column(&B, table(&B, "t"), "id", "bigint", true);
    b->identity = 'a';
    /* NOT NULL must hold before identity is added, and go after it is
     * dropped. */
    expect_sql(&A, &B,
               "-- hazard: access-exclusive-lock: SET NOT NULL scans "
               "public.t under an ACCESS EXCLUSIVE lock\n"
               "ALTER TABLE public.t ALTER COLUMN id SET NOT NULL;\n"
               "\n"
               "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS "
               "IDENTITY;\n"
               "\n"
               "SELECT setval(pg_get_serial_sequence('public.t', 'id'), "
               "coalesce(max(id) + 1, 1), false) FROM public.t;\n");
    expect_sql(&B, &A,
               "ALTER TABLE public.t ALTER COLUMN id DROP IDENTITY;\n"
               "\n"
               "ALTER TABLE public.t ALTER COLUMN id DROP NOT NULL;\n");
    a->identity = 'd';
    a->notnull = true;
    expect_sql(&A, &B,
               "ALTER TABLE public.t ALTER COLUMN id SET GENERATED ALWAYS;\n");
}

Test(diff, generated_expression_change_recreates_column_and_index)
{
    ag_table *ta = table(&A, "t");
    column(&A, ta, "a", "integer", false);
    column(&A, ta, "g", "integer", false)->generated = expr(&A, "a * 2");
    index_(&A, "t", "t_g_idx", "g", false);
    ag_table *tb = table(&B, "t");
    column(&B, tb, "a", "integer", false);
    column(&B, tb, "g", "integer", false)->generated = expr(&B, "a * 3");
    index_(&B, "t", "t_g_idx", "g", false);
    char *s = sql_of(&A, &B);
    size_t d = at(s, "DROP INDEX public.t_g_idx;");
    size_t dc = at(s, "ALTER TABLE public.t DROP COLUMN g;");
    size_t ac = at(s, "ALTER TABLE public.t ADD COLUMN g integer GENERATED "
                      "ALWAYS AS (a * 3) STORED;");
    size_t ci = at(s, "CREATE INDEX t_g_idx ON public.t USING btree (g);");
    cr_assert(d < dc && dc < ac && ac < ci, "%s", s);
    at(s, "-- hazard: table-rewrite: adding stored generated column");
    free(s);
    /* Generated -> plain is done in place. */
    column(&A, ta, "h", "integer", false)->generated = expr(&A, "a + 1");
    column(&B, tb, "h", "integer", false);
    s = sql_of(&A, &B);
    at(s, "ALTER TABLE public.t ALTER COLUMN h DROP EXPRESSION;\n");
    free(s);
}

Test(diff, column_rename_directive_both_directions)
{
    ag_table *ta = table(&A, "t");
    column(&A, ta, "name", "text", false);
    ag_table *tb = table(&B, "t");
    ag_column *c = column(&B, tb, "full_name", "text", true);
    c->renamed_from = "name";
    expect_sql(&A, &B,
               "ALTER TABLE public.t RENAME COLUMN name TO full_name;\n"
               "\n"
               "-- hazard: access-exclusive-lock: SET NOT NULL scans "
               "public.t under an ACCESS EXCLUSIVE lock\n"
               "ALTER TABLE public.t ALTER COLUMN full_name SET NOT NULL;\n");
    /* The downgrade renames back (the directive sits on the from side). */
    expect_sql(&B, &A,
               "ALTER TABLE public.t RENAME COLUMN full_name TO name;\n"
               "\n"
               "ALTER TABLE public.t ALTER COLUMN name DROP NOT NULL;\n");
}

Test(diff, comments_on_table_column_and_constraint)
{
    ag_table *ta = table(&A, "t");
    column(&A, ta, "c", "text", false);
    ag_table *tb = table(&B, "t");
    ag_column *c = column(&B, tb, "c", "text", false);
    c->comment = "it's a column";
    tb->obj.comment = "the table";
    constraint(&A, "t", "t_c_check", AG_CON_CHECK, "c", "CHECK (c <> '')");
    constraint(&B, "t", "t_c_check", AG_CON_CHECK, "c", "CHECK (c <> '')")
        ->obj.comment = "non-empty";
    expect_sql(&A, &B,
               "COMMENT ON TABLE public.t IS 'the table';\n"
               "\n"
               "COMMENT ON COLUMN public.t.c IS 'it''s a column';\n"
               "\n"
               "COMMENT ON CONSTRAINT t_c_check ON public.t IS "
               "'non-empty';\n");
    expect_sql(&B, &A,
               "COMMENT ON TABLE public.t IS NULL;\n"
               "\n"
               "COMMENT ON COLUMN public.t.c IS NULL;\n"
               "\n"
               "COMMENT ON CONSTRAINT t_c_check ON public.t IS NULL;\n");
}

/* ---- enums ---- */

Test(diff, enum_append_and_insert_use_add_value)
{
    enum_(&A, "mood", "sad,happy");
    enum_(&B, "mood", "meh,sad,ok,happy,ecstatic");
    expect_sql(&A, &B,
               "ALTER TYPE public.mood ADD VALUE 'meh' BEFORE 'sad';\n"
               "\n"
               "ALTER TYPE public.mood ADD VALUE 'ok' AFTER 'sad';\n"
               "\n"
               "ALTER TYPE public.mood ADD VALUE 'ecstatic' AFTER 'happy';\n");
}

Test(diff, enum_new_first_labels_anchor_on_existing_ones)
{
    enum_(&A, "e", "c");
    enum_(&B, "e", "a,b,c");
    expect_sql(&A, &B,
               "ALTER TYPE public.e ADD VALUE 'a' BEFORE 'c';\n"
               "\n"
               "ALTER TYPE public.e ADD VALUE 'b' AFTER 'a';\n");
    ag_catalog_remove(&A, ag_catalog_find(&A, AG_KIND_ENUM, "public", "e"));
    enum_(&A, "e", "");
    expect_sql(&A, &B,
               "ALTER TYPE public.e ADD VALUE 'a';\n"
               "\n"
               "ALTER TYPE public.e ADD VALUE 'b' AFTER 'a';\n"
               "\n"
               "ALTER TYPE public.e ADD VALUE 'c' AFTER 'b';\n");
}

Test(diff, enum_removal_rebuilds_and_converts_columns)
{
    enum_(&A, "mood", "sad,ok,happy");
    enum_(&B, "mood", "sad,happy");
    ag_column *a = column(&A, table(&A, "person"), "m", "public.mood", false);
    a->default_expr = expr(&A, "'ok'::public.mood");
    ag_column *b = column(&B, table(&B, "person"), "m", "public.mood", false);
    b->default_expr = expr(&B, "'sad'::public.mood");
    column(&A, table(&A, "log"), "ms", "public.mood[]", false);
    column(&B, table(&B, "log"), "ms", "public.mood[]", false);
    /* a column that is dropped keeps the old type until it goes */
    column(&A, table(&A, "old"), "m", "public.mood", false);
    expect_sql(
        &A, &B,
        "-- hazard: deletes-data: removing 'ok' from public.mood fails while "
        "rows still hold it\n"
        "-- hazard: table-rewrite: converting 2 columns to the rebuilt "
        "public.mood rewrites their tables\n"
        "-- public.mood: labels removed or reordered, which ALTER TYPE cannot "
        "do.\n"
        "-- Rebuilt by rename and swap: the old type is renamed, the new one "
        "created,\n"
        "-- the columns converted through text; the old type is dropped at "
        "the end.\n"
        "ALTER TYPE public.mood RENAME TO mood__autogen_old;\n"
        "\n"
        "CREATE TYPE public.mood AS ENUM (\n"
        "    'sad',\n"
        "    'happy'\n"
        ");\n"
        "\n"
        "ALTER TABLE public.log ALTER COLUMN ms TYPE public.mood[] USING "
        "ms::text[]::public.mood[];\n"
        "\n"
        "ALTER TABLE public.person ALTER COLUMN m DROP DEFAULT;\n"
        "\n"
        "ALTER TABLE public.person ALTER COLUMN m TYPE public.mood USING "
        "m::text::public.mood;\n"
        "\n"
        "ALTER TABLE public.person ALTER COLUMN m SET DEFAULT "
        "'sad'::public.mood;\n"
        "\n"
        "-- hazard: deletes-data: drops table public.old and its rows\n"
        "DROP TABLE public.old;\n"
        "\n"
        "DROP TYPE public.mood__autogen_old;\n");
    /* The other direction is a pure insert. */
    table(&B, "old");
    expect_sql(&B, &A,
               "ALTER TYPE public.mood ADD VALUE 'ok' AFTER 'sad';\n"
               "\n"
               "ALTER TABLE public.old ADD COLUMN m public.mood;\n"
               "\n"
               "ALTER TABLE public.person ALTER COLUMN m SET DEFAULT "
               "'ok'::public.mood;\n");
}

Test(diff, enum_reorder_rebuilds_without_data_hazard)
{
    enum_(&A, "mood", "a,b");
    enum_(&B, "mood", "b,a");
    free(run(&A, &B));
    cr_assert_eq(ag_plan_count(&plan), 2);
    cr_assert_eq(plan.ops[0].type, AG_OP_REBUILD_ENUM);
    cr_assert_eq(plan.ops[0].hazards, 0);
    cr_assert_eq(plan.ops[1].type, AG_OP_DROP_OLD_ENUM);
    ag_plan_free(&plan);
}

Test(diff, enum_create_and_drop_order_around_tables)
{
    enum_(&B, "mood", "a");
    column(&B, table(&B, "t"), "m", "public.mood", false);
    char *s = sql_of(&A, &B);
    cr_assert_lt(at(s, "CREATE TYPE public.mood"), at(s, "CREATE TABLE"));
    free(s);
    s = sql_of(&B, &A);
    cr_assert_lt(at(s, "DROP TABLE public.t"), at(s, "DROP TYPE public.mood"));
    free(s);
}

/* ---- constraints, indexes, sequences ---- */

Test(diff, fk_cycle_between_new_tables)
{
    ag_table *a = table(&B, "a");
    column(&B, a, "id", "integer", true);
    column(&B, a, "b_id", "integer", false);
    ag_table *b = table(&B, "b");
    column(&B, b, "id", "integer", true);
    column(&B, b, "a_id", "integer", false);
    constraint(&B, "a", "a_pkey", AG_CON_PRIMARY, "id", "PRIMARY KEY (id)");
    constraint(&B, "b", "b_pkey", AG_CON_PRIMARY, "id", "PRIMARY KEY (id)");
    fkey(&B, "a", "a_b_id_fkey", "b_id", "b", "id");
    fkey(&B, "b", "b_a_id_fkey", "a_id", "a", "id");
    expect_sql(&A, &B,
               "CREATE TABLE public.a (\n"
               "    id integer NOT NULL,\n"
               "    b_id integer,\n"
               "    CONSTRAINT a_pkey PRIMARY KEY (id)\n"
               ");\n"
               "\n"
               "CREATE TABLE public.b (\n"
               "    id integer NOT NULL,\n"
               "    a_id integer,\n"
               "    CONSTRAINT b_pkey PRIMARY KEY (id)\n"
               ");\n"
               "\n"
               "ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY "
               "(b_id) REFERENCES public.b(id);\n"
               "\n"
               "ALTER TABLE public.b ADD CONSTRAINT b_a_id_fkey FOREIGN KEY "
               "(a_id) REFERENCES public.a(id);\n");
    /* Dropping both: the FKs between them go first, no cycle error. */
    char *s = sql_of(&B, &A);
    size_t f1 = at(s, "ALTER TABLE public.a DROP CONSTRAINT a_b_id_fkey;");
    size_t ta = at(s, "DROP TABLE public.a;");
    size_t tb = at(s, "DROP TABLE public.b;");
    cr_assert(f1 < ta && f1 < tb);
    free(s);
}

Test(diff, dropped_tables_referencing_each_other_one_way_are_ordered)
{
    column(&A, table(&A, "a"), "id", "integer", true);
    column(&A, table(&A, "b"), "a_id", "integer", false);
    constraint(&A, "a", "a_pkey", AG_CON_PRIMARY, "id", "PRIMARY KEY (id)");
    fkey(&A, "b", "b_a_id_fkey", "a_id", "a", "id");
    char *s = sql_of(&A, &B);
    /* b references a: b goes first, and the FK goes with it. */
    cr_assert_lt(at(s, "DROP TABLE public.b;"), at(s, "DROP TABLE public.a;"));
    absent(s, "DROP CONSTRAINT");
    free(s);
}

Test(diff, fk_into_dropped_table_from_kept_table_is_dropped_first)
{
    column(&A, table(&A, "a"), "id", "integer", true);
    ag_table *ka = table(&A, "k");
    column(&A, ka, "a_id", "integer", false);
    column(&B, table(&B, "k"), "a_id", "integer", false);
    constraint(&A, "a", "a_pkey", AG_CON_PRIMARY, "id", "PRIMARY KEY (id)");
    fkey(&A, "k", "k_a_id_fkey", "a_id", "a", "id");
    char *s = sql_of(&A, &B);
    cr_assert_lt(at(s, "ALTER TABLE public.k DROP CONSTRAINT k_a_id_fkey;"),
                 at(s, "DROP TABLE public.a;"));
    absent(s, "DROP CONSTRAINT a_pkey");
    free(s);
}

Test(diff, pk_change_recreates_dependent_fk)
{
    ag_catalog *cats[] = {&A, &B};
    for (int i = 0; i < 2; i++) {
        ag_table *p = table(cats[i], "parent");
        column(cats[i], p, "id", "integer", true);
        column(cats[i], p, "k", "integer", true);
        ag_table *ch = table(cats[i], "child");
        column(cats[i], ch, "parent_id", "integer", false);
        fkey(cats[i], "child", "child_parent_id_fkey", "parent_id", "parent",
             "id");
    }
    constraint(&A, "parent", "parent_pkey", AG_CON_PRIMARY, "id",
               "PRIMARY KEY (id)");
    constraint(&B, "parent", "parent_pkey", AG_CON_PRIMARY, "id",
               "PRIMARY KEY (id) DEFERRABLE");
    char *s = sql_of(&A, &B);
    size_t dfk = at(s, "ALTER TABLE public.child DROP CONSTRAINT "
                       "child_parent_id_fkey;");
    size_t dpk = at(s, "ALTER TABLE public.parent DROP CONSTRAINT "
                       "parent_pkey;");
    size_t apk = at(s, "ALTER TABLE public.parent ADD CONSTRAINT parent_pkey "
                       "PRIMARY KEY (id) DEFERRABLE;");
    size_t afk = at(s, "ALTER TABLE public.child ADD CONSTRAINT "
                       "child_parent_id_fkey FOREIGN KEY (parent_id) "
                       "REFERENCES public.parent(id);");
    cr_assert(dfk < dpk && dpk < apk && apk < afk, "%s", s);
    at(s, "-- hazard: index-build: building the index of parent_pkey blocks "
          "writes to public.parent\n");
    free(s);
    s = summary_of(&A, &B);
    at(s, "- constraint child_parent_id_fkey on public.child (re-created: the "
          "key it references is re-created)\n");
    free(s);
}

Test(diff, dropping_a_pk_with_a_dropped_column_drops_fk_explicitly)
{
    ag_table *p = table(&A, "parent");
    column(&A, p, "id", "integer", true);
    column(&A, p, "code", "text", true);
    ag_table *ch = table(&A, "child");
    column(&A, ch, "code", "text", false);
    constraint(&A, "parent", "parent_code_key", AG_CON_UNIQUE, "code",
               "UNIQUE (code)");
    fkey(&A, "child", "child_code_fkey", "code", "parent", "code");
    column(&B, table(&B, "parent"), "id", "integer", true);
    column(&B, table(&B, "child"), "code", "text", false);
    char *s = sql_of(&A, &B);
    /* the unique constraint goes with its column; the FK must go first */
    absent(s, "DROP CONSTRAINT parent_code_key");
    cr_assert_lt(at(s, "ALTER TABLE public.child DROP CONSTRAINT "
                       "child_code_fkey;"),
                 at(s, "ALTER TABLE public.parent DROP COLUMN code;"));
    free(s);
}

Test(diff, index_changes_and_implicit_drops)
{
    ag_table *a = table(&A, "t");
    column(&A, a, "x", "integer", false);
    column(&A, a, "y", "integer", false);
    ag_table *b = table(&B, "t");
    column(&B, b, "x", "integer", false);
    index_(&A, "t", "t_x_idx", "x", false);
    index_(&B, "t", "t_x_idx", "x", true);
    index_(&A, "t", "t_y_idx", "y", false); /* goes with column y */
    char *s = sql_of(&A, &B);
    size_t d = at(s, "DROP INDEX public.t_x_idx;");
    size_t c = at(s, "CREATE UNIQUE INDEX t_x_idx ON public.t USING btree "
                     "(x);");
    cr_assert_lt(d, c);
    absent(s, "t_y_idx");
    at(s, "-- hazard: index-build: CREATE INDEX on public.t blocks writes");
    free(s);
}

Test(diff, serial_table_create_and_drop)
{
    ag_table *t = serial_table(&B, "items");
    column(&B, t, "name", "text", false);
    expect_sql(&A, &B,
               "CREATE SEQUENCE public.items_id_seq\n"
               "    AS integer\n"
               "    START WITH 1\n"
               "    INCREMENT BY 1\n"
               "    NO MINVALUE\n"
               "    NO MAXVALUE\n"
               "    CACHE 1;\n"
               "\n"
               "CREATE TABLE public.items (\n"
               "    id integer DEFAULT nextval('public.items_id_seq'::regclass) "
               "NOT NULL,\n"
               "    name text\n"
               ");\n"
               "\n"
               "ALTER SEQUENCE public.items_id_seq OWNED BY public.items.id;\n");
    expect_sql(&B, &A,
               "-- hazard: deletes-data: drops table public.items and its "
               "rows\n"
               "DROP TABLE public.items;\n");
}

Test(diff, dropping_a_serial_column_drops_its_sequence_with_it)
{
    ag_table *t = serial_table(&A, "items");
    column(&A, t, "name", "text", false);
    column(&B, table(&B, "items"), "name", "text", false);
    expect_sql(&A, &B,
               "-- hazard: deletes-data: drops column public.items.id and its "
               "values\n"
               "ALTER TABLE public.items DROP COLUMN id;\n");
}

Test(diff, same_default_text_with_different_canon_shows_canon)
{
    ag_column *a = column(&A, table(&A, "t"), "n", "numeric", false);
    ag_column *b = column(&B, table(&B, "t"), "n", "numeric", false);
    ag_expr *ea = ag_arena_alloc(&A.arena, sizeof *ea);
    ea->sql = "0";
    ea->canon = "(0)::numeric";
    a->default_expr = ea;
    b->default_expr = expr(&B, "0");
    char *s = summary_of(&A, &B);
    cr_assert_str_eq(s, "~ column public.t.n: default (0)::numeric -> 0 "
                        "(canonical forms)\n");
    free(s);
}

Test(diff, serial_to_identity_swaps_the_sequence_in_place)
{
    serial_table(&A, "orders");
    ag_table *t = table(&B, "orders");
    ag_column *id = column(&B, t, "id", "integer", true);
    id->identity = 'd';
    column(&A, (ag_table *)ag_catalog_table(&A, "public", "orders"), "total",
           "numeric", false);
    column(&B, t, "total", "numeric", false);
    /* The identity's sequence takes the serial's name: drop it first. */
    expect_sql(&A, &B,
               "ALTER TABLE public.orders ALTER COLUMN id DROP DEFAULT;\n"
               "\n"
               "DROP SEQUENCE public.orders_id_seq;\n"
               "\n"
               "ALTER TABLE public.orders ALTER COLUMN id ADD GENERATED BY "
               "DEFAULT AS IDENTITY;\n"
               "\n"
               "SELECT setval(pg_get_serial_sequence('public.orders', 'id'), "
               "coalesce(max(id) + 1, 1), false) FROM public.orders;\n");
    /* and back: the identity goes before the sequence is created */
    expect_sql(&B, &A,
               "ALTER TABLE public.orders ALTER COLUMN id DROP IDENTITY;\n"
               "\n"
               "CREATE SEQUENCE public.orders_id_seq\n"
               "    AS integer\n"
               "    START WITH 1\n"
               "    INCREMENT BY 1\n"
               "    NO MINVALUE\n"
               "    NO MAXVALUE\n"
               "    CACHE 1;\n"
               "\n"
               "SELECT setval('public.orders_id_seq', coalesce(max(id) + 1, 1), "
               "false) FROM public.orders;\n"
               "\n"
               "ALTER TABLE public.orders ALTER COLUMN id SET DEFAULT "
               "nextval('public.orders_id_seq'::regclass);\n"
               "\n"
               "ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;\n");
}

Test(diff, sequence_surviving_its_owner_is_detached_first)
{
    serial_table(&A, "items");
    sequence(&B, "items_id_seq", NULL, NULL);
    char *s = sql_of(&A, &B);
    cr_assert_lt(at(s, "ALTER SEQUENCE public.items_id_seq OWNED BY NONE;"),
                 at(s, "DROP TABLE public.items;"));
    free(s);
}

Test(diff, sequence_options)
{
    ag_sequence *a = sequence(&A, "s", NULL, NULL);
    ag_sequence *b = sequence(&B, "s", NULL, NULL);
    (void)a;
    b->increment = 5;
    b->cache = 20;
    b->cycle = true;
    expect_sql(&A, &B,
               "ALTER SEQUENCE public.s INCREMENT BY 5 NO MINVALUE NO MAXVALUE "
               "CACHE 20 CYCLE;\n");
    expect_sql(&B, &A,
               "ALTER SEQUENCE public.s INCREMENT BY 1 NO MINVALUE NO MAXVALUE "
               "CACHE 1 NO CYCLE;\n");
    expect_sql(&B, &B, "");
}

Test(diff, names_needing_quotes)
{
    ag_schema *sc = ag_catalog_add(&B, AG_KIND_SCHEMA, "", "My App",
                                   sizeof *sc);
    (void)sc;
    ag_table *t = ag_catalog_add(&B, AG_KIND_TABLE, "My App", "User",
                                 sizeof *t);
    column(&B, t, "order", "integer", true);
    column(&B, t, "a b", "text", false);
    column(&B, t, "x\"y", "text", false);
    column(&B, t, "type", "text", false);
    ag_constraint *k =
        ag_catalog_add_constraint(&B, "My App", "User", "User_pkey");
    k->type = AG_CON_PRIMARY;
    k->def = *expr(&B, "PRIMARY KEY (\"order\")");
    k->obj.comment = "pk";
    expect_sql(&A, &B,
               "CREATE SCHEMA \"My App\";\n"
               "\n"
               "CREATE TABLE \"My App\".\"User\" (\n"
               "    \"order\" integer NOT NULL,\n"
               "    \"a b\" text,\n"
               "    \"x\"\"y\" text,\n"
               "    type text,\n"
               "    CONSTRAINT \"User_pkey\" PRIMARY KEY (\"order\")\n"
               ");\n"
               "\n"
               "COMMENT ON CONSTRAINT \"User_pkey\" ON \"My App\".\"User\" IS "
               "'pk';\n");
    expect_sql(&B, &A,
               "-- hazard: deletes-data: drops table \"My App\".\"User\" and "
               "its rows\n"
               "DROP TABLE \"My App\".\"User\";\n"
               "\n"
               "DROP SCHEMA \"My App\";\n");
}

/* ---- determinism and symmetry ---- */

static void
build_pair(void)
{
    ag_catalog *cats[] = {&A, &B};
    for (int i = 0; i < 2; i++) {
        ag_catalog *c = cats[i];
        ag_table *u = serial_table(c, "users");
        column(c, u, "email", i ? "character varying(320)"
                                : "character varying(255)",
               true);
        if (i)
            column(c, u, "phone", "character varying(20)", false);
        else
            column(c, u, "legacy", "text", false);
        constraint(c, "users", "users_pkey", AG_CON_PRIMARY, "id",
                   "PRIMARY KEY (id)");
        ag_table *p = table(c, "posts");
        column(c, p, "id", "bigint", true)->identity = i ? 'a' : '\0';
        column(c, p, "user_id", "integer", !i);
        fkey(c, "posts", i ? "posts_user_fkey" : "posts_fk", "user_id",
             "users", "id");
        ag_table *d = table(c, i ? "drafts" : "archive");
        column(c, d, "body", "text", false);
        index_(c, "users", "users_email_idx", "email", i == 1);
        enum_(c, "mood", i ? "sad,ok,happy" : "sad,happy");
        ag_extension *x = ag_catalog_add(c, AG_KIND_EXTENSION, "",
                                         i ? "citext" : "hstore", sizeof *x);
        x->schema = "public";
    }
}

Test(diff, same_input_gives_byte_identical_sql)
{
    build_pair();
    char *s1 = sql_of(&A, &B);
    char *s2 = sql_of(&A, &B);
    cr_assert_str_eq(s1, s2);
    cr_assert_gt(strlen(s1), 100);
    free(s1);
    free(s2);
}

static ag_op_type
mirror(ag_op_type t)
{
    static const ag_op_type pairs[][2] = {
        {AG_OP_CREATE_SCHEMA, AG_OP_DROP_SCHEMA},
        {AG_OP_CREATE_EXTENSION, AG_OP_DROP_EXTENSION},
        {AG_OP_CREATE_ENUM, AG_OP_DROP_ENUM},
        {AG_OP_CREATE_SEQUENCE, AG_OP_DROP_SEQUENCE},
        {AG_OP_CREATE_TABLE, AG_OP_DROP_TABLE},
        {AG_OP_ADD_COLUMN, AG_OP_DROP_COLUMN},
        {AG_OP_SET_NOT_NULL, AG_OP_DROP_NOT_NULL},
        {AG_OP_SET_DEFAULT, AG_OP_DROP_DEFAULT},
        {AG_OP_ADD_IDENTITY, AG_OP_DROP_IDENTITY},
        {AG_OP_ADD_CONSTRAINT, AG_OP_DROP_CONSTRAINT},
        {AG_OP_CREATE_INDEX, AG_OP_DROP_INDEX},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (pairs[i][0] == t)
            return pairs[i][1];
        if (pairs[i][1] == t)
            return pairs[i][0];
    }
    return t;
}

/* "type object" keys of a plan, mirrored or not, sorted. */
static char **
op_keys(bool mirrored, size_t *n)
{
    char **keys = calloc(plan.nops, sizeof *keys);
    for (size_t i = 0; i < plan.nops; i++) {
        const ag_op *op = &plan.ops[i];
        const ag_column *col = op->to_col ? op->to_col : op->from_col;
        ag_op_type t = mirrored ? mirror(op->type) : op->type;
        char buf[512];
        snprintf(buf, sizeof buf, "%s %s.%s.%s.%s", ag_op_name(t),
                 op->name.schema, op->table ? op->table : "", op->name.name,
                 col ? col->name : "");
        keys[i] = strdup(buf);
    }
    *n = plan.nops;
    return keys;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(diff, upgrade_and_downgrade_mirror_each_other)
{
    build_pair();
    /* Drop the enum change, which is a rebuild one way and an insert the
     * other; everything else mirrors. */
    ag_catalog_remove(&A, ag_catalog_find(&A, AG_KIND_ENUM, "public", "mood"));
    ag_catalog_remove(&B, ag_catalog_find(&B, AG_KIND_ENUM, "public", "mood"));
    free(run(&A, &B));
    size_t n1, n2;
    char **up = op_keys(true, &n1);
    ag_plan_free(&plan);
    free(run(&B, &A));
    char **down = op_keys(false, &n2);
    ag_plan_free(&plan);
    cr_assert_eq(n1, n2);
    cr_assert_gt(n1, 8);
    qsort(up, n1, sizeof *up, cmp_str);
    qsort(down, n2, sizeof *down, cmp_str);
    for (size_t i = 0; i < n1; i++) {
        cr_assert_str_eq(up[i], down[i]);
        free(up[i]);
        free(down[i]);
    }
    free(up);
    free(down);
}

Test(diff, unsealed_catalog_is_einval)
{
    table(&A, "t");
    ag_error err;
    cr_assert_eq(ag_diff(&A, &B, &plan, &err), AG_EINVAL);
    ag_plan_free(&plan);
}
