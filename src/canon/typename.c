/*
 * typename.c - a parser TypeName spelled the way format_type() prints it.
 *
 * The database side of a column type is format_type(atttypid, atttypmod)
 * read with an empty search_path; this file produces the same text from a
 * model's TypeName, so the differ compares types with strcmp.  It knows the
 * built-in types of pg_catalog (their internal names, the SQL-standard
 * names format_type prints, and how typmods are shown); any other name is a
 * user or extension type and gets schema-qualified.
 */
#include <stdio.h>
#include <string.h>

#include "autogen/ast.h"
#include "autogen/ident.h"

typedef enum typmod_style {
    TM_NONE,     /* no typmod shown */
    TM_PAREN,    /* name(n[,m]) */
    TM_TIME,     /* time(p) without time zone: precision before the suffix */
    TM_INTERVAL, /* interval fields and precision */
} typmod_style;

typedef struct builtin_type {
    const char *internal; /* pg_type.typname */
    const char *shown;    /* format_type spelling without typmod */
    const char *suffix;   /* printed after the typmod (time zones) */
    typmod_style style;
} builtin_type;

/* pg_catalog base types a model may name.  Names absent from this list are
 * treated as user types: add one here if PostgreSQL gains a base type. */
static const builtin_type builtins[] = {
    {"bool", "boolean", "", TM_NONE},
    {"bytea", "bytea", "", TM_NONE},
    {"char", "\"char\"", "", TM_NONE},
    {"name", "name", "", TM_NONE},
    {"int8", "bigint", "", TM_NONE},
    {"int2", "smallint", "", TM_NONE},
    {"int4", "integer", "", TM_NONE},
    {"text", "text", "", TM_NONE},
    {"oid", "oid", "", TM_NONE},
    {"tid", "tid", "", TM_NONE},
    {"xid", "xid", "", TM_NONE},
    {"xid8", "xid8", "", TM_NONE},
    {"cid", "cid", "", TM_NONE},
    {"json", "json", "", TM_NONE},
    {"xml", "xml", "", TM_NONE},
    {"point", "point", "", TM_NONE},
    {"lseg", "lseg", "", TM_NONE},
    {"path", "path", "", TM_NONE},
    {"box", "box", "", TM_NONE},
    {"polygon", "polygon", "", TM_NONE},
    {"line", "line", "", TM_NONE},
    {"float4", "real", "", TM_NONE},
    {"float8", "double precision", "", TM_NONE},
    {"circle", "circle", "", TM_NONE},
    {"money", "money", "", TM_NONE},
    {"macaddr", "macaddr", "", TM_NONE},
    {"macaddr8", "macaddr8", "", TM_NONE},
    {"inet", "inet", "", TM_NONE},
    {"cidr", "cidr", "", TM_NONE},
    {"bpchar", "character", "", TM_PAREN},
    {"varchar", "character varying", "", TM_PAREN},
    {"date", "date", "", TM_NONE},
    {"time", "time", " without time zone", TM_TIME},
    {"timestamp", "timestamp", " without time zone", TM_TIME},
    {"timestamptz", "timestamp", " with time zone", TM_TIME},
    {"timetz", "time", " with time zone", TM_TIME},
    {"interval", "interval", "", TM_INTERVAL},
    {"bit", "bit", "", TM_PAREN},
    {"varbit", "bit varying", "", TM_PAREN},
    {"numeric", "numeric", "", TM_PAREN},
    {"refcursor", "refcursor", "", TM_NONE},
    {"regproc", "regproc", "", TM_NONE},
    {"regprocedure", "regprocedure", "", TM_NONE},
    {"regoper", "regoper", "", TM_NONE},
    {"regoperator", "regoperator", "", TM_NONE},
    {"regclass", "regclass", "", TM_NONE},
    {"regcollation", "regcollation", "", TM_NONE},
    {"regtype", "regtype", "", TM_NONE},
    {"regrole", "regrole", "", TM_NONE},
    {"regnamespace", "regnamespace", "", TM_NONE},
    {"regconfig", "regconfig", "", TM_NONE},
    {"regdictionary", "regdictionary", "", TM_NONE},
    {"uuid", "uuid", "", TM_NONE},
    {"pg_lsn", "pg_lsn", "", TM_NONE},
    {"tsvector", "tsvector", "", TM_NONE},
    {"tsquery", "tsquery", "", TM_NONE},
    {"gtsvector", "gtsvector", "", TM_NONE},
    {"jsonb", "jsonb", "", TM_NONE},
    {"jsonpath", "jsonpath", "", TM_NONE},
    {"txid_snapshot", "txid_snapshot", "", TM_NONE},
    {"pg_snapshot", "pg_snapshot", "", TM_NONE},
    {"int4range", "int4range", "", TM_NONE},
    {"numrange", "numrange", "", TM_NONE},
    {"tsrange", "tsrange", "", TM_NONE},
    {"tstzrange", "tstzrange", "", TM_NONE},
    {"daterange", "daterange", "", TM_NONE},
    {"int8range", "int8range", "", TM_NONE},
    {"int4multirange", "int4multirange", "", TM_NONE},
    {"nummultirange", "nummultirange", "", TM_NONE},
    {"tsmultirange", "tsmultirange", "", TM_NONE},
    {"tstzmultirange", "tstzmultirange", "", TM_NONE},
    {"datemultirange", "datemultirange", "", TM_NONE},
    {"int8multirange", "int8multirange", "", TM_NONE},
    {"record", "record", "", TM_NONE},
    {"anyelement", "anyelement", "", TM_NONE},
};

