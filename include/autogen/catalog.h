/*
 * catalog.h - the one schema model that both front ends fill.
 *
 * The loader (model files, libpg_query) and the introspector (live database,
 * libpq) produce the same ag_catalog; the differ, sorter and emitter never
 * know which one a catalog came from.  Every object begins with an
 * ag_object header (kind, dense id, schema-qualified name, source location),
 * as pg_dump's DumpableObject does.
 *
 * Canonical forms.  Every field the differ compares is stored in canonical
 * form, computed by the same functions on both sides (see canon.h):
 *   - names are in catalog form (unquoted, case as stored);
 *   - column types are spelled as format_type() prints them with an empty
 *     search_path: "integer", "character varying(20)", "timestamp(3) with
 *     time zone", "public.mood[]" (user types schema-qualified, identifiers
 *     quoted where needed);
 *   - expressions, constraint bodies and index definitions carry two texts:
 *     `sql`, valid SQL to emit, and `canon`, a normalised rendering that the
 *     differ compares with strcmp.
 *
 * Ownership: every string and array hanging off a catalog lives in the
 * catalog's arena; ag_catalog_destroy frees it all in one call.
 */
#ifndef AUTOGEN_CATALOG_H
#define AUTOGEN_CATALOG_H

#include "autogen/base.h"

/* Object kinds, in the base order used when nothing else decides. */
#define AG_KINDS(X)                                                            \
    X(SCHEMA, "schema", "SCHEMA")                                              \
    X(EXTENSION, "extension", "EXTENSION")                                     \
    X(ENUM, "enum type", "TYPE")                                               \
    X(DOMAIN, "domain", "DOMAIN")                                              \
    X(COMPOSITE, "composite type", "TYPE")                                     \
    X(SEQUENCE, "sequence", "SEQUENCE")                                        \
    X(FUNCTION, "function", "FUNCTION")                                        \
    X(TABLE, "table", "TABLE")                                                 \
    X(VIEW, "view", "VIEW")                                                    \
    X(CONSTRAINT, "constraint", "CONSTRAINT")                                  \
    X(INDEX, "index", "INDEX")                                                 \
    X(TRIGGER, "trigger", "TRIGGER")                                           \
    X(AGGREGATE, "aggregate", "AGGREGATE")                                     \
    X(OPERATOR, "operator", "OPERATOR")                                        \
    X(CAST, "cast", "CAST")                                                    \
    X(POLICY, "policy", "POLICY")                                              \
    X(EVENT_TRIGGER, "event trigger", "EVENT TRIGGER")                         \
    X(PUBLICATION, "publication", "PUBLICATION")

typedef enum ag_kind {
#define AG_KIND_ENUM(id, word, sql) AG_KIND_##id,
    AG_KINDS(AG_KIND_ENUM)
#undef AG_KIND_ENUM
        AG_KIND_COUNT
} ag_kind;

const char *ag_kind_name(ag_kind kind); /* "table", "enum type", ... */
const char *ag_kind_sql(ag_kind kind);  /* "TABLE", "TYPE", ... */

/* Schema-qualified name.  For objects that have no schema of their own
 * (schemas, extensions) `schema` is "". */
typedef struct ag_qname {
    const char *schema;
    const char *name;
} ag_qname;

typedef struct ag_object {
    ag_kind kind;
    uint32_t id; /* dense, 1..n within one catalog */
    ag_qname name;
    ag_srcloc loc;       /* model side: where declared; database side: zeros */
    const char *comment; /* COMMENT ON ..., NULL when none */
    /* Model side: the name given by a `-- autogen:renamed from=` directive
     * (tables, indexes, constraints, enum, domain and composite types),
     * NULL when none. */
    const char *renamed_from;
} ag_object;

/* An expression: default, check, generation expression, index predicate. */
typedef struct ag_expr {
    const char *sql;   /* emit-ready SQL */
    const char *canon; /* normalised form compared by the differ */
} ag_expr;

typedef struct ag_schema {
    ag_object obj; /* name.schema = "", name.name = schema name */
} ag_schema;

