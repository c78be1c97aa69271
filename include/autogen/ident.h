/*
 * ident.h - quoting identifiers and literals the way PostgreSQL does.
 *
 * Everything the emitter writes goes through these: names are in catalog
 * form (never case-folded again) and come out bare only when PostgreSQL
 * would read them back unchanged.  All functions append to a buffer.
 */
#ifndef AUTOGEN_IDENT_H
#define AUTOGEN_IDENT_H

#include "autogen/base.h"

/* Keyword categories, numbered as libpg_query's KeywordKind. */
typedef enum ag_kwcat {
    AG_KW_NONE = 0,
    AG_KW_UNRESERVED = 1,
    AG_KW_COL_NAME = 2,
    AG_KW_TYPE_FUNC_NAME = 3,
    AG_KW_RESERVED = 4
} ag_kwcat;

typedef struct ag_keyword {
    const char *word; /* lower case */
    ag_kwcat cat;
} ag_keyword;

/* The PostgreSQL 15 keyword list, sorted by word; *n gets its length. */
const ag_keyword *ag_keyword_table(size_t *n);
/* Category of a (lower-case) word, AG_KW_NONE when it is no keyword. */
ag_kwcat ag_keyword_category(const char *word);

/*
 * True unless `name` matches [a-z_][a-z0-9_]* and is not a keyword other
 * than an unreserved one: the rule of quote_identifier() and pg_dump's
 * fmtId().  Like them, `$` forces quotes, so names come out spelled as the
 * server's format_type() and pg_get_*def() print them.  "" needs quotes.
 */
bool ag_ident_needs_quotes(const char *name);
/* name, or "name" with embedded double quotes doubled. */
void ag_quote_ident(ag_buf *out, const char *name);
/* schema.name, each part quoted as needed; schema NULL or "" gives name. */
void ag_quote_qname(ag_buf *out, const char *schema, const char *name);
/* 'it''s' (quote_literal rules): E'...' with backslashes doubled when the
 * string holds a backslash; NULL gives NULL. */
void ag_quote_literal(ag_buf *out, const char *s);
/* text between dollar quotes whose tag ($word$, else $word1$, $word2$...)
 * does not occur in it: how function bodies are written. */
void ag_quote_dollar(ag_buf *out, const char *text, const char *word);

#endif
