/*
 * sipframe.c - SIP messages reassembled from TCP segments (see sipframe.h).
 *
 * RFC 3261 18.3: on a stream transport, Content-Length must be present and
 * says how many bytes of body follow the empty line that ends the header
 * fields; 7.3.3: its compact form is "l". RFC 5626 4.4.1: a CRLF or two
 * between messages is a keep-alive, not a message.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/sipframe.h"
#include "precall/buf.h"
#include "precall/err.h"

#define LINE_MAX_BYTES 1024 /* a start line not ended by then is not SIP */

struct sflow {
    uint8_t key[PC_SIPFRAME_KEY_MAX];
    size_t keylen; /* 0: the slot is free */
    uint32_t next_seq;
    uint8_t *buf;
    size_t n, cap;
};

struct pc_sipframe {
    struct sflow f[PC_SIPFRAME_FLOWS_MAX];
    size_t used;
};

void pc_sipframe_free(struct pc_sipframe *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < PC_SIPFRAME_FLOWS_MAX; i++)
        free(t->f[i].buf);
    free(t);
}

size_t pc_sipframe_flows(const struct pc_sipframe *t)
{
    return t != NULL ? t->used : 0;
}

size_t pc_sipframe_held(const struct pc_sipframe *t)
{
    size_t n = 0;

    for (size_t i = 0; t != NULL && i < PC_SIPFRAME_FLOWS_MAX; i++)
        n += t->f[i].n;
    return n;
}

/* The flow stops being followed: its slot is free again (the buffer is kept for the next). */
static void drop(struct pc_sipframe *t, struct sflow *f)
{
    f->keylen = 0;
    f->n = 0;
    t->used--;
}

/* The length of the line at p (without its CR LF or LF), or -1 when it does not end within n. */
static long line_len(const uint8_t *p, size_t n)
{
    const uint8_t *lf = memchr(p, '\n', n);

    if (lf == NULL)
        return -1;
    return (long)(lf - p) - (lf > p && lf[-1] == '\r');
}

/*
 * 7.1, 7.2: does p begin with a SIP start line? 1 yes, 0 no, -1 cannot tell
 * yet (the line does not end within n, and what there is of it could begin
 * one). "SIP/2.0 200 OK" or
 * "INVITE sip:bob@example.org SIP/2.0": a method is a token of capitals.
 */