typedef struct ag_extension {
    ag_object obj;      /* name.schema = "", name.name = extension name */
    const char *schema; /* schema it is installed into; NULL = unspecified */
} ag_extension;

typedef struct ag_enum {
    ag_object obj;
    const char **labels; /* in sort order */
    size_t nlabels;
    /* Per label, the label it was renamed from (a directive), or NULL;
     * NULL as a whole when no label has one. */
    const char **label_renamed_from;
} ag_enum;

/* A CHECK constraint of a domain.  def.sql is "CHECK (VALUE > 0)" (with
 * NOT VALID when so), def.canon its normalised form. */
typedef struct ag_domain_check {
    const char *name; /* named as PostgreSQL names it: <domain>_check... */
    ag_expr def;
    const char *comment; /* COMMENT ON CONSTRAINT ... ON DOMAIN, or NULL */
} ag_domain_check;

/* CREATE DOMAIN.  `type` is the canonical base type (a user type
 * schema-qualified, as for columns). */
typedef struct ag_domain {
    ag_object obj;
    const char *type;
    const char *collation; /* as for columns; NULL = the base type's */
    bool notnull;
    const ag_expr *default_expr; /* NULL when none */
    ag_domain_check *checks;     /* sorted by name */
    size_t nchecks;
} ag_domain;

typedef struct ag_sequence {
    ag_object obj;
    const char *type; /* "bigint", "integer" or "smallint" */
    int64_t start, increment, min, max, cache;
    bool cycle;
    /* OWNED BY table.column, or owned_by.name == NULL when not owned. */
    ag_qname owned_by;
    const char *owned_col;
} ag_sequence;

/* The options of an identity column's sequence, fully filled in by the
 * loader and the introspector (defaults computed for the column's type, as
 * PostgreSQL does).  All zeros means "not stated": the defaults. */
typedef struct ag_seqopts {
    int64_t start, increment, min, max, cache;
    bool cycle;
} ag_seqopts;

typedef struct ag_column {
    const char *name;
    const char *type;      /* canonical, see the top of this file */
    const char *collation; /* "pg_catalog.\"C\"" style, NULL = type default */
    bool notnull;
    const ag_expr *default_expr; /* NULL when none (and for identity) */
    char identity;               /* '\0', 'a' ALWAYS, 'd' BY DEFAULT */
    ag_seqopts ident;            /* identity only: its sequence options */
    const ag_expr *generated;    /* STORED generation expression or NULL */
    const char *comment;
    const char *renamed_from; /* rename directive, NULL when none */
    ag_srcloc loc;
    /* Only inherited (attislocal false): the column comes from a parent
     * (INHERITS, PARTITION OF) and is not declared by the table itself;
     * the differ leaves it to the parent. */
    bool inherited;
} ag_column;

typedef struct ag_table {
    ag_object obj;
    ag_column *cols; /* in declaration (attnum) order */
    size_t ncols;
    size_t capcols; /* slots in cols (ag_table_add_column / _reserve) */
    char persistence; /* 'p' permanent, 'u' unlogged */
    /* Partitioned table: the key as pg_get_partkeydef prints it,
     * "RANGE (created_at)" (sql emit-ready, canon compared); NULL when not
     * partitioned.  partcols: the key's plain columns in order, NULL for an
     * expression element. */
    const ag_expr *partkey;
    const char **partcols;
    size_t npartcols;
    /* Partition: its partitioned table (parent.name NULL when not one) and
     * bound, "FOR VALUES FROM ('a') TO ('b')" or "DEFAULT"; bound.canon has
     * every value as the server prints it (see src/canon/partition.c). */
    ag_qname parent;
    const ag_expr *bound;
    /* INHERITS: parents in order (never set for a partition). */
    ag_qname *inherits;
    size_t ninherits;
    bool rls, rls_forced; /* ENABLE / FORCE ROW LEVEL SECURITY */
    /* Model side, CREATE TABLE AS before the dev database: the statement
     * (schema-qualified, WITH NO DATA) and the search_path to run it with;
     * the table has no columns yet.  The dev database gives it the query's
     * columns and clears these (src/devdb/), after which it is a table
     * like any other.  NULL otherwise. */
    const char *as_sql;
    const char *as_search_path;
} ag_table;

