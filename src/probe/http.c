/*
 * http.c - the 'http' probe: TCP connect, TLS handshake and time to first
 * byte against the speed-test server, and whether HTTPS gets through.
 *
 * One GET /__down?bytes=0 on a fresh connection, timed by libcurl
 * (CURLINFO_*_TIME_T, microseconds from the start of the request). It
 * establishes https_reachable: with UDP blocked, calls fall back to relays
 * over TCP port 443, so HTTPS working keeps the verdict at SD rather than
 * "Not ready", and it marks the run online. The transfer is bounded by the
 * probe's window (at least HTTP_MIN_NS, never past the deadline) and stops
 * at once on a signal.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "precall/cause.h"
#include "precall/clock.h"
#include "precall/probe.h"
#include "probe/speedhttp.h"

#define HTTP_MIN_NS (2 * PC_NS_PER_S) /* a TLS handshake over a slow link takes a while */

#define HTTP_RETRIES       2                 /* after a 429 or 503, within the window */
#define HTTP_BODY_MAX      (64 * 1024)       /* bytes=0 asks for none: more is a fault */
#define HTTP_RETRY_WAIT_NS (1 * PC_NS_PER_S) /* a 429 or 503 without Retry-After */

struct stop {
    struct pc_probe_ctx *ctx;
    long long body; /* bytes of the answer's body */
};

static int on_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    struct stop *st = user;

    (void)dt, (void)dn, (void)ut, (void)un;
    return pc_probe_should_stop(st->ctx) ? 1 : 0;
}

/* The body of an answer to bytes=0: counted, and refused past HTTP_BODY_MAX (a write error). */
static size_t discard(char *p, size_t size, size_t n, void *user)
{
    struct stop *st = user;

    (void)p;
    st->body += (long long)(size * n);
    return st->body > HTTP_BODY_MAX ? 0 : size * n;
}

static double us_to_ms(curl_off_t us)
{
    return (double)us / 1000.0;
}

static void timings(struct pc_probe_ctx *ctx, CURL *h)
{
    curl_off_t dns = 0, conn = 0, tls = 0, first = 0;

    curl_easy_getinfo(h, CURLINFO_NAMELOOKUP_TIME_T, &dns);
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &conn);
    curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &tls);
    curl_easy_getinfo(h, CURLINFO_STARTTRANSFER_TIME_T, &first);
    if (conn > 0)
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_HTTP_CONNECT_MS, us_to_ms(conn - dns));
    if (tls > 0)
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_TLS_MS, us_to_ms(tls - conn));
    if (first > 0) {
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_TTFB_MS, us_to_ms(first));
        pc_probe_figure(ctx, PC_SCOPE_RUN_ID, PC_M_TTFB_MS, us_to_ms(first));
    }
}

static void target(struct pc_probe_ctx *ctx, CURL *h, const char *host, const char *detail)
{
    struct pc_target t = {.role = "https"};

    if (pc_speed_plain(ctx->cfg))
        snprintf(t.role, sizeof(t.role), "http");
    char *ip = NULL;
    long port = 0;

    snprintf(t.host, sizeof(t.host), "%s", host);
    if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != NULL)
        snprintf(t.address, sizeof(t.address), "%s", ip);
    if (curl_easy_getinfo(h, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK)
        t.port = (int)port;
    snprintf(t.detail, sizeof(t.detail), "%s", detail);
    pc_report_add_target(ctx->report, ctx->result, &t);
}

/* Wait ns, in steps of 50 ms so that a signal stops the wait at once. */
static void pause_ns(struct pc_probe_ctx *ctx, int64_t ns)
{
    int64_t until = pc_clock_now_ns() + ns;

    while (!pc_probe_should_stop(ctx) && pc_clock_now_ns() < until) {
        struct timespec ts = {0, 50 * PC_NS_PER_MS};

        nanosleep(&ts, NULL);
    }
}

/* One GET /__down?bytes=0 on a new connection, at most limit_ms. */
static CURLcode get(CURL *h, struct stop *st, long limit_ms)
{
    st->body = 0;
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, limit_ms > 0 ? limit_ms : 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, limit_ms > 0 ? limit_ms : 1L);
    return curl_easy_perform(h);
}

/* The server refused or failed: what the http probe and the report make of it. */
static void failed(struct pc_probe_ctx *ctx, CURL *h, CURLcode rc, struct stop *st,
                   struct pc_speed_failure *f, const char *host)
{
    curl_off_t tls = 0;
    int plain = pc_speed_plain(ctx->cfg);

