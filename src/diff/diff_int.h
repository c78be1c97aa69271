/*
 * diff_int.h - state shared by the differ's files (private to src/diff).
 *
 * The differ runs in passes over one context: tables and their columns are
 * matched first (every later pass asks "is this table or column going
 * away?"), then enums, table and column ops, constraints and indexes,
 * sequences, schemas and extensions.  Ops are allocated in the plan's arena
 * and collected as pointers; diff.c sorts them at the end.
 */
#ifndef AUTOGEN_DIFF_INT_H
#define AUTOGEN_DIFF_INT_H

#include "autogen/diff.h"

/* Base order of the ops, lowest first (the toposort's prio). */
enum {
    P_CREATE_SCHEMA = 10,
    P_RENAME_TYPE = 25, /* renamed types: before anything uses the name */
    P_CREATE_EXTENSION = 20,
    P_ENUM = 30,      /* create enum, add value, enum rebuild */
    P_DOMAIN = 32,    /* create / alter domain (drop + create on a new base) */
    P_COMPOSITE = 34, /* create composite type, its attributes */
    P_DOMAIN_ON_COMPOSITE = 36, /* a domain over a composite type */
    P_DROP_PUBLICATION = 39,    /* before the tables it lists go */
    P_SEQUENCE = 40,            /* create/alter sequence, OWNED BY NONE */
    P_DROP_VIEW = 41,    /* before anything a view reads changes or goes */
    P_DROP_TRIGGER = 42, /* always safe early; before a function goes */
    P_DROP_POLICY = 43,  /* before the functions it calls go */
    P_DROP_EVENT_TRIGGER = 44, /* before its function goes */
    P_DROP_DEF_EARLY = 44,     /* aggregate/operator/cast re-created */
    P_FUNCTION = 45,           /* create / replace, and drop before re-create */
    P_AGGREGATE = 46,
    P_OPERATOR = 47,
    P_CAST = 48,
    P_DROP_FK = 50,
    P_DETACH = 55,          /* DETACH PARTITION, NO INHERIT: before the parent
                               changes or goes */
    P_DROP_CONSTRAINT = 60, /* other constraints, and indexes */
    P_CREATE_TABLE = 70,
    P_DOMAIN_ON_TABLE = 71, /* a domain over a table's row type */
    P_CREATE_TABLE_AS = 72, /* CREATE TABLE AS (dev database only) */
    P_RENAME = 73, /* tables, indexes, constraints: after drops by old name */
    P_RENAME_COLUMN = 75,
    P_REPLACE_DROP = 78, /* a generated column to be re-added, dropped */
    P_ALTER_COLUMN = 80, /* add column and every ALTER COLUMN */
    P_REPLACE_ADD = 85,  /* ... and added back once its inputs changed */
    P_DROP_COLUMN = 90,
    P_ADD_CONSTRAINT = 100, /* primary key, unique, check, exclude */
    P_CREATE_INDEX = 110,
    P_ATTACH = 115, /* ATTACH PARTITION, INHERIT: once both tables and
                       the parent's indexes are in shape */
    P_ADD_FK = 120,
    P_CREATE_VIEW = 122,    /* once everything it reads exists; then its
                               indexes and triggers */
    P_VIEW_DEFAULT = 123,   /* ALTER VIEW ... SET DEFAULT, after the view */
    P_CREATE_TRIGGER = 125, /* after its table and its function */
    P_RLS = 126,            /* ENABLE/FORCE RLS, a trigger's enabled state */
    P_CREATE_POLICY = 127,  /* after its table and the functions it calls */
    P_CREATE_EVENT_TRIGGER = 128,
    P_PUBLICATION = 129, /* create / alter, after the tables it lists */
    P_OWNED_BY = 130,
    P_DROP_DOMAIN_ON_TABLE = 139, /* before the table whose row type */
    P_DROP_TABLE = 140,
    P_DROP_SEQUENCE = 150,
    P_DROP_CAST = 152,
    P_DROP_OPERATOR = 153,
    P_DROP_AGGREGATE = 154,
    P_DROP_FUNCTION = 155, /* after the tables whose defaults use it */
    P_DROP_DOMAIN_ON_COMPOSITE = 156,
    P_DROP_COMPOSITE = 157, /* after the functions that use it */
    P_DROP_DOMAIN = 158,    /* after tables and composites using it */
    P_DROP_ENUM = 160,
    P_DROP_EXTENSION = 170,
    P_DROP_SCHEMA = 180,
    P_COMMENT = 190
};

