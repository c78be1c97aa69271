/* Unit tests for canonical forms: type names, expressions, constraint
 * bodies and index definitions, model spelling vs server spelling. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/ast.h"
#include "autogen/canon.h"

static ag_catalog cat;

static void
setup(void)
{
    ag_catalog_init(&cat, "test");
}

static void
teardown(void)
{
    ag_catalog_destroy(&cat);
}

static const char *
expr(const char *sql)
{
    const ag_expr *e;
    ag_error err;
    int rc = ag_canon_expr_text(&cat, sql, "public", &e, &err);
    cr_assert_eq(rc, 0, "%s: %s", sql, err.msg);
    return e->canon;
}

#define SAME_EXPR(model, server)                                         \
    cr_assert_str_eq(expr(model), expr(server), "%s ~ %s", model, server)

TestSuite(canon, .init = setup, .fini = teardown);

Test(canon, defaults_match_server_spelling)
{
    SAME_EXPR("'x'", "'x'::text");
    SAME_EXPR("'x'", "'x'::character varying");
    SAME_EXPR("0", "(0)::numeric");
    SAME_EXPR("-1", "'-1'::integer");
    SAME_EXPR("now()", "now()");
    SAME_EXPR("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP");
    SAME_EXPR("now() + interval '1 day'", "(now() + '1 day'::interval)");
    SAME_EXPR("'{}'", "'{}'::text[]");
    SAME_EXPR("nextval('t_id_seq')", "nextval('public.t_id_seq'::regclass)");
    SAME_EXPR("pg_catalog.lower('X')", "lower('X'::text)");
    SAME_EXPR("gen_random_uuid()", "gen_random_uuid()");
    SAME_EXPR("true", "true");
}

Test(canon, checks_match_server_spelling)
{
    SAME_EXPR("price > 0", "(price > (0)::numeric)");
    SAME_EXPR("status IN ('a', 'b')",
              "((status)::text = ANY ((ARRAY['a'::character varying, "
              "'b'::character varying])::text[]))");
    SAME_EXPR("status NOT IN ('a', 'b')",
              "(status <> ALL (ARRAY['a'::text, 'b'::text]))");
    SAME_EXPR("n BETWEEN 1 AND 10", "((n >= 1) AND (n <= 10))");
    SAME_EXPR("name LIKE 'a%'", "((name)::text ~~ 'a%'::text)");
    SAME_EXPR("a > 0 AND b > 0 AND c > 0",
              "((a > 0) AND (b > 0) AND (c > 0))");
    SAME_EXPR("char_length(code) = 3", "(char_length((code)::text) = 3)");
    SAME_EXPR("x IS NOT NULL", "(x IS NOT NULL)");
    SAME_EXPR("unit_price * quantity", "(unit_price * (quantity)::numeric)");
}

Test(canon, model_sql_quotes_names_the_deparser_leaves_bare)
{
    ag_ast ast;
    ag_error err;
    cr_assert_eq(ag_ast_parse(&ast, "CREATE UNIQUE INDEX \"Meas Uniq\" ON "
                                    "public.t (a) NULLS NOT DISTINCT",
                              NULL, &err),
                 0);
    ag_index *idx = ag_catalog_add(&cat, AG_KIND_INDEX, "public", "Meas Uniq",
                                   sizeof *idx);
    cr_assert_eq(ag_canon_index_node(&cat, &ast,
                                     ast.tree->stmts[0]->stmt->index_stmt, idx,
                                     "public", &err),
                 0);
    cr_assert_str_eq(idx->def.sql, "CREATE UNIQUE INDEX \"Meas Uniq\" ON "
                                   "public.t USING btree (a) NULLS NOT "
                                   "DISTINCT");
    ag_ast_free(&ast);
    cr_assert_eq(ag_ast_parse(&ast, "ALTER TABLE t ADD CONSTRAINT c UNIQUE "
                                    "NULLS NOT DISTINCT (a)",
                              NULL, &err),
                 0);
    ag_constraint *con = ag_catalog_add_constraint(&cat, "public", "t", "c");
    PgQuery__Constraint *c = ast.tree->stmts[0]
                                 ->stmt->alter_table_stmt->cmds[0]
                                 ->alter_table_cmd->def->constraint;
    cr_assert_eq(ag_canon_constraint_node(&cat, &ast, c, con, "public", &err),
                 0);
    cr_assert_str_eq(con->def.sql, "UNIQUE NULLS NOT DISTINCT (a)");
    ag_ast_free(&ast);
}

Test(canon, emitted_sql_names_the_sequence_schema)
{
    const ag_expr *e;
    ag_error err;
    cr_assert_eq(ag_canon_expr_text(&cat, "nextval('t_id_seq'::regclass)",
                                    "app", &e, &err),
                 0);
    /* _text keeps the server's text; the model path qualifies: */
    ag_ast ast;
    cr_assert_eq(ag_ast_parse(&ast, "SELECT nextval('t_id_seq'::regclass)",
                              NULL, &err),
                 0);
    PgQuery__ResTarget *rt =
        ast.tree->stmts[0]->stmt->select_stmt->target_list[0]->res_target;
    cr_assert_eq(ag_canon_expr_node(&cat, &ast, &rt->val, "app", &e, &err), 0);
    cr_assert_str_eq(e->sql, "nextval('app.t_id_seq'::regclass)");
    ag_ast_free(&ast);
}

