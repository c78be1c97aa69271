/*
 * mig_parse.c - a revision file's header and section markers, line by line.
 *
 * Every line is classified by the patterns of grammar/ (header_line,
 * section_marker, directive, preamble_line) and every header value by its
 * own pattern; this file only decides which line may come where, and says
 * file:line and what was expected when one may not.  The SQL between the
 * markers is left to the splitter (mig_stmts.c).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/grammar.h"
#include "autogen/sha256.h"
#include "migrate_int.h"

const char *
ag_txn_mode_name(ag_txn_mode mode)
{
    return mode == AG_TXN_NONE ? "none" : "per-revision";
}

ag_txn_mode
ag_migration_txn(const ag_migration *m, bool down)
{
    return down ? m->down_txn : m->txn;
}

/* The header keys, in the order a generated file writes them. */
#define HEADER_KEYS(X)                                                         \
    X(REVISION, "revision", true)                                              \
    X(PARENTS, "parents", true)                                                \
    X(MESSAGE, "message", true)                                                \
    X(CREATED, "created", true)                                                \
    X(TRANSACTION, "transaction", true)                                        \
    X(DOWN_TRANSACTION, "downgrade-transaction", false)                        \
    X(HAZARDS, "hazards", false)

enum {
#define HK_ENUM(id, name, req) HK_##id,
    HEADER_KEYS(HK_ENUM)
#undef HK_ENUM
        NKEYS
};
static const char *const key_names[] = {
#define HK_NAME(id, name, req) name,
    HEADER_KEYS(HK_NAME)
#undef HK_NAME
};
static const bool key_required[] = {
#define HK_REQ(id, name, req) req,
    HEADER_KEYS(HK_REQ)
#undef HK_REQ
};

typedef struct line {
    const char *s; /* start, not NUL-terminated */
    size_t len;    /* without the '\n' */
    size_t off;    /* offset in the file */
    int no;        /* 1-based */
} line;

typedef struct parser {
    const char *path;
    ag_arena *arena;
    ag_migration *m;
    ag_error *err;
    int seen_line[NKEYS]; /* line of each key, 0 = not seen */
} parser;

/* "path:N: message" followed by the offending line, indented. */
static int AG_PRINTF(3, 4)
    line_error(parser *p, const line *ln, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int show = ln->len > 200 ? 200 : (int)ln->len;
    if (ln->len && ln->s[ln->len - 1] == '\r' && show == (int)ln->len)
        show--;
    if (ln->s && show > 0)
        return ag_errorf(p->err, AG_EPARSE, "%s:%d: %s\n    %.*s", p->path,
                         ln->no, msg, show, ln->s);
    return ag_errorf(p->err, AG_EPARSE, "%s:%d: %s", p->path, ln->no, msg);
}

static bool
match_line(ag_pattern pat, const line *ln, ag_match *m)
{
    return ag_grammar_match(pat, ln->s, ln->len, 0, m);
}

/* The items of a comma-separated value already checked by its own
 * pattern, as arena strings. */
static size_t
list_items(parser *p, const char *value, const char ***out)
{
    size_t n = 0, len = strlen(value), at = 0;
    const char **items = NULL;
    ag_match m;
    while (at < len && ag_grammar_match(AG_RE_LIST_ITEM, value, len, at, &m) &&
           m.end > at) {
        items = ag_arena_grow(p->arena, items, n, sizeof *items);
        items[n++] = ag_match_dup(&m, "item", p->arena);
        at = m.end;
    }
    *out = items;
    return n;
}

static int
bad_value(parser *p, const line *ln, int key, const char *expected)
{
    return line_error(p, ln, "malformed -- autogen:%s value: expected %s",
                      key_names[key], expected);
}