/* Steps order the ops on one column (same prio and sub). */
enum {
    S_RENAME = 0,
    S_REPLACE_DROP,
    S_REPLACE_ADD,
    S_DROP_EXPRESSION,
    S_DROP_DEFAULT,
    S_DROP_IDENTITY,
    S_SEQUENCE, /* a serial sequence swapped with an identity */
    S_TYPE,
    S_NOT_NULL,
    S_SET_DEFAULT,
    S_IDENTITY
};

/* What becomes of a `from` object. */
typedef enum df_fate {
    F_KEEP = 0, /* stays, maybe altered in place */
    F_DROP,     /* dropped by its own op */
    F_IMPLICIT, /* goes away with its table or column, no op */
    F_RECREATE  /* dropped by its own op and created again */
} df_fate;

/* What becomes of a column of a `from` table that is kept. */
typedef enum df_colfate {
    C_KEEP = 0, /* kept, maybe renamed or altered */
    C_DROP,     /* dropped */
    C_REPLACE   /* dropped and added again (generation expression) */
} df_colfate;

/* Per `from` table: its counterpart and per-column matches. */
typedef struct df_table {
    const ag_table *to;      /* NULL when the table is dropped */
    const ag_column **match; /* per from column: to column or NULL */
    df_colfate *colfate;
    bool *default_by_rebuild; /* per from column: an enum rebuild resets
                                 its default, the column diff must not */
} df_table;

typedef struct df_ctx {
    const ag_catalog *from, *to;
    ag_plan *plan;
    df_table *tables; /* by from object id - 1 (tables only) */
    df_fate *fates;   /* by from object id - 1 */
    ag_op **ops;
    size_t nops, capops;
    ag_op **edge_from, **edge_to; /* extra ordering: from before to */
    const char *fail; /* a change autogen cannot plan: ag_diff's error */
    /* Renamed pairs (renames.c): by from id - 1 the to object, by to id - 1
     * the from object; NULL when not renamed. */
    const ag_object **ren_to, **ren_from;
    size_t nedges, capedges;
    unsigned char *vstate; /* diff_views.c: per from object, 0 undecided,
                              1 deciding, 2 decided (fate in fates) */
} df_ctx;

/* ---- diff.c: ops and small helpers ---- */
/* A new op in the plan arena, queued; key/sub are set for (schema, table,
 * name) when `table` is given, else (schema, name). */
ag_op *df_new_op(df_ctx *c, ag_op_type type, int prio, ag_kind kind,
                 const char *schema, const char *name, const char *table);
/* Set one hazard bit with this op's reason (printf-style, copied). */
void df_hazard(df_ctx *c, ag_op *op, uint32_t bit, const char *fmt, ...)
    AG_PRINTF(4, 5);
/* `before` must run before `after` whatever their base order. */
void df_edge(df_ctx *c, ag_op *before, ag_op *after);
/* Quoted qualified name, allocated in the plan arena (for messages). */
const char *df_qn(df_ctx *c, const char *schema, const char *name);
bool df_str_eq(const char *a, const char *b);
/* Queue a COMMENT op when needed and return it (NULL when not needed):
 * `fresh` says the object is new or was re-created, so any comment must be
 * set again.  Column comments: kind TABLE, then set sub and the columns. */
ag_op *df_comment(df_ctx *c, ag_kind kind, const char *schema, const char *name,
                  const char *table, const char *old_comment,
                  const char *new_comment, bool fresh);

/* ---- diff_table.c ---- */
void df_match_tables(df_ctx *c);
void df_tables(df_ctx *c);
df_table *df_dtable(df_ctx *c, const ag_table *from_tbl);
/* The from table (schema, name); whether it is dropped; whether it is
 * new (only in to). */
const ag_table *df_from_table(df_ctx *c, const char *schema, const char *name);
/* Is constraint k of a new table written inside its CREATE TABLE? */
bool df_inline_constraint(df_ctx *c, const ag_constraint *k);
bool df_table_dropped(df_ctx *c, const char *schema, const char *name);
bool df_table_new(df_ctx *c, const char *schema, const char *name);
/* Fate of column `col` of from table (schema, table); C_DROP when the
 * table itself goes. */
df_colfate df_column_fate(df_ctx *c, const char *schema, const char *table,
                          const char *col);
