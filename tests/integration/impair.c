/*
 * impair.c - test fixture: a UDP relay that adds delay and jitter (no netem here).
 *
 * Runs in the router namespace of the integration topology. Each datagram a
 * client sends to --listen is forwarded to --to after a one-way delay, and
 * each answer from --to goes back to the client after another one. Each
 * direction's delay is RTT/2 plus a jitter drawn uniformly from [0, J] by a
 * seeded PRNG (splitmix64), so the injected round trip is RTT + U1 + U2 and
 * its mean is RTT + J. Packets are held in a min-heap keyed by due time and
 * sent from one thread woken by an absolute CLOCK_MONOTONIC timerfd (timer
 * slack 1 ns) that fires --spin-us (default 100 us) early, then a busy-wait
 * to the due time: sends land within a few microseconds of schedule.
 *
 * Ground truth: requests and answers are paired by STUN transaction ID
 * (bytes 8..19). A pair's injected RTT is what the relay actually held the
 * two datagrams: from the kernel's receive timestamp (SO_TIMESTAMPNS) to the
 * moment of sendto(), for the request plus for its first answer. At exit
 * (SIGTERM, SIGINT or --duration-s) a JSON report is written with the number
 * of pairs, the median, mean, min, max of the injected RTT, and the jitter
 * as precall reports it: mean |RTT(i) - RTT(i-1)| over consecutive answered
 * requests in the order the requests arrived; also how late each send was
 * against its schedule (the fixture's own error).
 *
 * Linux-specific (timerfd, signalfd, epoll). Owns everything it allocates;
 * one process, one thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "precall/clock.h"
#include "precall/netaddr.h"
#include "precall/stun.h"

#define MAX_DGRAM 2048
#define TID_LEN   12

enum dir { DIR_REQ = 0, DIR_REP = 1 };

struct pkt {
    int64_t due_ns;
    int64_t rx_ns;
    uint64_t seq; /* FIFO order among equal due times */
    enum dir dir;
    long rec; /* index into records, -1 when not a tracked STUN message */
    struct sockaddr_storage dst;
    socklen_t dst_len;
    size_t len;
    unsigned char data[MAX_DGRAM];
};

struct rec {
    unsigned char tid[TID_LEN];
    struct sockaddr_storage client;
    socklen_t client_len;
    int64_t req_rx_ns, req_tx_ns;
    int64_t rep_rx_ns, rep_tx_ns;
    int64_t req_sched_ns, rep_sched_ns;
    int answered; /* first answer received from upstream */
    int rep_sent; /* first answer forwarded to the client */
};

struct opts {
    const char *listen, *to, *report, *ready, *pairs;
    double rtt_ms, jitter_ms, duration_s, spin_us;
    uint64_t seed;
};

static struct {
    struct pkt **heap;
    size_t n_heap, cap_heap;
    struct pkt **free_pkts;
    size_t n_free, cap_free;
    struct rec *recs;
    size_t n_recs, cap_recs;
    long *table; /* open addressing, TABLE_SIZE slots of record indexes, -1 empty */
    size_t table_size, table_used;
    uint64_t rng;
    uint64_t seq;
    /* statistics of the fixture itself */
    uint64_t rx_req, rx_rep, tx_req, tx_rep, non_stun, unmatched_rep, dup_rep, send_err;
    double late_sum_ns, late_max_ns;
    uint64_t late_n;
    int64_t *late;
    size_t n_late, cap_late;
    struct sockaddr_storage last_client;
    socklen_t last_client_len;
} g;

static void die(const char *what)
{
    fprintf(stderr, "impair: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL) {
        fprintf(stderr, "impair: out of memory\n");
        exit(1);
    }
    return q;
}

/* Monotonic readings come from the core's pc_clock_now_ns() (CLOCK_MONOTONIC,
 * the clock of the timerfd); only the wall clock is read here, to map the
 * kernel's receive stamps onto it. */
