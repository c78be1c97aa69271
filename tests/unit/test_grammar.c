/* Unit tests for src/grammar and the corpora of grammar/cases: every
 * pattern compiles, has cases on both sides, matches every valid line and
 * none of the invalid ones; every valid revision file reads, every invalid
 * one fails at the line and with the message its .expect file gives. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/grammar.h"
#include "autogen/migration.h"

#define CASES AG_SOURCE_DIR "/grammar/cases"

static void
init(void)
{
    ag_error err = {0};
    cr_assert_eq(ag_grammar_init(&err), 0, "%s", err.msg);
}

TestSuite(grammar, .init = init, .fini = ag_grammar_fini);

static char *
slurp(const char *path, size_t *len)
{
    char *text = NULL;
    ag_error err = {0};
    cr_assert_eq(ag_read_file(path, &text, len, &err), 0, "%s", err.msg);
    return text;
}

/* Run every line of cases/<side>/<pattern>.txt; returns how many. */
static int
run_lines(const char *side, ag_pattern p, bool want)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s.txt", CASES, side, ag_pattern_name(p));
    size_t len;
    char *text = slurp(path, &len);
    int n = 0, lineno = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t l = nl ? (size_t)(nl - (text + at)) : len - at;
        lineno++;
        bool got = ag_grammar_match(p, text + at, l, 0, NULL);
        cr_expect_eq(got, want, "%s:%d: pattern %s %s '%.*s'", path, lineno,
                     ag_pattern_name(p), want ? "does not match" : "matches",
                     (int)l, text + at);
        n++;
        at += l + 1;
    }
    free(text);
    return n;
}

Test(grammar, every_pattern_has_valid_and_invalid_cases)
{
    for (int p = 0; p < AG_NPATTERNS; p++) {
        cr_expect_gt(run_lines("valid", (ag_pattern)p, true), 0,
                     "no valid cases for %s", ag_pattern_name((ag_pattern)p));
        cr_expect_gt(run_lines("invalid", (ag_pattern)p, false), 0,
                     "no invalid cases for %s", ag_pattern_name((ag_pattern)p));
    }
}

/* A .txt corpus named after no pattern would never run. */
Test(grammar, every_corpus_names_a_pattern)
{
    const char *sides[] = {"valid", "invalid"};
    for (int s = 0; s < 2; s++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", CASES, sides[s]);
        DIR *d = opendir(dir);
        cr_assert_not_null(d, "%s", dir);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
                continue;
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(n - 4), e->d_name);
            cr_expect_geq(ag_pattern_lookup(name), 0, "%s/%s: no pattern %s",
                          dir, e->d_name, name);
        }
        closedir(d);
    }
}

Test(grammar, named_groups)
{
    const char *line = "-- autogen:message add phone field  ";
    ag_match m;
    cr_assert(ag_grammar_match(AG_RE_HEADER_LINE, line, strlen(line), 0, &m));
    const char *s;
    size_t n;
    cr_assert(ag_match_group(&m, "key", &s, &n));
    cr_expect_eq(n, 7);
    cr_expect(strncmp(s, "message", n) == 0);
    cr_assert(ag_match_group(&m, "value", &s, &n));
    cr_expect_eq(n, strlen("add phone field"), "trailing blanks are not part "
                                               "of the value");
    cr_expect(!ag_match_group(&m, "nosuch", &s, &n));

    const char *marker = "-- autogen:upgrade";
    cr_assert(ag_grammar_match(AG_RE_HEADER_LINE, marker, strlen(marker), 0, &m));
    cr_expect(!ag_match_group(&m, "value", &s, &n), "a marker has no value");

    ag_arena a;
    ag_arena_init(&a);
    const char *t = "-2";
    cr_assert(ag_grammar_match(AG_RE_TARGET, t, 2, 0, &m));
    cr_expect_str_eq(ag_match_dup(&m, "step", &a), "-2");
    cr_expect_null(ag_match_dup(&m, "rev", &a));
    t = "3f9c2a";
    cr_assert(ag_grammar_match(AG_RE_TARGET, t, strlen(t), 0, &m));
    cr_expect_str_eq(ag_match_dup(&m, "rev", &a), "3f9c2a");
    ag_arena_destroy(&a);
}

