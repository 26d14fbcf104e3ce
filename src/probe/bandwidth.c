/*
 * bandwidth.c - the 'bandwidth' probe: download and upload throughput, and
 * the latency of the link while it is busy.
 *
 * Download, then upload, each as several parallel HTTP transfers to the
 * speed-test server (transfers.h), counted in 100 ms windows; the windows
 * make the figures and decide when a direction may stop (throughput.h), and
 * a direction also stops at its share of the window, on a stall or when
 * the server fails. Every window is a point of the phase's throughput
 * series. After a fast download the upload takes more streams. The stall
 * limits and the ramp-up's limit grow with the round trip the kernel gives
 * for the connections. A direction whose link could not be filled in its
 * share is a lower bound ("at least N Mbit/s; the link could not be filled
 * in the time", cause time-too-short): no run-level figure and no latency
 * under load from it, so no verdict, bufferbloat or advice rests on it.
 *
 * Each phase has a scope of its own ("download", "upload") with its
 * streams, time and bytes, and the latency measured during it with STUN
 * (loaded.h). How much the load added to the idle latency (bufferbloat) is
 * derived from the phase scopes after the run, not here: this probe reads
 * nothing from the report.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/cause.h"
#include "precall/clock.h"
#include "precall/probe.h"
#include "probe/loaded.h"
#include "probe/speedhttp.h"
#include "probe/tcpinfo.h"
#include "probe/throughput.h"
#include "probe/transfers.h"

#define STALL_NS        (1 * PC_NS_PER_S) /* no byte moved for this long: stalled */
#define FIRST_BYTE_NS   (3 * PC_NS_PER_S) /* nothing at all for this long: never answers */
#define STALL_RTTS      4 /* on a long path, the stall limits are at least this many round trips */
#define FIRST_BYTE_RTTS 10
#define DOWN_STREAMS    6
#define UP_STREAMS      4
#define UP_STREAMS_FAST 6
#define FAST_MBPS       200.0
#define DRAIN_NS        (400 * PC_NS_PER_MS) /* for the last loaded answers */
#define MIN_PHASE_NS    (800 * PC_NS_PER_MS)
#define FIGURE_EVERY_NS (250 * PC_NS_PER_MS)

enum dir { DOWN = PC_XFER_DOWN, UP = PC_XFER_UP };

static const char *const dir_name[] = {"download", "upload"};

struct phase {
    enum dir dir;
    struct pc_probe_ctx *ctx;
    struct pc_xfers x; /* its transfers, and why they failed */
    int started;       /* x was started */
    int scope;         /* the phase's scope in the report */
    struct pc_tput tp; /* its windows */
    double med, p90;   /* its figures once it ended (NAN: none) */
    long long bytes;   /* what the phase moved */
    int64_t took_ns;
    int used_share; /* ran to the end of its share of the time (not stopped by the rule) */
};

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static void stalled(struct phase *ph, int any)
{
    /* the same server answered the http probe: a transfer that stops, or never
     * starts, is the server's doing (issue 15: a trickle or a silent server is
     * not a network to restart) */
    pc_xfers_fail(&ph->x, pc_cause_id(PC_CAUSE_SERVER_FAULTY), any,
                  any ? (ph->dir == DOWN
                             ? "the speed-test server stopped sending in the middle of the transfer"
                             : "the speed-test server stopped taking the upload in the middle")
                      : "the speed-test server did not answer the transfers in time");
}

/* The smallest round trip the kernel gives for the phase's connections, into its windows. */
static void take_rtt(struct phase *ph)
{
    for (size_t i = 0; i < ph->x.n; i++) {
        struct pc_tcpinfo ti;

        if (ph->x.st[i].fd >= 0 && pc_tcpinfo_read(ph->x.st[i].fd, &ti) == 0 && !isnan(ti.rtt_ms))
            pc_tput_set_rtt(&ph->tp, (int64_t)(ti.rtt_ms * (double)PC_NS_PER_MS));
    }
}