Test(canon, different_definitions_stay_different)
{
    cr_assert_str_neq(expr("price > 0"), expr("price >= 0"));
    cr_assert_str_neq(expr("'a'"), expr("'b'"));
    cr_assert_str_neq(expr("now()"), expr("CURRENT_TIMESTAMP"));
    cr_assert_str_neq(expr("n BETWEEN 1 AND 10"), expr("n BETWEEN 1 AND 11"));
    cr_assert_str_neq(expr("x::date"), expr("x::time"));
    cr_assert_str_neq(expr("(a + b)::integer"), expr("(a + b)::bigint"));
}

static const char *
constraint(const char *body)
{
    static int counter;
    char name[32];
    snprintf(name, sizeof name, "c%d", ++counter);
    ag_constraint *con = ag_catalog_add_constraint(&cat, "public", "t", name);
    cr_assert_not_null(con);
    ag_error err;
    int rc = ag_canon_constraint_text(&cat, con, body, &err);
    cr_assert_eq(rc, 0, "%s: %s", body, err.msg);
    return con->def.canon;
}

Test(canon, constraint_bodies)
{
    cr_assert_str_eq(constraint("CHECK (price > 0)"),
                     constraint("CHECK ((price > (0)::numeric))"));
    cr_assert_str_eq(
        constraint("FOREIGN KEY (a) REFERENCES public.t(id)"),
        constraint("FOREIGN KEY (a) REFERENCES public.t(id) MATCH SIMPLE ON "
                   "UPDATE NO ACTION ON DELETE NO ACTION"));
    cr_assert_str_neq(
        constraint("FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE"),
        constraint("FOREIGN KEY (a) REFERENCES public.t(id)"));
    const char *nnd = constraint("UNIQUE NULLS NOT DISTINCT (a, b)");
    cr_assert_str_neq(nnd, constraint("UNIQUE (a, b)"));
    cr_assert_str_neq(constraint("CHECK (a > 0) NOT VALID"),
                      constraint("CHECK (a > 0)"));
}

static ag_index *
index_def(const char *name, const char *stmt)
{
    ag_index *idx = ag_catalog_add(&cat, AG_KIND_INDEX, "public", name,
                                   sizeof *idx);
    idx->table = "t";
    ag_error err;
    int rc = ag_canon_index_text(&cat, idx, stmt, &err);
    cr_assert_eq(rc, 0, "%s: %s", stmt, err.msg);
    return idx;
}

