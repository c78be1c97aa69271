/*
 * runplan.c - what a run will do: the files checked against the version
 * table, targets resolved, and the steps of upgrade, downgrade and stamp.
 *
 * Pure: no connection here.  The steps are executed by exec.c or printed
 * for --sql, so both are the same SQL by construction.
 */
#include <stdlib.h>
#include <string.h>

#include "autogen/emit.h"
#include "autogen/grammar.h"
#include "autogen/ident.h"
#include "migrate_int.h"

void
ag_script_init(ag_script *s)
{
    memset(s, 0, sizeof *s);
    ag_arena_init(&s->arena);
}

void
ag_script_free(ag_script *s)
{
    free(s->steps);
    free(s->revs);
    ag_arena_destroy(&s->arena);
    memset(s, 0, sizeof *s);
}

void
ag_step_render(const ag_step *step, ag_buf *out)
{
    if (step->kind == AG_STEP_NOTE)
        ag_buf_printf(out, "-- %s\n", step->sql);
    else
        ag_buf_printf(out, "%s;\n", step->shown);
    if (step->ends_revision)
        ag_buf_putc(out, '\n');
}

void
ag_script_render(const ag_script *s, ag_buf *out)
{
    for (size_t i = 0; i < s->nsteps; i++)
        ag_step_render(&s->steps[i], out);
}

/* ---- building steps ---- */

typedef struct planner {
    const ag_revgraph *g;
    const ag_vstate *vs;
    const ag_runner_opts *o;
    ag_script *s;
    bool *applied; /* per revision of g */
    ag_error *err;
} planner;

static ag_step *
add(planner *p, ag_step_kind kind, const ag_migration *m)
{
    ag_script *s = p->s;
    if (s->nsteps == s->capsteps) {
        s->capsteps = s->capsteps ? 2 * s->capsteps : 32;
        s->steps = ag_xrealloc(s->steps, sizeof *s->steps * s->capsteps);
    }
    ag_step *st = &s->steps[s->nsteps++];
    memset(st, 0, sizeof *st);
    st->kind = kind;
    st->mig = m;
    return st;
}

static void
control(planner *p, const ag_migration *m, const char *sql)
{
    ag_step *st = add(p, AG_STEP_CONTROL, m);
    st->sql = st->shown = ag_arena_strdup(&p->s->arena, sql);
}

static void
note(planner *p, const ag_migration *m, const char *what)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "%s %s: ", what, m->id);
    ag_emit_comment_text(&b, m->message);
    ag_buf_put(&b, " (");
    ag_emit_comment_text(&b, m->path);
    ag_buf_putc(&b, ')');
    ag_step *st = add(p, AG_STEP_NOTE, m);
    st->sql = st->shown = ag_arena_strdup(&p->s->arena, b.data);
    ag_buf_free(&b);
}

/* SET [LOCAL] name = 'value' for each timeout that is configured. */
static void
timeouts(planner *p, const ag_migration *m, bool local)
{
    const char *names[2] = {"lock_timeout", "statement_timeout"};
    const char *values[2] = {p->o->lock_timeout, p->o->statement_timeout};
    for (int i = 0; i < 2; i++) {
        if (!values[i] || !*values[i])
            continue;
        ag_buf b;
        ag_buf_init(&b);
        ag_buf_printf(&b, "SET %s%s = ", local ? "LOCAL " : "", names[i]);
        ag_quote_literal(&b, values[i]);
        control(p, m, b.data);
        ag_buf_free(&b);
    }
}

static void
reset_timeouts(planner *p, const ag_migration *m)
{
    if (p->o->lock_timeout && *p->o->lock_timeout)
        control(p, m, "RESET lock_timeout");
    if (p->o->statement_timeout && *p->o->statement_timeout)
        control(p, m, "RESET statement_timeout");
}