/* A stall limit: base, or n round trips of the path when that is longer. */
static int64_t rtt_scaled(const struct phase *ph, int64_t base, int n)
{
    int64_t by_rtt = ph->tp.rtt_ns > 0 ? n * ph->tp.rtt_ns : 0;

    return by_rtt > base ? by_rtt : base;
}

/* Run one direction until end_ns, stable, failed, stopped, or byte_cap bytes moved. */
static void transfer(struct phase *ph, struct pc_loaded *ld, int64_t end_ns, long long byte_cap)
{
    struct pc_probe_ctx *ctx = ph->ctx;
    int64_t start = pc_clock_now_ns(), next = start + PC_TPUT_WINDOW_NS, prev_t = start;
    int64_t last_move = start, next_figure = start + FIGURE_EVERY_NS;
    long long prev = 0;
    int any = 0;

    while (!ph->x.failed && !ph->tp.stable && !pc_probe_should_stop(ctx)) {
        int64_t now = pc_clock_now_ns(), wake = min64(min64(next, end_ns), pc_loaded_next_due(ld));
        int fds[4];
        size_t nfds = pc_loaded_fds(ld, fds, 4);
        long long total;
        double mbps;

        if (now >= end_ns)
            break;
        pc_xfers_pump(&ph->x, fds, nfds,
                      wake > now ? (int)((wake - now + 999999) / PC_NS_PER_MS) : 0);
        now = pc_clock_now_ns();
        pc_loaded_service(ld, now);
        if (now < next)
            continue;
        take_rtt(ph);
        total = pc_xfers_bytes(&ph->x);
        if (total + (total - prev) >= byte_cap)
            break; /* the next window would pass the public server's byte cap: the windows
                      so far stand */
        mbps = (double)(total - prev) * 8.0 / (double)(now - prev_t) * 1e3;
        if (total > prev) {
            last_move = now;
            any = 1;
        }
        if (pc_tput_add(&ph->tp, mbps, now - start) < 0) {
            pc_xfers_fail(&ph->x, pc_cause_id(PC_CAUSE_INTERNAL), 0, "out of memory");
            break;
        }
        pc_report_series_add(ctx->report, (size_t)ph->scope, PC_M_THROUGHPUT_MBPS, now,
                             mbps < 0 ? 0 : mbps);
        prev = total;
        prev_t = now;
        next += PC_TPUT_WINDOW_NS;
        if (next <= now)
            next = now + PC_TPUT_WINDOW_NS; /* fell behind: windows stay 100 ms long */
        if (now >= next_figure && ph->tp.n >= 3) {
            pc_probe_figure(ctx, PC_SCOPE_RUN_ID,
                            ph->dir == DOWN ? PC_M_DOWNLOAD_MBPS : PC_M_UPLOAD_MBPS,
                            pc_tput_mean(ph->tp.mbps + ph->tp.n - 3, 3));
            next_figure = now + FIGURE_EVERY_NS;
        }
        if (now - last_move >= (any ? rtt_scaled(ph, STALL_NS, STALL_RTTS)
                                    : rtt_scaled(ph, FIRST_BYTE_NS, FIRST_BYTE_RTTS)))
            stalled(ph, any);
    }
    /* A phase that ended while nothing moved ended in a stall, not at a rate of 0. */
    if (!ph->x.failed && !pc_probe_should_stop(ctx) &&
        pc_clock_now_ns() - last_move >= rtt_scaled(ph, STALL_NS, STALL_RTTS))
        stalled(ph, any);
    ph->took_ns = pc_clock_now_ns() - start;
    ph->bytes = pc_xfers_bytes(&ph->x);
    pc_tput_end(&ph->tp);
    pc_tput_figures(&ph->tp, &ph->med, &ph->p90);
}

