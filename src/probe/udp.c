/*
 * udp.c - the 'udp' probe: reachability, idle RTT, jitter and loss over UDP.
 *
 * STUN Binding Requests (RFC 8489) from one local socket: first a short
 * discovery round to every server (reachability, the public mapped address,
 * and NAT mapping behaviour by comparing two servers' answers), then a
 * steady stream to the first server that answered, paced like an audio
 * stream, over the probe's window. A request unanswered within the reply
 * timeout is lost; later answers are counted apart.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "precall/clock.h"
#include "precall/netaddr.h"
#include "precall/probe.h"
#include "probe/stunsession.h"
#include "probe/stunstats.h"

#define STREAM_INTERVAL_NS    (10 * PC_NS_PER_MS) /* 100 requests a second */
#define DISCOVERY_INTERVAL_NS (50 * PC_NS_PER_MS)
#define DISCOVERY_MAX_NS      (1000 * PC_NS_PER_MS)
#define DISCOVERY_GRACE_NS    (300 * PC_NS_PER_MS)
#define REPLY_TIMEOUT_NS      (1000 * PC_NS_PER_MS)
#define LOOKUP_TIMEOUT_NS     (2 * PC_NS_PER_S)
#define MIN_WINDOW_NS         (1000 * PC_NS_PER_MS)
#define FIGURE_EVERY_NS       (250 * PC_NS_PER_MS)

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static void addr_text(const struct pc_stun_addr *a, char *buf, size_t cap)
{
    inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->addr, buf, (socklen_t)cap);
}

static int same_mapping(const struct pc_stun_addr *a, const struct pc_stun_addr *b)
{
    return a->family == b->family && a->port == b->port &&
           memcmp(a->addr, b->addr, a->family == 6 ? 16 : 4) == 0;
}

static int unreachable_errno(int e)
{
    return e == ENETUNREACH || e == EHOSTUNREACH || e == ENETDOWN || e == EADDRNOTAVAIL;
}

/* Resolve the configured servers into the session; fills one target each. */
static void add_servers(struct pc_probe_ctx *ctx, struct pc_stun_session *s, size_t *map)
{
    const struct pc_config *cfg = ctx->cfg;

    for (size_t i = 0; i < cfg->n_stun && !pc_probe_should_stop(ctx); i++) {
        struct pc_target *t = &ctx->result->targets[ctx->result->n_targets];
        struct pc_hostport hp;
        struct sockaddr_storage ss;
        socklen_t len;
        struct pc_err err = {0};
        int idx;

        if (ctx->result->n_targets >= PC_TARGETS_MAX)
            break;
        memset(t, 0, sizeof(*t));
        snprintf(t->role, sizeof(t->role), "stun");
        snprintf(t->host, sizeof(t->host), "%s", cfg->stun[i]);
        ctx->result->n_targets++;
        if (pc_netaddr_split(cfg->stun[i], PC_STUN_DEFAULT_PORT, &hp, &err) == 0) {
            snprintf(t->host, sizeof(t->host), "%s", hp.host);
            t->port = hp.port;
        }
        if (err.code < 0 ||
            pc_netaddr_resolve(hp.host, hp.port, cfg->family,
                               min64(pc_clock_now_ns() + LOOKUP_TIMEOUT_NS, ctx->deadline_ns),
                               ctx->cancel, &ss, &len, &err) < 0 ||
            (idx = pc_stun_session_add_server(s, (struct sockaddr *)&ss, len, &err)) < 0) {
            snprintf(t->detail, sizeof(t->detail), "not used: %s", err.msg);
            continue;
        }
        pc_netaddr_format((struct sockaddr *)&ss, t->address, sizeof(t->address), &t->port);
        map[idx] = ctx->result->n_targets - 1;
    }
}

/*
 * Ask every server until each has answered once, or the discovery time is
 * up; once one has answered, the others get DISCOVERY_GRACE_NS more, so one
 * silent server does not hold up the measurement.
 */
static void discover(struct pc_probe_ctx *ctx, struct pc_stun_session *s)
{
    int64_t end = min64(pc_clock_now_ns() + DISCOVERY_MAX_NS, ctx->deadline_ns);

    while (!pc_probe_should_stop(ctx) && pc_clock_now_ns() < end) {
        int waiting = 0, answered = 0;

        for (size_t i = 0; i < s->n_servers; i++) {
            if (s->servers[i].answered > 0) {
                answered = 1;
                continue;
            }
            waiting = 1;
            pc_stun_session_send(s, i, PC_REQ_DISCOVERY);
        }
        if (!waiting)
            break;
        if (answered)
            end = min64(end, pc_clock_now_ns() + DISCOVERY_GRACE_NS);
        pc_stun_session_pump(s, min64(pc_clock_now_ns() + DISCOVERY_INTERVAL_NS, end));
    }
}

/*
 * The paced stream to server p over the window, then the wait for late
 * answers. Returns 1 when Ctrl-C or the deadline cut the window short.
 */