/* A version-table step: sql with $1/$2, shown with literals. */
static ag_step *
version_step(planner *p, const ag_migration *m, char change, const char *rev,
             const char *sum, int timing)
{
    ag_buf sql, shown;
    ag_buf_init(&sql);
    ag_buf_init(&shown);
    if (change == '+') {
        vt_sql_insert(p->o, timing, NULL, NULL, &sql);
        vt_sql_insert(p->o, timing, rev, sum, &shown);
    } else if (change == '-') {
        vt_sql_delete(p->o, NULL, &sql);
        vt_sql_delete(p->o, rev, &shown);
    } else {
        vt_sql_update_checksum(p->o, NULL, NULL, &sql);
        vt_sql_update_checksum(p->o, rev, sum, &shown);
    }
    ag_step *st = add(p, AG_STEP_VERSION, m);
    st->sql = ag_arena_strdup(&p->s->arena, sql.data);
    st->shown = ag_arena_strdup(&p->s->arena, shown.data);
    st->revision = ag_arena_strdup(&p->s->arena, rev);
    st->params[0] = st->revision;
    st->nparams = 1;
    if (change != '-') {
        st->params[1] = ag_arena_strdup(&p->s->arena, sum);
        st->nparams = 2;
    }
    st->change = change;
    ag_buf_free(&sql);
    ag_buf_free(&shown);
    return st;
}

static void
setup_table(planner *p)
{
    ag_buf b;
    ag_buf_init(&b);
    if (!p->vs->schema_exists) {
        vt_sql_create_schema(p->o, &b);
        control(p, NULL, b.data);
        ag_buf_reset(&b);
    }
    if (!p->vs->exists) {
        vt_sql_create_table(p->o, &b);
        control(p, NULL, b.data);
    }
    ag_buf_free(&b);
}

static void
add_rev(planner *p, const ag_migration *m)
{
    ag_script *s = p->s;
    if (s->nrevs == s->caprevs) {
        s->caprevs = s->caprevs ? 2 * s->caprevs : 16;
        s->revs = ag_xrealloc(s->revs, sizeof *s->revs * s->caprevs);
    }
    s->revs[s->nrevs++] = m;
}

/* The steps of one revision, up or down. */
static void
revision_steps(planner *p, const ag_migration *m, bool down)
{
    bool txn = ag_migration_txn(m, down) == AG_TXN_PER_REVISION;
    const ag_section *sec = down ? &m->down : &m->up;
    note(p, m, down ? "downgrade" : "upgrade");
    if (txn) {
        control(p, m, "BEGIN");
        timeouts(p, m, true);
    } else {
        timeouts(p, m, false);
        if (!down) {
            ag_buf b;
            ag_buf_init(&b);
            vt_sql_mark_start(&b);
            control(p, m, b.data);
            ag_buf_free(&b);
        }
    }
    for (size_t i = 0; i < sec->nstmts; i++) {
        ag_step *st = add(p, AG_STEP_USER, m);
        st->sql = st->shown = sec->stmts[i].sql;
        st->stmt = &sec->stmts[i];
    }
    version_step(p, m, down ? '-' : '+', m->id, m->checksum,
                 txn ? VT_FROM_XACT : VT_FROM_MARK);
    if (txn)
        control(p, m, "COMMIT");
    else
        reset_timeouts(p, m);
    p->s->steps[p->s->nsteps - 1].ends_revision = true;
    add_rev(p, m);
}

/* ---- targets ---- */

typedef struct target {
    enum { T_HEAD, T_BASE, T_STEP, T_REV } kind;
    long step;  /* +N / -N */
    size_t idx; /* T_REV, T_HEAD */
} target;

static int
parse_target(planner *p, const char *text, target *t)
{
    ag_match m;
    const char *s;
    size_t n;
    if (!ag_grammar_match(AG_RE_TARGET, text, strlen(text), 0, &m))
        return ag_errorf(p->err, AG_EINVAL,
                         "bad target '%s': expected head, base, +N, -N or a "
                         "revision id (at least 4 of its hex digits)",
                         text);
    if (ag_match_group(&m, "head", &s, &n)) {
        t->kind = T_HEAD;
        return ag_revgraph_head(p->g, &t->idx, p->err);
    }
    if (ag_match_group(&m, "base", &s, &n)) {
        t->kind = T_BASE;
        return 0;
    }
    if (ag_match_group(&m, "step", &s, &n)) {
        t->kind = T_STEP;
        t->step = strtol(s, NULL, 10);
        return 0;
    }
    t->kind = T_REV;
    return ag_revgraph_find(p->g, text, &t->idx, p->err);
}

