/*
 * db.h - where the database is, and opening a connection to it.
 *
 * PRODUCT.md "Where the database is": the first of --url, database_url from
 * the config (with ${VAR} expanded), the DATABASE_URL environment variable,
 * and otherwise an empty conninfo so that libpq's own PG* variables and
 * .pgpass apply.  A .env file may supply those variables without overriding
 * the real environment.  SQLAlchemy URLs ("postgresql+asyncpg://...") are
 * accepted with the "+driver" dropped.  Passwords are never shown: every
 * connection string that reaches a message goes through ag_db_mask_url.
 *
 * Strings returned through `char **out` are malloc'd; the caller frees them.
 */
#ifndef AUTOGEN_DB_H
#define AUTOGEN_DB_H

#include <libpq-fe.h>

#include "autogen/base.h"

/*
 * Expand ${NAME} and ${NAME:-default} from the environment into a new
 * string (*out, malloc'd).  A '$' not followed by '{' is kept as is.
 * Returns AG_ECONFIG, with the variable named in err, for an unset variable
 * without a default or an unterminated "${".
 */
int ag_db_expand_vars(const char *in, char **out, ag_error *err);

/*
 * Read KEY=VALUE lines from a .env file into the environment, setting only
 * variables that are not already set (the real environment wins).  Accepts
 * blank lines, "# comments", an optional "export " prefix, spaces around
 * '=', single-quoted values (literal), double-quoted values (\n \t \" \\
 * escapes; may span lines) and unquoted values (trailing " # comment" and
 * blanks removed).  Values are taken literally: no ${VAR} expansion.
 * A missing file is not an error (returns 0).  A malformed file returns
 * AG_ECONFIG naming path:line and sets nothing.
 */
int ag_db_load_dotenv(const char *path, ag_error *err);

/*
 * Drop a SQLAlchemy driver suffix: "postgresql+asyncpg://..." becomes
 * "postgresql://...", "postgres+x://" becomes "postgres://"; in such a URL
 * asyncpg's "ssl=" query parameter becomes libpq's "sslmode=" ("true" ->
 * require, "false" -> disable).  Anything else
 * (other URLs, key=value conninfo, "") is copied unchanged.  Returns a
 * malloc'd string.
 */
char *ag_db_strip_driver(const char *url);

/*
 * Append `url` to `out` with its password replaced by "****": the password
 * of a URL's user info ("postgresql://u:secret@h/db" ->
 * "postgresql://u:****@h/db"), any "password=" query parameter, and the
 * password keyword of a key=value conninfo ("password='x y'" ->
 * "password=****").  Strings without a password are appended unchanged.
 */
void ag_db_mask_url(const char *url, ag_buf *out);

/*
 * Apply the precedence above.  cli_url and config_url may be NULL or ""
 * (absent); config_url must already be ${VAR}-expanded.  *out (malloc'd) is
 * the driver-stripped URL, or "" when libpq's defaults are to be used.
 * Cannot fail today; the err argument keeps the usual shape.
 */
int ag_db_resolve_url(const char *cli_url, const char *config_url, char **out,
                      ag_error *err);

/* Where ag_db_resolve_url would take the URL from, for -v output: "--url",
 * "config database_url", "DATABASE_URL" or "libpq defaults (PG* variables)".
 * A static string. */
const char *ag_db_url_source(const char *cli_url, const char *config_url);

/*
 * Connect with a conninfo (URL, SQLAlchemy URL, key=value string, a bare
 * database name, or "" for libpq defaults) and set client_encoding to UTF8.
 * On success *out is an open connection the caller PQfinish'es.  On failure
 * *out is NULL and the function returns AG_EDB with "connecting to <masked
 * conninfo>: <libpq message>" in err; the password never appears in it.
 */
int ag_db_connect(const char *conninfo, PGconn **out, ag_error *err);

#endif
