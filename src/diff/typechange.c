/*
 * typechange.c - what a column type change costs and whether it needs USING.
 *
 * ALTER COLUMN ... TYPE applies an assignment cast; where none exists the
 * statement needs `USING col::newtype`.  We know the common families
 * (strings, numbers, timestamps) and the same-type-new-typmod case; for
 * everything else USING is the safe choice because an explicit cast is
 * always at least as permissive.  The cost is classified for hazards: no
 * rewrite (binary-coercible, e.g. varchar(20) -> varchar(50)), rewrite, and
 * narrowing (values may not fit any more).  Types are the canonical
 * format_type() spellings.
 */
#include "diff_int.h"

#include <stdlib.h>
#include <string.h>

/* Split "timestamp(3) with time zone[]" into base "timestamp with time
 * zone", typmods {3} and array dimensions 1. */
typedef struct tparts {
    char base[128];
    long mod[2];
    int nmod;
    int dims;
} tparts;

static void
split_type(const char *t, tparts *p)
{
    memset(p, 0, sizeof *p);
    size_t n = 0;
    for (const char *s = t; *s;) {
        if (*s == '(') {
            const char *q = s + 1;
            while (*q && *q != ')') {
                char *end;
                long v = strtol(q, &end, 10);
                if (end == q)
                    break;
                if (p->nmod < 2)
                    p->mod[p->nmod++] = v;
                q = end;
                while (*q == ',' || *q == ' ')
                    q++;
            }
            s = *q == ')' ? q + 1 : q;
            continue;
        }
        if (s[0] == '[' && s[1] == ']') {
            p->dims++;
            s += 2;
            continue;
        }
        if (n + 1 < sizeof p->base)
            p->base[n++] = *s;
        s++;
    }
    p->base[n] = '\0';
}

static bool
is(const char *base, const char *name)
{
    return strcmp(base, name) == 0;
}

/* Rank in the numeric family (assignment casts exist between any two),
 * 0 when not numeric. */
static int
numeric_rank(const char *b)
{
    static const char *const order[] = {
        "smallint", "integer", "bigint", "numeric", "real", "double precision"};
    for (int i = 0; i < 6; i++)
        if (is(b, order[i]))
            return i + 1;
    return 0;
}

static bool
is_string(const char *b)
{
    return is(b, "text") || is(b, "character varying") || is(b, "character");
}

static bool
is_datetime(const char *b)
{
    return is(b, "date") || is(b, "timestamp without time zone") ||
           is(b, "timestamp with time zone");
}

/* Same base type, different typmod. */
static df_typechange
typmod_change(const tparts *a, const tparts *b)
{
    df_typechange r = {0};
    long la = a->nmod ? a->mod[0] : -1, lb = b->nmod ? b->mod[0] : -1;
    if (is(a->base, "character varying") || is(a->base, "bit varying")) {
        if (lb == -1 || (la != -1 && lb >= la))
            return r; /* widening a length limit is free */
        r.narrowing = true;
        return r;
    }
    if (is(a->base, "numeric")) {
        if (!b->nmod)
            return r;
        long sa = a->nmod > 1 ? a->mod[1] : 0, sb = b->nmod > 1 ? b->mod[1] : 0;
        if (a->nmod && sa == sb && lb >= la)
            return r;
        r.rewrite = true;
        r.narrowing = !a->nmod || sb < sa || lb - sb < la - sa;
        return r;
    }
    if (strncmp(a->base, "time", 4) == 0 || is(a->base, "interval")) {
        /* More fractional digits is free; fewer rounds every value. */
        r.rewrite = !(lb == -1 || (la != -1 && lb >= la));
        return r;
    }
    r.rewrite = true;
    r.narrowing = lb != -1 && (la == -1 || lb < la);
    return r;
}

df_typechange
df_classify_type_change(const char *from, const char *to)
{
    df_typechange r = {0};
    tparts a, b;
    split_type(from, &a);
    split_type(to, &b);
    if (a.dims != b.dims) {
        r.using_cast = r.rewrite = true;
        return r;
    }
    if (is(a.base, b.base))
        return typmod_change(&a, &b);
    if (is_string(b.base)) {
        if (is(a.base, "character varying") && is(b.base, "text"))
            return r; /* binary-coercible */
        if (is(a.base, "text") && is(b.base, "character varying")) {
            r.narrowing = b.nmod > 0;
            return r;
        }
        r.rewrite = true;
        r.narrowing = is_string(a.base) && b.nmod > 0;
        return r;
    }
    int ra = numeric_rank(a.base), rb = numeric_rank(b.base);
    if (ra && rb) {
        r.rewrite = true;
        /* Integer widening is lossless; towards a smaller integer, a
         * bounded numeric, or from floating point to exact may not fit. */
        if (ra <= 3 && rb <= 3)
            r.narrowing = rb < ra;
        else if (ra <= 3 && rb == 4)
            r.narrowing = b.nmod > 0;
        else if (rb >= 5)
            r.narrowing = ra == 6 && rb == 5;
        else
            r.narrowing = true;
        return r;
    }
    if (is_datetime(a.base) && is_datetime(b.base)) {
        r.rewrite = true;
        r.narrowing = is(b.base, "date");
        return r;
    }
    r.using_cast = r.rewrite = true;
    return r;
}
