/*
 * grammar.c - the patterns of the grammar/ folder, compiled once.
 *
 * CMake embeds every pattern file as a string constant
 * (generated/grammar_patterns.h); here they are compiled with PCRE2 in
 * extended, anchored, UTF mode, JIT-compiled where the platform allows, and
 * matched on demand.  Invalid UTF-8 in a subject is a non-match, not an
 * error: a hand-damaged file then fails with the reader's "expected ..."
 * message like any other malformed line.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "autogen/grammar.h"

#include <pcre2.h>
#include <string.h>

#include "grammar_patterns.h"

static const char *const names[] = {
#define AG_PAT_NAME(id, file) file,
    AG_PATTERNS(AG_PAT_NAME)
#undef AG_PAT_NAME
};

static const char *const sources[] = {
#define AG_PAT_SRC(id, file) AG_GRAMMAR_##id,
    AG_PATTERNS(AG_PAT_SRC)
#undef AG_PAT_SRC
};

static pcre2_code *codes[AG_NPATTERNS];
static pcre2_match_data *mdata[AG_NPATTERNS];
static bool ready;

const char *
ag_pattern_name(ag_pattern p)
{
    return p < AG_NPATTERNS ? names[p] : "?";
}

const char *
ag_pattern_source(ag_pattern p)
{
    return p < AG_NPATTERNS ? sources[p] : "";
}

int
ag_pattern_lookup(const char *name)
{
    for (int i = 0; i < AG_NPATTERNS; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

void
ag_grammar_fini(void)
{
    for (int i = 0; i < AG_NPATTERNS; i++) {
        pcre2_match_data_free(mdata[i]);
        pcre2_code_free(codes[i]);
        mdata[i] = NULL;
        codes[i] = NULL;
    }
    ready = false;
}

int
ag_grammar_init(ag_error *err)
{
    if (ready)
        return 0;
    const uint32_t opts =
        PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_EXTENDED | PCRE2_ANCHORED;
    for (int i = 0; i < AG_NPATTERNS; i++) {
        int ecode;
        PCRE2_SIZE eoff;
        codes[i] = pcre2_compile((PCRE2_SPTR)sources[i], PCRE2_ZERO_TERMINATED,
                                 opts, &ecode, &eoff, NULL);
        if (!codes[i]) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ecode, msg, sizeof msg);
            ag_grammar_fini();
            return ag_errorf(err, AG_EINVAL,
                             "grammar/%s.pcre: %s at offset %zu", names[i],
                             (const char *)msg, (size_t)eoff);
        }
        /* JIT is an optimisation: where it is unavailable the
         * interpreter gives the same answers. */
        (void)pcre2_jit_compile(codes[i], PCRE2_JIT_COMPLETE);
        mdata[i] = pcre2_match_data_create_from_pattern(codes[i], NULL);
    }
    ready = true;
    return 0;
}

bool
ag_grammar_match(ag_pattern p, const char *subject, size_t len, size_t start,
                 ag_match *m)
{
    if (!ready || p >= AG_NPATTERNS || start > len)
        return false;
    int rc = pcre2_match(codes[p], (PCRE2_SPTR)subject, len, start, 0, mdata[p],
                         NULL);
    if (rc < 0)
        return false;
    if (m) {
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(mdata[p]);
        uint32_t n = pcre2_get_ovector_count(mdata[p]);
        if (n > AG_MATCH_MAXGROUPS)
            n = AG_MATCH_MAXGROUPS;
        memset(m, 0, sizeof *m);
        m->pat = p;
        m->subject = subject;
        m->end = ov[1];
        /* Groups beyond rc did not take part: mark them unset. */
        for (uint32_t i = 0; i < n; i++) {
            bool set = (int)i < rc && ov[2 * i] != PCRE2_UNSET;
            m->ov[2 * i] = set ? ov[2 * i] : SIZE_MAX;
            m->ov[2 * i + 1] = set ? ov[2 * i + 1] : SIZE_MAX;
        }
        m->ngroups = (int)n;
    }
    return true;
}

bool
ag_match_group(const ag_match *m, const char *name, const char **s, size_t *n)
{
    if (!ready || m->pat >= AG_NPATTERNS)
        return false;
    int g = pcre2_substring_number_from_name(codes[m->pat], (PCRE2_SPTR)name);
    if (g < 0 || g >= m->ngroups || m->ov[2 * g] == SIZE_MAX)
        return false;
    *s = m->subject + m->ov[2 * g];
    *n = m->ov[2 * g + 1] - m->ov[2 * g];
    return true;
}

char *
ag_match_dup(const ag_match *m, const char *name, ag_arena *arena)
{
    const char *s;
    size_t n;
    if (!ag_match_group(m, name, &s, &n))
        return NULL;
    return ag_arena_strndup(arena, s, n);
}