static int64_t real_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * PC_NS_PER_S + ts.tv_nsec;
}

/* splitmix64: small, seedable, good enough for test jitter. */
static uint64_t rng_next(void)
{
    uint64_t z = (g.rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rng_unit(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0; /* [0, 1) */
}

/* ---- heap of pending packets ---------------------------------------- */

static int pkt_before(const struct pkt *a, const struct pkt *b)
{
    if (a->due_ns != b->due_ns)
        return a->due_ns < b->due_ns;
    return a->seq < b->seq;
}

static void heap_push(struct pkt *p)
{
    size_t i;
    if (g.n_heap == g.cap_heap) {
        g.cap_heap = g.cap_heap ? g.cap_heap * 2 : 256;
        g.heap = xrealloc(g.heap, g.cap_heap * sizeof(*g.heap));
    }
    i = g.n_heap++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!pkt_before(p, g.heap[parent]))
            break;
        g.heap[i] = g.heap[parent];
        i = parent;
    }
    g.heap[i] = p;
}

static struct pkt *heap_pop(void)
{
    struct pkt *top = g.heap[0], *last = g.heap[--g.n_heap];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const struct pkt *mp = last;
        if (l < g.n_heap && pkt_before(g.heap[l], mp)) {
            m = l;
            mp = g.heap[l];
        }
        if (r < g.n_heap && pkt_before(g.heap[r], mp))
            m = r;
        if (m == i)
            break;
        g.heap[i] = g.heap[m];
        i = m;
    }
    if (g.n_heap > 0)
        g.heap[i] = last;
    return top;
}

static struct pkt *pkt_get(void)
{
    if (g.n_free > 0)
        return g.free_pkts[--g.n_free];
    return xrealloc(NULL, sizeof(struct pkt));
}

static void pkt_put(struct pkt *p)
{
    if (g.n_free == g.cap_free) {
        g.cap_free = g.cap_free ? g.cap_free * 2 : 256;
        g.free_pkts = xrealloc(g.free_pkts, g.cap_free * sizeof(*g.free_pkts));
    }
    g.free_pkts[g.n_free++] = p;
}

/* ---- transaction table ---------------------------------------------- */

static uint64_t tid_hash(const unsigned char *tid)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < TID_LEN; i++)
        h = (h ^ tid[i]) * 1099511628211ull;
    return h;
}

static void table_insert_raw(long idx)
{
    size_t mask = g.table_size - 1, i = tid_hash(g.recs[idx].tid) & mask;
    while (g.table[i] >= 0)
        i = (i + 1) & mask;
    g.table[i] = idx;
    g.table_used++;
}

static void table_grow(void)
{
    long *old = g.table;
    size_t old_size = g.table_size;
    g.table_size = old_size ? old_size * 2 : 4096;
    g.table = xrealloc(NULL, g.table_size * sizeof(long));
    for (size_t i = 0; i < g.table_size; i++)
        g.table[i] = -1;
    g.table_used = 0;
    for (size_t i = 0; i < old_size; i++)
        if (old[i] >= 0)
            table_insert_raw(old[i]);
    free(old);
}

static long table_find(const unsigned char *tid)
{
    size_t mask, i;
    if (g.table_size == 0)
        return -1;
    mask = g.table_size - 1;
    i = tid_hash(tid) & mask;
    while (g.table[i] >= 0) {
        if (memcmp(g.recs[g.table[i]].tid, tid, TID_LEN) == 0)
            return g.table[i];
        i = (i + 1) & mask;
    }
    return -1;
}

static long rec_add(const unsigned char *tid, const struct sockaddr_storage *client,
                    socklen_t client_len)
{
    long idx;
    if (g.n_recs == g.cap_recs) {
        g.cap_recs = g.cap_recs ? g.cap_recs * 2 : 4096;
        g.recs = xrealloc(g.recs, g.cap_recs * sizeof(*g.recs));
    }
    idx = (long)g.n_recs++;
    memset(&g.recs[idx], 0, sizeof(g.recs[idx]));
    memcpy(g.recs[idx].tid, tid, TID_LEN);
    g.recs[idx].client = *client;
    g.recs[idx].client_len = client_len;
    if ((g.table_used + 1) * 2 > g.table_size)
        table_grow();
    table_insert_raw(idx);
    return idx;
}

