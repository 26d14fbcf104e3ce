/*
 * udp.c - the 'udp' probe: reachability, idle RTT, jitter and loss over UDP.
 *
 * STUN Binding Requests (RFC 8489) from one local socket per address
 * family. Every server name is resolved in both families (unless -4 or -6),
 * and each address is a server of its own: first a short discovery round to
 * every address (reachability per family, the public mapped address, and NAT
 * mapping behaviour by comparing two servers' answers); an address whose
 * family has not answered yet keeps being asked for the whole discovery
 * time, so a broken IPv6 path does not hide a working IPv4 one, or the other
 * way round. Then a steady stream over the probe's window: 100 a second to
 * the primary server (its figures are the run's), 10 a second to each other
 * server that answered, for comparison.
 *
 * Public servers get what their operators allow (stunpolicy.h): the primary
 * is the first that answered among those documented as unlimited, other
 * public servers get at most 2 requests a second, and all requests to public
 * servers stop at a cap whatever the window. When the primary loses clearly
 * more answers than a comparison server over the same seconds, the loss is
 * the server's: the run takes the comparison server's figures and says so.
 *
 * Every server is a scope of the report with its own figures and RTT
 * series. A request unanswered within the reply timeout is lost; later
 * answers are counted apart. The stream ends early enough that its last
 * answers can still arrive by the deadline; requests whose fate is still
 * open then are left out, not counted lost.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "precall/buf.h"
#include "precall/cause.h"
#include "precall/clock.h"
#include "precall/netaddr.h"
#include "precall/probe.h"
#include "probe/stunpolicy.h"
#include "probe/stunsession.h"
#include "probe/stunstats.h"

#define STREAM_INTERVAL_NS    (PC_NS_PER_S / PC_STUN_STREAM_PER_S) /* 100 requests a second */
#define COMPARE_INTERVAL_NS   (100 * PC_NS_PER_MS) /* 10 a second to the other servers */
#define DISCOVERY_INTERVAL_NS (50 * PC_NS_PER_MS)
#define DISCOVERY_MAX_NS      (1000 * PC_NS_PER_MS)
#define DISCOVERY_GRACE_NS    (300 * PC_NS_PER_MS)
#define REPLY_TIMEOUT_NS      (1000 * PC_NS_PER_MS)
#define MIN_DRAIN_NS          (100 * PC_NS_PER_MS)
#define MIN_STREAM_NS         (200 * PC_NS_PER_MS) /* less than this measures nothing useful */
#define LOOKUP_TIMEOUT_NS     (2 * PC_NS_PER_S)
#define FIGURE_EVERY_NS       (250 * PC_NS_PER_MS)

struct server_info {
    size_t target;  /* index into the result's targets */
    int scope;      /* the server's scope in the report */
    size_t host;    /* which configured server (cfg->stun) this address is of */
    size_t n_addrs; /* how many addresses that server has in the session */
    int is_public;  /* a public server: paced by its policy, counted in the cap */
    int unlimited;  /* its operator documents unlimited use */
};

/* The interval between requests to server i, for the interval asked_ns. */
static int64_t every_ns(const struct server_info *info, size_t i, int64_t asked_ns)
{
    return pc_stun_policy_interval_ns(asked_ns, info[i].is_public, info[i].unlimited,
                                      info[i].n_addrs);
}

/* Requests sent to public servers so far. */
static unsigned long public_sent(const struct pc_stun_session *s, const struct server_info *info)
{
    unsigned long n = 0;

    for (size_t i = 0; i < s->n_servers; i++)
        if (info[i].is_public)
            n += s->servers[i].sent;
    return n;
}

/* May one more request go to server i? Not past the cap on public servers. */
static int may_send(const struct pc_stun_session *s, const struct server_info *info, size_t i)
{
    return !info[i].is_public || public_sent(s, info) < PC_STUN_PUBLIC_REQUESTS_MAX;
}

/* When the last request to server i went out; INT64_MIN / 2 if none did. */
static int64_t last_sent_ns(const struct pc_stun_session *s, size_t i)
{
    for (size_t k = s->n_reqs; k-- > 0;)
        if (s->reqs[k].server == i)
            return s->reqs[k].sent_ns;
    return INT64_MIN / 2;
}

