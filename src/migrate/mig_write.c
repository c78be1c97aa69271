/*
 * mig_write.c - new revision files: id, file name, header and sections.
 *
 * The sections are whatever SQL the caller hands in (the emitter's output
 * for a generated revision), so the same plan always gives the same bytes
 * below the header; only the id and the creation time differ.  The file is
 * rendered whole here and written with ag_write_file_atomic by the caller.
 */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "autogen/emit.h"
#include "autogen/ident.h"
#include "autogen/migration.h"

/* Length of the well-formed UTF-8 sequence at p, 0 when it is not one. */
static size_t
utf8_len(const unsigned char *p)
{
    size_t n = p[0] < 0x80             ? 1
               : (p[0] & 0xE0) == 0xC0 ? 2
               : (p[0] & 0xF0) == 0xE0 ? 3
               : (p[0] & 0xF8) == 0xF0 ? 4
                                       : 0;
    if (n == 2 && p[0] < 0xC2)
        return 0; /* overlong */
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static void
put_header(ag_buf *out, const char *key, const char *value)
{
    ag_buf_printf(out, "-- autogen:%s %s\n", key, value);
}

void
ag_migration_render(const ag_revision_header *h, const char *up_sql,
                    const char *down_sql, ag_buf *out)
{
    char created[32];
    struct tm tm;
    gmtime_r(&h->created, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);

    put_header(out, "revision", h->id);
    ag_buf_put(out, "-- autogen:parents ");
    if (!h->nparents)
        ag_buf_put(out, "none");
    for (size_t i = 0; i < h->nparents; i++)
        ag_buf_printf(out, "%s%s", i ? ", " : "", h->parents[i]);
    ag_buf_putc(out, '\n');
    /* The message on one line, trimmed: it must read back unchanged. */
    ag_buf msg;
    ag_buf_init(&msg);
    const char *m = h->message;
    while (*m == ' ' || *m == '\t' || *m == '\n' || *m == '\r')
        m++;
    /* Control characters become spaces and bytes that are not UTF-8 '?',
     * so the message reads back through grammar/message.pcre. */
    while (*m) {
        size_t n = utf8_len((const unsigned char *)m);
        if (n == 0)
            ag_buf_putc(&msg, '?');
        else if (n == 1)
            ag_buf_putc(&msg,
                        (unsigned char)*m < 0x20 || *m == 0x7f ? ' ' : *m);
        else
            ag_buf_putn(&msg, m, n);
        m += n ? n : 1;
    }
    while (msg.len && msg.data[msg.len - 1] == ' ')
        msg.data[--msg.len] = '\0';
    put_header(out, "message", msg.len ? msg.data : "(no message)");
    ag_buf_free(&msg);
    put_header(out, "created", created);
    put_header(out, "transaction", ag_txn_mode_name(h->txn));
    if (h->down_txn != h->txn)
        put_header(out, "downgrade-transaction", ag_txn_mode_name(h->down_txn));
    if (h->hazards) {
        ag_buf_put(out, "-- autogen:hazards ");
        bool first = true;
        for (int i = 0; i < AG_NHAZARDS; i++)
            if (h->hazards & (1u << i)) {
                ag_buf_printf(out, "%s%s", first ? "" : ", ",
                              ag_hazard_name(i));
                first = false;
            }
        ag_buf_putc(out, '\n');
    }
    ag_buf_put(out, "\n-- autogen:upgrade\n\n");
    if (up_sql && *up_sql)
        ag_buf_printf(out, "%s\n", up_sql);
    ag_buf_put(out, "-- autogen:downgrade\n");
    if (down_sql && *down_sql)
        ag_buf_printf(out, "\n%s", down_sql);
}

void
ag_migration_slug(const char *message, ag_buf *out)
{
    size_t start = out->len;
    bool gap = false;
    for (const unsigned char *p = (const unsigned char *)message; *p; p++) {
        bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                     (*p >= 'A' && *p <= 'Z');
        if (!alnum) {
            gap = true;
            continue;
        }
        if (out->len - start >= 48)
            break;
        if (gap && out->len > start)
            ag_buf_putc(out, '_');
        gap = false;
        ag_buf_putc(out, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
    }
    /* A cut may leave a trailing '_'. */
    while (out->len > start && out->data[out->len - 1] == '_')
        out->data[--out->len] = '\0';
    if (out->len == start)
        ag_buf_put(out, "revision");
}

void
ag_migration_filename(const ag_revision_header *h, ag_buf *out)
{
    char stamp[32];
    struct tm tm;
    gmtime_r(&h->created, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d_%H%M", &tm);
    ag_buf_printf(out, "%s-%s_", stamp, h->id);
    ag_migration_slug(h->message, out);
    ag_buf_put(out, ".sql");
}

int
ag_migration_new_id(char out[AG_REV_LEN + 1], ag_error *err)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[AG_REV_LEN / 2];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ag_errorf(err, AG_EIO, "/dev/urandom: %s", strerror(errno));
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = read(fd, raw + got, sizeof raw - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno;
            close(fd);
            return ag_errorf(err, AG_EIO, "/dev/urandom: %s",
                             n == 0 ? "end of file" : strerror(e));
        }
        got += (size_t)n;
    }
    close(fd);
    for (size_t i = 0; i < sizeof raw; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[AG_REV_LEN] = '\0';
    return 0;
}

ag_txn_mode
ag_migration_txn_for_plan(const ag_plan *up, const char **label)
{
    ag_buf lit, sql;
    ag_buf_init(&lit);
    ag_buf_init(&sql);
    ag_txn_mode mode = AG_TXN_PER_REVISION;
    if (label)
        *label = NULL;
    for (size_t i = 0; i < up->nops && mode == AG_TXN_PER_REVISION; i++) {
        const ag_op *add = &up->ops[i];
        if (add->type != AG_OP_ADD_ENUM_VALUE || !add->label)
            continue;
        ag_buf_reset(&lit);
        ag_quote_literal(&lit, add->label);
        /* Any later op whose SQL holds the label as a literal may use it:
         * a false positive only costs the wrapping transaction. */
        for (size_t j = i + 1; j < up->nops; j++) {
            if (up->ops[j].type == AG_OP_ADD_ENUM_VALUE)
                continue;
            ag_buf_reset(&sql);
            ag_emit_op_sql(&up->ops[j], &sql);
            if (strstr(sql.data, lit.data)) {
                mode = AG_TXN_NONE;
                if (label)
                    *label = add->label;
                break;
            }
        }
    }
    ag_buf_free(&lit);
    ag_buf_free(&sql);
    return mode;
}
