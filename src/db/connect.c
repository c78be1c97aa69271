/*
 * connect.c - open a libpq connection without ever echoing a password.
 *
 * The conninfo is handed to libpq as an expandable dbname, so a URL, a
 * key=value string, a bare database name and "" (PG* variables, .pgpass)
 * all work as they do for psql.  Messages name the connection by its masked
 * form, and libpq's own text is scrubbed of the password as well: libpq does
 * not normally repeat it, but a parse error can quote part of the string.
 */
#include "autogen/db.h"

#include <stdlib.h>
#include <string.h>

/* Copy msg into out with every occurrence of secret replaced, and the
 * trailing newline libpq adds removed. */
static void
scrub(const char *msg, const char *secret, ag_buf *out)
{
    size_t slen = secret ? strlen(secret) : 0;
    const char *p = msg;
    while (*p) {
        const char *hit = slen ? strstr(p, secret) : NULL;
        if (!hit) {
            ag_buf_put(out, p);
            break;
        }
        ag_buf_putn(out, p, (size_t)(hit - p));
        ag_buf_put(out, "****");
        p = hit + slen;
    }
    while (out->len && (out->data[out->len - 1] == '\n' ||
                        out->data[out->len - 1] == ' ')) {
        out->data[--out->len] = '\0';
    }
}

/* The password a conninfo carries (malloc'd), or NULL. */
static char *
conninfo_password(PQconninfoOption *opts)
{
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            return ag_xstrdup(o->val);
    return NULL;
}

static bool
is_conninfo_string(const char *s)
{
    return strchr(s, '=') || strncmp(s, "postgresql://", 13) == 0 ||
           strncmp(s, "postgres://", 11) == 0;
}

int
ag_db_connect(const char *conninfo, PGconn **out, ag_error *err)
{
    *out = NULL;
    /* Strip a driver suffix here too: given as a bare dbname, the URL would
     * come back, password and all, in "database ... does not exist". */
    char *stripped = ag_db_strip_driver(conninfo ? conninfo : "");
    conninfo = stripped;
    ag_buf masked, msg;
    ag_buf_init(&masked);
    ag_buf_init(&msg);
    if (*conninfo)
        ag_db_mask_url(conninfo, &masked);
    else
        ag_buf_put(&masked, "the default database (PG* variables)");
    int rc = 0;
    char *secret = NULL;

    if (is_conninfo_string(conninfo)) {
        char *perr = NULL;
        PQconninfoOption *opts = PQconninfoParse(conninfo, &perr);
        if (!opts) {
            /* Report the complaint about the masked string: it quotes only
             * text that the masked form shows anyway. */
            PQfreemem(perr);
            perr = NULL;
            PQconninfoOption *mopts = PQconninfoParse(masked.data, &perr);
            PQconninfoFree(mopts);
            scrub(perr ? perr
                       : "malformed (details withheld: they would show the "
                         "password)",
                  NULL, &msg);
            PQfreemem(perr);
            rc = ag_errorf(err, AG_EDB, "invalid connection string \"%s\": %s",
                           masked.data, msg.data);
            goto done;
        }
        secret = conninfo_password(opts);
        PQconninfoFree(opts);
    }

    /* expand_dbname = 1: libpq expands the conninfo given as dbname, and
     * its settings override the entries before it in the array. */
    const char *const keys[] = {"fallback_application_name", "dbname", NULL};
    const char *const vals[] = {"autogen", conninfo, NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        scrub(PQerrorMessage(conn), secret, &msg);
        rc = ag_errorf(err, AG_EDB, "connecting to %s: %s", masked.data,
                       msg.data);
        PQfinish(conn);
        goto done;
    }
    if (PQsetClientEncoding(conn, "UTF8") != 0) {
        scrub(PQerrorMessage(conn), secret, &msg);
        rc = ag_errorf(err, AG_EDB, "connecting to %s: setting UTF8: %s",
                       masked.data, msg.data);
        PQfinish(conn);
        goto done;
    }
    *out = conn;

done:
    free(stripped);
    free(secret);
    ag_buf_free(&masked);
    ag_buf_free(&msg);
    return rc;
}
