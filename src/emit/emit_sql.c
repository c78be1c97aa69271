/*
 * emit_sql.c - the SQL statements of each op.
 *
 * One function per group of op types, dispatched on the type.  Layout
 * follows pg_dump where it has one (CREATE TABLE and CREATE SEQUENCE one
 * clause per line, indented four spaces), everything is schema-qualified,
 * names are quoted by ident.c, and expressions and definitions are the
 * `sql` texts from the catalog, copied verbatim.
 */
#include "emit_int.h"

#include <inttypes.h>
#include <string.h>

#include "autogen/ident.h"

/* ---- small pieces ---- */

static void
end_stmt(ag_buf *out)
{
    ag_buf_put(out, ";\n");
}

/* The table an op is about: its own name, or the owning table. */
static void
put_table(ag_buf *out, const ag_op *op)
{
    ag_quote_qname(out, op->name.schema, op->table ? op->table : op->name.name);
}

static const char *
col_name(const ag_op *op)
{
    return op->to_col ? op->to_col->name : op->from_col->name;
}

static void
alter_table(ag_buf *out, const ag_op *op)
{
    /* A view's column defaults are the one ALTER COLUMN a view takes. */
    ag_buf_put(out, op->kind == AG_KIND_VIEW ? "ALTER VIEW " : "ALTER TABLE ");
    put_table(out, op);
    ag_buf_putc(out, ' ');
}

static void
alter_column(ag_buf *out, const ag_op *op, const char *col)
{
    alter_table(out, op);
    ag_buf_put(out, "ALTER COLUMN ");
    ag_quote_ident(out, col);
    ag_buf_putc(out, ' ');
}

static const char *
identity_words(char identity)
{
    return identity == 'a' ? "ALWAYS" : "BY DEFAULT";
}

/* The identity options that differ from the defaults for the column's
 * type (empty when none), e.g. " (START WITH 100 INCREMENT BY 10)". */
static void
identity_options(ag_buf *out, const ag_column *col, bool all)
{
    /* A zero increment means the options were never filled in (a catalog
     * built by hand): nothing to say beyond the defaults. */
    if (col->ident.increment == 0)
        return;
    int64_t tmax = strcmp(col->type, "smallint") == 0  ? INT16_MAX
                   : strcmp(col->type, "integer") == 0 ? INT32_MAX
                                                       : INT64_MAX;
    bool asc = col->ident.increment > 0;
    int64_t dmin = asc ? 1 : -tmax - 1, dmax = asc ? tmax : -1;
    int64_t dstart = asc ? col->ident.min : col->ident.max;
    const char *sep = all ? " SET " : " (";
    size_t before = out->len;
#define OPT(cond, ...)                                                         \
    do {                                                                       \
        if (all || (cond)) {                                                   \
            ag_buf_put(out, out->len == before ? sep : (all ? " SET " : " ")); \
            ag_buf_printf(out, __VA_ARGS__);                                   \
        }                                                                      \
    } while (0)
    OPT(col->ident.start != dstart, "START WITH %lld",
        (long long)col->ident.start);
    OPT(col->ident.increment != 1, "INCREMENT BY %lld",
        (long long)col->ident.increment);
    OPT(col->ident.min != dmin, "MINVALUE %lld", (long long)col->ident.min);
    OPT(col->ident.max != dmax, "MAXVALUE %lld", (long long)col->ident.max);
    OPT(col->ident.cache != 1, "CACHE %lld", (long long)col->ident.cache);
    if (all || col->ident.cycle) {
        ag_buf_put(out, out->len == before ? sep : (all ? " SET " : " "));
        ag_buf_put(out, col->ident.cycle ? "CYCLE" : "NO CYCLE");
    }
#undef OPT
    if (!all && out->len != before)
        ag_buf_putc(out, ')');
}

/* A collation as a reviewer expects to read it: pg_catalog is always
 * searched first, so "C" needs no pg_catalog. in front. */
static const char *
collation_name(const char *collation)
{
    static const char prefix[] = "pg_catalog.";
    return strncmp(collation, prefix, sizeof prefix - 1) == 0
               ? collation + sizeof prefix - 1
               : collation;
}