/* Check and store one header value. */
static int
header_value(parser *p, const line *ln, int key, const char *value)
{
    ag_migration *m = p->m;
    size_t vlen = strlen(value);
    ag_match mt;
    switch (key) {
    case HK_REVISION:
        if (!ag_grammar_match(AG_RE_REVISION_ID, value, vlen, 0, &mt))
            return bad_value(p, ln, key, "12 lowercase hex digits");
        m->id = value;
        return 0;
    case HK_PARENTS:
        if (!ag_grammar_match(AG_RE_PARENTS, value, vlen, 0, &mt))
            return bad_value(p, ln, key,
                             "\"none\" or revision ids (12 lowercase hex "
                             "digits) separated by commas");
        if (ag_match_group(&mt, "none", &(const char *){0}, &(size_t){0}))
            return 0;
        m->nparents = list_items(p, value, &m->parents);
        for (size_t i = 0; i < m->nparents; i++)
            for (size_t j = 0; j < i; j++)
                if (strcmp(m->parents[i], m->parents[j]) == 0)
                    return line_error(p, ln, "parent %s is listed twice",
                                      m->parents[i]);
        return 0;
    case HK_MESSAGE:
        if (!ag_grammar_match(AG_RE_MESSAGE, value, vlen, 0, &mt))
            return bad_value(p, ln, key,
                             "one line of text without control characters");
        m->message = value;
        return 0;
    case HK_CREATED:
        if (!ag_grammar_match(AG_RE_CREATED, value, vlen, 0, &mt))
            return bad_value(p, ln, key,
                             "a UTC time such as 2026-11-21T15:30:07Z");
        m->created = value;
        return 0;
    case HK_TRANSACTION:
        if (!ag_grammar_match(AG_RE_TRANSACTION, value, vlen, 0, &mt))
            return bad_value(p, ln, key, "per-revision or none");
        m->txn = value[0] == 'n' ? AG_TXN_NONE : AG_TXN_PER_REVISION;
        return 0;
    case HK_DOWN_TRANSACTION:
        if (!ag_grammar_match(AG_RE_TRANSACTION, value, vlen, 0, &mt))
            return bad_value(p, ln, key, "per-revision or none");
        m->down_txn = value[0] == 'n' ? AG_TXN_NONE : AG_TXN_PER_REVISION;
        return 0;
    case HK_HAZARDS: {
        if (!ag_grammar_match(AG_RE_HAZARDS, value, vlen, 0, &mt))
            return bad_value(p, ln, key, "hazard names separated by commas");
        const char **items;
        size_t n = list_items(p, value, &items);
        for (size_t i = 0; i < n; i++) {
            uint32_t bit = ag_hazard_parse(items[i]);
            if (!bit) {
                char known[200] = "";
                for (int h = 0; h < AG_NHAZARDS; h++) {
                    strncat(known, h ? ", " : "",
                            sizeof known - strlen(known) - 1);
                    strncat(known, ag_hazard_name(h),
                            sizeof known - strlen(known) - 1);
                }
                return line_error(p, ln, "unknown hazard '%s' (known: %s)",
                                  items[i], known);
            }
            m->hazards |= bit;
        }
        return 0;
    }
    }
    return 0;
}

/* A "-- autogen:<key> <value>" line in the header. */
static int
header_line(parser *p, const line *ln, const ag_match *mt)
{
    char *key = ag_match_dup(mt, "key", p->arena);
    char *value = ag_match_dup(mt, "value", p->arena);
    int k = -1;
    for (int i = 0; i < NKEYS; i++)
        if (strcmp(key, key_names[i]) == 0)
            k = i;
    if (k < 0) {
        char known[200] = "";
        for (int i = 0; i < NKEYS; i++) {
            strncat(known, i ? ", " : "", sizeof known - strlen(known) - 1);
            strncat(known, key_names[i], sizeof known - strlen(known) - 1);
        }
        return line_error(
            p, ln, "unknown header key '%s' (expected one of: %s)", key, known);
    }
    if (p->seen_line[k])
        return line_error(p, ln, "-- autogen:%s repeated (first on line %d)",
                          key, p->seen_line[k]);
    p->seen_line[k] = ln->no;
    if (!value)
        return line_error(p, ln, "-- autogen:%s needs a value", key);
    return header_value(p, ln, k, value);
}

