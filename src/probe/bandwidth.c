/*
 * bandwidth.c - the 'bandwidth' probe: download and upload throughput, and
 * the latency of the link while it is busy (bufferbloat).
 *
 * Download, then upload, each through the libcurl multi interface with
 * several parallel HTTP/1.1 transfers (GET /__down?bytes=N, POST /__up of
 * incompressible bytes made once), each on its own TCP connection; a
 * transfer that completes is asked again on the same connection. Bytes are
 * counted in 100 ms windows at the TCP level (the connection's TCP_INFO on
 * Linux): bytes received for a download; for an upload the bytes the
 * server's TCP has acknowledged, since the server answers an upload before
 * it has read it (elsewhere: the bytes libcurl delivered or sent). The
 * figure is the median of the kept windows, each as a half-second mean
 * (see kept_median). The first windows are
 * TCP's ramp-up and are left out: at least RAMP_MIN_NS, until the rate
 * stops rising, at most RAMP_MAX_NS. A direction stops once the last
 * second's windows agree within 5 %, or at its share of the window. The
 * p90 comes with it; every window is a point of the phase's throughput
 * series.
 *
 * Loaded latency: when the udp probe found a STUN server, a STUN session of
 * each phase probes it at 50 a second from inside the same event loop (its
 * sockets polled beside curl's), so RTT, jitter and loss are measured per
 * phase while the link is full; a request the kernel refuses to send under
 * load is a lost probe. bufferbloat_ms is the larger increase of the
 * median RTT over the idle one.
 *
 * Per-byte work is a counter add (download) or a memcpy from the random
 * block (upload); buffers are large, so a link of a gigabit or more makes
 * neither the check longer (every phase is bounded in time) nor precall
 * the bottleneck.
 */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/tcp.h> /* struct tcp_info with tcpi_bytes_acked/_received */
#endif

#include "precall/clock.h"
#include "precall/probe.h"
#include "precall/stats.h"
#include "probe/speedhttp.h"
#include "probe/stunsession.h"
#include "probe/stunstats.h"

#define WINDOW_NS        (100 * PC_NS_PER_MS)
#define RAMP_MIN_NS      (500 * PC_NS_PER_MS)
#define RAMP_MAX_NS      (1500 * PC_NS_PER_MS)
#define SMOOTH           5                 /* windows in each value the median takes */
#define STABLE_WINDOWS   10                /* the last second */
#define STABLE_PCT       5.0               /* its halves, and it against the median, within this */
#define STALL_NS         (1 * PC_NS_PER_S) /* no byte moved for this long: stalled */
#define FIRST_BYTE_NS    (3 * PC_NS_PER_S) /* nothing at all for this long: never answers */
#define DOWN_STREAMS     6
#define UP_STREAMS       4
#define UP_STREAMS_FAST  6
#define FAST_MBPS        200.0
#define STREAMS_MAX      8
#define DOWN_BYTES       25000000LL /* per request; a phase aborts what it does not need */
#define UP_BYTES         25000000LL
#define BLOB_BYTES       (1 << 20) /* random upload data, made once */
#define BUFFER_BYTES     (512 * 1024L)
#define UP_BUFFER_BYTES  (2 * 1024 * 1024L)
#define LOADED_EVERY_NS  (20 * PC_NS_PER_MS) /* 50 STUN requests a second under load */
#define REPLY_TIMEOUT_NS (1000 * PC_NS_PER_MS)
#define DRAIN_NS         (400 * PC_NS_PER_MS) /* for the last loaded answers */
#define MIN_PHASE_NS     (800 * PC_NS_PER_MS)
#define FIGURE_EVERY_NS  (250 * PC_NS_PER_MS)

enum dir { DOWN, UP };

static const char *const dir_name[] = {"download", "upload"};

struct stream {
    CURL *h;
    struct phase *ph;
    long long asked;      /* bytes of the current request (down) or body (up) */
    long long got;        /* bytes of the current transfer received (down) or read (up) */
    long long done_bytes; /* bytes of this stream's finished transfers */
    int active;
    int fd;              /* its connection's socket, -1 before one */
    int counted_fd;      /* the socket tcp_prev belongs to */
    long long tcp_prev;  /* TCP_INFO's count of that socket at the last look */
    long long tcp_total; /* bytes counted at the TCP level, all connections */
    int tcp_seen;        /* the kernel gave counts: use them only */
    long long app_total; /* downloads: bytes the application received */
    char errbuf[CURL_ERROR_SIZE];
};

