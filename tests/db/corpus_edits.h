/*
 * corpus_edits.h - the scripted edits of tests/corpus/edits/<schema>.edits:
 * parsing the file and applying one edit's text operations to a corpus
 * schema.sql.  The format is described in docs/testing.md.
 *
 * Every operation must match exactly as the file says (a fragment that
 * occurs a different number of times is an error): when the corpus file
 * changes, the edit fails loudly instead of silently testing nothing.
 * Every char * is malloc'd and owned by the structure or the caller.
 */
#ifndef AUTOGEN_TEST_CORPUS_EDITS_H
#define AUTOGEN_TEST_CORPUS_EDITS_H

#include <stddef.h>

/* The six kinds issue 5 asks for, in the order they are reported. */
#define AGT_EDIT_KINDS 6
extern const char *const agt_edit_kind_names[AGT_EDIT_KINDS];

typedef enum agt_edit_op_kind {
    AGT_OP_REPLACE, /* text (count times) -> with */
    AGT_OP_DELETE,  /* the count statements containing text */
    AGT_OP_APPEND,  /* text at the end of the file */
    AGT_OP_RENAMED, /* "-- autogen:renamed from=<arg>" after the line with text
                     */
} agt_edit_op_kind;

typedef struct agt_edit_op {
    agt_edit_op_kind kind;
    int count;
    int line; /* in the .edits file, for messages */
    char *arg;
    char *text;
    char *with;
} agt_edit_op;

typedef struct agt_edit {
    char *name;
    int kind; /* index into agt_edit_kind_names */
    int line;
    char *not_applicable; /* reason, or NULL */
    char *known_failure;  /* reason, or NULL */
    agt_edit_op *ops;
    size_t nops;
} agt_edit;

typedef struct agt_edit_set {
    agt_edit *edits;
    size_t n;
} agt_edit_set;

/* ../shared/fixtures/real of the source tree, or $AUTOGEN_CORPUS_DIR. */
const char *agt_corpus_root(void);
/* tests/corpus/edits/<schema>.edits of the source tree, into out. */
void agt_edits_path(const char *schema, char *out, size_t n);

/* Parse an .edits file.  0, or -1 with "file:line: reason" in *why. */
int agt_edits_parse(const char *path, agt_edit_set *set, char **why);
void agt_edits_free(agt_edit_set *set);
const agt_edit *agt_edits_find(const agt_edit_set *set, const char *name);

/* The statement spans [start, end) of SQL text, the way psql splits it:
 * quotes, dollar quotes, comments and backslash meta-commands respected.
 * Returns the count; *spans is malloc'd (pairs of offsets). */
size_t agt_sql_statements(const char *sql, size_t **spans);

/* Apply every operation of e to sql.  Returns the edited text, or NULL
 * with the reason (naming the .edits line) in *why. */
char *agt_edit_apply(const agt_edit *e, const char *sql, char **why);

#endif
