/* test_render.c - text and JSON renderers over a scored report. */
#include <cJSON.h>
#include <string.h>

#include "check.h"
#include "report_fixture.h"
#include "precall/profile.h"
#include "precall/render.h"
#include "precall/score.h"

static struct pc_report *sample(void)
{
    struct pc_report *r = pc_report_new();
    struct pc_profile p;
    const double rtts[] = {21.5, 22.0, 48.1, 23.0};
    int srv;

    pc_profile_load("therapy", &p, NULL);
    pc_report_probe(r, "dns")->status = PC_STATUS_SKIPPED;
    snprintf(pc_report_probe(r, "dns")->reason, 64, "no host names to look up");
    pc_report_probe(r, "udp")->status = PC_STATUS_OK;
    for (int i = 0; i < 4; i++)
        pc_report_series_add(r, 0, PC_M_RTT_MS, r->started_ns + i * 10000000LL, rtts[i]);
    srv = pc_report_scope(r, PC_SCOPE_SERVER, "198.18.1.3:3478", "STUN server stun2 (x)");
    pc_report_set_num(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, 31.25);
    pc_report_series_add(r, (size_t)srv, PC_M_RTT_MS, r->started_ns + 5000000LL, 31.25);
    pc_report_set_text(r, 0, PC_M_NAT_MAPPING, "bad\xff\x1b[31mname");
    pc_report_mark_online(r, 1);
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 1);
    pc_report_set_num(r, 0, PC_M_RTT_MEDIAN_MS, 22.5);
    pc_report_set_num(r, 0, PC_M_JITTER_MS, 27);
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 0);
    pc_report_set_num(r, 0, PC_M_BURST_LOSS_PCT, 0);
    pc_report_set_num(r, 0, PC_M_PROBES_SENT, 300);
    pc_report_set_text(r, 0, PC_M_PUBLIC_ADDRESS, "198.18.0.2");
    r->command = "check";
    r->duration_ns = 4300000000LL;
    pc_score_report(r, &p);
    return r;
}

static void text(const struct pc_report *r)
{
    struct pc_render_opts o = {0};
    struct pc_buf b = {0};

    pc_render_text(r, &o, &b);
    CHECK(!b.failed && b.data != NULL);
    /* Verdict first, then what limits it, with the HD limit. */
    CHECK(strncmp(b.data, "Video will work at reduced quality\n", 35) == 0);
    CHECK(strstr(b.data, "limited by Jitter (round trip) 27.0 ms (HD video needs <= 20 ms)") !=
          NULL);
    CHECK(strstr(b.data, "  warn  Jitter (round trip)") != NULL);
    CHECK(strstr(b.data, "  ok    Latency (round trip)") != NULL);
    CHECK(strstr(b.data, "1. The connection's delay keeps changing") != NULL);
    CHECK(strstr(b.data, "[jitter-high]") != NULL);
    CHECK(strstr(b.data, "\033[") == NULL);   /* no colour unless asked */
    CHECK(strstr(b.data, "Probes:") == NULL); /* details only with -v */
    /* One sample: how long it really was, and a longer one. */
    CHECK(strstr(b.data, "\nThis check took 4.3 seconds: one sample of your connection; if "
                         "problems come and go, run 'precall --duration 60'.\n") != NULL);
    pc_buf_free(&b);

    o.verbose = 1;
    o.color = 1;
    pc_render_text(r, &o, &b);
    CHECK(strstr(b.data, "Probes:") != NULL);
    CHECK(strstr(b.data, "rtt_ms series: 4 points over 0.0 s; min 21.50, p25") != NULL);
    CHECK(strstr(b.data, "first: 21.50 22.00 48.10 23.00\n") != NULL);
    CHECK(strstr(b.data, "STUN server stun2 (x): Not ready (for comparison") != NULL);
    CHECK(strstr(b.data, "Probes sent") != NULL);
    CHECK(strstr(b.data, "\033[") != NULL);
    pc_buf_free(&b);

    o.verbose = 0;
    o.color = 0;
    o.quiet = 1;
    pc_render_text(r, &o, &b);
    CHECK(strstr(b.data, "warn") == NULL);
    CHECK(strcmp(b.data, "Video will work at reduced quality\n") == 0); /* -q: one line */
    pc_buf_free(&b);
}