/* CREATE TYPE ... AS (...).  Attributes reuse ag_column: only name, type,
 * collation, comment and loc are used. */
typedef struct ag_composite {
    ag_object obj;
    ag_column *attrs; /* in attnum order */
    size_t nattrs;
} ag_composite;

typedef enum ag_contype {
    AG_CON_PRIMARY = 'p',
    AG_CON_UNIQUE = 'u',
    AG_CON_CHECK = 'c',
    AG_CON_FOREIGN = 'f',
    AG_CON_EXCLUDE = 'x'
} ag_contype;

/* A table constraint.  obj.name = (table's schema, constraint name).
 * Constraint names are unique per table, not per schema: a constraint's
 * identity is (schema, table, name).  Create them with
 * ag_catalog_add_constraint and look them up with
 * ag_catalog_find_constraint; the sorted listing orders them by
 * (schema, table, name).  (ag_catalog_add(AG_KIND_CONSTRAINT, ...) also
 * works when `table` is set right after; it enters lookups at seal.) */
typedef struct ag_constraint {
    ag_object obj;
    const char *table; /* table name, in obj.name.schema */
    char type;         /* ag_contype */
    const char **cols; /* key / FK columns (plain column names only) */
    size_t ncols;
    ag_qname ref_table; /* FOREIGN only */
    const char **ref_cols;
    size_t nref_cols;
    /* Body as written after "ADD CONSTRAINT name ", e.g.
     * "FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE". */
    ag_expr def;
    bool implicit_name; /* model side: the name PostgreSQL would choose */
} ag_constraint;

/* A stand-alone index (indexes that implement PRIMARY KEY, UNIQUE or
 * EXCLUDE constraints belong to the constraint and are not listed). */
typedef struct ag_index {
    ag_object obj; /* (schema, index name) */
    const char *table;
    bool unique;
    const char **cols; /* plain columns referenced by the key */
    size_t ncols;
    /* def.sql: the whole CREATE INDEX statement, schema-qualified;
     * def.canon: normalised with the index name left out. */
    ag_expr def;
    bool implicit_name;
} ag_index;

/* One argument of a function, as CREATE FUNCTION declares it. */
typedef struct ag_funcarg {
    char mode;                   /* 'i' IN, 'o' OUT, 'b' INOUT, 'v' VARIADIC,
                                    't' a column of RETURNS TABLE */
    const char *name;            /* NULL when unnamed */
    const char *type;            /* canonical (format_type spelling) */
    const ag_expr *default_expr; /* NULL when none */
} ag_funcarg;

/* Something a function body names (routine_refs.h): a relation (table or
 * view; `col` a column of it when the reference says which, else NULL), a
 * function (name.name the bare name: argument types are not known from a
 * call) or a type.  name.schema is NULL when the body leaves it
 * unqualified: it resolves along the function's path at use. */
typedef enum ag_funcref_kind {
    AG_REF_RELATION,
    AG_REF_FUNCTION,
    AG_REF_TYPE
} ag_funcref_kind;

typedef struct ag_funcref {
    ag_funcref_kind kind;
    ag_qname name;
    const char *col;
} ag_funcref;

/*
 * A function or procedure (aggregates and window functions are not managed
 * yet).  Overloads are distinct objects: obj.name.name is the bare name
 * followed by the canonical identity argument types, "f(integer, text)",
 * so (kind, schema, name) stays unique; `fname` and `identity` keep the
 * parts for emitting.  Every compared field is canonical on both sides:
 * both are filled from a CREATE FUNCTION parse tree (the model's, or the
 * one pg_get_functiondef prints) by the same code.
 */
