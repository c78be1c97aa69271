/*
 * directives.c - `-- autogen:renamed from=old` comments in model files.
 *
 * A directive is found with libpg_query's scanner (so a `--` inside a
 * string or a dollar-quoted body is never taken for one) and matched with
 * grammar/renamed.pcre.  Where it applies is decided by position only:
 *   - on its own line(s), it applies to the first declaration that starts
 *     at or after the next token and inside that token's statement (so a
 *     directive above `ALTER TABLE t ADD CONSTRAINT c ...` reaches c);
 *   - after code on the same line (trailing), to the last declaration that
 *     starts on that line before it.
 * Declarations are tables, columns, constraints, indexes, enum, domain and
 * composite types, and enum values; binding runs once the whole model is
 * resolved (every constraint has its name and place), before sealing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/grammar.h"
#include "loader_int.h"

/* Does src mention "autogen" in any case?  Most model files do not, and
 * they skip the scanner altogether. */
static bool
mentions_autogen(const char *src)
{
    static const char word[] = "autogen";
    for (const char *p = src; *p; p++) {
        size_t i = 0;
        while (word[i] && tolower((unsigned char)p[i]) == word[i])
            i++;
        if (!word[i])
            return true;
    }
    return false;
}

/* The name of a directive: a bare name folds to lower case (unless it is
 * an enum value), quoted forms lose their quotes and doubled quotes. */
static char *
directive_name(const ag_match *m, ag_arena *arena, bool *is_string)
{
    const char *s;
    size_t n;
    char q = 0;
    *is_string = false;
    if (ag_match_group(m, "quoted", &s, &n)) {
        q = '"';
    } else if (ag_match_group(m, "string", &s, &n)) {
        q = '\'';
        *is_string = true;
    } else if (!ag_match_group(m, "bare", &s, &n)) {
        return NULL;
    }
    char *out = ag_arena_alloc(arena, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        out[k++] = s[i];
        if (q && s[i] == q && i + 1 < n && s[i + 1] == q)
            i++;
    }
    out[k] = '\0';
    return out;
}

/* A string constant's text at src[start, end): '...' with '' doubled. */
static char *
string_literal(ag_arena *arena, const char *src, int start, int end)
{
    if (end - start < 2 || src[start] != '\'')
        return NULL;
    char *out = ag_arena_alloc(arena, (size_t)(end - start));
    size_t k = 0;
    for (int i = start + 1; i < end - 1; i++) {
        out[k++] = src[i];
        if (src[i] == '\'' && src[i + 1] == '\'')
            i++;
    }
    out[k] = '\0';
    return out;
}

static bool
is_comment(const PgQuery__ScanToken *t)
{
    return t->token == PG_QUERY__TOKEN__SQL_COMMENT ||
           t->token == PG_QUERY__TOKEN__C_COMMENT;
}

/* Index of the parsed statement holding byte `offset`, or -1. */
static int
statement_at(const ld_file *f, int offset)
{
    const PgQuery__ParseResult *t = f->ast.tree;
    for (size_t i = 0; t && i < t->n_stmts; i++) {
        int start = t->stmts[i]->stmt_location;
        int len = t->stmts[i]->stmt_len;
        if (offset >= start && (len == 0 || offset < start + len))
            return (int)i;
    }
    return -1;
}

static bool
enum_statement(const ld_file *f, int st)
{
    const PgQuery__RawStmt *rs = f->ast.tree->stmts[st];
    return rs->stmt &&
           rs->stmt->node_case == PG_QUERY__NODE__NODE_CREATE_ENUM_STMT;
}

#define ASCII_COMMA PG_QUERY__TOKEN__ASCII_44 /* ',' */

static void
add_directive(ag_loader *ld, const ld_directive *d)
{
    if (ld->ndirs == ld->capdirs) {
        ld->capdirs = ld->capdirs ? ld->capdirs * 2 : 8;
        ld->dirs = ag_xrealloc(ld->dirs, ld->capdirs * sizeof *ld->dirs);
    }
    ld->dirs[ld->ndirs++] = *d;
}

