/*
 * alloc.c - allocation that aborts on out-of-memory, and the bump arena.
 *
 * Every catalog and plan owns one arena; objects never get freed one by one.
 */
#include "autogen/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
out_of_memory(size_t n)
{
    fprintf(stderr, "autogen: out of memory (requesting %zu bytes)\n", n);
    abort();
}

void *
ag_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *
ag_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *
ag_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
    return q;
}

char *
ag_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = ag_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

/* ---- arena ---- */

#define CHUNK_SIZE (64 * 1024)
/* Allocations are aligned for pointers, sizes and 64-bit numbers, the
 * most any arena user stores; not max_align_t (16 on x86-64, for long
 * double and vector types nobody keeps in an arena), which rounded every
 * short string and parse-tree node up to 16 bytes. */
#define ALIGN _Alignof(union { void *p; long long ll; double d; })

struct ag_arena_chunk {
    ag_arena_chunk *next;
    size_t used, size;
    _Alignas(max_align_t) unsigned char data[];
};

void
ag_arena_init(ag_arena *a)
{
    a->head = NULL;
}

void
ag_arena_destroy(ag_arena *a)
{
    ag_arena_chunk *c = a->head;
    while (c) {
        ag_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

void *
ag_arena_alloc(ag_arena *a, size_t n)
{
    n = (n + ALIGN - 1) & ~(ALIGN - 1);
    if (n == 0)
        n = ALIGN;
    ag_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;
        ag_arena_chunk *nc = ag_xmalloc(sizeof *nc + size);
        nc->used = 0;
        nc->size = size;
        if (size == n && c) {
            /* Oversized request: put the dedicated chunk behind the current
             * one so the current chunk keeps serving small allocations. */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *
ag_arena_strndup(ag_arena *a, const char *s, size_t n)
{
    char *p = ag_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
ag_arena_strdup(ag_arena *a, const char *s)
{
    return s ? ag_arena_strndup(a, s, strlen(s)) : NULL;
}

char *
ag_arena_sprintf(ag_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = ag_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void *
ag_arena_grow(ag_arena *a, const void *old, size_t n, size_t sz)
{
    void *p = ag_arena_alloc(a, (n + 1) * sz);
    if (n)
        memcpy(p, old, n * sz);
    return p;
}