struct phase {
    enum dir dir;
    struct pc_probe_ctx *ctx;
    CURLM *m;
    struct stream st[STREAMS_MAX];
    size_t n;
    char url[1024];
    const unsigned char *blob;
    int scope;                   /* the phase's scope in the report */
    double *mbps;                /* one per window */
    size_t n_win, cap_win, ramp; /* windows [0, ramp) are the ramp-up */
    int stable;
    struct pc_speed_failure fail;
    int failed;
    long long bytes;            /* what the phase moved */
    struct curl_slist *headers; /* uploads: no "Expect: 100-continue" */
    int64_t took_ns;
};

struct loaded {
    struct pc_stun_session s[2];
    int on[2];
    int64_t t0[2];
};

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
    struct stream *st = user;

    (void)p;
    st->got += (long long)(size * n);
    st->app_total += (long long)(size * n);
    return size * n;
}

static size_t on_read(char *buf, size_t size, size_t n, void *user)
{
    struct stream *st = user;
    size_t want = size * n, put = 0;

    if ((long long)want > st->asked - st->got)
        want = (size_t)(st->asked - st->got);
    while (put < want) {
        size_t off = (size_t)((st->got + (long long)put) % BLOB_BYTES);
        size_t k = BLOB_BYTES - off < want - put ? BLOB_BYTES - off : want - put;

        memcpy(buf + put, st->ph->blob + off, k);
        put += k;
    }
    st->got += (long long)put;
    return put;
}

/*
 * Bytes of the stream's TCP connection so far: received (download) or
 * acknowledged by the server (upload), from TCP_INFO; -1 where the kernel
 * cannot say. Counting at the TCP level keeps the 100 ms windows smooth: the
 * application sees a download in whole TLS records (16 KiB, more than a
 * window at 1 Mbit/s), an upload in whole buffers, and the server answers
 * an upload before it has read it.
 */
static long long tcp_bytes(const struct stream *st)
{
#if defined(__linux__) && defined(TCP_INFO)
    struct tcp_info ti;
    socklen_t len = sizeof(ti);

    memset(&ti, 0, sizeof(ti));
    if (st->fd >= 0 && getsockopt(st->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
        len >= offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(ti.tcpi_bytes_received))
        return (long long)(st->ph->dir == DOWN ? ti.tcpi_bytes_received : ti.tcpi_bytes_acked);
#else
    (void)st;
#endif
    return -1;
}

/* The stream's bytes so far: TCP's count where there is one, else the application's. */
static long long stream_bytes(struct stream *st)
{
    long long v = tcp_bytes(st);
    curl_off_t up = 0;

    if (v >= 0) {
        if (st->fd != st->counted_fd)
            st->tcp_prev = 0; /* a new connection: all of its bytes are this phase's */
        st->tcp_total += v - st->tcp_prev;
        st->tcp_prev = v;
        st->counted_fd = st->fd;
        st->tcp_seen = 1;
        return st->tcp_total;
    }
    if (st->tcp_seen)
        return st->tcp_total;
    if (st->ph->dir == DOWN)
        return st->app_total;
    if (st->active)
        curl_easy_getinfo(st->h, CURLINFO_SIZE_UPLOAD_T, &up);
    return st->done_bytes + (st->active ? (long long)up : 0);
}

/* libcurl made a socket for the stream: keep it, to read its TCP counters. */
static int on_socket(void *user, curl_socket_t fd, curlsocktype purpose)
{
    struct stream *st = user;

    if (purpose == CURLSOCKTYPE_IPCXN)
        st->fd = (int)fd;
    return CURL_SOCKOPT_OK;
}

/* libcurl closes the stream's socket: count it one last time, then forget it. */
static int on_close(void *user, curl_socket_t fd)
{
    struct stream *st = user;

    if (st->fd == (int)fd) {
        stream_bytes(st);
        st->fd = -1;
    }
    return close(fd);
}

static long long moved(struct phase *ph)
{
    long long sum = 0;

    for (size_t i = 0; i < ph->n; i++)
        sum += stream_bytes(&ph->st[i]);
    return sum;
}

/* (Re)issue the stream's request; the handle keeps its connection. */
static int request(struct phase *ph, struct stream *st)
{
    st->got = 0;
    st->asked = ph->dir == DOWN ? DOWN_BYTES : UP_BYTES;
    if (ph->dir == UP)
        curl_easy_setopt(st->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)st->asked);
    if (curl_multi_add_handle(ph->m, st->h) != CURLM_OK)
        return -1;
    st->active = 1;
    return 0;
}

