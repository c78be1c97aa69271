/* Unit tests for src/emit/ident.c and keywords.c: quoting and the keyword
 * table, cross-checked against libpg_query's scanner. */
#include <criterion/criterion.h>
#include <string.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "autogen/ident.h"

static char *
quoted(const char *name)
{
    static char out[256];
    ag_buf b;
    ag_buf_init(&b);
    ag_quote_ident(&b, name);
    strncpy(out, b.data, sizeof out - 1);
    ag_buf_free(&b);
    return out;
}

static char *
qname(const char *schema, const char *name)
{
    static char out[256];
    ag_buf b;
    ag_buf_init(&b);
    ag_quote_qname(&b, schema, name);
    strncpy(out, b.data, sizeof out - 1);
    ag_buf_free(&b);
    return out;
}

static char *
literal(const char *s)
{
    static char out[256];
    ag_buf b;
    ag_buf_init(&b);
    ag_quote_literal(&b, s);
    strncpy(out, b.data, sizeof out - 1);
    ag_buf_free(&b);
    return out;
}

Test(ident, plain_names_stay_bare)
{
    cr_assert_str_eq(quoted("users"), "users");
    cr_assert_str_eq(quoted("_x1"), "_x1");
    cr_assert_str_eq(quoted("a_b_c_9"), "a_b_c_9");
    cr_assert_not(ag_ident_needs_quotes("users"));
}

Test(ident, reserved_and_non_unreserved_keywords_are_quoted)
{
    cr_assert_str_eq(quoted("select"), "\"select\"");
    cr_assert_str_eq(quoted("user"), "\"user\"");
    cr_assert_str_eq(quoted("order"), "\"order\"");
    cr_assert_str_eq(quoted("table"), "\"table\"");
    cr_assert_str_eq(quoted("between"), "\"between\""); /* col_name */
    cr_assert_str_eq(quoted("integer"), "\"integer\""); /* col_name */
    cr_assert_str_eq(quoted("left"), "\"left\"");       /* type_func_name */
    cr_assert_str_eq(quoted("authorization"), "\"authorization\"");
}

Test(ident, unreserved_keywords_stay_bare)
{
    cr_assert_str_eq(quoted("type"), "type");
    cr_assert_str_eq(quoted("name"), "name");
    cr_assert_str_eq(quoted("value"), "value");
    cr_assert_str_eq(quoted("comment"), "comment");
    cr_assert_str_eq(quoted("data"), "data");
}

Test(ident, case_spaces_digits_quotes_unicode_empty)
{
    cr_assert_str_eq(quoted("User"), "\"User\"");
    cr_assert_str_eq(quoted("a b"), "\"a b\"");
    cr_assert_str_eq(quoted("1abc"), "\"1abc\"");
    cr_assert_str_eq(quoted("x\"y"), "\"x\"\"y\"");
    cr_assert_str_eq(quoted("\""), "\"\"\"\"");
    cr_assert_str_eq(quoted("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
    cr_assert_str_eq(quoted("\xc3\xa9t\xc3\xa9"), "\"\xc3\xa9t\xc3\xa9\"");
    cr_assert_str_eq(quoted(""), "\"\"");
    cr_assert_str_eq(quoted("a-b"), "\"a-b\"");
    /* As quote_identifier() and fmtId(): `$` is legal but quoted. */
    cr_assert_str_eq(quoted("a$b"), "\"a$b\"");
}

Test(ident, qualified_names)
{
    cr_assert_str_eq(qname("public", "users"), "public.users");
    cr_assert_str_eq(qname("My Schema", "order"), "\"My Schema\".\"order\"");
    cr_assert_str_eq(qname("", "plpgsql"), "plpgsql");
    cr_assert_str_eq(qname(NULL, "User"), "\"User\"");
    cr_assert_str_eq(qname("public", "t.x"), "public.\"t.x\"");
}

Test(ident, literals)
{
    cr_assert_str_eq(literal("it's"), "'it''s'");
    cr_assert_str_eq(literal(""), "''");
    cr_assert_str_eq(literal("plain"), "'plain'");
    cr_assert_str_eq(literal("a\\b"), "E'a\\\\b'");
    cr_assert_str_eq(literal("o'\\"), "E'o''\\\\'");
    cr_assert_str_eq(literal(NULL), "NULL");
}

Test(keywords, table_is_sorted_and_lookups_work)
{
    size_t n;
    const ag_keyword *kw = ag_keyword_table(&n);
    cr_assert_gt(n, 400);
    for (size_t i = 1; i < n; i++)
        cr_assert_lt(strcmp(kw[i - 1].word, kw[i].word), 0, "%s before %s",
                     kw[i - 1].word, kw[i].word);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(ag_keyword_category(kw[i].word), kw[i].cat);
    cr_assert_eq(ag_keyword_category("select"), AG_KW_RESERVED);
    cr_assert_eq(ag_keyword_category("type"), AG_KW_UNRESERVED);
    cr_assert_eq(ag_keyword_category("users"), AG_KW_NONE);
    cr_assert_eq(ag_keyword_category("SELECT"), AG_KW_NONE); /* lower only */
}

/* Every word in our table must scan as a keyword of the same category in
 * libpg_query (which is PostgreSQL's own scanner), and a sample of
 * non-keywords must scan as plain identifiers. */
static int
scan_kind(const char *word, int *ntokens)
{
    PgQueryScanResult r = pg_query_scan(word);
    cr_assert_null(r.error, "scanning %s", word);
    PgQuery__ScanResult *sr = pg_query__scan_result__unpack(
        NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
    cr_assert_not_null(sr);
    *ntokens = (int)sr->n_tokens;
    int kind = sr->n_tokens ? (int)sr->tokens[0]->keyword_kind : -1;
    pg_query__scan_result__free_unpacked(sr, NULL);
    pg_query_free_scan_result(r);
    return kind;
}

Test(keywords, match_libpg_query_scanner)
{
    size_t n;
    const ag_keyword *kw = ag_keyword_table(&n);
    for (size_t i = 0; i < n; i++) {
        int ntok;
        int kind = scan_kind(kw[i].word, &ntok);
        cr_assert_eq(ntok, 1, "%s scans as %d tokens", kw[i].word, ntok);
        cr_assert_eq(kind, (int)kw[i].cat, "%s: scanner says %d, table %d",
                     kw[i].word, kind, (int)kw[i].cat);
    }
    const char *plain[] = {"users", "email", "mood", "autogen", "created_at"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        int ntok;
        cr_assert_eq(scan_kind(plain[i], &ntok),
                     PG_QUERY__KEYWORD_KIND__NO_KEYWORD, "%s", plain[i]);
        cr_assert_eq(ag_keyword_category(plain[i]), AG_KW_NONE);
    }
}

/* Quoted output must scan back to exactly one identifier token. */
Test(ident, quoted_names_scan_back_as_one_identifier)
{
    const char *names[] = {"select", "User", "a b", "x\"y", "1abc", "type",
                           "caf\xc3\xa9", "order", "a$b", "col_name"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int ntok;
        int kind = scan_kind(quoted(names[i]), &ntok);
        cr_assert_eq(ntok, 1, "%s", names[i]);
        cr_assert(kind == PG_QUERY__KEYWORD_KIND__NO_KEYWORD ||
                      kind == PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD,
                  "%s", names[i]);
    }
}
