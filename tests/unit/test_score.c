/* test_score.c - tiers, the weakest-metric verdict, "not measured", limits, advice. */
#include <string.h>

#include "check.h"
#include "precall/profile.h"
#include "precall/score.h"

static struct pc_profile therapy;

/* A report where both probes ran and measured a healthy connection. */
static struct pc_report *healthy(void)
{
    struct pc_report *r = pc_report_new();

    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_probe(r, "udp")->status = PC_STATUS_OK;
    pc_report_mark_online(r, 1);
    pc_report_set_num(r, PC_M_UDP_REACHABLE, 1);
    pc_report_set_num(r, PC_M_RTT_MEDIAN_MS, 30);
    pc_report_set_num(r, PC_M_JITTER_MS, 3);
    pc_report_set_num(r, PC_M_LOSS_PCT, 0);
    pc_report_set_num(r, PC_M_BURST_LOSS_PCT, 0);
    pc_report_set_num(r, PC_M_DNS_MS, 12);
    return r;
}

static int has_advice(const struct pc_report *r, const char *id)
{
    for (size_t i = 0; i < r->n_advice; i++)
        if (strcmp(r->advice[i].id, id) == 0)
            return 1;
    return 0;
}

static void ready(void)
{
    struct pc_report *r = healthy();

    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD);
    CHECK(strcmp(r->headline, "Ready for HD video") == 0);
    CHECK(r->n_advice == 0);
    CHECK(pc_report_exit_code(r) == 0);
    CHECK(r->values[PC_M_R_FACTOR].set && r->values[PC_M_MOS].set);
    pc_report_free(r);
}

static void weakest_wins(void)
{
    struct pc_report *r = healthy();

    pc_report_set_num(r, PC_M_JITTER_MS, 27);      /* sd */
    pc_report_set_num(r, PC_M_RTT_MEDIAN_MS, 300); /* audio */
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_AUDIO);
    CHECK(r->limited[PC_M_RTT_MEDIAN_MS]);
    CHECK(!r->limited[PC_M_JITTER_MS]);
    CHECK(has_advice(r, "latency-high") && has_advice(r, "jitter-high"));
    /* Ranked: latency before jitter. */
    CHECK(r->advice[0].rank <= r->advice[r->n_advice - 1].rank);
    CHECK(pc_report_exit_code(r) == 1);
    r->require = PC_TIER_AUDIO;
    CHECK(pc_report_exit_code(r) == 0);
    pc_report_free(r);
}

static void not_measured_never_passes(void)
{
    struct pc_report *r = healthy();

    r->values[PC_M_JITTER_MS].set = 0; /* the probe ran but this is missing */
    pc_score_report(r, &therapy);
    CHECK(r->checks[PC_M_JITTER_MS].gated);
    CHECK(r->tier == PC_TIER_NONE);
    CHECK(pc_report_exit_code(r) == 2);
    pc_report_free(r);
}

static void skipped_probe_does_not_gate(void)
{
    struct pc_report *r = pc_report_new();

    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_probe(r, "udp")->status = PC_STATUS_SKIPPED;
    pc_report_mark_online(r, 1);
    pc_score_report(r, &therapy);
    CHECK(!r->checks[PC_M_JITTER_MS].gated);
    CHECK(r->tier == PC_TIER_HD);
    pc_report_free(r);
}

static void offline_and_blocked(void)
{
    struct pc_report *r = pc_report_new();

    pc_report_probe(r, "dns")->status = PC_STATUS_FAILED;
    pc_report_probe(r, "udp")->status = PC_STATUS_FAILED;
    pc_report_mark_online(r, 0);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE);
    CHECK(strcmp(r->headline, "Not ready: no internet connection") == 0);
    CHECK(r->n_advice >= 1 && strcmp(r->advice[0].id, "offline") == 0);
    CHECK(!has_advice(r, "udp-blocked") && !has_advice(r, "dns-failed"));
    pc_report_free(r);

    r = pc_report_new();
    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_probe(r, "udp")->status = PC_STATUS_FAILED;
    pc_report_mark_online(r, 1);
    pc_report_set_num(r, PC_M_UDP_REACHABLE, 0);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE);
    CHECK(r->n_advice >= 1 && strcmp(r->advice[0].id, "udp-blocked") == 0);
    CHECK(strcmp(r->advice[0].severity, "critical") == 0);
    pc_report_free(r);
}

