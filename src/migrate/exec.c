/*
 * exec.c - running a planned script on a connection.
 *
 * Statements of revision files go through PQexec one at a time (each was
 * split out by the parser, so one call is one statement and a failure
 * points at one place in the file); version-table steps go through
 * PQexecParams.  On a failure the open transaction is rolled back at once
 * and the error says where in which file, what the server said, and in
 * what state the database was left.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "migrate_int.h"

typedef struct runstate {
    const ag_runner_hooks *hooks;
    int revs_done;    /* revisions completed in this run */
    int stmts_in_rev; /* statements of the current revision that ran */
    double rev_start;
} runstate;

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_notice(void *arg, const PGresult *res)
{
    const runstate *st = arg;
    if (!st->hooks || !st->hooks->on_notice)
        return;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "%s: %s", sev ? sev : "NOTICE", msg ? msg : "");
    st->hooks->on_notice(b.data, st->hooks->user);
    ag_buf_free(&b);
}

/* The first lines of a statement, indented, at most ~300 bytes. */
static void
excerpt(ag_buf *out, const char *sql)
{
    int lines = 0;
    size_t start = out->len;
    ag_buf_put(out, "    ");
    for (const char *p = sql; *p; p++) {
        if (out->len - start > 300 || (*p == '\n' && ++lines == 6)) {
            ag_buf_put(out, " ...");
            break;
        }
        ag_buf_putc(out, *p);
        if (*p == '\n')
            ag_buf_put(out, "    ");
    }
}

/* What the server said: message, detail, hint. */
static void
server_message(ag_buf *out, PGconn *conn, const PGresult *res)
{
    const char *msg =
        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg) {
        ag_buf_put(out, PQerrorMessage(conn));
        while (out->len && out->data[out->len - 1] == '\n')
            out->data[--out->len] = '\0';
        return;
    }
    ag_buf_put(out, msg);
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    if (detail)
        ag_buf_printf(out, "\n  DETAIL: %s", detail);
    if (hint)
        ag_buf_printf(out, "\n  HINT: %s", hint);
}

static const char *
verb(ag_runner_action a)
{
    return a == AG_RUN_UPGRADE     ? "upgrade"
           : a == AG_RUN_DOWNGRADE ? "downgrade"
                                   : "stamp";
}

static int
fail(PGconn *conn, const ag_script *s, const ag_step *step, const PGresult *res,
     const runstate *st, bool rolled_back, ag_error *err)
{
    const ag_migration *m = step->mig;
    ag_buf b;
    ag_buf_init(&b);
    if (step->kind == AG_STEP_USER) {
        /* Where: the server's error position when it gave one, else the
         * statement's first token. */
        size_t off = step->stmt->offset;
        const char *pos =
            res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
        int line = step->stmt->line, col = 0;
        if (pos) {
            off += mig_char_to_byte(step->sql, strlen(step->sql), atoi(pos));
            ag_srcloc_from_offset(m->text, off, &line, &col);
        }
        if (col)
            ag_buf_printf(&b, "%s:%d:%d: ", m->path, line, col);
        else
            ag_buf_printf(&b, "%s:%d: ", m->path, line);
        ag_buf_printf(&b, "%s of revision %s failed: ", verb(s->action), m->id);
    } else if (m) {
        ag_buf_printf(&b, "%s: %s of revision %s failed at `%s`: ", m->path,
                      verb(s->action), m->id, step->shown);
    } else {
        ag_buf_printf(&b, "%s failed at `%.200s`: ", verb(s->action),
                      step->shown);
    }
    server_message(&b, conn, res);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    bool down = s->action == AG_RUN_DOWNGRADE;
    ag_txn_mode mode = m ? ag_migration_txn(m, down) : AG_TXN_PER_REVISION;
    if (state && strcmp(state, "25001") == 0 && m &&
        mode == AG_TXN_PER_REVISION)
        ag_buf_put(&b, "\n  HINT: this statement cannot run inside a "
                       "transaction: declare '-- autogen:transaction none' "
                       "in the revision's header");
    if (step->kind == AG_STEP_USER) {
        ag_buf_put(&b, "\nin the statement:\n");
        excerpt(&b, step->sql);
    }
    if (m && mode == AG_TXN_NONE && s->action != AG_RUN_STAMP)
        ag_buf_printf(&b,
                      "\nThe revision runs without a transaction: the %d "
                      "statement%s before this one stay%s applied, and the "
                      "version table does not list the revision as %s; "
                      "repair the database by hand, then run the command "
                      "again.",
                      st->stmts_in_rev, st->stmts_in_rev == 1 ? "" : "s",
                      st->stmts_in_rev == 1 ? "s" : "",
                      down ? "reverted" : "applied");
    else if (rolled_back)
        ag_buf_put(&b, "\nRolled back: the database and the version table "
                       "are as they were before it.");
    if (st->revs_done > 0)
        ag_buf_printf(&b,
                      " The %d revision%s before it in this run %s "
                      "committed.",
                      st->revs_done, st->revs_done == 1 ? "" : "s",
                      st->revs_done == 1 ? "was" : "were");
    int rc = ag_errorf(err, AG_EDB, "%s", b.data);
    ag_buf_free(&b);
    return rc;
}