static size_t
pending_for(planner *p, size_t idx, size_t **out)
{
    const ag_revgraph *g = p->g;
    bool *want = ag_arena_alloc(&p->s->arena, sizeof *want * g->n);
    ag_revgraph_ancestors(g, idx, want);
    size_t *list = ag_arena_alloc(&p->s->arena, sizeof *list * g->n);
    size_t n = 0;
    for (size_t i = 0; i < g->n; i++)
        if (want[i] && !p->applied[i])
            list[n++] = i;
    *out = list;
    return n;
}

static int
plan_upgrade(planner *p, const char *text)
{
    const ag_revgraph *g = p->g;
    if (g->n == 0)
        return 0;
    target t;
    int rc = parse_target(p, text, &t);
    if (rc)
        return rc;
    size_t *list, n;
    if (t.kind == T_BASE || (t.kind == T_STEP && t.step < 0))
        return ag_errorf(p->err, AG_EINVAL,
                         "upgrade goes forward: for '%s' use autogen "
                         "downgrade %s",
                         text, text);
    if (t.kind == T_STEP) {
        size_t head;
        if ((rc = ag_revgraph_head(g, &head, p->err)) != 0)
            return rc;
        n = pending_for(p, head, &list);
        if ((size_t)t.step > n)
            return ag_errorf(p->err, AG_EINVAL,
                             "cannot upgrade %s: only %zu revision%s to apply",
                             text, n, n == 1 ? " is left" : "s are left");
        n = (size_t)t.step;
    } else {
        n = pending_for(p, t.idx, &list);
    }
    if (n)
        setup_table(p);
    for (size_t i = 0; i < n; i++)
        revision_steps(p, g->revs[list[i]], false);
    return 0;
}

static int
plan_downgrade(planner *p, const char *text)
{
    const ag_revgraph *g = p->g;
    target t;
    int rc = parse_target(p, text, &t);
    if (rc)
        return rc;
    if (t.kind == T_HEAD || (t.kind == T_STEP && t.step > 0))
        return ag_errorf(p->err, AG_EINVAL,
                         "downgrade goes back: for '%s' use autogen upgrade "
                         "%s",
                         text, text);
    /* Applied revisions to revert, children before parents. */
    bool *undo = ag_arena_alloc(&p->s->arena, sizeof *undo * (g->n ? g->n : 1));
    size_t napplied = 0;
    for (size_t i = 0; i < g->n; i++) {
        napplied += p->applied[i];
        undo[i] = p->applied[i];
    }
    if (t.kind == T_REV) {
        if (!p->applied[t.idx])
            return ag_errorf(p->err, AG_EINVAL,
                             "revision %s is not applied, so the database "
                             "cannot be taken back to it",
                             g->revs[t.idx]->id);
        /* Only what depends on the target goes. */
        bool *desc = ag_arena_alloc(&p->s->arena, sizeof *desc * g->n);
        desc[t.idx] = true;
        for (size_t i = t.idx + 1; i < g->n; i++)
            for (size_t k = 0; k < g->nparents[i] && !desc[i]; k++)
                desc[i] = desc[g->parents[i][k]];
        for (size_t i = 0; i < g->n; i++)
            undo[i] = undo[i] && desc[i] && i != t.idx;
    }
    size_t limit = g->n;
    if (t.kind == T_STEP) {
        limit = (size_t)-t.step;
        if (limit > napplied)
            return ag_errorf(p->err, AG_EINVAL,
                             "cannot downgrade %s: only %zu revision%s "
                             "applied",
                             text, napplied, napplied == 1 ? " is" : "s are");
    }
    size_t done = 0;
    for (size_t i = g->n; i-- > 0 && done < limit;)
        if (undo[i]) {
            revision_steps(p, g->revs[i], true);
            done++;
        }
    return 0;
}

