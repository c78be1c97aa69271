/*
 * load_rename.c - ALTER TABLE ... RENAME CONSTRAINT inside the models.
 *
 * A model states the desired schema, so a rename between two model states
 * is a `-- autogen:renamed from=` directive (directives.c).  But schema
 * files written as scripts sometimes create a constraint under its implicit
 * name and rename it right away (PostgREST's spec schema: `REFERENCES
 * clients` then `RENAME CONSTRAINT projects_client_id_fkey TO client`).
 * With `rename_in_models = apply` in autogen.ini that is read as a
 * declaration: the constraint's name is the new one.  The rename is
 * applied to the model's own constraint once every constraint is named;
 * renaming something the models do not declare is an error, as is any
 * other ALTER ... RENAME, and, without the setting, this one too (the
 * contract: an ALTER that renames cannot be a declaration).
 */
#include <string.h>

#include "loader_int.h"

void
ld_rename(ag_loader *ld, ld_pos pos, PgQuery__RenameStmt *s)
{
    if (ld->opts.rename_in_models &&
        s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT &&
        s->relation && s->subname && *s->subname && s->newname && *s->newname) {
        ld_defer(ld, PEND_RENAME, pos, NULL, NULL, s, 0);
        return;
    }
    ld_error(ld, pos,
             "ALTER ... RENAME cannot be part of a model: models declare the "
             "desired state (use -- autogen:renamed from=... for renames)");
}

void
ld_resolve_rename(ag_loader *ld, const ld_pending *p)
{
    const PgQuery__RenameStmt *s = p->node;
    const char *schema;
    ag_table *tbl = ld_find_table(ld, &p->path, s->relation->schemaname,
                                  s->relation->relname, &schema);
    if (!tbl) {
        ld_error(ld, p->pos,
                 "RENAME CONSTRAINT on table %s, which the models do not "
                 "declare",
                 s->relation->relname);
        return;
    }
    ag_constraint *con = ag_catalog_find_constraint(
        ld->cat, schema, tbl->obj.name.name, s->subname);
    if (!con) {
        ld_error(ld, p->pos,
                 "RENAME CONSTRAINT %s: table %s.%s has no constraint of "
                 "that name in the models (a rename between model versions "
                 "is written -- autogen:renamed from=...)",
                 s->subname, schema, tbl->obj.name.name);
        return;
    }
    if (ag_catalog_rename(ld->cat, &con->obj, s->newname) != 0)
        ld_error(ld, p->pos,
                 "RENAME CONSTRAINT %s TO %s: table %s.%s already has a "
                 "constraint named %s",
                 s->subname, s->newname, schema, tbl->obj.name.name,
                 s->newname);
}
