/*
 * url.c - connection strings as text: which one to use (precedence),
 * SQLAlchemy driver suffixes, ${VAR} expansion and password masking.
 *
 * Nothing here talks to a server; connect.c does.  Masking errs on the side
 * of hiding too much: a URL's user info is taken to end at the *last* '@'
 * of the string, so a password with a stray '@', '/' or '?' in it is still
 * hidden (libpq itself would stop at the first '@' or '/').
 */
#include "autogen/db.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MASK "****"

/* Length of a leading "scheme://" (RFC 3986 scheme), 0 when there is none. */
static size_t
scheme_len(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return 0;
    size_t i = 1;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
           s[i] == '.')
        i++;
    return strncmp(s + i, "://", 3) == 0 ? i + 3 : 0;
}

/*
 * Copy a driver URL's query string, renaming asyncpg's "ssl" parameter to
 * libpq's "sslmode" (libpq rejects unknown parameters; "ssl=true" and
 * "ssl=false" become require and disable).
 */
static void
put_driver_query(const char *q, ag_buf *out)
{
    while (*q) {
        size_t plen = strcspn(q, "&#");
        if (plen >= 4 && strncmp(q, "ssl=", 4) == 0) {
            ag_buf_put(out, "sslmode=");
            size_t vlen = plen - 4;
            if (vlen == 4 && strncasecmp(q + 4, "true", 4) == 0)
                ag_buf_put(out, "require");
            else if (vlen == 5 && strncasecmp(q + 4, "false", 5) == 0)
                ag_buf_put(out, "disable");
            else
                ag_buf_putn(out, q + 4, vlen);
        } else {
            ag_buf_putn(out, q, plen);
        }
        q += plen;
        if (*q == '#') {
            ag_buf_put(out, q);
            return;
        }
        if (*q)
            ag_buf_putc(out, *q++);
    }
}

char *
ag_db_strip_driver(const char *url)
{
    static const char *const bases[] = {"postgresql+", "postgres+"};
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
        size_t blen = strlen(bases[b]);
        if (strncasecmp(url, bases[b], blen) != 0)
            continue;
        const char *sep = strstr(url + blen, "://");
        if (!sep)
            break;
        /* The driver name must be a plain word: "postgresql+asyncpg". */
        const char *p = url + blen;
        while (p < sep && (isalnum((unsigned char)*p) || *p == '_'))
            p++;
        if (p != sep || sep == url + blen)
            break;
        ag_buf out;
        ag_buf_init(&out);
        ag_buf_putn(&out, url, blen - 1); /* scheme without the '+' */
        const char *q = strchr(sep, '?');
        if (q) {
            ag_buf_putn(&out, sep, (size_t)(q + 1 - sep));
            put_driver_query(q + 1, &out);
        } else {
            ag_buf_put(&out, sep);
        }
        char *res = ag_buf_detach(&out);
        ag_buf_free(&out); /* detach re-initialises the buffer */
        return res;
    }
    return ag_xstrdup(url);
}

/* Mask "password=..." among URL query parameters (q points after '?'). */
static void
mask_query(const char *q, ag_buf *out)
{
    while (*q) {
        size_t plen = strcspn(q, "&#");
        const char *eq = memchr(q, '=', plen);
        if (eq && (size_t)(eq - q) == strlen("password") &&
            strncasecmp(q, "password", 8) == 0) {
            ag_buf_putn(out, q, (size_t)(eq - q) + 1);
            ag_buf_put(out, MASK);
        } else {
            ag_buf_putn(out, q, plen);
        }
        q += plen;
        if (*q == '#') { /* fragment: copy as is */
            ag_buf_put(out, q);
            return;
        }
        if (*q)
            ag_buf_putc(out, *q++);
    }
}

static void
mask_uri(const char *url, size_t slen, ag_buf *out)
{
    ag_buf_putn(out, url, slen);
    const char *rest = url + slen;
    const char *at = strrchr(rest, '@');
    if (at) {
        const char *colon = memchr(rest, ':', (size_t)(at - rest));
        if (colon) {
            ag_buf_putn(out, rest, (size_t)(colon - rest) + 1);
            ag_buf_put(out, MASK);
        } else {
            ag_buf_putn(out, rest, (size_t)(at - rest));
        }
        rest = at;
    }
    const char *q = strchr(rest, '?');
    if (!q) {
        ag_buf_put(out, rest);
        return;
    }
    ag_buf_putn(out, rest, (size_t)(q - rest) + 1);
    mask_query(q + 1, out);
}

