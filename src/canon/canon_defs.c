/*
 * canon_defs.c - aggregates, operators and casts as one canonical CREATE
 * statement each (see canon_defs.h).
 *
 * The options of CREATE AGGREGATE / CREATE OPERATOR are read into fixed
 * slots and written back in one order, with PostgreSQL's defaults left
 * out, so `PARALLEL = unsafe` and no PARALLEL at all are the same text, as
 * they are the same catalog row.  Names come out schema-qualified and
 * quoted by fmtId rules; types are spelled as function signatures spell
 * them (format_type, no typmods).
 */
#include "autogen/canon_defs.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "autogen/canon_routines.h"
#include "autogen/ident.h"

typedef enum { V_FUNC, V_TYPE, V_STR, V_INT, V_WORD, V_FLAG, V_OPER } vkind;

typedef struct opt {
    const char *key; /* lower case, as the parser gives it */
    const char *out; /* as written back */
    vkind v;
    const char *dflt; /* value left out (words, ints), or NULL */
} opt;

static const opt agg_opts[] = {
    {"sfunc", "SFUNC", V_FUNC, NULL},
    {"stype", "STYPE", V_TYPE, NULL},
    {"sspace", "SSPACE", V_INT, "0"},
    {"finalfunc", "FINALFUNC", V_FUNC, NULL},
    {"finalfunc_extra", "FINALFUNC_EXTRA", V_FLAG, NULL},
    {"finalfunc_modify", "FINALFUNC_MODIFY", V_WORD, "READ_ONLY"},
    {"combinefunc", "COMBINEFUNC", V_FUNC, NULL},
    {"serialfunc", "SERIALFUNC", V_FUNC, NULL},
    {"deserialfunc", "DESERIALFUNC", V_FUNC, NULL},
    {"initcond", "INITCOND", V_STR, NULL},
    {"msfunc", "MSFUNC", V_FUNC, NULL},
    {"minvfunc", "MINVFUNC", V_FUNC, NULL},
    {"mstype", "MSTYPE", V_TYPE, NULL},
    {"msspace", "MSSPACE", V_INT, "0"},
    {"mfinalfunc", "MFINALFUNC", V_FUNC, NULL},
    {"mfinalfunc_extra", "MFINALFUNC_EXTRA", V_FLAG, NULL},
    {"mfinalfunc_modify", "MFINALFUNC_MODIFY", V_WORD, "READ_ONLY"},
    {"minitcond", "MINITCOND", V_STR, NULL},
    {"sortop", "SORTOP", V_OPER, NULL},
    {"parallel", "PARALLEL", V_WORD, "UNSAFE"},
};

static const opt oper_opts[] = {
    {"function", "FUNCTION", V_FUNC, NULL},
    {"leftarg", "LEFTARG", V_TYPE, NULL},
    {"rightarg", "RIGHTARG", V_TYPE, NULL},
    {"commutator", "COMMUTATOR", V_OPER, NULL},
    {"negator", "NEGATOR", V_OPER, NULL},
    {"restrict", "RESTRICT", V_FUNC, NULL},
    {"join", "JOIN", V_FUNC, NULL},
    {"hashes", "HASHES", V_FLAG, NULL},
    {"merges", "MERGES", V_FLAG, NULL},
};

#define MAXOPTS 24

typedef struct dstate {
    ag_catalog *cat;
    const char *schema; /* default schema */
    ag_def_resolver resolve;
    void *ctx;
    ag_def *d;
    ag_qname funcs[MAXOPTS + 1];
    size_t nfuncs;
    ag_qname types[MAXOPTS + 8];
    size_t ntypes;
    ag_error *err;
} dstate;

/* Name parts of an option value written as a name: a TypeName (the
 * grammar's func_type), a List (qual_all_Op) or a String. */
