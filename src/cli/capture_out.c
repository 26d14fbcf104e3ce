/* capture_out.c - the -o helper of a capture that root itself started (see capture_out.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/capture_out.h"

/* The helper: read the report, and write it only once the capture committed it. */
static void helper_main(const char *path, int data_fd, int commit_fd)
{
    struct pc_buf b = {0};
    struct pc_err err = {0};
    char chunk[65536], c = 0;
    ssize_t n;

    for (;;) {
        n = read(data_fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (pc_grow((void **)&b.data, &b.cap, b.len + (size_t)n + 1, 1) < 0)
            _exit(PC_EXIT_INTERNAL);
        memcpy(b.data + b.len, chunk, (size_t)n);
        b.len += (size_t)n;
        b.data[b.len] = '\0';
    }
    while ((n = read(commit_fd, &c, 1)) < 0 && errno == EINTR)
        ;
    if (n != 1 || c != '1')
        _exit(0); /* the capture did not finish its report: write nothing */
    if (pc_output_write(path, &b, &err) < 0) {
        pc_cli_error("%s", err.msg);
        fflush(stdout);
        _exit(PC_EXIT_IOERR);
    }
    _exit(fflush(stdout) == 0 ? 0 : PC_EXIT_IOERR);
}

int pc_outhelper_start(const char *path, struct pc_capdev *dev, struct pc_outhelper *h)
{
    int data[2], commit[2];

    memset(h, 0, sizeof(*h));
    if (pipe(data) < 0)
        return -1;
    if (pipe(commit) < 0) {
        close(data[0]);
        close(data[1]);
        return -1;
    }
    fflush(NULL); /* nothing buffered is written twice */
    h->pid = fork();
    if (h->pid < 0) {
        close(data[0]);
        close(data[1]);
        close(commit[0]);
        close(commit[1]);
        h->pid = 0;
        return -1;
    }
    if (h->pid == 0) {
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        close(data[1]);
        close(commit[1]);
        pc_capdev_close(dev, NULL);
        helper_main(path, data[0], commit[0]);
    }
    close(data[0]);
    close(commit[0]);
    h->data_fd = data[1];
    h->commit_fd = commit[1];
    return 0;
}

int pc_outhelper_finish(struct pc_outhelper *h, int commit)
{
    int st = 0;

    if (h->pid == 0)
        return 0;
    close(h->data_fd);
    if (commit)
        (void)!write(h->commit_fd, "1", 1);
    close(h->commit_fd);
    while (waitpid(h->pid, &st, 0) < 0 && errno == EINTR)
        ;
    h->pid = 0;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return PC_EXIT_IOERR;
}