Test(canon, index_definitions)
{
    ag_index *a = index_def("i1", "CREATE INDEX i1 ON public.t (lower(email) "
                                  "ASC NULLS LAST, b DESC)");
    ag_index *b = index_def(
        "i2", "CREATE INDEX i2 ON public.t USING btree (lower((email)::text), "
              "b DESC)");
    cr_assert_str_eq(a->def.canon, b->def.canon);
    cr_assert_eq(a->ncols, 1);
    cr_assert_str_eq(a->cols[0], "b");
    ag_index *c = index_def("i3", "CREATE INDEX i3 ON public.t (b DESC NULLS "
                                  "LAST, lower(email))");
    cr_assert_str_neq(a->def.canon, c->def.canon);
    ag_index *p1 = index_def("p1", "CREATE INDEX p1 ON public.t (a) WHERE a "
                                   "IN (1, 2)");
    ag_index *p2 = index_def("p2", "CREATE INDEX p2 ON public.t USING btree "
                                   "(a) WHERE (a = ANY (ARRAY[1, 2]))");
    cr_assert_str_eq(p1->def.canon, p2->def.canon);
    cr_assert(strstr(p1->def.sql, "p1"), "sql keeps the name: %s",
              p1->def.sql);
    ag_index *q = index_def("Meas Uniq", "CREATE INDEX \"Meas Uniq\" ON "
                                         "\"My T\".\"a b\" (\"x y\")");
    /* the server's statement is emitted as it is */
    cr_assert_str_eq(q->def.sql, "CREATE INDEX \"Meas Uniq\" ON \"My T\"."
                                 "\"a b\" (\"x y\")");
}

static const char *
type_of(const char *typ)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT NULL::%s", typ);
    ag_ast ast;
    ag_error err;
    cr_assert_eq(ag_ast_parse(&ast, sql, NULL, &err), 0, "%s", err.msg);
    PgQuery__TypeCast *tc = ast.tree->stmts[0]
                                ->stmt->select_stmt->target_list[0]
                                ->res_target->val->type_cast;
    const char *out;
    int serial;
    cr_assert_eq(ag_ast_type_canon(&cat.arena, tc->type_name, "public", &out,
                                   &serial, &err),
                 0, "%s", err.msg);
    ag_ast_free(&ast);
    return out;
}

