/*
 * plan.h - a migration plan: typed operations in execution order.
 *
 * The differ (diff.h) fills a plan from two catalogs; the emitter (emit.h)
 * is the only code that turns ops into SQL or text.  An op names what it
 * acts on by pointing into the two catalogs, so a plan BORROWS from both:
 * they must outlive it.  Everything else (notes, hazard reasons, op
 * arrays) lives in the plan's arena and goes with ag_plan_free().
 */
#ifndef AUTOGEN_PLAN_H
#define AUTOGEN_PLAN_H

#include "autogen/catalog.h"

/* ---- hazards: one X-macro gives the bits, names and descriptions ---- */
#define AG_HAZARDS(X)                                                          \
    X(DELETES_DATA, "deletes-data",                                            \
      "drops stored data, or fails on rows that do not fit")                   \
    X(TABLE_REWRITE, "table-rewrite",                                          \
      "rewrites the whole table under an ACCESS EXCLUSIVE lock")               \
    X(ACCESS_EXCLUSIVE_LOCK, "access-exclusive-lock",                          \
      "scans the table to validate it while holding a strong lock")            \
    X(INDEX_BUILD, "index-build",                                              \
      "builds an index on an existing table, blocking writes meanwhile")       \
    X(BREAKS_FUNCTION, "breaks-function",                                      \
      "removes what a kept function's body still names; PostgreSQL allows "    \
      "it and the function fails when called")

enum {
#define AG_HZ_IDX(id, name, desc) AG_HAZARD_IDX_##id,
    AG_HAZARDS(AG_HZ_IDX)
#undef AG_HZ_IDX
        AG_NHAZARDS
};
enum {
#define AG_HZ_BIT(id, name, desc) AG_HAZARD_##id = 1u << AG_HAZARD_IDX_##id,
    AG_HAZARDS(AG_HZ_BIT)
#undef AG_HZ_BIT
};

/* Name ("deletes-data") and description of hazard number idx. */
const char *ag_hazard_name(int idx);
const char *ag_hazard_desc(int idx);
/* Bit for a hazard name, 0 when unknown. */
uint32_t ag_hazard_parse(const char *name);

/* ---- operation types: (id, name in JSON output) ---- */
#define AG_OPS(X)                                                              \
    X(CREATE_SCHEMA, "create_schema")                                          \
    X(DROP_SCHEMA, "drop_schema")                                              \
    X(CREATE_EXTENSION, "create_extension")                                    \
    X(ALTER_EXTENSION_SCHEMA, "alter_extension_schema")                        \
    X(DROP_EXTENSION, "drop_extension")                                        \
    X(CREATE_ENUM, "create_enum")                                              \
    X(ADD_ENUM_VALUE, "add_enum_value")                                        \
    X(REBUILD_ENUM, "rebuild_enum")                                            \
    X(DROP_OLD_ENUM, "drop_old_enum")                                          \
    X(DROP_ENUM, "drop_enum")                                                  \
    X(CREATE_DOMAIN, "create_domain")                                          \
    X(ALTER_DOMAIN_DEFAULT, "alter_domain_default")                            \
    X(ALTER_DOMAIN_NOT_NULL, "alter_domain_not_null")                          \
    X(ADD_DOMAIN_CHECK, "add_domain_check")                                    \
    X(DROP_DOMAIN_CHECK, "drop_domain_check")                                  \
    X(DROP_DOMAIN, "drop_domain")                                              \
    X(CREATE_COMPOSITE, "create_composite")                                    \
    X(ADD_ATTRIBUTE, "add_attribute")                                          \
    X(DROP_ATTRIBUTE, "drop_attribute")                                        \
    X(ALTER_ATTRIBUTE_TYPE, "alter_attribute_type")                            \
    X(DROP_COMPOSITE, "drop_composite")                                        \
    X(CREATE_SEQUENCE, "create_sequence")                                      \
    X(ALTER_SEQUENCE, "alter_sequence")                                        \
    X(SET_SEQUENCE_OWNER, "set_sequence_owner")                                \
    X(DROP_SEQUENCE, "drop_sequence")                                          \
    X(CREATE_TABLE, "create_table")                                            \
    X(SET_PERSISTENCE, "set_persistence")                                      \
    X(DROP_TABLE, "drop_table")                                                \
    X(ADD_COLUMN, "add_column")                                                \
    X(DROP_COLUMN, "drop_column")                                              \
    X(RENAME_COLUMN, "rename_column")                                          \
    X(ALTER_COLUMN_TYPE, "alter_column_type")                                  \
    X(SET_NOT_NULL, "set_not_null")                                            \
    X(DROP_NOT_NULL, "drop_not_null")                                          \
    X(SET_DEFAULT, "set_default")                                              \
    X(DROP_DEFAULT, "drop_default")                                            \
    X(ADD_IDENTITY, "add_identity")                                            \
    X(SET_IDENTITY, "set_identity")                                            \
    X(SET_IDENTITY_OPTIONS, "set_identity_options")                            \
    X(DROP_IDENTITY, "drop_identity")                                          \
    X(DROP_EXPRESSION, "drop_expression")                                      \
    X(ADD_CONSTRAINT, "add_constraint")                                        \
    X(DROP_CONSTRAINT, "drop_constraint")                                      \
    X(CREATE_INDEX, "create_index")                                            \
    X(DROP_INDEX, "drop_index")                                                \
    X(CREATE_FUNCTION, "create_function")                                      \
    X(REPLACE_FUNCTION, "replace_function")                                    \
    X(DROP_FUNCTION, "drop_function")                                          \
    X(CREATE_TRIGGER, "create_trigger")                                        \
    X(REPLACE_TRIGGER, "replace_trigger")                                      \
    X(DROP_TRIGGER, "drop_trigger")                                            \
    X(RENAME_TABLE, "rename_table")                                            \
    X(RENAME_INDEX, "rename_index")                                            \
    X(RENAME_CONSTRAINT, "rename_constraint")                                  \
    X(RENAME_TYPE, "rename_type")                                              \
    X(RENAME_ENUM_VALUE, "rename_enum_value")                                  \
    X(CREATE_VIEW, "create_view")                                              \
    X(REPLACE_VIEW, "replace_view")                                            \
    X(DROP_VIEW, "drop_view")                                                  \
    X(CREATE_AGGREGATE, "create_aggregate")                                    \
    X(REPLACE_AGGREGATE, "replace_aggregate")                                  \
    X(DROP_AGGREGATE, "drop_aggregate")                                        \
    X(CREATE_OPERATOR, "create_operator")                                      \
    X(DROP_OPERATOR, "drop_operator")                                          \
    X(CREATE_CAST, "create_cast")                                              \
    X(DROP_CAST, "drop_cast")                                                  \
    X(ATTACH_PARTITION, "attach_partition")                                    \
    X(DETACH_PARTITION, "detach_partition")                                    \
    X(ADD_INHERIT, "add_inherit")                                              \
    X(DROP_INHERIT, "drop_inherit")                                            \
    X(SET_RLS, "set_rls")                                                      \
    X(SET_RLS_FORCE, "set_rls_force")                                          \
    X(SET_TRIGGER_ENABLED, "set_trigger_enabled")                              \
    X(CREATE_POLICY, "create_policy")                                          \
    X(ALTER_POLICY, "alter_policy")                                            \
    X(DROP_POLICY, "drop_policy")                                              \
    X(CREATE_EVENT_TRIGGER, "create_event_trigger")                            \
    X(SET_EVENT_TRIGGER_ENABLED, "set_event_trigger_enabled")                  \
    X(DROP_EVENT_TRIGGER, "drop_event_trigger")                                \
    X(CREATE_PUBLICATION, "create_publication")                                \
    X(ALTER_PUBLICATION, "alter_publication")                                  \
    X(DROP_PUBLICATION, "drop_publication")                                    \
    X(SET_COMMENT, "set_comment")

