/*
 * transfers.c - parallel HTTP transfers to the speed-test server (see
 * transfers.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "precall/cause.h"
#include "precall/clock.h"
#include "probe/tcpinfo.h"
#include "probe/transfers.h"

#define DOWN_BYTES   25000000LL /* per request; a phase aborts what it does not need */
#define UP_BYTES     25000000LL
#define BUFFER_BYTES (512 * 1024L)
#define TRICKLE_NS   (1 * PC_NS_PER_S) /* a download this long after its first byte ... */
#define TRICKLE_BPS  1000.0            /* ... got less than this a second trickles */

/*
 * The end of an answer's headers: an answer of 400 or more (a refusal) is
 * cut there, so that libcurl closes its connection rather than keep it in
 * its pool, where another stream's next request would take it unseen (its
 * bytes then counted on no socket). finished() reads the cut as the answer.
 */
static size_t on_header(char *buf, size_t size, size_t n, void *user)
{
    struct pc_xfer_stream *st = user;
    long status = 0;

    if (size * n <= 2 && (buf[0] == '\r' || buf[0] == '\n') &&
        curl_easy_getinfo(st->h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status >= 400) {
        st->cut = 1;
        return 0;
    }
    return size * n;
}

/* Has the stream's server said yes (2xx)? Bodies of refusals are not counted. */
static void answered(struct pc_xfer_stream *st)
{
    long status = 0;

    if (curl_easy_getinfo(st->h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status >= 200 &&
        status < 300) {
        st->answered = 1;
        st->set->answered = 1;
    }
}

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
    struct pc_xfer_stream *st = user;

    (void)p;
    if (!st->answered)
        answered(st);
    if (st->first_ns == 0)
        st->first_ns = pc_clock_now_ns();
    st->got += (long long)(size * n);
    st->app_total += (long long)(size * n);
    /* More than asked (a body that never ends, a length that lies): a write error. */
    return st->got > st->asked ? 0 : size * n;
}

static size_t on_read(char *buf, size_t size, size_t n, void *user)
{
    struct pc_xfer_stream *st = user;
    size_t want = size * n, put = 0;

    if ((long long)want > st->asked - st->got)
        want = (size_t)(st->asked - st->got);
    while (put < want) {
        size_t off = (size_t)((st->got + (long long)put) % PC_XFER_BLOB_BYTES);
        size_t k = PC_XFER_BLOB_BYTES - off < want - put ? PC_XFER_BLOB_BYTES - off : want - put;

        memcpy(buf + put, st->set->blob + off, k);
        put += k;
    }
    st->got += (long long)put;
    return put;
}

/* The set's record of what was counted on a connection, by socket (-1: none). */
static long long *counted(struct pc_xfers *x, int fd)
{
    struct pc_xfer_conn *free_slot = NULL;

    for (size_t i = 0; i < PC_XFER_CONNS_MAX; i++) {
        if (x->conns[i].fd == fd)
            return &x->conns[i].counted;
        if (free_slot == NULL && x->conns[i].fd < 0)
            free_slot = &x->conns[i];
    }
    if (free_slot == NULL)
        return NULL;
    free_slot->fd = fd;
    free_slot->counted = 0;
    return &free_slot->counted;
}

/*
 * The stream's bytes so far: TCP's count where there is one, else the
 * application's. A request may go out on a connection another stream of the
 * set left in libcurl's pool (after a refusal): the stream follows its
 * active socket, and counts only what no stream counted on it before.
 */
static long long stream_bytes(struct pc_xfer_stream *st)
{
    struct pc_xfers *x = st->set;
    struct pc_tcpinfo ti;
    curl_off_t up = 0;

    /* Until the server said yes (2xx), what moved were refusals, not the test. */
    if (!st->answered)
        return 0;
    if (st->fd >= 0 && pc_tcpinfo_read(st->fd, &ti) == 0) {
        long long v = x->dir == PC_XFER_DOWN ? ti.bytes_received : ti.bytes_acked;
        long long *seen = counted(x, st->fd);

        if (v >= 0) {
            st->tcp_seen = 1;
            if (st->fd != st->tcp.fd && seen != NULL) {
                st->tcp.fd = st->fd; /* counted from where the others left it */
                st->tcp.prev = *seen;
            }
            pc_tput_count_add(&st->tcp, st->fd, v);
            if (seen != NULL)
                *seen = v;
            return st->tcp.total;
        }
    }
    if (st->tcp_seen)
        return st->tcp.total;
    if (x->dir == PC_XFER_DOWN)
        return st->app_total;
    if (st->active)
        curl_easy_getinfo(st->h, CURLINFO_SIZE_UPLOAD_T, &up);
    return st->done_bytes + (st->active ? (long long)up : 0);
}

/* libcurl made a socket for the stream: keep it, to read its TCP counters. */
static int on_socket(void *user, curl_socket_t fd, curlsocktype purpose)
{
    struct pc_xfer_stream *st = user;

    if (purpose == CURLSOCKTYPE_IPCXN)
        st->fd = (int)fd;
    return CURL_SOCKOPT_OK;
}

/* libcurl closes a socket: whichever stream uses it counts it one last time, then forgets it. */
static int on_close(void *user, curl_socket_t fd)
{
    struct pc_xfer_stream *st = user;
    struct pc_xfers *x = st->set;
    long long *seen;

    for (size_t i = 0; i < x->n; i++)
        if (x->st[i].fd == (int)fd) {
            stream_bytes(&x->st[i]);
            x->st[i].fd = -1;
        }
    seen = counted(x, (int)fd);
    if (seen != NULL)
        for (size_t i = 0; i < PC_XFER_CONNS_MAX; i++)
            if (&x->conns[i].counted == seen)
                x->conns[i].fd = -1;
    return close(fd);
}

long long pc_xfers_bytes(struct pc_xfers *x)
{
    long long sum = 0;

    for (size_t i = 0; i < x->n; i++)
        sum += stream_bytes(&x->st[i]);
    return sum;
}

void pc_xfers_fail(struct pc_xfers *x, const char *cause, int reached, const char *reason)
{
    /* Silence after a refusal, before any stream got an answer: the refusal is why. */
    if (x->refused && !x->answered) {
        x->failed = 1;
        x->fail = x->refusal;
        return;
    }
    x->failed = 1;
    x->fail.cause = cause;
    x->fail.reached = reached;
    snprintf(x->fail.reason, sizeof(x->fail.reason), "%s", reason);
}

/* (Re)issue the stream's request; the handle keeps its connection. */
static int request(struct pc_xfers *x, struct pc_xfer_stream *st)
{
    st->got = 0;
    st->asked = x->dir == PC_XFER_DOWN ? DOWN_BYTES : UP_BYTES;
    st->first_ns = 0;
    if (x->dir == PC_XFER_UP)
        curl_easy_setopt(st->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)st->asked);
    if (curl_multi_add_handle(x->m, st->h) != CURLM_OK)
        return -1;
    st->active = 1;
    return 0;
}