static int
value_names(ag_node *arg, const char **schema, const char **name)
{
    if (!arg)
        return -1;
    switch (arg->node_case) {
    case PG_QUERY__NODE__NODE_TYPE_NAME:
        return ag_ast_qname(arg->type_name->names, arg->type_name->n_names,
                            schema, name);
    case PG_QUERY__NODE__NODE_LIST:
        return ag_ast_qname(arg->list->items, arg->list->n_items, schema, name);
    case PG_QUERY__NODE__NODE_STRING:
        *schema = NULL;
        *name = arg->string->sval;
        return 0;
    default:
        return -1;
    }
}

/* Remember a user type named by a canonical type text: "public.t[]",
 * "v2.\"text/special\"".  Built-in types have no schema in that text. */
static void
note_type(dstate *st, const char *canon)
{
    ag_buf b;
    ag_buf_init(&b);
    const char *p = canon;
    const char *parts[2] = {NULL, NULL};
    int n = 0;
    while (n < 2) {
        ag_buf_reset(&b);
        if (*p == '"') {
            for (p++; *p; p++) {
                if (*p == '"' && p[1] == '"')
                    ag_buf_putc(&b, *p++);
                else if (*p == '"')
                    break;
                else
                    ag_buf_putc(&b, *p);
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != '.' && *p != '[' && *p != '(' && *p != ' ')
                ag_buf_putc(&b, *p++);
        }
        parts[n++] = ag_arena_strdup(&st->cat->arena, b.data ? b.data : "");
        if (*p != '.')
            break;
        p++;
    }
    ag_buf_free(&b);
    if (n == 2 && strcmp(parts[0], "pg_catalog") != 0 &&
        st->ntypes < sizeof st->types / sizeof st->types[0])
        st->types[st->ntypes++] = (ag_qname){parts[0], parts[1]};
}

static int
put_type(dstate *st, ag_buf *out, PgQuery__TypeName *tn)
{
    const char *t;
    int rc =
        ag_canon_signature_type(&st->cat->arena, tn, st->schema, &t, st->err);
    if (rc)
        return rc;
    note_type(st, t);
    ag_buf_put(out, t);
    return 0;
}

/* A function name, qualified: unqualified ones resolve on the model side
 * (the model's function along the search_path) or are built-ins. */
static int
put_func(dstate *st, ag_buf *out, const char *schema, const char *name)
{
    if (!schema)
        schema = st->resolve ? st->resolve(st->ctx, false, name) : NULL;
    if (!schema)
        schema = "pg_catalog";
    ag_quote_qname(out, schema, name);
    if (strcmp(schema, "pg_catalog") != 0 && st->nfuncs < MAXOPTS)
        st->funcs[st->nfuncs++] =
            (ag_qname){ag_arena_strdup(&st->cat->arena, schema),
                       ag_arena_strdup(&st->cat->arena, name)};
    return 0;
}

static void
put_oper(dstate *st, ag_buf *out, const char *schema, const char *name)
{
    if (!schema)
        schema = st->resolve ? st->resolve(st->ctx, true, name) : NULL;
    ag_buf_put(out, "OPERATOR(");
    ag_quote_ident(out, schema ? schema : "pg_catalog");
    ag_buf_printf(out, ".%s)", name);
}

