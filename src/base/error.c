/*
 * error.c - error values with context, diagnostics with source locations,
 * and whole-file I/O (read; write atomically via temp file + rename).
 */
#include "autogen/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const err_names[] = {
#define X(name, msg) "AG_" #name,
    AG_ERRORS(X)
#undef X
};
static const char *const err_msgs[] = {
#define X(name, msg) msg,
    AG_ERRORS(X)
#undef X
};
#define NERRS (sizeof err_names / sizeof err_names[0])

const char *
ag_errname(int code)
{
    if (code == 0)
        return "AG_OK";
    size_t i = (size_t)(-code - 1);
    return code < 0 && i < NERRS ? err_names[i] : "AG_UNKNOWN";
}

const char *
ag_strerror(int code)
{
    if (code == 0)
        return "success";
    size_t i = (size_t)(-code - 1);
    return code < 0 && i < NERRS ? err_msgs[i] : "unknown error";
}

int
ag_errorf(ag_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void
ag_error_prefix(ag_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t plen = strlen(prefix);
    if (plen >= sizeof err->msg)
        plen = sizeof err->msg - 1;
    memcpy(err->msg, prefix, plen);
    size_t rest = sizeof err->msg - 1 - plen;
    size_t olen = strnlen(old, sizeof old);
    if (olen > rest)
        olen = rest;
    memcpy(err->msg + plen, old, olen);
    err->msg[plen + olen] = '\0';
}

/* ---- diagnostics ---- */

void
ag_diag_init(ag_diag *d)
{
    memset(d, 0, sizeof *d);
}

void
ag_diag_free(ag_diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].message);
        free(d->items[i].source_line);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

void
ag_srcloc_from_offset(const char *src, size_t offset, int *line, int *col)
{
    int l = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < offset && src[i]; i++) {
        if (src[i] == '\n') {
            l++;
            line_start = i + 1;
        }
    }
    *line = l;
    *col = (int)(offset - line_start) + 1;
}

void
ag_lineidx_build(ag_lineidx *idx, const char *src)
{
    size_t cap = 1024;
    idx->starts = ag_xmalloc(cap * sizeof *idx->starts);
    idx->n = 0;
    idx->starts[idx->n++] = 0;
    for (size_t i = 0; src[i]; i++) {
        if (src[i] != '\n')
            continue;
        if (idx->n == cap) {
            cap *= 2;
            idx->starts = ag_xrealloc(idx->starts, cap * sizeof *idx->starts);
        }
        idx->starts[idx->n++] = i + 1;
    }
}

void
ag_lineidx_free(ag_lineidx *idx)
{
    free(idx->starts);
    idx->starts = NULL;
    idx->n = 0;
}

void
ag_lineidx_find(const ag_lineidx *idx, size_t offset, int *line, int *col)
{
    size_t lo = 0, hi = idx->n; /* last start <= offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (idx->starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    *line = (int)lo + 1;
    *col = (int)(offset - idx->starts[lo]) + 1;
}

static ag_diag_entry *
diag_push(ag_diag *d)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->items = ag_xrealloc(d->items, d->cap * sizeof *d->items);
    }
    ag_diag_entry *e = &d->items[d->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static void
diag_vadd(ag_diag *d, ag_severity sev, ag_srcloc loc, const char *line_text,
          size_t line_len, const char *fmt, va_list ap)
{
    ag_diag_entry *e = diag_push(d);
    e->sev = sev;
    e->loc = loc;
    if (line_text) {
        e->source_line = ag_xmalloc(line_len + 1);
        memcpy(e->source_line, line_text, line_len);
        e->source_line[line_len] = '\0';
    }
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_vprintf(&b, fmt, ap);
    e->message = ag_buf_detach(&b);
    if (sev == AG_SEV_ERROR)
        d->nerrors++;
}

void
ag_diag_add_loc(ag_diag *d, ag_severity sev, ag_srcloc loc,
                const char *line_text, size_t line_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, sev, loc, line_text, line_len, fmt, ap);
    va_end(ap);
}

void
ag_diag_add(ag_diag *d, ag_severity sev, const char *file, const char *src,
            size_t offset, const char *fmt, ...)
{
    ag_srcloc loc = {file, 0, 0};
    const char *line_text = NULL;
    size_t line_len = 0;
    if (src) {
        ag_srcloc_from_offset(src, offset, &loc.line, &loc.col);
        size_t start = offset;
        while (start > 0 && src[start - 1] != '\n')
            start--;
        line_text = src + start;
        while (line_text[line_len] && line_text[line_len] != '\n')
            line_len++;
    }
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, sev, loc, line_text, line_len, fmt, ap);
    va_end(ap);
}

void
ag_diag_render(const ag_diag *d, ag_buf *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const ag_diag_entry *e = &d->items[i];
        const char *sev = e->sev == AG_SEV_ERROR ? "error" : "warning";
        if (e->loc.file && e->loc.line)
            ag_buf_printf(out, "%s:%d:%d: %s: %s\n", e->loc.file, e->loc.line,
                          e->loc.col, sev, e->message);
        else if (e->loc.file)
            ag_buf_printf(out, "%s: %s: %s\n", e->loc.file, sev, e->message);
        else
            ag_buf_printf(out, "%s: %s\n", sev, e->message);
        if (e->source_line) {
            ag_buf_printf(out, "  %s\n  ", e->source_line);
            /* Keep tabs so the caret lines up under the offending byte. */
            for (int c = 1; c < e->loc.col && e->source_line[c - 1]; c++)
                ag_buf_putc(out, e->source_line[c - 1] == '\t' ? '\t' : ' ');
            ag_buf_put(out, "^\n");
        }
    }
}

/* ---- files ---- */

int
ag_read_file(const char *path, char **out, size_t *len, ag_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ag_errorf(err, AG_EIO, "%s: %s", path, strerror(errno));
    ag_buf b;
    ag_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ag_buf_putn(&b, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        ag_buf_free(&b);
        return ag_errorf(err, AG_EIO, "%s: read error", path);
    }
    if (len)
        *len = b.len;
    *out = ag_buf_detach(&b);
    ag_buf_free(&b);
    return 0;
}

int
ag_write_file_atomic(const char *path, const char *data, size_t len,
                     ag_error *err)
{
    size_t plen = strlen(path);
    char *tmp = ag_xmalloc(plen + 32);
    snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        int rc = ag_errorf(err, AG_EIO, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok = (fflush(f) == 0) && ok;
    ok = (fsync(fileno(f)) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        int rc =
            ag_errorf(err, AG_EIO, "writing %s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    return 0;
}