static int stream_init(struct phase *ph, struct stream *st, const struct pc_config *cfg)
{
    st->ph = ph;
    st->fd = st->counted_fd = -1;
    st->h = curl_easy_init();
    if (st->h == NULL || pc_speed_setup(st->h, cfg, ph->url, st->errbuf) < 0)
        return -1;
    curl_easy_setopt(st->h, CURLOPT_PRIVATE, st);
    curl_easy_setopt(st->h, CURLOPT_BUFFERSIZE, BUFFER_BYTES);
    curl_easy_setopt(st->h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(st->h, CURLOPT_WRITEDATA, st);
    curl_easy_setopt(st->h, CURLOPT_SOCKOPTFUNCTION, on_socket);
    curl_easy_setopt(st->h, CURLOPT_SOCKOPTDATA, st);
    curl_easy_setopt(st->h, CURLOPT_CLOSESOCKETFUNCTION, on_close);
    curl_easy_setopt(st->h, CURLOPT_CLOSESOCKETDATA, st);
    /* Slow or silent servers are caught by the stall check, not by curl. */
    curl_easy_setopt(st->h, CURLOPT_CONNECTTIMEOUT_MS, 60000L);
    if (ph->dir == UP) {
        curl_easy_setopt(st->h, CURLOPT_POST, 1L);
        curl_easy_setopt(st->h, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(st->h, CURLOPT_READDATA, st);
        /* curl's default upload buffer (64 KiB): larger ones made curl 7.88's TLS
           uploads stall here. No 100-continue round trip: nginx answers the POST. */
        curl_easy_setopt(st->h, CURLOPT_HTTPHEADER, ph->headers);
    }
    return 0;
}

static void stream_free(struct phase *ph, struct stream *st)
{
    if (st->h == NULL)
        return;
    if (st->active)
        curl_multi_remove_handle(ph->m, st->h);
    curl_easy_cleanup(st->h);
    st->h = NULL;
    st->active = 0;
}

static int add_window(struct phase *ph, double mbps)
{
    if (ph->n_win == ph->cap_win) {
        size_t cap = ph->cap_win ? ph->cap_win * 2 : 128;
        double *v = realloc(ph->mbps, cap * sizeof(*v));

        if (v == NULL)
            return -1;
        ph->mbps = v;
        ph->cap_win = cap;
    }
    ph->mbps[ph->n_win++] = mbps;
    return 0;
}

static double mean(const double *v, size_t n)
{
    double s = 0;

    for (size_t i = 0; i < n; i++)
        s += v[i];
    return n > 0 ? s / (double)n : 0;
}

static int within(double a, double b, double pct)
{
    double hi = a > b ? a : b;

    return hi <= 0 || fabs(a - b) / hi * 100.0 <= pct;
}

/*
 * The median (and p90) of the kept windows, each taken as the mean of it and
 * the SMOOTH - 1 windows before it, or NAN. A single 100 ms window of a
 * shared link is bursty (a loss holds a stream's bytes back until its
 * retransmission fills the hole, then they all arrive), and the median of
 * bursty windows falls below the rate the link carries; half a second of
 * them does not.
 */
static double kept_median(const struct phase *ph, double *p90)
{
    size_t n = ph->n_win > ph->ramp ? ph->n_win - ph->ramp : 0;
    double *v = malloc((n ? n : 1) * sizeof(*v)), *sorted, med;

    *p90 = NAN;
    if (v == NULL || n == 0) {
        free(v);
        return NAN;
    }
    for (size_t i = 0; i < n; i++) {
        size_t end = ph->ramp + i + 1, k = end < SMOOTH ? end : SMOOTH;

        v[i] = mean(ph->mbps + end - k, k);
    }
    sorted = pc_stats_sorted_copy(v, n);
    free(v);
    if (sorted == NULL)
        return NAN;
    med = pc_stats_percentile(sorted, n, 50);
    *p90 = pc_stats_percentile(sorted, n, 90);
    free(sorted);
    return med;
}

/*
 * After a new window: has the ramp-up ended (the rate stopped rising: the
 * last 300 ms no faster than the 300 ms before, within 5 %), and is the
 * direction stable (the last second's halves agree within 5 %, and it
 * agrees with the median of what was kept)?
 */
static void assess(struct phase *ph, int64_t elapsed)
{
    size_t n = ph->n_win;
    double p90;

    if (ph->ramp == SIZE_MAX) {
        int flat = n >= 6 && mean(ph->mbps + n - 3, 3) <= mean(ph->mbps + n - 6, 3) * 1.05;

        if ((elapsed >= RAMP_MIN_NS && flat) || elapsed >= RAMP_MAX_NS)
            ph->ramp = n;
        return;
    }
    if (n - ph->ramp < STABLE_WINDOWS)
        return;
    ph->stable = mean(ph->mbps + n - 10, 10) > 0 &&
                 within(mean(ph->mbps + n - 10, 5), mean(ph->mbps + n - 5, 5), STABLE_PCT) &&
                 within(mean(ph->mbps + n - 10, 10), kept_median(ph, &p90), STABLE_PCT);
}

/* A finished transfer: fail the phase, or ask again on the same connection. */
static void finished(struct phase *ph, struct stream *st, CURLcode rc)
{
    curl_off_t up = 0;

    curl_multi_remove_handle(ph->m, st->h);
    st->active = 0;
    if (ph->dir == UP) {
        curl_easy_getinfo(st->h, CURLINFO_SIZE_UPLOAD_T, &up);
        st->done_bytes += (long long)up;
    } else {
        st->done_bytes += st->got;
    }
    if (pc_speed_failed(st->h, rc, st->errbuf, ph->ctx->cfg, &ph->fail)) {
        ph->failed = 1;
        return;
    }
    if (ph->dir == DOWN && st->got < st->asked) {
        ph->failed = 1;
        ph->fail.cause = "server-error";
        ph->fail.reached = 1;
        snprintf(ph->fail.reason, sizeof(ph->fail.reason),
                 "the speed-test server sent %lld bytes where %lld were asked", st->got, st->asked);
        return;
    }
    if (request(ph, st) < 0) {
        ph->failed = 1;
        ph->fail.cause = "internal";
        snprintf(ph->fail.reason, sizeof(ph->fail.reason), "libcurl refused a transfer");
    }
}

static void stalled(struct phase *ph, int any)
{
    ph->failed = 1;
    ph->fail.cause = any ? "server-stopped" : "server-unreachable";
    ph->fail.reached = any;
    snprintf(ph->fail.reason, sizeof(ph->fail.reason), "%s",
             any ? (ph->dir == DOWN
                        ? "the speed-test server stopped sending in the middle of the transfer"
                        : "the speed-test server stopped taking the upload in the middle")
                 : "the speed-test server did not answer the transfers in time");
}

static void loaded_service(struct loaded *ld, int64_t now)
{
    for (int i = 0; i < 2; i++)
        if (ld->on[i])
            pc_stun_session_service(&ld->s[i], now);
}

static int64_t loaded_due(const struct loaded *ld)
{
    int64_t due = INT64_MAX;

    for (int i = 0; i < 2; i++)
        if (ld->on[i])
            due = min64(due, pc_stun_session_next_due(&ld->s[i]));
    return due;
}

static unsigned loaded_fds(const struct loaded *ld, struct curl_waitfd *w, unsigned cap)
{
    unsigned n = 0;

    for (int i = 0; i < 2; i++) {
        int fds[2];
        size_t k;

        if (!ld->on[i])
            continue;
        k = pc_stun_session_fds(&ld->s[i], fds, 2);
        for (size_t j = 0; j < k && n < cap; j++)
            w[n++] = (struct curl_waitfd){fds[j], CURL_WAIT_POLLIN, 0};
    }
    return n;
}

/* Run one direction until end_ns, stable, failed or stopped. */
static void transfer(struct phase *ph, struct loaded *ld, int64_t end_ns)
{
    struct pc_probe_ctx *ctx = ph->ctx;
    int64_t start = pc_clock_now_ns(), next = start + WINDOW_NS, prev_t = start;
    int64_t last_move = start, next_figure = start + FIGURE_EVERY_NS;
    long long prev = 0;
    int any = 0, running = 0;

    ph->ramp = SIZE_MAX;
    while (!ph->failed && !ph->stable && !pc_probe_should_stop(ctx)) {
        int64_t now = pc_clock_now_ns(), wake = min64(min64(next, end_ns), loaded_due(ld));
        struct curl_waitfd w[4];
        unsigned nw = loaded_fds(ld, w, 4);
        CURLMsg *msg;
        int left;

        if (now >= end_ns)
            break;
        curl_multi_poll(ph->m, w, nw, wake > now ? (int)((wake - now + 999999) / PC_NS_PER_MS) : 0,
                        NULL);
        curl_multi_perform(ph->m, &running);
        while ((msg = curl_multi_info_read(ph->m, &left)) != NULL) {
            struct stream *st = NULL;

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&st);
            if (st != NULL)
                finished(ph, st, msg->data.result);
            if (ph->failed)
                break;
        }
        now = pc_clock_now_ns();
        loaded_service(ld, now);
        if (now < next)
            continue;
        {
            long long total = moved(ph);
            double mbps = (double)(total - prev) * 8.0 / (double)(now - prev_t) * 1e3;

            if (total > prev) {
                last_move = now;
                any = 1;
            }
            if (add_window(ph, mbps < 0 ? 0 : mbps) < 0) {
                ph->failed = 1;
                ph->fail.cause = "internal";
                snprintf(ph->fail.reason, sizeof(ph->fail.reason), "out of memory");
                break;
            }
            pc_report_series_add(ctx->report, (size_t)ph->scope, PC_M_THROUGHPUT_MBPS, now,
                                 mbps < 0 ? 0 : mbps);
            prev = total;
            prev_t = now;
            next += WINDOW_NS;
            if (next <= now)
                next = now + WINDOW_NS; /* fell behind: windows stay 100 ms long */
            assess(ph, now - start);
            if (now >= next_figure && ph->n_win >= 3) {
                pc_probe_figure(ctx, PC_SCOPE_RUN_ID,
                                ph->dir == DOWN ? PC_M_DOWNLOAD_MBPS : PC_M_UPLOAD_MBPS,
                                mean(ph->mbps + ph->n_win - 3, 3));
                next_figure = now + FIGURE_EVERY_NS;
            }
            if (now - last_move >= (any ? STALL_NS : FIRST_BYTE_NS))
                stalled(ph, any);
        }
    }
    /* A phase that ended while nothing moved ended in a stall, not at a rate of 0. */
    if (!ph->failed && !pc_probe_should_stop(ctx) && pc_clock_now_ns() - last_move >= STALL_NS)
        stalled(ph, any);
    ph->took_ns = pc_clock_now_ns() - start;
    ph->bytes = moved(ph);
    if (ph->ramp == SIZE_MAX)
        ph->ramp = ph->n_win; /* never left the ramp: nothing kept */
}

static int phase_init(struct phase *ph, struct pc_probe_ctx *ctx, enum dir d, size_t streams,
                      const unsigned char *blob)
{
    char label[64];

    memset(ph, 0, sizeof(*ph));
    ph->dir = d;
    ph->ctx = ctx;
    ph->blob = blob;
    ph->m = curl_multi_init();
    if (d == UP && (ph->headers = curl_slist_append(NULL, "Expect:")) == NULL)
        return -1;
    snprintf(label, sizeof(label), "%s: the link busy %s", dir_name[d],
             d == DOWN ? "receiving" : "sending");
    ph->scope = pc_report_scope(ctx->report, PC_SCOPE_PHASE, dir_name[d], label);
    if (ph->scope >= 0)
        pc_report_scope_compare(ctx->report, (size_t)ph->scope);
    if (ph->m == NULL || ph->scope < 0 ||
        pc_speed_url(ctx->cfg, d == DOWN ? "/__down" : "/__up", d == DOWN ? DOWN_BYTES : -1,
                     ph->url, sizeof(ph->url)) < 0)
        return -1;
    curl_multi_setopt(ph->m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)STREAMS_MAX);
    for (size_t i = 0; i < streams; i++) {
        if (stream_init(ph, &ph->st[i], ctx->cfg) < 0 || request(ph, &ph->st[i]) < 0) {
            ph->n = i + 1;
            return -1;
        }
        ph->n = i + 1;
    }
    return 0;
}

