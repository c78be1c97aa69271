/*
 * ast_copy.c - deep copy of a parse-tree subtree into another arena.
 *
 * The loader frees each model file's parse tree once its statements are
 * dispatched; the few subtrees that deferred work still needs (a
 * constraint, an index statement, a column's type name...) are copied out
 * first with this.  Generic over protobuf-c's descriptors, so it knows no
 * field names: every message, string, bytes and repeated field reachable
 * from the root is copied; oneof members other than the set one are not
 * followed (protobuf-c keeps them in a union).
 */
#include "autogen/ast.h"

#include <string.h>

static size_t
elem_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    default: /* 32-bit integers, float, enum */
        return 4;
    }
}

static char *
copy_str(ag_arena *a, char *s)
{
    /* protobuf-c's shared "" (unset strings) is static: keep it. */
    if (!s || s == protobuf_c_empty_string)
        return s;
    return ag_arena_strdup(a, s);
}

static void
copy_bytes(ag_arena *a, ProtobufCBinaryData *b)
{
    if (b->len && b->data) {
        uint8_t *d = ag_arena_alloc(a, b->len);
        memcpy(d, b->data, b->len);
        b->data = d;
    }
}

/* The value of one (non-repeated) field at p, copied in place. */
static void
copy_value(ag_arena *a, ProtobufCType t, void *p)
{
    switch (t) {
    case PROTOBUF_C_TYPE_MESSAGE:
        *(void **)p = ag_ast_copy(a, *(void **)p);
        break;
    case PROTOBUF_C_TYPE_STRING:
        *(char **)p = copy_str(a, *(char **)p);
        break;
    case PROTOBUF_C_TYPE_BYTES:
        copy_bytes(a, p);
        break;
    default:
        break; /* scalars came with the struct */
    }
}

void *
ag_ast_copy(ag_arena *a, const void *msg)
{
    const ProtobufCMessage *m = msg;
    if (!m)
        return NULL;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    char *out = ag_arena_alloc(a, d->sizeof_message);
    memcpy(out, m, d->sizeof_message);
    ((ProtobufCMessage *)out)->n_unknown_fields = 0;
    ((ProtobufCMessage *)out)->unknown_fields = NULL;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        char *member = out + f->offset;
        if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF &&
            *(const uint32_t *)(out + f->quantifier_offset) != f->id)
            continue;
        if (f->label != PROTOBUF_C_LABEL_REPEATED) {
            copy_value(a, f->type, member);
            continue;
        }
        size_t n = *(const size_t *)(out + f->quantifier_offset);
        char *arr = *(char **)member;
        if (!n || !arr)
            continue;
        size_t sz = elem_size(f->type);
        char *copy = ag_arena_alloc(a, n * sz);
        memcpy(copy, arr, n * sz);
        for (size_t k = 0; k < n; k++)
            copy_value(a, f->type, copy + k * sz);
        *(char **)member = copy;
    }
    return out;
}