typedef enum ag_op_type {
#define AG_OP_ENUM(id, name) AG_OP_##id,
    AG_OPS(AG_OP_ENUM)
#undef AG_OP_ENUM
        AG_OP_COUNT
} ag_op_type;

const char *ag_op_name(ag_op_type type); /* "create_table", ... */

/* A column of the current catalog converted by an enum rebuild. */
typedef struct ag_enum_use {
    const ag_table *table;        /* in `from` */
    const ag_column *col;         /* in `from` */
    bool array;                   /* the column is an array of the enum */
    bool had_default;             /* DROP DEFAULT first */
    const ag_expr *reset_default; /* SET DEFAULT afterwards, or NULL */
} ag_enum_use;

/*
 * One operation.  `from_obj` / `to_obj` point into the two catalogs (NULL
 * where the object is absent on that side); for column ops they are the
 * table and `from_col` / `to_col` the column.  The fields after `note` are
 * used by the op types named in their comments only.
 */
typedef struct ag_op {
    ag_op_type type;
    int prio;                     /* base order class (src/diff/diff_int.h) */
    uint32_t hazards;             /* AG_HAZARD_* bits */
    const char *why[AG_NHAZARDS]; /* per set bit: this op's reason */
    ag_kind kind;      /* kind of the object acted on (TABLE for columns) */
    ag_qname name;     /* its name; for constraints and indexes their own */
    const char *table; /* owning table (schema is name.schema), or NULL */
    const ag_object *from_obj, *to_obj;
    const ag_column *from_col, *to_col;
    const char *note; /* why the op exists when not obvious, or NULL */

    /* ADD_ENUM_VALUE: label, BEFORE/AFTER.  Domain check ops: the check's
     * name; attribute ops: the attribute's name (SET_COMMENT on a domain or
     * composite type too: the comment is the check's / attribute's). */
    const char *label, *anchor;
    bool before;
    const char *old_name;    /* REBUILD_ENUM, DROP_OLD_ENUM: renamed;
                                RENAME_ENUM_VALUE: the old value (label:
                                the new one) */
    const ag_enum_use *uses; /* REBUILD_ENUM */
    size_t nuses;
    bool using_cast;                   /* ALTER_COLUMN_TYPE: needs USING */
    const ag_constraint **inline_cons; /* CREATE_TABLE */
    size_t ninline;
    bool owner_none;         /* SET_SEQUENCE_OWNER: OWNED BY NONE */
    const char *comment;     /* SET_COMMENT: new text, NULL = IS NULL */
    const char *old_comment; /* SET_COMMENT: previous text */
    /* ATTACH/DETACH_PARTITION, ADD/DROP_INHERIT: the parent table (the op
     * itself is named after the child). */
    ag_qname parent;

    /* Sort key: (prio, name.schema, key, sub, step, kind, type, label). */
    const char *key, *sub;
    int step;
    uint32_t uid; /* creation number inside the differ */
} ag_op;

typedef struct ag_plan {
    ag_arena arena;
    ag_op *ops; /* in execution order */
    size_t nops, capops;
    const ag_catalog *from, *to; /* borrowed */
} ag_plan;

void ag_plan_init(ag_plan *plan, const ag_catalog *from, const ag_catalog *to);
void ag_plan_free(ag_plan *plan);
size_t ag_plan_count(const ag_plan *plan);
/* Union of the hazards of every op. */
uint32_t ag_plan_hazards(const ag_plan *plan);

#endif