Test(canon, type_names_as_format_type_prints_them)
{
    static const char *const pairs[][2] = {
        {"int", "integer"},
        {"int4", "integer"},
        {"int8", "bigint"},
        {"smallint", "smallint"},
        {"bool", "boolean"},
        {"float", "double precision"},
        {"float(10)", "real"},
        {"float8", "double precision"},
        {"decimal(10,2)", "numeric(10,2)"},
        {"numeric(5)", "numeric(5,0)"},
        {"numeric", "numeric"},
        {"varchar(20)", "character varying(20)"},
        {"character varying", "character varying"},
        {"char", "character(1)"},
        {"char(3)", "character(3)"},
        {"\"char\"", "\"char\""},
        {"timestamptz", "timestamp with time zone"},
        {"timestamp(3) with time zone", "timestamp(3) with time zone"},
        {"timestamp", "timestamp without time zone"},
        {"time(2)", "time(2) without time zone"},
        {"timetz", "time with time zone"},
        {"interval", "interval"},
        {"interval day to second(3)", "interval day to second(3)"},
        {"interval(2)", "interval(2)"},
        {"bit", "bit(1)"},
        {"varbit(5)", "bit varying(5)"},
        {"int[][]", "integer[]"},
        {"text[]", "text[]"},
        {"jsonb", "jsonb"},
        {"mood", "public.mood"},
        {"app.\"Mood\"", "app.\"Mood\""},
        {"citext", "public.citext"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        cr_expect_str_eq(type_of(pairs[i][0]), pairs[i][1], "%s",
                         pairs[i][0]);
}

/* A column default seen before is not canonicalised again, but the memo
 * must never hand one schema's result to another (nextval('s') is
 * qualified with the default schema) nor mix model text and server text. */
static const ag_expr *
default_node(const char *sql, const char *schema)
{
    ag_ast ast;
    ag_error err;
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "SELECT %s", sql);
    cr_assert_eq(ag_ast_parse(&ast, b.data, NULL, &err), 0);
    PgQuery__ResTarget *rt =
        ast.tree->stmts[0]->stmt->select_stmt->target_list[0]->res_target;
    const ag_expr *e;
    cr_assert_eq(ag_canon_default_node(&cat, &ast, &rt->val, schema, &e, &err),
                 0, "%s: %s", sql, err.msg);
    ag_ast_free(&ast);
    ag_buf_free(&b);
    return e;
}

Test(canon, repeated_defaults_are_remembered_per_schema)
{
    const ag_expr *a = default_node("nextval('s')", "app");
    const ag_expr *b = default_node("nextval('s')", "app");
    const ag_expr *c = default_node("nextval('s')", "other");
    cr_assert_eq(a->canon, b->canon, "the second one is a memo hit");
    cr_assert_str_eq(b->sql, "nextval('app.s')");
    cr_assert_str_eq(c->sql, "nextval('other.s')");
    cr_assert_str_neq(a->canon, c->canon);
    /* after a hit the result is still the full computation's */
    cr_assert_str_eq(default_node("now()", "app")->canon,
                     default_node("now()", "app")->canon);
    cr_assert_str_eq(default_node("now()", "app")->canon, expr("now()"));

    /* server text: remembered too, and still the server's own sql */
    const ag_expr *t1, *t2;
    ag_error err;
    cr_assert_eq(ag_canon_expr_text(&cat, "(0)::numeric", "public", &t1, &err),
                 0);
    cr_assert_eq(ag_canon_expr_text(&cat, "(0)::numeric", "public", &t2, &err),
                 0);
    cr_assert_eq(t1->canon, t2->canon);
    cr_assert_str_eq(t2->sql, "(0)::numeric");
    cr_assert_str_eq(t2->canon, expr("0"));
}

/* A model index through ag_canon_index_node (its statement parsed alone). */
static ag_index *
model_index(const char *name, const char *stmt, const char *schema)
{
    ag_ast ast;
    ag_error err;
    cr_assert_eq(ag_ast_parse(&ast, stmt, NULL, &err), 0, "%s", stmt);
    ag_index *idx =
        ag_catalog_add(&cat, AG_KIND_INDEX, schema, name, sizeof *idx);
    cr_assert_not_null(idx);
    cr_assert_eq(ag_canon_index_node(&cat, &ast,
                                     ast.tree->stmts[0]->stmt->index_stmt, idx,
                                     schema, &err),
                 0, "%s: %s", stmt, err.msg);
    ag_ast_free(&ast);
    return idx;
}

Test(canon, repeated_model_indexes_keep_their_own_name_and_table)
{
    ag_index *a = model_index("a_created", "CREATE INDEX a_created ON app.a "
                                           "(created_at) WHERE NOT done",
                              "app");
    ag_index *b = model_index("Order Created",
                              "CREATE INDEX \"Order Created\" ON ONLY "
                              "\"Order\" (created_at) WHERE NOT done",
                              "app");
    ag_index *c = model_index("c_created", "CREATE INDEX c_created ON c "
                                           "(created_at) WHERE NOT done",
                              "app");
    /* same shape: one canonical text (a memo hit), each its own SQL */
    cr_assert_str_eq(a->def.canon, c->def.canon);
    cr_assert_str_eq(a->def.canon, b->def.canon);
    cr_assert_str_eq(a->def.sql, "CREATE INDEX a_created ON app.a USING "
                                 "btree (created_at) WHERE NOT done");
    cr_assert_str_eq(b->def.sql, "CREATE INDEX \"Order Created\" ON ONLY "
                                 "\"Order\" USING btree (created_at) WHERE "
                                 "NOT done");
    cr_assert_str_eq(c->def.sql, "CREATE INDEX c_created ON c USING btree "
                                 "(created_at) WHERE NOT done");
    cr_assert_eq(c->ncols, 1);
    cr_assert_str_eq(c->cols[0], "created_at");
    /* a different shape or default schema is not taken for the same */
    ag_index *d =
        model_index("d", "CREATE UNIQUE INDEX d ON c (created_at) WHERE NOT "
                         "done",
                    "app");
    cr_assert(d->unique);
    cr_assert_str_neq(d->def.canon, c->def.canon);
    /* a placeholder-like column name cannot confuse the template */
    ag_index *h = model_index("h", "CREATE INDEX h ON c "
                                   "(ag_index_table_placeholder)",
                              "app");
    cr_assert_str_eq(h->def.sql, "CREATE INDEX h ON c USING btree "
                                 "(ag_index_table_placeholder)");
}

Test(canon, repeated_server_definitions_keep_their_own_text)
{
    ag_index *a = index_def("a", "CREATE INDEX a ON public.t USING btree (x)");
    ag_index *b = index_def("b x", "CREATE INDEX \"b x\" ON ONLY "
                                   "\"s ON t\".\"u USING v\" USING btree (x)");
    cr_assert_str_eq(a->def.canon, b->def.canon);
    cr_assert_str_eq(b->def.sql, "CREATE INDEX \"b x\" ON ONLY \"s ON t\"."
                                 "\"u USING v\" USING btree (x)");
    cr_assert_eq(b->ncols, 1);
    ag_index *u = index_def("u", "CREATE UNIQUE INDEX u ON public.t USING "
                                 "btree (x)");
    cr_assert(u->unique);
    cr_assert_str_neq(u->def.canon, a->def.canon);

    ag_constraint *k1 = ag_catalog_add_constraint(&cat, "public", "t1", "k");
    ag_constraint *k2 = ag_catalog_add_constraint(&cat, "public", "t2", "k");
    ag_error err;
    const char *fk = "FOREIGN KEY (a, b) REFERENCES public.p(x, y)";
    cr_assert_eq(ag_canon_constraint_text(&cat, k1, fk, &err), 0);
    cr_assert_eq(ag_canon_constraint_text(&cat, k2, fk, &err), 0);
    cr_assert_eq(k1->def.canon, k2->def.canon, "the second is a memo hit");
    cr_assert_str_eq(k2->def.sql, fk);
    cr_assert_eq(k2->type, AG_CON_FOREIGN);
    cr_assert_eq(k2->ncols, 2);
    cr_assert_str_eq(k2->ref_table.name, "p");
    cr_assert_str_eq(k2->ref_cols[1], "y");
}

/* A model constraint through ag_canon_constraint_node. */
static ag_constraint *
model_constraint(const char *table, const char *body, const char *schema)
{
    char sql[256];
    snprintf(sql, sizeof sql, "ALTER TABLE %s ADD %s", table, body);
    ag_ast ast;
    ag_error err;
    cr_assert_eq(ag_ast_parse(&ast, sql, NULL, &err), 0, "%s", sql);
    ag_constraint *con =
        ag_catalog_add_constraint(&cat, schema, table, "k");
    cr_assert_not_null(con);
    PgQuery__Constraint *c = ast.tree->stmts[0]
                                 ->stmt->alter_table_stmt->cmds[0]
                                 ->alter_table_cmd->def->constraint;
    cr_assert_eq(ag_canon_constraint_node(&cat, &ast, c, con, schema, &err),
                 0, "%s: %s", sql, err.msg);
    ag_ast_free(&ast);
    return con;
}

Test(canon, repeated_model_constraints_are_remembered_per_schema)
{
    ag_constraint *a = model_constraint("t1", "FOREIGN KEY (p) REFERENCES p",
                                        "app");
    ag_constraint *b = model_constraint("t2", "CONSTRAINT other FOREIGN KEY "
                                              "(p) REFERENCES p",
                                        "app");
    ag_constraint *c = model_constraint("t3", "FOREIGN KEY (p) REFERENCES p",
                                        "other");
    cr_assert_eq(a->def.canon, b->def.canon, "the name is not in the key");
    cr_assert_str_eq(b->def.sql, a->def.sql);
    cr_assert_str_eq(a->ref_table.schema, "app");
    cr_assert_str_eq(c->ref_table.schema, "other",
                     "the default schema is in the key");
    ag_constraint *d = model_constraint("t4", "CHECK (n > 0)", "app");
    ag_constraint *e = model_constraint("t5", "CHECK (n > 1)", "app");
    cr_assert_eq(d->type, AG_CON_CHECK);
    cr_assert_str_neq(d->def.canon, e->def.canon);
    cr_assert_str_eq(e->def.sql, "CHECK (n > 1)");
}

/* The database side parses a repeated constraint text once; the other
 * constraints get the same columns and texts, also when the first one
 * was a caller's temporary (domains check into a stack ag_constraint). */
Test(canon, repeated_constraints_are_remembered)
{
    ag_error err;
    {
        ag_constraint tmp = {0};
        cr_assert_eq(ag_canon_constraint_text(
                         &cat, &tmp, "FOREIGN KEY (a, b) REFERENCES s.t(x, y)",
                         &err),
                     0, "%s", err.msg);
        memset(&tmp, 0xa5, sizeof tmp); /* gone */
    }
    ag_constraint *k = ag_catalog_add_constraint(&cat, "public", "u", "k");
    cr_assert_eq(ag_canon_constraint_text(
                     &cat, k, "FOREIGN KEY (a, b) REFERENCES s.t(x, y)", &err),
                 0, "%s", err.msg);
    cr_assert_eq(k->type, AG_CON_FOREIGN);
    cr_assert_eq(k->ncols, 2);
    cr_assert_str_eq(k->cols[1], "b");
    cr_assert_str_eq(k->ref_table.schema, "s");
    cr_assert_str_eq(k->ref_table.name, "t");
    cr_assert_eq(k->nref_cols, 2);
    cr_assert_str_eq(k->ref_cols[0], "x");
    cr_assert_str_eq(k->def.sql, "FOREIGN KEY (a, b) REFERENCES s.t(x, y)");
    cr_assert_str_eq(constraint("PRIMARY KEY (id)"),
                     constraint("PRIMARY KEY (id)"));
    cr_assert_str_neq(constraint("PRIMARY KEY (id)"),
                      constraint("PRIMARY KEY (id, b)"));
}

/* A deep copy outlives the tree it was taken from and prints the same
 * (oneof Nodes, repeated messages, strings, enums, booleans). */
Test(canon, ast_copy_outlives_its_tree)
{
    static const char *sql[] = {
        "CREATE TABLE s.t (id bigint GENERATED BY DEFAULT AS IDENTITY, "
        "a text NOT NULL DEFAULT 'x' CHECK (a <> ''), b numeric(10,2)[], "
        "PRIMARY KEY (id), FOREIGN KEY (a) REFERENCES u(a) ON DELETE "
        "CASCADE DEFERRABLE INITIALLY DEFERRED)",
        "CREATE UNIQUE INDEX i ON s.t USING btree (lower(a) DESC NULLS "
        "LAST, b) INCLUDE (id) WHERE a IS NOT NULL",
        "ALTER TABLE ONLY s.t ADD CONSTRAINT k EXCLUDE USING gist "
        "(b WITH &&)",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        ag_ast ast;
        ag_error err;
        cr_assert_eq(ag_ast_parse(&ast, sql[i], NULL, &err), 0, "%s",
                     err.msg);
        ag_buf before, after;
        ag_buf_init(&before);
        ag_buf_init(&after);
        ag_canon_print(&before, (const ProtobufCMessage *)ast.tree);
        ag_arena keep;
        ag_arena_init(&keep);
        PgQuery__ParseResult *copy = ag_ast_copy(&keep, ast.tree);
        ag_ast_free(&ast);
        ag_canon_print(&after, (const ProtobufCMessage *)copy);
        cr_assert_str_eq(after.data, before.data);
        cr_assert_null(ag_ast_copy(&keep, NULL));
        ag_arena_destroy(&keep);
        ag_buf_free(&before);
        ag_buf_free(&after);
    }
}