static int start_line(const uint8_t *p, size_t n)
{
    long len;
    size_t i = 0;

    if (n == 0 || p[0] < 'A' || p[0] > 'Z') /* most TCP payloads: no search for the line's end */
        return 0;
    len = line_len(p, n);
    if (len < 0) { /* the line's beginning only: could it still be one? */
        if (n >= LINE_MAX_BYTES)
            return 0;
        if (memcmp(p, "SIP/2.0 ", n < 8 ? n : 8) == 0)
            return -1;
        while (i < n && p[i] >= 'A' && p[i] <= 'Z')
            i++;
        return i == n || (i >= 3 && p[i] == ' ') ? -1 : 0;
    }
    if (len >= LINE_MAX_BYTES) /* as long whether a segment ends in it or not */
        return 0;
    if (len >= 8 && memcmp(p, "SIP/2.0 ", 8) == 0)
        return 1;
    while (i < (size_t)len && p[i] >= 'A' && p[i] <= 'Z')
        i++;
    return i >= 3 && i < (size_t)len && p[i] == ' ' && len >= 8 &&
           memcmp(p + len - 8, " SIP/2.0", 8) == 0;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Does the header line l[0..n) name field (lowercase), before optional blanks and the colon? */
static int is_field(const uint8_t *l, size_t n, const char *field, const uint8_t **value)
{
    size_t k = strlen(field), i;

    if (n < k)
        return 0;
    for (i = 0; i < k; i++)
        if (lower(l[i]) != field[i])
            return 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (i >= n || l[i] != ':')
        return 0;
    *value = l + i + 1;
    return 1;
}

/*
 * The header of the message at p[0..n): 1 with *head (bytes up to and with
 * the empty line) and *body (Content-Length; 0 when absent), 0 when the
 * empty line is not within n yet, -1 when the message cannot be read (a
 * Content-Length that is not a number, or larger than any buffer).
 */
static int header(const uint8_t *p, size_t n, size_t *head, size_t *body)
{
    size_t off = 0;

    *body = 0;
    for (;;) {
        long len = line_len(p + off, n - off);
        size_t next;
        const uint8_t *v;

        if (len < 0)
            return 0;
        next = off + (size_t)len + 1 + (p[off + (size_t)len] == '\r');
        if (len == 0) {
            *head = next;
            return 1;
        }
        if (is_field(p + off, (size_t)len, "content-length", &v) ||
            is_field(p + off, (size_t)len, "l", &v)) {
            const uint8_t *end = p + off + len;
            size_t cl = 0;
            int digits = 0;

            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            for (; v < end && *v >= '0' && *v <= '9'; v++, digits++) {
                cl = cl * 10 + (size_t)(*v - '0');
                if (cl > PC_SIPFRAME_BUF_MAX)
                    return -1;
            }
            if (digits == 0)
                return -1;
            *body = cl;
        }
        off = next;
    }
}

/* Hand over the whole messages at the front of f->buf; 0, or -1 when the stream lost its way. */
static int messages(struct sflow *f, pc_sipframe_msg_fn fn, void *ctx)
{
    size_t off = 0, head, body;
    int rc = 0;

    for (;;) {
        int st;

        while (off < f->n && (f->buf[off] == '\r' || f->buf[off] == '\n'))
            off++; /* keep-alives */
        if (off == f->n)
            break;
        if ((st = start_line(f->buf + off, f->n - off)) <= 0) {
            rc = st == 0 ? -1 : 0;
            break;
        }
        if ((st = header(f->buf + off, f->n - off, &head, &body)) <= 0) {
            rc = st;
            break;
        }
        if (head + body > f->n - off)
            break;
        fn(ctx, f->buf + off, head + body);
        off += head + body;
    }
    memmove(f->buf, f->buf + off, f->n - off);
    f->n -= off;
    return rc;
}

static struct sflow *lookup(struct pc_sipframe *t, const void *key, size_t keylen)
{
    for (size_t i = 0, seen = 0; i < PC_SIPFRAME_FLOWS_MAX && seen < t->used; i++) {
        struct sflow *f = &t->f[i];

        if (f->keylen == 0)
            continue;
        seen++;
        if (f->keylen == keylen && memcmp(f->key, key, keylen) == 0)
            return f;
    }
    return NULL;
}

static struct sflow *start(struct pc_sipframe *t, const void *key, size_t keylen, uint32_t seq)
{
    if (t->used >= PC_SIPFRAME_FLOWS_MAX)
        return NULL;
    for (size_t i = 0; i < PC_SIPFRAME_FLOWS_MAX; i++) {
        struct sflow *f = &t->f[i];

        if (f->keylen != 0)
            continue;
        memcpy(f->key, key, keylen);
        f->keylen = keylen;
        f->next_seq = seq;
        f->n = 0;
        t->used++;
        return f;
    }
    return NULL;
}

int pc_sipframe_segment(struct pc_sipframe **tp, const void *key, size_t keylen, uint32_t seq,
                        const uint8_t *p, size_t n, size_t wire_len, pc_sipframe_msg_fn fn,
                        void *ctx)
{
    struct pc_sipframe *t = *tp;
    struct sflow *f = NULL;

    if (n == 0 || keylen == 0 || keylen > PC_SIPFRAME_KEY_MAX)
        return 0;
    if (t != NULL && (f = lookup(t, key, keylen)) != NULL) {
        if ((int32_t)(seq - f->next_seq) < 0) { /* a resend, or part of one */
            uint32_t old = f->next_seq - seq;

            if (old >= n)
                return 0;
            p += old;
            n -= old;
            wire_len = wire_len > old ? wire_len - old : 0;
            seq = f->next_seq;
        }
        if (seq != f->next_seq) { /* bytes missing from the capture: start again */
            drop(t, f);
            f = NULL;
        }
    }
    if (f == NULL) {
        if (start_line(p, n) == 0) /* 1, or -1: a start line cut by the segment's end */
            return 0;
        if (t == NULL && (t = *tp = calloc(1, sizeof(*t))) == NULL)
            return PC_ENOMEM;
        if ((f = start(t, key, keylen, seq)) == NULL)
            return 0; /* as many flows as are followed at once */
    }
    if (f->n + n > PC_SIPFRAME_BUF_MAX) { /* a message longer than any kept */
        drop(t, f);
        return 0;
    }
    if (pc_grow((void **)&f->buf, &f->cap, f->n + n, 1) < 0) {
        drop(t, f);
        return PC_ENOMEM;
    }
    memcpy(f->buf + f->n, p, n);
    f->n += n;
    f->next_seq = seq + (uint32_t)n;
    if (messages(f, fn, ctx) < 0 || n < wire_len)
        drop(t, f); /* not SIP after all, or cut by the snap length */
    return 0;
}
