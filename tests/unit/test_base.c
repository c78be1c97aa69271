/* Unit tests for src/base: arena, buffer, errors, diagnostics. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "autogen/base.h"
#include "autogen/catalog.h"

Test(arena, strings_survive_many_chunks)
{
    ag_arena a;
    ag_arena_init(&a);
    char *first = ag_arena_strdup(&a, "first");
    for (int i = 0; i < 10000; i++)
        ag_arena_sprintf(&a, "item-%d", i);
    char *big = ag_arena_alloc(&a, 1 << 20);
    big[(1 << 20) - 1] = 'x';
    cr_assert_str_eq(first, "first");
    ag_arena_destroy(&a);
}

Test(buf, printf_appends)
{
    ag_buf b;
    ag_buf_init(&b);
    for (int i = 0; i < 100; i++)
        ag_buf_printf(&b, "%d,", i);
    cr_assert(strncmp(b.data, "0,1,2,", 6) == 0);
    cr_assert_eq(b.len, strlen(b.data));
    ag_buf_free(&b);
}

Test(error, codes_have_names_and_errorf_returns_code)
{
    ag_error err;
    cr_assert_str_eq(ag_errname(AG_EPARSE), "AG_EPARSE");
    cr_assert_eq(ag_errorf(&err, AG_EDB, "x %d", 3), AG_EDB);
    cr_assert_str_eq(err.msg, "x 3");
    ag_error_prefix(&err, "ctx: ");
    cr_assert_str_eq(err.msg, "ctx: x 3");
}

Test(diag, renders_file_line_col_and_caret)
{
    ag_diag d;
    ag_diag_init(&d);
    const char *src = "CREATE TABLE a (x int);\nCREATE TABEL b ();\n";
    ag_diag_add(&d, AG_SEV_ERROR, "m.sql", src, 31, "syntax error at %s",
                "\"TABEL\"");
    ag_buf out;
    ag_buf_init(&out);
    ag_diag_render(&d, &out);
    cr_assert_str_eq(out.data, "m.sql:2:8: error: syntax error at \"TABEL\"\n"
                               "  CREATE TABEL b ();\n"
                               "         ^\n");
    cr_assert_eq(d.nerrors, 1);
    ag_buf_free(&out);
    ag_diag_free(&d);
}

Test(catalog, add_find_rename_remove_and_sorted_listing)
{
    ag_catalog cat;
    ag_catalog_init(&cat, "test");
    ag_table *b = ag_catalog_add(&cat, AG_KIND_TABLE, "public", "b", sizeof *b);
    ag_table *a = ag_catalog_add(&cat, AG_KIND_TABLE, "public", "a", sizeof *a);
    cr_assert_not_null(a);
    cr_assert_null(ag_catalog_add(&cat, AG_KIND_TABLE, "public", "a", sizeof *a));
    cr_assert_eq(ag_catalog_table(&cat, "public", "b"), b);
    cr_assert_null(ag_catalog_table(&cat, "other", "b"));
    for (int i = 0; i < 1000; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%04d", i);
        cr_assert_not_null(ag_catalog_add(&cat, AG_KIND_TABLE, "s", name,
                                          sizeof(ag_table)));
    }
    cr_assert_eq(ag_catalog_rename(&cat, &b->obj, "c"), 0);
    cr_assert_null(ag_catalog_table(&cat, "public", "b"));
    cr_assert_eq(ag_catalog_table(&cat, "public", "c"), b);
    ag_catalog_remove(&cat, &a->obj);
    cr_assert_null(ag_catalog_table(&cat, "public", "a"));
    ag_catalog_seal(&cat);
    ag_object *const *list;
    size_t n = ag_catalog_list(&cat, AG_KIND_TABLE, &list);
    cr_assert_eq(n, 1001);
    cr_assert_str_eq(list[0]->name.name, "c");
    cr_assert_str_eq(list[1]->name.schema, "s");
    cr_assert_str_eq(list[1]->name.name, "t0000");
    ag_column col = {.name = "id", .type = "integer"};
    for (int i = 0; i < 20; i++)
        ag_table_add_column(&cat, b, &col);
    cr_assert_eq(b->ncols, 20);
    cr_assert_str_eq(ag_table_column(b, "id")->type, "integer");
    ag_catalog_destroy(&cat);
}