static void phase_free(struct phase *ph)
{
    for (size_t i = 0; i < ph->n; i++)
        stream_free(ph, &ph->st[i]);
    if (ph->m != NULL)
        curl_multi_cleanup(ph->m);
    curl_slist_free_all(ph->headers);
    free(ph->mbps);
    ph->headers = NULL;
    ph->m = NULL;
    ph->mbps = NULL;
}

/* Start probing the shared STUN server at 50/s for phase d; 0 when there is none. */
static void loaded_start(struct loaded *ld, struct pc_probe_ctx *ctx, enum dir d)
{
    struct sockaddr_storage ss;
    struct pc_err err = {0};

    if (!pc_probe_shared(ctx, PC_SHARE_STUN_SERVER, &ss, sizeof(ss)))
        return;
    if (pc_stun_session_init(&ld->s[d], REPLY_TIMEOUT_NS, &err) < 0)
        return;
    if (pc_stun_session_add_server(&ld->s[d], (struct sockaddr *)&ss,
                                   ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                            : sizeof(struct sockaddr_in),
                                   &err) < 0) {
        pc_stun_session_free(&ld->s[d]);
        return;
    }
    pc_stun_session_pace(&ld->s[d], 0, PC_REQ_STREAM, LOADED_EVERY_NS);
    ld->on[d] = 1;
    ld->t0[d] = pc_clock_now_ns();
}