    if (rc == CURLE_WRITE_ERROR && st->body > HTTP_BODY_MAX) {
        f->cause = pc_cause_id(PC_CAUSE_SERVER_FAULTY);
        snprintf(f->reason, sizeof(f->reason),
                 "the speed-test server sent more than %d bytes where none were asked",
                 HTTP_BODY_MAX);
    }
    curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &tls);
    target(ctx, h, host, f->reason);
    /* Secure web got through when the handshake did, whatever the answer. */
    if (tls > 0 && !plain) {
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_HTTPS_REACHABLE, 1);
        pc_report_mark_online(ctx->report, 1);
    } else if (f->reached) {
        /* An answer, even a reset: not offline. (Online is left to the probes that got
           through: a refused connection on this computer's own loopback proves little.) */
    } else if (strcmp(f->cause, pc_cause_id(PC_CAUSE_SERVER_UNREACHABLE)) == 0 &&
               rc != CURLE_COULDNT_RESOLVE_HOST && rc != CURLE_COULDNT_RESOLVE_PROXY && !plain) {
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_HTTPS_REACHABLE, 0);
        pc_report_mark_online(ctx->report, 0);
    }
    pc_report_subject(ctx->report, ctx->result, f->proxy[0] != '\0' ? f->proxy : host);
    if (f->status > 0 && strcmp(f->cause, pc_cause_id(PC_CAUSE_SERVER_REFUSED)) == 0) {
        /* Connect, TLS and first byte were measured: the server's answer was a refusal. A
           429 or 503 whose wait did not fit here is the bandwidth probe's to retry; a refusal
           for good skips it with the same reason. */
        if (!f->retryable)
            pc_probe_share(ctx, PC_SHARE_SPEED_FAILURE, f, sizeof(*f));
        pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", f->reason);
        return;
    }
    /* The bandwidth probe ends at once with the same reason. */
    pc_probe_share(ctx, PC_SHARE_SPEED_FAILURE, f, sizeof(*f));
    pc_probe_finish(ctx, pc_speed_status(f), f->cause, "%s", f->reason);
}

static int run(struct pc_probe_ctx *ctx)
{
    const struct pc_config *cfg = ctx->cfg;
    char url[1024], host[256], errbuf[CURL_ERROR_SIZE];
    struct stop st = {ctx, 0};
    struct pc_speed_failure f;
    int64_t now = pc_clock_now_ns(), end = pc_probe_window_end(ctx);
    long limit_ms;
    CURLcode rc;
    CURL *h;

    if (end - now < HTTP_MIN_NS)
        end = now + HTTP_MIN_NS < ctx->deadline_ns ? now + HTTP_MIN_NS : ctx->deadline_ns;
    limit_ms = (long)((end - now) / PC_NS_PER_MS);
    pc_speed_host(cfg, host, sizeof(host));
    snprintf(ctx->result->method, sizeof(ctx->result->method),
             "one GET /__down?bytes=0 over a new HTTP/1.1 connection%s with libcurl; connect, TLS "
             "and first byte from its timing information; %ld ms limit; after a 429 or 503, at "
             "most %d more within it, as Retry-After asks",
             pc_speed_plain(cfg) ? " (plain HTTP, not HTTPS)" : "", limit_ms, HTTP_RETRIES);
    if (pc_speed_url(cfg, "/__down", 0, url, sizeof(url)) < 0) {
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_SERVER_ERROR),
                        "the --server URL is too long");
        return 0;
    }
    h = curl_easy_init();
    if (h == NULL || pc_speed_setup(h, cfg, url, errbuf) < 0) {
        curl_easy_cleanup(h);
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL),
                        "libcurl could not be set up");
        return 0;
    }
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &st);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &st);
    pc_probe_phase(ctx, "connect");
    rc = get(h, &st, limit_ms);
    /* 429 or 503: ask again after the wait the server asked for, while it fits. */
    for (int retry = 0; retry < HTTP_RETRIES && rc == CURLE_OK && !pc_probe_should_stop(ctx) &&
                        pc_speed_failed(h, rc, errbuf, cfg, &f) && f.retryable;
         retry++) {
        int64_t wait = f.retry_ns > 0 ? f.retry_ns : HTTP_RETRY_WAIT_NS;

        if (pc_clock_now_ns() + wait + 100 * PC_NS_PER_MS >= end)
            break;
        pause_ns(ctx, wait);
        if (pc_probe_should_stop(ctx))
            break;
        rc = get(h, &st, (long)((end - pc_clock_now_ns()) / PC_NS_PER_MS));
    }
    timings(ctx, h);
    if (rc == CURLE_ABORTED_BY_CALLBACK || (rc != CURLE_OK && pc_probe_interrupted(ctx))) {
        target(ctx, h, host, "not finished: stopped");
        pc_probe_finish(
            ctx, pc_probe_interrupted(ctx) ? PC_STATUS_INTERRUPTED : PC_STATUS_FAILED,
            pc_cause_id(pc_probe_interrupted(ctx) ? PC_CAUSE_INTERRUPTED : PC_CAUSE_TIME_TOO_SHORT),
            "stopped before the speed-test server answered");
    } else if (pc_speed_failed(h, rc, errbuf, cfg, &f)) {
        failed(ctx, h, rc, &st, &f, host);
    } else {
        if (!pc_speed_plain(cfg)) {
            pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_HTTPS_REACHABLE, 1);
            target(ctx, h, host, "answered");
        } else {
            target(ctx, h, host, "answered in plain HTTP (not HTTPS: says nothing of port 443)");
        }
        pc_report_mark_online(ctx->report, 1);
        pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
    }
    curl_easy_cleanup(h);
    return 0;
}

const struct pc_probe pc_probe_http = {
    .name = "http",
    .summary = "HTTPS to the speed-test server: connect, TLS and first-byte times",
    .activity = "Timing a secure connection",
    .phase = 0,
    .budget_share = 0.1,
    .run = run,
};
