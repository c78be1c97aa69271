/*
 * loader.c - model files in, statements dispatched, diagnostics out.
 *
 * Each file is parsed whole; on a syntax error it is split with the
 * scanner-based splitter and every statement parsed on its own, so all the
 * syntax errors of a file are reported at once, each with file:line:col.
 * Once a file's statements are dispatched, the subtrees its deferred items
 * point to are copied into the loader's own arena and the file's tree is
 * freed: keeping every file's tree until ag_loader_finish made the trees
 * half of the peak memory of a large model (145 of 294 MB of heap at
 * 10,000 tables).
 */
#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader_int.h"

/* ---- diagnostics ---- */

ld_pos
ld_at(ld_pos stmt, int location)
{
    if (location >= 0)
        stmt.offset = location;
    return stmt;
}

ag_srcloc
ld_srcloc(ld_pos pos)
{
    ag_srcloc loc = {pos.file ? pos.file->name : NULL, 0, 0};
    if (pos.file)
        ag_lineidx_find(&pos.file->lines, (size_t)pos.offset, &loc.line,
                        &loc.col);
    return loc;
}

static void
vdiag(ag_loader *ld, ag_severity sev, ld_pos pos, const char *fmt, va_list ap)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_vprintf(&b, fmt, ap);
    ag_srcloc loc = ld_srcloc(pos);
    const char *text = NULL;
    size_t len = 0;
    if (pos.file) {
        text = pos.file->src + pos.file->lines.starts[loc.line - 1];
        while (text[len] && text[len] != '\n')
            len++;
    }
    ag_diag_add_loc(ld->diag, sev, loc, text, len, "%s", b.data);
    ag_buf_free(&b);
}

void
ld_error(ag_loader *ld, ld_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(ld, AG_SEV_ERROR, pos, fmt, ap);
    va_end(ap);
}

void
ld_warn(ag_loader *ld, ld_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(ld, AG_SEV_WARNING, pos, fmt, ap);
    va_end(ap);
}

ag_ast *
ld_ast(ag_loader *ld, ld_pos pos)
{
    return pos.file && pos.file->ast.tree ? &pos.file->ast : &ld->keep;
}

void
ld_defer(ag_loader *ld, ld_pending_kind kind, ld_pos pos, ag_table *tbl,
         const char *colname, void *node, int order)
{
    if (ld->npend == ld->cappend) {
        ld->cappend = ld->cappend ? ld->cappend * 2 : 256;
        ld->pend = ag_xrealloc(ld->pend, ld->cappend * sizeof *ld->pend);
    }
    ld->pend[ld->npend++] = (ld_pending){
        kind, pos, ld->path, tbl, colname, node, ld->seq, order, NULL,
    };
}

/* ---- names ---- */

const char *
ld_creation_schema(ag_loader *ld, const ld_search_path *path,
                   const char *schema)
{
    (void)ld;
    if (schema && *schema)
        return schema;
    return path->n ? path->schemas[0] : NULL;
}

ag_table *
ld_find_table(ag_loader *ld, const ld_search_path *path, const char *schema,
              const char *name, const char **schema_out)
{
    if (schema && *schema) {
        *schema_out = schema;
        return ag_catalog_table(ld->cat, schema, name);
    }
    for (size_t i = 0; i < path->n; i++) {
        ag_table *t = ag_catalog_table(ld->cat, path->schemas[i], name);
        if (t) {
            *schema_out = path->schemas[i];
            return t;
        }
    }
    *schema_out = path->n ? path->schemas[0] : "public";
    return NULL;
}

ag_table *
ld_find_table_rv(ag_loader *ld, const ld_search_path *path,
                 const PgQuery__RangeVar *rv)
{
    const char *schema;
    return ld_find_table(ld, path, rv->schemaname, rv->relname, &schema);
}

static void
reset_search_path(ag_loader *ld)
{
    ld->path.schemas = ag_arena_alloc(&ld->cat->arena, sizeof(char *));
    ld->path.schemas[0] = "public";
    ld->path.n = 1;
}