typedef struct ag_function {
    ag_object obj;
    const char *fname;    /* bare name */
    const char *identity; /* "integer, text": the identity argument types */
    bool is_procedure;
    ag_funcarg *args; /* every argument, in order */
    size_t nargs;
    /* "integer", "SETOF public.t", "TABLE(a integer, b text)", "record";
     * NULL for a procedure. */
    const char *result;
    const char *language;
    const char *body;   /* prosrc, compared exactly */
    const char *probin; /* C functions: the object file, else NULL */
    char volatility;    /* 'i', 's', 'v' */
    char parallel;      /* 's', 'r', 'u' */
    bool strict, security_definer, leakproof;
    double cost, rows;   /* defaults filled in as CREATE FUNCTION does */
    const char **config; /* SET clauses, "name=value, value", in order */
    size_t nconfig;
    /* Schema-qualified types the signature names (row types of tables
     * among them), for ordering against CREATE/DROP TABLE. */
    ag_qname *types;
    size_t ntypes;
    /* What the body names (LANGUAGE sql and plpgsql only; never compared,
     * used for ordering and hazards), sorted and unique, and the schemas
     * its unqualified names resolve along: SET search_path, else the
     * model's search_path at CREATE; none = the database side's default
     * order (ag_routine_ref_lookup). */
    ag_funcref *refs;
    size_t nrefs;
    const char **path;
    size_t npath;
} ag_function;

/* A trigger.  Like a constraint its identity is (schema, table, name):
 * create with ag_catalog_add_trigger, look up with ag_catalog_find_trigger. */
typedef struct ag_trigger {
    ag_object obj; /* (table's schema, trigger name) */
    const char *table;
    ag_qname func;   /* the trigger function: schema, bare name */
    bool constraint; /* CREATE CONSTRAINT TRIGGER */
    /* def.sql: the whole CREATE TRIGGER statement, schema-qualified;
     * def.canon: normalised with the trigger name left out. */
    ag_expr def;
    /* tgenabled: 'O' on origin (the default), 'D' disabled, 'R' replica,
     * 'A' always. */
    char enabled;
} ag_trigger;

/* Something a view reads: a relation (kind TABLE or VIEW; `col` names a
 * table column when the view reads that column, else NULL) or a function
 * (kind FUNCTION; name.name is the catalog name "f(integer)"). */
typedef struct ag_viewdep {
    ag_kind kind;
    ag_qname name;
    const char *col;
} ag_viewdep;

/*
 * CREATE [MATERIALIZED] VIEW.  Equality is decided on the server's
 * canonical text (pg_get_viewdef with an empty search_path): the
 * introspector reads it, and for the models the dev database (devdb.h)
 * fills it in.  Until then a model view holds its query as written, with
 * `search_path` saying how to read its unqualified names.
 */
typedef struct ag_view {
    ag_object obj;
    bool materialized;
    const char *def;         /* the query, without a trailing ';' */
    const char *search_path; /* model side before the dev database: the
                                path in force ("public, app", quoted), else
                                NULL: def is canonical */
    ag_column *cols;         /* name, type (NULL until canonical), comment */
    size_t ncols;
    bool aliased; /* model side before the dev database: cols are the
                     statement's column list (else only commented ones) */
    const char *check_option; /* NULL, "local" or "cascaded" */
    bool security_barrier, security_invoker;
    bool populated; /* materialized: WITH DATA (not compared) */
    ag_viewdep *deps;
    size_t ndeps;
} ag_view;
/*
 * An aggregate, operator or cast (src/canon/canon_defs.c).  Each is fully
 * described by one canonical CREATE statement, built field by field by the
 * same code from the model's parse tree and from the statement the
 * introspector assembles out of pg_aggregate / pg_operator / pg_cast, so
 * `sql` is both what is emitted and what is compared.
 *   aggregates: obj.name = (schema, "name(identity types)"), "*" for none;
 *   operators:  obj.name = (schema, "op(left type, right type)"), NONE for
 *               a missing side;
 *   casts:      obj.name = ("", "(source AS target)").
 */
typedef struct ag_def {
    ag_object obj;
    const char *target; /* "AGGREGATE public.f(text)": how DROP names it */
    const char *sql;    /* canonical CREATE statement, compared */
    /* Aggregates: state type and final function; CREATE OR REPLACE
     * AGGREGATE is used only when both stay (the result type stays). */
    const char *replace_key;
    ag_qname *funcs; /* functions it calls: schema and bare name */
    size_t nfuncs;
    ag_qname *types; /* schema-qualified user types it names */
    size_t ntypes;
} ag_def;

