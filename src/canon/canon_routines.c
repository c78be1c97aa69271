/*
 * canon_routines.c - functions, procedures and triggers from their CREATE
 * statements, for both catalogs.
 *
 * A function is read field by field from the CreateFunctionStmt (argument
 * types through the same type canon as columns, defaults through the
 * expression canon, options with the defaults CREATE FUNCTION applies), so
 * the model's statement and the one pg_get_functiondef prints give equal
 * structs.  The body (prosrc) is compared byte for byte: it is the user's
 * text and the server keeps it verbatim.  A trigger is its normalised
 * CreateTrigStmt, like an index is its IndexStmt.
 */
#include <stdlib.h>
#include <string.h>

#include "autogen/canon_routines.h"
#include "autogen/ident.h"

/* ---- types in signatures ---- */

/* Pseudo-types and handler types: legal in signatures only, always in
 * pg_catalog, printed bare by format_type. */
static const char *const pseudo_types[] = {
    "trigger",
    "event_trigger",
    "void",
    "cstring",
    "internal",
    "any",
    "anyelement",
    "anyarray",
    "anynonarray",
    "anyenum",
    "anyrange",
    "anymultirange",
    "anycompatible",
    "anycompatiblearray",
    "anycompatiblenonarray",
    "anycompatiblerange",
    "anycompatiblemultirange",
    "language_handler",
    "fdw_handler",
    "table_am_handler",
    "index_am_handler",
    "tsm_handler",
    "record",
    "unknown",
    "pg_ddl_command",
};

int
ag_canon_signature_type(ag_arena *out, PgQuery__TypeName *tn,
                        const char *default_schema, const char **type,
                        ag_error *err)
{
    /* pg_proc keeps type oids only: a length or precision written in a
     * signature is dropped, as the server does. */
    tn->n_typmods = 0;
    const char *schema, *name;
    if (tn->n_names &&
        ag_ast_qname(tn->names, tn->n_names, &schema, &name) == 0 &&
        (!schema || strcmp(schema, "pg_catalog") == 0)) {
        for (size_t i = 0; i < sizeof pseudo_types / sizeof *pseudo_types; i++)
            if (strcmp(name, pseudo_types[i]) == 0) {
                ag_buf b;
                ag_buf_init(&b);
                ag_quote_ident(&b, name);
                if (tn->n_array_bounds)
                    ag_buf_put(&b, "[]");
                *type = ag_arena_strdup(out, b.data);
                ag_buf_free(&b);
                return 0;
            }
    }
    int serial;
    int rc = ag_ast_type_canon(out, tn, default_schema, type, &serial, err);
    if (rc == 0 && serial)
        rc = ag_errorf(err, AG_EUNSUPPORTED,
                       "serial types are not allowed in a signature");
    return rc;
}

/* ---- functions ---- */

static char
param_mode(PgQuery__FunctionParameterMode m)
{
    switch (m) {
    case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT:
        return 'o';
    case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_INOUT:
        return 'b';
    case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_VARIADIC:
        return 'v';
    case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE:
        return 't';
    default:
        return 'i';
    }
}

/* String, Integer, Float or Boolean argument of a DefElem as text. */
static const char *
defel_text(ag_arena *a, const ag_node *n)
{
    if (!n)
        return NULL;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_STRING:
        return n->string->sval;
    case PG_QUERY__NODE__NODE_INTEGER:
        return ag_arena_sprintf(a, "%d", (int)n->integer->ival);
    case PG_QUERY__NODE__NODE_FLOAT:
        return n->float_->fval;
    case PG_QUERY__NODE__NODE_BOOLEAN:
        return n->boolean->boolval ? "true" : "false";
    default:
        return NULL;
    }
}

static bool
defel_bool(const ag_node *n)
{
    if (!n)
        return true; /* a bare option keyword means true */
    if (n->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
        return n->boolean->boolval;
    if (n->node_case == PG_QUERY__NODE__NODE_INTEGER)
        return n->integer->ival != 0;
    return true;
}

/* "name=v1, v2" as pg_proc.proconfig stores a SET clause. */
static int
config_entry(ag_catalog *cat, PgQuery__VariableSetStmt *vs, const char **out,
             ag_error *err)
{
    if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT ||
        vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET) {
        *out = NULL;
        return 0;
    }
    if (vs->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE)
        return ag_errorf(err, AG_EUNSUPPORTED,
                         "SET %s FROM CURRENT in a function is not managed "
                         "yet",
                         vs->name);
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "%s=", vs->name);
    for (size_t i = 0; i < vs->n_args; i++) {
        const ag_node *a = vs->args[i];
        const char *v = NULL;
        if (a->node_case == PG_QUERY__NODE__NODE_A_CONST) {
            PgQuery__AConst *c = a->a_const;
            if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL)
                v = c->sval->sval;
            else if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
                v = ag_arena_sprintf(&cat->arena, "%d", (int)c->ival->ival);
            else if (c->val_case == PG_QUERY__A__CONST__VAL_FVAL)
                v = c->fval->fval;
            else if (c->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL)
                v = c->boolval->boolval ? "on" : "off";
        }
        if (!v) {
            ag_buf_free(&b);
            return ag_errorf(err, AG_EUNSUPPORTED,
                             "SET %s: value is not a constant", vs->name);
        }
        ag_buf_printf(&b, "%s%s", i ? ", " : "", v);
    }
    *out = ag_arena_strdup(&cat->arena, b.data);
    ag_buf_free(&b);
    return 0;
}