/* The phase's scope and transfers; -1 when they could not be set up (ph->x.fail says). */
static int phase_start(struct phase *ph, struct pc_probe_ctx *ctx, size_t streams,
                       const unsigned char *blob)
{
    char label[64];

    ph->ctx = ctx;
    ph->started = 1;
    snprintf(label, sizeof(label), "%s: the link busy %s", dir_name[ph->dir],
             ph->dir == DOWN ? "receiving" : "sending");
    ph->scope = pc_report_scope(ctx->report, PC_SCOPE_PHASE, dir_name[ph->dir], label);
    if (ph->scope < 0) {
        pc_xfers_fail(&ph->x, pc_cause_id(PC_CAUSE_INTERNAL), 0, "libcurl could not be set up");
        return -1;
    }
    pc_report_scope_compare(ctx->report, (size_t)ph->scope);
    return pc_xfers_start(&ph->x, ctx->cfg, (enum pc_xfer_dir)ph->dir, streams, blob);
}

/* The phase's own figures in its scope, its speed at run level, its server as a target. */
static void phase_report(struct pc_probe_ctx *ctx, const struct phase *ph)
{
    size_t scope = ph->scope >= 0 ? (size_t)ph->scope : PC_SCOPE_RUN_ID;
    struct pc_target t = {.port = ph->x.peer_port};
    int have = !ph->x.failed && !isnan(ph->med);
    char figure[64];

    pc_report_set_num(ctx->report, scope, PC_M_STREAMS, (double)ph->x.n);
    pc_report_set_num(ctx->report, scope, PC_M_TRANSFER_MS, pc_ns_to_ms(ph->took_ns));
    pc_report_set_num(ctx->report, scope, PC_M_BANDWIDTH_BYTES, (double)ph->bytes);
    /* A link that was not filled gives a lower bound: not a figure any verdict or advice may rest
       on, so only in the probe's reason and the target's detail ("at least"). */
    if (have && !ph->tp.lower) {
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID,
                          ph->dir == DOWN ? PC_M_DOWNLOAD_MBPS : PC_M_UPLOAD_MBPS, ph->med);
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID,
                          ph->dir == DOWN ? PC_M_DOWNLOAD_P90_MBPS : PC_M_UPLOAD_P90_MBPS, ph->p90);
    }
    snprintf(t.role, sizeof(t.role), "%s", dir_name[ph->dir]);
    pc_speed_host(ctx->cfg, t.host, sizeof(t.host));
    snprintf(t.address, sizeof(t.address), "%s", ph->x.peer);
    figure[0] = '\0';
    if (!isnan(ph->med))
        snprintf(figure, sizeof(figure), ", %s %.1f Mbit/s",
                 ph->tp.lower ? "not filled: at least" : "rate", ph->med);
    snprintf(t.detail, sizeof(t.detail),
             "%zu streams, %.1f s, %lld bytes, %zu windows of 100 ms (%zu ramp-up)%s%s", ph->x.n,
             pc_ns_to_ms(ph->took_ns) / 1000.0, ph->bytes, ph->tp.n, ph->tp.ramp,
             ph->tp.stable ? ", stable" : "", figure);
    pc_report_add_target(ctx->report, ctx->result, &t);
}

static void finish_failed(struct pc_probe_ctx *ctx, const struct pc_speed_failure *f,
                          const char *what)
{
    char host[256];

    pc_speed_host(ctx->cfg, host, sizeof(host));
    pc_report_subject(ctx->report, ctx->result, host);
    pc_probe_finish(ctx, pc_speed_status(f), f->cause, "%s: %s", what, f->reason);
}

/*
 * A direction without a figure that ran to the end of its share: the time was
 * too short for its ramp-up, not a fault of the server (which stopped sending).
 */
static int short_of_time(const struct phase *ph)
{
    for (int d = DOWN; d <= UP; d++)
        if (ph[d].started && isnan(ph[d].med) && ph[d].used_share)
            return 1;
    return 0;
}