/* A row-level security policy.  Like a trigger its identity is (schema,
 * table, name): create with ag_catalog_add_policy. */
typedef struct ag_policy {
    ag_object obj; /* (table's schema, policy name) */
    const char *table;
    bool permissive; /* AS PERMISSIVE (the default) or RESTRICTIVE */
    char cmd;        /* polcmd: '*' ALL, 'r' SELECT, 'a' INSERT, 'w' UPDATE,
                        'd' DELETE */
    /* Role names sorted (as pg_policies lists them); "public" alone when
     * the policy applies to everyone. */
    const char **roles;
    size_t nroles;
    const ag_expr *using_expr; /* USING, NULL when none */
    const ag_expr *check_expr; /* WITH CHECK, NULL when none */
} ag_policy;

/* CREATE EVENT TRIGGER (no schema: obj.name = ("", name)). */
typedef struct ag_event_trigger {
    ag_object obj;
    const char *event; /* ddl_command_start, ddl_command_end, sql_drop, ... */
    const char **tags; /* WHEN TAG IN (...): upper-cased as PostgreSQL stores
                          them, in their order (pg_dump keeps it); none =
                          every command */
    size_t ntags;
    ag_qname func; /* schema-qualified function (no arguments) */
    char enabled;  /* evtenabled: 'O', 'D', 'R', 'A' as for triggers */
} ag_event_trigger;

/* CREATE PUBLICATION (no schema: obj.name = ("", name)). */
typedef struct ag_publication {
    ag_object obj;
    bool all_tables; /* FOR ALL TABLES */
    /* FOR TABLE entries as SQL ("public.t"; the database side may add a
     * column list and WHERE clause, which models cannot state yet), sorted */
    const char **tables;
    size_t ntables;
    const char **schemas; /* FOR TABLES IN SCHEMA, sorted */
    size_t nschemas;
    /* publish = '...': the canonical list "insert, update, delete,
     * truncate" in that order, only the ones published */
    const char *publish;
    bool via_root; /* publish_via_partition_root */
} ag_publication;

/* ---- the catalog ---- */

typedef struct ag_catalog_map ag_catalog_map;

typedef struct ag_catalog {
    ag_arena arena;
    ag_object **objs; /* objs[id - 1] */
    size_t nobjs, capobjs;
    ag_catalog_map *map;             /* (kind, schema, name) -> object */
    struct ag_conname_set *connames; /* constraint names per schema */
    /* src/canon/canon.c: expressions already canonicalised (in the arena) */
    struct ag_canon_memo *canon_memo;
    /* Filled by ag_catalog_seal: per kind, sorted by (schema, name). */
    ag_object **sorted[AG_KIND_COUNT];
    size_t nsorted[AG_KIND_COUNT];
    bool sealed;
    /* Where the catalog came from, for messages: "models", "database". */
    const char *origin;
} ag_catalog;

void ag_catalog_init(ag_catalog *cat, const char *origin);
void ag_catalog_destroy(ag_catalog *cat);

/*
 * Create an object of `size` bytes (the concrete struct, header first),
 * zeroed, with kind, id and a copy of the name filled in, and register it.
 * Returns NULL when an object of that kind and name already exists (the
 * caller reports the duplicate).  The result lives in the catalog's arena.
 */
void *ag_catalog_add(ag_catalog *cat, ag_kind kind, const char *schema,
                     const char *name, size_t size);

/* Remove an object from lookups and listings (e.g. a model DROP). */
void ag_catalog_remove(ag_catalog *cat, ag_object *obj);

/* Rename a registered object (copying the new name into the arena).
 * Returns -1 when the new name is taken, 0 otherwise. */
int ag_catalog_rename(ag_catalog *cat, ag_object *obj, const char *newname);

/* Lookup by kind and qualified name (not for constraints: see below). */
ag_object *ag_catalog_find(const ag_catalog *cat, ag_kind kind,
                           const char *schema, const char *name);