static void other_advice(void)
{
    struct pc_report *r = healthy();

    pc_report_set_num(r, PC_M_LOSS_PCT, 4);
    pc_report_set_num(r, PC_M_BURST_LOSS_PCT, 25);
    pc_report_set_num(r, PC_M_DNS_MS, 900);
    pc_report_set_text(r, PC_M_NAT_MAPPING, "address-dependent");
    pc_score_report(r, &therapy);
    CHECK(has_advice(r, "loss-high"));
    CHECK(has_advice(r, "burst-loss"));
    CHECK(has_advice(r, "dns-slow"));
    CHECK(has_advice(r, "nat-symmetric"));
    CHECK(strcmp(r->advice[0].id, "loss-high") == 0);
    for (size_t i = 1; i < r->n_advice; i++)
        CHECK(r->advice[i - 1].rank <= r->advice[i].rank);
    pc_report_free(r);
}

/* Every value of a metric lands in exactly one tier, and tiers fall as values worsen. */
static void bands_are_contiguous(void)
{
    const enum pc_metric ms[] = {PC_M_RTT_MEDIAN_MS, PC_M_JITTER_MS, PC_M_LOSS_PCT,
                                 PC_M_BURST_LOSS_PCT};

    for (size_t k = 0; k < sizeof(ms) / sizeof(ms[0]); k++) {
        enum pc_metric m = ms[k];
        int lower = pc_metric_def(m)->better == PC_BETTER_LOWER;
        int prev = lower ? PC_TIER_HD : PC_TIER_NONE, ok = 1;

        for (int i = 0; i <= 10000; i++) {
            struct pc_report *r = healthy();
            double v = i / 10.0; /* 0 .. 1000 in steps of 0.1 */
            int t;

            pc_report_set_num(r, m, v);
            pc_score_report(r, &therapy);
            t = r->checks[m].tier;
            if (t < PC_TIER_NONE || t > PC_TIER_HD)
                ok = 0;
            if (lower ? t > prev : t < prev)
                ok = 0;
            prev = t;
            pc_report_free(r);
        }
        CHECK(ok);
    }
    /* R is derived by scoring; its limits still leave no gap between tiers. */
    for (int i = 0, prev = PC_TIER_NONE; i <= 1000; i++) {
        double v = i / 10.0;
        int t = PC_TIER_NONE;

        while (t < PC_TIER_HD && pc_profile_meets(&therapy, PC_M_R_FACTOR, t + 1, v))
            t++;
        CHECK(t >= prev);
        prev = t;
    }
    /* The edges themselves belong to the better tier (limits are inclusive). */
    CHECK(pc_profile_meets(&therapy, PC_M_RTT_MEDIAN_MS, PC_TIER_HD, 100));
    CHECK(!pc_profile_meets(&therapy, PC_M_RTT_MEDIAN_MS, PC_TIER_HD, 100.0001));
    CHECK(pc_profile_meets(&therapy, PC_M_R_FACTOR, PC_TIER_HD, 80));
    CHECK(!pc_profile_meets(&therapy, PC_M_R_FACTOR, PC_TIER_HD, 79.999));
}

int main(void)
{
    struct pc_err err = {0};

    CHECK(pc_profile_load("therapy", &therapy, &err) == 0);
    ready();
    weakest_wins();
    not_measured_never_passes();
    skipped_probe_does_not_gate();
    offline_and_blocked();
    other_advice();
    bands_are_contiguous();
    return check_done();
}