/* Spellings a model may use that are not pg_type names. */
static const struct {
    const char *alias, *internal;
} aliases[] = {
    {"integer", "int4"},
    {"int", "int4"},
    {"smallint", "int2"},
    {"bigint", "int8"},
    {"boolean", "bool"},
    {"real", "float4"},
    {"decimal", "numeric"},
    {"character", "bpchar"},
    {"double precision", "float8"},
};

static const builtin_type *
find_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(name, aliases[i].alias) == 0)
            name = aliases[i].internal;
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(name, builtins[i].internal) == 0)
            return &builtins[i];
    return NULL;
}

/* interval typmod field masks, from PostgreSQL's datetime.h */
#define IV_MONTH (1 << 1)
#define IV_YEAR (1 << 2)
#define IV_DAY (1 << 3)
#define IV_HOUR (1 << 10)
#define IV_MINUTE (1 << 11)
#define IV_SECOND (1 << 12)
#define IV_FULL 0x7FFF

static const char *
interval_fields(long mask)
{
    static const struct {
        long mask;
        const char *text;
    } f[] = {
        {IV_YEAR, " year"},
        {IV_MONTH, " month"},
        {IV_DAY, " day"},
        {IV_HOUR, " hour"},
        {IV_MINUTE, " minute"},
        {IV_SECOND, " second"},
        {IV_YEAR | IV_MONTH, " year to month"},
        {IV_DAY | IV_HOUR, " day to hour"},
        {IV_DAY | IV_HOUR | IV_MINUTE, " day to minute"},
        {IV_DAY | IV_HOUR | IV_MINUTE | IV_SECOND, " day to second"},
        {IV_HOUR | IV_MINUTE, " hour to minute"},
        {IV_HOUR | IV_MINUTE | IV_SECOND, " hour to second"},
        {IV_MINUTE | IV_SECOND, " minute to second"},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].mask == mask)
            return f[i].text;
    return "";
}

static int
typmods(const PgQuery__TypeName *tn, long *v, size_t max, ag_error *err)
{
    if (tn->n_typmods > max)
        return ag_errorf(err, AG_EUNSUPPORTED, "too many type modifiers");
    for (size_t i = 0; i < tn->n_typmods; i++)
        if (!ag_ast_int(tn->typmods[i], &v[i]))
            return ag_errorf(err, AG_EUNSUPPORTED,
                             "type modifiers must be integer constants");
    return (int)tn->n_typmods;
}