static void json(const struct pc_report *r)
{
    struct pc_render_opts o = {0};
    struct pc_buf b = {0};
    cJSON *root, *metrics, *v;

    pc_render_json(r, &o, &b);
    root = cJSON_Parse(b.data);
    CHECK(root != NULL);
    CHECK(strcmp(cJSON_GetObjectItem(root, "schema")->valuestring, "precall.report/1") == 0);
    metrics = cJSON_GetObjectItem(root, "metrics");
    /* Every row of the metric table the run may hold is a key; unmeasured ones are null. */
    for (int m = 0; m < PC_M__COUNT; m++)
        CHECK(cJSON_HasObjectItem(metrics, pc_metric_def(m)->key) ==
              (pc_metric_def(m)->level != PC_LEVEL_SERIES &&
               (pc_metric_def(m)->scopes & PC_SCOPE_BIT(PC_SCOPE_RUN))));
    CHECK(cJSON_GetObjectItem(metrics, "rtt_median_ms")->valuedouble == 22.5);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(metrics, "udp_reachable")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(metrics, "rtt_p99_ms")));
    CHECK(strcmp(cJSON_GetObjectItem(metrics, "public_address")->valuestring, "198.18.0.2") == 0);
    v = cJSON_GetObjectItem(root, "verdict");
    CHECK(strcmp(cJSON_GetObjectItem(v, "tier")->valuestring, "sd") == 0);
    CHECK(cJSON_GetObjectItem(v, "exit_code")->valueint == 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(v, "ready")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(v, "partial")));
    CHECK(strcmp(cJSON_GetArrayItem(cJSON_GetObjectItem(v, "limited_by"), 0)->valuestring,
                 "jitter_ms") == 0);
    CHECK(
        strcmp(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "advice"), 0), "id")
                   ->valuestring,
               "jitter-high") == 0);
    v = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "series"), "rtt_ms");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(v, "values")) == 4);
    CHECK(cJSON_GetArrayItem(cJSON_GetObjectItem(v, "t_ms"), 3)->valuedouble == 30);
    CHECK(cJSON_GetArrayItem(cJSON_GetObjectItem(v, "values"), 2)->valuedouble == 48.1);
    v = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "scopes"), 0);
    CHECK(strcmp(cJSON_GetObjectItem(v, "kind")->valuestring, "server") == 0);
    CHECK(strcmp(cJSON_GetObjectItem(v, "id")->valuestring, "198.18.1.3:3478") == 0);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(v, "gates")));
    CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(v, "metrics"), "rtt_median_ms")->valuedouble ==
          31.25);
    CHECK(!cJSON_HasObjectItem(cJSON_GetObjectItem(v, "metrics"), "dns_ms")); /* run only */
    /* Outside text is valid UTF-8 without control characters. */
    CHECK(strcmp(cJSON_GetObjectItem(metrics, "nat_mapping")->valuestring, "bad??[31mname") == 0);
    CHECK(strcmp(cJSON_GetObjectItem(
                     cJSON_GetObjectItem(cJSON_GetObjectItem(root, "probes"), "dns"), "status")
                     ->valuestring,
                 "skipped") == 0);
    cJSON_Delete(root);
    pc_buf_free(&b);
}

