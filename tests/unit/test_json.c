/*
 * test_json.c - each command's JSON report carries its own keys and notes:
 * a check's report no capture keys and the reverse, a devices report only
 * the keys of the devices and system probes, and a note only where the
 * figure it explains was measured (the round-trip jitter note and the
 * "--duration 60" note never in an analysis).
 */
#include <cJSON.h>
#include <string.h>

#include "check.h"
#include "precall/profile.h"
#include "precall/render.h"
#include "precall/score.h"

static const char jitter_note[] = "Jitter is measured on the round trip and mixes both directions.";
static const char sample_note[] = "A short check is one sample of a connection that may fail "
                                  "intermittently; --duration 60 gives a longer one.";

static cJSON *render(struct pc_report *r)
{
    struct pc_render_opts o = {0};
    struct pc_buf b = {0};
    struct pc_profile p;
    cJSON *root;

    pc_profile_load("therapy", &p, NULL);
    pc_score_report(r, &p);
    pc_render_json(r, &o, &b);
    root = cJSON_Parse(b.data);
    CHECK(root != NULL);
    pc_buf_free(&b);
    pc_report_free(r);
    return root;
}

static int has(const cJSON *o, const char *key)
{
    return cJSON_HasObjectItem(o, key);
}

static cJSON *scope_metrics(cJSON *root, const char *kind)
{
    cJSON *s;

    cJSON_ArrayForEach(s, cJSON_GetObjectItem(root, "scopes"))
    {
        if (strcmp(cJSON_GetObjectItem(s, "kind")->valuestring, kind) == 0)
            return cJSON_GetObjectItem(s, "metrics");
    }
    return NULL;
}

static int notes_are(cJSON *root, const char *a, const char *b)
{
    cJSON *n = cJSON_GetObjectItem(root, "notes");
    int want = (a != NULL) + (b != NULL);

    if (cJSON_GetArraySize(n) != want)
        return 0;
    if (a != NULL && strcmp(cJSON_GetArrayItem(n, 0)->valuestring, a) != 0)
        return 0;
    return b == NULL || strcmp(cJSON_GetArrayItem(n, 1)->valuestring, b) == 0;
}

/* An analysis: no run figures at all, each scope the keys of its kind only, no notes. */
static void analysis(void)
{
    struct pc_report *r = pc_report_new();
    int file, stream, flow;
    cJSON *root, *m;

    r->command = "analyze";
    file = pc_report_scope(r, PC_SCOPE_FILE, "a.pcap", NULL);
    stream = pc_report_scope(r, PC_SCOPE_STREAM, "s", NULL);
    flow = pc_report_scope(r, PC_SCOPE_FLOW, "f", NULL);
    pc_report_set_num(r, (size_t)file, PC_M_CAPTURE_PACKETS, 10);
    pc_report_set_num(r, (size_t)stream, PC_M_STREAM_JITTER_MS, 4.5);
    pc_report_set_num(r, (size_t)stream, PC_M_STREAM_LOSS_PCT, 0);
    pc_report_set_num(r, (size_t)flow, PC_M_TCP_SEGMENTS, 7);
    root = render(r);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(root, "metrics")) == 0);
    m = scope_metrics(root, "file");
    CHECK(cJSON_GetArraySize(m) == 4); /* capture_packets, _format, _link, _error */
    CHECK(cJSON_GetObjectItem(m, "capture_packets")->valuedouble == 10);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(m, "capture_error")));
    CHECK(!has(m, "stream_loss_pct") && !has(m, "tcp_segments"));
    m = scope_metrics(root, "stream");
    CHECK(cJSON_GetObjectItem(m, "stream_jitter_ms")->valuedouble == 4.5);
    CHECK(has(m, "rtcp_rr_jitter_ms") && cJSON_IsNull(cJSON_GetObjectItem(m, "stream_relay")));
    CHECK(!has(m, "capture_packets") && !has(m, "tcp_segments") && !has(m, "jitter_ms"));
    m = scope_metrics(root, "flow");
    CHECK(cJSON_GetArraySize(m) == 5); /* tcp_retrans_pct, _segments, _retrans, _source, _dest */
    CHECK(cJSON_GetObjectItem(m, "tcp_segments")->valuedouble == 7);
    /* One-way stream jitter is not the round trip's: no note; no "--duration 60" either. */
    CHECK(notes_are(root, NULL, NULL));
    cJSON_Delete(root);
}

