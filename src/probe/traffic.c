/*
 * traffic.c - the 'traffic' probe: what else uses the connection.
 *
 * It overlaps the phases it watches and holds up none of them: it counts
 * during the idle UDP stream (the udp probe's phase) and, separately,
 * during the speed test (the bandwidth probe's), and ends when the later
 * of those that run has ended; when neither runs, it watches a window of
 * its own. It captures, on the interface of the default route, the
 * headers only of every packet (snap length SNAPLEN; no payload is read
 * or kept). precall's own sockets are left out at the root: the probes
 * register each socket's local port as they make it, before its first
 * packet (traffic_own.h), and the capturing thread drops every packet on
 * such a port; the BPF filter, rebuilt every REFRESH_NS from those ports
 * and from this process's sockets in /proc (/proc/self/fd against
 * /proc/net/{tcp,udp}...: sockets made by no probe, the resolver's), keeps
 * most of them out of the capture in the first place. Other traffic is
 * counted per flow (protocol, local end, far end), in and out, per
 * window, a packet in the window of its own time stamp (the probe marks
 * each change of window on the same clock); the biggest flows are named by their far end and, where
 * /proc says which socket and process hold them, the local process.
 *
 * The capture is opened with whatever privileges precall has; without
 * them the probe is skipped with the one-line hint (never a failure of
 * the check). The capturing thread then drops its privileges
 * (traffic_cap.c). Figures are rates over the capture's window.
 */
#define _GNU_SOURCE
#include <ifaddrs.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "analyze/decode.h"
#include "precall/buf.h"
#include "precall/cause.h"
#include "precall/clock.h"
#include "precall/probe.h"
#include "probe/host.h"
#include "probe/traffic.h"
#include "probe/traffic_own.h"

#define SNAPLEN          128 /* Ethernet, IPv6 with an extension header, TCP with options */
#define REFRESH_NS       (100 * PC_NS_PER_MS)
#define SLICE_NS         (10 * PC_NS_PER_MS) /* how often it looks which phase runs */
#define FLOW_SLOTS       4096 /* open addressing; flows past ~3/4 of it are counted apart */
#define FLOWS_MAX        3072
#define LOCAL_MAX        64
#define OWN_MAX          128
#define TOP_FLOWS        5
#define FILTER_MAX       4096
#define SIGNIFICANT_MBPS 1.0 /* less than this is background chatter: not a cause */
#define MARKS_MAX        32  /* window changes: a few a phase */
#define DRAIN_MAX        64  /* reads of what the capture holds still, after the end */

struct flow {
    int used;
    int proto, family;
    int ours_end; /* 1: one end is an address of this computer */
    uint8_t local[16], far[16];
    uint16_t local_port, far_port;
    uint64_t bytes_in[PC_TRAFFIC_WINDOWS], bytes_out[PC_TRAFFIC_WINDOWS];
};

/* From at_ns on (the wire's clock, CLOCK_REALTIME, as libpcap stamps packets), window counts. */
struct mark {
    int64_t at_ns;
    int window; /* -1: none */
};

struct cap {
    pcap_t *p;
    int dlt;
    atomic_int stop;
    int drop_failed;
    pthread_mutex_t mu;
    char filter[FILTER_MAX]; /* the newest filter, under mu */
    int filter_new;
    /* written by the probe's thread only: a mark, then n_marks (the capturing thread reads
       n_marks, then the marks before it) */
    struct mark marks[MARKS_MAX];
    atomic_int n_marks;
    /* owned by the capturing thread until it is joined */
    struct flow *slots;
    size_t n_flows;
    uint64_t overflow_in[PC_TRAFFIC_WINDOWS], overflow_out[PC_TRAFFIC_WINDOWS], packets;
    uint8_t local[LOCAL_MAX][16];
    int local_family[LOCAL_MAX];
    size_t n_local;
};

