/*
 * load_misc.c - schemas, extensions, enum types, sequences and comments.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader_int.h"

static void
set_loc(ag_object *o, ld_pos pos)
{
    o->loc = ld_srcloc(pos);
}

void
ld_create_schema(ag_loader *ld, ld_pos pos, PgQuery__CreateSchemaStmt *s)
{
    if (s->n_schema_elts) {
        ld_error(ld, pos,
                 "CREATE SCHEMA with nested statements is not "
                 "supported; declare the objects separately");
        return;
    }
    ag_schema *sc =
        ag_catalog_add(ld->cat, AG_KIND_SCHEMA, "", s->schemaname, sizeof *sc);
    if (!sc) {
        /* public always exists; IF NOT EXISTS says the author expects it.
         * A plain CREATE SCHEMA public re-creates it: no template comment. */
        if (!s->if_not_exists && strcmp(s->schemaname, "public") != 0)
            ld_error(ld, pos, "schema %s is declared twice", s->schemaname);
        else if (!s->if_not_exists)
            ag_catalog_find(ld->cat, AG_KIND_SCHEMA, "", "public")->comment =
                NULL;
        return;
    }
    set_loc(&sc->obj, pos);
}

void
ld_create_extension(ag_loader *ld, ld_pos pos, PgQuery__CreateExtensionStmt *s)
{
    /* plpgsql is installed in every database from template1; neither side
     * of a diff manages it (the introspector leaves it out too). */
    if (strcmp(s->extname, "plpgsql") == 0)
        return;
    ag_extension *ext =
        ag_catalog_add(ld->cat, AG_KIND_EXTENSION, "", s->extname, sizeof *ext);
    if (!ext) {
        if (!s->if_not_exists)
            ld_error(ld, pos, "extension %s is declared twice", s->extname);
        return;
    }
    set_loc(&ext->obj, pos);
    for (size_t i = 0; i < s->n_options; i++) {
        PgQuery__DefElem *d = s->options[i]->def_elem;
        if (strcmp(d->defname, "schema") == 0 && ag_ast_str(d->arg))
            ext->schema = ag_arena_strdup(&ld->cat->arena, ag_ast_str(d->arg));
    }
    /* Without WITH SCHEMA it goes to the first schema of search_path
     * (unless the extension fixes its own schema, which we cannot know:
     * the differ only compares a schema that both sides state). */
}

void
ld_create_enum(ag_loader *ld, ld_pos pos, PgQuery__CreateEnumStmt *s)
{
    const char *schema, *name;
    if (ag_ast_qname(s->type_name, s->n_type_name, &schema, &name) < 0) {
        ld_error(ld, pos, "malformed type name");
        return;
    }
    schema = ld_creation_schema(ld, &ld->path, schema);
    ag_enum *e = ag_catalog_add(ld->cat, AG_KIND_ENUM, schema, name, sizeof *e);
    if (!e) {
        ld_error(ld, pos, "type %s.%s is declared twice", schema, name);
        return;
    }
    set_loc(&e->obj, pos);
    e->labels =
        ag_arena_alloc(&ld->cat->arena, (s->n_vals + 1) * sizeof(const char *));
    for (size_t i = 0; i < s->n_vals; i++) {
        const char *v = ag_ast_str(s->vals[i]);
        for (size_t j = 0; j < e->nlabels; j++)
            if (strcmp(e->labels[j], v) == 0)
                ld_error(ld, pos, "enum label \"%s\" used more than once", v);
        e->labels[e->nlabels++] = ag_arena_strdup(&ld->cat->arena, v);
    }
}

/* ---- sequences ---- */

static bool
def_int(const PgQuery__DefElem *d, int64_t *out)
{
    const ag_node *a = d->arg;
    if (!a)
        return false;
    if (a->node_case == PG_QUERY__NODE__NODE_INTEGER) {
        *out = a->integer->ival;
        return true;
    }
    if (a->node_case == PG_QUERY__NODE__NODE_FLOAT) {
        /* Values beyond int32 arrive as Float text. */
        errno = 0;
        char *end;
        long long v = strtoll(a->float_->fval, &end, 10);
        if (errno || *end)
            return false;
        *out = v;
        return true;
    }
    return false;
}

void
ld_seq_defaults(ag_sequence *seq, bool have_min, bool have_max, bool have_start)
{
    int64_t tmax = strcmp(seq->type, "smallint") == 0  ? INT16_MAX
                   : strcmp(seq->type, "integer") == 0 ? INT32_MAX
                                                       : INT64_MAX;
    int64_t tmin = -tmax - 1;
    if (!seq->increment)
        seq->increment = 1;
    if (!have_min)
        seq->min = seq->increment > 0 ? 1 : tmin;
    if (!have_max)
        seq->max = seq->increment > 0 ? tmax : -1;
    if (!have_start)
        seq->start = seq->increment > 0 ? seq->min : seq->max;
    if (!seq->cache)
        seq->cache = 1;
}

