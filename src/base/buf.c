/*
 * buf.c - growable, always NUL-terminated text buffer (like PQExpBuffer).
 */
#include "autogen/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ag_buf_init(ag_buf *b)
{
    b->cap = 256;
    b->len = 0;
    b->data = ag_xmalloc(b->cap);
    b->data[0] = '\0';
}

void
ag_buf_free(ag_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void
ag_buf_reset(ag_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void
reserve(ag_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = ag_xrealloc(b->data, cap);
    b->cap = cap;
}

void
ag_buf_putn(ag_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
ag_buf_put(ag_buf *b, const char *s)
{
    ag_buf_putn(b, s, strlen(s));
}

void
ag_buf_putc(ag_buf *b, char c)
{
    ag_buf_putn(b, &c, 1);
}

void
ag_buf_vprintf(ag_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void
ag_buf_printf(ag_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ag_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *
ag_buf_detach(ag_buf *b)
{
    /* Leave the buffer empty without allocating, so a caller that drops
     * it after detaching leaks nothing; the next put allocates again. */
    char *p = b->data ? b->data : ag_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