static int is_local(const struct cap *c, int family, const uint8_t *a)
{
    size_t len = family == 6 ? 16 : 4;

    for (size_t i = 0; i < c->n_local; i++)
        if (c->local_family[i] == family && memcmp(c->local[i], a, len) == 0)
            return 1;
    return 0;
}

static uint32_t flow_hash(const struct flow *f)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < 16; i++)
        h = (h ^ f->local[i]) * 16777619u ^ f->far[i];
    h = (h ^ f->local_port) * 16777619u;
    h = (h ^ f->far_port) * 16777619u;
    return (h ^ (uint32_t)f->proto) * 16777619u;
}

static int same_flow(const struct flow *a, const struct flow *b)
{
    return a->proto == b->proto && a->family == b->family && a->local_port == b->local_port &&
           a->far_port == b->far_port && memcmp(a->local, b->local, 16) == 0 &&
           memcmp(a->far, b->far, 16) == 0;
}

int pc_traffic_left_out(int proto, int ours_end, uint16_t local_port, const struct pc_own_port *own,
                        size_t n_own)
{
    if (!ours_end)
        return 0; /* between two other devices: no socket of this computer */
    return pc_traffic_own_has(proto, local_port) ||
           pc_traffic_is_own(proto, local_port, own, n_own);
}

/*
 * The window of a packet stamped at_ns: that of the last mark at or before
 * it. By the packet's own time, not by when the capturing thread gets to it
 * (which lags behind the wire on a busy computer).
 */
static int window_at(struct cap *c, int64_t at_ns)
{
    for (int i = atomic_load(&c->n_marks) - 1; i >= 0; i--)
        if (at_ns >= c->marks[i].at_ns)
            return c->marks[i].window;
    return -1;
}

/* Count one frame of wire_len bytes in window w. */
static void count(struct cap *c, const struct pc_pkt *pk, size_t wire_len, int w)
{
    struct flow key = {0};
    int in;
    size_t len = pk->family == 6 ? 16 : 4;

    if (w < 0 || w >= PC_TRAFFIC_WINDOWS)
        return;

    key.proto = pk->proto;
    key.family = pk->family;
    if (is_local(c, pk->family, pk->src) && !is_local(c, pk->family, pk->dst)) {
        in = 0;
        key.ours_end = 1;
        memcpy(key.local, pk->src, len);
        memcpy(key.far, pk->dst, len);
        key.local_port = pk->sport;
        key.far_port = pk->dport;
    } else {
        /* to us, or (on a shared medium) between two other devices: "from" its source */
        in = 1;
        key.ours_end = is_local(c, pk->family, pk->dst);
        memcpy(key.local, pk->dst, len);
        memcpy(key.far, pk->src, len);
        key.local_port = pk->dport;
        key.far_port = pk->sport;
    }
    /* precall's own, registered before its first packet (the filter may lag behind) */
    if (pc_traffic_left_out(key.proto, key.ours_end, key.local_port, NULL, 0))
        return;
    for (uint32_t i = flow_hash(&key) % FLOW_SLOTS, n = 0; n < FLOW_SLOTS;
         i = (i + 1) % FLOW_SLOTS, n++) {
        struct flow *f = &c->slots[i];

        if (!f->used) {
            if (c->n_flows >= FLOWS_MAX)
                break;
            *f = key;
            f->used = 1;
            c->n_flows++;
        } else if (!same_flow(f, &key)) {
            continue;
        }
        if (in)
            f->bytes_in[w] += wire_len;
        else
            f->bytes_out[w] += wire_len;
        return;
    }
    if (in)
        c->overflow_in[w] += wire_len;
    else
        c->overflow_out[w] += wire_len;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    struct cap *c = (struct cap *)user;
    struct pc_pkt pk;

    c->packets++;
    /* headers only: SNAPLEN bytes were captured, the frame's length comes from libpcap */
    if (pc_decode_frame(c->dlt, bytes, h->caplen, &pk) != PC_DECODE_OK)
        return;
    count(c, &pk, h->len,
          window_at(c, (int64_t)h->ts.tv_sec * PC_NS_PER_S + (int64_t)h->ts.tv_usec * 1000));
}

