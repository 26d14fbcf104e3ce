/*
 * instream.c - captures from any stream, read once (see instream.h).
 * glibc's fopencookie: the FILE that libpcap reads is a reader of ours,
 * which first gives back the bytes read to sniff the format, then waits
 * for the descriptor with poll() and the idle limit before every read.
 * gzip (RFC 1952 2.3.1: ID1 0x1f, ID2 0x8b) goes through zlib's inflate
 * with the same waiting reads underneath.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "analyze/instream.h"
#include "precall/clock.h"

#define GZ_IN_BYTES 65536 /* compressed bytes read at a time */

struct cookie {
    int fd;
    int64_t idle_ns;
    int *timed_out;
    uint8_t head[PC_INSTREAM_HEAD];
    size_t head_n, head_off;
    /* gzip */
    int gz, gz_eof, gz_done;
    z_stream z;
    uint8_t *zin;
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

/*
 * Inflated bytes into buf: > 0, 0 at the end (also of data cut short), -1
 * with errno. Members that follow one another (RFC 1952 2.2) are read on.
 */
static ssize_t gz_read(struct cookie *c, char *buf, size_t n)
{
    if (n > UINT_MAX)
        n = UINT_MAX;
    while (!c->gz_done) {
        size_t made;
        int rc;

        if (c->z.avail_in == 0 && !c->gz_eof) {
            ssize_t r = raw_read(c, (char *)c->zin, GZ_IN_BYTES);

            if (r < 0)
                return -1;
            c->gz_eof = r == 0;
            c->z.next_in = c->zin;
            c->z.avail_in = (uInt)r;
        }
        c->z.next_out = (Bytef *)buf;
        c->z.avail_out = (uInt)n;
        rc = inflate(&c->z, Z_NO_FLUSH);
        made = n - c->z.avail_out;
        if (rc == Z_STREAM_END) {
            /* another member may follow; trailing zeros are not one */
            if (c->z.avail_in > 0 && c->z.next_in[0] == 0x1f)
                inflateReset(&c->z);
            else if (c->z.avail_in == 0 && !c->gz_eof)
                inflateReset(&c->z); /* the next read tells */
            else
                c->gz_done = 1;
        } else if (rc == Z_BUF_ERROR && c->z.avail_in == 0 && c->gz_eof) {
            c->gz_done = 1; /* cut short: the end of what there is */
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            errno = EBADMSG; /* told apart by pcapio.c: "the gzip data is corrupt" */
            return -1;
        }
        if (made > 0)
            return (ssize_t)made;
        if (c->z.avail_in == 0 && c->gz_eof)
            c->gz_done = 1;
    }
    return 0;
}

static ssize_t source_read(struct cookie *c, char *buf, size_t n)
{
    return c->gz ? gz_read(c, buf, n) : raw_read(c, buf, n);
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
    return source_read(c, buf, n);
}

static int cookie_close(void *v)
{
    struct cookie *c = v;
    int rc = close(c->fd);

    if (c->gz)
        inflateEnd(&c->z);
    free(c->zin);
    free(c);
    return rc;
}

/* Fill the head from the source: 0, or -1 with errno. */
static int read_head(struct cookie *c)
{
    c->head_n = 0;
    while (c->head_n < PC_INSTREAM_HEAD) {
        ssize_t r = source_read(c, (char *)c->head + c->head_n, PC_INSTREAM_HEAD - c->head_n);

        if (r < 0)
            return -1;
        if (r == 0)
            break;
        c->head_n += (size_t)r;
    }
    return 0;
}

/* The raw head was gzip's: inflate from it on. 0, or -1 with errno. */
static int start_gzip(struct cookie *c)
{
    c->zin = malloc(GZ_IN_BYTES);
    if (c->zin == NULL) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(c->zin, c->head, c->head_n);
    c->z.next_in = c->zin;
    c->z.avail_in = (uInt)c->head_n;
    if (inflateInit2(&c->z, 16 + MAX_WBITS) != Z_OK) { /* 16: a gzip wrapper, not zlib's */
        errno = ENOMEM;
        return -1;
    }
    c->gz = 1;
    return read_head(c);
}

FILE *pc_instream_open(int fd, int64_t idle_ns, int *timed_out, uint8_t head[PC_INSTREAM_HEAD],
                       size_t *head_n, int *gzipped)
{
    cookie_io_functions_t io = {cookie_read, NULL, NULL, cookie_close};
    struct cookie *c = calloc(1, sizeof(*c));
    FILE *fp;
    int e;

    *timed_out = 0;
    *head_n = 0;
    *gzipped = 0;
    if (c == NULL) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    c->fd = fd;
    c->idle_ns = idle_ns;
    c->timed_out = timed_out;
    if (read_head(c) < 0 ||
        (c->head_n >= 2 && c->head[0] == 0x1f && c->head[1] == 0x8b && start_gzip(c) < 0)) {
        e = errno;
        cookie_close(c);
        errno = e;
        return NULL;
    }
    *gzipped = c->gz;
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
