/*
 * intro.h - what the introspector's files share (private to src/introspect).
 *
 * One session (ag_intro) runs one query per object kind.  The SQL fragments
 * below say once what "in scope" means, so every query agrees on it:
 *   $1  text[] of schema names, or NULL for every user schema;
 *   $2  schema of autogen's version table;  $3  its name.
 * A query passes exactly the parameters it references (PostgreSQL rejects
 * extra ones), so each kind's file declares how many it uses.
 */
#ifndef AUTOGEN_INTRO_H
#define AUTOGEN_INTRO_H

#include <libpq-fe.h>

#include "autogen/introspect.h"

/* An object whose pg_depend row says it belongs to an extension.
 * `catalog` is the system catalog holding it ("pg_class", "pg_type"...). */
#define AG_SQL_EXT_MEMBER(catalog, oidexpr)                                    \
    "EXISTS (SELECT 1 FROM pg_catalog.pg_depend e"                             \
    " WHERE e.classid = 'pg_catalog." catalog "'::pg_catalog.regclass"         \
    " AND e.objid = " oidexpr " AND e.deptype = 'e')"

/* A user schema in scope (n: pg_namespace alias, a string literal).  Users
 * cannot create names starting with "pg_", so that prefix covers
 * pg_catalog, pg_toast, pg_temp_N and pg_toast_temp_N. */
#define AG_SQL_NS_IN_SCOPE(n)                                                  \
    "pg_catalog.left(" n ".nspname, 3) <> 'pg_'"                               \
    " AND " n ".nspname <> 'information_schema'"                               \
    " AND ($1::text[] IS NULL OR " n ".nspname = ANY ($1::text[]))"            \
    " AND NOT " AG_SQL_EXT_MEMBER("pg_namespace", n ".oid")

/* A table autogen manages (c: pg_class alias, n: its pg_namespace alias):
 * ordinary or partitioned (partitions included), not temporary, in scope,
 * not an extension member, not the version table. */
#define AG_SQL_TABLE_IN_SCOPE(c, n)                                            \
    c ".relkind IN ('r', 'p')"                                                 \
      " AND " c ".relpersistence IN ('p', 'u')"                                \
      " AND " AG_SQL_NS_IN_SCOPE(n) " AND NOT " AG_SQL_EXT_MEMBER(             \
          "pg_class", c ".oid") " AND NOT (" n ".nspname = $2::text AND " c    \
                                ".relname = $3::text)"

/* AG_SQL_TABLE_IN_SCOPE for the relation kinds listed, partitions
 * included (`kinds` a SQL list such as "'r', 'p', 'v'"). */
#define AG_SQL_KINDS_IN_SCOPE(c, n, kinds)                                     \
    c ".relkind IN (" kinds ")"                                                \
      " AND " c ".relpersistence IN ('p', 'u')"                                \
      " AND " AG_SQL_NS_IN_SCOPE(n) " AND NOT " AG_SQL_EXT_MEMBER(             \
          "pg_class", c ".oid") " AND NOT (" n ".nspname = $2::text AND " c    \
                                ".relname = $3::text)"

/* Like AG_SQL_TABLE_IN_SCOPE for the relation kinds listed (`kinds` a SQL
 * list such as "'r', 'p', 'v'"): triggers may sit on views, indexes on
 * materialized views. */
#define AG_SQL_REL_IN_SCOPE(c, n, kinds)                                       \
    c ".relkind IN (" kinds ") AND NOT " c ".relispartition"                   \
      " AND " c ".relpersistence IN ('p', 'u')"                                \
      " AND " AG_SQL_NS_IN_SCOPE(n) " AND NOT " AG_SQL_EXT_MEMBER(             \
          "pg_class", c ".oid") " AND NOT (" n ".nspname = $2::text AND " c    \
                                ".relname = $3::text)"

/* oid -> pointer, open addressing (oid 0 is never a catalog row). */
typedef struct ag_intro_oidmap {
    uint32_t *keys;
    void **vals;
    size_t cap, n;
} ag_intro_oidmap;