static int
format_builtin(ag_buf *b, const builtin_type *bt, const PgQuery__TypeName *tn,
               ag_error *err)
{
    long v[2];
    int n = typmods(tn, v, 2, err);
    if (n < 0)
        return n;
    switch (bt->style) {
    case TM_NONE:
        if (n > 0)
            return ag_errorf(err, AG_EUNSUPPORTED,
                             "type %s does not take modifiers", bt->shown);
        ag_buf_put(b, bt->shown);
        break;
    case TM_PAREN:
        /* format_type shows a bare "bpchar" when char has no length. */
        if (n == 0 && strcmp(bt->internal, "bpchar") == 0)
            ag_buf_put(b, "bpchar");
        else
            ag_buf_put(b, bt->shown);
        if (n == 1 && strcmp(bt->internal, "numeric") == 0)
            ag_buf_printf(b, "(%ld,0)", v[0]);
        else if (n == 1)
            ag_buf_printf(b, "(%ld)", v[0]);
        else if (n == 2)
            ag_buf_printf(b, "(%ld,%ld)", v[0], v[1]);
        break;
    case TM_TIME:
        ag_buf_put(b, bt->shown);
        if (n >= 1)
            ag_buf_printf(b, "(%ld)", v[0]);
        ag_buf_put(b, bt->suffix);
        break;
    case TM_INTERVAL:
        ag_buf_put(b, "interval");
        if (n >= 1) {
            /* The grammar gives (fields mask[, precision]); a bare
             * interval(p) arrives as (full range, p). */
            if (v[0] != IV_FULL)
                ag_buf_put(b, interval_fields(v[0]));
            if (n == 2)
                ag_buf_printf(b, "(%ld)", v[1]);
        }
        break;
    }
    return 0;
}

int
ag_ast_type_canon(ag_arena *out, const PgQuery__TypeName *tn,
                  const char *default_schema, const char **type, int *serial,
                  ag_error *err)
{
    const char *schema, *name;
    *serial = 0;
    if (tn->setof || tn->pct_type)
        return ag_errorf(err, AG_EUNSUPPORTED,
                         "SETOF and %%TYPE are not column types");
    if (ag_ast_qname(tn->names, tn->n_names, &schema, &name) < 0)
        return ag_errorf(err, AG_EUNSUPPORTED, "malformed type name");

    ag_buf b;
    ag_buf_init(&b);
    const builtin_type *bt = NULL;
    if (!schema || strcmp(schema, "pg_catalog") == 0)
        bt = find_builtin(name);
    if (!schema && tn->n_array_bounds == 0) {
        if (strcmp(name, "serial") == 0 || strcmp(name, "serial4") == 0)
            *serial = 4;
        else if (strcmp(name, "bigserial") == 0 || strcmp(name, "serial8") == 0)
            *serial = 8;
        else if (strcmp(name, "smallserial") == 0 ||
                 strcmp(name, "serial2") == 0)
            *serial = 2;
        if (*serial) {
            *type = *serial == 8   ? "bigint"
                    : *serial == 4 ? "integer"
                                   : "smallint";
            ag_buf_free(&b);
            return 0;
        }
    }
    int rc = 0;
    if (bt) {
        rc = format_builtin(&b, bt, tn, err);
    } else {
        /* A user or extension type: schema-qualified, quoted as needed,
         * typmods shown in parentheses as the type's typmodout would. */
        ag_quote_ident(&b, schema ? schema : default_schema);
        ag_buf_putc(&b, '.');
        ag_quote_ident(&b, name);
        long v[4];
        int n = typmods(tn, v, 4, err);
        if (n < 0)
            rc = n;
        for (int i = 0; i < n; i++)
            ag_buf_printf(&b, "%s%ld", i ? "," : "(", v[i]);
        if (n > 0)
            ag_buf_putc(&b, ')');
    }
    /* format_type prints one [] whatever the number of dimensions. */
    if (rc == 0 && tn->n_array_bounds > 0)
        ag_buf_put(&b, "[]");
    if (rc == 0)
        *type = ag_arena_strdup(out, b.data);
    ag_buf_free(&b);
    return rc;
}