static void apply_filter(struct cap *c)
{
    char f[FILTER_MAX];
    struct bpf_program prog;

    pthread_mutex_lock(&c->mu);
    if (!c->filter_new) {
        pthread_mutex_unlock(&c->mu);
        return;
    }
    memcpy(f, c->filter, sizeof(f));
    c->filter_new = 0;
    pthread_mutex_unlock(&c->mu);
    if (pcap_compile(c->p, &prog, f, 1, PCAP_NETMASK_UNKNOWN) == 0) {
        pcap_setfilter(c->p, &prog);
        pcap_freecode(&prog);
    }
}

/* What the capture holds still (packets from before the end not yet read): read, not waited for. */
static void drain(struct cap *c)
{
    char errbuf[PCAP_ERRBUF_SIZE];

    if (pcap_setnonblock(c->p, 1, errbuf) < 0)
        return;
    for (int i = 0; i < DRAIN_MAX && pcap_dispatch(c->p, -1, on_packet, (u_char *)c) > 0; i++)
        ;
}

static void *capture_main(void *arg)
{
    struct cap *c = arg;

    if (pc_traffic_drop_thread() < 0) {
        c->drop_failed = 1;
        return NULL;
    }
    while (!atomic_load(&c->stop)) {
        apply_filter(c);
        if (pcap_dispatch(c->p, -1, on_packet, (u_char *)c) < 0)
            break;
    }
    drain(c); /* here, where the untrusted bytes are read without privileges */
    return NULL;
}

/* The addresses of this computer's interfaces. */
static void local_addresses(struct cap *c)
{
    struct ifaddrs *all = NULL;

    if (getifaddrs(&all) < 0)
        return;
    for (const struct ifaddrs *i = all; i != NULL && c->n_local < LOCAL_MAX; i = i->ifa_next) {
        if (i->ifa_addr == NULL)
            continue;
        if (i->ifa_addr->sa_family == AF_INET) {
            const struct sockaddr_in *s = (const struct sockaddr_in *)(const void *)i->ifa_addr;

            memcpy(c->local[c->n_local], &s->sin_addr, 4);
            c->local_family[c->n_local++] = 4;
        } else if (i->ifa_addr->sa_family == AF_INET6) {
            const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)(const void *)i->ifa_addr;

            memcpy(c->local[c->n_local], &s->sin6_addr, 16);
            c->local_family[c->n_local++] = 6;
        }
    }
    freeifaddrs(all);
}

/*
 * Add the local ports of precall's own sockets to own[] (cumulative): those
 * the probes registered, and those /proc shows. 1 when one was new.
 */
static int refresh_own(const char *sysroot, struct pc_own_port *own, size_t *n_own)
{
    unsigned long inodes[256];
    size_t n = pc_sock_own_inodes(sysroot, inodes, sizeof(inodes) / sizeof(inodes[0]));
    struct pc_socktab t = {0};
    size_t added = pc_traffic_own_collect(own, n_own, OWN_MAX);

    if (n > 0 && pc_socktab_read(&t, sysroot) == 0)
        added += pc_traffic_own_ports(&t, inodes, n, own, n_own, OWN_MAX);
    pc_socktab_free(&t);
    return added > 0;
}

static uint64_t flow_bytes(const struct flow *f, int w)
{
    return f->bytes_in[w] + f->bytes_out[w];
}

static uint64_t flow_total(const struct flow *f)
{
    uint64_t sum = 0;

    for (int w = 0; w < PC_TRAFFIC_WINDOWS; w++)
        sum += flow_bytes(f, w);
    return sum;
}

static int by_bytes(const void *a, const void *b)
{
    uint64_t tx = flow_total(a), ty = flow_total(b);

    return tx < ty ? 1 : tx > ty ? -1 : 0;
}