static void
scan_comment(ag_loader *ld, ld_file *f, PgQuery__ScanToken **tok, size_t ntok,
             size_t i)
{
    const PgQuery__ScanToken *t = tok[i];
    const char *text = f->src + t->start;
    size_t len = (size_t)(t->end - t->start);
    ld_pos pos = {f, t->start};
    if (!ag_grammar_match(AG_RE_MODEL_HINT, text, len, 0, NULL))
        return;
    ag_match m;
    if (!ag_grammar_match(AG_RE_RENAMED, text, len, 0, &m)) {
        ld_error(ld, pos,
                 "malformed autogen directive: expected "
                 "\"-- autogen:renamed from=<old name>\"");
        return;
    }
    ld_directive d = {.pos = pos};
    d.old = directive_name(&m, &ld->cat->arena, &d.old_is_string);
    ag_srcloc here = ld_srcloc(pos);
    /* Trailing: code earlier on the same line. */
    for (size_t j = i; j-- > 0;) {
        if (is_comment(tok[j]))
            continue;
        ld_pos p = {f, tok[j]->start};
        d.trailing = ld_srcloc(p).line == here.line;
        break;
    }
    if (d.trailing) {
        /* After an enum value: `'x', -- autogen:renamed from='y'`. */
        size_t j = i;
        while (j-- > 0 && (is_comment(tok[j]) || tok[j]->token == ASCII_COMMA))
            ;
        int st = j < i ? statement_at(f, tok[j]->start) : -1;
        if (st >= 0 && tok[j]->token == PG_QUERY__TOKEN__SCONST &&
            enum_statement(f, st)) {
            d.label = string_literal(&ld->cat->arena, f->src, tok[j]->start,
                                     tok[j]->end);
            ld_pos at = {f, tok[j]->start};
            ld_pos stmt_pos = {f, f->ast.tree->stmts[st]->stmt_location};
            d.at = ld_srcloc(at);
            d.enum_stmt = ld_srcloc(stmt_pos);
            add_directive(ld, &d);
            return;
        }
        d.at = here;
        d.stmt_end = here;
        d.stmt_end.col = 0x7fffffff; /* the rest of the line */
        add_directive(ld, &d);
        return;
    }
    size_t k = i + 1;
    while (k < ntok && is_comment(tok[k]))
        k++;
    int st = k < ntok ? statement_at(f, tok[k]->start) : -1;
    if (st < 0) {
        ld_error(ld, pos,
                 "this autogen directive is not followed by a declaration");
        return;
    }
    ld_pos at = {f, tok[k]->start};
    d.at = ld_srcloc(at);
    const PgQuery__RawStmt *rs = f->ast.tree->stmts[st];
    ld_pos end = {f, rs->stmt_len ? rs->stmt_location + rs->stmt_len
                                  : (int)strlen(f->src)};
    d.stmt_end = ld_srcloc(end);
    /* An enum value: the next token is a string inside CREATE TYPE ... AS
     * ENUM. */
    if (tok[k]->token == PG_QUERY__TOKEN__SCONST && enum_statement(f, st)) {
        d.label =
            string_literal(&ld->cat->arena, f->src, tok[k]->start, tok[k]->end);
        ld_pos stmt_pos = {f, rs->stmt_location};
        d.enum_stmt = ld_srcloc(stmt_pos);
    }
    add_directive(ld, &d);
}

void
ld_scan_directives(ag_loader *ld, ld_file *f)
{
    if (!mentions_autogen(f->src))
        return;
    ag_error err;
    if (ag_grammar_init(&err) != 0) {
        ld_pos pos = {f, 0};
        ld_error(ld, pos, "%s", err.msg);
        return;
    }
    PgQueryScanResult r = pg_query_scan(f->src);
    PgQuery__ScanResult *sr =
        r.error ? NULL
                : pg_query__scan_result__unpack(NULL, r.pbuf.len,
                                                (const uint8_t *)r.pbuf.data);
    for (size_t i = 0; sr && i < sr->n_tokens; i++)
        if (sr->tokens[i]->token == PG_QUERY__TOKEN__SQL_COMMENT)
            scan_comment(ld, f, sr->tokens, sr->n_tokens, i);
    if (sr)
        pg_query__scan_result__free_unpacked(sr, NULL);
    pg_query_free_scan_result(r);
}

/* ---- binding ---- */

static int
loc_cmp(ag_srcloc a, ag_srcloc b)
{
    if (a.line != b.line)
        return a.line < b.line ? -1 : 1;
    return (a.col > b.col) - (a.col < b.col);
}

/* The best declaration so far for one directive. */
typedef struct target {
    ag_object *obj;
    ag_column *col;
    ag_table *tbl; /* the column's table */
    ag_srcloc loc;
} target;

