/*
 * load_unmanaged.c - statements of kinds autogen leaves to the user:
 * rules, foreign data wrappers, servers, user mappings, foreign tables and
 * tables made from a query (CREATE TABLE AS, SELECT INTO).
 *
 * Without a word from the user they are errors naming file:line, so
 * nothing is dropped from a diff silently.  Listed under [unmanaged] kinds
 * in autogen.ini they are skipped with a warning; the introspector never
 * reads these kinds, so both sides leave them out alike.
 */
#include "loader_int.h"

#include <string.h>

#include "autogen/config.h"

/* The AG_UNMANAGED_* bit of a statement, 0 for a statement of another
 * kind. */
static unsigned
kind_of(const ag_node *n)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_RULE_STMT:
        return AG_UNMANAGED_RULE;
    case PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT:
        return AG_UNMANAGED_FOREIGN_TABLE;
    case PG_QUERY__NODE__NODE_CREATE_FOREIGN_SERVER_STMT:
    case PG_QUERY__NODE__NODE_ALTER_FOREIGN_SERVER_STMT:
        return AG_UNMANAGED_SERVER;
    case PG_QUERY__NODE__NODE_CREATE_FDW_STMT:
    case PG_QUERY__NODE__NODE_ALTER_FDW_STMT:
        return AG_UNMANAGED_FDW;
    case PG_QUERY__NODE__NODE_CREATE_USER_MAPPING_STMT:
    case PG_QUERY__NODE__NODE_ALTER_USER_MAPPING_STMT:
        return AG_UNMANAGED_USER_MAPPING;
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
        if (n->comment_stmt->objtype ==
            PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE)
            return AG_UNMANAGED_FOREIGN_TABLE;
        if (n->comment_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_RULE)
            return AG_UNMANAGED_RULE;
        if (n->comment_stmt->objtype ==
            PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_SERVER)
            return AG_UNMANAGED_SERVER;
        return 0;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        return n->alter_table_stmt->objtype ==
                       PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE
                   ? AG_UNMANAGED_FOREIGN_TABLE
                   : 0;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
        /* CREATE MATERIALIZED VIEW is the same node: not ours. */
        return n->create_table_as_stmt->objtype ==
                       PG_QUERY__OBJECT_TYPE__OBJECT_TABLE
                   ? AG_UNMANAGED_TABLE_AS
                   : 0;
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        return n->select_stmt->into_clause ? AG_UNMANAGED_TABLE_AS : 0;
    default:
        return 0;
    }
}

bool
ld_unmanaged(ag_loader *ld, ld_pos pos, ag_node *n)
{
    unsigned bit = kind_of(n);
    if (!bit)
        return false;
    const char *stmt = ag_unmanaged_stmt(bit), *word = ag_unmanaged_word(bit);
    if (ld->opts.unmanaged & bit)
        ld_warn(ld, pos,
                "%s is not managed (listed under [unmanaged] in "
                "autogen.ini): left out of the diff",
                stmt);
    else if (bit == AG_UNMANAGED_TABLE_AS &&
             n->node_case == PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT)
        return false; /* managed: its columns from the dev database */
    else if (bit == AG_UNMANAGED_TABLE_AS)
        ld_error(ld, pos,
                 "%s cannot be a declaration: the table's columns come from "
                 "a query; declare the table with CREATE TABLE, or list %s "
                 "under [unmanaged] kinds in autogen.ini to leave it out of "
                 "the diff",
                 stmt, word);
    else
        ld_error(ld, pos,
                 "%s is not managed by autogen; list %s under [unmanaged] "
                 "kinds in autogen.ini to leave it out of the diff",
                 stmt, word);
    return true;
}

/* ---- [exclude] objects ---- */

static bool
rv_name(const PgQuery__RangeVar *rv, const char **schema, const char **name)
{
    if (!rv)
        return false;
    *schema = rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
    *name = rv->relname;
    return true;
}

static bool
list_name(ag_node *const *items, size_t n, const char **schema,
          const char **name)
{
    return n && ag_ast_qname(items, n, schema, name) == 0;
}

/* The object a statement creates or alters (for indexes, triggers, rules
 * and comments: their table). */
static bool
target_of(const ag_node *n, const char **schema, const char **name)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT:
        return rv_name(n->create_stmt->relation, schema, name);
    case PG_QUERY__NODE__NODE_VIEW_STMT:
        return rv_name(n->view_stmt->view, schema, name);
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
        return n->create_table_as_stmt->into &&
               rv_name(n->create_table_as_stmt->into->rel, schema, name);
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        return rv_name(n->alter_table_stmt->relation, schema, name);
    case PG_QUERY__NODE__NODE_INDEX_STMT:
        return rv_name(n->index_stmt->relation, schema, name);
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
        return rv_name(n->create_trig_stmt->relation, schema, name);
    case PG_QUERY__NODE__NODE_RULE_STMT:
        return rv_name(n->rule_stmt->relation, schema, name);
    case PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT:
        return n->create_foreign_table_stmt->base_stmt &&
               rv_name(n->create_foreign_table_stmt->base_stmt->relation,
                       schema, name);
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
        return list_name(n->create_function_stmt->funcname,
                         n->create_function_stmt->n_funcname, schema, name);
    case PG_QUERY__NODE__NODE_DEFINE_STMT:
        return list_name(n->define_stmt->defnames, n->define_stmt->n_defnames,
                         schema, name);
    case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
        return list_name(n->create_domain_stmt->domainname,
                         n->create_domain_stmt->n_domainname, schema, name);
    case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
        return list_name(n->create_enum_stmt->type_name,
                         n->create_enum_stmt->n_type_name, schema, name);
    case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
        return rv_name(n->composite_type_stmt->typevar, schema, name);
    case PG_QUERY__NODE__NODE_COMMENT_STMT: {
        const ag_node *o = n->comment_stmt->object;
        if (!o || o->node_case != PG_QUERY__NODE__NODE_LIST)
            return false;
        size_t k = o->list->n_items;
        /* COMMENT ON COLUMN s.t.c names the table in its first parts */
        if (n->comment_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN)
            k--;
        return list_name(o->list->items, k, schema, name);
    }
    default:
        return false;
    }
}

bool
ld_excluded(ag_loader *ld, ld_pos pos, ag_node *n)
{
    const char *schema, *name;
    if (!ld->opts.nexclude || !target_of(n, &schema, &name))
        return false;
    if (!schema)
        schema = ld_creation_schema(ld, &ld->path, NULL);
    for (size_t i = 0; schema && i < ld->opts.nexclude; i++) {
        const char *x = ld->opts.exclude[i];
        size_t sl = strlen(schema);
        if (strncmp(x, schema, sl) == 0 && x[sl] == '.' &&
            strcmp(x + sl + 1, name) == 0) {
            ld_warn(ld, pos,
                    "%s is listed under [exclude] objects in autogen.ini: "
                    "statement left out of the diff",
                    x);
            return true;
        }
    }
    return false;
}
