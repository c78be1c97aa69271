/*
 * test_corpus_edits_files.c - the tests/corpus/edits/<schema>.edits files and
 * their applier, without a server: every schema's file covers the six
 * kinds, every kind is applicable on three schemas or more, and operations
 * that no longer match fail instead of passing silently.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus_edits.h"
#include "harness.h"

static int
visible_dir(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Each schema's file names all six kinds (an edit or "na" with a reason),
 * and each kind is applicable on at least three schemas. */
Test(corpus_edits, every_kind_covered)
{
    struct dirent **ents;
    int nents = scandir(agt_corpus_root(), &ents, visible_dir, alphasort);
    if (nents <= 0)
        cr_skip_test("corpus not found at %s", agt_corpus_root());
    int applicable[AGT_EDIT_KINDS] = {0};
    for (int i = 0; i < nents; i++) {
        char path[600], *why = NULL;
        snprintf(path, sizeof path, "%s/%s/schema.sql", agt_corpus_root(),
                 ents[i]->d_name);
        if (access(path, R_OK) != 0) {
            free(ents[i]);
            continue;
        }
        agt_edits_path(ents[i]->d_name, path, sizeof path);
        agt_edit_set set;
        cr_assert_eq(agt_edits_parse(path, &set, &why), 0, "%s", why);
        for (int k = 0; k < AGT_EDIT_KINDS; k++) {
            int seen = 0, usable = 0;
            for (size_t j = 0; j < set.n; j++)
                if (set.edits[j].kind == k) {
                    seen = 1;
                    usable |= !set.edits[j].not_applicable;
                }
            cr_expect(
                seen,
                "%s has no %s edit (write one, or \"na\" with the reason)",
                path, agt_edit_kind_names[k]);
            applicable[k] += usable;
        }
        agt_edits_free(&set);
        free(ents[i]);
    }
    free(ents);
    for (int k = 0; k < AGT_EDIT_KINDS; k++)
        cr_expect(applicable[k] >= 3,
                  "%s is applicable on %d schemas, want >= 3",
                  agt_edit_kind_names[k], applicable[k]);
}

static agt_edit_set
parse_text(const char *text)
{
    char *path = agt_write_temp(text);
    agt_edit_set set;
    char *why = NULL;
    cr_assert_eq(agt_edits_parse(path, &set, &why), 0, "%s", why);
    unlink(path);
    free(path);
    return set;
}

/* Operations that no longer match fail, naming the edit. */
Test(corpus_edits, unmatched_operation_fails)
{
    agt_edit_set set =
        parse_text("edit e1 add-policy\n  replace\n  | nowhere\n"
                   "  with\n  | x\n"
                   "edit e2 drop-table\n  delete\n  | TABLE t\n"
                   "edit e3 rename-column\n  renamed a\n  | b int\n");
    const char *sql =
        "CREATE TABLE t (a int);\nCREATE TABLE u (b int, c int);\n"
        "CREATE TABLE v (b int);\n";
    char *why = NULL;
    cr_expect_null(agt_edit_apply(&set.edits[0], sql, &why));
    cr_expect(why && strstr(why, "edit e1") && strstr(why, "found 0"), "%s",
              why);
    free(why);
    char *out = agt_edit_apply(&set.edits[1], sql, &why);
    cr_expect_str_eq(
        out, "CREATE TABLE u (b int, c int);\nCREATE TABLE v (b int);\n");
    free(out);
    cr_expect_null(agt_edit_apply(&set.edits[2], sql, &why));
    cr_expect(why && strstr(why, "found 2"), "%s", why);
    free(why);
    agt_edits_free(&set);
}

/* "na" and "known" carry their reasons; a known failure keeps its
 * operations (they must still match); an edit with neither operations nor
 * "na" is refused. */
Test(corpus_edits, na_and_known)
{
    agt_edit_set set =
        parse_text("# c\nedit a column-type\n  na no views here\n"
                   "edit b add-policy\n  known upgrade fails: X\n"
                   "  append\n  | SELECT 1;\n");
    cr_assert_eq(set.n, 2);
    cr_expect_str_eq(set.edits[0].not_applicable, "no views here");
    cr_expect_eq(set.edits[0].nops, 0);
    cr_expect_str_eq(set.edits[1].known_failure, "upgrade fails: X");
    cr_expect_eq(set.edits[1].nops, 1);
    agt_edits_free(&set);

    char *path = agt_write_temp("edit a drop-table\nedit b no-such-kind\n");
    char *why = NULL;
    cr_expect_neq(agt_edits_parse(path, &set, &why), 0);
    cr_expect(why && strstr(why, ":2:"), "%s", why ? why : "(no reason)");
    free(why);
    why = NULL;
    char *path2 = agt_write_temp("edit a drop-table\n");
    cr_expect_neq(agt_edits_parse(path2, &set, &why), 0);
    cr_expect(why && strstr(why, "no operation"), "%s",
              why ? why : "(no reason)");
    free(why);
    unlink(path);
    unlink(path2);
    free(path);
    free(path2);
}

/* delete takes the whole statement, whatever its quotes hold. */
Test(corpus_edits, delete_respects_quoting)
{
    agt_edit_set set = parse_text("edit f function-body\n  delete 2\n  | f(\n"
                                  "  append\n  | SELECT 1;\n");
    const char *sql =
        "CREATE FUNCTION f() RETURNS int AS $x$ SELECT 1; $x$ "
        "LANGUAGE sql;\n-- c;\nCOMMENT ON FUNCTION f() IS 'a;b';\n"
        "CREATE TABLE t (\"q;\" int);\n";
    char *why = NULL;
    char *out = agt_edit_apply(&set.edits[0], sql, &why);
    cr_expect_str_eq(out,
                     "-- c;\nCREATE TABLE t (\"q;\" int);\n\n\nSELECT 1;\n",
                     "%s", why ? why : "");
    free(out);
    agt_edits_free(&set);
}