/* Both directions measured: ok, saying which figures are lower bounds. */
static void finish_ok(struct pc_probe_ctx *ctx, const struct phase *ph, int cut)
{
    char why[300] = "";
    size_t len = 0;

    for (int d = DOWN; d <= UP; d++)
        if (ph[d].tp.lower && len < sizeof(why))
            len += (size_t)snprintf(why + len, sizeof(why) - len, "%s%s: at least %.1f Mbit/s",
                                    len ? ", " : "", dir_name[d], ph[d].med);
    /* The time was too short for the path: what is missing is not judged, the verdict is partial.
     */
    if (len > 0)
        pc_probe_finish(ctx, PC_STATUS_OK, pc_cause_id(PC_CAUSE_TIME_TOO_SHORT),
                        "%s; the link could not be filled in the time%s", why,
                        cut ? " (cut short)" : "");
    else
        pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", cut ? "cut short" : "");
}

/* The phases ran (or were cut): write what they measured and finish. */
static void finish(struct pc_probe_ctx *ctx, const struct phase *ph, const struct pc_loaded *ld,
                   int cut)
{
    int64_t now = pc_clock_now_ns();
    int both = 1;

    for (int d = DOWN; d <= UP; d++) {
        both = both && !ph[d].x.failed && !isnan(ph[d].med);
        if (!ph[d].started)
            continue;
        phase_report(ctx, &ph[d]);
        /* A link that was not filled did not build its queue: no latency under load from it. */
        if (ph[d].scope >= 0 && !ph[d].tp.lower)
            pc_loaded_report(ld, ctx->report, d, (size_t)ph[d].scope, now);
    }
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_BANDWIDTH_BYTES,
                      (double)(ph[0].bytes + ph[1].bytes));
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_STREAMS,
                      (double)(ph[0].x.n > ph[1].x.n ? ph[0].x.n : ph[1].x.n));
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_TRANSFER_MS,
                      pc_ns_to_ms(ph[0].took_ns + ph[1].took_ns));
    ctx->result->cut_short = cut;
    if (ph[DOWN].x.failed)
        finish_failed(ctx, &ph[DOWN].x.fail, "download");
    else if (ph[UP].x.failed)
        finish_failed(ctx, &ph[UP].x.fail, "upload");
    else if (cut && pc_probe_interrupted(ctx) && ph[UP].tp.n == 0)
        pc_probe_finish(ctx, PC_STATUS_INTERRUPTED, pc_cause_id(PC_CAUSE_INTERRUPTED),
                        "interrupted");
    else if (!both && (cut || short_of_time(ph)))
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_TIME_TOO_SHORT), "%s",
                        cut ? "stopped before both directions were measured"
                            : "its share of the time ended before the ramp-up did");
    else if (!both)
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_SERVER_ERROR),
                        "too few measurements after the ramp-up");
    else
        finish_ok(ctx, ph, cut);
}

