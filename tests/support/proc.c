/*
 * proc.c - run a program with its stdout and stderr captured, plus the
 * small text helpers the runners use to report what they saw.
 *
 * fork/exec with an argv, never a shell, so arguments need no quoting.
 * Both pipes are drained together with poll(): a program that fills one
 * while we block on the other would otherwise deadlock.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "autogen/base.h"

/* ag_buf_detach leaves a fresh (allocated) buffer behind: free that too. */
static char *
take(ag_buf *b)
{
    char *s = ag_buf_detach(b);
    ag_buf_free(b);
    return s;
}

static char *
fail_spawn(agt_result *res, const char *what, int e)
{
    ag_buf b;
    ag_buf_init(&b);
    ag_buf_printf(&b, "%s: %s", what, strerror(e));
    res->err = take(&b);
    return res->err;
}

int
agt_run(char *const argv[], agt_result *res)
{
    int outp[2], errp[2];
    memset(res, 0, sizeof *res);
    res->code = -1;
    res->out = ag_xstrdup("");
    if (pipe(outp) != 0) {
        fail_spawn(res, "pipe", errno);
        return -1;
    }
    if (pipe(errp) != 0) {
        fail_spawn(res, "pipe", errno);
        close(outp[0]);
        close(outp[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        fail_spawn(res, "fork", errno);
        close(outp[0]), close(outp[1]), close(errp[0]), close(errp[1]);
        return -1;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(outp[1], 1) < 0 ||
            dup2(errp[1], 2) < 0)
            _exit(127);
        close(outp[0]), close(outp[1]), close(errp[0]), close(errp[1]);
        close(devnull);
        execvp(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(outp[1]);
    close(errp[1]);

    ag_buf out, err;
    ag_buf_init(&out);
    ag_buf_init(&err);
    struct pollfd fds[2] = {{outp[0], POLLIN, 0}, {errp[0], POLLIN, 0}};
    ag_buf *bufs[2] = {&out, &err};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char chunk[65536];
            ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
            if (n > 0) {
                ag_buf_putn(bufs[i], chunk, (size_t)n);
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);

    int status = 0;
    pid_t r;
    do
        r = waitpid(pid, &status, 0);
    while (r < 0 && errno == EINTR);
    free(res->out);
    res->out = take(&out);
    res->err = take(&err);
    if (r < 0)
        return -1;
    if (WIFEXITED(status))
        res->code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        res->signal = WTERMSIG(status);
    return 0;
}

void
agt_result_free(agt_result *res)
{
    free(res->out);
    free(res->err);
    res->out = res->err = NULL;
}

const char *
agt_status(const agt_result *res)
{
    static char buf[64];
    if (res->signal)
        snprintf(buf, sizeof buf, "killed by signal %d", res->signal);
    else if (res->code >= 0)
        snprintf(buf, sizeof buf, "exit %d", res->code);
    else
        snprintf(buf, sizeof buf, "did not run");
    return buf;
}

int
agt_sanitizer_report(const agt_result *res)
{
    static const char *const marks[] = {
        "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
        "runtime error: ", "SUMMARY: UndefinedBehaviorSanitizer",
        "SUMMARY: AddressSanitizer"};
    if (!res->err)
        return 0;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strstr(res->err, marks[i]))
            return 1;
    return 0;
}

static int
line_has_text(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
            return 1;
    return 0;
}

char *
agt_first_lines(const char *text, int nlines, size_t max)
{
    ag_buf b;
    ag_buf_init(&b);
    const char *p = text ? text : "";
    for (int i = 0; i < nlines && *p;) {
        size_t len = strcspn(p, "\n");
        if (line_has_text(p, len)) {
            if (b.len)
                ag_buf_put(&b, " | ");
            ag_buf_putn(&b, p, len);
            i++;
        }
        p += len;
        if (*p == '\n')
            p++;
    }
    if (b.len > max) {
        b.data[max > 3 ? max - 3 : 0] = '\0';
        b.len = strlen(b.data);
        ag_buf_put(&b, "...");
    }
    return take(&b);
}

int
agt_has_text(const char *text)
{
    return text ? line_has_text(text, strlen(text)) : 0;
}

char *
agt_write_temp(const char *text)
{
    const char *dir = getenv("TMPDIR");
    ag_buf path;
    ag_buf_init(&path);
    ag_buf_printf(&path, "%s/autogen-test-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path.data);
    if (fd < 0) {
        ag_buf_free(&path);
        return NULL;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            unlink(path.data);
            ag_buf_free(&path);
            return NULL;
        }
        off += (size_t)n;
    }
    close(fd);
    return take(&path);
}

char *
agt_unified_diff(const char *a, const char *alabel, const char *b,
                 const char *blabel)
{
    char *fa = agt_write_temp(a), *fb = agt_write_temp(b);
    char *text = NULL;
    if (fa && fb) {
        char *argv[] = {"diff", "-u", "--label", (char *)alabel, "--label",
                        (char *)blabel, fa, fb, NULL};
        agt_result r;
        agt_run(argv, &r);
        text = r.out;
        r.out = NULL;
        agt_result_free(&r);
    }
    if (fa)
        unlink(fa);
    if (fb)
        unlink(fb);
    free(fa);
    free(fb);
    return text ? text : ag_xstrdup("(diff could not be computed)\n");
}

char *
agt_read_file(const char *path)
{
    char *text = NULL;
    size_t len;
    ag_error err;
    if (ag_read_file(path, &text, &len, &err) != 0)
        return NULL;
    return text;
}
