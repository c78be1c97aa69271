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

/* Decimal digits of v: snprintf through ag_buf_printf was a tenth of
 * `check` at 10,000 tables (this runs for every canonical form and every
 * memo key). */
static void
put_int(ag_buf *b, long long v)
{
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
                                 : (unsigned long long)v;
    do
        *--q = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--q = '-';
    ag_buf_putn(b, q, (size_t)(e - q));
}

/* Is the value of field f stored at p its default (then it is left out)? */
static bool
is_default(const ProtobufCFieldDescriptor *f, const void *p)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return *(const int32_t *)p == 0;
    case PROTOBUF_C_TYPE_ENUM:
        return *(const int *)p == 0;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return *(const int64_t *)p == 0;
    case PROTOBUF_C_TYPE_BOOL:
        return !*(const protobuf_c_boolean *)p;
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)p;
        return !s || !*s;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        return !*(ProtobufCMessage *const *)p;
    default: /* float, double, bytes: not used by the parse tree */
        return true;
    }
}

/* One value of field f stored at p (repeated elements are printed even
 * when they are the default). */
static void
print_value(ag_buf *b, const ProtobufCFieldDescriptor *f, const void *p)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        put_int(b, *(const int32_t *)p);
        return;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        put_int(b, *(const uint32_t *)p);
        return;
    case PROTOBUF_C_TYPE_ENUM:
        put_int(b, *(const int *)p);
        return;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        put_int(b, (long long)*(const int64_t *)p);
        return;
    case PROTOBUF_C_TYPE_BOOL:
        ag_buf_putc(b, *(const protobuf_c_boolean *)p ? 't' : 'f');
        return;
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)p;
        print_string(b, s ? s : "");
        return;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *m = *(ProtobufCMessage *const *)p;
        if (m)
            print_message(b, m);
        else
            ag_buf_put(b, "null");
        return;
    }
    default: /* float, double, bytes: not used by the parse tree */
        return;
    }
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
            ag_buf_putn(b, "=[", 2);
            const char *arr = *(const char *const *)member;
            for (size_t k = 0; k < n; k++) {
                if (k)
                    ag_buf_putc(b, ',');
                print_value(b, f, arr + k * value_size(f));
            }
            ag_buf_putn(b, "] ", 2);
            continue;
        }
        if (is_default(f, member))
            continue; /* leave the field out */
        ag_buf_put(b, f->name);
        ag_buf_putc(b, '=');
        print_value(b, f, member);
        ag_buf_putc(b, ' ');
    }
    ag_buf_putc(b, '}');
}

void
ag_canon_print(ag_buf *b, const ProtobufCMessage *m)
{
    print_message(b, m);
}
