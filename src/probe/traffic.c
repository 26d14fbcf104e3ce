/*
 * traffic.c - the 'traffic' probe: what else uses the connection.
 *
 * It runs beside the idle UDP stream (phase 1) and captures, on the
 * interface of the default route, the headers only of every packet (snap
 * length SNAPLEN; no payload is read or kept), with a BPF filter that
 * leaves out precall's own sockets: every REFRESH_NS the probe looks up
 * which local ports this process holds (/proc/self/fd against
 * /proc/net/{tcp,udp}...) and hands the capturing thread a new filter; flows on such a
 * port seen before the filter caught up are left out at the end. Other
 * traffic is counted per flow (protocol, local end, far end), in and out;
 * the biggest flows are named by their far end and, where /proc says
 * which socket and process hold them, the local process.
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

#define SNAPLEN          128 /* Ethernet, IPv6 with an extension header, TCP with options */
#define REFRESH_NS       (100 * PC_NS_PER_MS)
#define FLOW_SLOTS       4096 /* open addressing; flows past ~3/4 of it are counted apart */
#define FLOWS_MAX        3072
#define LOCAL_MAX        64
#define OWN_MAX          128
#define TOP_FLOWS        5
#define FILTER_MAX       4096
#define SIGNIFICANT_MBPS 1.0 /* less than this is background chatter: not a cause */

struct flow {
    int used;
    int proto, family;
    int ours_end; /* 1: one end is an address of this computer */
    uint8_t local[16], far[16];
    uint16_t local_port, far_port;
    uint64_t bytes_in, bytes_out;
};

struct cap {
    pcap_t *p;
    int dlt;
    atomic_int stop;
    int drop_failed;
    pthread_mutex_t mu;
    char filter[FILTER_MAX]; /* the newest filter, under mu */
    int filter_new;
    /* owned by the capturing thread until it is joined */
    struct flow *slots;
    size_t n_flows;
    uint64_t overflow_in, overflow_out, packets;
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

/* Count one frame of wire_len bytes. */
static void count(struct cap *c, const struct pc_pkt *pk, size_t wire_len)
{
    struct flow key = {0};
    int in;
    size_t len = pk->family == 6 ? 16 : 4;

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
            f->bytes_in += wire_len;
        else
            f->bytes_out += wire_len;
        return;
    }
    if (in)
        c->overflow_in += wire_len;
    else
        c->overflow_out += wire_len;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    struct cap *c = (struct cap *)user;
    struct pc_pkt pk;