static int is_stun(const unsigned char *d, size_t len)
{
    uint32_t cookie;
    if (len < PC_STUN_HEADER_BYTES || (d[0] & 0xC0) != 0)
        return 0;
    cookie = (uint32_t)d[4] << 24 | (uint32_t)d[5] << 16 | (uint32_t)d[6] << 8 | d[7];
    return cookie == PC_STUN_MAGIC;
}

/* ---- options ---------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: impair --listen ADDR:PORT --to ADDR:PORT [--rtt-ms R] [--jitter-ms J]\n"
               "              [--seed S] [--duration-s T] [--report FILE] [--ready FILE]\n"
               "              [--spin-us U] [--pairs FILE]\n"
               "Relays UDP between clients of ADDR:PORT and one upstream, holding each\n"
               "datagram R/2 ms plus uniform [0, J] ms in each direction. Writes a JSON\n"
               "report of the injected RTT per STUN transaction at exit (SIGTERM/SIGINT\n"
               "or after T seconds). --ready FILE is created once the sockets are bound.\n"
               "--spin-us U busy-waits the last U microseconds before each send (default 100).\n"
               "--pairs FILE writes one line per answered transaction: transaction ID (hex),\n"
               "injected RTT, request delay, reply delay, scheduled RTT (ms).\n");
}

static double parse_num(const char *opt, const char *s, double lo, double hi)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) {
        fprintf(stderr, "impair: %s: '%s' is not a number in [%g, %g]\n", opt, s, lo, hi);
        exit(64);
    }
    return v;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->spin_us = 100;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (v == NULL) {
            usage(stderr);
            exit(64);
        }
        i++;
        if (strcmp(a, "--listen") == 0)
            o->listen = v;
        else if (strcmp(a, "--to") == 0)
            o->to = v;
        else if (strcmp(a, "--report") == 0)
            o->report = v;
        else if (strcmp(a, "--ready") == 0)
            o->ready = v;
        else if (strcmp(a, "--pairs") == 0)
            o->pairs = v;
        else if (strcmp(a, "--rtt-ms") == 0)
            o->rtt_ms = parse_num(a, v, 0, 60000);
        else if (strcmp(a, "--jitter-ms") == 0)
            o->jitter_ms = parse_num(a, v, 0, 60000);
        else if (strcmp(a, "--duration-s") == 0)
            o->duration_s = parse_num(a, v, 0, 86400);
        else if (strcmp(a, "--spin-us") == 0)
            o->spin_us = parse_num(a, v, 0, 10000);
        else if (strcmp(a, "--seed") == 0)
            o->seed = (uint64_t)parse_num(a, v, 0, 9007199254740992.0);
        else {
            usage(stderr);
            exit(64);
        }
    }
    if (o->listen == NULL || o->to == NULL) {
        usage(stderr);
        exit(64);
    }
}

/* ---- sockets ---------------------------------------------------------- */

static int udp_socket(int family)
{
    int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1, buf = 4 << 20;
    if (fd < 0)
        die("socket");
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) < 0)
        die("SO_TIMESTAMPNS");
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
    (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
    return fd;
}

/* Receive one datagram; *rx_ns is the kernel's receive time on the
 * monotonic clock. Returns length, or -1 when nothing is pending. */