static int
function_options(ag_catalog *cat, PgQuery__CreateFunctionStmt *s,
                 ag_function *fn, ag_error *err)
{
    bool have_cost = false, have_rows = false;
    fn->volatility = 'v';
    fn->parallel = 'u';
    fn->config =
        ag_arena_alloc(&cat->arena, (s->n_options + 1) * sizeof *fn->config);
    for (size_t i = 0; i < s->n_options; i++) {
        if (s->options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
            continue;
        PgQuery__DefElem *d = s->options[i]->def_elem;
        const char *k = d->defname;
        const char *v = defel_text(&cat->arena, d->arg);
        if (strcmp(k, "language") == 0) {
            fn->language = ag_arena_strdup(&cat->arena, v ? v : "");
        } else if (strcmp(k, "as") == 0) {
            if (!d->arg || d->arg->node_case != PG_QUERY__NODE__NODE_LIST ||
                d->arg->list->n_items < 1 || d->arg->list->n_items > 2)
                return ag_errorf(err, AG_EUNSUPPORTED, "malformed AS clause");
            PgQuery__List *l = d->arg->list;
            const char *last = ag_ast_str(l->items[l->n_items - 1]);
            fn->body = ag_arena_strdup(&cat->arena, last ? last : "");
            if (l->n_items == 2)
                fn->probin =
                    ag_arena_strdup(&cat->arena, ag_ast_str(l->items[0]));
        } else if (strcmp(k, "volatility") == 0 && v) {
            fn->volatility = v[0]; /* immutable, stable, volatile */
        } else if (strcmp(k, "strict") == 0) {
            fn->strict = defel_bool(d->arg);
        } else if (strcmp(k, "security") == 0) {
            fn->security_definer = defel_bool(d->arg);
        } else if (strcmp(k, "leakproof") == 0) {
            fn->leakproof = defel_bool(d->arg);
        } else if (strcmp(k, "parallel") == 0 && v) {
            fn->parallel = v[0]; /* safe, restricted, unsafe */
        } else if (strcmp(k, "cost") == 0 && v) {
            fn->cost = atof(v);
            have_cost = true;
        } else if (strcmp(k, "rows") == 0 && v) {
            fn->rows = atof(v);
            have_rows = true;
        } else if (strcmp(k, "set") == 0 && d->arg &&
                   d->arg->node_case ==
                       PG_QUERY__NODE__NODE_VARIABLE_SET_STMT) {
            const char *entry = NULL;
            int rc = config_entry(cat, d->arg->variable_set_stmt, &entry, err);
            if (rc)
                return rc;
            if (entry)
                fn->config[fn->nconfig++] = entry;
        } else {
            return ag_errorf(err, AG_EUNSUPPORTED,
                             "function option %s is not managed yet", k);
        }
    }
    if (!fn->language)
        return ag_errorf(err, AG_EUNSUPPORTED, "no LANGUAGE clause");
    if (!fn->body)
        return ag_errorf(err, AG_EUNSUPPORTED, "no AS clause");
    /* The defaults CREATE FUNCTION fills in (pg_proc.procost, prorows). */
    bool c_like =
        strcmp(fn->language, "c") == 0 || strcmp(fn->language, "internal") == 0;
    bool retset = fn->result && (strncmp(fn->result, "SETOF ", 6) == 0 ||
                                 strncmp(fn->result, "TABLE(", 6) == 0);
    if (!have_cost)
        fn->cost = c_like ? 1 : 100;
    if (!retset)
        fn->rows = 0; /* ROWS applies to set-returning functions only */
    else if (!have_rows)
        fn->rows = 1000;
    return 0;
}

/* Remember a schema-qualified type of the signature (for ordering). */
static void
note_type(ag_catalog *cat, ag_function *fn, const PgQuery__TypeName *tn,
          const char *default_schema)
{
    const char *schema, *name;
    if (!tn || ag_ast_qname(tn->names, tn->n_names, &schema, &name) < 0)
        return;
    if (!schema && tn->n_names == 1 && default_schema)
        schema = default_schema;
    if (!schema || strcmp(schema, "pg_catalog") == 0)
        return;
    fn->types =
        ag_arena_grow(&cat->arena, fn->types, fn->ntypes, sizeof *fn->types);
    fn->types[fn->ntypes].schema = ag_arena_strdup(&cat->arena, schema);
    fn->types[fn->ntypes++].name = ag_arena_strdup(&cat->arena, name);
}

int
ag_canon_function_node(ag_catalog *cat, ag_ast *ast,
                       PgQuery__CreateFunctionStmt *s,
                       const char *default_schema, ag_function *fn,
                       ag_error *err)
{
    memset(fn, 0, sizeof *fn);
    fn->obj.kind = AG_KIND_FUNCTION;
    if (s->sql_body)
        return ag_errorf(err, AG_EUNSUPPORTED,
                         "SQL-standard function bodies (BEGIN ATOMIC / "
                         "RETURN) are not managed yet");
    const char *schema, *name;
    if (ag_ast_qname(s->funcname, s->n_funcname, &schema, &name) < 0)
        return ag_errorf(err, AG_EUNSUPPORTED, "malformed function name");
    if (!schema)
        schema = default_schema;
    fn->is_procedure = s->is_procedure;
    fn->fname = ag_arena_strdup(&cat->arena, name);
    fn->args =
        ag_arena_alloc(&cat->arena, (s->n_parameters + 1) * sizeof *fn->args);
    ag_buf ident, table;
    ag_buf_init(&ident);
    ag_buf_init(&table);
    int rc = 0, nout = 0;
    const char *out_type = NULL;
    for (size_t i = 0; rc == 0 && i < s->n_parameters; i++) {
        if (s->parameters[i]->node_case !=
            PG_QUERY__NODE__NODE_FUNCTION_PARAMETER)
            continue;
        PgQuery__FunctionParameter *p = s->parameters[i]->function_parameter;
        ag_funcarg *a = &fn->args[fn->nargs++];
        a->mode = param_mode(p->mode);
        a->name =
            p->name && *p->name ? ag_arena_strdup(&cat->arena, p->name) : NULL;
        rc = ag_canon_signature_type(&cat->arena, p->arg_type, default_schema,
                                     &a->type, err);
        if (rc)
            break;
        note_type(cat, fn, p->arg_type, default_schema);
        if (p->defexpr)
            rc = ag_canon_expr_node(cat, ast, &p->defexpr, default_schema,
                                    &a->default_expr, err);
        /* Procedures' OUT arguments are part of their signature (14+). */
        if (a->mode == 'i' || a->mode == 'b' || a->mode == 'v' ||
            (a->mode == 'o' && fn->is_procedure))
            ag_buf_printf(&ident, "%s%s", ident.len ? ", " : "", a->type);
        if (a->mode == 'o' || a->mode == 'b') {
            nout++;
            out_type = a->type;
        }
        if (a->mode == 't') {
            ag_buf_put(&table, table.len ? ", " : "TABLE(");
            ag_quote_ident(&table, a->name ? a->name : "");
            ag_buf_printf(&table, " %s", a->type);
        }
    }
    if (rc == 0) {
        fn->identity =
            ag_arena_strdup(&cat->arena, ident.data ? ident.data : "");
        fn->obj.name.schema = ag_arena_strdup(&cat->arena, schema);
        fn->obj.name.name =
            ag_arena_sprintf(&cat->arena, "%s(%s)", name, fn->identity);
        if (table.len) {
            ag_buf_putc(&table, ')');
            fn->result = ag_arena_strdup(&cat->arena, table.data);
        } else if (s->return_type) {
            bool setof = s->return_type->setof;
            s->return_type->setof = false;
            const char *t;
            rc = ag_canon_signature_type(&cat->arena, s->return_type,
                                         default_schema, &t, err);
            if (rc == 0)
                fn->result =
                    setof ? ag_arena_sprintf(&cat->arena, "SETOF %s", t) : t;
            note_type(cat, fn, s->return_type, default_schema);
        } else if (!fn->is_procedure) {
            /* Output arguments decide the result type, as CREATE FUNCTION
             * does: one gives its type, several a record. */
            fn->result = nout == 1 ? out_type : "record";
        }
    }
    ag_buf_free(&ident);
    ag_buf_free(&table);
    if (rc == 0)
        rc = function_options(cat, s, fn, err);
    return rc;
}

ag_function *
ag_canon_function_add(ag_catalog *cat, const ag_function *fn)
{
    ag_function *f = ag_catalog_add(cat, AG_KIND_FUNCTION, fn->obj.name.schema,
                                    fn->obj.name.name, sizeof *f);
    if (!f)
        return NULL;
    ag_object hdr = f->obj;
    *f = *fn;
    hdr.loc = fn->obj.loc;
    hdr.comment = fn->obj.comment;
    f->obj = hdr;
    return f;
}

int
ag_canon_function_text(ag_catalog *cat, const char *def, ag_function **out,
                       ag_error *err)
{
    ag_ast ast;
    int rc = ag_ast_parse(&ast, def, NULL, err);
    if (rc == 0) {
        ag_node *n = ast.tree->n_stmts == 1 ? ast.tree->stmts[0]->stmt : NULL;
        ag_function fn;
        if (!n || n->node_case != PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT)
            rc = ag_errorf(err, AG_EPARSE, "not a CREATE FUNCTION statement");
        else
            rc = ag_canon_function_node(cat, &ast, n->create_function_stmt,
                                        "public", &fn, err);
        if (rc == 0) {
            ag_function *f = ag_canon_function_add(cat, &fn);
            if (!f)
                rc = ag_errorf(err, AG_EINVAL, "%s.%s read twice",
                               fn.obj.name.schema, fn.obj.name.name);
            if (out)
                *out = f;
        }
    }
    ag_ast_free(&ast);
    return rc;
}

/* ---- triggers ---- */

static int
cmp_transition(const void *pa, const void *pb)
{
    const ag_node *a = *(ag_node *const *)pa, *b = *(ag_node *const *)pb;
    return (int)a->trigger_transition->is_new -
           (int)b->trigger_transition->is_new;
}

int
ag_canon_trigger_node(ag_catalog *cat, ag_ast *ast, PgQuery__CreateTrigStmt *s,
                      ag_trigger *trg, bool want_sql, ag_error *err)
{
    const char *fschema, *fname;
    if (ag_ast_qname(s->funcname, s->n_funcname, &fschema, &fname) < 0)
        return ag_errorf(err, AG_EUNSUPPORTED, "malformed function name");
    trg->func.schema = ag_arena_strdup(&cat->arena, fschema ? fschema : "");
    trg->func.name = ag_arena_strdup(&cat->arena, fname);
    trg->constraint = s->isconstraint;
    s->replace = false;
    /* The server prints OLD TABLE before NEW TABLE whatever the order. */
    for (size_t i = 0; i < s->n_transition_rels; i++)
        if (s->transition_rels[i]->node_case !=
            PG_QUERY__NODE__NODE_TRIGGER_TRANSITION)
            return ag_errorf(err, AG_EUNSUPPORTED, "malformed REFERENCING");
    if (s->n_transition_rels > 1)
        qsort(s->transition_rels, s->n_transition_rels,
              sizeof *s->transition_rels, cmp_transition);
    if (want_sql) {
        ag_buf sql;
        ag_buf_init(&sql);
        ag_node n = ag_ast_node_val(PG_QUERY__NODE__NODE_CREATE_TRIG_STMT, s);
        int rc = ag_ast_deparse_named(&n, &s->trigname, &sql, err);
        if (rc) {
            ag_buf_free(&sql);
            return rc;
        }
        trg->def.sql = ag_arena_strdup(&cat->arena, sql.data);
        ag_buf_free(&sql);
    }
    ag_node *as_node =
        ag_ast_node(ast, PG_QUERY__NODE__NODE_CREATE_TRIG_STMT, s);
    ag_canon_normalize(ast, &as_node, "public");
    char *saved = s->trigname;
    s->trigname = "";
    ag_buf b;
    ag_buf_init(&b);
    ag_canon_print(&b, (const ProtobufCMessage *)s);
    trg->def.canon = ag_arena_strdup(&cat->arena, b.data);
    ag_buf_free(&b);
    s->trigname = saved;
    return 0;
}

int
ag_canon_trigger_text(ag_catalog *cat, ag_trigger *trg, const char *stmt,
                      ag_error *err)
{
    ag_ast ast;
    int rc = ag_ast_parse(&ast, stmt, NULL, err);
    if (rc == 0) {
        ag_node *n = ast.tree->n_stmts == 1 ? ast.tree->stmts[0]->stmt : NULL;
        if (!n || n->node_case != PG_QUERY__NODE__NODE_CREATE_TRIG_STMT)
            rc = ag_errorf(err, AG_EPARSE, "not a CREATE TRIGGER statement");
        else
            rc = ag_canon_trigger_node(cat, &ast, n->create_trig_stmt, trg,
                                       false, err);
        if (rc == 0) /* the server's own statement is emit-ready */
            trg->def.sql = ag_arena_strdup(&cat->arena, stmt);
    }
    if (rc)
        ag_error_prefix(err, "trigger %s: ", trg->obj.name.name);
    ag_ast_free(&ast);
    return rc;
}