static int run(struct pc_probe_ctx *ctx)
{
    struct phase ph[2];
    struct pc_loaded ld;
    struct pc_speed_failure early;
    unsigned char *blob = NULL;
    int64_t start = pc_clock_now_ns(), end = pc_probe_window_end(ctx);
    int64_t share = (end - start - DRAIN_NS) / 2;
    size_t up_streams = UP_STREAMS;
    int cut, pub = pc_speed_public(ctx->cfg);

    memset(ph, 0, sizeof(ph));
    memset(&ld, 0, sizeof(ld));
    for (int d = DOWN; d <= UP; d++) {
        ph[d].dir = (enum dir)d;
        ph[d].scope = -1;
        ph[d].med = ph[d].p90 = NAN;
        pc_tput_init(&ph[d].tp);
    }
    snprintf(
        ctx->result->method, sizeof(ctx->result->method),
        "libcurl multi, HTTP/1.1: %d GET /__down then %d-%d POST /__up of random bytes in "
        "parallel; 100 ms windows; ramp-up (%d-%d ms or %d RTTs from the first byte) left out; "
        "rate from the link's first filling; stop once the last second agrees within %.0f %%, "
        "not in a loss burst; STUN at 50/s for loaded latency%s",
        DOWN_STREAMS, UP_STREAMS, UP_STREAMS_FAST, (int)(PC_TPUT_RAMP_MIN_NS / PC_NS_PER_MS),
        (int)(PC_TPUT_RAMP_MAX_NS / PC_NS_PER_MS), PC_TPUT_RAMP_RTTS, PC_TPUT_STABLE_PCT,
        pub ? "; the public server: at most 15 s and 0.4 GB a direction" : "");
    if (pc_probe_shared(ctx, PC_SHARE_SPEED_FAILURE, &early, sizeof(early))) {
        finish_failed(ctx, &early, "not tried, the http probe failed");
        return 0;
    }
    if (share < MIN_PHASE_NS) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_TIME_TOO_SHORT),
                        "too little time was left to measure the speed");
        return 0;
    }
    blob = pc_xfer_blob();
    if (blob == NULL) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL), "out of memory");
        return 0;
    }
    for (int d = DOWN; d <= UP && !pc_probe_should_stop(ctx); d++) {
        int64_t phase_end = d == DOWN ? pc_clock_now_ns() + share : end - DRAIN_NS;
        long long cap = LLONG_MAX;

        if (pub) { /* whatever --duration says */
            phase_end = min64(phase_end, pc_clock_now_ns() + PC_SPEED_PUBLIC_DIR_MAX_NS);
            /* a direction stops before its next window would pass 0.4 of the check's
             * bytes, so a window's overshoot leaves the check within them */
            cap = PC_SPEED_PUBLIC_BYTES_MAX / 5 * 2;
        }

        pc_probe_phase(ctx, dir_name[d]);
        if (d == UP)
            pc_loaded_stop(&ld, DOWN);
        pc_loaded_start(&ld, ctx, d);
        if (phase_start(&ph[d], ctx, d == DOWN ? DOWN_STREAMS : up_streams, blob) == 0)
            transfer(&ph[d], &ld, phase_end, cap);
        ph[d].used_share = pc_clock_now_ns() >= phase_end;
        if (d == DOWN && !ph[d].x.failed && !isnan(ph[d].med) && ph[d].med >= FAST_MBPS)
            up_streams = UP_STREAMS_FAST;
        /* The connections close now: the link is idle again before the next phase. */
        pc_xfers_close(&ph[d].x);
        if (ph[d].x.failed)
            break;
    }
    cut = pc_probe_should_stop(ctx);
    pc_loaded_drain(&ld, ctx, min64(end, ctx->deadline_ns));
    finish(ctx, ph, &ld, cut);
    for (int d = DOWN; d <= UP; d++) {
        pc_xfers_free(&ph[d].x);
        pc_tput_free(&ph[d].tp);
    }
    pc_loaded_free(&ld);
    free(blob);
    return 0;
}

const struct pc_probe pc_probe_bandwidth = {
    .name = "bandwidth",
    .summary = "download and upload speed, and latency under load (bufferbloat)",
    .activity = "Measuring speed",
    .phase = 2,
    .budget_share = 0.5,
    /* Two directions, each PC_TPUT_RAMP_MIN_NS of ramp-up left out and then PC_TPUT_SMOOTH
       windows for one smoothed figure; DRAIN_NS for the last loaded answers; 100 ms to start
       the transfers. (MIN_PHASE_NS, 800 ms a direction, only guards against nothing at all.) */
    .min_window_ns = 2 * (PC_TPUT_RAMP_MIN_NS + PC_TPUT_SMOOTH * PC_TPUT_WINDOW_NS) + DRAIN_NS +
                     100 * PC_NS_PER_MS,
    .min_what = "the speed test",
    .run = run,
};