static ssize_t recv_one(int fd, unsigned char *buf, size_t cap, struct sockaddr_storage *from,
                        socklen_t *from_len, int64_t *rx_ns)
{
    char cbuf[CMSG_SPACE(sizeof(struct timespec)) + 64];
    struct iovec iov = {buf, cap};
    struct msghdr msg;
    struct cmsghdr *c;
    ssize_t n;
    int64_t now_mono, now_real, stamp_real = 0;

    memset(&msg, 0, sizeof(msg));
    msg.msg_name = from;
    msg.msg_namelen = sizeof(*from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf;
    msg.msg_controllen = sizeof(cbuf);
    n = recvmsg(fd, &msg, MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return -1;
        if (errno == ECONNREFUSED) /* ICMP from upstream: nothing to do */
            return -2;
        die("recvmsg");
    }
    now_real = real_ns();
    now_mono = pc_clock_now_ns();
    for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof(ts));
            stamp_real = (int64_t)ts.tv_sec * PC_NS_PER_S + ts.tv_nsec;
        }
    }
    /* Kernel stamp (realtime) mapped onto the monotonic clock; fall back to
     * now when absent or implausible. */
    if (stamp_real > 0 && stamp_real <= now_real && now_real - stamp_real < PC_NS_PER_S)
        *rx_ns = now_mono - (now_real - stamp_real);
    else
        *rx_ns = now_mono;
    *from_len = msg.msg_namelen;
    return n;
}

static int64_t draw_delay_ns(const struct opts *o)
{
    double ms = o->rtt_ms / 2.0 + o->jitter_ms * rng_unit();
    return (int64_t)llround(ms * PC_NS_PER_MS);
}

static void late_add(int64_t late_ns)
{
    if (g.n_late == g.cap_late) {
        g.cap_late = g.cap_late ? g.cap_late * 2 : 4096;
        g.late = xrealloc(g.late, g.cap_late * sizeof(*g.late));
    }
    g.late[g.n_late++] = late_ns;
}

static void send_due(int lfd, int ufd, const struct opts *o)
{
    int64_t spin_ns = (int64_t)(o->spin_us * 1000.0);
    while (g.n_heap > 0) {
        struct pkt *p = g.heap[0];
        int64_t now = pc_clock_now_ns();
        ssize_t n;
        if (p->due_ns > now + spin_ns)
            break;
        while (now < p->due_ns)
            now = pc_clock_now_ns();
        heap_pop();
        if (p->dir == DIR_REQ)
            n = send(ufd, p->data, p->len, 0);
        else
            n = sendto(lfd, p->data, p->len, 0, (struct sockaddr *)&p->dst, p->dst_len);
        if (n < 0) {
            g.send_err++;
        } else {
            late_add(now - p->due_ns);
            if (p->dir == DIR_REQ) {
                g.tx_req++;
                if (p->rec >= 0)
                    g.recs[p->rec].req_tx_ns = now;
            } else {
                g.tx_rep++;
                if (p->rec >= 0 && !g.recs[p->rec].rep_sent) {
                    g.recs[p->rec].rep_sent = 1;
                    g.recs[p->rec].rep_tx_ns = now;
                }
            }
        }
        pkt_put(p);
    }
}

static void arm_timer(int tfd, const struct opts *o)
{
    struct itimerspec its;
    memset(&its, 0, sizeof(its));
    if (g.n_heap > 0) {
        int64_t at = g.heap[0]->due_ns - (int64_t)(o->spin_us * 1000.0);
        if (at < 1)
            at = 1;
        its.it_value.tv_sec = at / PC_NS_PER_S;
        its.it_value.tv_nsec = at % PC_NS_PER_S;
    }
    if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
        die("timerfd_settime");
}