/* 4 or 6: the family of server i's address. */
static int family_of(const struct pc_stun_session *s, size_t i)
{
    return s->servers[i].addr.ss_family == AF_INET6 ? 6 : 4;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
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

/* The cause of a failure the run itself made (a signal or the deadline), or NULL. */
static const char *stop_cause(const struct pc_probe_ctx *ctx)
{
    if (pc_probe_interrupted(ctx))
        return pc_cause_id(PC_CAUSE_INTERRUPTED);
    if (pc_clock_now_ns() >= pc_probe_window_end(ctx))
        return pc_cause_id(PC_CAUSE_TIME_TOO_SHORT);
    return NULL;
}

static void finish_stopped(struct pc_probe_ctx *ctx, const char *cause, const char *what)
{
    int intr = strcmp(cause, pc_cause_id(PC_CAUSE_INTERRUPTED)) == 0;

    pc_probe_finish(ctx, intr ? PC_STATUS_INTERRUPTED : PC_STATUS_FAILED, cause, "%s %s",
                    intr ? "interrupted" : "the time limit ended it", what);
}

/* Add one resolved address of configured server i: a target, a scope, a session server. */
static void add_address(struct pc_probe_ctx *ctx, struct pc_stun_session *s,
                        struct server_info *info, size_t i, const struct pc_hostport *hp,
                        const struct sockaddr_storage *ss, socklen_t len)
{
    const struct pc_config *cfg = ctx->cfg;
    const struct pc_stun_policy *pol = pc_stun_policy_find(hp->host);
    struct pc_target t = {.role = "stun"};
    struct pc_err err = {0};
    char id[300], label[400];
    int idx;

    if (ctx->result->n_targets >= PC_TARGETS_MAX)
        return;
    snprintf(t.host, sizeof(t.host), "%s", hp->host);
    t.port = hp->port;
    if ((idx = pc_stun_session_add_server(s, (const struct sockaddr *)ss, len, &err)) < 0) {
        pc_strfmt(t.detail, sizeof(t.detail), "not used: %s", err.msg);
        pc_report_add_target(ctx->report, ctx->result, &t);
        return;
    }
    pc_netaddr_format((const struct sockaddr *)ss, t.address, sizeof(t.address), &t.port);
    snprintf(id, sizeof(id), strchr(t.address, ':') ? "[%s]:%d" : "%s:%d", t.address, t.port);
    pc_strfmt(label, sizeof(label), "STUN server %s (%s)", t.host, id);
    info[idx].target = ctx->result->n_targets;
    info[idx].scope = pc_report_scope(ctx->report, PC_SCOPE_SERVER, id, label);
    info[idx].host = i;
    info[idx].is_public = cfg->stun_defaults || pol != NULL;
    info[idx].unlimited = pol != NULL && pol->unlimited;
    for (size_t k = 0; k < s->n_servers; k++)
        if (info[k].host == i)
            info[k].n_addrs++;
    pc_report_add_target(ctx->report, ctx->result, &t);
}

/*
 * Resolve the configured servers into the session: every address family the
 * name has (only cfg->family's with -4 or -6), the resolver's preferred one
 * first; one target per address. Returns how many names the resolver said
 * do not exist; *unknown gets the first.
 */
static int add_servers(struct pc_probe_ctx *ctx, struct pc_stun_session *s,
                       struct server_info *info, char *unknown, size_t cap)
{
    const struct pc_config *cfg = ctx->cfg;
    int n_unknown = 0;

    for (size_t i = 0; i < cfg->n_stun && !pc_probe_should_stop(ctx); i++) {
        struct pc_target t = {.role = "stun"};
        struct pc_hostport hp;
        struct sockaddr_storage ss, other;
        socklen_t len, olen;
        struct pc_err err = {0}, oerr = {0};
        int64_t until = min64(pc_clock_now_ns() + LOOKUP_TIMEOUT_NS, ctx->deadline_ns);

        if (ctx->result->n_targets >= PC_TARGETS_MAX)
            break;
        snprintf(t.host, sizeof(t.host), "%s", cfg->stun[i]);
        if (pc_netaddr_split(cfg->stun[i], PC_STUN_DEFAULT_PORT, &hp, &err) == 0) {
            snprintf(t.host, sizeof(t.host), "%s", hp.host);
            t.port = hp.port;
        }
        if (err.code < 0 || pc_netaddr_resolve(hp.host, hp.port, cfg->family, until, ctx->cancel,
                                               &ss, &len, &err) < 0) {
            if (err.code == PC_ENOENT && n_unknown++ == 0)
                snprintf(unknown, cap, "%s", hp.host);
            pc_strfmt(t.detail, sizeof(t.detail), "not used: %s", err.msg);
            pc_report_add_target(ctx->report, ctx->result, &t);
            continue;
        }
        add_address(ctx, s, info, i, &hp, &ss, len);
        /* Any family: the other one too, when the name has it. */
        if (cfg->family == 0 && !pc_netaddr_is_literal(hp.host) &&
            pc_netaddr_resolve(hp.host, hp.port, ss.ss_family == AF_INET6 ? 4 : 6, until,
                               ctx->cancel, &other, &olen, &oerr) == 0)
            add_address(ctx, s, info, i, &hp, &other, olen);
    }
    return n_unknown;
}

/* Has some server of family fam (4 or 6) answered? */
static int family_answered(const struct pc_stun_session *s, int fam)
{
    for (size_t i = 0; i < s->n_servers; i++)
        if (family_of(s, i) == fam && s->servers[i].answered > 0)
            return 1;
    return 0;
}

/*
 * Ask every server until each has answered once, or the discovery time is
 * up, each at its pace (a limited public server more slowly). Once a server
 * of a family has answered, the others of that family get DISCOVERY_GRACE_NS
 * more, so one silent server does not hold up the measurement; a family none
 * of whose servers has answered yet is asked until the discovery time is up,
 * so that a broken path of one family is told from a slow one.
 */
static void discover(struct pc_probe_ctx *ctx, struct pc_stun_session *s,
                     const struct server_info *info)
{
    int64_t now = pc_clock_now_ns();
    int64_t end = min64(now + DISCOVERY_MAX_NS, pc_probe_window_end(ctx));
    int64_t grace_end[2] = {end, end}; /* IPv4, IPv6 */
    int64_t next[PC_SESSION_SERVERS_MAX];

    for (size_t i = 0; i < s->n_servers; i++)
        next[i] = now;
    pc_probe_phase(ctx, "discovery");
    while (!pc_probe_should_stop(ctx) && (now = pc_clock_now_ns()) < end) {
        int64_t due = end;
        int waiting = 0;

        for (size_t i = 0; i < s->n_servers; i++) {
            int f = family_of(s, i) == 6;

            if (s->servers[i].answered > 0 || now >= grace_end[f])
                continue;
            if (s->servers[i].port_unreachable > 1 || !may_send(s, info, i))
                continue; /* the server itself said nothing listens there; the cap */
            waiting = 1;
            if (now >= next[i]) {
                pc_stun_session_send(s, i, PC_REQ_DISCOVERY);
                next[i] = now + every_ns(info, i, DISCOVERY_INTERVAL_NS);
            }
            due = min64(due, min64(next[i], grace_end[f]));
        }
        if (!waiting)
            break;
        pc_stun_session_pump(s, max64(due, pc_clock_now_ns()));
        for (int f = 0; f < 2; f++)
            if (grace_end[f] == end && family_answered(s, f ? 6 : 4))
                grace_end[f] = min64(end, pc_clock_now_ns() + DISCOVERY_GRACE_NS);
    }
}

static void live_figure(struct pc_probe_ctx *ctx, const struct pc_stun_session *s, size_t p)
{
    for (size_t i = s->n_reqs; i-- > 0;) {
        const struct pc_stun_req *q = &s->reqs[i];

        if (q->answers > 0 && q->kind == PC_REQ_STREAM && q->server == p) {
            pc_probe_figure(ctx, PC_SCOPE_RUN_ID, PC_M_RTT_MS, pc_ns_to_ms(q->rtt_ns));
            return;
        }
    }
}

static int all_answered(const struct pc_stun_session *s)
{
    for (size_t i = 0; i < s->n_servers; i++)
        if (!pc_stun_session_all_answered(s, i, PC_REQ_STREAM))
            return 0;
    return 1;
}

/*
 * The paced stream over the window, then the wait for the last answers.
 * The stream stops a drain time before the window ends, so that answers can
 * still arrive within it: the reply timeout, or less when little time is
 * left; and when the requests to public servers reach their cap (*capped).
 * Returns 1 when a signal or the deadline cut the window short.
 */
static int stream(struct pc_probe_ctx *ctx, struct pc_stun_session *s,
                  const struct server_info *info, size_t p, int *capped)
{
    int64_t start = pc_clock_now_ns(), window_end = pc_probe_window_end(ctx);
    int64_t drain = min64(REPLY_TIMEOUT_NS, max64(MIN_DRAIN_NS, (window_end - start) / 4));
    int64_t end = window_end - drain, next_figure = start + FIGURE_EVERY_NS;
    int64_t next[PC_SESSION_SERVERS_MAX];
    int cut = ctx->deadline_ns < ctx->start_ns + ctx->window_ns; /* the deadline took some */

    *capped = 0;
    for (size_t i = 0; i < s->n_servers; i++) /* the pace holds across discovery and stream */
        next[i] =
            max64(start, last_sent_ns(s, i) +
                             every_ns(info, i, i == p ? STREAM_INTERVAL_NS : COMPARE_INTERVAL_NS));
    pc_probe_phase(ctx, "idle");
    while (!pc_probe_should_stop(ctx) && pc_clock_now_ns() < end && !*capped) {
        int64_t now = pc_clock_now_ns(), due = end;

        for (size_t i = 0; i < s->n_servers; i++) {
            int64_t every = every_ns(info, i, i == p ? STREAM_INTERVAL_NS : COMPARE_INTERVAL_NS);

            if (s->servers[i].answered == 0)
                continue;
            if (now >= next[i]) {
                if (!may_send(s, info, i)) {
                    *capped = 1;
                    break;
                }
                pc_stun_session_send(s, i, PC_REQ_STREAM);
                next[i] += every;
                /* Fell behind: do not burst. A limited server never gets two closer than
                 * its interval, so any one second holds at most its rate. */
                if (now - next[i] > every || (info[i].is_public && !info[i].unlimited))
                    next[i] = now + every;
            }
            due = min64(due, next[i]);
        }
        if (now >= next_figure) {
            live_figure(ctx, s, p);
            next_figure += FIGURE_EVERY_NS;
        }
        if (!*capped)
            pc_stun_session_pump(s, due);
    }
    cut |= pc_probe_should_stop(ctx);
    while (!pc_probe_interrupted(ctx) && pc_clock_now_ns() < window_end && !all_answered(s))
        pc_stun_session_pump(s, min64(pc_clock_now_ns() + 20 * PC_NS_PER_MS, window_end));
    return cut || pc_probe_interrupted(ctx);
}

static void report_mapping(struct pc_probe_ctx *ctx, const struct pc_stun_session *s, size_t p)
{
    const struct pc_stun_server *a = &s->servers[p];
    char addr[64];
    int other = -1;

    if (!a->has_mapped)
        return;
    addr_text(&a->mapped, addr, sizeof(addr));
    pc_report_set_text(ctx->report, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS, addr);
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_PUBLIC_PORT, a->mapped.port);
    for (size_t i = 0; i < s->n_servers; i++)
        if (i != p && s->servers[i].has_mapped && s->servers[i].mapped.family == a->mapped.family &&
            !pc_netaddr_equal((const struct sockaddr *)&s->servers[i].addr,
                              (const struct sockaddr *)&a->addr))
            other = (int)i;
    if (other < 0)
        return;
    pc_report_set_text(ctx->report, PC_SCOPE_RUN_ID, PC_M_NAT_MAPPING,
                       same_mapping(&s->servers[other].mapped, &a->mapped) ? "endpoint-independent"
                                                                           : "address-dependent");
}

