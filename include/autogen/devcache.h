/*
 * devcache.h - the dev database's results, cached on disk.
 *
 * Running the whole model in a dev database (devdb.h) costs seconds to
 * tens of seconds (plus a throwaway cluster's start), and in the everyday
 * loop the models rarely change between runs.  So what ag_devdb_adopt
 * reads from the dev catalog is kept in a file named by a key that covers
 * everything the result depends on; a run whose key has a file adopts it
 * and opens no dev database at all.
 *
 * Key (ag_devcache_key): SHA-256 over the file format version, autogen's
 * version, the dev server's version, the live session's TimeZone, DateStyle
 * and IntervalStyle (they decide how constants print) and the SQL the
 * models would run in an EMPTY dev database (ag_diff + ag_emit_sql: the
 * same models always give the same bytes, and any change to a view, a
 * default, a check, a type... changes them).
 *
 * Value: a partial dev catalog - views (definition, check option, security
 * flags, columns, dependencies), tables' columns, CHECK constraints,
 * domains' defaults and checks - in a versioned text format of
 * length-prefixed strings, preceded by the key and the SHA-256 of the
 * body.  A file that is unreadable, truncated, corrupt or for another key
 * is a miss, never an error.  Files are written whole (temp file, rename).
 */
#ifndef AUTOGEN_DEVCACHE_H
#define AUTOGEN_DEVCACHE_H

#include <libpq-fe.h>

#include "autogen/catalog.h"

/* Bumped whenever the file format or what goes into the key changes. */
#define AG_DEVCACHE_FORMAT 1

/* The cache directory: $AUTOGEN_CACHE_DIR, else cfg_dir (cache_dir in
 * autogen.ini; relative to the directory of cfg_path, the config file),
 * else $XDG_CACHE_HOME/autogen, else $HOME/.cache/autogen.  "off" (in the
 * environment or the config) disables the cache: *out = NULL.  *out is
 * malloc'd; *source (static) says where it came from, for -v. */
void ag_devcache_dir(const char *cfg_dir, const char *cfg_path, char **out,
                     const char **source);

/* The server version the dev database step would run on, as text: for a
 * connection, server_version_num and server_version; for a throwaway
 * cluster (conn NULL), `postgres --version` of the binaries
 * ag_tmpcluster_find_bindir finds, without starting anything.  *out is
 * malloc'd.  AG_EIO / AG_EDB with err set when it cannot be found. */
int ag_devcache_server_version(PGconn *conn, char **out, ag_error *err);

/* The key as 64 hex digits into hex: see the top of this file.  `like`
 * (may be NULL) is the live session.  `models` must be sealed.  Returns 0
 * or the differ's error. */
int ag_devcache_key(const ag_catalog *models, const char *server_version,
                    PGconn *like, char hex[65], ag_error *err);

/* The file of a key under dir: <dir>/devdb/<hex>.cat (malloc'd). */
char *ag_devcache_path(const char *dir, const char *hex);

/* The cached parts of dev (see above) as the file's text, key first. */
void ag_devcache_serialize(const ag_catalog *dev, const char *hex, ag_buf *out);

/* Parse a file's text (len bytes) made for key hex into dev (initialised,
 * empty; sealed on success).  0 on success; AG_EPARSE with err saying why
 * when the text is not a whole, intact file for that key (dev may then
 * hold some objects: destroy it). */
int ag_devcache_parse(const char *data, size_t len, const char *hex,
                      ag_catalog *dev, ag_error *err);

/* Does dev hold every view and CREATE TABLE AS table of models, so that
 * ag_devdb_adopt cannot fail halfway?  false with err saying which is
 * missing (a cache entry that does not fit: a miss). */
bool ag_devcache_covers(const ag_catalog *models, const ag_catalog *dev,
                        ag_error *err);

/* Read the file at path into dev: 0 on a hit; otherwise a negative code
 * with err saying why it is a miss (no file, unreadable, corrupt, another
 * key).  dev must then be destroyed and re-initialised before reuse. */
int ag_devcache_load(const char *path, const char *hex, ag_catalog *dev,
                     ag_error *err);

/* Write dev's cached parts to path whole: the directories are created
 * (0700), the text goes to a temp file beside it, then rename.  0 or
 * AG_EIO with err set (the caller treats it as a note, not a failure). */
int ag_devcache_store(const char *path, const char *hex, const ag_catalog *dev,
                      ag_error *err);

#endif