static void drain(int fd, enum dir dir, const struct opts *o)
{
    for (;;) {
        struct pkt *p = pkt_get();
        struct sockaddr_storage from;
        socklen_t from_len = 0;
        int64_t rx;
        ssize_t n = recv_one(fd, p->data, sizeof(p->data), &from, &from_len, &rx);
        int64_t delay;
        if (n == -2) {
            pkt_put(p);
            continue;
        }
        if (n < 0) {
            pkt_put(p);
            return;
        }
        p->len = (size_t)n;
        p->rx_ns = rx;
        p->dir = dir;
        p->rec = -1;
        p->seq = g.seq++;
        delay = draw_delay_ns(o);
        p->due_ns = rx + delay;
        if (dir == DIR_REQ) {
            g.rx_req++;
            g.last_client = from;
            g.last_client_len = from_len;
            if (is_stun(p->data, p->len)) {
                long r = table_find(p->data + 8);
                if (r < 0) {
                    r = rec_add(p->data + 8, &from, from_len);
                    g.recs[r].req_rx_ns = rx;
                    g.recs[r].req_sched_ns = delay;
                    p->rec = r;
                }
            } else {
                g.non_stun++;
            }
        } else {
            long r = -1;
            g.rx_rep++;
            if (is_stun(p->data, p->len))
                r = table_find(p->data + 8);
            if (r >= 0) {
                p->dst = g.recs[r].client;
                p->dst_len = g.recs[r].client_len;
                if (!g.recs[r].answered) {
                    g.recs[r].answered = 1;
                    g.recs[r].rep_rx_ns = rx;
                    g.recs[r].rep_sched_ns = delay;
                    p->rec = r;
                } else {
                    g.dup_rep++;
                }
            } else if (g.last_client_len > 0) {
                g.unmatched_rep++;
                p->dst = g.last_client;
                p->dst_len = g.last_client_len;
            } else {
                g.unmatched_rep++;
                pkt_put(p);
                continue;
            }
        }
        heap_push(p);
    }
}