/* Run one step; returns its final result (caller PQclear's) and whether
 * it succeeded. */
static PGresult *
run_step(PGconn *conn, const ag_step *step, bool *ok)
{
    PGresult *res;
    if (step->nparams)
        res = PQexecParams(conn, step->sql, step->nparams, NULL, step->params,
                           NULL, NULL, 0);
    else
        res = PQexec(conn, step->sql);
    ExecStatusType t = PQresultStatus(res);
    *ok =
        t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK || t == PGRES_EMPTY_QUERY;
    if (t == PGRES_COPY_IN || t == PGRES_COPY_OUT) {
        /* The data of a COPY cannot follow a statement of a revision
         * file: end it as a failure and report the server's error. */
        if (t == PGRES_COPY_IN) {
            PQputCopyEnd(conn, "COPY FROM STDIN cannot run from a revision "
                               "file");
        } else {
            char *buf;
            while (PQgetCopyData(conn, &buf, 0) > 0)
                PQfreemem(buf);
        }
        PGresult *next;
        while ((next = PQgetResult(conn)) != NULL) {
            PQclear(res);
            res = next;
        }
        *ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    }
    return res;
}

int
ag_runner_exec(PGconn *conn, const ag_script *s, const ag_runner_hooks *hooks,
               ag_error *err)
{
    runstate st = {.hooks = hooks};
    PQnoticeReceiver old = PQsetNoticeReceiver(conn, on_notice, &st);
    int rc = 0;
    for (size_t i = 0; i < s->nsteps && !rc; i++) {
        const ag_step *step = &s->steps[i];
        if (hooks && hooks->on_step)
            hooks->on_step(step, hooks->user);
        if (step->kind == AG_STEP_NOTE) {
            st.rev_start = now_s();
            st.stmts_in_rev = 0;
            continue;
        }
        bool ok;
        PGresult *res = run_step(conn, step, &ok);
        if (!ok) {
            bool rolled_back = false;
            PGTransactionStatusType ts = PQtransactionStatus(conn);
            if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) {
                PGresult *rb = PQexec(conn, "ROLLBACK");
                rolled_back = PQresultStatus(rb) == PGRES_COMMAND_OK;
                PQclear(rb);
            }
            rc = fail(conn, s, step, res, &st, rolled_back, err);
            PQclear(res);
            break;
        }
        PQclear(res);
        if (step->kind == AG_STEP_USER)
            st.stmts_in_rev++;
        if (step->ends_revision) {
            if (hooks && hooks->on_done && step->mig &&
                s->action != AG_RUN_STAMP)
                hooks->on_done(step->mig, s->action, now_s() - st.rev_start,
                               hooks->user);
            st.revs_done++;
        }
    }
    PQsetNoticeReceiver(conn, old, NULL);
    return rc;
}