/* Let the last answers of both phases arrive, until every one has or until end_ns. */
static void loaded_drain(struct loaded *ld, struct pc_probe_ctx *ctx, int64_t end_ns)
{
    for (int i = 0; i < 2; i++)
        if (ld->on[i])
            pc_stun_session_pace(&ld->s[i], 0, PC_REQ_STREAM, 0);
    while (!pc_probe_interrupted(ctx) && pc_clock_now_ns() < end_ns) {
        int waiting = 0;

        for (int i = 0; i < 2; i++)
            if (ld->on[i] && !pc_stun_session_all_answered(&ld->s[i], 0, PC_REQ_STREAM))
                waiting = 1;
        if (!waiting)
            break;
        for (int i = 0; i < 2; i++)
            if (ld->on[i])
                pc_stun_session_pump(&ld->s[i],
                                     min64(pc_clock_now_ns() + 10 * PC_NS_PER_MS, end_ns));
    }
}

static const char *grade(double ms)
{
    static const struct {
        double below;
        const char *grade;
    } scale[] = {{5, "A+"}, {30, "A"}, {60, "B"}, {200, "C"}, {400, "D"}};

    for (size_t i = 0; i < sizeof(scale) / sizeof(scale[0]); i++)
        if (ms < scale[i].below)
            return scale[i].grade;
    return "F";
}

