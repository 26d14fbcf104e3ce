/*
 * instream.c - captures from any stream, read once (see instream.h).
 * glibc's fopencookie: the FILE that libpcap reads is a reader of ours,
 * which first gives back the bytes read to sniff the format, then waits
 * for the descriptor with poll() and the idle limit before every read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/instream.h"
#include "precall/clock.h"

struct cookie {
    int fd;
    int64_t idle_ns;
    int *timed_out;
    uint8_t head[PC_INSTREAM_HEAD];
    size_t head_n, head_off;
};

/* Wait until fd has something to read (or its end), at most idle_ns: 0, or -1 with errno. */
static int wait_readable(struct cookie *c)
{
    int64_t until = pc_clock_now_ns() + c->idle_ns;

    if (c->idle_ns <= 0)
        return 0;
    for (;;) {
        struct pollfd p = {c->fd, POLLIN, 0};
        int64_t left = until - pc_clock_now_ns();
        int rc;

        if (left <= 0) {
            *c->timed_out = 1;
            errno = ETIMEDOUT;
            return -1;
        }
        rc = poll(&p, 1, (int)((left + 999999) / 1000000));
        if (rc > 0)
            return 0;
        if (rc < 0 && errno != EINTR)
            return -1;
    }
}

static ssize_t raw_read(struct cookie *c, char *buf, size_t n)
{
    for (;;) {
        ssize_t r;

        if (wait_readable(c) < 0)
            return -1;
        r = read(c->fd, buf, n);
        if (r >= 0 || errno != EINTR)
            return r;
    }
}

static ssize_t cookie_read(void *v, char *buf, size_t n)
{
    struct cookie *c = v;

    if (c->head_off < c->head_n) {
        size_t k = c->head_n - c->head_off < n ? c->head_n - c->head_off : n;

        memcpy(buf, c->head + c->head_off, k);
        c->head_off += k;
        return (ssize_t)k;
    }
    return raw_read(c, buf, n);
}

static int cookie_close(void *v)
{
    struct cookie *c = v;
    int rc = close(c->fd);

    free(c);
    return rc;
}

FILE *pc_instream_open(int fd, int64_t idle_ns, int *timed_out, uint8_t head[PC_INSTREAM_HEAD],
                       size_t *head_n)
{
    cookie_io_functions_t io = {cookie_read, NULL, NULL, cookie_close};
    struct cookie *c = calloc(1, sizeof(*c));
    FILE *fp;
    int e;

    *timed_out = 0;
    *head_n = 0;
    if (c == NULL) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    c->fd = fd;
    c->idle_ns = idle_ns;
    c->timed_out = timed_out;
    while (c->head_n < PC_INSTREAM_HEAD) {
        ssize_t r = raw_read(c, (char *)c->head + c->head_n, PC_INSTREAM_HEAD - c->head_n);

        if (r < 0) {
            e = errno;
            cookie_close(c);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        c->head_n += (size_t)r;
    }
    memcpy(head, c->head, c->head_n);
    *head_n = c->head_n;
    fp = fopencookie(c, "r", io);
    if (fp == NULL) {
        e = errno;
        cookie_close(c);
        errno = e;
    }
    return fp;
}