/* A check: the run keys of its probes, none of a capture; a phase its own keys. */
static void check(void)
{
    struct pc_report *r = pc_report_new();
    int phase;
    cJSON *root, *m;

    r->command = "check";
    phase = pc_report_scope(r, PC_SCOPE_PHASE, "download", NULL);
    pc_report_set_num(r, (size_t)phase, PC_M_BANDWIDTH_BYTES, 1000);
    root = render(r);
    m = cJSON_GetObjectItem(root, "metrics");
    CHECK(has(m, "online") && has(m, "dns_ms") && has(m, "rtt_median_ms") && has(m, "cpu_count"));
    CHECK(has(m, "camera_count") && has(m, "download_mbps") && has(m, "bufferbloat_grade"));
    CHECK(!has(m, "stream_loss_pct") && !has(m, "capture_packets") && !has(m, "device_name"));
    CHECK(!has(m, "rtt_ms")); /* a series, never a value */
    m = scope_metrics(root, "phase");
    CHECK(cJSON_GetObjectItem(m, "bandwidth_bytes")->valuedouble == 1000);
    CHECK(has(m, "rtt_median_ms") && !has(m, "cpu_count") && !has(m, "device_name"));
    /* Nothing measured: no note about figures that are not there. */
    CHECK(notes_are(root, NULL, NULL));
    cJSON_Delete(root);
}

/* The notes: each where its figure was measured, whichever scope holds it. */
static void notes(void)
{
    struct pc_report *r = pc_report_new();
    int srv;
    cJSON *root;

    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_JITTER_MS, 3); /* the run alone */
    root = render(r);
    CHECK(notes_are(root, jitter_note, NULL));
    cJSON_Delete(root);

    r = pc_report_new();
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS, 20);
    root = render(r);
    CHECK(notes_are(root, sample_note, NULL));
    cJSON_Delete(root);

    r = pc_report_new();
    srv = pc_report_scope(r, PC_SCOPE_SERVER, "198.18.0.1:3478", NULL);
    pc_report_set_num(r, (size_t)srv, PC_M_JITTER_RFC3550_MS, 2); /* a server alone */
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_UPLOAD_MBPS, 5);
    root = render(r);
    CHECK(notes_are(root, jitter_note, sample_note));
    cJSON_Delete(root);
}

/* 'devices': the devices and system probes' keys only; a stray value is kept, not dropped. */
static void devices(void)
{
    struct pc_report *r = pc_report_new();
    int dev;
    cJSON *root, *m;

    r->command = "devices";
    dev = pc_report_scope(r, PC_SCOPE_DEVICE, "mic", NULL);
    pc_report_set_num(r, (size_t)dev, PC_M_MIC_PRESENT, 1);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS, 30);
    root = render(r);
    m = cJSON_GetObjectItem(root, "metrics");
    CHECK(has(m, "camera_count") && has(m, "mic_count") && has(m, "speaker_count"));
    CHECK(has(m, "cpu_count") && has(m, "memory_total_mib") && has(m, "link_kind"));
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(m, "battery_pct")));
    CHECK(!has(m, "online") && !has(m, "dns_ms") && !has(m, "download_mbps"));
    CHECK(!has(m, "jitter_ms") && !has(m, "https_reachable"));
    /* Measured, though no producer of 'devices' measures it: shown (the schema then objects). */
    CHECK(cJSON_GetObjectItem(m, "rtt_median_ms")->valuedouble == 30);
    m = scope_metrics(root, "device");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(m, "mic_present")) && has(m, "camera_state"));
    CHECK(!has(m, "cpu_count"));
    CHECK(notes_are(root, NULL, NULL));
    cJSON_Delete(root);
}

int main(void)
{
    analysis();
    check();
    notes();
    devices();
    return check_done();
}