/*
 * Figures, series and target line of every server. The run takes the
 * primary's, unless the primary lost clearly more answers than a comparison
 * server over the same seconds: then the loss is the server's, the run takes
 * that comparison server's figures and *loss_at gets its index + 1 (else 0).
 * p == s->n_servers: no primary (nobody answered).
 */
static int report_servers(struct pc_probe_ctx *ctx, const struct pc_stun_session *s,
                          const struct server_info *info, size_t p, unsigned long *answered,
                          size_t *loss_at)
{
    int64_t now = pc_clock_now_ns();
    struct pc_stun_stats st[PC_SESSION_SERVERS_MAX];
    size_t n = 0, run = p, best = s->n_servers;
    int rc = 0;

    *loss_at = 0;
    for (; n < s->n_servers; n++)
        if ((rc = pc_stun_stats_compute(s, n, PC_REQ_STREAM, now, &st[n])) < 0)
            goto out;
    /* The comparison server with the most requests decided is the best witness. */
    for (size_t i = 0; i < s->n_servers && p < s->n_servers; i++)
        if (i != p && s->servers[i].answered > 0 &&
            (best == s->n_servers || st[i].sent > st[best].sent))
            best = i;
    if (best < s->n_servers && pc_stun_stats_server_loss(&st[p], &st[best])) {
        run = best;
        *loss_at = best + 1;
    }
    for (size_t i = 0; i < s->n_servers; i++) {
        const struct pc_stun_server *srv = &s->servers[i];
        struct pc_target *t = &ctx->result->targets[info[i].target];
        char addr[48], mapped[64] = "none", role[64];

        if (srv->has_mapped) {
            addr_text(&srv->mapped, addr, sizeof(addr));
            snprintf(mapped, sizeof(mapped), srv->mapped.family == 6 ? "[%s]:%u" : "%s:%u", addr,
                     (unsigned)srv->mapped.port);
        }
        if (info[i].scope >= 0) {
            pc_report_set_num(ctx->report, (size_t)info[i].scope, PC_M_UDP_REACHABLE,
                              srv->answered > 0);
            pc_stun_stats_report(ctx->report, (size_t)info[i].scope, &st[i]);
        }
        if (i == run) {
            int idle = pc_report_scope(ctx->report, PC_SCOPE_PHASE, "idle",
                                       "idle: no other traffic (the run's figures)");

            pc_stun_stats_report(ctx->report, PC_SCOPE_RUN_ID, &st[i]);
            if (idle >= 0) {
                pc_report_scope_compare(ctx->report, (size_t)idle);
                pc_report_set_num(ctx->report, (size_t)idle, PC_M_UDP_REACHABLE, 1);
                pc_stun_stats_report(ctx->report, (size_t)idle, &st[i]);
            }
            *answered = st[i].answered;
        }
        if (srv->answered > 0 && i < s->n_servers && p < s->n_servers)
            snprintf(
                role, sizeof(role), "%s at %.4g/s%s", i == p ? "probed" : "compared",
                (double)PC_NS_PER_S /
                    (double)every_ns(info, i, i == p ? STREAM_INTERVAL_NS : COMPARE_INTERVAL_NS),
                i == p && *loss_at ? " (lost answers at the server)"
                : i == run         ? " (the run's figures)"
                                   : "");
        else
            snprintf(role, sizeof(role), "%s", srv->answered ? "answered" : "no answer");
        pc_report_lock(ctx->report);
        snprintf(t->detail, sizeof(t->detail),
                 "%s: %lu of %lu stream probes answered, %u discovery; mapped address %s%s%s", role,
                 st[i].answered, st[i].sent,
                 srv->answered - (unsigned)(st[i].answered + st[i].late), mapped,
                 srv->send_errno ? "; send error: " : "",
                 srv->send_errno ? strerror(srv->send_errno) : "");
        pc_report_unlock(ctx->report);
    }
out:
    for (size_t i = 0; i < n; i++)
        pc_stun_stats_free(&st[i]);
    return rc;
}

