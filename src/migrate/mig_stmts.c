/*
 * mig_stmts.c - the SQL of a section as statements, by libpg_query.
 *
 * The parser-based splitter (never a hand-written one: quotes, dollar
 * quoting and comments make ';' treacherous) gives each statement's byte
 * range; the scanner's tokens then say where its first real token is, so a
 * statement is reported at the line a reader would point to, and whether
 * it is transaction control.  A section is split once, when the file is
 * read, so a syntax error stops the run before anything is sent.
 */
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "migrate_int.h"

size_t
mig_char_to_byte(const char *s, size_t len, int pos)
{
    size_t at = 0;
    for (int c = 1; c < pos && at < len; c++) {
        at++;
        while (at < len && ((unsigned char)s[at] & 0xC0) == 0x80)
            at++;
    }
    return at;
}

static bool
is_txn_control(PgQuery__Token t)
{
    switch (t) {
    case PG_QUERY__TOKEN__BEGIN_P:
    case PG_QUERY__TOKEN__START:
    case PG_QUERY__TOKEN__COMMIT:
    case PG_QUERY__TOKEN__END_P:
    case PG_QUERY__TOKEN__ROLLBACK:
    case PG_QUERY__TOKEN__ABORT_P:
    case PG_QUERY__TOKEN__SAVEPOINT:
    case PG_QUERY__TOKEN__RELEASE:
        return true;
    default:
        return false;
    }
}

static bool
is_comment(PgQuery__Token t)
{
    return t == PG_QUERY__TOKEN__SQL_COMMENT || t == PG_QUERY__TOKEN__C_COMMENT;
}

int
mig_split_section(const ag_migration *m, const ag_lineidx *lines,
                  ag_section *sec, const char *what, bool allow_txn_control,
                  ag_arena *arena, ag_error *err)
{
    size_t slen = sec->end > sec->start ? sec->end - sec->start : 0;
    const char *base = m->text + sec->start;
    char *src = ag_arena_strndup(arena, base, slen);
    int line, col, rc = 0;

    PgQuerySplitResult sr = pg_query_split_with_parser(src);
    if (sr.error) {
        size_t at = sr.error->cursorpos > 0
                        ? mig_char_to_byte(src, slen, sr.error->cursorpos)
                        : 0;
        ag_lineidx_find(lines, sec->start + at, &line, &col);
        rc = ag_errorf(err, AG_EPARSE, "%s:%d:%d: %s (in the %s section)",
                       m->path, line, col, sr.error->message, what);
        pg_query_free_split_result(sr);
        return rc;
    }
    PgQueryScanResult scan = pg_query_scan(src);
    PgQuery__ScanResult *toks =
        scan.error ? NULL
                   : pg_query__scan_result__unpack(
                         NULL, scan.pbuf.len, (const uint8_t *)scan.pbuf.data);
    if (!toks) {
        rc = ag_errorf(err, AG_EPARSE, "%s:%d: cannot scan the %s section%s%s",
                       m->path, sec->marker_line, what, scan.error ? ": " : "",
                       scan.error ? scan.error->message : "");
        goto out;
    }
    sec->stmts = ag_arena_alloc(
        arena, sizeof *sec->stmts * (size_t)(sr.n_stmts ? sr.n_stmts : 1));
    size_t t = 0;
    for (int i = 0; i < sr.n_stmts; i++) {
        size_t loc = (size_t)sr.stmts[i]->stmt_location;
        size_t end = loc + (size_t)sr.stmts[i]->stmt_len;
        /* First real token of the statement: comments before it belong to
         * it (a hazard note), blanks do not. */
        while (t < toks->n_tokens && (size_t)toks->tokens[t]->start < loc)
            t++;
        size_t first = t;
        while (first < toks->n_tokens && is_comment(toks->tokens[first]->token))
            first++;
        if (first >= toks->n_tokens ||
            (size_t)toks->tokens[first]->start >= end)
            continue; /* nothing but comments: not a statement */
        size_t from = loc;
        while (from < end && (src[from] == ' ' || src[from] == '\t' ||
                              src[from] == '\n' || src[from] == '\r'))
            from++;
        ag_lineidx_find(lines, sec->start + (size_t)toks->tokens[first]->start,
                        &line, &col);
        if (!allow_txn_control && is_txn_control(toks->tokens[first]->token)) {
            rc = ag_errorf(
                err, AG_EPARSE,
                "%s:%d: transaction control (%.*s) in the %s "
                "section: the runner already runs the revision in "
                "one transaction; remove it, or declare "
                "-- autogen:transaction none",
                m->path, line,
                (int)(toks->tokens[first]->end - toks->tokens[first]->start),
                src + toks->tokens[first]->start, what);
            goto out;
        }
        ag_stmt *st = &sec->stmts[sec->nstmts++];
        st->sql = ag_arena_strndup(arena, src + from, end - from);
        st->offset = sec->start + from;
        st->line = line;
    }
out:
    if (toks)
        pg_query__scan_result__free_unpacked(toks, NULL);
    pg_query_free_scan_result(scan);
    pg_query_free_split_result(sr);
    return rc;
}
