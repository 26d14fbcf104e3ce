/*
 * dns.c - the 'dns' probe: how long each target host takes to resolve.
 *
 * Timed lookups through the system resolver (getaddrinfo), one per target
 * name, each bounded. The resolver may answer from a cache, so the figure
 * is what a call would see, not necessarily a cold lookup.
 */
#include <stdio.h>
#include <string.h>

#include "precall/buf.h"
#include "precall/cause.h"
#include "precall/clock.h"
#include "precall/netaddr.h"
#include "precall/probe.h"
#include "precall/stun.h"

#define LOOKUP_TIMEOUT_NS (2 * PC_NS_PER_S)

static int run(struct pc_probe_ctx *ctx)
{
    const struct pc_config *cfg = ctx->cfg;
    int names = 0, failed = 0, resolved = 0, unknown = 0, cut = 0;
    double slowest_ms = 0;
    char first_error[PC_ERR_MSG_MAX] = "", first_unknown[256] = "";

    snprintf(ctx->result->method, sizeof(ctx->result->method),
             "getaddrinfo() per target host, timed on the monotonic clock, %d s limit each",
             (int)(LOOKUP_TIMEOUT_NS / PC_NS_PER_S));
    for (size_t i = 0; i < cfg->n_stun && !pc_probe_should_stop(ctx); i++) {
        struct pc_target t = {.role = "stun"};
        struct pc_hostport hp;
        struct sockaddr_storage ss;
        socklen_t len;
        struct pc_err err = {0};
        int64_t t0, limit;
        double ms;

        if (pc_netaddr_split(cfg->stun[i], PC_STUN_DEFAULT_PORT, &hp, &err) < 0 ||
            pc_netaddr_is_literal(hp.host))
            continue;
        names++;
        snprintf(t.host, sizeof(t.host), "%s", hp.host);
        t.port = hp.port;
        t0 = pc_clock_now_ns();
        limit =
            t0 + LOOKUP_TIMEOUT_NS < ctx->deadline_ns ? t0 + LOOKUP_TIMEOUT_NS : ctx->deadline_ns;
        if (pc_netaddr_resolve(hp.host, hp.port, cfg->family, limit, ctx->cancel, &ss, &len, &err) <
            0) {
            /* A lookup the run itself cut short says nothing about the network. */
            if (err.code == PC_EINTR || pc_clock_now_ns() >= ctx->deadline_ns) {
                cut = 1;
                pc_strfmt(t.detail, sizeof(t.detail), "not finished: %s", err.msg);
                pc_report_add_target(ctx->report, ctx->result, &t);
                break;
            }
            failed++;
            if (err.code == PC_ENOENT && unknown++ == 0) /* the resolver answered: no such name */
                snprintf(first_unknown, sizeof(first_unknown), "%s", hp.host);
            pc_strfmt(t.detail, sizeof(t.detail), "failed: %s", err.msg);
            if (first_error[0] == '\0')
                snprintf(first_error, sizeof(first_error), "%s", err.msg);
        } else {
            resolved++;
            ms = pc_ns_to_ms(pc_clock_now_ns() - t0);
            if (ms > slowest_ms)
                slowest_ms = ms;
            pc_netaddr_format((struct sockaddr *)&ss, t.address, sizeof(t.address), NULL);
            snprintf(t.detail, sizeof(t.detail), "%.1f ms", ms);
        }
        pc_report_add_target(ctx->report, ctx->result, &t);
    }
    if (names == 0) {
        pc_probe_finish(ctx, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NO_NAMES),
                        "no host names to look up");
        return 0;
    }
    if (resolved > 0) {
        /* A name that resolves is no evidence of the internet (a hosts file or the
           router's cache answers it): the probes that reach a server mark online. */
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_DNS_MS, slowest_ms);
        pc_probe_figure(ctx, PC_SCOPE_RUN_ID, PC_M_DNS_MS, slowest_ms);
    } else if (failed > unknown && !(cfg->family != 6 && pc_netaddr_has_default_route(4)) &&
               !(cfg->family != 4 && pc_netaddr_has_default_route(6))) {
        pc_report_mark_online(ctx->report, 0);
    }
    ctx->result->cut_short = cut;
    if (unknown > 0)
        pc_report_subject(ctx->report, ctx->result, first_unknown);
    if (failed > unknown)
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_DNS_FAILED),
                        "%d of %d names did not resolve: %s", failed, names, first_error);
    else if (failed > 0)
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_probe_name_cause(cfg),
                        "%d of %d names do not exist: %s", failed, names, first_error);
    else if (cut && resolved == 0)
        pc_probe_finish(
            ctx, pc_probe_interrupted(ctx) ? PC_STATUS_INTERRUPTED : PC_STATUS_FAILED,
            pc_cause_id(pc_probe_interrupted(ctx) ? PC_CAUSE_INTERRUPTED : PC_CAUSE_TIME_TOO_SHORT),
            "stopped before a lookup finished");
    else
        pc_probe_finish(ctx, PC_STATUS_OK, "", "%s",
                        cut ? "cut short before every name was looked up" : "");
    return 0;
}

const struct pc_probe pc_probe_dns = {
    .name = "dns",
    .summary = "time to look up the servers' names",
    .activity = "Looking up the test servers",
    .phase = 0,
    .budget_share = 0.1,
    .run = run,
};