/* udp_reachable_ipv4 / _ipv6: set for a family some request of which went out. */
static void report_families(struct pc_probe_ctx *ctx, const struct pc_stun_session *s)
{
    for (int f = 4; f <= 6; f += 2) {
        int tried = 0;

        for (size_t i = 0; i < s->n_servers; i++)
            tried |= family_of(s, i) == f && s->servers[i].sent > s->servers[i].send_failed;
        if (tried)
            pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID,
                              f == 4 ? PC_M_UDP_REACHABLE_IPV4 : PC_M_UDP_REACHABLE_IPV6,
                              family_answered(s, f));
    }
}

/* "host port N" of a server, for the headline and advice. */
static void server_name(struct pc_probe_ctx *ctx, const struct server_info *info, size_t i,
                        char *buf, size_t cap)
{
    const struct pc_target *t = &ctx->result->targets[info[i].target];

    snprintf(buf, cap, "%s port %d", t->host, t->port);
}

/* Nobody answered: say why, as precisely as the evidence allows. */
static void no_answer(struct pc_probe_ctx *ctx, const struct pc_stun_session *s,
                      const struct server_info *info)
{
    const struct pc_config *cfg = ctx->cfg;
    const char *stopped = stop_cause(ctx), *why = "";
    size_t unreachable = 0, tried = 0, closed = 0, first_closed = 0, first_unusable = 0;
    unsigned unusable = 0;
    char subject[300];

    for (size_t i = 0; i < s->n_servers; i++) {
        const struct pc_stun_server *srv = &s->servers[i];
        int went_out = srv->sent > srv->send_failed;

        unreachable += unreachable_errno(srv->send_errno) && !went_out;
        tried += went_out;
        if (went_out && srv->port_unreachable > 0 && closed++ == 0)
            first_closed = i;
        if (srv->unusable > 0 && unusable == 0) {
            first_unusable = i;
            why = srv->unusable_reason;
        }
        unusable += srv->unusable;
    }
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_IGNORED, (double)s->ignored);
    if (stopped != NULL) {
        finish_stopped(ctx, stopped, "before any STUN server answered");
    } else if (unreachable == s->n_servers && cfg->family == 6 && pc_netaddr_has_default_route(4) &&
               !pc_netaddr_has_default_route(6)) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_NO_IPV6),
                        "no IPv6 route to the STUN servers");
    } else if (unreachable == s->n_servers && cfg->family == 4 && pc_netaddr_has_default_route(6) &&
               !pc_netaddr_has_default_route(4)) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_NO_IPV4),
                        "no IPv4 route to the STUN servers");
    } else if (unreachable == s->n_servers) {
        pc_report_mark_online(ctx->report, 0);
        pc_probe_finish(ctx, PC_STATUS_FAILED, "", "no route to the STUN servers");
    } else if (tried > 0 && closed == tried) {
        /* The server's own host answered: UDP gets there, nothing listens. */
        server_name(ctx, info, first_closed, subject, sizeof(subject));
        pc_report_subject(ctx->report, ctx->result, subject);
        pc_probe_finish(
            ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_PORT_CLOSED), "%s (ICMP port unreachable)",
            tried == 1 ? "the STUN server's port is closed" : "the STUN servers' ports are closed");
    } else if (unusable > 0) {
        server_name(ctx, info, first_unusable, subject, sizeof(subject));
        pc_report_subject(ctx->report, ctx->result, subject);
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_ANSWERS_UNUSABLE),
                        "%u answer%s arrived from the STUN servers but none was usable (%s)",
                        unusable, unusable == 1 ? "" : "s", why);
    } else {
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_UDP_REACHABLE, 0);
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_UDP_BLOCKED),
                        "no answer from any STUN server: UDP seems blocked");
    }
}