/* The from column kept as to column `col` of table (schema, table), or
 * NULL when that column is new (follows renames). */
const ag_column *df_from_column(df_ctx *c, const char *schema,
                                const char *table, const char *col);
/* The to-side name of a kept from column (follows renames), or NULL. */
const char *df_column_new_name(df_ctx *c, const char *schema, const char *table,
                               const char *col);

/* ---- renames.c ---- */
void df_match_renames(df_ctx *c);
const ag_object *df_renamed_to(const df_ctx *c, const ag_object *from);
const ag_object *df_renamed_from(const df_ctx *c, const ag_object *to);
/* The counterpart of an object on the other side: renamed, or of the
 * same kind and name (not for constraints and triggers). */
const ag_object *df_to_object(df_ctx *c, const ag_object *from);
const ag_object *df_from_object(df_ctx *c, const ag_object *to);
/* Queue the rename of `a` to `b` (a renamed pair). */
ag_op *df_rename_op(df_ctx *c, const ag_object *a, const ag_object *b);
/* A table's name on the other side (itself when not renamed). */
const char *df_to_table_name(df_ctx *c, const char *schema,
                             const char *from_table);
const char *df_from_table_name(df_ctx *c, const char *schema,
                               const char *to_table);
/* Are two type spellings the same type, renamed types followed? */
bool df_same_type(df_ctx *c, const char *from_type, const char *to_type);
/* `a` with its values renamed as directives say (RENAME VALUE ops
 * queued), or `a` itself when there are none. */
const ag_enum *df_enum_value_renames(df_ctx *c, const ag_enum *a,
                                     const ag_enum *b);
/* ---- diff_parts.c: partitions and inheritance ---- */
/* Attach/detach, inherit/no inherit, and the order of CREATE and DROP
 * TABLE between parents and children.  Runs after df_tables. */
void df_partitions(df_ctx *c);
/* Are the columns of this pair of tables left to their parent?  True when
 * either side is a partition (PostgreSQL keeps a partition's columns
 * equal to its parent's). */
bool df_columns_inherited(const ag_table *ft, const ag_table *tt);

/* ---- typechange.c ---- */
typedef struct df_typechange {
    bool using_cast; /* no assignment cast: needs USING col::type */
    bool rewrite;    /* the table is rewritten */
    bool narrowing;  /* values may not fit the new type */
} df_typechange;
df_typechange df_classify_type_change(const char *from, const char *to);

/* ---- diff_cons.c ---- */
void df_constraints(df_ctx *c);

/* ---- diff_routines.c: functions, procedures and triggers ---- */
void df_routines(df_ctx *c);

/* ---- diff_udt.c: domains and composite types ---- */
void df_domains(df_ctx *c);
void df_domain_rowtype_edges(df_ctx *c); /* after df_tables */
void df_view_signature_edges(df_ctx *c); /* after df_views */
void df_composites(df_ctx *c);

/* ---- diff_views.c: views and materialized views ---- */
/* Is the from view (schema, name) dropped, or dropped and re-created?
 * Decided once, on the first call, from the table, column and function
 * changes; the index and trigger passes ask it so a view's indexes and
 * triggers go and come back with it. */
bool df_view_gone(df_ctx *c, const char *schema, const char *name);
bool df_view_recreated(df_ctx *c, const char *schema, const char *name);
/* Is the to view (schema, name) created by this plan (new or re-created)? */
bool df_view_fresh(df_ctx *c, const char *schema, const char *name);
void df_views(df_ctx *c);
/* diff_routines.c: is the from function f dropped, or dropped and created
 * again (computed from the catalogs, whichever pass asks first)? */
bool df_function_goes(df_ctx *c, const ag_function *f);
/* ---- diff_defs.c: aggregates, operators, casts (after df_routines) ---- */
void df_defs(df_ctx *c);
/* ---- diff_security.c: RLS switches, policies, trigger enabled state,
 * comments on domain checks and composite attributes ---- */
void df_security(df_ctx *c);
/* ---- diff_events.c: event triggers and publications ---- */
void df_events(df_ctx *c);

/* ---- diff_funcrefs.c: breaks-function hazards, after every pass ---- */
void df_function_refs(df_ctx *c);

/* ---- diff_types.c ---- */
void df_enums(df_ctx *c);
void df_sequences(df_ctx *c);

#endif