/*
 * key=value conninfo, tokenised as libpq's conninfo_parse does: keyword,
 * optional blanks, '=', optional blanks, then a value that is either
 * single-quoted (backslash escapes anything) or runs to the next blank.
 * Everything is copied verbatim except the value of "password".
 */
static void
mask_kv(const char *s, ag_buf *out)
{
    const char *p = s;
    while (*p) {
        const char *start = p;
        while (isspace((unsigned char)*p))
            p++;
        const char *kw = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t kwlen = (size_t)(p - kw);
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '=') { /* malformed: nothing more to recognise */
            ag_buf_put(out, start);
            return;
        }
        p++;
        while (isspace((unsigned char)*p))
            p++;
        ag_buf_putn(out, start, (size_t)(p - start));
        const char *val = p;
        if (*p == '\'') {
            p++;
            while (*p && *p != '\'') {
                if (*p == '\\' && p[1])
                    p++;
                p++;
            }
            if (*p)
                p++;
        } else {
            while (*p && !isspace((unsigned char)*p)) {
                if (*p == '\\' && p[1])
                    p++;
                p++;
            }
        }
        if (kwlen == 8 && strncasecmp(kw, "password", 8) == 0)
            ag_buf_put(out, MASK);
        else
            ag_buf_putn(out, val, (size_t)(p - val));
    }
}

void
ag_db_mask_url(const char *url, ag_buf *out)
{
    if (!url)
        return;
    size_t slen = scheme_len(url);
    if (slen)
        mask_uri(url, slen, out);
    else
        mask_kv(url, out);
}

static bool
present(const char *s)
{
    return s && *s;
}

const char *
ag_db_url_source(const char *cli_url, const char *config_url)
{
    if (present(cli_url))
        return "--url";
    if (present(config_url))
        return "config database_url";
    if (present(getenv("DATABASE_URL")))
        return "DATABASE_URL";
    return "libpq defaults (PG* variables)";
}

int
ag_db_resolve_url(const char *cli_url, const char *config_url, char **out,
                  ag_error *err)
{
    (void)err;
    const char *url = "";
    if (present(cli_url))
        url = cli_url;
    else if (present(config_url))
        url = config_url;
    else if (present(getenv("DATABASE_URL")))
        url = getenv("DATABASE_URL");
    *out = ag_db_strip_driver(url);
    return 0;
}

static bool
is_name_char(char c, bool first)
{
    return c == '_' || isalpha((unsigned char)c) ||
           (!first && isdigit((unsigned char)c));
}

int
ag_db_expand_vars(const char *in, char **out, ag_error *err)
{
    ag_buf b;
    ag_buf_init(&b);
    *out = NULL;
    const char *p = in;
    while (*p) {
        if (p[0] != '$' || p[1] != '{') {
            ag_buf_putc(&b, *p++);
            continue;
        }
        const char *name = p + 2;
        const char *q = name;
        while (is_name_char(*q, q == name))
            q++;
        size_t nlen = (size_t)(q - name);
        const char *def = NULL, *close;
        if (nlen && q[0] == ':' && q[1] == '-') {
            def = q + 2;
            close = strchr(def, '}');
        } else {
            close = *q == '}' ? q : NULL;
        }
        if (!nlen || !close) {
            ag_buf_free(&b);
            return ag_errorf(err, AG_ECONFIG,
                             "bad variable reference \"%.40s\": expected "
                             "${NAME} or ${NAME:-default}",
                             p);
        }
        char *var = ag_xmalloc(nlen + 1);
        memcpy(var, name, nlen);
        var[nlen] = '\0';
        const char *val = getenv(var);
        if (def && (!val || !*val)) {
            ag_buf_putn(&b, def, (size_t)(close - def));
        } else if (val) {
            ag_buf_put(&b, val);
        } else {
            ag_buf_free(&b);
            int rc = ag_errorf(err, AG_ECONFIG,
                               "environment variable %s is not set", var);
            free(var);
            return rc;
        }
        free(var);
        p = close + 1;
    }
    *out = ag_buf_detach(&b);
    ag_buf_free(&b); /* detach re-initialises the buffer */
    return 0;
}