/* The primary lost clearly more than comparison server c: the loss is the server's. */
static void server_loss(struct pc_probe_ctx *ctx, const struct pc_stun_session *s,
                        const struct server_info *info, size_t p, size_t c)
{
    char subject[300], other[300];
    const struct pc_stun_server *a = &s->servers[p], *b = &s->servers[c];

    server_name(ctx, info, p, subject, sizeof(subject));
    server_name(ctx, info, c, other, sizeof(other));
    pc_report_subject(ctx->report, ctx->result, subject);
    pc_probe_finish(ctx, PC_STATUS_OK, pc_cause_id(PC_CAUSE_STUN_SERVER_LOSS),
                    "the STUN server %s answered %u of %u requests while %s answered %u of %u "
                    "over the same seconds: the loss is at the server; the figures are %s's",
                    subject, a->answered, a->sent, other, b->answered, b->sent, other);
}

static void no_servers(struct pc_probe_ctx *ctx, int n_unknown, const char *unknown)
{
    const char *stopped = stop_cause(ctx);

    if (stopped != NULL) {
        finish_stopped(ctx, stopped, "before a STUN server was looked up");
    } else if (n_unknown > 0) {
        pc_report_subject(ctx->report, ctx->result, unknown);
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_probe_name_cause(ctx->cfg),
                        "no STUN server could be used: the name %s does not exist", unknown);
    } else {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_DNS_FAILED),
                        "no STUN server could be looked up");
    }
}

