/*
 * grammar.h - the small text formats of autogen (revision-file headers,
 * revision ids, targets such as "head" or "-1", durations), matched with the
 * PCRE2 patterns kept in grammar/ *.pcre files.
 *
 * grammar/README.md is the normative spec (EBNF); the .pcre files are its
 * implementation, embedded at build time and compiled once.  The C code
 * never hand-parses these formats: it matches a pattern and reads named
 * groups.  Every pattern is anchored at the start of the subject; each
 * file ends in \z where the whole subject must match.
 */
#ifndef AUTOGEN_GRAMMAR_H
#define AUTOGEN_GRAMMAR_H

#include "autogen/base.h"

/* (id, file name without .pcre) of every pattern. */
#define AG_PATTERNS(X)                                                         \
    X(HEADER_LINE, "header_line")                                              \
    X(SECTION_MARKER, "section_marker")                                        \
    X(DIRECTIVE, "directive")                                                  \
    X(PREAMBLE_LINE, "preamble_line")                                          \
    X(REVISION_ID, "revision_id")                                              \
    X(PARENTS, "parents")                                                      \
    X(LIST_ITEM, "list_item")                                                  \
    X(CREATED, "created")                                                      \
    X(TRANSACTION, "transaction")                                              \
    X(HAZARDS, "hazards")                                                      \
    X(MESSAGE, "message")                                                      \
    X(FILENAME, "filename")                                                    \
    X(TARGET, "target")                                                        \
    X(DURATION, "duration")                                                    \
    X(MODEL_HINT, "model_hint")                                                \
    X(RENAMED, "renamed")

typedef enum ag_pattern {
#define AG_PAT_ENUM(id, file) AG_RE_##id,
    AG_PATTERNS(AG_PAT_ENUM)
#undef AG_PAT_ENUM
        AG_NPATTERNS
} ag_pattern;

#define AG_MATCH_MAXGROUPS 16

/* The result of one match: offsets into the subject, which the caller
 * keeps alive while it reads groups. */
typedef struct ag_match {
    ag_pattern pat;
    const char *subject;
    size_t end; /* offset just past the match */
    size_t ov[2 * AG_MATCH_MAXGROUPS];
    int ngroups;
} ag_match;

/* Compile every pattern (once; later calls return at once).  Returns 0, or
 * AG_EINVAL naming the pattern file and the PCRE2 message and offset when a
 * pattern does not compile (a bug in grammar/, caught by the unit tests). */
int ag_grammar_init(ag_error *err);
/* Free the compiled patterns (tests; the CLI lets exit do it). */
void ag_grammar_fini(void);

/* File name ("header_line") and source text of a pattern. */
const char *ag_pattern_name(ag_pattern p);
const char *ag_pattern_source(ag_pattern p);
/* Pattern number for a file name, -1 when there is none. */
int ag_pattern_lookup(const char *name);

/*
 * Match pattern p against subject[0..len) starting at `start`.  Returns
 * true on a match (m filled, may be NULL), false on no match, on invalid
 * UTF-8, and when ag_grammar_init has not succeeded.
 */
bool ag_grammar_match(ag_pattern p, const char *subject, size_t len,
                      size_t start, ag_match *m);
/* Named group of a match: true and *s, *n set when the group took part in
 * the match, false otherwise (or when there is no such group). */
bool ag_match_group(const ag_match *m, const char *name, const char **s,
                    size_t *n);
/* The group copied into arena, or NULL when it did not take part. */
char *ag_match_dup(const ag_match *m, const char *name, ag_arena *arena);

#endif