/* What a failed probe could not measure, values to 3 decimals in JSON, limits as written. */
static void unmeasured_and_rounding(void)
{
    struct pc_report *r = pc_report_new();
    struct pc_render_opts o = {0};
    struct pc_buf b = {0};
    struct pc_profile p;
    char limit[64];
    cJSON *root;

    pc_profile_load("therapy", &p, NULL);
    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_set_num(r, 0, PC_M_DNS_MS, 12.34567);
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "udp-blocked", "blocked");
    pc_report_mark_online(r, 1);
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
    pc_score_report(r, &p);
    pc_render_text(r, &o, &b);
    CHECK(b.data != NULL &&
          strstr(b.data, "Latency (round trip), Jitter (round trip), Packet loss") != NULL);
    CHECK(b.data != NULL && strstr(b.data, ": not measured (UDP is blocked on this network)\n"));
    pc_buf_free(&b);
    pc_render_json(r, &o, &b);
    root = cJSON_Parse(b.data);
    CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "metrics"), "dns_ms")->valuedouble ==
          12.346);
    cJSON_Delete(root);
    pc_buf_free(&b);
    pc_report_free(r);

    /* A probe that ran and missed one figure: its check line says so (and fails). */
    r = pc_fixture_path(30, NAN, 0, "dns", (const char *)NULL);
    pc_score_report(r, &p);
    pc_render_text(r, &o, &b);
    /* The label column is as wide as its longest label, "Burst loss (worst 200 ms)". */
    CHECK(b.data != NULL && strstr(b.data, "  FAIL  Jitter (round trip)       not measured"));
    CHECK(strstr(b.data, "  ok    Burst loss (worst 200 ms) 0 %"));
    pc_buf_free(&b);
    pc_report_free(r);

    pc_metric_format_limit(pc_metric_def(PC_M_LOSS_PCT), 1.5, limit, sizeof(limit));
    CHECK(strcmp(limit, "<= 1.5 %") == 0);
    pc_metric_format_limit(pc_metric_def(PC_M_LOSS_PCT), 3, limit, sizeof(limit));
    CHECK(strcmp(limit, "<= 3 %") == 0);
}