static int run(struct pc_probe_ctx *ctx)
{
    struct pc_stun_session s;
    struct pc_err err = {0};
    struct server_info info[PC_SESSION_SERVERS_MAX];
    char unknown[256] = "";
    size_t primary = 0, loss_at = 0;
    unsigned long answered = 0;
    int found = 0, cut, n_unknown, capped = 0;

    for (size_t i = 0; i < PC_SESSION_SERVERS_MAX; i++)
        info[i] = (struct server_info){.scope = -1};
    if (pc_stun_session_init(&s, REPLY_TIMEOUT_NS, &err) < 0) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL), "%s", err.msg);
        return 0;
    }
    n_unknown = add_servers(ctx, &s, info, unknown, sizeof(unknown));
    snprintf(ctx->result->method, sizeof(ctx->result->method),
             "STUN (RFC 8489), a socket per address family: %d/s to the primary server (public: "
             "one documented as unlimited), %d/s to the others (public: %d/s); at most %d "
             "requests to public servers; RTT on the monotonic clock, %s receive timestamps; "
             "reply timeout %d ms",
             (int)(PC_NS_PER_S / STREAM_INTERVAL_NS), (int)(PC_NS_PER_S / COMPARE_INTERVAL_NS),
             PC_STUN_PUBLIC_PER_S, PC_STUN_PUBLIC_REQUESTS_MAX,
             s.n_socks > 0 && s.socks[0].kernel_ts ? "kernel" : "user-space",
             (int)(REPLY_TIMEOUT_NS / PC_NS_PER_MS));
    if (s.n_servers == 0) {
        no_servers(ctx, n_unknown, unknown);
        goto out;
    }
    discover(ctx, &s, info);
    /* The primary: the first that answered; of public servers, one that allows the stream. */
    for (int pass = 0; pass < 2 && !found; pass++)
        for (size_t i = 0; i < s.n_servers && !found; i++)
            if (s.servers[i].answered > 0 &&
                (pass == 1 || !info[i].is_public || info[i].unlimited)) {
                primary = i;
                found = 1;
            }
    report_families(ctx, &s);
    if (!found) {
        report_servers(ctx, &s, info, s.n_servers, &answered, &loss_at);
        no_answer(ctx, &s, info);
        goto out;
    }
    pc_report_mark_online(ctx->report, 1);
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_UDP_REACHABLE, 1);
    /* The bandwidth probe keeps probing this server under load. */
    pc_probe_share(ctx, PC_SHARE_STUN_SERVER, &s.servers[primary].addr,
                   sizeof(s.servers[primary].addr));
    report_mapping(ctx, &s, primary);
    if (pc_probe_window_end(ctx) - pc_clock_now_ns() < MIN_STREAM_NS + MIN_DRAIN_NS &&
        !pc_probe_interrupted(ctx)) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_TIME_TOO_SHORT),
                        "UDP works, but too little time was left to measure latency and loss");
        goto out;
    }
    cut = stream(ctx, &s, info, primary, &capped);
    ctx->result->cut_short = cut;
    report_families(ctx, &s); /* an answer may have come late */
    if (report_servers(ctx, &s, info, primary, &answered, &loss_at) < 0) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL), "out of memory");
        goto out;
    }
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_IGNORED, (double)s.ignored);
    if (answered == 0 && cut)
        finish_stopped(ctx, stop_cause(ctx) ? stop_cause(ctx) : pc_cause_id(PC_CAUSE_INTERRUPTED),
                       "before the stream was answered");
    else if (answered == 0)
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_SERVER_STOPPED),
                        "the server answered at first, then stopped answering");
    else if (loss_at > 0)
        server_loss(ctx, &s, info, primary, loss_at - 1);
    else if (cut)
        pc_probe_finish(ctx, PC_STATUS_OK, "", "cut short by %s",
                        pc_probe_interrupted(ctx) ? "a signal" : "the time limit");
    else if (capped)
        pc_probe_finish(ctx, PC_STATUS_OK, "",
                        "stopped at the cap of %d requests to public STUN servers",
                        PC_STUN_PUBLIC_REQUESTS_MAX);
    else
        pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
out:
    pc_stun_session_free(&s);
    return 0;
}

const struct pc_probe pc_probe_udp = {
    .name = "udp",
    .summary = "UDP reachability, latency, jitter and loss (STUN)",
    .activity = "Measuring delay and packet loss",
    .phase = 1,
    .budget_share = 0.3,
    /* MIN_STREAM_NS of stream and MIN_DRAIN_NS after a round of discovery; 50 ms to start. */
    .min_window_ns = MIN_STREAM_NS + MIN_DRAIN_NS + DISCOVERY_INTERVAL_NS + 50 * PC_NS_PER_MS,
    .min_what = "the latency and loss stream",
    .run = run,
};
