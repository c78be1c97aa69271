/*
 * ident.c - identifier and literal quoting (quote_identifier, quote_literal).
 *
 * The rules are PostgreSQL's own so that what we print is what the server
 * prints: a name stays bare only when the scanner would read it back as the
 * same identifier, i.e. it is lower-case ASCII letters, digits and
 * underscores, does not start with a digit, and is not a keyword that the
 * grammar refuses as a column name.
 */
#include "autogen/ident.h"

#include <string.h>

bool
ag_ident_needs_quotes(const char *name)
{
    if (!((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
        return true;
    for (const char *p = name; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return true;
    }
    ag_kwcat cat = ag_keyword_category(name);
    return cat != AG_KW_NONE && cat != AG_KW_UNRESERVED;
}

void
ag_quote_ident(ag_buf *out, const char *name)
{
    if (!ag_ident_needs_quotes(name)) {
        ag_buf_put(out, name);
        return;
    }
    ag_buf_putc(out, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            ag_buf_putc(out, '"');
        ag_buf_putc(out, *p);
    }
    ag_buf_putc(out, '"');
}

void
ag_quote_qname(ag_buf *out, const char *schema, const char *name)
{
    if (schema && *schema) {
        ag_quote_ident(out, schema);
        ag_buf_putc(out, '.');
    }
    ag_quote_ident(out, name);
}

void
ag_quote_literal(ag_buf *out, const char *s)
{
    if (!s) {
        ag_buf_put(out, "NULL");
        return;
    }
    /* With standard_conforming_strings on, only the E'' form gives
     * backslashes a meaning; quote_literal() switches to it whenever one
     * occurs so the text survives either setting. */
    bool backslash = false;
    for (const char *p = s; *p; p++)
        if (*p == '\\')
            backslash = true;
    if (backslash)
        ag_buf_putc(out, 'E');
    ag_buf_putc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'' || *p == '\\')
            ag_buf_putc(out, *p);
        ag_buf_putc(out, *p);
    }
    ag_buf_putc(out, '\'');
}

void
ag_quote_dollar(ag_buf *out, const char *text, const char *word)
{
    ag_buf tag;
    ag_buf_init(&tag);
    ag_buf_printf(&tag, "$%s$", word);
    for (int n = 1; strstr(text, tag.data); n++) {
        ag_buf_reset(&tag);
        ag_buf_printf(&tag, "$%s%d$", word, n);
    }
    ag_buf_put(out, tag.data);
    ag_buf_put(out, text);
    ag_buf_put(out, tag.data);
    ag_buf_free(&tag);
}
