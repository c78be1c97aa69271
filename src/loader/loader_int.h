/*
 * loader_int.h - state shared by the loader's files (not a public API).
 */
#ifndef AUTOGEN_LOADER_INT_H
#define AUTOGEN_LOADER_INT_H

#include "autogen/ast.h"
#include "autogen/canon.h"
#include "autogen/loader.h"

/* One model file.  Its parse tree lives only while the file's statements
 * are dispatched (ast.tree is NULL afterwards): deferred work keeps copies
 * of what it needs in ag_loader.keep. */
typedef struct ld_file {
    char *name;
    char *src;
    ag_ast ast;
    ag_lineidx lines; /* for file:line:col of thousands of objects */
} ld_file;

/* Where a statement or node came from, for diagnostics. */
typedef struct ld_pos {
    ld_file *file;
    int offset; /* byte offset in file->src */
} ld_pos;

typedef struct ld_search_path {
    const char **schemas; /* in the catalog arena */
    size_t n;
} ld_search_path;

typedef enum ld_pending_kind {
    PEND_ALTER_TABLE, /* ALTER TABLE: applied once every table is declared */
    PEND_CONSTRAINT,
    PEND_INDEX,
    PEND_OWNED_BY, /* ALTER SEQUENCE ... OWNED BY */
    PEND_COMMENT,
    PEND_COLUMN_TYPE,     /* a column whose type names a user type; with `obj`
                             set: a domain's base type (colname NULL) or a
                             composite type's attribute (colname) */
    PEND_TRIGGER,         /* CREATE TRIGGER: its table and function resolved
                             once every file is in (load_trigger.c) */
    PEND_ROUTINE_COMMENT, /* COMMENT ON FUNCTION/PROCEDURE/TRIGGER */
    PEND_VIEW,            /* a view's relations, resolved (load_view.c);
                             `node` is the ag_view */
    PEND_DEFINE,          /* CREATE AGGREGATE / OPERATOR / CAST: node is the
                             statement (load_define.c) */
    PEND_INHERIT,         /* PARTITION OF / INHERITS: parents resolved and
                             columns merged once every table is in */
    PEND_INDEX_ATTACH,    /* ALTER INDEX ... ATTACH PARTITION: after indexes */
    PEND_RENAME,   /* ALTER TABLE ... RENAME CONSTRAINT (load_rename.c): after
                      every constraint is named, before comments */
    PEND_SECURITY, /* policies, event triggers, publications, ENABLE TRIGGER
                      and their comments (load_security.c); node is the
                      wrapping Node */
} ld_pending_kind;

/* Work that needs the whole model first, done in ag_loader_finish in the
 * order it was recorded (which is the order PostgreSQL would name things). */
typedef struct ld_pending {
    ld_pending_kind kind;
    ld_pos pos;
    ld_search_path path;
    ag_table *tbl;       /* constraint / index / default: the table */
    const char *colname; /* column constraint / default: the column */
    void *node;          /* AlterTableStmt / Constraint / IndexStmt /
                            AlterSeqStmt / CommentStmt: a parse-tree
                            subtree, in the file's tree while the file is
                            dispatched, then copied into ag_loader.keep
                            (PEND_VIEW: the ag_view, not a tree) */
    int seq;             /* statement number: PostgreSQL names things in
                            statement order */
    int order;           /* constraints: 0 check, 1 index-backed, 2 fk (the
                            order CREATE TABLE adds them in) */
    ag_object *obj;      /* OWNED BY inside CREATE SEQUENCE: the sequence */
} ld_pending;

/* A `-- autogen:renamed from=` comment (directives.c). */
typedef struct ld_directive {
    ld_pos pos;          /* the comment */
    const char *old;     /* the old name (catalog arena) */
    bool old_is_string;  /* written 'like this' */
    bool trailing;       /* after code on its line */
    ag_srcloc at;        /* own line: the next token; trailing: the comment */
    ag_srcloc stmt_end;  /* end of the statement holding `at` */
    const char *label;   /* an enum value: the value it precedes */
    ag_srcloc enum_stmt; /* ... and where its statement starts */
} ld_directive;

struct ag_loader {
    ag_catalog *cat;
    ag_diag *diag;
    ld_file **files;
    size_t nfiles, capfiles;
    ld_pending *pend;
    size_t npend, cappend;
    ld_search_path path; /* current SET search_path while loading a file */
    int seq;             /* statements seen so far */
    /* Primary key of each table, by table id (built before foreign keys
     * are resolved: REFERENCES t without columns means t's key). */
    ag_constraint **pk_of;
    size_t npk_of;
    ld_directive *dirs; /* rename directives of every file */
    size_t ndirs, capdirs;
    ag_load_opts opts; /* [unmanaged] and [exclude] of autogen.ini */
    /* The subtrees deferred items point to, copied out of each file's
     * tree before it is freed (a file's whole tree is ~16x its SQL; what
     * resolution needs is a small part of it); resolution rewrites them
     * and allocates new nodes here too.  Freed with the loader. */
    ag_ast keep;
    /* PEND_INDEX statements apart from the rest: nothing but resolve_index
     * reads them, so ld_resolve frees them as soon as every index is
     * resolved, before the foreign keys add their canonical forms (15 MB
     * of 10,000 tables' ~20,000 indexes off the peak). */
    ag_arena keep_indexes;
};