static void format_end(int family, const uint8_t *a, uint16_t port, char *buf, size_t cap)
{
    char addr[INET6_ADDRSTRLEN] = "?";

    inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, addr, sizeof(addr));
    if (family == 6)
        pc_strfmt(buf, cap, "[%s]:%u", addr, port);
    else
        pc_strfmt(buf, cap, "%s:%u", addr, port);
}

/* bytes over the window as Mbit/s */
double pc_traffic_mbps(uint64_t bytes, int64_t window_ns)
{
    if (window_ns <= 0)
        return 0;
    return (double)bytes * 8.0 / ((double)window_ns / 1e9) / 1e6;
}

/* What one window (the idle phase, the speed test) saw: its figures and its biggest flow. */
struct seen {
    int ran;
    int64_t ns;
    uint64_t in, out;
    size_t flows;
    const struct flow *top; /* in the sorted list */
    double down, up;
};

static const char *const window_name[PC_TRAFFIC_WINDOWS] = {"during the check",
                                                            "during the speed test"};

/* Name the flows of the report: far end, process, rates per window; and the run's summary. */
static void report(struct pc_probe_ctx *ctx, struct cap *c, const struct pc_own_port *own,
                   size_t n_own, const int64_t *window_ns)
{
    static const enum pc_metric down_m[PC_TRAFFIC_WINDOWS] = {PC_M_OTHER_DOWN_MBPS,
                                                              PC_M_OTHER_SPEED_DOWN_MBPS};
    static const enum pc_metric up_m[PC_TRAFFIC_WINDOWS] = {PC_M_OTHER_UP_MBPS,
                                                            PC_M_OTHER_SPEED_UP_MBPS};
    struct pc_report *r = ctx->report;
    struct flow *top;
    size_t n = 0, n_top;
    struct pc_socktab t = {0};
    struct seen sw[PC_TRAFFIC_WINDOWS];
    char procs[TOP_FLOWS][64], ends[TOP_FLOWS][80], text[PC_TRAFFIC_WINDOWS][200];
    int main_w = -1;

    top = calloc(c->n_flows > 0 ? c->n_flows : 1, sizeof(*top));
    if (top == NULL) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL), "out of memory");
        return;
    }
    memset(sw, 0, sizeof(sw));
    for (int w = 0; w < PC_TRAFFIC_WINDOWS; w++) {
        sw[w].ran = window_ns[w] > 0;
        sw[w].ns = window_ns[w];
        sw[w].in = c->overflow_in[w];
        sw[w].out = c->overflow_out[w];
    }
    for (size_t i = 0; i < FLOW_SLOTS; i++) {
        const struct flow *f = &c->slots[i];

        if (!f->used || pc_traffic_left_out(f->proto, f->ours_end, f->local_port, own, n_own))
            continue;
        top[n++] = *f;
        for (int w = 0; w < PC_TRAFFIC_WINDOWS; w++) {
            sw[w].in += f->bytes_in[w];
            sw[w].out += f->bytes_out[w];
            sw[w].flows += flow_bytes(f, w) > 0;
        }
    }
    qsort(top, n, sizeof(*top), by_bytes);
    for (int w = 0; w < PC_TRAFFIC_WINDOWS; w++) {
        if (!sw[w].ran)
            continue;
        if (main_w < 0)
            main_w = w; /* the idle phase's when it ran, else the speed test's */
        sw[w].down = pc_traffic_mbps(sw[w].in, sw[w].ns);
        sw[w].up = pc_traffic_mbps(sw[w].out, sw[w].ns);
        pc_report_set_num(r, PC_SCOPE_RUN_ID, down_m[w], sw[w].down);
        pc_report_set_num(r, PC_SCOPE_RUN_ID, up_m[w], sw[w].up);
        for (size_t i = 0; i < n; i++)
            if (flow_bytes(&top[i], w) > 0 &&
                (sw[w].top == NULL || flow_bytes(&top[i], w) > flow_bytes(sw[w].top, w)))
                sw[w].top = &top[i];
    }
    if (main_w < 0) {
        free(top);
        pc_probe_finish(ctx, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_TIME_TOO_SHORT),
                        "skipped: the phases it watches did not run");
        return;
    }
    if (sw[PC_TRAFFIC_IDLE].ran)
        pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_OTHER_FLOWS, (double)sw[PC_TRAFFIC_IDLE].flows);
    pc_socktab_read(&t, ctx->cfg->sysroot);
    n_top = n < TOP_FLOWS ? n : TOP_FLOWS;
    for (size_t i = 0; i < n_top; i++) {
        const struct flow *f = &top[i];
        const struct pc_sock *s = NULL;
        char id[128];
        int pid = 0, sc;

        procs[i][0] = '\0';
        format_end(f->family, f->far, f->far_port, ends[i], sizeof(ends[i]));
        if (f->ours_end)
            s = pc_socktab_match(&t, f->proto, f->family, f->local, f->local_port, f->far,
                                 f->far_port);
        if (s == NULL ||
            !pc_sock_owner(ctx->cfg->sysroot, s->inode, &pid, procs[i], sizeof(procs[i])))
            procs[i][0] = '\0';
        pc_strfmt(id, sizeof(id), "%s %s %u", f->proto == 6 ? "tcp" : "udp", ends[i],
                  f->local_port);
        sc = pc_report_scope(r, PC_SCOPE_OTHER_FLOW, id, ends[i]);
        if (sc < 0)
            continue;
        pc_report_set_text(r, (size_t)sc, PC_M_OTHER_FLOW_FAR_END, ends[i]);
        pc_report_set_text(r, (size_t)sc, PC_M_OTHER_FLOW_PROTOCOL, f->proto == 6 ? "tcp" : "udp");
        pc_report_set_num(r, (size_t)sc, PC_M_OTHER_FLOW_LOCAL_PORT, f->local_port);
        for (int w = 0; w < PC_TRAFFIC_WINDOWS; w++) {
            if (!sw[w].ran)
                continue;
            pc_report_set_num(r, (size_t)sc, down_m[w], pc_traffic_mbps(f->bytes_in[w], sw[w].ns));
            pc_report_set_num(r, (size_t)sc, up_m[w], pc_traffic_mbps(f->bytes_out[w], sw[w].ns));
        }
        pc_report_set_text(r, (size_t)sc, PC_M_OTHER_FLOW_WHERE,
                           f->ours_end ? "this-computer" : "other-device");
        if (procs[i][0])
            pc_report_set_text(r, (size_t)sc, PC_M_OTHER_FLOW_PROCESS, procs[i]);
    }
    pc_socktab_free(&t);
    /* One sentence a window: none, or its rate and its biggest flow. */
    for (int w = 0; w < PC_TRAFFIC_WINDOWS; w++) {
        const struct flow *f = sw[w].top;
        size_t k = f != NULL ? (size_t)(f - top) : 0;
        int local = f != NULL && f->ours_end;
        char end[80];

        text[w][0] = '\0';
        if (!sw[w].ran)
            continue;
        if (sw[w].down + sw[w].up < SIGNIFICANT_MBPS || f == NULL) {
            pc_strfmt(text[w], sizeof(text[w]),
                      "no other traffic on this connection %s (%.2f "
                      "Mbit/s down, %.2f up)",
                      window_name[w], sw[w].down, sw[w].up);
            if (w == main_w)
                pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_OTHER_TRAFFIC_SOURCE, "none");
            continue;
        }
        if (w == main_w)
            pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_OTHER_TRAFFIC_SOURCE,
                               local ? "this-computer" : "other-device");
        /* its biggest flow: among the named ones, or (when another window's flows outrank
           it) by its far end alone */
        if (k < n_top)
            pc_strfmt(end, sizeof(end), "%s", ends[k]);
        else
            format_end(f->family, f->far, f->far_port, end, sizeof(end));
        pc_strfmt(text[w], sizeof(text[w]),
                  "other traffic on this connection: %.1f Mbit/s down, %.1f up %s, mostly one "
                  "flow %s %s%s%s%s%s",
                  sw[w].down, sw[w].up, window_name[w], sw[w].down >= sw[w].up ? "from" : "to", end,
                  k < n_top && procs[k][0] ? " (process: " : "", k < n_top ? procs[k] : "",
                  k < n_top && procs[k][0] ? ")" : "",
                  local ? "" : " (another device: no socket of this computer)");
    }
    free(top);
    if (text[PC_TRAFFIC_IDLE][0] && text[PC_TRAFFIC_SPEED][0])
        pc_probe_finish(ctx, PC_STATUS_OK, "", "%s; %s", text[PC_TRAFFIC_IDLE],
                        text[PC_TRAFFIC_SPEED]);
    else
        pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", text[main_w]);
}