/* Per phase RTT, jitter, loss; at run level the bufferbloat. */
static void loaded_report(struct loaded *ld, struct pc_probe_ctx *ctx, const struct phase *ph)
{
    const struct pc_value *idle;
    double idle_ms = NAN, worst = NAN;
    int64_t now = pc_clock_now_ns();

    pc_report_lock(ctx->report);
    idle = pc_report_get(ctx->report, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS);
    if (idle->set)
        idle_ms = idle->num;
    pc_report_unlock(ctx->report);
    for (int d = 0; d < 2; d++) {
        struct pc_stun_stats st;

        if (!ld->on[d] || ph[d].scope < 0)
            continue;
        if (pc_stun_stats_compute(&ld->s[d], 0, PC_REQ_STREAM, now, &st) < 0)
            continue;
        pc_report_set_num(ctx->report, (size_t)ph[d].scope, PC_M_UDP_REACHABLE, st.answered > 0);
        pc_stun_stats_report(ctx->report, (size_t)ph[d].scope, &st);
        if (st.answered > 0 && !isnan(idle_ms)) {
            double up = st.rtt_median_ms - idle_ms;

            if (isnan(worst) || up > worst)
                worst = up;
        }
        pc_stun_stats_free(&st);
    }
    if (!isnan(worst)) {
        if (worst < 0)
            worst = 0;
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_BUFFERBLOAT_MS, worst);
        pc_report_set_text(ctx->report, PC_SCOPE_RUN_ID, PC_M_BUFFERBLOAT_GRADE, grade(worst));
    }
}