/* diagnostics */
void ld_error(ag_loader *ld, ld_pos pos, const char *fmt, ...) AG_PRINTF(3, 4);
void ld_warn(ag_loader *ld, ld_pos pos, const char *fmt, ...) AG_PRINTF(3, 4);
ld_pos ld_at(ld_pos stmt, int location);
/* file:line:col of a position (the file name lives in the catalog arena). */
ag_srcloc ld_srcloc(ld_pos pos);

/* The tree arena for work on nodes of the statement at pos: its file's
 * while the file is being dispatched, ld->keep afterwards. */
ag_ast *ld_ast(ag_loader *ld, ld_pos pos);

void ld_defer(ag_loader *ld, ld_pending_kind kind, ld_pos pos, ag_table *tbl,
              const char *colname, void *node, int order);

/* names */
const char *ld_creation_schema(ag_loader *ld, const ld_search_path *path,
                               const char *schema);
ag_table *ld_find_table(ag_loader *ld, const ld_search_path *path,
                        const char *schema, const char *name,
                        const char **schema_out);
ag_table *ld_find_table_rv(ag_loader *ld, const ld_search_path *path,
                           const PgQuery__RangeVar *rv);

/* statement handlers (load_*.c) */
void ld_create_table(ag_loader *ld, ld_pos pos, PgQuery__CreateStmt *s);
void ld_apply_alter_table(ag_loader *ld, const ld_pending *p);
void ld_alter_table(ag_loader *ld, ld_pos pos, PgQuery__AlterTableStmt *s);
void ld_create_index(ag_loader *ld, ld_pos pos, PgQuery__IndexStmt *s);
void ld_create_schema(ag_loader *ld, ld_pos pos, PgQuery__CreateSchemaStmt *s);
void ld_create_extension(ag_loader *ld, ld_pos pos,
                         PgQuery__CreateExtensionStmt *s);
void ld_create_enum(ag_loader *ld, ld_pos pos, PgQuery__CreateEnumStmt *s);
void ld_create_sequence(ag_loader *ld, ld_pos pos, PgQuery__CreateSeqStmt *s);
void ld_alter_sequence(ag_loader *ld, ld_pos pos, PgQuery__AlterSeqStmt *s);
void ld_comment(ag_loader *ld, ld_pos pos, PgQuery__CommentStmt *s);
bool ld_set_search_path(ag_loader *ld, const char *value_list_sql);
void ld_create_function(ag_loader *ld, ld_pos pos,
                        PgQuery__CreateFunctionStmt *s);
void ld_create_domain(ag_loader *ld, ld_pos pos, PgQuery__CreateDomainStmt *s);
void ld_create_composite(ag_loader *ld, ld_pos pos,
                         PgQuery__CompositeTypeStmt *s);
void ld_create_trigger(ag_loader *ld, ld_pos pos, PgQuery__CreateTrigStmt *s);
/* COMMENT ON FUNCTION / PROCEDURE / ROUTINE / TRIGGER: deferred. */
void ld_comment_routine(ag_loader *ld, ld_pos pos, PgQuery__CommentStmt *s);
/* Triggers, then comments on routines: after ld_resolve (load_trigger.c). */
void ld_resolve_routines(ag_loader *ld);
/* Views (load_view.c); ld_resolve_views after ld_resolve. */
void ld_create_view(ag_loader *ld, ld_pos pos, PgQuery__ViewStmt *s);
void ld_create_matview(ag_loader *ld, ld_pos pos,
                       PgQuery__CreateTableAsStmt *s);
void ld_resolve_views(ag_loader *ld);
ag_view *ld_find_view(ag_loader *ld, const ld_search_path *path,
                      const char *schema, const char *name);
void ld_variable_set(ag_loader *ld, ld_pos pos, PgQuery__VariableSetStmt *s);
/* One statement, as if it stood at pos (loader.c); DO blocks use it. */
void ld_dispatch(ag_loader *ld, ld_pos pos, ag_node *n);

/* load_define.c: aggregates, operators and casts, deferred; resolved
 * after the routines.  A DROP ... IF EXISTS naming only objects the models
 * have not declared so far is a no-op (true). */
void ld_define(ag_loader *ld, ld_pos pos, ag_node *n);
void ld_resolve_defs(ag_loader *ld);
bool ld_drop_if_exists_noop(ag_loader *ld, PgQuery__DropStmt *s);