static int
plan_stamp(planner *p, const char *const *targets, size_t ntargets)
{
    const ag_revgraph *g = p->g;
    if (ntargets == 0)
        return ag_errorf(p->err, AG_EINVAL,
                         "stamp needs a target: a revision, head or base");
    bool *want = ag_arena_alloc(&p->s->arena, sizeof *want * (g->n ? g->n : 1));
    for (size_t i = 0; i < ntargets; i++) {
        target t;
        int rc = parse_target(p, targets[i], &t);
        if (rc)
            return rc;
        if (t.kind == T_STEP)
            return ag_errorf(p->err, AG_EINVAL,
                             "stamp takes a revision, head or base, not %s",
                             targets[i]);
        if (t.kind != T_BASE)
            ag_revgraph_ancestors(g, t.idx, want);
    }
    size_t before = p->s->nsteps;
    /* Rows to remove: not wanted, including revisions no file has. */
    for (size_t r = 0; r < p->vs->nrows; r++) {
        long i = ag_revgraph_index(g, p->vs->rows[r].revision);
        if (i < 0 || !want[i])
            version_step(p, i < 0 ? NULL : g->revs[i], '-',
                         p->vs->rows[r].revision, NULL, VT_STAMPED);
    }
    for (size_t i = 0; i < g->n; i++) {
        if (!want[i])
            continue;
        const ag_applied *row = ag_vstate_find(p->vs, g->revs[i]->id);
        if (!row)
            version_step(p, g->revs[i], '+', g->revs[i]->id,
                         g->revs[i]->checksum, VT_STAMPED);
        else if (strcmp(row->checksum, g->revs[i]->checksum) != 0)
            version_step(p, g->revs[i], '~', g->revs[i]->id,
                         g->revs[i]->checksum, VT_STAMPED);
    }
    if (p->s->nsteps == before)
        return 0;
    /* Wrap the row changes: setup first, then one transaction. */
    size_t nrows = p->s->nsteps - before;
    ag_step *rows = ag_arena_alloc(&p->s->arena, sizeof *rows * nrows);
    memcpy(rows, p->s->steps + before, sizeof *rows * nrows);
    p->s->nsteps = before;
    setup_table(p);
    control(p, NULL, "BEGIN");
    for (size_t i = 0; i < nrows; i++) {
        ag_step *st = add(p, AG_STEP_VERSION, rows[i].mig);
        *st = rows[i];
        if (st->mig && st->change != '-')
            add_rev(p, st->mig);
    }
    control(p, NULL, "COMMIT");
    p->s->steps[p->s->nsteps - 1].ends_revision = true;
    return 0;
}

int
ag_runner_plan(const ag_revgraph *g, const ag_vstate *vs,
               ag_runner_action action, const char *const *targets,
               size_t ntargets, const ag_runner_opts *o, ag_script *s,
               ag_error *err)
{
    int rc = ag_grammar_init(err);
    if (rc)
        return rc;
    planner p = {g, vs, o, s, NULL, err};
    s->action = action;
    p.applied =
        ag_arena_alloc(&s->arena, sizeof *p.applied * (g->n ? g->n : 1));
    for (size_t i = 0; i < g->n; i++)
        p.applied[i] = ag_vstate_find(vs, g->revs[i]->id) != NULL;
    if (action == AG_RUN_STAMP)
        return plan_stamp(&p, targets, ntargets);
    if (ntargets > 1)
        return ag_errorf(err, AG_EINVAL, "%s takes one target, not %zu",
                         action == AG_RUN_UPGRADE ? "upgrade" : "downgrade",
                         ntargets);
    if (action == AG_RUN_UPGRADE)
        return plan_upgrade(&p, ntargets ? targets[0] : "head");
    if (ntargets == 0)
        return ag_errorf(err, AG_EINVAL,
                         "downgrade needs a target: -1, a revision, or base");
    return plan_downgrade(&p, targets[0]);
}