static int stream(struct pc_probe_ctx *ctx, struct pc_stun_session *s, size_t p)
{
    int64_t window = ctx->window_ns > MIN_WINDOW_NS ? ctx->window_ns : MIN_WINDOW_NS;
    int64_t start = pc_clock_now_ns();
    int64_t end = min64(start + window, ctx->deadline_ns - REPLY_TIMEOUT_NS);
    int64_t next = start, next_figure = start + FIGURE_EVERY_NS, drain_end;
    int cut = end < start + window;

    while (!pc_probe_should_stop(ctx) && pc_clock_now_ns() < end) {
        int64_t now = pc_clock_now_ns();

        if (now >= next) {
            pc_stun_session_send(s, p, PC_REQ_STREAM);
            next += STREAM_INTERVAL_NS;
            if (now - next > STREAM_INTERVAL_NS)
                next = now + STREAM_INTERVAL_NS; /* fell behind: do not burst */
        }
        if (now >= next_figure && s->n_reqs > 0) {
            for (size_t i = s->n_reqs; i-- > 0;) {
                if (s->reqs[i].answers > 0 && s->reqs[i].kind == PC_REQ_STREAM) {
                    pc_probe_figure(ctx, PC_M_RTT_MEDIAN_MS, pc_ns_to_ms(s->reqs[i].rtt_ns));
                    break;
                }
            }
            next_figure += FIGURE_EVERY_NS;
        }
        pc_stun_session_pump(s, min64(next, end));
    }
    drain_end = min64(pc_clock_now_ns() + REPLY_TIMEOUT_NS, ctx->deadline_ns);
    while (!pc_probe_should_stop(ctx) && pc_clock_now_ns() < drain_end &&
           !pc_stun_session_all_answered(s, p, PC_REQ_STREAM))
        pc_stun_session_pump(s, min64(pc_clock_now_ns() + 20 * PC_NS_PER_MS, drain_end));
    return cut || pc_probe_should_stop(ctx);
}

static void report_mapping(struct pc_probe_ctx *ctx, const struct pc_stun_session *s, size_t p)
{
    const struct pc_stun_server *a = &s->servers[p];
    char addr[64];
    int other = -1;

    if (!a->has_mapped)
        return;
    addr_text(&a->mapped, addr, sizeof(addr));
    pc_report_set_text(ctx->report, PC_M_PUBLIC_ADDRESS, addr);
    pc_report_set_num(ctx->report, PC_M_PUBLIC_PORT, a->mapped.port);
    for (size_t i = 0; i < s->n_servers; i++)
        if (i != p && s->servers[i].has_mapped && s->servers[i].mapped.family == a->mapped.family &&
            !pc_netaddr_equal((const struct sockaddr *)&s->servers[i].addr,
                              (const struct sockaddr *)&a->addr))
            other = (int)i;
    if (other < 0)
        return;
    pc_report_set_text(ctx->report, PC_M_NAT_MAPPING,
                       same_mapping(&s->servers[other].mapped, &a->mapped) ? "endpoint-independent"
                                                                           : "address-dependent");
}

static void report_stats(struct pc_probe_ctx *ctx, const struct pc_stun_stats *st)
{
    struct pc_report *r = ctx->report;

    pc_report_set_num(r, PC_M_PROBES_SENT, (double)st->sent);
    pc_report_set_num(r, PC_M_PROBES_ANSWERED, (double)st->answered);
    pc_report_set_num(r, PC_M_PROBES_LOST, (double)st->lost);
    pc_report_set_num(r, PC_M_LATE, (double)st->late);
    pc_report_set_num(r, PC_M_DUPLICATES, (double)st->duplicates);
    pc_report_set_num(r, PC_M_REORDERED, (double)st->reordered);
    pc_report_set_num(r, PC_M_LOSS_PCT, st->loss_pct);
    pc_report_set_num(r, PC_M_LOSS_LOW_PCT, st->loss_low_pct);
    pc_report_set_num(r, PC_M_LOSS_HIGH_PCT, st->loss_high_pct);
    pc_report_set_num(r, PC_M_BURST_LOSS_PCT, st->burst_loss_pct);
    pc_report_set_num(r, PC_M_RTT_MEDIAN_MS, st->rtt_median_ms);
    pc_report_set_num(r, PC_M_RTT_MIN_MS, st->rtt_min_ms);
    pc_report_set_num(r, PC_M_RTT_P90_MS, st->rtt_p90_ms);
    pc_report_set_num(r, PC_M_RTT_P99_MS, st->rtt_p99_ms);
    pc_report_set_num(r, PC_M_RTT_MAX_MS, st->rtt_max_ms);
    pc_report_set_num(r, PC_M_JITTER_MS, st->jitter_ms);
    pc_report_set_num(r, PC_M_JITTER_RFC3550_MS, st->jitter_rfc3550_ms);
    pc_report_set_num(r, PC_M_PDV_P95_MS, st->pdv_p95_ms);
    pc_report_set_samples(ctx->result, "rtt_ms", st->rtt_ms, st->n_rtt);
}