typedef struct ag_intro {
    PGconn *conn;
    ag_catalog *cat;
    int server_version;     /* server_version_num, e.g. 150020 */
    const char *params[3];  /* $1 (may be NULL), $2, $3 as above */
    int queries;            /* statements sent, for ag_introspect_stats */
    ag_intro_oidmap tables; /* pg_class oid -> ag_table */
    ag_intro_oidmap views;  /* pg_class oid -> ag_view */
    /* Pipelining (introspect.c): in the send pass ag_intro_query only
     * sends its query and returns AG_INTRO_SENT; in the read pass it
     * takes the next result, in the order sent. */
    bool sending, pipelined;
} ag_intro;

/* ag_intro_query's answer in the send pass, which a kind function passes
 * up as it would an error: every kind function's first act is its one
 * query, so it has done nothing else yet. */
#define AG_INTRO_SENT (-100)

/*
 * Run one catalog query with the first nparams of s->params and count it.
 * Returns 0 with *out a PGRES_TUPLES_OK result the caller PQclear's, or
 * AG_EDB with "introspecting <kind>: <server message>" in err.
 */
int ag_intro_query(ag_intro *s, const char *kind, const char *sql, int nparams,
                   PGresult **out, ag_error *err);

/* Field text, or NULL when the field is SQL NULL (borrowed from r). */
const char *ag_intro_get(const PGresult *r, int row, int col);
/* Field copied into the catalog's arena, NULL for SQL NULL. */
const char *ag_intro_dup(ag_intro *s, const PGresult *r, int row, int col);
/* Field parsed as a 64-bit integer / boolean ('t'). */
int64_t ag_intro_int64(const PGresult *r, int row, int col);
bool ag_intro_bool(const PGresult *r, int row, int col);
uint32_t ag_intro_oid(const PGresult *r, int row, int col);

void ag_intro_map_put(ag_intro_oidmap *m, uint32_t oid, void *val);
void *ag_intro_map_get(const ag_intro_oidmap *m, uint32_t oid);
void ag_intro_map_free(ag_intro_oidmap *m);

/* One function per kind (intro_<kind>.c); each runs its one query
 * (ag_intro_query) before anything else, and then reads its result. */
int ag_intro_schemas(ag_intro *s, ag_error *err);
int ag_intro_extensions(ag_intro *s, ag_error *err);
int ag_intro_enums(ag_intro *s, ag_error *err);
int ag_intro_domains(ag_intro *s, ag_error *err);    /* intro_types.c */
int ag_intro_composites(ag_intro *s, ag_error *err); /* intro_types.c */
int ag_intro_sequences(ag_intro *s, ag_error *err);
int ag_intro_tables(ag_intro *s, ag_error *err);
int ag_intro_columns(ag_intro *s, ag_error *err); /* after tables */
int ag_intro_constraints(ag_intro *s, ag_error *err);
int ag_intro_indexes(ag_intro *s, ag_error *err);
int ag_intro_functions(ag_intro *s, ag_error *err);
int ag_intro_triggers(ag_intro *s, ag_error *err);
/* Views and materialized views (recorded in s->views), then their
 * columns and what they depend on (intro_views.c). */
int ag_intro_views(ag_intro *s, ag_error *err);
int ag_intro_view_columns(ag_intro *s, ag_error *err);
int ag_intro_view_deps(ag_intro *s, ag_error *err);
int ag_intro_aggregates(ag_intro *s, ag_error *err);     /* intro_defs.c */
int ag_intro_operators(ag_intro *s, ag_error *err);      /* intro_defs.c */
int ag_intro_casts(ag_intro *s, ag_error *err);          /* intro_defs.c */
int ag_intro_inherits(ag_intro *s, ag_error *err);       /* intro_tables.c */
int ag_intro_policies(ag_intro *s, ag_error *err);       /* intro_security.c */
int ag_intro_event_triggers(ag_intro *s, ag_error *err); /* intro_security.c */
int ag_intro_publications(ag_intro *s, ag_error *err);   /* intro_security.c */

#endif