/*
 * Which window packets count in now: the idle phase's while the udp probe
 * runs, the speed test's while the bandwidth probe does, none in between.
 * -2 once the phases it watches are over.
 */
int pc_traffic_window_of(unsigned planned, int now)
{
    int last = -1;

    if (planned & (1u << pc_probe_udp.phase))
        last = pc_probe_udp.phase;
    if ((planned & (1u << pc_probe_bandwidth.phase)) && pc_probe_bandwidth.phase > last)
        last = pc_probe_bandwidth.phase;
    if (last < 0 || now > last)
        return -2;
    if (now == pc_probe_udp.phase)
        return PC_TRAFFIC_IDLE;
    if (now == pc_probe_bandwidth.phase)
        return PC_TRAFFIC_SPEED;
    return -1;
}

static int64_t wire_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * PC_NS_PER_S + ts.tv_nsec;
}

/* Open window w (-1: none) from now on, closing the one before. */
static void switch_window(struct pc_probe_ctx *ctx, struct cap *c, int *cur, int w)
{
    static const char *const phase[PC_TRAFFIC_WINDOWS] = {"idle", "speed test"};
    int n = atomic_load(&c->n_marks);

    if (w == *cur)
        return;
    if (n == MARKS_MAX) /* never in practice; keep the last place for the end */
        n--;
    c->marks[n].at_ns = wire_now_ns();
    c->marks[n].window = w;
    atomic_store(&c->n_marks, n + 1);
    *cur = w;
    if (w >= 0)
        pc_probe_phase(ctx, phase[w]);
}