/* Sizes in kB, MB, GB at the edge of each unit; no minus sign on a value that rounds to zero. */
static void numbers(void)
{
    static const struct {
        enum pc_metric m;
        double v;
        const char *want;
    } cases[] = {
        {PC_M_BANDWIDTH_BYTES, 7087634, "7.1 MB"},
        {PC_M_BANDWIDTH_BYTES, 9999, "9999 bytes"},
        {PC_M_BANDWIDTH_BYTES, 10000, "10.0 kB"},
        {PC_M_BANDWIDTH_BYTES, 999949, "999.9 kB"},
        {PC_M_BANDWIDTH_BYTES, 999950, "1.0 MB"},
        {PC_M_BANDWIDTH_BYTES, 999949999, "999.9 MB"},
        {PC_M_BANDWIDTH_BYTES, 999950000, "1.0 GB"},
        {PC_M_BANDWIDTH_BYTES, 2.5e12, "2500.0 GB"},
        {PC_M_MTU_BYTES, 1500, "1500 bytes"},
        {PC_M_MIC_PEAK_DBFS, -0.04, "0.0 dBFS"},
        {PC_M_MIC_PEAK_DBFS, -0.0, "0.0 dBFS"},
        {PC_M_MIC_PEAK_DBFS, -0.06, "-0.1 dBFS"},
        {PC_M_MIC_PEAK_DBFS, -20.04, "-20.0 dBFS"},
        {PC_M_RTT_MEDIAN_MS, -0.01, "0.0 ms"},
        {PC_M_PROBES_SENT, -0.2, "0"},
        {PC_M_PROBES_SENT, -1, "-1"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[64];

        pc_render_number(pc_metric_def(cases[i].m), cases[i].v, buf, sizeof(buf));
        if (strcmp(buf, cases[i].want) != 0)
            fprintf(stderr, "numbers %zu: got '%s', want '%s'\n", i, buf, cases[i].want);
        CHECK(strcmp(buf, cases[i].want) == 0);
    }
}

/* The column where a line's value starts, after its label; -1 without the label. */
static int value_column(const char *text, const char *label)
{
    const char *at = strstr(text, label), *v;

    if (at == NULL)
        return -1;
    v = at + strlen(label);
    while (*v == ' ')
        v++;
    while (at > text && at[-1] != '\n')
        at--;
    return (int)(v - at);
}

/*
 * Columns sized from the labels (the longest, "Delay added under load
 * (bufferbloat)", ran into its value); one blank line between the verdict
 * and what follows; the footer only after a sample of the connection.
 */
static void layout(void)
{
    struct pc_report *r = pc_fixture_path(22.5, 2, 0, "bandwidth", (const char *)NULL);
    struct pc_render_opts o = {0};
    struct pc_buf b = {0};
    struct pc_profile p;
    int col;

    pc_profile_load("therapy", &p, NULL);
    r->duration_ns = 12400000000LL;
    pc_report_set_num(r, 0, PC_M_BUFFERBLOAT_MS, 49);
    pc_score_report(r, &p);
    pc_render_text(r, &o, &b);
    CHECK(b.data != NULL);
    col = value_column(b.data, "Delay added under load (bufferbloat)");
    CHECK(col == 8 + (int)strlen("Delay added under load (bufferbloat)") + 1);
    CHECK(value_column(b.data, "  Latency (round trip)") == col);
    CHECK(value_column(b.data, "  Packet loss") == col);
    CHECK(strstr(b.data, "\n\n\n") == NULL);
    /* 12.4 s: whole seconds from 10 on. */
    CHECK(strstr(b.data, "This check took 12 seconds: one sample") != NULL);
    pc_buf_free(&b);

    /* A long check: no advice to run a longer one. */
    r->duration_ns = 61 * 1000000000LL;
    pc_render_text(r, &o, &b);
    CHECK(strstr(b.data, "This check took 61 seconds: one sample of your connection.\n") != NULL);
    CHECK(strstr(b.data, "--duration 60") == NULL);
    pc_buf_free(&b);
    pc_report_free(r);

    /* Nothing reached (offline, 0.014 s): no sample of the connection, no footer. */
    r = pc_report_new();
    r->command = "check";
    r->duration_ns = 14000000LL;
    pc_report_probe(r, "system")->status = PC_STATUS_OK;
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "offline", "offline");
    pc_report_mark_online(r, 0);
    pc_score_report(r, &p);
    pc_render_text(r, &o, &b);
    CHECK(b.data != NULL && strstr(b.data, "sample") == NULL);
    CHECK(strstr(b.data, "--duration") == NULL);
    pc_buf_free(&b);
    pc_report_free(r);

    /* -v: a series' summary has no negative zero either. */
    r = pc_report_new();
    r->command = "check";
    pc_report_probe(r, "udp")->status = PC_STATUS_OK;
    pc_report_series_add(r, 0, PC_M_RTT_MS, r->started_ns, -0.004);
    pc_report_series_add(r, 0, PC_M_RTT_MS, r->started_ns + 1000000000LL, 2.5);
    pc_score_report(r, &p);
    o.verbose = 1;
    pc_render_text(r, &o, &b);
    o.verbose = 0;
    CHECK(b.data != NULL &&
          strstr(b.data, "rtt_ms series: 2 points over 1.0 s; min 0.00, p25 0.62, "
                         "median 1.25, p75 1.87, p90 2.25, p99 2.47, max 2.50 ms\n"
                         "      first: 0.00 2.50\n") != NULL);
    CHECK(strstr(b.data, "-0.00") == NULL);
    pc_buf_free(&b);
    pc_report_free(r);

    /* A capture's report: the verdict, one blank line, the streams. */
    r = pc_report_new();
    r->command = "analyze";
    pc_report_set_num(r, (size_t)pc_report_scope(r, PC_SCOPE_STREAM, "s1", "RTP stream s1"),
                      PC_M_STREAM_LOSS_PCT, 0);
    pc_score_report(r, &p);
    pc_render_text(r, &o, &b);
    CHECK(b.data != NULL && strstr(b.data, "\n\nRTP streams:\n") != NULL);
    CHECK(strstr(b.data, "\n\n\n") == NULL);
    pc_buf_free(&b);
    pc_report_free(r);
}