Test(grammar, list_items_from_an_offset)
{
    const char *v = "3f9c2a71d0be , 1a2b3c4d5e6f";
    ag_match m;
    ag_arena a;
    ag_arena_init(&a);
    cr_assert(ag_grammar_match(AG_RE_LIST_ITEM, v, strlen(v), 0, &m));
    cr_expect_str_eq(ag_match_dup(&m, "item", &a), "3f9c2a71d0be");
    cr_assert(ag_grammar_match(AG_RE_LIST_ITEM, v, strlen(v), m.end, &m));
    cr_expect_str_eq(ag_match_dup(&m, "item", &a), "1a2b3c4d5e6f");
    cr_expect_eq(m.end, strlen(v));
    ag_arena_destroy(&a);
}

/* Invalid UTF-8 is a non-match (PCRE2_MATCH_INVALID_UTF), never an
 * error or a crash; the ASCII prefix still marks the line as an autogen
 * line, so the reader reports it at file:line. */
Test(grammar, invalid_utf8_is_no_match)
{
    const char bad[] = "-- autogen:message caf\xc3\x28";
    cr_expect(!ag_grammar_match(AG_RE_HEADER_LINE, bad, sizeof bad - 1, 0, NULL));
    cr_expect(ag_grammar_match(AG_RE_DIRECTIVE, bad, sizeof bad - 1, 0, NULL));
    const char msg[] = "caf\xc3\x28";
    cr_expect(!ag_grammar_match(AG_RE_MESSAGE, msg, sizeof msg - 1, 0, NULL));
}

/* ---- whole files ---- */

static int
sql_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 4 && strcmp(e->d_name + n - 4, ".sql") == 0;
}

Test(grammar, valid_revision_files_read)
{
    struct dirent **names;
    int n = scandir(CASES "/valid", &names, sql_file, alphasort);
    cr_assert_gt(n, 0);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/valid/%s", CASES, names[i]->d_name);
        size_t len;
        char *text = slurp(path, &len);
        ag_arena a;
        ag_arena_init(&a);
        ag_migration m;
        ag_error err = {0};
        int rc = ag_migration_parse(path, text, len, &a, &m, &err);
        cr_expect_eq(rc, 0, "%s: %s", names[i]->d_name, err.msg);
        if (rc == 0) {
            cr_expect_eq(strlen(m.id), 12);
            cr_expect_gt(m.up.marker_line, 0);
            cr_expect_gt(m.down.marker_line, m.up.marker_line);
        }
        ag_arena_destroy(&a);
        free(text);
        free(names[i]);
    }
    free(names);
}

Test(grammar, invalid_revision_files_fail_where_expected)
{
    struct dirent **names;
    int n = scandir(CASES "/invalid", &names, sql_file, alphasort);
    cr_assert_gt(n, 10);
    for (int i = 0; i < n; i++) {
        char path[512], expect_path[512];
        snprintf(path, sizeof path, "%s/invalid/%s", CASES, names[i]->d_name);
        snprintf(expect_path, sizeof expect_path, "%.*s.expect",
                 (int)(strlen(path) - 4), path);
        size_t len, elen;
        char *text = slurp(path, &len);
        char *expect = slurp(expect_path, &elen);
        int line = 0;
        char want[400] = "";
        cr_assert_eq(sscanf(expect, "%d: %399[^\n]", &line, want), 2,
                     "%s: expected 'LINE: message'", expect_path);
        ag_arena a;
        ag_arena_init(&a);
        ag_migration m;
        ag_error err = {0};
        int rc = ag_migration_parse(names[i]->d_name, text, len, &a, &m, &err);
        cr_expect_eq(rc, AG_EPARSE, "%s: got %s (%s)", names[i]->d_name,
                     ag_errname(rc), err.msg);
        char at[300];
        snprintf(at, sizeof at, "%s:%d:", names[i]->d_name, line);
        cr_expect(strncmp(err.msg, at, strlen(at)) == 0,
                  "%s: expected the error at line %d, got: %s",
                  names[i]->d_name, line, err.msg);
        cr_expect(strstr(err.msg, want) != NULL, "%s: expected '%s' in: %s",
                  names[i]->d_name, want, err.msg);
        ag_arena_destroy(&a);
        free(text);
        free(expect);
        free(names[i]);
    }
    free(names);
}