/* Apply sequence options; returns how many were understood (-1 on error).
 * *owned receives the OWNED BY name list, if any. */
int
ld_seq_options(ag_loader *ld, ld_pos pos, ag_sequence *seq, ag_node **opts,
               size_t nopts, PgQuery__List **owned)
{
    bool have_min = false, have_max = false, have_start = false;
    for (size_t i = 0; i < nopts; i++) {
        PgQuery__DefElem *d = opts[i]->def_elem;
        const char *k = d->defname;
        int64_t v;
        if (strcmp(k, "as") == 0) {
            int serial;
            ag_error err;
            if (ag_ast_type_canon(&ld->cat->arena, d->arg->type_name, "public",
                                  &seq->type, &serial, &err) != 0) {
                ld_error(ld, pos, "%s", err.msg);
                return -1;
            }
        } else if (strcmp(k, "increment") == 0 && def_int(d, &v)) {
            seq->increment = v;
        } else if (strcmp(k, "minvalue") == 0) {
            have_min = d->arg != NULL;
            if (have_min && !def_int(d, &seq->min))
                have_min = false;
        } else if (strcmp(k, "maxvalue") == 0) {
            have_max = d->arg != NULL;
            if (have_max && !def_int(d, &seq->max))
                have_max = false;
        } else if (strcmp(k, "start") == 0 && def_int(d, &v)) {
            seq->start = v;
            have_start = true;
        } else if (strcmp(k, "cache") == 0 && def_int(d, &v)) {
            seq->cache = v;
        } else if (strcmp(k, "cycle") == 0) {
            seq->cycle =
                d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN
                    ? d->arg->boolean->boolval
                    : true;
        } else if (strcmp(k, "owned_by") == 0) {
            if (owned)
                *owned = d->arg->list;
        } else if (strcmp(k, "sequence_name") == 0) {
            /* identity's SEQUENCE NAME: not compared (PostgreSQL picks
             * table_column_seq, and nothing refers to it by name) */
        } else if (strcmp(k, "restart") == 0) {
            /* a position, not a declaration: ignored */
        } else {
            ld_error(ld, pos, "unsupported sequence option %s", k);
            return -1;
        }
    }
    ld_seq_defaults(seq, have_min, have_max, have_start);
    return 0;
}

void
ld_set_identity(ag_loader *ld, ld_pos pos, ag_column *col, char kind,
                ag_node **opts, size_t nopts)
{
    /* The identity's sequence takes the column's type unless AS says
     * otherwise; its options default as for any sequence of that type. */
    ag_sequence seq;
    memset(&seq, 0, sizeof seq);
    seq.type = col->type;
    ld_seq_options(ld, pos, &seq, opts, nopts, NULL);
    col->identity = kind;
    col->notnull = true;
    col->ident = (ag_seqopts){seq.start, seq.increment, seq.min,
                              seq.max,   seq.cache,     seq.cycle};
}

void
ld_create_sequence(ag_loader *ld, ld_pos pos, PgQuery__CreateSeqStmt *s)
{
    const char *schema =
        ld_creation_schema(ld, &ld->path, s->sequence->schemaname);
    ag_sequence *seq = ag_catalog_add(ld->cat, AG_KIND_SEQUENCE, schema,
                                      s->sequence->relname, sizeof *seq);
    if (!seq) {
        if (!s->if_not_exists)
            ld_error(ld, pos, "sequence %s.%s is declared twice", schema,
                     s->sequence->relname);
        return;
    }
    set_loc(&seq->obj, pos);
    seq->type = "bigint";
    PgQuery__List *owned = NULL;
    ld_seq_options(ld, pos, seq, s->options, s->n_options, &owned);
    if (owned) {
        /* OWNED BY inside CREATE SEQUENCE: resolve with the rest. */
        ld_defer(ld, PEND_OWNED_BY, pos, NULL, NULL, owned, 0);
        ld->pend[ld->npend - 1].obj = &seq->obj;
    }
}

void
ld_alter_sequence(ag_loader *ld, ld_pos pos, PgQuery__AlterSeqStmt *s)
{
    ld_defer(ld, PEND_OWNED_BY, pos, NULL, NULL, s, 1);
}

void
ld_comment(ag_loader *ld, ld_pos pos, PgQuery__CommentStmt *s)
{
    ld_defer(ld, PEND_COMMENT, pos, NULL, NULL, s, 0);
}