/* ---- report ----------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double quantile_sorted(const double *v, size_t n, double q)
{
    double pos, frac;
    size_t i;
    if (n == 0)
        return NAN;
    pos = q * (double)(n - 1);
    i = (size_t)pos;
    frac = pos - (double)i;
    if (i + 1 >= n)
        return v[n - 1];
    return v[i] + (v[i + 1] - v[i]) * frac;
}

static void fnum(FILE *f, const char *key, double v, const char *sep)
{
    if (isnan(v))
        fprintf(f, "  \"%s\": null%s\n", key, sep);
    else
        fprintf(f, "  \"%s\": %.4f%s\n", key, v, sep);
}

static void write_report(const struct opts *o, FILE *f)
{
    size_t n = 0;
    double *rtt = xrealloc(NULL, (g.n_recs + 1) * sizeof(double));
    double *sorted;
    double sum = 0, sched_sum = 0, mad_sum = 0, j3550 = 0, prev = NAN;
    double mn = NAN, mx = NAN, req_sum = 0, rep_sum = 0;
    size_t n_delta = 0;
    double late_mean = NAN, late_p99 = NAN, late_max = NAN;

    for (size_t i = 0; i < g.n_recs; i++) {
        const struct rec *r = &g.recs[i];
        double ms, req_ms, rep_ms;
        if (!r->answered || !r->rep_sent || r->req_tx_ns == 0)
            continue;
        req_ms = (double)(r->req_tx_ns - r->req_rx_ns) / PC_NS_PER_MS;
        rep_ms = (double)(r->rep_tx_ns - r->rep_rx_ns) / PC_NS_PER_MS;
        ms = req_ms + rep_ms;
        rtt[n++] = ms;
        sum += ms;
        req_sum += req_ms;
        rep_sum += rep_ms;
        sched_sum += (double)(r->req_sched_ns + r->rep_sched_ns) / PC_NS_PER_MS;
        if (!isnan(prev)) {
            double d = fabs(ms - prev);
            mad_sum += d;
            j3550 += (d - j3550) / 16.0;
            n_delta++;
        }
        prev = ms;
    }
    sorted = xrealloc(NULL, (n + 1) * sizeof(double));
    memcpy(sorted, rtt, n * sizeof(double));
    qsort(sorted, n, sizeof(double), cmp_double);
    if (n > 0) {
        mn = sorted[0];
        mx = sorted[n - 1];
    }
    if (g.n_late > 0) {
        double s = 0;
        qsort(g.late, g.n_late, sizeof(int64_t), cmp_i64);
        for (size_t i = 0; i < g.n_late; i++)
            s += (double)g.late[i];
        late_mean = s / (double)g.n_late / 1000.0;
        late_p99 = (double)g.late[(size_t)((double)(g.n_late - 1) * 0.99)] / 1000.0;
        late_max = (double)g.late[g.n_late - 1] / 1000.0;
    }

    fprintf(f, "{\n");
    fprintf(f, "  \"fixture\": \"impair\",\n");
    fprintf(f, "  \"listen\": \"%s\",\n  \"to\": \"%s\",\n", o->listen, o->to);
    fnum(f, "rtt_ms_setting", o->rtt_ms, ",");
    fnum(f, "jitter_ms_setting", o->jitter_ms, ",");
    fprintf(f, "  \"seed\": %" PRIu64 ",\n", o->seed);
    fprintf(f, "  \"distribution\": \"each direction: rtt/2 + uniform[0, jitter]\",\n");
    fprintf(f, "  \"requests\": %" PRIu64 ",\n  \"replies\": %" PRIu64 ",\n", g.rx_req, g.rx_rep);
    fprintf(f, "  \"transactions\": %zu,\n", g.n_recs);
    fprintf(f, "  \"pairs\": %zu,\n", n);
    fprintf(f, "  \"unanswered\": %zu,\n", g.n_recs - n);
    fprintf(f, "  \"unmatched_replies\": %" PRIu64 ",\n", g.unmatched_rep);
    fprintf(f, "  \"duplicate_replies\": %" PRIu64 ",\n", g.dup_rep);
    fprintf(f, "  \"non_stun\": %" PRIu64 ",\n", g.non_stun);
    fprintf(f, "  \"send_errors\": %" PRIu64 ",\n", g.send_err);
    fnum(f, "rtt_median_ms", quantile_sorted(sorted, n, 0.5), ",");
    fnum(f, "rtt_mean_ms", n ? sum / (double)n : NAN, ",");
    fnum(f, "rtt_min_ms", mn, ",");
    fnum(f, "rtt_max_ms", mx, ",");
    fnum(f, "rtt_p90_ms", quantile_sorted(sorted, n, 0.9), ",");
    fnum(f, "rtt_scheduled_mean_ms", n ? sched_sum / (double)n : NAN, ",");
    fnum(f, "request_delay_mean_ms", n ? req_sum / (double)n : NAN, ",");
    fnum(f, "reply_delay_mean_ms", n ? rep_sum / (double)n : NAN, ",");
    fnum(f, "jitter_ms", n_delta ? mad_sum / (double)n_delta : NAN, ",");
    fnum(f, "jitter_rfc3550_ms", n_delta ? j3550 : NAN, ",");
    fnum(f, "send_late_mean_us", late_mean, ",");
    fnum(f, "send_late_p99_us", late_p99, ",");
    fnum(f, "send_late_max_us", late_max, "");
    fprintf(f, "}\n");
    free(rtt);
    free(sorted);
}

static void write_pairs(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        die("--pairs");
    fprintf(f, "# tid injected_rtt_ms request_ms reply_ms scheduled_rtt_ms\n");
    for (size_t i = 0; i < g.n_recs; i++) {
        const struct rec *r = &g.recs[i];
        if (!r->answered || !r->rep_sent || r->req_tx_ns == 0)
            continue;
        for (int k = 0; k < TID_LEN; k++)
            fprintf(f, "%02x", r->tid[k]);
        fprintf(f, " %.4f %.4f %.4f %.4f\n",
                (double)(r->req_tx_ns - r->req_rx_ns + r->rep_tx_ns - r->rep_rx_ns) / PC_NS_PER_MS,
                (double)(r->req_tx_ns - r->req_rx_ns) / PC_NS_PER_MS,
                (double)(r->rep_tx_ns - r->rep_rx_ns) / PC_NS_PER_MS,
                (double)(r->req_sched_ns + r->rep_sched_ns) / PC_NS_PER_MS);
    }
    if (fclose(f) != 0)
        die("--pairs");
}

/* ---- main ------------------------------------------------------------- */