static void
consider(const ld_directive *d, target *best, ag_srcloc loc, ag_object *obj,
         ag_column *col, ag_table *tbl)
{
    if (!loc.file || loc.file != d->at.file)
        return;
    bool fits;
    if (d->trailing)
        fits = loc.line == d->at.line && loc.col < d->at.col &&
               (!best->loc.file || loc_cmp(loc, best->loc) > 0);
    else
        fits = loc_cmp(loc, d->at) >= 0 && loc_cmp(loc, d->stmt_end) < 0 &&
               (!best->loc.file || loc_cmp(loc, best->loc) < 0);
    if (fits)
        *best = (target){obj, col, tbl, loc};
}

static bool
renamable(ag_kind k)
{
    return k == AG_KIND_TABLE || k == AG_KIND_CONSTRAINT ||
           k == AG_KIND_INDEX || k == AG_KIND_ENUM || k == AG_KIND_DOMAIN ||
           k == AG_KIND_COMPOSITE;
}

static void
bind_label(ag_loader *ld, const ld_directive *d)
{
    ag_catalog *cat = ld->cat;
    for (size_t i = 0; i < cat->nobjs; i++) {
        ag_object *o = cat->objs[i];
        /* The enum declared by the statement holding the value. */
        if (!o || o->kind != AG_KIND_ENUM || o->loc.file != d->at.file ||
            loc_cmp(o->loc, d->enum_stmt) < 0 || loc_cmp(o->loc, d->at) > 0)
            continue;
        ag_enum *e = (ag_enum *)o;
        for (size_t j = 0; j < e->nlabels; j++) {
            if (strcmp(e->labels[j], d->label) != 0)
                continue;
            if (!e->label_renamed_from)
                e->label_renamed_from = ag_arena_alloc(
                    &cat->arena, (e->nlabels + 1) * sizeof(const char *));
            for (size_t k = 0; k < e->nlabels; k++)
                if (strcmp(e->labels[k], d->old) == 0)
                    ld_error(ld, d->pos,
                             "renamed from '%s': enum %s still has a value "
                             "of that name",
                             d->old, o->name.name);
            e->label_renamed_from[j] = d->old;
            return;
        }
    }
    ld_error(ld, d->pos, "this autogen directive is not followed by a value");
}

/* An object of the same kind (and table) already named `old`? */
static bool
old_name_declared(ag_loader *ld, const target *t, const char *old)
{
    if (t->col)
        return ag_table_column(t->tbl, old) != NULL;
    const ag_object *o = t->obj;
    if (o->kind == AG_KIND_CONSTRAINT)
        return ag_catalog_find_constraint(ld->cat, o->name.schema,
                                          ((ag_constraint *)o)->table,
                                          old) != NULL;
    return ag_catalog_find(ld->cat, o->kind, o->name.schema, old) != NULL;
}

static void
bind_one(ag_loader *ld, const ld_directive *d)
{
    if (d->label) {
        bind_label(ld, d);
        return;
    }
    ag_catalog *cat = ld->cat;
    target best = {0};
    for (size_t i = 0; i < cat->nobjs; i++) {
        ag_object *o = cat->objs[i];
        if (!o || !renamable(o->kind))
            continue;
        consider(d, &best, o->loc, o, NULL, NULL);
        if (o->kind == AG_KIND_TABLE) {
            ag_table *t = (ag_table *)o;
            for (size_t j = 0; j < t->ncols; j++)
                consider(d, &best, t->cols[j].loc, NULL, &t->cols[j], t);
        }
    }
    if (!best.obj && !best.col) {
        ld_error(ld, d->pos,
                 "this autogen directive is not followed by a table, column, "
                 "constraint, index, enum value or type");
        return;
    }
    if (d->old_is_string) {
        ld_error(ld, d->pos,
                 "renamed from='%s': a name is written bare or in double "
                 "quotes; single quotes are for enum values",
                 d->old);
        return;
    }
    const char *cur = best.col ? best.col->name : best.obj->name.name;
    const char **slot =
        best.col ? &best.col->renamed_from : &best.obj->renamed_from;
    if (strcmp(cur, d->old) == 0)
        ld_error(ld, d->pos, "renamed from=%s: that is its own name", d->old);
    else if (*slot)
        ld_error(ld, d->pos, "%s has two rename directives", cur);
    else if (old_name_declared(ld, &best, d->old))
        ld_error(ld, d->pos,
                 "renamed from=%s: the models still declare %s (a rename "
                 "leaves only the new name)",
                 d->old, d->old);
    else
        *slot = d->old;
}

void
ld_bind_directives(ag_loader *ld)
{
    for (size_t i = 0; i < ld->ndirs; i++)
        if (ld->dirs[i].old)
            bind_one(ld, &ld->dirs[i]);
}