/* One option's value, canonical, appended to out. */
static int
put_value(dstate *st, ag_buf *out, const opt *o, PgQuery__DefElem *de)
{
    const char *schema, *name;
    ag_node *arg = de->arg;
    switch (o->v) {
    case V_FLAG:
        return 0;
    case V_TYPE:
        if (!arg || arg->node_case != PG_QUERY__NODE__NODE_TYPE_NAME)
            break;
        return put_type(st, out, arg->type_name);
    case V_FUNC:
        if (value_names(arg, &schema, &name) != 0)
            break;
        return put_func(st, out, schema, name);
    case V_OPER:
        if (value_names(arg, &schema, &name) != 0)
            break;
        put_oper(st, out, schema, name);
        return 0;
    case V_STR:
        if (arg && arg->node_case == PG_QUERY__NODE__NODE_STRING) {
            ag_quote_literal(out, arg->string->sval);
            return 0;
        }
        if (arg && arg->node_case == PG_QUERY__NODE__NODE_INTEGER) {
            ag_buf_printf(out, "'%d'", arg->integer->ival);
            return 0;
        }
        if (arg && arg->node_case == PG_QUERY__NODE__NODE_FLOAT) {
            ag_buf_printf(out, "'%s'", arg->float_->fval);
            return 0;
        }
        break;
    case V_INT:
        if (arg && arg->node_case == PG_QUERY__NODE__NODE_INTEGER) {
            ag_buf_printf(out, "%d", arg->integer->ival);
            return 0;
        }
        break;
    case V_WORD:
        if (value_names(arg, &schema, &name) != 0 || schema)
            break;
        for (const char *p = name; *p; p++)
            ag_buf_putc(out, (char)toupper((unsigned char)*p));
        return 0;
    }
    return ag_errorf(st->err, AG_EPARSE, "option %s has an unexpected value",
                     o->out);
}

/* Is the option's value its default (then it is left out)? */
static bool
is_default(const opt *o, PgQuery__DefElem *de)
{
    if (o->v == V_FLAG) {
        /* FINALFUNC_EXTRA = false and the like */
        const char *s, *n;
        return de->arg && value_names(de->arg, &s, &n) == 0 && !s &&
               (strcmp(n, "false") == 0 || strcmp(n, "off") == 0);
    }
    if (!o->dflt)
        return false;
    if (o->v == V_INT)
        return de->arg && de->arg->node_case == PG_QUERY__NODE__NODE_INTEGER &&
               de->arg->integer->ival == 0;
    const char *s, *n;
    return value_names(de->arg, &s, &n) == 0 && !s &&
           strcasecmp(n, o->dflt) == 0;
}

/* Write "(KEY = value, ...)" for the options in table order. */
static int
put_options(dstate *st, ag_buf *out, const opt *opts, size_t nopts,
            PgQuery__DefElem **des, size_t nde)
{
    const char *sep = " (";
    for (size_t k = 0; k < nopts; k++) {
        PgQuery__DefElem *de = NULL;
        for (size_t i = 0; i < nde; i++)
            if (strcmp(des[i]->defname, opts[k].key) == 0)
                de = des[i];
        if (!de || is_default(&opts[k], de))
            continue;
        ag_buf_printf(out, "%s%s", sep, opts[k].out);
        if (opts[k].v != V_FLAG)
            ag_buf_put(out, " = ");
        int rc = put_value(st, out, &opts[k], de);
        if (rc)
            return rc;
        sep = ", ";
    }
    ag_buf_put(out, *sep == ',' ? ")" : " ()");
    return 0;
}

static PgQuery__DefElem *
find_opt(PgQuery__DefElem **des, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(des[i]->defname, key) == 0)
            return des[i];
    return NULL;
}