/* "name type COLLATE c DEFAULT d NOT NULL", as in CREATE TABLE. */
static void
column_def(ag_buf *out, const ag_column *col)
{
    ag_quote_ident(out, col->name);
    ag_buf_printf(out, " %s", col->type);
    if (col->collation)
        ag_buf_printf(out, " COLLATE %s", collation_name(col->collation));
    if (col->generated)
        ag_buf_printf(out, " GENERATED ALWAYS AS (%s) STORED",
                      col->generated->sql);
    if (col->default_expr)
        ag_buf_printf(out, " DEFAULT %s", col->default_expr->sql);
    if (col->identity) {
        ag_buf_printf(out, " GENERATED %s AS IDENTITY",
                      identity_words(col->identity));
        identity_options(out, col, false);
    }
    if (col->notnull)
        ag_buf_put(out, " NOT NULL");
}

/* A whole statement from the catalog, without any trailing semicolon. */
static void
put_statement(ag_buf *out, const char *sql)
{
    size_t n = strlen(sql);
    while (n && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n' ||
                 sql[n - 1] == '\t'))
        n--;
    ag_buf_putn(out, sql, n);
}

/* ---- schemas, extensions, enums ---- */

static void
enum_labels(ag_buf *out, const ag_enum *e)
{
    ag_buf_put(out, " AS ENUM (\n");
    for (size_t i = 0; i < e->nlabels; i++) {
        ag_buf_put(out, "    ");
        ag_quote_literal(out, e->labels[i]);
        ag_buf_put(out, i + 1 < e->nlabels ? ",\n" : "\n");
    }
    ag_buf_putc(out, ')');
}

static void
emit_rebuild(ag_buf *out, const ag_op *op)
{
    const ag_enum *e = (const ag_enum *)op->to_obj;
    ag_buf typename;
    ag_buf_init(&typename);
    ag_quote_qname(&typename, op->name.schema, op->name.name);
    ag_buf_put(out, "-- ");
    ag_emit_comment_text(out, typename.data);
    ag_buf_put(out, ": labels removed or reordered, which ALTER TYPE cannot "
                    "do.\n"
                    "-- Rebuilt by rename and swap: the old type is renamed, "
                    "the new one created,\n"
                    "-- the columns converted through text; the old type is "
                    "dropped at the end.\n");
    ag_buf_printf(out, "ALTER TYPE %s RENAME TO ", typename.data);
    ag_quote_ident(out, op->old_name);
    end_stmt(out);
    ag_buf_printf(out, "\nCREATE TYPE %s", typename.data);
    enum_labels(out, e);
    end_stmt(out);
    for (size_t i = 0; i < op->nuses; i++) {
        const ag_enum_use *u = &op->uses[i];
        ag_buf tbl;
        ag_buf_init(&tbl);
        ag_quote_qname(&tbl, u->table->obj.name.schema,
                       u->table->obj.name.name);
        ag_buf_put(&tbl, " ALTER COLUMN ");
        ag_quote_ident(&tbl, u->col->name);
        const char *arr = u->array ? "[]" : "";
        if (u->had_default)
            ag_buf_printf(out, "\nALTER TABLE %s DROP DEFAULT;\n", tbl.data);
        ag_buf_printf(out, "\nALTER TABLE %s TYPE %s%s USING ", tbl.data,
                      typename.data, arr);
        ag_quote_ident(out, u->col->name);
        ag_buf_printf(out, "::text%s::%s%s;\n", arr, typename.data, arr);
        if (u->reset_default)
            ag_buf_printf(out, "\nALTER TABLE %s SET DEFAULT %s;\n", tbl.data,
                          u->reset_default->sql);
        ag_buf_free(&tbl);
    }
    ag_buf_free(&typename);
}