    c->packets++;
    /* headers only: SNAPLEN bytes were captured, the frame's length comes from libpcap */
    if (pc_decode_frame(c->dlt, bytes, h->caplen, &pk) != PC_DECODE_OK)
        return;
    count(c, &pk, h->len);
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

/* Add the local ports of precall's own sockets to own[] (cumulative); 1 when one was new. */
static int refresh_own(const char *sysroot, struct pc_own_port *own, size_t *n_own)
{
    unsigned long inodes[256];
    size_t n = pc_sock_own_inodes(sysroot, inodes, sizeof(inodes) / sizeof(inodes[0]));
    struct pc_socktab t = {0};
    size_t added = 0;

    if (n > 0 && pc_socktab_read(&t, sysroot) == 0)
        added = pc_traffic_own_ports(&t, inodes, n, own, n_own, OWN_MAX);
    pc_socktab_free(&t);
    return added > 0;
}

static int by_bytes(const void *a, const void *b)
{
    const struct flow *x = a, *y = b;
    uint64_t tx = x->bytes_in + x->bytes_out, ty = y->bytes_in + y->bytes_out;

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

/* Name the flows of the report: far end, process, rates; and the run's summary. */
static void report(struct pc_probe_ctx *ctx, struct cap *c, const struct pc_own_port *own,
                   size_t n_own, int64_t window_ns)
{
    struct pc_report *r = ctx->report;
    struct flow *top;
    size_t n = 0, n_top;
    uint64_t in = c->overflow_in, out = c->overflow_out;
    struct pc_socktab t = {0};
    char summary[300] = "", first_end[80] = "", first_proc[64] = "";
    int first_local = 0;
    double down, up;

    top = calloc(c->n_flows > 0 ? c->n_flows : 1, sizeof(*top));
    if (top == NULL) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL), "out of memory");
        return;
    }
    for (size_t i = 0; i < FLOW_SLOTS; i++) {
        const struct flow *f = &c->slots[i];

        if (!f->used || (f->ours_end && pc_traffic_is_own(f->proto, f->local_port, own, n_own)))
            continue;
        top[n++] = *f;
        in += f->bytes_in;
        out += f->bytes_out;
    }
    qsort(top, n, sizeof(*top), by_bytes);
    down = pc_traffic_mbps(in, window_ns);
    up = pc_traffic_mbps(out, window_ns);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_OTHER_DOWN_MBPS, down);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_OTHER_UP_MBPS, up);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_OTHER_FLOWS, (double)n);
    pc_socktab_read(&t, ctx->cfg->sysroot);
    n_top = n < TOP_FLOWS ? n : TOP_FLOWS;
    for (size_t i = 0; i < n_top; i++) {
        const struct flow *f = &top[i];
        const struct pc_sock *s = NULL;
        char end[80], id[128], proc[64] = "";
        int pid = 0, sc;

        format_end(f->family, f->far, f->far_port, end, sizeof(end));
        if (f->ours_end)
            s = pc_socktab_match(&t, f->proto, f->family, f->local, f->local_port, f->far,
                                 f->far_port);
        if (s != NULL && pc_sock_owner(ctx->cfg->sysroot, s->inode, &pid, proc, sizeof(proc)))
            ;
        else
            proc[0] = '\0';
        pc_strfmt(id, sizeof(id), "%s %s %u", f->proto == 6 ? "tcp" : "udp", end, f->local_port);
        sc = pc_report_scope(r, PC_SCOPE_OTHER_FLOW, id, end);
        if (sc < 0)
            continue;
        pc_report_set_text(r, (size_t)sc, PC_M_OTHER_FLOW_FAR_END, end);
        pc_report_set_text(r, (size_t)sc, PC_M_OTHER_FLOW_PROTOCOL, f->proto == 6 ? "tcp" : "udp");
        pc_report_set_num(r, (size_t)sc, PC_M_OTHER_FLOW_LOCAL_PORT, f->local_port);
        pc_report_set_num(r, (size_t)sc, PC_M_OTHER_DOWN_MBPS,
                          pc_traffic_mbps(f->bytes_in, window_ns));
        pc_report_set_num(r, (size_t)sc, PC_M_OTHER_UP_MBPS,
                          pc_traffic_mbps(f->bytes_out, window_ns));
        pc_report_set_text(r, (size_t)sc, PC_M_OTHER_FLOW_WHERE,
                           f->ours_end ? "this-computer" : "other-device");
        if (proc[0])
            pc_report_set_text(r, (size_t)sc, PC_M_OTHER_FLOW_PROCESS, proc);
        if (i == 0) {
            pc_strfmt(first_end, sizeof(first_end), "%s", end);
            pc_strfmt(first_proc, sizeof(first_proc), "%s", proc);
            first_local = f->ours_end;
        }
    }
    pc_socktab_free(&t);
    free(top);
    if (down + up < SIGNIFICANT_MBPS) {
        pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_OTHER_TRAFFIC_SOURCE, "none");
        pc_probe_finish(ctx, PC_STATUS_OK, "",
                        "no other traffic on this connection during the check (%.2f Mbit/s "
                        "down, %.2f up)",
                        down, up);
        return;
    }
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_OTHER_TRAFFIC_SOURCE,
                       first_local ? "this-computer" : "other-device");
    pc_strfmt(summary, sizeof(summary), "%s%s%s", first_proc[0] ? " (process: " : "", first_proc,
              first_proc[0] ? ")" : "");
    pc_probe_finish(ctx, PC_STATUS_OK, "",
                    "other traffic on this connection: %.1f Mbit/s down, %.1f up during the "
                    "check, mostly one flow %s %s%s%s",
                    down, up, down >= up ? "from" : "to", first_end, summary,
                    first_local ? "" : " (another device: no socket of this computer)");
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
    int64_t t0, t1, end;
    int rc;

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
              "libpcap on %s, %d bytes of headers a packet, no payload; precall's own sockets "
              "(/proc/self/fd, /proc/net) left out by the BPF filter; processes from "
              "/proc/net/{tcp,tcp6,udp,udp6} and /proc/*/fd socket inodes",
              h.iface, SNAPLEN);
    c = calloc(1, sizeof(*c));
    if (c == NULL || (c->slots = calloc(FLOW_SLOTS, sizeof(*c->slots))) == NULL) {
        if (c != NULL)
            free(c);
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL), "out of memory");
        return 0;
    }
    pthread_mutex_init(&c->mu, NULL);
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
    pc_probe_phase(ctx, "idle");
    t0 = pc_clock_now_ns();
    if (pthread_create(&th, NULL, capture_main, c) != 0) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL),
                        "could not start the capture");
        goto out;
    }
    end = pc_probe_window_end(ctx);
    while (!pc_probe_should_stop(ctx) && pc_clock_now_ns() < end) {
        struct timespec ts = {0, REFRESH_NS};

        nanosleep(&ts, NULL);
        if (refresh_own(ctx->cfg->sysroot, own, &n_own)) {
            pthread_mutex_lock(&c->mu);
            pc_traffic_filter(own, n_own, c->filter, sizeof(c->filter));
            c->filter_new = 1;
            pthread_mutex_unlock(&c->mu);
        }
    }
    atomic_store(&c->stop, 1);
    pcap_breakloop(c->p);
    t1 = pc_clock_now_ns();
    pthread_join(th, NULL);
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
    report(ctx, c, own, n_own, t1 - t0);
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
    .summary = "other traffic on the connection during the check, by flow and process "
               "(needs capture permission)",
    .activity = "Looking for other traffic",
    .phase = 1,
    .budget_share = 0.3,
    .run = run,
};