/* Parse a search_path value list like `app, "Public", pg_catalog`. */
bool
ld_set_search_path(ag_loader *ld, const char *value)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "SET search_path = %s", *value ? value : "''");
    ag_ast ast;
    bool ok = ag_ast_parse(&ast, b.data, NULL, NULL) == 0;
    if (ok) {
        PgQuery__VariableSetStmt *vs =
            ast.tree->stmts[0]->stmt->variable_set_stmt;
        ld_search_path p = {
            ag_arena_alloc(&ld->cat->arena, (vs->n_args + 1) * sizeof(char *)),
            0};
        for (size_t i = 0; i < vs->n_args; i++) {
            const char *s = NULL;
            ag_node *a = vs->args[i];
            if (a->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                a->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
                s = a->a_const->sval->sval;
            /* "$user" names a schema only when it exists; models rarely
             * have one, and pg_catalog is searched implicitly anyway. */
            if (!s || !*s || strcmp(s, "$user") == 0 ||
                strcmp(s, "pg_catalog") == 0)
                continue;
            p.schemas[p.n++] = ag_arena_strdup(&ld->cat->arena, s);
        }
        ld->path = p;
    }
    ag_ast_free(&ast);
    ag_buf_free(&b);
    return ok;
}

void
ld_variable_set(ag_loader *ld, ld_pos pos, PgQuery__VariableSetStmt *s)
{
    if (strcmp(s->name, "search_path") != 0)
        return; /* other session settings are accepted and ignored */
    if (s->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE) {
        reset_search_path(ld);
        return;
    }
    ld_search_path p = {
        ag_arena_alloc(&ld->cat->arena, (s->n_args + 1) * sizeof(char *)), 0};
    for (size_t i = 0; i < s->n_args; i++) {
        ag_node *a = s->args[i];
        if (a->node_case != PG_QUERY__NODE__NODE_A_CONST ||
            a->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL) {
            ld_error(ld, pos, "search_path must be a list of schema names");
            return;
        }
        const char *v = a->a_const->sval->sval;
        if (!*v || strcmp(v, "$user") == 0 || strcmp(v, "pg_catalog") == 0)
            continue;
        p.schemas[p.n++] = ag_arena_strdup(&ld->cat->arena, v);
    }
    ld->path = p;
}