/* How long each window was open, from the marks (the last one closes the last window). */
static void window_lengths(const struct cap *c, int64_t *window_ns)
{
    int n = atomic_load(&c->n_marks);

    for (int i = 0; i + 1 < n; i++)
        if (c->marks[i].window >= 0)
            window_ns[c->marks[i].window] += c->marks[i + 1].at_ns - c->marks[i].at_ns;
}

static int run(struct pc_probe_ctx *ctx)
{
    struct pc_host h;
    struct pc_err err = {0};
    struct cap *c = NULL;
    struct pc_own_port own[OWN_MAX];
    size_t n_own = 0;
    pthread_t th;
    void *p = NULL;
    int64_t end, last_refresh, window_ns[PC_TRAFFIC_WINDOWS] = {0};
    int rc, cur = -1, now = -1, alone;

    if (!pc_host_supported() ||
        pc_host_read(ctx->cfg->sysroot, NULL, ctx->cfg->family, &h, &err) < 0) {
        pc_probe_finish(ctx, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NOT_SUPPORTED),
                        "skipped: not supported on this system");
        return 0;
    }
    if (h.iface[0] == '\0') {
        pc_probe_finish(ctx, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NOT_SUPPORTED),
                        "skipped: no default route, so no interface to look at");
        return 0;
    }
    pc_strfmt(ctx->result->method, sizeof(ctx->result->method),
              "libpcap on %s, %d bytes of headers a packet, no payload; during the idle phase "
              "and, apart, the speed test; precall's own sockets left out by their ports, "
              "registered as they are made (and /proc/self/fd, /proc/net for the rest); "
              "processes from /proc/net/{tcp,tcp6,udp,udp6} and /proc/*/fd socket inodes",
              h.iface, SNAPLEN);
    c = calloc(1, sizeof(*c));
    if (c == NULL || (c->slots = calloc(FLOW_SLOTS, sizeof(*c->slots))) == NULL) {
        if (c != NULL)
            free(c);
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL), "out of memory");
        return 0;
    }
    pthread_mutex_init(&c->mu, NULL);
    atomic_store(&c->n_marks, 0);
    refresh_own(ctx->cfg->sysroot, own, &n_own);
    pc_traffic_filter(own, n_own, c->filter, sizeof(c->filter));
    rc = pc_traffic_open(h.iface, SNAPLEN, c->filter, &p, &err);
    if (rc < 0) {
        pc_probe_finish(
            ctx, PC_STATUS_SKIPPED,
            pc_cause_id(rc == PC_EPERM ? PC_CAUSE_CAPTURE_NOT_PERMITTED : PC_CAUSE_NOT_SUPPORTED),
            "skipped: %s", err.msg);
        goto out;
    }
    c->p = p;
    c->dlt = pcap_datalink(c->p);
    local_addresses(c);
    /* Neither phase it watches runs (--skip udp,bandwidth): a window of its own. */
    alone = pc_traffic_window_of(pc_probe_phases(ctx, &now), -1) == -2;
    if (pthread_create(&th, NULL, capture_main, c) != 0) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL),
                        "could not start the capture");
        goto out;
    }
    end = pc_probe_window_end(ctx);
    last_refresh = pc_clock_now_ns();
    while (!pc_probe_should_stop(ctx)) {
        struct timespec ts = {0, SLICE_NS};
        int64_t t = pc_clock_now_ns();
        int w = alone ? PC_TRAFFIC_IDLE : pc_traffic_window_of(pc_probe_phases(ctx, &now), now);

        if (w == -2 || (alone && t >= end))
            break;
        switch_window(ctx, c, &cur, w);
        nanosleep(&ts, NULL);
        if (pc_clock_now_ns() - last_refresh >= REFRESH_NS) {
            last_refresh = pc_clock_now_ns();
            if (refresh_own(ctx->cfg->sysroot, own, &n_own)) {
                pthread_mutex_lock(&c->mu);
                pc_traffic_filter(own, n_own, c->filter, sizeof(c->filter));
                c->filter_new = 1;
                pthread_mutex_unlock(&c->mu);
            }
        }
    }
    switch_window(ctx, c, &cur, -1);
    atomic_store(&c->stop, 1);
    pcap_breakloop(c->p);
    pthread_join(th, NULL);
    window_lengths(c, window_ns);
    refresh_own(ctx->cfg->sysroot, own, &n_own);
    if (c->drop_failed) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL),
                        "could not drop privileges after opening the capture");
        goto out;
    }
    if (pc_probe_interrupted(ctx)) {
        pc_probe_finish(ctx, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_INTERRUPTED), "interrupted");
        goto out;
    }
    report(ctx, c, own, n_own, window_ns);
out:
    if (c->p != NULL)
        pcap_close(c->p);
    pthread_mutex_destroy(&c->mu);
    free(c->slots);
    free(c);
    return 0;
}

const struct pc_probe pc_probe_traffic = {
    .name = "traffic",
    .summary = "other traffic on the connection during the idle phase and, apart, the speed "
               "test, by flow and process (needs capture permission)",
    .activity = "Looking for other traffic",
    .phase = 1,
    /* It rides along with the phases it watches and holds up none of them; this share is its
       window only when neither of them runs. */
    .overlap = 1,
    .budget_share = 0.3,
    .run = run,
};
