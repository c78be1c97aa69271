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
    if (ld->unmanaged & bit)
        ld_warn(ld, pos,
                "%s is not managed (listed under [unmanaged] in "
                "autogen.ini): left out of the diff",
                stmt);
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