/* The DefElems of a definition list; unknown keys are errors. */
static int
collect_opts(dstate *st, ag_node **defs, size_t ndefs, const opt *opts,
             size_t nopts, const char *what, PgQuery__DefElem **des,
             size_t *nde)
{
    *nde = 0;
    for (size_t i = 0; i < ndefs && *nde < MAXOPTS; i++) {
        if (defs[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
            continue;
        PgQuery__DefElem *de = defs[i]->def_elem;
        bool known = false;
        for (size_t k = 0; k < nopts; k++)
            known |= strcmp(de->defname, opts[k].key) == 0;
        if (!known)
            return ag_errorf(st->err, AG_EUNSUPPORTED,
                             "%s option %s is not managed by autogen", what,
                             de->defname);
        des[(*nde)++] = de;
    }
    return 0;
}

static void
finish_def(dstate *st, const char *schema, const char *name, ag_buf *sql,
           const char *target)
{
    ag_def *d = st->d;
    ag_arena *a = &st->cat->arena;
    d->obj.name.schema = ag_arena_strdup(a, schema);
    d->obj.name.name = ag_arena_strdup(a, name);
    d->sql = ag_arena_strdup(a, sql->data);
    d->target = ag_arena_strdup(a, target);
    d->nfuncs = st->nfuncs;
    d->funcs = ag_arena_alloc(a, (st->nfuncs + 1) * sizeof *d->funcs);
    memcpy(d->funcs, st->funcs, st->nfuncs * sizeof *d->funcs);
    d->ntypes = st->ntypes;
    d->types = ag_arena_alloc(a, (st->ntypes + 1) * sizeof *d->types);
    memcpy(d->types, st->types, st->ntypes * sizeof *d->types);
}

/* ---- CREATE AGGREGATE ---- */

static int
aggregate(dstate *st, PgQuery__DefineStmt *s)
{
    const char *schema, *name;
    if (ag_ast_qname(s->defnames, s->n_defnames, &schema, &name) != 0)
        return ag_errorf(st->err, AG_EPARSE, "malformed aggregate name");
    if (!schema)
        schema = st->schema;
    PgQuery__DefElem *des[MAXOPTS];
    size_t nde;
    /* The old syntax names its argument type as BASETYPE. */
    static const opt basetype = {"basetype", "BASETYPE", V_TYPE, NULL};
    opt opts[sizeof agg_opts / sizeof *agg_opts + 1];
    memcpy(opts, agg_opts, sizeof agg_opts);
    opts[sizeof agg_opts / sizeof *agg_opts] = basetype;
    for (size_t i = 0; i < s->n_definition; i++)
        if (s->definition[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
            strcmp(s->definition[i]->def_elem->defname, "hypothetical") == 0)
            return ag_errorf(st->err, AG_EUNSUPPORTED,
                             "hypothetical-set aggregates are not managed by "
                             "autogen yet");
    int rc =
        collect_opts(st, s->definition, s->n_definition, opts,
                     sizeof opts / sizeof *opts, "CREATE AGGREGATE", des, &nde);
    if (rc)
        return rc;

    ag_buf args, sql, tgt;
    ag_buf_init(&args);
    ag_buf_init(&sql);
    ag_buf_init(&tgt);
    if (s->oldstyle) {
        PgQuery__DefElem *bt = find_opt(des, nde, "basetype");
        const char *bs, *bn;
        if (!bt || (value_names(bt->arg, &bs, &bn) == 0 && !bs &&
                    strcasecmp(bn, "any") == 0))
            ag_buf_putc(&args, '*');
        else if (bt->arg->node_case == PG_QUERY__NODE__NODE_TYPE_NAME)
            rc = put_type(st, &args, bt->arg->type_name);
        else
            rc = ag_errorf(st->err, AG_EPARSE, "malformed BASETYPE");
    } else {
        ag_node *list = s->n_args ? s->args[0] : NULL;
        /* The second item is the number of direct arguments: -1 for a
         * plain aggregate, 0 or more for an ordered-set one. */
        if (s->n_args > 1 &&
            s->args[1]->node_case == PG_QUERY__NODE__NODE_INTEGER &&
            s->args[1]->integer->ival != -1)
            rc = ag_errorf(st->err, AG_EUNSUPPORTED,
                           "ordered-set aggregates are not managed by autogen "
                           "yet");
        size_t n = list && list->node_case == PG_QUERY__NODE__NODE_LIST
                       ? list->list->n_items
                       : 0;
        if (n == 0)
            ag_buf_putc(&args, '*');
        for (size_t i = 0; rc == 0 && i < n; i++) {
            ag_node *p = list->list->items[i];
            if (p->node_case != PG_QUERY__NODE__NODE_FUNCTION_PARAMETER) {
                rc = ag_errorf(st->err, AG_EPARSE, "malformed argument");
                break;
            }
            PgQuery__FunctionParameter *fp = p->function_parameter;
            if (i)
                ag_buf_put(&args, ", ");
            if (fp->mode ==
                PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_VARIADIC)
                ag_buf_put(&args, "VARIADIC ");
            else if (fp->mode !=
                         PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_IN &&
                     fp->mode !=
                         PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_DEFAULT)
                rc = ag_errorf(st->err, AG_EPARSE,
                               "aggregate arguments are input arguments");
            if (rc == 0)
                rc = put_type(st, &args, fp->arg_type);
        }
    }
    if (rc == 0) {
        ag_buf_put(&sql, "CREATE AGGREGATE ");
        ag_quote_qname(&sql, schema, name);
        ag_buf_printf(&sql, "(%s)", args.data);
        rc = put_options(st, &sql, agg_opts, sizeof agg_opts / sizeof *agg_opts,
                         des, nde);
    }
    if (rc == 0 &&
        (!find_opt(des, nde, "sfunc") || !find_opt(des, nde, "stype")))
        rc = ag_errorf(st->err, AG_EPARSE,
                       "CREATE AGGREGATE needs SFUNC and STYPE");
    if (rc == 0) {
        /* The result type is STYPE's, or FINALFUNC's: while both stay,
         * CREATE OR REPLACE AGGREGATE can apply any other change. */
        ag_buf key;
        ag_buf_init(&key);
        const char *p = strstr(sql.data, " STYPE = ");
        const char *f = strstr(sql.data, " FINALFUNC = ");
        ag_buf_printf(&key, "%.*s|%.*s", p ? (int)strcspn(p, ",)") : 0,
                      p ? p : "", f ? (int)strcspn(f, ",)") : 0, f ? f : "");
        st->d->replace_key = ag_arena_strdup(&st->cat->arena, key.data);
        ag_buf_free(&key);
        ag_buf_put(&tgt, "AGGREGATE ");
        ag_quote_qname(&tgt, schema, name);
        ag_buf_printf(&tgt, "(%s)", args.data);
        const char *key_name =
            ag_arena_sprintf(&st->cat->arena, "%s(%s)", name, args.data);
        finish_def(st, schema, key_name, &sql, tgt.data);
    }
    ag_buf_free(&args);
    ag_buf_free(&sql);
    ag_buf_free(&tgt);
    return rc;
}

/* ---- CREATE OPERATOR ---- */

static int
operator(dstate *st, PgQuery__DefineStmt *s)
{
    const char *schema, *name;
    if (ag_ast_qname(s->defnames, s->n_defnames, &schema, &name) != 0)
        return ag_errorf(st->err, AG_EPARSE, "malformed operator name");
    if (!schema)
        schema = st->schema;
    PgQuery__DefElem *des[MAXOPTS];
    size_t nde;
    static const opt legacy[] = {
        {"procedure", "FUNCTION", V_FUNC, NULL},
        {"sort1", "MERGES", V_FLAG, NULL},
        {"sort2", "MERGES", V_FLAG, NULL},
        {"ltcmp", "MERGES", V_FLAG, NULL},
        {"gtcmp", "MERGES", V_FLAG, NULL},
    };
    opt opts[sizeof oper_opts / sizeof *oper_opts + 5];
    memcpy(opts, oper_opts, sizeof oper_opts);
    memcpy(opts + sizeof oper_opts / sizeof *oper_opts, legacy, sizeof legacy);
    int rc =
        collect_opts(st, s->definition, s->n_definition, opts,
                     sizeof opts / sizeof *opts, "CREATE OPERATOR", des, &nde);
    if (rc)
        return rc;
    /* PROCEDURE is the old spelling of FUNCTION; SORT1 and friends of
     * MERGES: rename them so the table below finds them. */
    for (size_t i = 0; i < nde; i++) {
        if (strcmp(des[i]->defname, "procedure") == 0)
            des[i]->defname = "function";
        else if (strcmp(des[i]->defname, "sort1") == 0 ||
                 strcmp(des[i]->defname, "sort2") == 0 ||
                 strcmp(des[i]->defname, "ltcmp") == 0 ||
                 strcmp(des[i]->defname, "gtcmp") == 0) {
            des[i]->defname = "merges";
            des[i]->arg = NULL;
        }
    }
    if (!find_opt(des, nde, "function"))
        return ag_errorf(st->err, AG_EPARSE, "CREATE OPERATOR needs FUNCTION");
    ag_buf sig, sql, tgt;
    ag_buf_init(&sig);
    ag_buf_init(&sql);
    ag_buf_init(&tgt);
    const char *sides[] = {"leftarg", "rightarg"};
    for (int k = 0; rc == 0 && k < 2; k++) {
        PgQuery__DefElem *de = find_opt(des, nde, sides[k]);
        if (k)
            ag_buf_put(&sig, ", ");
        if (!de)
            ag_buf_put(&sig, "NONE");
        else if (de->arg &&
                 de->arg->node_case == PG_QUERY__NODE__NODE_TYPE_NAME)
            rc = put_type(st, &sig, de->arg->type_name);
        else
            rc = ag_errorf(st->err, AG_EPARSE, "malformed %s", sides[k]);
    }
    if (rc == 0) {
        ag_buf_put(&sql, "CREATE OPERATOR ");
        ag_quote_ident(&sql, schema);
        ag_buf_printf(&sql, ".%s", name);
        st->ntypes = 0; /* noted again below */
        rc = put_options(st, &sql, oper_opts,
                         sizeof oper_opts / sizeof *oper_opts, des, nde);
    }
    if (rc == 0) {
        ag_buf_put(&tgt, "OPERATOR ");
        ag_quote_ident(&tgt, schema);
        ag_buf_printf(&tgt, ".%s(%s)", name, sig.data);
        const char *key_name =
            ag_arena_sprintf(&st->cat->arena, "%s(%s)", name, sig.data);
        finish_def(st, schema, key_name, &sql, tgt.data);
    }
    ag_buf_free(&sig);
    ag_buf_free(&sql);
    ag_buf_free(&tgt);
    return rc;
}

/* ---- CREATE CAST ---- */

static int
cast(dstate *st, PgQuery__CreateCastStmt *s)
{
    ag_buf id, sql;
    ag_buf_init(&id);
    ag_buf_init(&sql);
    ag_buf_putc(&id, '(');
    int rc = put_type(st, &id, s->sourcetype);
    if (rc == 0) {
        ag_buf_put(&id, " AS ");
        rc = put_type(st, &id, s->targettype);
    }
    ag_buf_putc(&id, ')');
    ag_buf_printf(&sql, "CREATE CAST %s", id.data);
    if (rc == 0 && s->func) {
        const char *fs, *fn;
        PgQuery__ObjectWithArgs *f = s->func;
        if (ag_ast_qname(f->objname, f->n_objname, &fs, &fn) != 0)
            rc = ag_errorf(st->err, AG_EPARSE, "malformed function name");
        else if (f->args_unspecified)
            rc = ag_errorf(st->err, AG_EUNSUPPORTED,
                           "CREATE CAST: name the function's argument types "
                           "(WITH FUNCTION f(type))");
        if (rc == 0) {
            ag_buf_put(&sql, " WITH FUNCTION ");
            put_func(st, &sql, fs, fn);
            ag_buf_putc(&sql, '(');
            for (size_t i = 0; rc == 0 && i < f->n_objargs; i++) {
                if (i)
                    ag_buf_put(&sql, ", ");
                if (f->objargs[i]->node_case != PG_QUERY__NODE__NODE_TYPE_NAME)
                    rc = ag_errorf(st->err, AG_EPARSE, "malformed argument");
                else
                    rc = put_type(st, &sql, f->objargs[i]->type_name);
            }
            ag_buf_putc(&sql, ')');
        }
    } else if (s->inout) {
        ag_buf_put(&sql, " WITH INOUT");
    } else {
        ag_buf_put(&sql, " WITHOUT FUNCTION");
    }
    if (s->context == PG_QUERY__COERCION_CONTEXT__COERCION_IMPLICIT)
        ag_buf_put(&sql, " AS IMPLICIT");
    else if (s->context == PG_QUERY__COERCION_CONTEXT__COERCION_ASSIGNMENT)
        ag_buf_put(&sql, " AS ASSIGNMENT");
    if (rc == 0) {
        const char *tgt = ag_arena_sprintf(&st->cat->arena, "CAST %s", id.data);
        finish_def(st, "", id.data, &sql, tgt);
    }
    ag_buf_free(&id);
    ag_buf_free(&sql);
    return rc;
}

int
ag_canon_def_node(ag_catalog *cat, ag_node *stmt, const char *default_schema,
                  ag_def_resolver resolve, void *ctx, ag_def *d, ag_kind *kind,
                  ag_error *err)
{
    memset(d, 0, sizeof *d);
    dstate st = {.cat = cat,
                 .schema = default_schema,
                 .resolve = resolve,
                 .ctx = ctx,
                 .d = d,
                 .err = err};
    if (stmt->node_case == PG_QUERY__NODE__NODE_CREATE_CAST_STMT) {
        *kind = AG_KIND_CAST;
        return cast(&st, stmt->create_cast_stmt);
    }
    if (stmt->node_case != PG_QUERY__NODE__NODE_DEFINE_STMT)
        return ag_errorf(err, AG_EINVAL,
                         "not a CREATE AGGREGATE/OPERATOR/CAST");
    PgQuery__DefineStmt *s = stmt->define_stmt;
    if (s->kind == PG_QUERY__OBJECT_TYPE__OBJECT_AGGREGATE) {
        *kind = AG_KIND_AGGREGATE;
        return aggregate(&st, s);
    }
    if (s->kind == PG_QUERY__OBJECT_TYPE__OBJECT_OPERATOR) {
        *kind = AG_KIND_OPERATOR;
        return operator(&st, s);
    }
    return ag_errorf(err, AG_EUNSUPPORTED, "not managed by autogen yet");
}

ag_def *
ag_canon_def_add(ag_catalog *cat, ag_kind kind, const ag_def *d)
{
    ag_def *o = ag_catalog_add(cat, kind, d->obj.name.schema, d->obj.name.name,
                               sizeof *o);
    if (!o)
        return NULL;
    ag_object hdr = o->obj;
    *o = *d;
    o->obj.kind = hdr.kind;
    o->obj.id = hdr.id;
    o->obj.name = hdr.name;
    return o;
}

int
ag_canon_def_text(ag_catalog *cat, const char *sql, ag_def **out, ag_error *err)
{
    ag_ast ast;
    int rc = ag_ast_parse(&ast, sql, NULL, err);
    if (rc == 0 && ast.tree->n_stmts != 1)
        rc = ag_errorf(err, AG_EPARSE, "expected one statement");
    ag_def d;
    ag_kind kind;
    if (rc == 0)
        rc = ag_canon_def_node(cat, ast.tree->stmts[0]->stmt, "public", NULL,
                               NULL, &d, &kind, err);
    ag_ast_free(&ast);
    if (rc)
        return rc;
    ag_def *o = ag_canon_def_add(cat, kind, &d);
    if (!o)
        return ag_errorf(err, AG_EINVAL, "%s %s is listed twice",
                         ag_kind_name(kind), d.obj.name.name);
    if (out)
        *out = o;
    return 0;
}