/* A missing or busy camera is shown by its state, not as "0 px"; a real 0 stays a number. */
static void zero_by_state(void)
{
    struct pc_report *r = pc_report_new();
    char v[80];
    int cam = pc_report_scope(r, PC_SCOPE_DEVICE, "camera", "Camera (none found)");

    pc_report_set_num(r, (size_t)cam, PC_M_CAMERA_VIDEO_HEIGHT_PX, 0);
    pc_render_value(r, (size_t)cam, PC_M_CAMERA_VIDEO_HEIGHT_PX, v, sizeof(v));
    CHECK(strcmp(v, "0 px") == 0); /* no state: nothing else to say */
    pc_report_set_text(r, (size_t)cam, PC_M_CAMERA_STATE, "missing");
    pc_render_value(r, (size_t)cam, PC_M_CAMERA_VIDEO_HEIGHT_PX, v, sizeof(v));
    CHECK(strcmp(v, "none (missing)") == 0);
    pc_report_set_text(r, (size_t)cam, PC_M_CAMERA_STATE, "busy");
    pc_render_value(r, (size_t)cam, PC_M_CAMERA_VIDEO_HEIGHT_PX, v, sizeof(v));
    CHECK(strcmp(v, "none (busy)") == 0);
    pc_report_set_num(r, (size_t)cam, PC_M_CAMERA_VIDEO_HEIGHT_PX, 720);
    pc_render_value(r, (size_t)cam, PC_M_CAMERA_VIDEO_HEIGHT_PX, v, sizeof(v));
    CHECK(strcmp(v, "720 px") == 0);
    pc_report_free(r);
}

/* Checks left out are named once, grouped by why: --only/--skip, or what the build cannot do. */
static void left_out_why(void)
{
    struct pc_report *r = pc_report_new();
    struct pc_render_opts o = {0};
    struct pc_buf b = {0};

    r->command = "check";
    pc_report_probe(r, "devices")->status = PC_STATUS_OK; /* ran, but cannot hear a microphone */
    pc_report_probe(r, "bandwidth")->status = PC_STATUS_SKIPPED;
    snprintf(pc_report_probe(r, "bandwidth")->cause, 32, "not-selected");
    r->left_out[PC_M_MIC_PRESENT] = 1;
    r->left_out[PC_M_UPLOAD_MBPS] = 1;
    r->partial = 1;
    pc_render_text(r, &o, &b);
    CHECK(b.data != NULL);
    CHECK(b.data && strstr(b.data, "  not checked: Upload speed (left out with --only or --skip)\n"
                                   "  not checked: Microphone (this build or system cannot check "
                                   "them)\n") != NULL);
    pc_buf_free(&b);
    /* a probe that ran and could not measure says why, first */
    pc_report_probe(r, "bandwidth")->status = PC_STATUS_OK;
    snprintf(pc_report_probe(r, "bandwidth")->cause, 32, "time-too-short");
    snprintf(pc_report_probe(r, "bandwidth")->reason, 400, "upload: at least 2.0 Mbit/s");
    r->left_out[PC_M_DOWNLOAD_MBPS] = 1;
    r->left_out[PC_M_CPU_COUNT] = 1; /* no host probe in this report: left out */
    pc_render_text(r, &o, &b);
    CHECK(b.data &&
          strstr(b.data, "  not checked: Download speed, Upload speed (upload: at least "
                         "2.0 Mbit/s)\n"
                         "  not checked: Processor cores (left out with --only or --skip)\n"
                         "  not checked: Microphone (this build or system cannot check "
                         "them)\n") != NULL);
    pc_buf_free(&b);
    pc_report_free(r);
}

int main(void)
{
    struct pc_report *r = sample();

    CHECK(pc_renderer_find("text") != NULL && pc_renderer_find("json") != NULL);
    CHECK(pc_renderer_find("xml") == NULL);
    text(r);
    json(r);
    pc_report_free(r);
    unmeasured_and_rounding();
    numbers();
    layout();
    zero_by_state();
    left_out_why();
    return check_done();
}
