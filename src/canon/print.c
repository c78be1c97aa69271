/*
 * print.c - a canonical text for a (normalised) parse subtree.
 *
 * The differ only needs two definitions to compare equal exactly when they
 * mean the same, not SQL it can run, so instead of deparsing (which packs
 * the tree to protobuf and back through libpg_query, ~40 us a call) the
 * tree is printed directly through the protobuf-c descriptors: every field
 * that is set, in descriptor order, except source locations.  Fields at
 * their default value are left out, which keeps the text short and makes
 * "absent" and "default" the same.
 */
#include <string.h>

#include "autogen/ast.h"

static bool
is_location(const char *name)
{
    /* The first letter rules out almost every field cheaply. */
    return (name[0] == 'l' && strcmp(name, "location") == 0) ||
           (name[0] == 's' && (strcmp(name, "stmt_location") == 0 ||
                               strcmp(name, "stmt_len") == 0));
}

static void print_message(ag_buf *b, const ProtobufCMessage *m);

static void
print_string(ag_buf *b, const char *s)
{
    ag_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            ag_buf_putc(b, '\\');
        ag_buf_putc(b, *s);
    }
    ag_buf_putc(b, '"');
}

/* Decimal digits of v, without printf: the canonical print runs over
 * every model and database constraint, index and default, and printf's
 * format parsing was ~5% of a check at 10,000 tables. */
static void
put_int(ag_buf *b, long long v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
                                 : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    ag_buf_putn(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* One value of field f stored at p; false when it is the default. */
static bool
print_value(ag_buf *b, const ProtobufCFieldDescriptor *f, const void *p,
            bool force)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        if (!force && *(const int32_t *)p == 0)
            return false;
        put_int(b, *(const int32_t *)p);
        return true;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        if (!force && *(const uint32_t *)p == 0)
            return false;
        put_int(b, *(const uint32_t *)p);
        return true;
    case PROTOBUF_C_TYPE_ENUM:
        if (!force && *(const int *)p == 0)
            return false;
        put_int(b, *(const int *)p);
        return true;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        if (!force && *(const int64_t *)p == 0)
            return false;
        put_int(b, (long long)*(const int64_t *)p);
        return true;
    case PROTOBUF_C_TYPE_BOOL:
        if (!force && !*(const protobuf_c_boolean *)p)
            return false;
        ag_buf_put(b, *(const protobuf_c_boolean *)p ? "t" : "f");
        return true;
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE:
        return false; /* not used by the parse tree */
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)p;
        if (!force && (!s || !*s))
            return false;
        print_string(b, s ? s : "");
        return true;
    }
    case PROTOBUF_C_TYPE_BYTES:
        return false;
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *m = *(ProtobufCMessage *const *)p;
        if (!m) {
            if (!force)
                return false;
            ag_buf_put(b, "null");
            return true;
        }
        print_message(b, m);
        return true;
    }
    }
    return false;
}

static size_t
value_size(const ProtobufCFieldDescriptor *f)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return sizeof(int64_t);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_ENUM:
        return sizeof(int);
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    default:
        return sizeof(int32_t);
    }
}

static void
print_message(ag_buf *b, const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    /* A Node is a wrapper: print just the member that is set.  Every
     * member is a message pointer in one union, so read it directly
     * rather than scanning ~250 field descriptors. */
    if (d == &pg_query__node__descriptor) {
        const PgQuery__Node *n = (const PgQuery__Node *)m;
        if (n->node_case == PG_QUERY__NODE__NODE__NOT_SET)
            ag_buf_put(b, "null");
        else
            print_message(b, (const ProtobufCMessage *)n->select_stmt);
        return;
    }
    ag_buf_put(b, d->short_name);
    ag_buf_putc(b, '{');
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (is_location(f->name))
            continue;
        const char *member = (const char *)m + f->offset;
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            if (*(const uint32_t *)((const char *)m + f->quantifier_offset) !=
                f->id)
                continue;
        }
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n =
                *(const size_t *)((const char *)m + f->quantifier_offset);
            if (!n)
                continue;
            ag_buf_put(b, f->name);
            ag_buf_put(b, "=[");
            const char *arr = *(const char *const *)member;
            for (size_t k = 0; k < n; k++) {
                if (k)
                    ag_buf_putc(b, ',');
                print_value(b, f, arr + k * value_size(f), true);
            }
            ag_buf_put(b, "] ");
            continue;
        }
        size_t before = b->len;
        ag_buf_put(b, f->name);
        ag_buf_putc(b, '=');
        if (print_value(b, f, member, false)) {
            ag_buf_putc(b, ' ');
        } else {
            b->len = before; /* default value: leave the field out */
            b->data[b->len] = '\0';
        }
    }
    ag_buf_putc(b, '}');
}

void
ag_canon_print(ag_buf *b, const ProtobufCMessage *m)
{
    print_message(b, m);
}