int main(int argc, char **argv)
{
    struct opts o;
    struct sockaddr_storage laddr, uaddr;
    socklen_t llen, ulen;
    int lfd, ufd, tfd, sfd, efd;
    sigset_t mask;
    int64_t end_ns = 0;
    int running = 1;

    parse_opts(argc, argv, &o);
    g.rng = o.seed;
    llen = fixture_parse_addr("impair", o.listen, &laddr);
    ulen = fixture_parse_addr("impair", o.to, &uaddr);

    /* Precise wake-ups: no timer slack. */
    (void)prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
        die("sigprocmask");
    sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0)
        die("signalfd");

    lfd = udp_socket(laddr.ss_family);
    {
        int on = 1;
        (void)setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    }
    if (bind(lfd, (struct sockaddr *)&laddr, llen) < 0)
        die("bind --listen");
    ufd = udp_socket(uaddr.ss_family);
    if (connect(ufd, (struct sockaddr *)&uaddr, ulen) < 0)
        die("connect --to");
    tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (tfd < 0)
        die("timerfd_create");
    efd = epoll_create1(EPOLL_CLOEXEC);
    if (efd < 0)
        die("epoll_create1");
    {
        const int fds[] = {lfd, ufd, tfd, sfd};
        for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
            struct epoll_event ev = {.events = EPOLLIN, .data.fd = fds[i]};
            if (epoll_ctl(efd, EPOLL_CTL_ADD, fds[i], &ev) < 0)
                die("epoll_ctl");
        }
    }

    if (o.duration_s > 0)
        end_ns = pc_clock_now_ns() + (int64_t)(o.duration_s * PC_NS_PER_S);
    if (o.ready != NULL) {
        FILE *f = fopen(o.ready, "w");
        if (f == NULL)
            die("--ready");
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
    fprintf(
        stderr,
        "impair: relaying %s -> %s, rtt %.3f ms + uniform[0, %.3f] ms per direction, seed %" PRIu64
        "\n",
        o.listen, o.to, o.rtt_ms, o.jitter_ms, o.seed);

    while (running) {
        struct epoll_event evs[8];
        int timeout_ms = -1, n;
        if (end_ns > 0) {
            int64_t left = end_ns - pc_clock_now_ns();
            if (left <= 0)
                break;
            timeout_ms = (int)(left / PC_NS_PER_MS) + 1;
        }
        arm_timer(tfd, &o);
        n = epoll_wait(efd, evs, 8, timeout_ms);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        /* Sends first: they are the time-critical part. */
        send_due(lfd, ufd, &o);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == lfd) {
                drain(lfd, DIR_REQ, &o);
            } else if (fd == ufd) {
                drain(ufd, DIR_REP, &o);
            } else if (fd == tfd) {
                uint64_t exp;
                ssize_t r = read(tfd, &exp, sizeof(exp));
                (void)r;
            } else if (fd == sfd) {
                struct signalfd_siginfo si;
                while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                    running = 0;
            }
        }
        send_due(lfd, ufd, &o);
    }

    if (o.pairs != NULL)
        write_pairs(o.pairs);
    if (o.report != NULL) {
        char tmp[4096];
        FILE *f;
        snprintf(tmp, sizeof(tmp), "%s.tmp", o.report);
        f = fopen(tmp, "w");
        if (f == NULL)
            die("--report");
        write_report(&o, f);
        if (fclose(f) != 0 || rename(tmp, o.report) != 0)
            die("--report");
    } else {
        write_report(&o, stdout);
    }
    fprintf(stderr, "impair: %" PRIu64 " requests, %" PRIu64 " replies, %zu transactions\n",
            g.rx_req, g.rx_rep, g.n_recs);
    return 0;
}