static void
emit_type_op(ag_buf *out, const ag_op *op)
{
    switch (op->type) {
    case AG_OP_CREATE_SCHEMA:
    case AG_OP_DROP_SCHEMA:
        ag_buf_put(out, op->type == AG_OP_CREATE_SCHEMA ? "CREATE SCHEMA "
                                                        : "DROP SCHEMA ");
        ag_quote_ident(out, op->name.name);
        break;
    case AG_OP_CREATE_EXTENSION: {
        const ag_extension *x = (const ag_extension *)op->to_obj;
        ag_buf_put(out, "CREATE EXTENSION IF NOT EXISTS ");
        ag_quote_ident(out, op->name.name);
        if (x->schema) {
            ag_buf_put(out, " WITH SCHEMA ");
            ag_quote_ident(out, x->schema);
        }
        break;
    }
    case AG_OP_ALTER_EXTENSION_SCHEMA:
        ag_buf_put(out, "ALTER EXTENSION ");
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, " SET SCHEMA ");
        ag_quote_ident(out, ((const ag_extension *)op->to_obj)->schema);
        break;
    case AG_OP_DROP_EXTENSION:
        ag_buf_put(out, "DROP EXTENSION ");
        ag_quote_ident(out, op->name.name);
        break;
    case AG_OP_CREATE_ENUM:
        ag_buf_put(out, "CREATE TYPE ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        enum_labels(out, (const ag_enum *)op->to_obj);
        break;
    case AG_OP_ADD_ENUM_VALUE:
        ag_buf_put(out, "ALTER TYPE ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        ag_buf_put(out, " ADD VALUE ");
        ag_quote_literal(out, op->label);
        if (op->anchor) {
            ag_buf_put(out, op->before ? " BEFORE " : " AFTER ");
            ag_quote_literal(out, op->anchor);
        }
        break;
    case AG_OP_DROP_ENUM:
    case AG_OP_DROP_OLD_ENUM:
        ag_buf_put(out, "DROP TYPE ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        break;
    default:
        return;
    }
    end_stmt(out);
}

/* ", coalesce(max(col) + 1, 1), false) FROM table": the rest of a
 * setval() that makes a sequence continue after a column's values. */
static void
sync_to_max(ag_buf *out, const char *schema, const char *table, const char *col)
{
    ag_buf_put(out, ", coalesce(max(");
    ag_quote_ident(out, col);
    ag_buf_put(out, ") + 1, 1), false) FROM ");
    ag_quote_qname(out, schema, table);
}

/* ---- sequences ---- */

static void
type_limits(const char *type, int64_t *min, int64_t *max)
{
    if (type && strcmp(type, "smallint") == 0) {
        *min = INT16_MIN;
        *max = INT16_MAX;
    } else if (type && strcmp(type, "integer") == 0) {
        *min = INT32_MIN;
        *max = INT32_MAX;
    } else {
        *min = INT64_MIN;
        *max = INT64_MAX;
    }
}

/* MINVALUE/MAXVALUE, or NO MINVALUE/NO MAXVALUE where the value is the
 * default for the type and direction (pg_dump does the same). */
static void
seq_bound(ag_buf *out, const ag_sequence *s, bool is_max, const char *sep)
{
    int64_t tmin, tmax;
    type_limits(s->type, &tmin, &tmax);
    int64_t dflt =
        is_max ? (s->increment > 0 ? tmax : -1) : (s->increment > 0 ? 1 : tmin);
    int64_t v = is_max ? s->max : s->min;
    if (v == dflt)
        ag_buf_printf(out, "%sNO %s", sep, is_max ? "MAXVALUE" : "MINVALUE");
    else
        ag_buf_printf(out, "%s%s %" PRId64, sep,
                      is_max ? "MAXVALUE" : "MINVALUE", v);
}

static void
emit_sequence_op(ag_buf *out, const ag_op *op)
{
    const ag_sequence *a = (const ag_sequence *)op->from_obj;
    const ag_sequence *b = (const ag_sequence *)op->to_obj;
    switch (op->type) {
    case AG_OP_CREATE_SEQUENCE:
        ag_buf_put(out, "CREATE SEQUENCE ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        if (b->type)
            ag_buf_printf(out, "\n    AS %s", b->type);
        ag_buf_printf(out, "\n    START WITH %" PRId64, b->start);
        ag_buf_printf(out, "\n    INCREMENT BY %" PRId64, b->increment);
        seq_bound(out, b, false, "\n    ");
        seq_bound(out, b, true, "\n    ");
        ag_buf_printf(out, "\n    CACHE %" PRId64, b->cache);
        if (b->cycle)
            ag_buf_put(out, "\n    CYCLE");
        if (op->to_col) {
            /* It takes over from an identity: continue after its values. */
            end_stmt(out);
            ag_buf_put(out, "\nSELECT setval(");
            ag_buf qn;
            ag_buf_init(&qn);
            ag_quote_qname(&qn, op->name.schema, op->name.name);
            ag_quote_literal(out, qn.data);
            ag_buf_free(&qn);
            sync_to_max(out, b->owned_by.schema, b->owned_by.name,
                        op->to_col->name);
        }
        break;
    case AG_OP_ALTER_SEQUENCE:
        ag_buf_put(out, "ALTER SEQUENCE ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        if (strcmp(a->type ? a->type : "bigint",
                   b->type ? b->type : "bigint") != 0)
            ag_buf_printf(out, " AS %s", b->type ? b->type : "bigint");
        if (a->start != b->start)
            ag_buf_printf(out, " START WITH %" PRId64, b->start);
        if (a->increment != b->increment)
            ag_buf_printf(out, " INCREMENT BY %" PRId64, b->increment);
        if (a->min != b->min || a->increment != b->increment)
            seq_bound(out, b, false, " ");
        if (a->max != b->max || a->increment != b->increment)
            seq_bound(out, b, true, " ");
        if (a->cache != b->cache)
            ag_buf_printf(out, " CACHE %" PRId64, b->cache);
        if (a->cycle != b->cycle)
            ag_buf_put(out, b->cycle ? " CYCLE" : " NO CYCLE");
        break;
    case AG_OP_SET_SEQUENCE_OWNER:
        ag_buf_put(out, "ALTER SEQUENCE ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        ag_buf_put(out, " OWNED BY ");
        if (op->owner_none) {
            ag_buf_put(out, "NONE");
        } else {
            ag_quote_qname(out, b->owned_by.schema, b->owned_by.name);
            ag_buf_putc(out, '.');
            ag_quote_ident(out, b->owned_col);
        }
        break;
    case AG_OP_DROP_SEQUENCE:
        ag_buf_put(out, "DROP SEQUENCE ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        break;
    default:
        return;
    }
    end_stmt(out);
}

/* ---- tables and columns ---- */

static void
emit_create_table(ag_buf *out, const ag_op *op)
{
    const ag_table *t = (const ag_table *)op->to_obj;
    /* CREATE TABLE AS before the dev database gave it columns: its own
     * statement, read with the search_path it was written under. */
    if (t->as_sql) {
        ag_buf_printf(out, "SET search_path = %s;\n\n%s", t->as_search_path,
                      t->as_sql);
        end_stmt(out);
        return;
    }
    ag_buf_put(out, t->persistence == 'u' ? "CREATE UNLOGGED TABLE "
                                          : "CREATE TABLE ");
    ag_quote_qname(out, op->name.schema, op->name.name);
    /* A partition takes its columns from its parent (emit_parts.c). */
    if (em_partition_head(out, t) && op->ninline == 0) {
        em_table_tail(out, t);
        end_stmt(out);
        return;
    }
    ag_buf_put(out, " (\n");
    size_t n = t->ncols + op->ninline;
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        /* Inherited columns come with the parent; a partition has none. */
        if (i < t->ncols && (t->cols[i].inherited || t->parent.name))
            continue;
        ag_buf_put(out, first ? "    " : ",\n    ");
        first = false;
        if (i < t->ncols) {
            column_def(out, &t->cols[i]);
        } else {
            const ag_constraint *k = op->inline_cons[i - t->ncols];
            ag_buf_put(out, "CONSTRAINT ");
            ag_quote_ident(out, k->obj.name.name);
            ag_buf_printf(out, " %s", k->def.sql);
        }
    }
    ag_buf_put(out, first ? ")" : "\n)");
    em_table_tail(out, t);
    end_stmt(out);
}

static void
emit_alter_type(ag_buf *out, const ag_op *op)
{
    const ag_column *a = op->from_col, *b = op->to_col;
    alter_column(out, op, b->name);
    ag_buf_printf(out, "TYPE %s", b->type);
    if (b->collation)
        ag_buf_printf(out, " COLLATE %s", collation_name(b->collation));
    else if (a->collation)
        ag_buf_put(out, " COLLATE \"default\"");
    if (op->using_cast) {
        ag_buf_put(out, " USING ");
        ag_quote_ident(out, b->name);
        ag_buf_printf(out, "::%s", b->type);
    }
    end_stmt(out);
}

static void
emit_column_op(ag_buf *out, const ag_op *op)
{
    switch (op->type) {
    case AG_OP_CREATE_TABLE:
        emit_create_table(out, op);
        return;
    case AG_OP_SET_PERSISTENCE:
        alter_table(out, op);
        ag_buf_put(out, ((const ag_table *)op->to_obj)->persistence == 'u'
                            ? "SET UNLOGGED"
                            : "SET LOGGED");
        break;
    case AG_OP_DROP_TABLE:
        ag_buf_put(out, "DROP TABLE ");
        put_table(out, op);
        break;
    case AG_OP_ADD_COLUMN:
        alter_table(out, op);
        ag_buf_put(out, "ADD COLUMN ");
        column_def(out, op->to_col);
        break;
    case AG_OP_DROP_COLUMN:
        alter_table(out, op);
        ag_buf_put(out, "DROP COLUMN ");
        ag_quote_ident(out, op->from_col->name);
        break;
    case AG_OP_RENAME_COLUMN:
        alter_table(out, op);
        ag_buf_put(out, "RENAME COLUMN ");
        ag_quote_ident(out, op->from_col->name);
        ag_buf_put(out, " TO ");
        ag_quote_ident(out, op->to_col->name);
        break;
    case AG_OP_ALTER_COLUMN_TYPE:
        emit_alter_type(out, op);
        return;
    case AG_OP_SET_NOT_NULL:
    case AG_OP_DROP_NOT_NULL:
        alter_column(out, op, col_name(op));
        ag_buf_put(out, op->type == AG_OP_SET_NOT_NULL ? "SET NOT NULL"
                                                       : "DROP NOT NULL");
        break;
    case AG_OP_SET_DEFAULT:
        alter_column(out, op, col_name(op));
        ag_buf_printf(out, "SET DEFAULT %s", op->to_col->default_expr->sql);
        break;
    case AG_OP_DROP_DEFAULT:
        alter_column(out, op, col_name(op));
        ag_buf_put(out, "DROP DEFAULT");
        break;
    case AG_OP_ADD_IDENTITY: {
        alter_column(out, op, col_name(op));
        ag_buf_printf(out, "ADD GENERATED %s AS IDENTITY",
                      identity_words(op->to_col->identity));
        identity_options(out, op->to_col, false);
        /* The new sequence starts at 1; existing rows may hold more. */
        end_stmt(out);
        ag_buf qn;
        ag_buf_init(&qn);
        put_table(&qn, op);
        ag_buf_put(out, "\nSELECT setval(pg_get_serial_sequence(");
        ag_quote_literal(out, qn.data);
        ag_buf_put(out, ", ");
        ag_quote_literal(out, op->to_col->name);
        ag_buf_putc(out, ')');
        sync_to_max(out, op->name.schema, op->name.name, op->to_col->name);
        ag_buf_free(&qn);
        break;
    }
    case AG_OP_SET_IDENTITY:
        alter_column(out, op, col_name(op));
        ag_buf_printf(out, "SET GENERATED %s",
                      identity_words(op->to_col->identity));
        break;
    case AG_OP_DROP_IDENTITY:
        alter_column(out, op, col_name(op));
        ag_buf_put(out, "DROP IDENTITY");
        break;
    case AG_OP_SET_IDENTITY_OPTIONS:
        alter_column(out, op, col_name(op));
        /* alter_column ends with a space; the option list starts with one */
        if (out->len && out->data[out->len - 1] == ' ')
            out->data[--out->len] = '\0';
        identity_options(out, op->to_col, true);
        break;
    case AG_OP_DROP_EXPRESSION:
        alter_column(out, op, col_name(op));
        ag_buf_put(out, "DROP EXPRESSION");
        break;
    default:
        return;
    }
    end_stmt(out);
}

/* ---- constraints, indexes, comments ---- */

static void
comment_target(ag_buf *out, const ag_op *op)
{
    const ag_column *col = op->to_col ? op->to_col : op->from_col;
    switch (op->kind) {
    case AG_KIND_TABLE:
        ag_buf_put(out, col ? "COLUMN " : "TABLE ");
        put_table(out, op);
        if (col) {
            ag_buf_putc(out, '.');
            ag_quote_ident(out, col->name);
        }
        return;
    case AG_KIND_CONSTRAINT:
        ag_buf_put(out, "CONSTRAINT ");
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, " ON ");
        put_table(out, op);
        return;
    case AG_KIND_FUNCTION: {
        const ag_function *f =
            (const ag_function *)(op->to_obj ? op->to_obj : op->from_obj);
        ag_buf_put(out, f->is_procedure ? "PROCEDURE " : "FUNCTION ");
        em_function_signature(out, f);
        return;
    }
    case AG_KIND_TRIGGER:
        ag_buf_put(out, "TRIGGER ");
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, " ON ");
        put_table(out, op);
        return;
    case AG_KIND_VIEW:
        em_view_comment_target(out, op);
        return;
    case AG_KIND_POLICY:
        ag_buf_put(out, "POLICY ");
        ag_quote_ident(out, op->name.name);
        ag_buf_put(out, " ON ");
        put_table(out, op);
        return;
    case AG_KIND_DOMAIN:
    case AG_KIND_COMPOSITE:
        if (!op->label)
            break;
        /* a domain check's or a composite attribute's comment */
        if (op->kind == AG_KIND_DOMAIN) {
            ag_buf_put(out, "CONSTRAINT ");
            ag_quote_ident(out, op->label);
            ag_buf_put(out, " ON DOMAIN ");
            ag_quote_qname(out, op->name.schema, op->name.name);
        } else {
            ag_buf_put(out, "COLUMN ");
            ag_quote_qname(out, op->name.schema, op->name.name);
            ag_buf_putc(out, '.');
            ag_quote_ident(out, op->label);
        }
        return;
    case AG_KIND_SCHEMA:
    case AG_KIND_EXTENSION:
    case AG_KIND_EVENT_TRIGGER:
    case AG_KIND_PUBLICATION:
        ag_buf_printf(out, "%s ", ag_kind_sql(op->kind));
        ag_quote_ident(out, op->name.name);
        return;
    default:
        break;
    }
    ag_buf_printf(out, "%s ", ag_kind_sql(op->kind));
    ag_quote_qname(out, op->name.schema, op->name.name);
}

static void
emit_object_op(ag_buf *out, const ag_op *op)
{
    switch (op->type) {
    case AG_OP_ADD_CONSTRAINT: {
        const ag_constraint *k = (const ag_constraint *)op->to_obj;
        alter_table(out, op);
        ag_buf_put(out, "ADD CONSTRAINT ");
        ag_quote_ident(out, op->name.name);
        ag_buf_printf(out, " %s", k->def.sql);
        break;
    }
    case AG_OP_DROP_CONSTRAINT:
        alter_table(out, op);
        ag_buf_put(out, "DROP CONSTRAINT ");
        ag_quote_ident(out, op->name.name);
        break;
    case AG_OP_CREATE_INDEX:
        put_statement(out, ((const ag_index *)op->to_obj)->def.sql);
        break;
    case AG_OP_DROP_INDEX:
        ag_buf_put(out, "DROP INDEX ");
        ag_quote_qname(out, op->name.schema, op->name.name);
        break;
    case AG_OP_SET_COMMENT:
        ag_buf_put(out, "COMMENT ON ");
        comment_target(out, op);
        ag_buf_put(out, " IS ");
        ag_quote_literal(out, op->comment);
        break;
    default:
        return;
    }
    end_stmt(out);
}

void
ag_emit_op_sql(const ag_op *op, ag_buf *out)
{
    switch (op->type) {
    case AG_OP_REBUILD_ENUM:
        emit_rebuild(out, op);
        break;
    case AG_OP_CREATE_SCHEMA:
    case AG_OP_DROP_SCHEMA:
    case AG_OP_CREATE_EXTENSION:
    case AG_OP_ALTER_EXTENSION_SCHEMA:
    case AG_OP_DROP_EXTENSION:
    case AG_OP_CREATE_ENUM:
    case AG_OP_ADD_ENUM_VALUE:
    case AG_OP_DROP_ENUM:
    case AG_OP_DROP_OLD_ENUM:
        emit_type_op(out, op);
        break;
    case AG_OP_CREATE_SEQUENCE:
    case AG_OP_ALTER_SEQUENCE:
    case AG_OP_SET_SEQUENCE_OWNER:
    case AG_OP_DROP_SEQUENCE:
        emit_sequence_op(out, op);
        break;
    case AG_OP_ADD_CONSTRAINT:
    case AG_OP_DROP_CONSTRAINT:
    case AG_OP_CREATE_INDEX:
    case AG_OP_DROP_INDEX:
    case AG_OP_SET_COMMENT:
        emit_object_op(out, op);
        break;
    case AG_OP_CREATE_DOMAIN:
    case AG_OP_ALTER_DOMAIN_DEFAULT:
    case AG_OP_ALTER_DOMAIN_NOT_NULL:
    case AG_OP_ADD_DOMAIN_CHECK:
    case AG_OP_DROP_DOMAIN_CHECK:
    case AG_OP_DROP_DOMAIN:
    case AG_OP_CREATE_COMPOSITE:
    case AG_OP_ADD_ATTRIBUTE:
    case AG_OP_DROP_ATTRIBUTE:
    case AG_OP_ALTER_ATTRIBUTE_TYPE:
    case AG_OP_DROP_COMPOSITE:
        em_type_sql(op, out);
        break;
    case AG_OP_CREATE_FUNCTION:
    case AG_OP_REPLACE_FUNCTION:
    case AG_OP_DROP_FUNCTION:
    case AG_OP_CREATE_TRIGGER:
    case AG_OP_REPLACE_TRIGGER:
    case AG_OP_DROP_TRIGGER:
        em_routine_sql(op, out);
        break;
    case AG_OP_RENAME_TABLE:
    case AG_OP_RENAME_INDEX:
    case AG_OP_RENAME_CONSTRAINT:
    case AG_OP_RENAME_TYPE:
    case AG_OP_RENAME_ENUM_VALUE:
        em_rename_sql(op, out);
        break;
    case AG_OP_CREATE_VIEW:
    case AG_OP_REPLACE_VIEW:
    case AG_OP_DROP_VIEW:
        em_view_sql(op, out);
        break;
    case AG_OP_CREATE_AGGREGATE:
    case AG_OP_REPLACE_AGGREGATE:
    case AG_OP_DROP_AGGREGATE:
    case AG_OP_CREATE_OPERATOR:
    case AG_OP_DROP_OPERATOR:
    case AG_OP_CREATE_CAST:
    case AG_OP_DROP_CAST:
        em_def_sql(op, out);
        break;
    case AG_OP_ATTACH_PARTITION:
    case AG_OP_DETACH_PARTITION:
    case AG_OP_ADD_INHERIT:
    case AG_OP_DROP_INHERIT:
        em_parts_sql(op, out);
        break;
    case AG_OP_SET_RLS:
    case AG_OP_SET_RLS_FORCE:
    case AG_OP_SET_TRIGGER_ENABLED:
    case AG_OP_CREATE_POLICY:
    case AG_OP_ALTER_POLICY:
    case AG_OP_DROP_POLICY:
    case AG_OP_CREATE_EVENT_TRIGGER:
    case AG_OP_SET_EVENT_TRIGGER_ENABLED:
    case AG_OP_DROP_EVENT_TRIGGER:
    case AG_OP_CREATE_PUBLICATION:
    case AG_OP_ALTER_PUBLICATION:
    case AG_OP_DROP_PUBLICATION:
        em_security_sql(op, out);
        break;
    default:
        emit_column_op(out, op);
        break;
    }
}
