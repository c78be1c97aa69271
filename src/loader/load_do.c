/*
 * load_do.c - DO blocks in models.
 *
 * A DO block is code, not a declaration, but real schemas guard DDL with
 * one (`IF NOT EXISTS (...) THEN CREATE EXTENSION x; END IF`).  The body is
 * parsed with libpg_query's PL/pgSQL parser; the plain SQL statements it
 * runs (PLpgSQL_stmt_execsql, in source order) are loaded as model
 * statements and the control flow around them is ignored, with a warning.
 * Dynamic SQL (EXECUTE) cannot be read, and a block with no statement
 * declares nothing: both are errors that say what to do.
 *
 * Each statement is parsed from a copy of the model file in which all but
 * the statement is blanked out, so its parse tree lives as long as the
 * loader's files and every position still points into the DO block.
 */
#include "loader_int.h"
#include "autogen/ident.h"

#include <pg_query.h>
#include <stdlib.h>
#include <string.h>

/* Decode the JSON string starting after its opening quote. */
static const char *
json_string(const char *p, ag_buf *out)
{
    while (*p && *p != '"') {
        if (*p != '\\') {
            ag_buf_putc(out, *p++);
            continue;
        }
        p++;
        switch (*p) {
        case 'n':
            ag_buf_putc(out, '\n');
            break;
        case 't':
            ag_buf_putc(out, '\t');
            break;
        case 'r':
            ag_buf_putc(out, '\r');
            break;
        case 'b':
            ag_buf_putc(out, '\b');
            break;
        case 'f':
            ag_buf_putc(out, '\f');
            break;
        case 'u': {
            unsigned cp = (unsigned)strtoul(
                (char[5]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
            p += 4;
            if (cp < 0x80) {
                ag_buf_putc(out, (char)cp);
            } else if (cp < 0x800) {
                ag_buf_putc(out, (char)(0xC0 | (cp >> 6)));
                ag_buf_putc(out, (char)(0x80 | (cp & 0x3F)));
            } else {
                ag_buf_putc(out, (char)(0xE0 | (cp >> 12)));
                ag_buf_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
                ag_buf_putc(out, (char)(0x80 | (cp & 0x3F)));
            }
            break;
        }
        default:
            ag_buf_putc(out, *p);
            break;
        }
        if (*p)
            p++;
    }
    return p;
}

/* The body and language of a DO statement. */
static void
do_args(PgQuery__DoStmt *s, const char **body, const char **lang)
{
    *body = NULL;
    *lang = "plpgsql";
    for (size_t i = 0; i < s->n_args; i++) {
        if (s->args[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
            continue;
        PgQuery__DefElem *de = s->args[i]->def_elem;
        const char *v = ag_ast_str(de->arg);
        if (strcmp(de->defname, "as") == 0)
            *body = v;
        else if (strcmp(de->defname, "language") == 0 && v)
            *lang = v;
    }
}

/* Load `query`, found at byte `at` of the model file (or, when it could
 * not be found there, placed on the DO block's line). */
static void
load_query(ag_loader *ld, ld_pos pos, const char *query, int at)
{
    ld_file *src = pos.file;
    ld_file *f = ag_xcalloc(1, sizeof *f);
    f->name = src->name;
    size_t qlen = strlen(query);
    if (at >= 0) {
        f->src = ag_xstrdup(src->src);
        for (size_t i = 0; f->src[i]; i++)
            if ((i < (size_t)at || i >= (size_t)at + qlen) && f->src[i] != '\n')
                f->src[i] = ' ';
    } else {
        ag_srcloc loc = ld_srcloc(pos);
        f->src = ag_xmalloc((size_t)loc.line + qlen + 1);
        memset(f->src, '\n', (size_t)loc.line - 1);
        memcpy(f->src + loc.line - 1, query, qlen + 1);
    }
    ag_lineidx_build(&f->lines, f->src);
    if (ld->nfiles == ld->capfiles) {
        ld->capfiles = ld->capfiles ? ld->capfiles * 2 : 16;
        ld->files = ag_xrealloc(ld->files, ld->capfiles * sizeof *ld->files);
    }
    ld->files[ld->nfiles++] = f;
    int errpos;
    ag_error err;
    if (ag_ast_parse(&f->ast, f->src, &errpos, &err) != 0) {
        ld_error(ld, pos, "DO block: %s", err.msg);
        return;
    }
    for (size_t i = 0; i < f->ast.tree->n_stmts; i++) {
        ag_node *n = f->ast.tree->stmts[i]->stmt;
        int off = f->ast.tree->stmts[i]->stmt_location;
        while (f->src[off] == ' ' || f->src[off] == '\n')
            off++;
        if (n)
            ld_dispatch(ld, (ld_pos){f, off}, n);
    }
}

void
ld_do_block(ag_loader *ld, ld_pos pos, PgQuery__DoStmt *s)
{
    const char *body, *lang;
    do_args(s, &body, &lang);
    if (!body || strcmp(lang, "plpgsql") != 0) {
        ld_error(ld, pos,
                 "DO block in language %s: only PL/pgSQL blocks are read; "
                 "declare the objects with plain statements instead",
                 lang);
        return;
    }
    /* The PL/pgSQL parser reads a CREATE FUNCTION statement: wrap the body
     * in one, dollar-quoted with a tag it does not contain. */
    ag_buf fn;
    ag_buf_init(&fn);
    ag_buf_put(&fn, "CREATE FUNCTION autogen_do() RETURNS void LANGUAGE "
                    "plpgsql AS ");
    ag_quote_dollar(&fn, body, "do");
    PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(fn.data);
    ag_buf_free(&fn);
    if (r.error) {
        ld_error(ld, pos, "DO block: %s", r.error->message);
        pg_query_free_plpgsql_parse_result(r);
        return;
    }
    const char *json = r.plpgsql_funcs ? r.plpgsql_funcs : "";
    if (strstr(json, "\"PLpgSQL_stmt_dynexecute\"")) {
        ld_error(ld, pos,
                 "DO block runs dynamic SQL (EXECUTE), which cannot be read "
                 "as a declaration: write the statements it runs into the "
                 "model as plain DDL");
        pg_query_free_plpgsql_parse_result(r);
        return;
    }
    /* Where the body sits in the file: a dollar-quoted body is there
     * verbatim, so each statement can be found in it in order. */
    const char *fsrc = pos.file->src;
    const char *bstart = strstr(fsrc + pos.offset, body);
    int cursor = bstart ? (int)(bstart - fsrc) : -1;
    int nstmts = 0;
    const char *key = "\"PLpgSQL_stmt_execsql\"";
    for (const char *p = strstr(json, key); p; p = strstr(p, key)) {
        p += strlen(key);
        const char *q = strstr(p, "\"query\":\"");
        if (!q)
            break;
        ag_buf query;
        ag_buf_init(&query);
        p = json_string(q + strlen("\"query\":\""), &query);
        const char *text = query.data ? query.data : "";
        int at = -1;
        if (cursor >= 0) {
            const char *hit = strstr(fsrc + cursor, text);
            if (hit) {
                at = (int)(hit - fsrc);
                cursor = at + (int)strlen(text);
            }
        }
        load_query(ld, at >= 0 ? (ld_pos){pos.file, at} : pos, text, at);
        ag_buf_free(&query);
        nstmts++;
    }
    pg_query_free_plpgsql_parse_result(r);
    if (nstmts == 0)
        ld_error(ld, pos,
                 "DO block declares nothing autogen can read: write the "
                 "objects it makes into the model as plain DDL");
    else
        ld_warn(ld, pos,
                "DO block: its %d statement%s loaded as declaration%s; the "
                "block's control flow (IF, loops) is ignored",
                nstmts, nstmts == 1 ? " is" : "s are", nstmts == 1 ? "" : "s");
}