/* Constraints: identity is (schema, table, name).  add returns NULL when
 * the table already has a constraint of that name. */
ag_constraint *ag_catalog_add_constraint(ag_catalog *cat, const char *schema,
                                         const char *table, const char *name);
ag_constraint *ag_catalog_find_constraint(const ag_catalog *cat,
                                          const char *schema, const char *table,
                                          const char *name);

/* Triggers: identity is (schema, table, name), as for constraints. */
ag_trigger *ag_catalog_add_trigger(ag_catalog *cat, const char *schema,
                                   const char *table, const char *name);
ag_trigger *ag_catalog_find_trigger(const ag_catalog *cat, const char *schema,
                                    const char *table, const char *name);

/* Policies: identity is (schema, table, name), as for triggers. */
ag_policy *ag_catalog_add_policy(ag_catalog *cat, const char *schema,
                                 const char *table, const char *name);
ag_policy *ag_catalog_find_policy(const ag_catalog *cat, const char *schema,
                                  const char *table, const char *name);

#define ag_catalog_table(cat, s, n)                                            \
    ((ag_table *)ag_catalog_find((cat), AG_KIND_TABLE, (s), (n)))
#define ag_catalog_enum(cat, s, n)                                             \
    ((ag_enum *)ag_catalog_find((cat), AG_KIND_ENUM, (s), (n)))
#define ag_catalog_view(cat, s, n)                                             \
    ((ag_view *)ag_catalog_find((cat), AG_KIND_VIEW, (s), (n)))
#define ag_catalog_sequence(cat, s, n)                                         \
    ((ag_sequence *)ag_catalog_find((cat), AG_KIND_SEQUENCE, (s), (n)))

/* Is (schema, name) taken by any relation (table, view, sequence, index)? Index
 * and sequence names share pg_class's namespace with tables. */
bool ag_catalog_relname_taken(const ag_catalog *cat, const char *schema,
                              const char *name);
/* Is a constraint of that name present anywhere in the schema? */
bool ag_catalog_conname_taken(const ag_catalog *cat, const char *schema,
                              const char *name);

/* Build the sorted per-kind listings.  Call once all objects are in; may
 * be called again after changes. */
void ag_catalog_seal(ag_catalog *cat);

/* Sorted listing of one kind (valid after ag_catalog_seal). */
static inline size_t
ag_catalog_list(const ag_catalog *cat, ag_kind kind, ag_object *const **out)
{
    *out = cat->sorted[kind];
    return cat->nsorted[kind];
}

/* Keep only objects in the named schemas (n == 0: keep everything), then
 * re-seal.  Used for --schema on the model side; the introspector filters
 * in its queries. */
void ag_catalog_restrict(ag_catalog *cat, const char *const *schemas, size_t n);

/* Remove the objects named "schema.name" in names ([exclude] objects in
 * autogen.ini: every overload of a function, and a table's constraints,
 * indexes and triggers with it), then re-seal.  Returns how many went. */
size_t ag_catalog_exclude(ag_catalog *cat, const char *const *names, size_t n);

/* Column lookup by name; NULL when absent. */
ag_column *ag_table_column(const ag_table *tbl, const char *name);
/* Append a column (copied); returns the stored column. */
ag_column *ag_table_add_column(ag_catalog *cat, ag_table *tbl,
                               const ag_column *col);
/* Make room for n columns in all (the count is known up front: a CREATE
 * TABLE's elements, a table's rows in the columns query), so that the
 * array is allocated once and exactly: grown by doubling, 110,000
 * columns of 10,000 tables took twice their size, plus the outgrown
 * arrays left in the arena. */
void ag_table_reserve_columns(ag_catalog *cat, ag_table *tbl, size_t n);

/* Compare qualified names: schema first, then name (strcmp order).
 * Listings of constraints are sorted by (schema, table, name). */
int ag_qname_cmp(const ag_qname *a, const ag_qname *b);

/* A stable, sorted, human-readable rendering of the whole catalog, one
 * object per line (the debugging and golden-test view). */
void ag_catalog_dump(const ag_catalog *cat, ag_buf *out);

#endif