/* load_do.c: the plain DDL inside a DO block, loaded as model statements. */
void ld_do_block(ag_loader *ld, ld_pos pos, PgQuery__DoStmt *s);

/* load_unmanaged.c: statements of kinds autogen does not manage.  Returns
 * true when n is one (then it was skipped with a warning, when its kind is
 * listed under [unmanaged], else reported as an error). */
bool ld_unmanaged(ag_loader *ld, ld_pos pos, ag_node *n);
/* True when n creates or alters an object listed under [exclude] (then it
 * was skipped with a warning). */
bool ld_excluded(ag_loader *ld, ld_pos pos, ag_node *n);

/* load_security.c.  ld_security_stmt defers a policy, event trigger or
 * publication statement, or a COMMENT ON a kind handled there; the RLS
 * subcommands of ALTER TABLE go to ld_table_security.  All resolved by
 * ld_resolve_security, after ld_resolve_routines. */
extern const char ld_public_comment[];
void ld_security_stmt(ag_loader *ld, ld_pos pos, ag_node *n);
void ld_table_security(ag_loader *ld, ld_pos pos, ag_table *tbl,
                       ag_node *cmdnode);
void ld_resolve_security(ag_loader *ld);
/* load_publication.c, called by ld_resolve_security. */
void ld_resolve_publication(ag_loader *ld, const ld_pending *p,
                            PgQuery__CreatePublicationStmt *s);
void ld_resolve_alter_publication(ag_loader *ld, const ld_pending *p,
                                  PgQuery__AlterPublicationStmt *s);
/* COMMENT ON COLUMN naming a composite type's attribute: true when found
 * (and the comment set). */
bool ld_comment_attribute(ag_loader *ld, const ld_pending *p,
                          const char *schema, const char *type,
                          const char *attr, const char *comment);

/* shared by table and sequence code */
ag_column *ld_add_column(ag_loader *ld, ld_pos pos, ag_table *tbl,
                         PgQuery__ColumnDef *cd);
int ld_seq_options(ag_loader *ld, ld_pos pos, ag_sequence *seq,
                   PgQuery__Node **opts, size_t nopts, PgQuery__List **owned);
void ld_seq_defaults(ag_sequence *seq, bool have_min, bool have_max,
                     bool have_start);
/* Identity on a column: kind 'a'/'d' and its sequence options. */
void ld_set_identity(ag_loader *ld, ld_pos pos, ag_column *col, char kind,
                     PgQuery__Node **opts, size_t nopts);

/* rename directives (directives.c): found per file after parsing, bound
 * to their declarations once everything is resolved. */
void ld_scan_directives(ag_loader *ld, ld_file *f);
void ld_bind_directives(ag_loader *ld);
/* partitions and inheritance (load_partition.c) */
/* CREATE TABLE's PARTITION BY / PARTITION OF / INHERITS parts. */
void ld_partitioning(ag_loader *ld, ld_pos pos, ag_table *tbl,
                     PgQuery__CreateStmt *s);
/* ALTER TABLE parent ATTACH PARTITION child FOR VALUES ... */
void ld_attach_partition(ag_loader *ld, const ld_pending *p, ag_table *parent,
                         PgQuery__PartitionCmd *pc);
/* ALTER INDEX ... ATTACH PARTITION: deferred; true when p was one. */
bool ld_alter_index_attach(ag_loader *ld, const ld_pending *p);
/* PEND_INHERIT, in statement order (after ALTER TABLE). */
void ld_resolve_inherit(ag_loader *ld, const ld_pending *p);
/* Every PEND_INDEX_ATTACH of order[0..n) (after indexes and constraints). */
void ld_resolve_index_attaches(ag_loader *ld, ld_pending *const *order,
                               size_t n);
/* load_rename.c */
void ld_rename(ag_loader *ld, ld_pos pos, PgQuery__RenameStmt *s);
void ld_resolve_rename(ag_loader *ld, const ld_pending *p);
/* load_view.c */
void ld_create_table_as(ag_loader *ld, ld_pos pos,
                        PgQuery__CreateTableAsStmt *s);
/* Partitions' copies of their parents' CHECKs (after constraints). */
void ld_resolve_partition_checks(ag_loader *ld);

/* resolution after every file is in (resolve.c) */
void ld_resolve(ag_loader *ld);

/* PostgreSQL's implicit names (names.c) */
const char *ld_make_object_name(ag_arena *a, const char *name1,
                                const char *name2, const char *label);
const char *ld_choose_relation_name(ag_catalog *cat, const char *schema,
                                    const char *name1, const char *name2,
                                    const char *label, bool isconstraint);
const char *ld_choose_constraint_name(ag_catalog *cat, const char *schema,
                                      const char *name1, const char *name2,
                                      const char *label);
const char *ld_name_addition(ag_arena *a, const char *const *names, size_t n);
const char *ld_figure_colname(const ag_node *expr);

#endif