static int stream_init(struct pc_xfers *x, struct pc_xfer_stream *st)
{
    st->set = x;
    st->fd = -1;
    /* An upload is answered after its body: its bytes count from the start. */
    st->answered = x->dir == PC_XFER_UP;
    pc_tput_count_init(&st->tcp);
    st->h = curl_easy_init();
    if (st->h == NULL || pc_speed_setup(st->h, x->cfg, x->url, st->errbuf) < 0)
        return -1;
    curl_easy_setopt(st->h, CURLOPT_PRIVATE, st);
    curl_easy_setopt(st->h, CURLOPT_BUFFERSIZE, BUFFER_BYTES);
    curl_easy_setopt(st->h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(st->h, CURLOPT_WRITEDATA, st);
    curl_easy_setopt(st->h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(st->h, CURLOPT_HEADERDATA, st);
    curl_easy_setopt(st->h, CURLOPT_SOCKOPTFUNCTION, on_socket);
    curl_easy_setopt(st->h, CURLOPT_SOCKOPTDATA, st);
    curl_easy_setopt(st->h, CURLOPT_CLOSESOCKETFUNCTION, on_close);
    curl_easy_setopt(st->h, CURLOPT_CLOSESOCKETDATA, st);
    /* Slow or silent servers are caught by the stall check, not by curl. */
    curl_easy_setopt(st->h, CURLOPT_CONNECTTIMEOUT_MS, 60000L);
    if (x->dir == PC_XFER_UP) {
        curl_easy_setopt(st->h, CURLOPT_POST, 1L);
        curl_easy_setopt(st->h, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(st->h, CURLOPT_READDATA, st);
        /* curl's default upload buffer (64 KiB): larger ones made curl 7.88's TLS
           uploads stall here. No 100-continue round trip: nginx answers the POST. */
        curl_easy_setopt(st->h, CURLOPT_HTTPHEADER, x->headers);
    }
    return 0;
}

int pc_xfers_start(struct pc_xfers *x, const struct pc_config *cfg, enum pc_xfer_dir d, size_t n,
                   const unsigned char *blob)
{
    memset(x, 0, sizeof(*x));
    for (size_t i = 0; i < PC_XFER_CONNS_MAX; i++)
        x->conns[i].fd = -1;
    x->dir = d;
    x->cfg = cfg;
    x->blob = blob;
    x->m = curl_multi_init();
    if (x->m == NULL ||
        (d == PC_XFER_UP &&
         ((x->headers = curl_slist_append(NULL, "Expect:")) == NULL ||
          curl_slist_append(x->headers, "Content-Type: application/octet-stream") == NULL)) ||
        pc_speed_url(cfg, d == PC_XFER_DOWN ? "/__down" : "/__up",
                     d == PC_XFER_DOWN ? DOWN_BYTES : UP_BYTES, x->url, sizeof(x->url)) < 0)
        goto fail;
    curl_multi_setopt(x->m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)PC_XFER_STREAMS_MAX);
    for (size_t i = 0; i < n && i < PC_XFER_STREAMS_MAX; i++) {
        x->n = i + 1;
        if (stream_init(x, &x->st[i]) < 0 || request(x, &x->st[i]) < 0)
            goto fail;
    }
    return 0;
fail:
    pc_xfers_fail(x, pc_cause_id(PC_CAUSE_INTERNAL), 0, "libcurl could not be set up");
    return -1;
}

/* Bytes moved by the set's other streams. */
static long long others_moved(struct pc_xfers *x, const struct pc_xfer_stream *st)
{
    long long sum = 0;

    for (size_t i = 0; i < x->n; i++)
        if (&x->st[i] != st)
            sum += x->st[i].done_bytes + x->st[i].got;
    return sum;
}

/*
 * A transfer that failed with f: wait for Retry-After and ask again, ask
 * again on a new connection while the others measure, or fail the set.
 */
static void retry_or_fail(struct pc_xfers *x, struct pc_xfer_stream *st,
                          const struct pc_speed_failure *f)
{
    int64_t wait = f->retry_ns > 0 ? f->retry_ns : 1 * PC_NS_PER_S;

    if (st->retries < PC_XFER_RETRIES && f->retryable && wait <= PC_XFER_WAIT_MAX_NS) {
        st->retries++;
        st->wait_ns = pc_clock_now_ns() + wait;
        return;
    }
    if (x->recoveries < PC_XFER_RETRIES && !f->retryable && others_moved(x, st) > 0) {
        x->recoveries++;
        curl_easy_setopt(st->h, CURLOPT_FRESH_CONNECT, 1L);
        if (request(x, st) == 0)
            return;
    }
    x->fail = *f;
    x->failed = 1;
}

/* A finished transfer: ask again on the same connection, or see to its failure. */
static void finished(struct pc_xfers *x, struct pc_xfer_stream *st, CURLcode rc)
{
    struct pc_speed_failure f;
    curl_off_t up = 0;

    curl_multi_remove_handle(x->m, st->h);
    st->active = 0;
    if (rc == CURLE_WRITE_ERROR && st->cut)
        rc = CURLE_OK; /* the refusal's headers were read: its status says the rest */
    st->cut = 0;
    if (x->dir == PC_XFER_UP) {
        curl_easy_getinfo(st->h, CURLINFO_SIZE_UPLOAD_T, &up);
        st->done_bytes += (long long)up;
    } else {
        st->done_bytes += st->got;
    }
    if (rc == CURLE_WRITE_ERROR && st->got > st->asked) {
        /* Not a broken connection but a server that does not do what it is asked. */
        pc_xfers_fail(x, pc_cause_id(PC_CAUSE_SERVER_FAULTY), 1, "");
        snprintf(x->fail.reason, sizeof(x->fail.reason),
                 "the speed-test server sent more than the %lld bytes asked", st->asked);
        return;
    }
    if (pc_speed_failed(st->h, rc, st->errbuf, x->cfg, &f)) {
        if (strcmp(f.cause, pc_cause_id(PC_CAUSE_SERVER_REFUSED)) == 0) {
            x->refused = 1;
            x->refusal = f;
        }
        st->got = 0;
        retry_or_fail(x, st, &f);
        return;
    }
    if (x->dir == PC_XFER_DOWN && st->got < st->asked) {
        memset(&f, 0, sizeof(f));
        f.cause = pc_cause_id(PC_CAUSE_SERVER_FAULTY);
        f.reached = 1;
        snprintf(f.reason, sizeof(f.reason),
                 "the speed-test server sent %lld bytes where %lld were asked", st->got, st->asked);
        st->got = 0;
        retry_or_fail(x, st, &f);
        return;
    }
    curl_easy_setopt(st->h, CURLOPT_FRESH_CONNECT, 0L);
    if (request(x, st) < 0)
        pc_xfers_fail(x, pc_cause_id(PC_CAUSE_INTERNAL), 0, "libcurl refused a transfer");
}

/* Streams whose Retry-After has passed ask again; the server's address once it is known. */
static void due(struct pc_xfers *x)
{
    int64_t now = pc_clock_now_ns();

    for (size_t i = 0; i < x->n; i++) {
        struct pc_xfer_stream *st = &x->st[i];
        char *ip = NULL;
        long port = 0;

        /* A download that trickles: TRICKLE_BPS is far below any link a call could use. */
        if (x->dir == PC_XFER_DOWN && st->active && !x->failed && st->first_ns > 0 &&
            now - st->first_ns >= TRICKLE_NS &&
            (double)st->got * PC_NS_PER_S < TRICKLE_BPS * (double)(now - st->first_ns)) {
            pc_xfers_fail(x, pc_cause_id(PC_CAUSE_SERVER_FAULTY), 1, "");
            snprintf(x->fail.reason, sizeof(x->fail.reason),
                     "the speed-test server sent %lld bytes in %.1f s: it trickles", st->got,
                     (double)(now - st->first_ns) / PC_NS_PER_S);
        }
        if (st->wait_ns > 0 && now >= st->wait_ns && !x->failed) {
            st->wait_ns = 0;
            if (request(x, st) < 0)
                pc_xfers_fail(x, pc_cause_id(PC_CAUSE_INTERNAL), 0, "libcurl refused a transfer");
        }
        if (x->peer[0] == '\0' && st->h != NULL &&
            curl_easy_getinfo(st->h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != NULL &&
            ip[0] != '\0' && curl_easy_getinfo(st->h, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK &&
            port > 0) {
            snprintf(x->peer, sizeof(x->peer), "%s", ip);
            x->peer_port = (int)port;
        }
    }
}

void pc_xfers_pump(struct pc_xfers *x, const int *fds, size_t nfds, int timeout_ms)
{
    struct curl_waitfd w[8];
    int running = 0, left;
    CURLMsg *msg;

    if (nfds > sizeof(w) / sizeof(w[0]))
        nfds = sizeof(w) / sizeof(w[0]);
    for (size_t i = 0; i < nfds; i++)
        w[i] = (struct curl_waitfd){fds[i], CURL_WAIT_POLLIN, 0};
    curl_multi_poll(x->m, w, (unsigned)nfds, timeout_ms, NULL);
    curl_multi_perform(x->m, &running);
    while (!x->failed && (msg = curl_multi_info_read(x->m, &left)) != NULL) {
        struct pc_xfer_stream *st = NULL;

        if (msg->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&st);
        if (st != NULL)
            finished(x, st, msg->data.result);
    }
    due(x);
}

void pc_xfers_close(struct pc_xfers *x)
{
    for (size_t i = 0; i < x->n; i++) {
        struct pc_xfer_stream *st = &x->st[i];
        char *ip = NULL;
        long port = 0;

        if (st->h == NULL)
            continue;
        if (x->peer[0] == '\0' && curl_easy_getinfo(st->h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
            ip != NULL && ip[0] != '\0' &&
            curl_easy_getinfo(st->h, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK) {
            snprintf(x->peer, sizeof(x->peer), "%s", ip);
            x->peer_port = (int)port;
        }
        if (st->active)
            curl_multi_remove_handle(x->m, st->h);
        curl_easy_cleanup(st->h);
        st->h = NULL;
        st->active = 0;
    }
    /*
     * The multi handle keeps the idle connections of its streams (one whose
     * answer was whole, waiting out a Retry-After) in its cache: closed here
     * too, or they stay open beside the next direction's (7 at once seen by
     * integration.http_refusal's recorder under ASan).
     */
    if (x->m != NULL)
        curl_multi_cleanup(x->m);
    x->m = NULL;
}

void pc_xfers_free(struct pc_xfers *x)
{
    pc_xfers_close(x);
    if (x->m != NULL)
        curl_multi_cleanup(x->m);
    curl_slist_free_all(x->headers);
    x->headers = NULL;
    x->m = NULL;
}

unsigned char *pc_xfer_blob(void)
{
    unsigned char *b = malloc(PC_XFER_BLOB_BYTES);
    uint64_t x = (uint64_t)pc_clock_now_ns() | 1;

    if (b == NULL)
        return NULL;
    /* xorshift64*: incompressible to any compressor on the way, made once. */
    for (size_t i = 0; i + 8 <= PC_XFER_BLOB_BYTES; i += 8) {
        uint64_t v;

        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        v = x * 0x2545F4914F6CDD1DULL;
        memcpy(b + i, &v, 8);
    }
    return b;
}