static int
check_required(parser *p, const line *ln)
{
    for (int i = 0; i < NKEYS; i++)
        if (key_required[i] && !p->seen_line[i])
            return line_error(p, ln,
                              "the header lacks -- autogen:%s (required "
                              "before -- autogen:upgrade)",
                              key_names[i]);
    return 0;
}

enum { S_HEADER, S_PREAMBLE, S_UP, S_DOWN };

/* One line, given the state so far; moves the state on. */
static int
classify(parser *p, const line *ln, int *state)
{
    ag_match mt;
    const char *sec = NULL;
    size_t seclen = 0;
    bool marker = match_line(AG_RE_SECTION_MARKER, ln, &mt) &&
                  ag_match_group(&mt, "section", &sec, &seclen);
    bool up = marker && seclen == 7 && strncmp(sec, "upgrade", 7) == 0;
    ag_migration *m = p->m;
    switch (*state) {
    case S_HEADER:
    case S_PREAMBLE:
        if (marker && up) {
            int rc = check_required(p, ln);
            if (rc)
                return rc;
            m->up.marker_line = ln->no;
            m->up.start = ln->off + ln->len + 1;
            *state = S_UP;
            return 0;
        }
        if (marker)
            return line_error(p, ln,
                              "expected -- autogen:upgrade before "
                              "-- autogen:downgrade");
        if (match_line(AG_RE_HEADER_LINE, ln, &mt)) {
            if (*state == S_PREAMBLE)
                return line_error(p, ln,
                                  "header lines must come first, "
                                  "before blank or comment lines");
            return header_line(p, ln, &mt);
        }
        if (match_line(AG_RE_DIRECTIVE, ln, NULL))
            return line_error(p, ln,
                              "malformed autogen line: expected "
                              "'-- autogen:<key> <value>'");
        if (ln->no == 1)
            return line_error(p, ln,
                              "expected a '-- autogen:revision <id>' "
                              "header line: a revision file starts "
                              "with its header");
        if (match_line(AG_RE_PREAMBLE_LINE, ln, NULL)) {
            *state = S_PREAMBLE;
            return 0;
        }
        return line_error(p, ln,
                          "expected -- autogen:upgrade before the "
                          "first SQL statement");
    case S_UP:
        if (marker && !up) {
            m->up.end = ln->off;
            m->down.marker_line = ln->no;
            m->down.start = ln->off + ln->len + 1;
            *state = S_DOWN;
            return 0;
        }
        if (marker)
            return line_error(p, ln,
                              "second -- autogen:upgrade (the first "
                              "is on line %d)",
                              m->up.marker_line);
        if (match_line(AG_RE_DIRECTIVE, ln, NULL))
            return line_error(p, ln,
                              "unexpected autogen line in the upgrade "
                              "section: expected SQL or "
                              "-- autogen:downgrade");
        return 0;
    default:
        if (match_line(AG_RE_DIRECTIVE, ln, NULL))
            return line_error(p, ln,
                              "unexpected autogen line in the "
                              "downgrade section, which runs to the "
                              "end of the file");
        return 0;
    }
}