static void describe_targets(struct pc_probe_ctx *ctx, const struct pc_stun_session *s,
                             const size_t *map, size_t primary)
{
    for (size_t i = 0; i < s->n_servers; i++) {
        const struct pc_stun_server *srv = &s->servers[i];
        struct pc_target *t = &ctx->result->targets[map[i]];
        char addr[48], mapped[64] = "none";

        if (srv->has_mapped) {
            addr_text(&srv->mapped, addr, sizeof(addr));
            snprintf(mapped, sizeof(mapped), srv->mapped.family == 6 ? "[%s]:%u" : "%s:%u", addr,
                     (unsigned)srv->mapped.port);
        }
        snprintf(t->detail, sizeof(t->detail), "%s, answered %u of %u, mapped address %s%s%s",
                 i == primary ? "probed" : "compared", srv->answered, srv->sent, mapped,
                 srv->send_errno ? ", send error: " : "",
                 srv->send_errno ? strerror(srv->send_errno) : "");
    }
}

static int run(struct pc_probe_ctx *ctx)
{
    struct pc_stun_session s;
    struct pc_stun_stats st;
    struct pc_err err = {0};
    size_t map[PC_SESSION_SERVERS_MAX] = {0};
    size_t primary = 0, unreachable = 0;
    int found = 0, cut;

    if (pc_stun_session_init(&s, REPLY_TIMEOUT_NS, &err) < 0) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, "%s", err.msg);
        return 0;
    }
    add_servers(ctx, &s, map);
    snprintf(ctx->result->method, sizeof(ctx->result->method),
             "STUN Binding Requests (RFC 8489), %d per second from one socket, RTT on the "
             "monotonic clock with %s receive timestamps; reply timeout %d ms",
             (int)(PC_NS_PER_S / STREAM_INTERVAL_NS),
             s.n_socks > 0 && s.socks[0].kernel_ts ? "kernel" : "user-space",
             (int)(REPLY_TIMEOUT_NS / PC_NS_PER_MS));
    if (s.n_servers == 0) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, "no STUN server could be looked up");
        goto out;
    }
    discover(ctx, &s);
    for (size_t i = 0; i < s.n_servers; i++) {
        unreachable += unreachable_errno(s.servers[i].send_errno);
        if (!found && s.servers[i].answered > 0) {
            primary = i;
            found = 1;
        }
    }
    if (!found) {
        unsigned tried = 0, closed = 0, unusable = 0;
        const char *why = "";

        describe_targets(ctx, &s, map, primary);
        if (pc_probe_should_stop(ctx))
            goto out;
        for (size_t i = 0; i < s.n_servers; i++) {
            const struct pc_stun_server *srv = &s.servers[i];

            tried += srv->sent > srv->send_failed;
            closed += srv->sent > srv->send_failed && srv->port_unreachable > 0;
            unusable += srv->unusable;
            if (srv->unusable > 0)
                why = srv->unusable_reason;
        }
        pc_report_set_num(ctx->report, PC_M_IGNORED, (double)s.ignored);
        if (unreachable == s.n_servers) {
            pc_report_mark_online(ctx->report, 0);
            pc_probe_finish(ctx, PC_STATUS_FAILED, "no route to the STUN servers");
        } else {
            pc_report_set_num(ctx->report, PC_M_UDP_REACHABLE, 0);
            if (tried > 0 && closed == tried)
                pc_probe_finish(ctx, PC_STATUS_FAILED, "%s (ICMP port unreachable)",
                                tried == 1 ? "the STUN server's port is closed"
                                           : "the STUN servers' ports are closed");
            else if (unusable > 0)
                pc_probe_finish(ctx, PC_STATUS_FAILED,
                                "%u answer%s arrived from the STUN servers but none was usable "
                                "(%s)",
                                unusable, unusable == 1 ? "" : "s", why);
            else
                pc_probe_finish(ctx, PC_STATUS_FAILED,
                                "no answer from any STUN server: UDP seems blocked");
        }
        goto out;
    }
    pc_report_mark_online(ctx->report, 1);
    pc_report_set_num(ctx->report, PC_M_UDP_REACHABLE, 1);
    report_mapping(ctx, &s, primary);
    cut = stream(ctx, &s, primary);
    describe_targets(ctx, &s, map, primary);
    if (pc_stun_stats_compute(&s, primary, PC_REQ_STREAM, pc_clock_now_ns(), &st) < 0) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, "out of memory");
        goto out;
    }
    ctx->result->cut_short = cut;
    report_stats(ctx, &st);
    pc_report_set_num(ctx->report, PC_M_IGNORED, (double)s.ignored);
    if (st.answered == 0)
        pc_probe_finish(ctx, PC_STATUS_FAILED, "the server stopped answering");
    else if (cut)
        pc_probe_finish(ctx, PC_STATUS_OK, "cut short after %lu probes by %s", st.sent,
                        ctx->cancel != NULL && *ctx->cancel ? "Ctrl-C" : "the time limit");
    else
        pc_probe_finish(ctx, PC_STATUS_OK, "%s", "");
    pc_stun_stats_free(&st);
out:
    pc_stun_session_free(&s);
    return 0;
}

const struct pc_probe pc_probe_udp = {
    .name = "udp",
    .summary = "UDP reachability, latency, jitter and loss (STUN)",
    .phase = 1,
    .budget_share = 0.3,
    .run = run,
};