/* pg_dump writes SELECT pg_catalog.set_config('search_path', '', false). */
static bool
select_set_config(ag_loader *ld, PgQuery__SelectStmt *sel)
{
    if (sel->n_target_list != 1 || sel->n_from_clause)
        return false;
    ag_node *v = sel->target_list[0]->res_target->val;
    if (!v || v->node_case != PG_QUERY__NODE__NODE_FUNC_CALL)
        return false;
    PgQuery__FuncCall *fc = v->func_call;
    const char *fn = ag_ast_str(fc->funcname[fc->n_funcname - 1]);
    if (!fn || strcmp(fn, "set_config") != 0 || fc->n_args < 2)
        return false;
    ag_node *k = fc->args[0], *val = fc->args[1];
    if (k->node_case != PG_QUERY__NODE__NODE_A_CONST ||
        k->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
        return false;
    if (strcmp(k->a_const->sval->sval, "search_path") == 0 &&
        val->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        val->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
        ld_set_search_path(ld, val->a_const->sval->sval);
    return true;
}

/* ---- dispatch ---- */

static const char *
stmt_word(const ag_node *n)
{
    static const struct {
        PgQuery__Node__NodeCase c;
        const char *word;
    } words[] = {
        {PG_QUERY__NODE__NODE_DEFINE_STMT,
         "CREATE AGGREGATE / OPERATOR / TYPE (base)"},
        {PG_QUERY__NODE__NODE_CREATE_EVENT_TRIG_STMT, "CREATE EVENT TRIGGER"},
        {PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT, "CREATE PUBLICATION"},
        {PG_QUERY__NODE__NODE_RULE_STMT, "CREATE RULE"},
        {PG_QUERY__NODE__NODE_CREATE_CAST_STMT, "CREATE CAST"},
        {PG_QUERY__NODE__NODE_CREATE_FOREIGN_SERVER_STMT, "CREATE SERVER"},
        {PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT,
         "CREATE FOREIGN TABLE"},
        {PG_QUERY__NODE__NODE_CREATE_POLICY_STMT, "CREATE POLICY"},
        {PG_QUERY__NODE__NODE_CREATE_RANGE_STMT, "CREATE TYPE ... AS RANGE"},
        {PG_QUERY__NODE__NODE_ALTER_ENUM_STMT, "ALTER TYPE"},
        {PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT, "ALTER DOMAIN"},
        {PG_QUERY__NODE__NODE_ALTER_FUNCTION_STMT, "ALTER FUNCTION"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (words[i].c == n->node_case)
            return words[i].word;
    /* The protobuf descriptor names the node, e.g. "view_stmt". */
    const ProtobufCMessageDescriptor *d = &pg_query__node__descriptor;
    for (unsigned i = 0; i < d->n_fields; i++)
        if (d->fields[i].id == (uint32_t)n->node_case)
            return d->fields[i].name;
    return "statement";
}

static void
dispatch(ag_loader *ld, ld_pos pos, ag_node *n)
{
    ld->seq++;
    if (ld_unmanaged(ld, pos, n) || ld_excluded(ld, pos, n))
        return;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT:
        ld_create_table(ld, pos, n->create_stmt);
        break;
    case PG_QUERY__NODE__NODE_INDEX_STMT:
        ld_create_index(ld, pos, n->index_stmt);
        break;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        ld_alter_table(ld, pos, n->alter_table_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
        ld_create_schema(ld, pos, n->create_schema_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
        ld_create_extension(ld, pos, n->create_extension_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
        ld_create_enum(ld, pos, n->create_enum_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
        ld_create_sequence(ld, pos, n->create_seq_stmt);
        break;
    case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
        ld_alter_sequence(ld, pos, n->alter_seq_stmt);
        break;
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
        switch (n->comment_stmt->objtype) {
        case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
        case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
        case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE:
        case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
            ld_comment_routine(ld, pos, n->comment_stmt);
            break;
        case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
        case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
        case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
        case PG_QUERY__OBJECT_TYPE__OBJECT_EVENT_TRIGGER:
        case PG_QUERY__OBJECT_TYPE__OBJECT_PUBLICATION:
        case PG_QUERY__OBJECT_TYPE__OBJECT_DOMCONSTRAINT:
            ld_security_stmt(ld, pos, n);
            break;
        default:
            ld_comment(ld, pos, n->comment_stmt);
            break;
        }
        break;
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
        ld_variable_set(ld, pos, n->variable_set_stmt);
        break;
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        if (!select_set_config(ld, n->select_stmt))
            ld_warn(ld, pos, "data statement (SELECT) skipped");
        break;
    case PG_QUERY__NODE__NODE_INSERT_STMT:
        ld_warn(ld, pos, "data statement (INSERT) skipped");
        break;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        ld_warn(ld, pos, "data statement (UPDATE) skipped");
        break;
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        ld_warn(ld, pos, "data statement (DELETE) skipped");
        break;
    case PG_QUERY__NODE__NODE_COPY_STMT:
        ld_warn(ld, pos, "data statement (COPY) skipped");
        break;
    /* Ownership and privileges are not managed (opt-in later); session
     * and transaction control have no meaning in a declaration. */
    case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
    case PG_QUERY__NODE__NODE_GRANT_STMT:
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
        break;
    case PG_QUERY__NODE__NODE_DROP_STMT:
        /* DROP ... IF EXISTS x before CREATE x (scripts made re-runnable)
         * changes nothing in a declaration; see docs/coverage.md. */
        if (ld_drop_if_exists_noop(ld, n->drop_stmt))
            break;
        /* fall through */
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
        ld_error(ld, pos,
                 "%s cannot be part of a model: models declare the desired "
                 "state (use -- autogen:renamed from=... for renames)",
                 n->node_case == PG_QUERY__NODE__NODE_DROP_STMT ? "DROP"
                                                                : "TRUNCATE");
        break;
    case PG_QUERY__NODE__NODE_RENAME_STMT:
        ld_rename(ld, pos, n->rename_stmt);
        break;
    case PG_QUERY__NODE__NODE_VIEW_STMT:
        ld_create_view(ld, pos, n->view_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
        ld_create_function(ld, pos, n->create_function_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
        ld_create_trigger(ld, pos, n->create_trig_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
    case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT:
    case PG_QUERY__NODE__NODE_CREATE_EVENT_TRIG_STMT:
    case PG_QUERY__NODE__NODE_ALTER_EVENT_TRIG_STMT:
    case PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT:
    case PG_QUERY__NODE__NODE_ALTER_PUBLICATION_STMT:
        ld_security_stmt(ld, pos, n);
        break;
    case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
        ld_create_domain(ld, pos, n->create_domain_stmt);
        break;
    case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
        ld_create_composite(ld, pos, n->composite_type_stmt);
        break;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
        ld_create_matview(ld, pos, n->create_table_as_stmt);
        break;
    case PG_QUERY__NODE__NODE_DO_STMT:
        ld_do_block(ld, pos, n->do_stmt);
        break;
    case PG_QUERY__NODE__NODE_DEFINE_STMT:
    case PG_QUERY__NODE__NODE_CREATE_CAST_STMT:
        ld_define(ld, pos, n);
        break;
    default: {
        const char *w = stmt_word(n);
        ld_error(ld, pos, "%s is not managed by autogen yet", w);
        break;
    }
    }
}

void
ld_dispatch(ag_loader *ld, ld_pos pos, ag_node *n)
{
    dispatch(ld, pos, n);
}

/* Skip whitespace and comments so a caret lands on the statement's first
 * keyword rather than on the comment above it. */
static int
skip_blanks(const char *s, int i)
{
    for (;;) {
        while (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')
            i++;
        if (s[i] == '-' && s[i + 1] == '-') {
            while (s[i] && s[i] != '\n')
                i++;
        } else if (s[i] == '/' && s[i + 1] == '*') {
            const char *end = strstr(s + i + 2, "*/");
            if (!end)
                return i;
            i = (int)(end - s) + 2;
        } else {
            return i;
        }
    }
}

static void
load_file(ag_loader *ld, ld_file *f)
{
    reset_search_path(ld);
    int errpos;
    ag_error err;
    if (ag_ast_parse(&f->ast, f->src, &errpos, &err) == 0) {
        PgQuery__ParseResult *t = f->ast.tree;
        for (size_t i = 0; i < t->n_stmts; i++) {
            ld_pos pos = {f, t->stmts[i]->stmt_location};
            pos.offset = skip_blanks(f->src, pos.offset);
            if (t->stmts[i]->stmt)
                dispatch(ld, pos, t->stmts[i]->stmt);
        }
        ld_scan_directives(ld, f);
        return;
    }
    /* Report every syntax error of the file: split with the scanner and
     * parse statements one by one. */
    PgQuerySplitResult sr = pg_query_split_with_scanner(f->src);
    if (sr.error || sr.n_stmts == 0) {
        ld_pos pos = {f, errpos >= 0 ? errpos : 0};
        ld_error(ld, pos, "%s", err.msg);
        pg_query_free_split_result(sr);
        return;
    }
    /* The splitter drops an unterminated tail (an unclosed parenthesis
     * swallows the semicolon), so parse whatever follows the last piece
     * as one more statement. */
    int end = 0;
    for (int i = 0; i <= sr.n_stmts; i++) {
        int loc, len;
        if (i < sr.n_stmts) {
            loc = sr.stmts[i]->stmt_location;
            len = sr.stmts[i]->stmt_len;
            end = loc + len;
        } else {
            loc = skip_blanks(f->src, end);
            while (f->src[loc] == ';')
                loc = skip_blanks(f->src, loc + 1);
            len = (int)strlen(f->src + loc);
            if (len == 0)
                break;
        }
        char *one = ag_xmalloc((size_t)len + 1);
        memcpy(one, f->src + loc, (size_t)len);
        one[len] = '\0';
        ag_ast a;
        int epos;
        if (ag_ast_parse(&a, one, &epos, &err) != 0) {
            ld_pos pos = {f, loc + (epos >= 0 ? epos : 0)};
            ld_error(ld, pos, "%s", err.msg);
        }
        ag_ast_free(&a);
        free(one);
    }
    pg_query_free_split_result(sr);
}

/* ---- public API ---- */

ag_loader *
ag_loader_new(ag_catalog *cat, ag_diag *diag)
{
    ag_loader *ld = ag_xcalloc(1, sizeof *ld);
    ld->cat = cat;
    ld->diag = diag;
    ag_arena_init(&ld->keep.arena);
    ag_arena_init(&ld->keep_indexes);
    /* The public schema exists in every database made from template1,
     * with template1's comment. */
    ag_schema *pub =
        ag_catalog_add(cat, AG_KIND_SCHEMA, "", "public", sizeof(ag_schema));
    if (pub)
        pub->obj.comment = ld_public_comment;
    reset_search_path(ld);
    return ld;
}

/* After a file is dispatched: move what the deferred items since
 * pend[first] point to into ld->keep, then free the trees of the files
 * since files[first_file] (the file and the DO blocks it held).  Copying
 * happens here rather than in ld_defer because handlers may still complete
 * a node after deferring it (DEFERRABLE after a column constraint, the
 * name a duplicate key hands over). */
static void
release_trees(ag_loader *ld, size_t first, size_t first_file)
{
    for (size_t i = first; i < ld->npend; i++) {
        ld_pending *p = &ld->pend[i];
        if (p->kind != PEND_VIEW)
            p->node = ag_ast_copy(p->kind == PEND_INDEX ? &ld->keep_indexes
                                                        : &ld->keep.arena,
                                  p->node);
    }
    for (size_t i = first_file; i < ld->nfiles; i++)
        ag_ast_free(&ld->files[i]->ast);
}

void
ag_loader_add_sql(ag_loader *ld, const char *name, const char *sql)
{
    size_t first = ld->npend, first_file = ld->nfiles;
    ld_file *f = ag_xcalloc(1, sizeof *f);
    /* In the catalog arena: diagnostics and source locations point at it
     * after the loader is gone. */
    f->name = ag_arena_strdup(&ld->cat->arena, name);
    f->src = ag_xstrdup(sql);
    ag_lineidx_build(&f->lines, f->src);
    if (ld->nfiles == ld->capfiles) {
        ld->capfiles = ld->capfiles ? ld->capfiles * 2 : 16;
        ld->files = ag_xrealloc(ld->files, ld->capfiles * sizeof *ld->files);
    }
    ld->files[ld->nfiles++] = f;
    load_file(ld, f);
    release_trees(ld, first, first_file);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
collect(const char *path, char ***list, size_t *n, size_t *cap, ag_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return ag_errorf(err, AG_EIO, "%s: %s", path, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 32;
            *list = ag_xrealloc(*list, *cap * sizeof **list);
        }
        (*list)[(*n)++] = ag_xstrdup(path);
        return 0;
    }
    DIR *d = opendir(path);
    if (!d)
        return ag_errorf(err, AG_EIO, "%s: %s", path, strerror(errno));
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *child = ag_xmalloc(len);
        snprintf(child, len, "%s/%s", path, e->d_name);
        struct stat cst;
        if (stat(child, &cst) == 0 &&
            (S_ISDIR(cst.st_mode) ||
             (strlen(e->d_name) > 4 &&
              strcmp(e->d_name + strlen(e->d_name) - 4, ".sql") == 0)))
            rc = collect(child, list, n, cap, err);
        free(child);
    }
    closedir(d);
    return rc;
}

int
ag_loader_add_path(ag_loader *ld, const char *path, ag_error *err)
{
    char **list = NULL;
    size_t n = 0, cap = 0;
    int rc = collect(path, &list, &n, &cap, err);
    if (n > 1)
        qsort(list, n, sizeof *list, cmp_str);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char *src;
        rc = ag_read_file(list[i], &src, NULL, err);
        if (rc == 0) {
            ag_loader_add_sql(ld, list[i], src);
            free(src);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
    return rc;
}

int
ag_loader_finish(ag_loader *ld, ag_error *err)
{
    ld_resolve_views(ld); /* before indexes and comments look views up */
    ld_resolve(ld);
    ld_resolve_routines(ld);
    ld_bind_directives(ld);
    ld_resolve_defs(ld);
    ld_resolve_security(ld);
    ag_catalog_seal(ld->cat);
    if (ld->diag->nerrors)
        return ag_errorf(err, AG_EPARSE, "%zu error%s in the model files",
                         ld->diag->nerrors, ld->diag->nerrors == 1 ? "" : "s");
    return 0;
}

void
ag_loader_free(ag_loader *ld)
{
    if (!ld)
        return;
    for (size_t i = 0; i < ld->nfiles; i++) {
        ag_ast_free(&ld->files[i]->ast);
        /* Diagnostics keep pointers to file names: they are copied into
         * the catalog arena before the file goes. */
        free(ld->files[i]->src);
        ag_lineidx_free(&ld->files[i]->lines);
        free(ld->files[i]);
    }
    free(ld->files);
    ag_ast_free(&ld->keep);
    ag_arena_destroy(&ld->keep_indexes);
    free(ld->pend);
    free(ld->pk_of);
    free(ld->dirs);
    free(ld);
}

void
ag_loader_set_opts(ag_loader *ld, const ag_load_opts *opts)
{
    ld->opts = opts ? *opts : (ag_load_opts){0};
}

int
ag_load_paths(ag_catalog *cat, const char *const *paths, size_t npaths,
              ag_diag *diag, ag_error *err)
{
    return ag_load_paths_opts(cat, paths, npaths, NULL, diag, err);
}

int
ag_load_paths_opts(ag_catalog *cat, const char *const *paths, size_t npaths,
                   const ag_load_opts *opts, ag_diag *diag, ag_error *err)
{
    ag_loader *ld = ag_loader_new(cat, diag);
    ag_loader_set_opts(ld, opts);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < npaths; i++)
        rc = ag_loader_add_path(ld, paths[i], err);
    if (rc == 0)
        rc = ag_loader_finish(ld, err);
    ag_loader_free(ld);
    return rc;
}
