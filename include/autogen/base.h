/*
 * base.h - memory, text buffers, errors and diagnostics shared by every module.
 *
 * Ownership rule for the whole library: pointers passed in are borrowed;
 * pointers returned point into the arena named in the function's comment and
 * live as long as that arena does.  Out of memory aborts with a message (a
 * CLI has nothing better to do), so no allocation function returns NULL.
 */
#ifndef AUTOGEN_BASE_H
#define AUTOGEN_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define AG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define AG_PRINTF(fmt, args)
#endif

/* ---- allocation that never returns NULL ---- */
void *ag_xmalloc(size_t n);
void *ag_xcalloc(size_t count, size_t size);
void *ag_xrealloc(void *p, size_t n);
char *ag_xstrdup(const char *s);

/* ---- arena: bump allocator freed in one call ---- */
typedef struct ag_arena_chunk ag_arena_chunk;
typedef struct ag_arena {
    ag_arena_chunk *head;
} ag_arena;

void ag_arena_init(ag_arena *a);
void ag_arena_destroy(ag_arena *a);
void *ag_arena_alloc(ag_arena *a, size_t n);       /* zeroed, max-aligned */
char *ag_arena_strdup(ag_arena *a, const char *s); /* NULL stays NULL */
char *ag_arena_strndup(ag_arena *a, const char *s, size_t n);
char *ag_arena_sprintf(ag_arena *a, const char *fmt, ...) AG_PRINTF(2, 3);
/* Copy an array of n elements of size sz and append one more slot: used to
 * grow small arrays that live in an arena (the old copy is simply left). */
void *ag_arena_grow(ag_arena *a, const void *old, size_t n, size_t sz);

/* ---- growable text buffer (always NUL-terminated) ---- */
typedef struct ag_buf {
    char *data;
    size_t len;
    size_t cap;
} ag_buf;

void ag_buf_init(ag_buf *b);
void ag_buf_free(ag_buf *b);
void ag_buf_reset(ag_buf *b);
void ag_buf_put(ag_buf *b, const char *s);
void ag_buf_putn(ag_buf *b, const char *s, size_t n);
void ag_buf_putc(ag_buf *b, char c);
void ag_buf_printf(ag_buf *b, const char *fmt, ...) AG_PRINTF(2, 3);
void ag_buf_vprintf(ag_buf *b, const char *fmt, va_list ap);
/* Hand over the text (caller frees); the buffer is left empty with no
 * allocation (data == NULL) and may be reused or dropped. */
char *ag_buf_detach(ag_buf *b);

/* ---- error codes: one X-macro generates the enum, names and messages ---- */
#define AG_ERRORS(X)                                                           \
    X(EINVAL, "invalid argument")                                              \
    X(EPARSE, "SQL parse error")                                               \
    X(EUNSUPPORTED, "unsupported statement or object")                         \
    X(EIO, "input/output error")                                               \
    X(EDB, "database error")                                                   \
    X(ECYCLE, "dependency cycle")                                              \
    X(EHAZARD, "hazard not allowed")                                           \
    X(EDRIFT, "drift detected")                                                \
    X(ELOCKED, "lock not acquired")                                            \
    X(ECONFLICT, "conflicting revisions")                                      \
    X(ECONFIG, "configuration error")

enum {
#define AG_ERR_IDX(name, msg) AG_IDX_##name,
    AG_ERRORS(AG_ERR_IDX)
#undef AG_ERR_IDX
        AG_NERRORS
};
/* Error codes are negative: AG_EINVAL == -1, AG_EPARSE == -2, ... */
enum {
    AG_OK = 0,
#define AG_ERR_ENUM(name, msg) AG_##name = -(AG_IDX_##name + 1),
    AG_ERRORS(AG_ERR_ENUM)
#undef AG_ERR_ENUM
};

const char *ag_errname(int code);
const char *ag_strerror(int code);

typedef struct ag_error {
    int code;
    char msg[1024];
} ag_error;

/* Fill err (may be NULL) and return code, so callers write
 * `return ag_errorf(err, AG_EDB, "reading indexes: %s", msg);` */
int ag_errorf(ag_error *err, int code, const char *fmt, ...) AG_PRINTF(3, 4);
/* Prefix context to an error already set: "introspecting: " + old msg. */
void ag_error_prefix(ag_error *err, const char *fmt, ...) AG_PRINTF(2, 3);

/* ---- source locations and diagnostics (user mistakes in input files) ---- */
typedef struct ag_srcloc {
    const char *file; /* NULL when the object came from a database */
    int line;         /* 1-based, 0 = unknown */
    int col;          /* 1-based, 0 = unknown */
} ag_srcloc;

typedef enum ag_severity { AG_SEV_ERROR, AG_SEV_WARNING } ag_severity;

typedef struct ag_diag_entry {
    ag_severity sev;
    ag_srcloc loc;
    char *message;
    char *source_line; /* the offending line without its newline, or NULL */
} ag_diag_entry;

/* A list of diagnostics, all reported at once by the CLI. */
typedef struct ag_diag {
    ag_diag_entry *items;
    size_t n, cap;
    size_t nerrors;
} ag_diag;

void ag_diag_init(ag_diag *d);
void ag_diag_free(ag_diag *d);
/* src/srclen: the whole file text, used to copy the offending line. */
void ag_diag_add(ag_diag *d, ag_severity sev, const char *file, const char *src,
                 size_t offset, const char *fmt, ...) AG_PRINTF(6, 7);
/* Render "file:line:col: error: msg\n  line\n  ^" for every entry. */
void ag_diag_render(const ag_diag *d, ag_buf *out);

/* Line and column (1-based, column in bytes) of byte offset in src.
 * O(offset): for many lookups in one file use an ag_lineidx. */
void ag_srcloc_from_offset(const char *src, size_t offset, int *line, int *col);

/* Start offsets of every line of a text, for O(log n) lookups. */
typedef struct ag_lineidx {
    size_t *starts;
    size_t n;
} ag_lineidx;

void ag_lineidx_build(ag_lineidx *idx, const char *src);
void ag_lineidx_free(ag_lineidx *idx);
void ag_lineidx_find(const ag_lineidx *idx, size_t offset, int *line, int *col);

/* Like ag_diag_add, with the location already known (line_text is the
 * offending line, not NUL-terminated, or NULL). */
void ag_diag_add_loc(ag_diag *d, ag_severity sev, ag_srcloc loc,
                     const char *line_text, size_t line_len, const char *fmt,
                     ...) AG_PRINTF(6, 7);

/* Read a whole file into a malloc'd NUL-terminated string. */
int ag_read_file(const char *path, char **out, size_t *len, ag_error *err);
/* Write a file whole or not at all (temp file in the same dir + rename). */
int ag_write_file_atomic(const char *path, const char *data, size_t len,
                         ag_error *err);

#endif
