/*
 * test_score_capture.c - the scoring of a capture's report
 * (src/core/score_capture.c), on reports built here: a stream without a
 * clock rate leaves jitter and gap excess out (partial), media inside TURNS
 * beside judged streams makes the verdict partial, and without streams that
 * gate nothing of that touches the verdict.
 */
#include <string.h>

#include "check.h"
#include "precall/cause.h"
#include "precall/profile.h"
#include "precall/report.h"
#include "precall/score.h"

static struct pc_profile therapy;

/* A capture's report with one stream of 250 packets, none lost; jitter_ms < 0: no clock rate. */
static struct pc_report *capture(double jitter_ms, int judged)
{
    struct pc_report *r = pc_report_new();
    int sc;

    r->command = "analyze";
    pc_report_probe(r, "analyze")->status = PC_STATUS_OK;
    sc = pc_report_scope(r, PC_SCOPE_STREAM, "s1", NULL);
    if (!judged) {
        pc_report_scope_compare(r, (size_t)sc);
        pc_report_set_text(r, (size_t)sc, PC_M_STREAM_NOT_JUDGED, "too short to judge");
    }
    pc_report_set_num(r, (size_t)sc, PC_M_STREAM_PACKETS, 250);
    pc_report_set_num(r, (size_t)sc, PC_M_STREAM_EXPECTED, 250);
    pc_report_set_num(r, (size_t)sc, PC_M_STREAM_LOST, 0);
    pc_report_set_num(r, (size_t)sc, PC_M_STREAM_LOSS_PCT, 0);
    pc_report_set_num(r, (size_t)sc, PC_M_STREAM_WORST_SECOND_LOSS_PCT, 0);
    pc_report_set_num(r, (size_t)sc, PC_M_STREAM_GAP_MAX_MS, 20);
    if (jitter_ms >= 0) {
        pc_report_set_num(r, (size_t)sc, PC_M_STREAM_JITTER_MS, jitter_ms);
        pc_report_set_num(r, (size_t)sc, PC_M_STREAM_GAP_EXCESS_MS, 0);
    }
    return r;
}

static void relay_tls(struct pc_report *r)
{
    struct pc_probe_result *p = pc_report_probe(r, "relay-tls");

    pc_report_finish(r, p, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_MEDIA_IN_TLS),
                     "media inside TLS could not be seen");
}

static void with_clock_rate(void)
{
    struct pc_report *r = capture(1.0, 1);

    pc_score_capture(r, &therapy);
    CHECK(r->tier == PC_TIER_HD);
    CHECK(!r->partial);
    CHECK(!r->left_out[PC_M_STREAM_JITTER_MS] && !r->left_out[PC_M_STREAM_GAP_EXCESS_MS]);
    CHECK(pc_report_probe_find(r, "rtp") == NULL);
    CHECK(pc_report_exit_code(r) == 0);
    pc_report_free(r);
}

static void without_clock_rate(void)
{
    struct pc_report *r = capture(-1, 1);
    const struct pc_probe_result *rtp;

    pc_score_capture(r, &therapy);
    CHECK(r->partial);
    CHECK(r->left_out[PC_M_STREAM_JITTER_MS]);
    CHECK(r->left_out[PC_M_STREAM_GAP_EXCESS_MS]);
    CHECK(!r->left_out[PC_M_STREAM_LOSS_PCT]);
    /* jitter is judged from the audio tier up: a check not made allows no tier at all */
    CHECK(r->tier == PC_TIER_NONE);
    CHECK(pc_score_measured_tier(r) == PC_TIER_HD);
    CHECK(pc_report_exit_code(r) == 1);
    rtp = pc_report_probe_find(r, "rtp");
    CHECK(rtp != NULL && rtp->status == PC_STATUS_SKIPPED);
    CHECK(rtp != NULL && strcmp(rtp->method, "1 RTP stream judged without a clock rate") == 0);
    CHECK(rtp != NULL && strcmp(rtp->reason, "no clock rate known for 1 stream") == 0);
    CHECK(rtp != NULL && strcmp(rtp->cause, pc_cause_id(PC_CAUSE_NO_CLOCK_RATE)) == 0);
    pc_report_free(r);
}

static void relay_tls_with_judged_streams(void)
{
    struct pc_report *r = capture(1.0, 1);

    relay_tls(r);
    pc_score_capture(r, &therapy);
    CHECK(r->partial);
    CHECK(r->tier == PC_TIER_HD); /* what the rest shows stands */
    CHECK(!r->left_out[PC_M_STREAM_JITTER_MS] && !r->left_out[PC_M_STREAM_GAP_EXCESS_MS]);
    CHECK(pc_report_probe_find(r, "rtp") == NULL);
    pc_report_free(r);
}

static void no_judged_streams(void)
{
    /* too short to judge, no clock rate, and TURNS beside it: the verdict is left alone */
    struct pc_report *r = capture(-1, 0), *plain = capture(-1, 0);

    relay_tls(r);
    pc_score_capture(r, &therapy);
    pc_score_report(plain, &therapy);
    CHECK(!r->partial);
    CHECK(!r->left_out[PC_M_STREAM_JITTER_MS] && !r->left_out[PC_M_STREAM_GAP_EXCESS_MS]);
    CHECK(pc_report_probe_find(r, "rtp") == NULL);
    CHECK(r->tier == plain->tier);
    CHECK(strcmp(r->headline, plain->headline) == 0);
    pc_report_free(r);
    pc_report_free(plain);
}

int main(void)
{
    struct pc_err err = {0};

    CHECK(pc_profile_load("therapy", &therapy, &err) == 0);
    with_clock_rate();
    without_clock_rate();
    relay_tls_with_judged_streams();
    no_judged_streams();
    return check_done();
}