int
ag_migration_parse(const char *path, const char *text, size_t len,
                   ag_arena *arena, ag_migration *m, ag_error *err)
{
    int rc = ag_grammar_init(err);
    if (rc)
        return rc;
    memset(m, 0, sizeof *m);
    m->path = ag_arena_strdup(arena, path);
    m->text = text;
    m->len = len;
    ag_sha256_hex(text, len, m->checksum);
    if (strlen(text) != len)
        return ag_errorf(err, AG_EPARSE, "%s: the file holds a NUL byte", path);
    parser p = {.path = m->path, .arena = arena, .m = m, .err = err};
    int state = S_HEADER;
    line ln = {.s = text, .off = 0, .no = 0};
    size_t at = 0;
    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        ln = (line){text + at, nl ? (size_t)(nl - text) - at : len - at, at,
                    ln.no + 1};
        if ((rc = classify(&p, &ln, &state)) != 0)
            return rc;
        at += ln.len + 1;
    }
    if (state != S_DOWN) {
        line end = {NULL, 0, len, ln.no + 1};
        return line_error(&p, &end, "expected %s before the end of the file",
                          state == S_UP ? "-- autogen:downgrade"
                          : len == 0    ? "a '-- autogen:revision <id>' header"
                                        : "-- autogen:upgrade");
    }
    if (m->up.start > len)
        m->up.start = len;
    if (m->down.start > len)
        m->down.start = len;
    m->down.end = len;
    for (size_t i = 0; i < m->nparents; i++)
        if (strcmp(m->parents[i], m->id) == 0)
            return ag_errorf(err, AG_EPARSE,
                             "%s:%d: revision %s names itself as its parent",
                             path, p.seen_line[HK_PARENTS], m->id);
    if (!p.seen_line[HK_DOWN_TRANSACTION])
        m->down_txn = m->txn;
    ag_lineidx lines;
    ag_lineidx_build(&lines, text);
    rc = mig_split_section(m, &lines, &m->up, "upgrade", m->txn == AG_TXN_NONE,
                           arena, err);
    if (rc == 0)
        rc = mig_split_section(m, &lines, &m->down, "downgrade",
                               m->down_txn == AG_TXN_NONE, arena, err);
    ag_lineidx_free(&lines);
    return rc;
}

/* ---- a folder of revisions ---- */

static int
sql_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 4 &&
           strcmp(e->d_name + n - 4, ".sql") == 0;
}

int
ag_migration_read_dir(const char *dir, ag_arena *arena, ag_migration **out,
                      size_t *n, ag_error *err)
{
    *out = NULL;
    *n = 0;
    int rc = ag_grammar_init(err);
    if (rc)
        return rc;
    struct dirent **names;
    int count = scandir(dir, &names, sql_file, alphasort);
    if (count < 0)
        return ag_errorf(err, AG_EIO,
                         "cannot read the migrations folder %s (run autogen "
                         "init, or set migrations in autogen.ini)",
                         dir);
    ag_migration *migs =
        ag_arena_alloc(arena, sizeof *migs * (size_t)(count ? count : 1));
    for (int i = 0; i < count && rc == 0; i++) {
        const char *name = names[i]->d_name;
        char *path = ag_arena_sprintf(arena, "%s/%s", dir, name);
        ag_match fm;
        if (!ag_grammar_match(AG_RE_FILENAME, name, strlen(name), 0, &fm)) {
            rc = ag_errorf(err, AG_EPARSE,
                           "%s: the file name does not follow "
                           "YYYYMMDD_HHMM-<revision>_<slug>.sql",
                           path);
            break;
        }
        char *text = NULL;
        size_t len = 0;
        if ((rc = ag_read_file(path, &text, &len, err)) != 0)
            break;
        /* A copy of all len bytes (not a strdup, which would stop at a
         * NUL byte the parser is to report). */
        char *kept = ag_arena_alloc(arena, len + 1);
        memcpy(kept, text, len);
        free(text);
        rc = ag_migration_parse(path, kept, len, arena, &migs[*n], err);
        if (rc)
            break;
        char *fid = ag_match_dup(&fm, "id", arena);
        if (strcmp(fid, migs[*n].id) != 0) {
            rc = ag_errorf(err, AG_EPARSE,
                           "%s: the file name says revision %s but its header "
                           "says %s",
                           path, fid, migs[*n].id);
            break;
        }
        (*n)++;
    }
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
    if (rc)
        *n = 0;
    *out = migs;
    return rc;
}