static void phase_report(struct pc_probe_ctx *ctx, struct phase *ph)
{
    double p90, med = kept_median(ph, &p90);
    size_t scope = ph->scope >= 0 ? (size_t)ph->scope : PC_SCOPE_RUN_ID;

    pc_report_set_num(ctx->report, scope, PC_M_STREAMS, (double)ph->n);
    pc_report_set_num(ctx->report, scope, PC_M_TRANSFER_MS, pc_ns_to_ms(ph->took_ns));
    pc_report_set_num(ctx->report, scope, PC_M_BANDWIDTH_BYTES, (double)ph->bytes);
    if (ph->failed || isnan(med))
        return;
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID,
                      ph->dir == DOWN ? PC_M_DOWNLOAD_MBPS : PC_M_UPLOAD_MBPS, med);
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID,
                      ph->dir == DOWN ? PC_M_DOWNLOAD_P90_MBPS : PC_M_UPLOAD_P90_MBPS, p90);
}

static void target_of(struct pc_probe_ctx *ctx, const struct phase *ph)
{
    struct pc_target t = {.port = 0};
    double p90, med = kept_median(ph, &p90);
    char *ip = NULL;
    long port = 0;

    snprintf(t.role, sizeof(t.role), "%s", dir_name[ph->dir]);
    pc_speed_host(ctx->cfg, t.host, sizeof(t.host));
    if (ph->n > 0 && curl_easy_getinfo(ph->st[0].h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
        ip != NULL)
        snprintf(t.address, sizeof(t.address), "%s", ip);
    if (ph->n > 0 && curl_easy_getinfo(ph->st[0].h, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK)
        t.port = (int)port;
    snprintf(t.detail, sizeof(t.detail),
             "%zu streams, %.1f s, %lld bytes, %zu windows of 100 ms (%zu ramp-up)%s%s%.1f%s",
             ph->n, pc_ns_to_ms(ph->took_ns) / 1000.0, ph->bytes, ph->n_win, ph->ramp,
             ph->stable ? ", stable" : "", isnan(med) ? "" : ", median ", isnan(med) ? 0.0 : med,
             isnan(med) ? "" : " Mbit/s");
    pc_report_add_target(ctx->report, ctx->result, &t);
}

static unsigned char *make_blob(void)
{
    unsigned char *b = malloc(BLOB_BYTES);
    uint64_t x = (uint64_t)pc_clock_now_ns() | 1;

    if (b == NULL)
        return NULL;
    /* xorshift64*: incompressible to any compressor on the way, made once. */
    for (size_t i = 0; i + 8 <= BLOB_BYTES; i += 8) {
        uint64_t v;

        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        v = x * 0x2545F4914F6CDD1DULL;
        memcpy(b + i, &v, 8);
    }
    return b;
}

static void finish_failed(struct pc_probe_ctx *ctx, const struct pc_speed_failure *f,
                          const char *what)
{
    char host[256];

    pc_speed_host(ctx->cfg, host, sizeof(host));
    pc_report_subject(ctx->report, ctx->result, host);
    pc_probe_finish(ctx, PC_STATUS_FAILED, f->cause, "%s: %s", what, f->reason);
}

static int run(struct pc_probe_ctx *ctx)
{
    struct phase ph[2];
    struct loaded ld;
    struct pc_speed_failure early;
    unsigned char *blob = NULL;
    int64_t start = pc_clock_now_ns(), end = pc_probe_window_end(ctx);
    int64_t share = (end - start - DRAIN_NS) / 2;
    size_t up_streams = UP_STREAMS;
    int cut;

    memset(ph, 0, sizeof(ph));
    memset(&ld, 0, sizeof(ld));
    ph[0].scope = ph[1].scope = -1;
    snprintf(ctx->result->method, sizeof(ctx->result->method),
             "libcurl multi, HTTP/1.1: %d parallel GET /__down then %d-%d parallel POST /__up "
             "of random bytes; 100 ms windows, ramp-up (%d-%d ms) left out, median of the rest; "
             "each direction stops once its last second agrees within %.0f %%; STUN at 50/s "
             "during both for loaded latency",
             DOWN_STREAMS, UP_STREAMS, UP_STREAMS_FAST, (int)(RAMP_MIN_NS / PC_NS_PER_MS),
             (int)(RAMP_MAX_NS / PC_NS_PER_MS), STABLE_PCT);
    if (pc_probe_shared(ctx, PC_SHARE_SPEED_FAILURE, &early, sizeof(early))) {
        finish_failed(ctx, &early, "not tried, the http probe failed");
        return 0;
    }
    if (share < MIN_PHASE_NS) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, "time-too-short",
                        "too little time was left to measure the speed");
        return 0;
    }
    blob = make_blob();
    if (blob == NULL) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, "internal", "out of memory");
        return 0;
    }
    for (int d = DOWN; d <= UP && !pc_probe_should_stop(ctx); d++) {
        int64_t phase_end = d == DOWN ? pc_clock_now_ns() + share : end - DRAIN_NS;

        pc_probe_phase(ctx, dir_name[d]);
        if (d == UP && ld.on[DOWN])
            pc_stun_session_pace(&ld.s[DOWN], 0, PC_REQ_STREAM, 0);
        loaded_start(&ld, ctx, (enum dir)d);
        if (phase_init(&ph[d], ctx, (enum dir)d, d == DOWN ? DOWN_STREAMS : up_streams, blob) < 0) {
            ph[d].failed = 1;
            ph[d].fail.cause = "internal";
            snprintf(ph[d].fail.reason, sizeof(ph[d].fail.reason), "libcurl could not be set up");
        } else {
            transfer(&ph[d], &ld, phase_end);
        }
        if (d == DOWN && !ph[d].failed) {
            double p90, med = kept_median(&ph[d], &p90);

            if (!isnan(med) && med >= FAST_MBPS)
                up_streams = UP_STREAMS_FAST;
        }
        /* The connections close now: the link is idle again before the next phase. */
        for (size_t i = 0; i < ph[d].n; i++)
            stream_free(&ph[d], &ph[d].st[i]);
        if (ph[d].failed)
            break;
    }
    cut = pc_probe_should_stop(ctx);
    loaded_drain(&ld, ctx, min64(end, ctx->deadline_ns));
    for (int d = DOWN; d <= UP; d++) {
        if (ph[d].m == NULL && ph[d].n_win == 0)
            continue;
        phase_report(ctx, &ph[d]);
        target_of(ctx, &ph[d]);
    }
    loaded_report(&ld, ctx, ph);
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_BANDWIDTH_BYTES,
                      (double)(ph[0].bytes + ph[1].bytes));
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_STREAMS,
                      (double)(ph[0].n > ph[1].n ? ph[0].n : ph[1].n));
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_TRANSFER_MS,
                      pc_ns_to_ms(ph[0].took_ns + ph[1].took_ns));
    ctx->result->cut_short = cut;
    if (ph[DOWN].failed)
        finish_failed(ctx, &ph[DOWN].fail, "download");
    else if (ph[UP].failed)
        finish_failed(ctx, &ph[UP].fail, "upload");
    else if (cut && pc_probe_interrupted(ctx) && ph[UP].n_win == 0)
        pc_probe_finish(ctx, PC_STATUS_INTERRUPTED, "interrupted", "interrupted");
    else if (!pc_report_get(ctx->report, PC_SCOPE_RUN_ID, PC_M_UPLOAD_MBPS)->set ||
             !pc_report_get(ctx->report, PC_SCOPE_RUN_ID, PC_M_DOWNLOAD_MBPS)->set)
        pc_probe_finish(ctx, PC_STATUS_FAILED, cut ? "time-too-short" : "server-error", "%s",
                        cut ? "stopped before both directions were measured"
                            : "too few measurements after the ramp-up");
    else
        pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", cut ? "cut short" : "");
    for (int d = 0; d < 2; d++) {
        phase_free(&ph[d]);
        if (ld.on[d])
            pc_stun_session_free(&ld.s[d]);
    }
    free(blob);
    return 0;
}

const struct pc_probe pc_probe_bandwidth = {
    .name = "bandwidth",
    .summary = "download and upload speed, and latency under load (bufferbloat)",
    .activity = "Measuring speed",
    .phase = 2,
    .budget_share = 0.5,
    .run = run,
};
