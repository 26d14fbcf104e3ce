/* test_score.c - tiers, the weakest-metric verdict, "not measured", limits, advice. */
#include <cJSON.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "check.h"
#include "report_fixture.h"
#include "core/advice_rules.h"
#include "precall/cause.h"
#include "precall/derive.h"
#include "precall/emodel.h"
#include "precall/probe.h"
#include "precall/profile.h"
#include "precall/render.h"
#include "precall/score.h"

static struct pc_profile therapy;

/* A report where both probes ran and measured a healthy connection. */
static struct pc_report *healthy(void)
{
    struct pc_report *r = pc_fixture_path(30, 3, 0, "dns", (const char *)NULL);

    pc_report_set_num(r, 0, PC_M_DNS_MS, 12);
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
    CHECK(r->scopes[0]->values[PC_M_R_FACTOR].set && r->scopes[0]->values[PC_M_MOS].set);
    /* From the scope's own RTT 30, jitter 3, loss 0: EL 46, R = 93.2 - 46 / 40. */
    CHECK_NEAR(r->scopes[0]->values[PC_M_R_FACTOR].num, 92.05, 1e-9);
    CHECK_NEAR(r->scopes[0]->values[PC_M_MOS].num, pc_emodel_mos(92.05), 1e-9);
    pc_report_free(r);
}

static void weakest_wins(void)
{
    struct pc_report *r = healthy();

    pc_report_set_num(r, 0, PC_M_JITTER_MS, 27); /* sd */
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 9);   /* 4.6 % each way: audio */
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_AUDIO);
    CHECK(r->scopes[0]->limited[PC_M_LOSS_ONEWAY_PCT]);
    CHECK(!r->scopes[0]->limited[PC_M_JITTER_MS]);
    CHECK(has_advice(r, "loss-high") && has_advice(r, "jitter-high"));
    /* Ranked: loss before jitter. */
    CHECK(r->advice[0].rank <= r->advice[r->n_advice - 1].rank);
    CHECK(pc_report_exit_code(r) == 1);
    r->require = PC_TIER_AUDIO;
    CHECK(pc_report_exit_code(r) == 0);
    pc_report_free(r);
}

static void not_measured_never_passes(void)
{
    struct pc_report *r = healthy();

    r->scopes[0]->values[PC_M_JITTER_MS].set = 0; /* the probe ran but this is missing */
    pc_score_report(r, &therapy);
    CHECK(r->scopes[0]->checks[PC_M_JITTER_MS].gated);
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
    CHECK(!r->scopes[0]->checks[PC_M_JITTER_MS].gated);
    /* What it would have measured is not checked: the verdict claims no tier it could deny. */
    CHECK(r->partial && r->left_out[PC_M_JITTER_MS] && r->left_out[PC_M_UDP_REACHABLE]);
    CHECK(pc_score_measured_tier(r) == PC_TIER_HD && r->tier == PC_TIER_NONE);
    CHECK(strcmp(r->headline, "Partial check: no problem found in what was checked") == 0);
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

    /* UDP blocked and HTTPS not checked: nothing is known to reach the internet. */
    r = pc_report_new();
    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "udp-blocked", "blocked");
    pc_report_finish(r, pc_report_probe(r, "http"), PC_STATUS_SKIPPED, "not-selected", "--only");
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE);
    CHECK(r->n_advice >= 1 && strcmp(r->advice[0].id, "udp-blocked") == 0);
    CHECK(strcmp(r->advice[0].severity, "critical") == 0);
    CHECK(strcmp(r->headline, "Not ready: UDP is blocked on this network") == 0);
    CHECK(strcmp(r->cause, "udp-blocked") == 0);
    pc_report_free(r);
}

/* UDP blocked while HTTPS works: calls use a relay over 443, the verdict is SD at best. */
static void udp_blocked_https_works(void)
{
    struct pc_report *r = pc_report_new();
    const struct pc_advice *a;

    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_probe(r, "http")->status = PC_STATUS_OK;
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "udp-blocked", "blocked");
    pc_report_mark_online(r, 1);
    pc_report_set_num(r, 0, PC_M_HTTPS_REACHABLE, 1);
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
    pc_score_report(r, &therapy);
    /* RTT, jitter and loss exist only over UDP: they do not gate; udp_reachable caps at SD. */
    CHECK(!r->scopes[0]->checks[PC_M_RTT_MEDIAN_MS].gated);
    CHECK(r->scopes[0]->checks[PC_M_UDP_REACHABLE].gated);
    CHECK(r->tier == PC_TIER_SD);
    CHECK(r->scopes[0]->limited[PC_M_UDP_REACHABLE]);
    CHECK(strcmp(r->headline, "Video will work at reduced quality") == 0);
    CHECK(r->cause[0] == '\0');
    a = pc_advice_find(r, "udp-blocked");
    CHECK(a != NULL && strstr(a->text, "calls will use a relay") != NULL);
    CHECK(a != NULL && strcmp(a->severity, "warning") == 0 && a->cause[0] == '\0');
    CHECK(pc_report_exit_code(r) == 0); /* --require sd */
    pc_report_free(r);

    /* Everything dropped: HTTPS could not connect either. */
    r = pc_report_new();
    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_finish(r, pc_report_probe(r, "http"), PC_STATUS_FAILED, "server-unreachable", "x");
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "udp-blocked", "blocked");
    pc_report_mark_online(r, 0);
    pc_report_set_num(r, 0, PC_M_HTTPS_REACHABLE, 0);
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE);
    CHECK(strcmp(r->headline, "Not ready: no internet connection") == 0);
    a = pc_advice_find(r, "udp-blocked");
    CHECK(a == NULL || strstr(a->text, "relay") == NULL);
    pc_report_free(r);
}

static struct pc_report *with_speed(double down, double up, double bloat)
{
    struct pc_report *r = healthy();

    pc_report_probe(r, "bandwidth")->status = PC_STATUS_OK;
    pc_report_set_num(r, 0, PC_M_DOWNLOAD_MBPS, down);
    pc_report_set_num(r, 0, PC_M_UPLOAD_MBPS, up);
    pc_report_set_num(r, 0, PC_M_BUFFERBLOAT_MS, bloat);
    return r;
}

static void bandwidth_tiers(void)
{
    struct pc_report *r = with_speed(20, 5, 10);
    const struct pc_advice *a;
    int dl;

    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD);
    CHECK(pc_advice_find(r, "full-hd-possible") != NULL);
    pc_report_free(r);

    r = with_speed(20, 3.9, 10); /* HD, but not 1080p both ways */
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD && pc_advice_find(r, "full-hd-possible") == NULL);
    pc_report_free(r);

    r = with_speed(1.5, 5, 10);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_SD && r->scopes[0]->limited[PC_M_DOWNLOAD_MBPS]);
    a = pc_advice_find(r, "download-low");
    CHECK(a != NULL && strstr(a->text, "1.5 Mbit/s; HD video needs >= 1.9 Mbit/s") != NULL);
    pc_report_free(r);

    r = with_speed(20, 0.05, 10);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE && pc_advice_find(r, "upload-low") != NULL);
    CHECK(strcmp(pc_advice_find(r, "upload-low")->severity, "critical") == 0);
    pc_report_free(r);

    /* Bufferbloat under the check's own full load is a risk beside the tier, not a cap. */
    r = with_speed(20, 5, 450);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD && !r->scopes[0]->checks[PC_M_BUFFERBLOAT_MS].gated);
    CHECK(r->n_risks == 1 && strcmp(r->risks[0].id, "bufferbloat") == 0);
    CHECK(r->n_risks == 1 && strstr(r->risks[0].advice, "fq_codel or CAKE") != NULL);
    CHECK(pc_advice_find(r, "bufferbloat") == NULL);
    pc_report_free(r);

    /*
     * A loaded phase is shown for comparison: its 500 ms RTT does not gate; the bufferbloat
     * derived from it (500 - the run's 30 ms) does.
     */
    r = with_speed(20, 5, 10);
    dl = pc_report_scope(r, PC_SCOPE_PHASE, "download", NULL);
    pc_report_scope_compare(r, (size_t)dl);
    pc_report_set_num(r, (size_t)dl, PC_M_RTT_MEDIAN_MS, 500);
    pc_score_report(r, &therapy);
    CHECK(!r->scopes[dl]->gates && r->scopes[dl]->tier == PC_TIER_NONE);
    CHECK(r->scopes[0]->values[PC_M_BUFFERBLOAT_MS].num == 470);
    CHECK(r->tier == PC_TIER_HD && r->n_risks == 1 && r->risks[0].value == 470);
    CHECK(r->n_risks == 1 &&
          strcmp(r->risks[0].text, "HD video now; if someone else uploads or "
                                   "downloads during the session, expect long "
                                   "delays (the line adds 470 ms when full).") == 0);
    CHECK(!r->scopes[0]->limited[PC_M_RTT_MEDIAN_MS]);
    pc_report_free(r);

    /* Not measured because the server failed: no verdict, the server named. */
    r = healthy();
    pc_report_finish(r, pc_report_probe(r, "bandwidth"), PC_STATUS_FAILED, "server-error",
                     "HTTP 503");
    pc_report_subject(r, pc_report_probe(r, "bandwidth"), "speed.example");
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE);
    CHECK(strcmp(r->headline,
                 "No verdict: the speed-test server did not work properly, speed.example") == 0);
    pc_report_free(r);

    /* Loaded latency could not be measured with UDP blocked: bufferbloat does not gate. */
    r = with_speed(20, 5, 0);
    r->scopes[0]->values[PC_M_BUFFERBLOAT_MS].set = 0;
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
    pc_report_set_num(r, 0, PC_M_HTTPS_REACHABLE, 1);
    pc_score_report(r, &therapy);
    CHECK(!r->scopes[0]->checks[PC_M_BUFFERBLOAT_MS].gated && r->tier == PC_TIER_SD);
    pc_report_free(r);
}

static void other_advice(void)
{
    struct pc_report *r = healthy();

    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 4);
    pc_report_set_num(r, 0, PC_M_BURST_LOSS_PCT, 25);
    pc_report_set_num(r, 0, PC_M_DNS_MS, 900);
    pc_report_set_text(r, 0, PC_M_NAT_MAPPING, "address-dependent");
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
    /* The figure set, and the one judged: the round-trip losses are judged one way. */
    const enum pc_metric ms[][2] = {{PC_M_RTT_MEDIAN_MS, PC_M_RTT_MEDIAN_MS},
                                    {PC_M_JITTER_MS, PC_M_JITTER_MS},
                                    {PC_M_LOSS_PCT, PC_M_LOSS_ONEWAY_PCT},
                                    {PC_M_BURST_LOSS_PCT, PC_M_BURST_LOSS_ONEWAY_PCT}};

    for (size_t k = 0; k < sizeof(ms) / sizeof(ms[0]); k++) {
        enum pc_metric m = ms[k][0];
        int lower = pc_metric_def(m)->better == PC_BETTER_LOWER;
        int prev = lower ? PC_TIER_HD : PC_TIER_NONE, ok = 1;

        for (int i = 0; i <= 10000; i++) {
            struct pc_report *r = healthy();
            double v = i / 10.0; /* 0 .. 1000 in steps of 0.1 */
            int t;

            pc_report_set_num(r, 0, m, v);
            pc_score_report(r, &therapy);
            t = r->scopes[0]->checks[ms[k][1]].tier;
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
    CHECK(pc_profile_meets(&therapy, PC_M_RTT_MEDIAN_MS, PC_TIER_AUDIO, 800));
    CHECK(!pc_profile_meets(&therapy, PC_M_RTT_MEDIAN_MS, PC_TIER_AUDIO, 800.0001));
    CHECK(pc_profile_meets(&therapy, PC_M_R_FACTOR, PC_TIER_AUDIO, 60));
    CHECK(!pc_profile_meets(&therapy, PC_M_R_FACTOR, PC_TIER_AUDIO, 59.999));
}

static const struct pc_advice *advice_of(const struct pc_report *r, const char *id)
{
    for (size_t i = 0; i < r->n_advice; i++)
        if (strcmp(r->advice[i].id, id) == 0)
            return &r->advice[i];
    return NULL;
}

/* Scopes: the worst gating scope decides; a server scope is scored but does not gate. */
static void scopes(void)
{
    struct pc_report *r = healthy();
    int up = pc_report_scope(r, PC_SCOPE_PHASE, "upload", NULL);
    int srv = pc_report_scope(r, PC_SCOPE_SERVER, "198.18.1.3:3478", "second server");
    int empty = pc_report_scope(r, PC_SCOPE_PHASE, "download", NULL);

    CHECK(up == 1 && srv == 2 && empty == 3);
    CHECK(pc_report_scope(r, PC_SCOPE_PHASE, "upload", NULL) == up); /* found, not added */
    CHECK(pc_report_scope_find(r, PC_SCOPE_SERVER, "nope") == -1);
    /* Not allowed in a phase: ignored. */
    pc_report_set_num(r, (size_t)up, PC_M_DNS_MS, 5);
    CHECK(!pc_report_get(r, (size_t)up, PC_M_DNS_MS)->set);
    pc_report_set_num(r, (size_t)up, PC_M_UDP_REACHABLE, 1);
    pc_report_set_num(r, (size_t)up, PC_M_RTT_MEDIAN_MS, 40);
    pc_report_set_num(r, (size_t)up, PC_M_JITTER_MS, 27); /* sd */
    pc_report_set_num(r, (size_t)up, PC_M_LOSS_PCT, 0);
    pc_report_set_num(r, (size_t)up, PC_M_BURST_LOSS_PCT, 0);
    pc_report_set_num(r, (size_t)srv, PC_M_UDP_REACHABLE, 1);
    pc_report_set_num(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, 30);
    pc_report_set_num(r, (size_t)srv, PC_M_JITTER_MS, 50); /* audio, but does not gate */
    pc_report_set_num(r, (size_t)srv, PC_M_LOSS_PCT, 0);
    pc_report_set_num(r, (size_t)srv, PC_M_BURST_LOSS_PCT, 0);
    pc_score_report(r, &therapy);
    CHECK(r->scopes[0]->tier == PC_TIER_HD);
    CHECK(r->scopes[up]->tier == PC_TIER_SD && r->scopes[up]->gates);
    CHECK(r->scopes[srv]->tier == PC_TIER_AUDIO && !r->scopes[srv]->gates);
    /* A scope with nothing measured never passes. */
    CHECK(r->scopes[empty]->tier == PC_TIER_NONE);
    CHECK(r->tier == PC_TIER_NONE);
    pc_report_free(r);

    /* Without the empty phase: SD, limited by jitter during upload. */
    r = healthy();
    up = pc_report_scope(r, PC_SCOPE_PHASE, "upload", NULL);
    pc_report_set_num(r, (size_t)up, PC_M_UDP_REACHABLE, 1);
    pc_report_set_num(r, (size_t)up, PC_M_RTT_MEDIAN_MS, 40);
    pc_report_set_num(r, (size_t)up, PC_M_JITTER_MS, 27);
    pc_report_set_num(r, (size_t)up, PC_M_LOSS_PCT, 0);
    pc_report_set_num(r, (size_t)up, PC_M_BURST_LOSS_PCT, 0);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_SD);
    CHECK(r->scopes[up]->limited[PC_M_JITTER_MS] && !r->scopes[0]->limited[PC_M_JITTER_MS]);
    CHECK(r->scopes[up]->values[PC_M_R_FACTOR].set); /* the E-model per scope */
    CHECK(advice_of(r, "jitter-high") != NULL && advice_of(r, "jitter-high")->scope == (size_t)up);
    CHECK(advice_of(r, "jitter-high") != NULL &&
          strstr(advice_of(r, "jitter-high")->text, "27.0 ms of jitter during upload; HD video "
                                                    "needs <= 20 ms") != NULL);
    CHECK(strcmp(r->headline, "Video will work at reduced quality") == 0);
    pc_report_free(r);
}

/* The advice quotes the limit the check line quotes: the tier above the one reached. */
static void one_rule_for_quoting(void)
{
    struct pc_report *r = healthy();
    const struct pc_advice *a;

    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 15.36); /* 8 % each way, audio: next SD, 3 % */
    pc_score_report(r, &therapy);
    a = advice_of(r, "loss-high");
    CHECK(a != NULL && a->threshold == 3);
    CHECK(a != NULL &&
          strstr(a->text, "About 8.0 % of packets are lost each way (SD video needs <= 3 %)"));
    CHECK(pc_score_next_tier(&r->scopes[0]->checks[PC_M_LOSS_ONEWAY_PCT]) == PC_TIER_SD);
    CHECK(a != NULL && strcmp(a->severity, "warning") == 0);
    CHECK(strcmp(pc_score_mark(&r->scopes[0]->checks[PC_M_LOSS_ONEWAY_PCT]), "warn") == 0);
    /* The round-trip figure is reported, not judged. */
    CHECK(!r->scopes[0]->checks[PC_M_LOSS_PCT].gated && r->scopes[0]->values[PC_M_LOSS_PCT].set);
    pc_report_free(r);

    r = healthy();
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 57); /* 34 % each way, none: next audio, 10 % */
    pc_score_report(r, &therapy);
    a = advice_of(r, "loss-high");
    CHECK(a != NULL && a->threshold == 10 && strcmp(a->severity, "critical") == 0);
    CHECK(strcmp(pc_score_mark(&r->scopes[0]->checks[PC_M_LOSS_ONEWAY_PCT]), "FAIL") == 0);
    /* A tier of none names its cause: the limiting metric. */
    CHECK(r->scopes[0]->limited[PC_M_LOSS_ONEWAY_PCT]);
    pc_report_free(r);
}

/* Advice aimed at the cause the evidence shows. */
static void causes(void)
{
    struct pc_report *r = healthy();

    /* One good server and one unknown name: ready, and no router advice. */
    pc_report_subject(r, pc_report_probe(r, "dns"), "nosuch.example");
    pc_report_finish(r, pc_report_probe(r, "dns"), PC_STATUS_FAILED, "name-not-found", "x");
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD);
    CHECK(strcmp(r->headline, "Ready for HD video") == 0);
    CHECK(!has_advice(r, "dns-failed"));
    CHECK(advice_of(r, "name-not-found") != NULL &&
          strstr(advice_of(r, "name-not-found")->text, "nosuch.example does not exist"));
    CHECK(strcmp(advice_of(r, "name-not-found")->severity, "warning") == 0);
    pc_report_free(r);

    /* The only server's name does not exist: not ready, and the headline says why. */
    r = pc_report_new();
    pc_report_subject(r, pc_report_probe(r, "udp"), "nosuch.example");
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "name-not-found", "x");
    pc_score_report(r, &therapy);
    CHECK(strcmp(r->headline, "Not ready: the server name nosuch.example does not exist") == 0);
    CHECK(!has_advice(r, "udp-blocked") && !has_advice(r, "offline"));
    CHECK(pc_report_exit_code(r) == 2);
    pc_report_free(r);

    /* precall's own default server "does not exist": the network filters names. */
    r = pc_report_new();
    pc_report_subject(r, pc_report_probe(r, "udp"), "stun.l.google.com");
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED,
                     pc_probe_name_cause(&(struct pc_config){.stun_defaults = 1}), "x");
    pc_score_report(r, &therapy);
    CHECK(strcmp(r->headline, "Not ready: this network does not look up the test server's name, "
                              "stun.l.google.com") == 0);
    CHECK(!has_advice(r, "name-not-found") && has_advice(r, "name-filtered"));
    CHECK(strcmp(pc_probe_name_cause(&(struct pc_config){.stun_defaults = 0}), "name-not-found") ==
          0);
    pc_report_free(r);

    /* Too little time to measure: no verdict, never ready, no fault of the network. */
    r = pc_report_new();
    pc_report_mark_online(r, 1);
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 1);
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "time-too-short", "x");
    pc_score_report(r, &therapy);
    CHECK(strcmp(r->headline,
                 "No verdict: the time limit ended the udp check too early to measure") == 0);
    CHECK(r->tier == PC_TIER_NONE && !pc_report_ready(r) && pc_report_exit_code(r) == 3 &&
          strcmp(pc_report_status(r), "no-verdict") == 0);
    CHECK(!has_advice(r, "udp-blocked") && !has_advice(r, "server-stopped"));
    pc_report_free(r);

    /* Interrupted: never ready, 128 + the signal, no advice about unseen faults. */
    r = healthy();
    r->interrupted = SIGTERM;
    pc_report_finish(r, pc_report_probe(r, "dns"), PC_STATUS_INTERRUPTED, "interrupted", "x");
    pc_score_report(r, &therapy);
    CHECK(!pc_report_ready(r) && pc_report_exit_code(r) == 143);
    CHECK(strncmp(r->headline, "No verdict:", 11) == 0);
    CHECK(!has_advice(r, "dns-failed"));
    r->interrupted = SIGINT;
    CHECK(pc_report_exit_code(r) == 130);
    pc_report_free(r);
}

/* Metrics a probe could not measure because time ran out (or it never stopped)
   do not gate: their check lines say "--", not FAIL. An interrupted check keeps
   no tier, whatever it measured before the signal. */
static void no_tier_without_evidence(void)
{
    const char *causes_cut[] = {"time-too-short", "did-not-stop"};

    for (size_t i = 0; i < 2; i++) {
        struct pc_report *r = pc_report_new();

        pc_report_probe(r, "dns")->status = PC_STATUS_OK;
        pc_report_mark_online(r, 1);
        pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 1);
        pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, causes_cut[i], "x");
        pc_score_report(r, &therapy);
        CHECK(!r->scopes[0]->checks[PC_M_JITTER_MS].gated);
        CHECK(!r->scopes[0]->checks[PC_M_RTT_MEDIAN_MS].gated);
        CHECK(strcmp(pc_score_mark(&r->scopes[0]->checks[PC_M_LOSS_PCT]), "--") == 0);
        CHECK(r->scopes[0]->checks[PC_M_UDP_REACHABLE].gated); /* measured: it gates */
        CHECK(r->scopes[0]->tier == PC_TIER_HD);
        pc_report_free(r);
    }

    for (int sig = SIGINT; sig <= SIGTERM; sig += SIGTERM - SIGINT) {
        struct pc_report *r = healthy();

        r->interrupted = sig;
        pc_score_report(r, &therapy);
        CHECK(r->scopes[0]->tier == PC_TIER_HD); /* what was measured stays scored */
        CHECK(r->tier == PC_TIER_NONE);
        CHECK(strcmp(r->headline, "No verdict: the check was interrupted before it finished") == 0);
        pc_report_free(r);
    }
    /* pc_report_ready() on its own: a report marked interrupted after it was
       scored HD (a signal during rendering) is still not ready. */
    {
        struct pc_report *r = healthy();

        pc_score_report(r, &therapy);
        CHECK(r->tier == PC_TIER_HD && pc_report_ready(r));
        r->interrupted = SIGINT;
        CHECK(!pc_report_ready(r));
        pc_report_free(r);
    }
}

/* Severity follows the tier the user requires; advice comes from gating
   scopes only; DNS is slow above 500 ms, not before. */
static void severity_and_scope_of_advice(void)
{
    struct pc_report *r = healthy();
    int srv = pc_report_scope(r, PC_SCOPE_SERVER, "198.18.1.3:3478", "second server");

    pc_report_set_num(r, 0, PC_M_JITTER_MS, 27); /* sd */
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 8);   /* audio */
    pc_report_set_num(r, 0, PC_M_DNS_MS, 500);
    pc_report_set_num(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, 300); /* audio, but does not gate */
    r->require = PC_TIER_SD;
    pc_score_report(r, &therapy);
    CHECK(advice_of(r, "jitter-high") != NULL &&
          strcmp(advice_of(r, "jitter-high")->severity, "info") == 0); /* meets the requirement */
    CHECK(advice_of(r, "loss-high") != NULL &&
          strcmp(advice_of(r, "loss-high")->severity, "warning") == 0);
    CHECK(advice_of(r, "latency-high") == NULL); /* only a server saw it */
    CHECK(advice_of(r, "dns-slow") == NULL);
    CHECK(r->n_advice == 2);
    pc_report_free(r);

    r = healthy();
    pc_report_set_num(r, 0, PC_M_DNS_MS, 501);
    pc_score_report(r, &therapy);
    CHECK(advice_of(r, "dns-slow") != NULL &&
          strcmp(advice_of(r, "dns-slow")->severity, "info") == 0);
    CHECK(r->tier == PC_TIER_HD);
    pc_report_free(r);
}

/* A check the user cut down says what it left out and claims no tier it did not measure. */
static void partial(void)
{
    struct pc_report *r = pc_report_new();

    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_SKIPPED, "not-selected", "x");
    pc_report_set_num(r, 0, PC_M_DNS_MS, 12);
    pc_report_mark_online(r, 1);
    pc_score_report(r, &therapy);
    CHECK(r->partial);
    CHECK(r->left_out[PC_M_RTT_MEDIAN_MS] && r->left_out[PC_M_UDP_REACHABLE]);
    CHECK(!r->left_out[PC_M_ONLINE] && !r->left_out[PC_M_DNS_MS]);
    CHECK(strcmp(r->headline, "Partial check: no problem found in what was checked") == 0);
    CHECK(strstr(r->headline, "Ready") == NULL);
    pc_report_free(r);
}

/* A command that checks part of what a call needs says which part in its headline. */
static void covers(void)
{
    struct pc_report *r = healthy();
    int mic;

    r->covers = "Devices";
    pc_score_report(r, &therapy);
    CHECK(strcmp(r->headline, "Devices: ready for HD video") == 0);
    CHECK(r->tier == PC_TIER_HD && pc_report_exit_code(r) == 0);
    pc_report_free(r);

    /* A cause keeps its words after the prefix; the tier and exit code are unchanged. */
    r = pc_report_new();
    r->covers = "Devices";
    pc_report_probe(r, "devices")->status = PC_STATUS_OK;
    mic = pc_report_scope(r, PC_SCOPE_DEVICE, "microphone", "Microphone: none");
    CHECK(mic > 0);
    pc_report_set_text(r, (size_t)mic, PC_M_MIC_STATE, "missing");
    pc_score_report(r, &therapy);
    CHECK(strcmp(r->headline, "Devices: not ready: no microphone was found") == 0);
    CHECK(strcmp(r->cause, "mic-missing") == 0);
    CHECK(r->tier == PC_TIER_NONE);
    /* The same report as part of the whole check: no prefix. */
    r->covers = NULL;
    pc_score_report(r, &therapy);
    CHECK(strcmp(r->headline, "Not ready: no microphone was found") == 0);
    pc_report_free(r);

    /* Audio only, for the devices: a sentence, not the tier label cut into lower case. */
    r = pc_report_new();
    r->covers = "Devices";
    pc_report_probe(r, "devices")->status = PC_STATUS_OK;
    mic = pc_report_scope(r, PC_SCOPE_DEVICE, "microphone", "Microphone: test");
    pc_report_set_num(r, (size_t)mic, PC_M_MIC_PRESENT, 1);
    pc_report_set_num(r, (size_t)mic, PC_M_MIC_HEARS_SOUND, 1);
    mic = pc_report_scope(r, PC_SCOPE_DEVICE, "camera", "Camera (none found)");
    pc_report_set_text(r, (size_t)mic, PC_M_CAMERA_STATE, "missing");
    pc_report_set_num(r, (size_t)mic, PC_M_CAMERA_VIDEO_HEIGHT_PX, 0);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_AUDIO && pc_report_exit_code(r) == 1);
    CHECK(strcmp(r->headline, "Devices: ready for audio only") == 0);
    CHECK(has_advice(r, "camera-missing"));
    pc_report_free(r);

    /* Nothing checked: the prefix on "No verdict" too. */
    r = pc_report_new();
    r->covers = "Devices";
    pc_score_report(r, &therapy);
    CHECK(strcmp(r->headline, "Devices: no verdict: nothing was checked") == 0);
    pc_report_free(r);
}

/* ------------------------------------------------------------ the pipeline's steps */

/* The text of the advice with this id, or "". */
static const char *advice_text(const struct pc_report *r, const char *id)
{
    const struct pc_advice *a = pc_advice_find(r, id);

    return a != NULL ? a->text : "";
}

/* A phase scope with a median RTT. */
static int phase(struct pc_report *r, const char *id, double rtt_ms)
{
    int sc = pc_report_scope(r, PC_SCOPE_PHASE, id, NULL);

    pc_report_scope_compare(r, (size_t)sc);
    pc_report_set_num(r, (size_t)sc, PC_M_RTT_MEDIAN_MS, rtt_ms);
    return sc;
}

/* derive: bufferbloat is the larger rise of a loaded phase's median RTT over the idle one. */
static void derive_bufferbloat(void)
{
    struct pc_report *r = healthy(); /* the run's median RTT: 30 ms */
    const struct pc_value *b;

    phase(r, "idle", 32);
    phase(r, "download", 95.5);
    phase(r, "upload", 240.25);
    pc_derive_report(r, &therapy);
    b = pc_report_get(r, 0, PC_M_BUFFERBLOAT_MS);
    CHECK(b->set && b->num == 208.25); /* upload: 240.25 - 32, over the idle phase */
    CHECK(strcmp(pc_report_get(r, 0, PC_M_BUFFERBLOAT_GRADE)->text, "D") == 0);
    /* The E-model of every scope with RTT, jitter and loss: the run's, exactly. */
    CHECK_NEAR(pc_report_get(r, 0, PC_M_R_FACTOR)->num, 92.05, 1e-9);
    pc_report_free(r);

    /* A run that ended with a probe still running is sealed against it, not against derive. */
    r = healthy();
    phase(r, "idle", 32);
    phase(r, "upload", 240.25);
    pc_report_seal(r);
    pc_report_set_num(r, 0, PC_M_DNS_MS, 12345); /* the late probe's write is dropped */
    CHECK(pc_report_get(r, 0, PC_M_DNS_MS)->num != 12345);
    pc_derive_report(r, &therapy);
    CHECK(pc_report_get(r, 0, PC_M_BUFFERBLOAT_MS)->num == 208.25);
    CHECK_NEAR(pc_report_get(r, 0, PC_M_R_FACTOR)->num, 92.05, 1e-9);
    CHECK(pc_report_get(r, 0, PC_M_MOS)->set);
    pc_report_free(r);

    /* The download phase rose more; no idle phase: the run's median is the idle one. */
    r = healthy();
    phase(r, "download", 130);
    phase(r, "upload", 70);
    pc_derive_report(r, &therapy);
    CHECK(pc_report_get(r, 0, PC_M_BUFFERBLOAT_MS)->num == 100);
    CHECK(strcmp(pc_report_get(r, 0, PC_M_BUFFERBLOAT_GRADE)->text, "C") == 0);
    pc_report_free(r);

    /* Faster under load than idle: no rise, never below 0. */
    r = healthy();
    phase(r, "upload", 25);
    pc_derive_report(r, &therapy);
    CHECK(pc_report_get(r, 0, PC_M_BUFFERBLOAT_MS)->num == 0);
    CHECK(strcmp(pc_report_get(r, 0, PC_M_BUFFERBLOAT_GRADE)->text, "A+") == 0);
    pc_report_free(r);

    /* A loaded phase without an RTT, or no idle figure: nothing derived. */
    r = healthy();
    pc_report_scope(r, PC_SCOPE_PHASE, "download", NULL);
    pc_derive_report(r, &therapy);
    CHECK(!pc_report_get(r, 0, PC_M_BUFFERBLOAT_MS)->set);
    CHECK(!pc_report_get(r, 0, PC_M_BUFFERBLOAT_GRADE)->set);
    pc_report_free(r);
    r = pc_report_new();
    phase(r, "download", 130);
    pc_derive_report(r, &therapy);
    CHECK(!pc_report_get(r, 0, PC_M_BUFFERBLOAT_MS)->set);
    pc_report_free(r);

    /* Scored through the pipeline: 230 ms of rise is a risk beside HD, not a cap. */
    r = with_speed(20, 20, 0);
    phase(r, "idle", 30);
    phase(r, "download", 260);
    pc_score_report(r, &therapy);
    CHECK(pc_report_get(r, 0, PC_M_BUFFERBLOAT_MS)->num == 230);
    CHECK(r->tier == PC_TIER_HD && !has_advice(r, "bufferbloat"));
    CHECK(r->n_risks == 1 && r->risks[0].value == 230 && r->risks[0].level == 200);
    pc_report_free(r);
}

/* The bufferbloat risk on both sides of its level (200 ms, at least), and never without a tier. */
static void risks(void)
{
    struct pc_report *r = with_speed(20, 5, 200);

    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD && r->n_risks == 1);
    CHECK(r->n_risks == 1 &&
          strcmp(r->risks[0].text, "HD video now; if someone else uploads or downloads during the "
                                   "session, expect long delays (the line adds 200 ms when "
                                   "full).") == 0);
    pc_report_free(r);
    r = with_speed(20, 5, 199.9);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD && r->n_risks == 0);
    pc_report_free(r);
    /* The tier named is the one reached: SD for a 1.5 Mbit/s download. */
    r = with_speed(1.5, 5, 480);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_SD && r->n_risks == 1 &&
          strncmp(r->risks[0].text, "SD video now; ", 14) == 0);
    pc_report_free(r);
    /* Not ready has nothing to put at risk. */
    r = with_speed(20, 0.05, 480);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE && r->n_risks == 0);
    pc_report_free(r);
    /* A line already full while the check measures idle: the idle figures themselves sink it. */
    r = with_speed(20, 5, 10);
    pc_report_set_num(r, 0, PC_M_RTT_MEDIAN_MS, 520);
    pc_report_set_num(r, 0, PC_M_JITTER_MS, 45);
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 4);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE && r->scopes[0]->limited[PC_M_R_FACTOR]);
    pc_report_free(r);
}

/* The risk in the JSON report (its figure and the level it reached) and under the text's verdict.
 */
static void risks_rendered(void)
{
    struct pc_report *r = with_speed(20, 5, 480);
    struct pc_render_opts o = {0};
    struct pc_buf b = {0};
    cJSON *root, *risk;

    pc_score_report(r, &therapy);
    pc_render_json(r, &o, &b);
    root = cJSON_Parse(b.data);
    CHECK(root != NULL && cJSON_GetArraySize(cJSON_GetObjectItem(root, "risks")) == 1);
    risk = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "risks"), 0);
    CHECK(risk != NULL && strcmp(cJSON_GetObjectItem(risk, "id")->valuestring, "bufferbloat") == 0);
    CHECK(risk != NULL &&
          strcmp(cJSON_GetObjectItem(risk, "metric")->valuestring, "bufferbloat_ms") == 0);
    CHECK(risk != NULL && cJSON_GetObjectItem(risk, "value")->valuedouble == 480);
    CHECK(risk != NULL && cJSON_GetObjectItem(risk, "threshold")->valuedouble == 200);
    CHECK(risk != NULL && strstr(cJSON_GetObjectItem(risk, "advice")->valuestring, "SQM") != NULL);
    cJSON_Delete(root);
    pc_buf_free(&b);
    pc_render_text(r, &o, &b);
    CHECK(b.data != NULL && strncmp(b.data,
                                    "Ready for HD video\n  risk: HD video now; if someone else "
                                    "uploads or downloads during the session, expect long delays "
                                    "(the line adds 480 ms when full). Ask others",
                                    strlen("Ready for HD video\n  risk: HD video now; if someone "
                                           "else uploads or downloads during the session, expect "
                                           "long delays (the line adds 480 ms when full). Ask "
                                           "others")) == 0);
    CHECK(b.data != NULL && strstr(b.data, " [bufferbloat]\n") != NULL);
    pc_buf_free(&b);
    pc_report_free(r);
    /* No risk: an empty list, and no risk line. */
    r = with_speed(20, 5, 10);
    pc_score_report(r, &therapy);
    pc_render_json(r, &o, &b);
    root = cJSON_Parse(b.data);
    CHECK(root != NULL && cJSON_IsArray(cJSON_GetObjectItem(root, "risks")) &&
          cJSON_GetArraySize(cJSON_GetObjectItem(root, "risks")) == 0);
    cJSON_Delete(root);
    pc_buf_free(&b);
    pc_render_text(r, &o, &b);
    CHECK(b.data != NULL && strstr(b.data, "risk:") == NULL);
    pc_buf_free(&b);
    pc_report_free(r);
}

/* One-way loss: 1 - sqrt(1 - L) of the round trip, judged by the media limits on both sides. */
static void oneway_loss(void)
{
    static const struct {
        double rt;
        int tier;
    } cases[] = {
        {1.98, PC_TIER_HD},    {2.00, PC_TIER_SD},    /* 1 % each way is 1.99 % round trip */
        {5.90, PC_TIER_SD},    {5.95, PC_TIER_AUDIO}, /* 3 %: 5.91 % */
        {18.9, PC_TIER_AUDIO}, {19.1, PC_TIER_NONE},  /* 10 %: 19 % */
    };
    struct pc_report *r;

    CHECK_NEAR(pc_emodel_oneway_loss(15.36), 8.0, 1e-9);
    CHECK_NEAR(pc_emodel_oneway_loss(19), 10.0, 1e-9);
    CHECK_NEAR(pc_emodel_oneway_loss(0), 0, 1e-12);
    CHECK_NEAR(pc_emodel_oneway_loss(100), 100, 1e-12);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        r = healthy();
        pc_report_set_num(r, 0, PC_M_LOSS_PCT, cases[i].rt);
        pc_score_report(r, &therapy);
        CHECK(r->scopes[0]->checks[PC_M_LOSS_ONEWAY_PCT].tier == cases[i].tier);
        pc_report_free(r);
    }
    /* The interval and the burst figure the same way; the E-model's loss is one way. */
    r = healthy();
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 15.36);
    pc_report_set_num(r, 0, PC_M_LOSS_LOW_PCT, 4.0);
    pc_report_set_num(r, 0, PC_M_LOSS_HIGH_PCT, 36.0);
    pc_report_set_num(r, 0, PC_M_BURST_LOSS_PCT, 19.0);
    pc_score_report(r, &therapy);
    CHECK_NEAR(pc_report_get(r, 0, PC_M_LOSS_ONEWAY_PCT)->num, 8.0, 1e-9);
    CHECK_NEAR(pc_report_get(r, 0, PC_M_LOSS_ONEWAY_LOW_PCT)->num, 100 * (1 - sqrt(0.96)), 1e-9);
    CHECK_NEAR(pc_report_get(r, 0, PC_M_LOSS_ONEWAY_HIGH_PCT)->num, 20.0, 1e-9);
    CHECK_NEAR(pc_report_get(r, 0, PC_M_BURST_LOSS_ONEWAY_PCT)->num, 10.0, 1e-9);
    /* RTT 30, jitter 3: EL 46, R = 93.2 - 46 / 40 - 2.5 * 8. */
    CHECK_NEAR(pc_report_get(r, 0, PC_M_R_FACTOR)->num, 72.05, 1e-9);
    /* 8 % each way is audio, burst 10 % each way meets SD's 10 %: loss decides. */
    CHECK(r->tier == PC_TIER_AUDIO && !r->scopes[0]->limited[PC_M_BURST_LOSS_ONEWAY_PCT]);
    pc_report_free(r);
    r = healthy();
    pc_report_set_num(r, 0, PC_M_BURST_LOSS_PCT, 19.1); /* 10.05 % each way: misses SD */
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_AUDIO && r->scopes[0]->limited[PC_M_BURST_LOSS_ONEWAY_PCT]);
    CHECK(!r->scopes[0]->checks[PC_M_BURST_LOSS_PCT].gated);
    pc_report_free(r);
}

/* Delay is conversation, not picture: 80 ms each way is HD; a note past G.114's 150 ms. */
static void delay_is_conversation(void)
{
    struct pc_report *r = pc_fixture_path(160, 0, 0, "dns", (const char *)NULL);
    const struct pc_advice *a;

    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD && r->n_advice == 0);
    CHECK_NEAR(pc_report_get(r, 0, PC_M_DELAY_ONEWAY_MS)->num, 80, 1e-9);
    CHECK_NEAR(pc_report_get(r, 0, PC_M_R_FACTOR)->num, 88.2, 1e-9); /* EL 170 */
    pc_report_free(r);
    r = pc_fixture_path(300, 0, 0, "dns", (const char *)NULL); /* 150 ms each way: no note */
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD && pc_advice_find(r, "conversation-delay") == NULL);
    pc_report_free(r);
    r = pc_fixture_path(300.2, 0, 0, "dns", (const char *)NULL);
    pc_score_report(r, &therapy);
    a = pc_advice_find(r, "conversation-delay");
    CHECK(r->tier == PC_TIER_HD && a != NULL && strcmp(a->severity, "info") == 0);
    CHECK(a != NULL && strstr(a->text, "about 150.1 ms to reach the other person (a natural "
                                       "conversation needs <= 150 ms)") != NULL);
    pc_report_free(r);
    /* R below 60 (EL 452.5: RTT 442.5) is not ready; at 60 it is audio at least. */
    r = pc_fixture_path(442.5, 0, 0, "dns", (const char *)NULL);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE && r->scopes[0]->limited[PC_M_R_FACTOR]);
    pc_report_free(r);
    r = pc_fixture_path(441, 0, 0, "dns", (const char *)NULL); /* R 60.1 */
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_HD);
    pc_report_free(r);
}

/* Bandwidth limits from the call's bitrate plus 20 % (docs/thresholds.md), both sides. */
static void bandwidth_edges(void)
{
    static const struct {
        double down, up;
        int tier;
    } cases[] = {
        {1.9, 1.9, PC_TIER_HD},    {1.89, 20, PC_TIER_SD},    {20, 1.89, PC_TIER_SD},
        {0.8, 0.8, PC_TIER_SD},    {0.79, 20, PC_TIER_AUDIO}, {20, 0.79, PC_TIER_AUDIO},
        {20, 0.956, PC_TIER_SD}, /* a 1 Mbit/s line's goodput carries an SD call */
        {0.1, 0.1, PC_TIER_AUDIO}, {0.099, 20, PC_TIER_NONE},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pc_report *r = with_speed(cases[i].down, cases[i].up, 10);

        pc_score_report(r, &therapy);
        CHECK(r->tier == cases[i].tier);
        pc_report_free(r);
    }
}

/* The grade on both sides of every boundary of the profile's scale (below the end: the grade). */
static void grade_boundaries(void)
{
    static const struct {
        double ms;
        const char *grade;
    } cases[] = {{0, "A+"}, {4.9, "A+"},  {5, "A"},   {29.9, "A"},  {30, "B"},  {59.9, "B"},
                 {60, "C"}, {199.9, "C"}, {200, "D"}, {399.9, "D"}, {400, "F"}, {60000, "F"}};
    struct pc_profile p = therapy;

    CHECK(therapy.grade_below_ms[0] == 5 && therapy.grade_below_ms[4] == 400);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *g = pc_derive_grade(&therapy, cases[i].ms);

        CHECK(strcmp(g, cases[i].grade) == 0);
        if (strcmp(g, cases[i].grade) != 0)
            fprintf(stderr, "  %.1f ms: %s, expected %s\n", cases[i].ms, g, cases[i].grade);
    }
    /* The scale is the profile's. */
    p.grade_below_ms[0] = 1;
    CHECK(strcmp(pc_derive_grade(&p, 1), "A") == 0 && strcmp(pc_derive_grade(&p, 0.5), "A+") == 0);
}

/* A partial check never claims a tier a check it did not make could deny: JSON, exit status. */
/* Backlit: the face under 0.6 x the background while the background is over 150 (therapy). */
static void derive_backlit(void)
{
    static const struct {
        double ratio, border;
        int backlit;
    } cases[] = {{0.59, 151, 1}, {0.6, 151, 0}, {0.59, 150, 0}, {0.2, 200, 1}, {0.9, 250, 0}};

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pc_report *r = pc_report_new();
        int cam = pc_report_scope(r, PC_SCOPE_DEVICE, "camera", NULL);
        const struct pc_value *v;

        pc_report_set_num(r, (size_t)cam, PC_M_CAMERA_BACKLIGHT_RATIO, cases[i].ratio);
        pc_report_set_num(r, (size_t)cam, PC_M_CAMERA_BORDER_LUMA, cases[i].border);
        pc_derive_report(r, &therapy);
        v = pc_report_get(r, (size_t)cam, PC_M_CAMERA_BACKLIT);
        CHECK(v->set && v->num == cases[i].backlit);
        pc_report_free(r);
    }
    CHECK(therapy.advice[PC_AL_BACKLIT_RATIO] == 0.6);
    CHECK(therapy.advice[PC_AL_BACKLIT_BORDER_LUMA] == 150);
}

static void partial_claims_nothing_it_did_not_check(void)
{
    struct pc_report *r = healthy();
    struct pc_profile no_speed = therapy;

    /* --skip bandwidth --require hd: download has limits down to audio; no tier is claimed. */
    pc_report_finish(r, pc_report_probe(r, "bandwidth"), PC_STATUS_SKIPPED, "not-selected", "x");
    r->require = PC_TIER_HD;
    pc_score_report(r, &therapy);
    CHECK(r->partial && r->left_out[PC_M_DOWNLOAD_MBPS] && !r->left_out[PC_M_BUFFERBLOAT_MS]);
    CHECK(pc_score_measured_tier(r) == PC_TIER_HD && r->tier == PC_TIER_NONE);
    /* Not ready for what was asked, but what was measured allows audio: 1, not 2 ("not even
     * audio") nor 3 (a verdict was given, on part of the check). */
    CHECK(!pc_report_ready(r) && pc_report_exit_code(r) == 1 && r->reached == PC_TIER_HD);
    CHECK(strcmp(pc_report_status(r), "degraded") == 0 && !r->no_verdict);
    CHECK(strcmp(r->headline, "Partial check: no problem found in what was checked") == 0);
    CHECK(!has_advice(r, "full-hd-possible"));
    pc_report_free(r);

    /*
     * Only an HD-only limit left out (bufferbloat, in a profile that caps by it, as therapy no
     * longer does): SD is claimed, HD is not.
     */
    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++)
        no_speed.has[PC_M_DOWNLOAD_MBPS][t] = no_speed.has[PC_M_UPLOAD_MBPS][t] = 0;
    no_speed.has[PC_M_BUFFERBLOAT_MS][PC_TIER_HD] = 1;
    no_speed.limit[PC_M_BUFFERBLOAT_MS][PC_TIER_HD] = 200;
    r = healthy();
    pc_report_finish(r, pc_report_probe(r, "bandwidth"), PC_STATUS_SKIPPED, "not-selected", "x");
    r->require = PC_TIER_HD;
    pc_score_report(r, &no_speed);
    CHECK(r->partial && r->left_out[PC_M_BUFFERBLOAT_MS] && !r->left_out[PC_M_DOWNLOAD_MBPS]);
    CHECK(r->tier == PC_TIER_SD && !pc_report_ready(r) && pc_report_exit_code(r) == 1);
    r->require = PC_TIER_SD;
    CHECK(pc_report_ready(r) && pc_report_exit_code(r) == 0);
    pc_report_free(r);

    /*
     * A partial check's cause is graded by what was measured (UDP blocked caps at SD: a
     * warning), not by the tier it claims (none).
     */
    r = healthy();
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "udp-blocked", "x");
    pc_report_set_num(r, 0, PC_M_HTTPS_REACHABLE, 1);
    pc_report_finish(r, pc_report_probe(r, "bandwidth"), PC_STATUS_SKIPPED, "not-selected", "x");
    pc_score_report(r, &therapy);
    CHECK(r->partial && pc_score_measured_tier(r) == PC_TIER_SD && r->tier == PC_TIER_NONE);
    CHECK(has_advice(r, "udp-blocked"));
    CHECK(strcmp(pc_advice_find(r, "udp-blocked")->severity, "warning") == 0);
    CHECK(strcmp(r->headline, "Partial check: at best SD video") == 0);
    pc_report_free(r);

    /* A partial check whose measured tier is none: it stays none, with its own headline. */
    r = healthy();
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 25); /* 13.4 % each way */
    pc_report_finish(r, pc_report_probe(r, "bandwidth"), PC_STATUS_SKIPPED, "not-selected", "x");
    pc_score_report(r, &no_speed);
    CHECK(r->partial && pc_score_measured_tier(r) == PC_TIER_NONE && r->tier == PC_TIER_NONE);
    CHECK(strcmp(r->headline, "Not ready") == 0 && pc_report_exit_code(r) == 2);
    CHECK(has_advice(r, "loss-high"));
    pc_report_free(r);
}

/* A build without ALSA: the devices probe ran, no microphone scope: not checked, partial. */
static void build_without_audio(void)
{
    struct pc_report *r = healthy();
    int cam;

    pc_report_probe(r, "devices")->status = PC_STATUS_OK;
    cam = pc_report_scope(r, PC_SCOPE_DEVICE, "camera", "Camera: test");
    pc_report_set_text(r, (size_t)cam, PC_M_CAMERA_STATE, "ok");
    pc_report_set_num(r, (size_t)cam, PC_M_CAMERA_VIDEO_HEIGHT_PX, 720);
    pc_score_report(r, &therapy);
    CHECK(r->partial && r->left_out[PC_M_MIC_PRESENT] && r->left_out[PC_M_MIC_HEARS_SOUND]);
    CHECK(!r->left_out[PC_M_CAMERA_VIDEO_HEIGHT_PX]);
    CHECK(r->tier == PC_TIER_NONE && pc_report_exit_code(r) != 0);
    CHECK(strcmp(r->headline, "Partial check: no problem found in what was checked") == 0);
    CHECK(strcmp(pc_score_verdict_label(PC_TIER_AUDIO), "Audio only") == 0);
    CHECK(strstr(r->headline, "Audio only") == NULL);
    pc_report_free(r);

    /* No microphone found (a build with ALSA): not ready, and whole: nothing to hear with. */
    r = healthy();
    pc_report_probe(r, "devices")->status = PC_STATUS_OK;
    cam = pc_report_scope(r, PC_SCOPE_DEVICE, "microphone", "Microphone (none found)");
    pc_report_set_text(r, (size_t)cam, PC_M_MIC_STATE, "missing");
    pc_report_set_num(r, (size_t)cam, PC_M_MIC_PRESENT, 0);
    pc_report_scope(r, PC_SCOPE_DEVICE, "camera", "Camera: test");
    pc_report_set_num(r, (size_t)cam + 1, PC_M_CAMERA_VIDEO_HEIGHT_PX, 720);
    pc_score_report(r, &therapy);
    CHECK(!r->partial && !r->left_out[PC_M_MIC_HEARS_SOUND]);
    CHECK(strcmp(r->headline, "Not ready: no microphone was found") == 0);
    pc_report_free(r);

    /* With a microphone measured, the check is whole again. */
    r = healthy();
    pc_report_probe(r, "devices")->status = PC_STATUS_OK;
    cam = pc_report_scope(r, PC_SCOPE_DEVICE, "microphone", "Microphone: test");
    pc_report_set_num(r, (size_t)cam, PC_M_MIC_PRESENT, 1);
    pc_report_set_num(r, (size_t)cam, PC_M_MIC_HEARS_SOUND, 1);
    pc_score_report(r, &therapy);
    CHECK(!r->left_out[PC_M_MIC_PRESENT] && !r->left_out[PC_M_MIC_HEARS_SOUND]);
    pc_report_free(r);

    /* UDP blocked: the RTT is judged by udp_reachable, not "not checked". */
    r = healthy();
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
    pc_report_get(r, 0, PC_M_RTT_MEDIAN_MS);
    pc_report_finish(r, pc_report_probe(r, "bandwidth"), PC_STATUS_OK, "", "x");
    pc_report_set_num(r, 0, PC_M_DOWNLOAD_MBPS, 20);
    pc_report_set_num(r, 0, PC_M_UPLOAD_MBPS, 20);
    pc_score_report(r, &therapy);
    CHECK(!r->left_out[PC_M_BUFFERBLOAT_MS]);
    pc_report_free(r);
}

/* Does the text say what only a verdict at that tier could? */
static int praises(const char *text)
{
    return strstr(text, "fast enough") != NULL || strstr(text, "good enough") != NULL ||
           strstr(text, "is fine") != NULL || strstr(text, "works well") != NULL;
}

/* Advice that praises never stands beside a verdict that denies it: over every row. */
static void praise_rows(void)
{
    size_t n;
    const struct pc_rule *rules = pc_advice_rules(&n);
    int praising = 0;

    for (size_t i = 0; i < n; i++) {
        CHECK(praises(rules[i].text) == (rules[i].praises > 0));
        if (rules[i].praises == 0)
            continue;
        praising++;
        /* Each praising row, against every way a verdict falls below the tier it praises. */
        for (int way = 0; way < 5; way++) {
            struct pc_report *r = with_speed(50, 50, 10);

            if (way == 0)
                pc_report_set_num(r, 0, PC_M_LOSS_PCT, 7); /* 3.6 % each way: audio */
            else if (way == 1)
                pc_report_set_num(r, 0, PC_M_UPLOAD_MBPS, 1.5); /* sd */
            else if (way == 2)
                pc_report_set_num(r, 0, PC_M_JITTER_MS, 25); /* sd */
            else if (way == 3)
                pc_report_finish(r, pc_report_probe(r, "devices"), PC_STATUS_SKIPPED,
                                 "not-selected", "x"); /* partial: claims none */
            else
                r->interrupted = 2;
            pc_score_report(r, &therapy);
            CHECK(r->tier < rules[i].praises);
            CHECK(!has_advice(r, rules[i].id));
            pc_report_free(r);
        }
        /* And beside a verdict that claims it, it stands. */
        {
            struct pc_report *r = with_speed(50, 50, 10);

            pc_score_report(r, &therapy);
            CHECK(r->tier >= rules[i].praises && has_advice(r, rules[i].id));
            pc_report_free(r);
        }
    }
    CHECK(praising == 1);
    /* Beside a "No verdict" whose cause is about the run (HD measured, then time ran out). */
    {
        struct pc_report *r = with_speed(50, 50, 10);

        pc_report_finish(r, pc_report_probe(r, "http"), PC_STATUS_FAILED, "time-too-short", "x");
        pc_score_report(r, &therapy);
        CHECK(strncmp(r->headline, "No verdict", 10) == 0);
        CHECK(!has_advice(r, "full-hd-possible"));
        pc_report_free(r);
    }
}

/* Words that tell someone on a cable to move closer to a Wi-Fi router. */
static int wifi_words(const char *text)
{
    return strstr(text, "Wi-Fi router") != NULL || strstr(text, "Wi-Fi signal") != NULL ||
           strstr(text, "use a network cable") != NULL ||
           strstr(text, "using a network cable") != NULL || strstr(text, "Wi-Fi is") != NULL;
}

/* Wired links get no Wi-Fi advice: every row that gives it has a wired alternative before it. */
static void wired_rows(void)
{
    size_t n;
    const struct pc_rule *rules = pc_advice_rules(&n);
    struct pc_report *r;

    for (size_t i = 0; i < n; i++) {
        int wired_first = 0;

        /* The Wi-Fi signal's own rows, and the wired alternatives themselves. */
        if (!wifi_words(rules[i].text) || rules[i].metric == PC_M_WIFI_SIGNAL_DBM ||
            (rules[i].when != NULL && rules[i].when->metric == PC_M_LINK_KIND))
            continue;
        for (size_t k = 0; k < i; k++)
            if (strcmp(rules[k].id, rules[i].id) == 0 && rules[k].when != NULL &&
                rules[k].when->metric == PC_M_LINK_KIND && !wifi_words(rules[k].text))
                wired_first = 1;
        CHECK(wired_first);
        if (!wired_first)
            fprintf(stderr, "  %s gives Wi-Fi advice on a wired link\n", rules[i].id);
    }
    /* Everything wrong at once on a cable: not a word about Wi-Fi. */
    r = with_speed(0.5, 0.5, 10);
    pc_report_set_text(r, 0, PC_M_LINK_KIND, "wired");
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 5);
    pc_report_set_num(r, 0, PC_M_BURST_LOSS_PCT, 30);
    pc_report_set_num(r, 0, PC_M_RTT_MEDIAN_MS, 900);
    pc_report_set_num(r, 0, PC_M_JITTER_MS, 40);
    pc_score_report(r, &therapy);
    CHECK(has_advice(r, "loss-high") && has_advice(r, "burst-loss") &&
          has_advice(r, "latency-high") && has_advice(r, "jitter-high") &&
          has_advice(r, "download-low") && has_advice(r, "upload-low"));
    for (size_t i = 0; i < r->n_advice; i++) {
        CHECK(strstr(r->advice[i].text, "Wi-Fi") == NULL);
        if (strstr(r->advice[i].text, "Wi-Fi") != NULL)
            fprintf(stderr, "  wired: %s\n", r->advice[i].text);
    }
    CHECK(strstr(advice_text(r, "burst-loss"), "wired connection") != NULL);
    pc_report_free(r);
    /* The same on Wi-Fi, or unknown: the Wi-Fi advice is right there. */
    r = healthy();
    pc_report_set_text(r, 0, PC_M_LINK_KIND, "wifi");
    pc_report_set_num(r, 0, PC_M_BURST_LOSS_PCT, 30);
    pc_score_report(r, &therapy);
    CHECK(strstr(advice_text(r, "burst-loss"), "weak Wi-Fi signal") != NULL);
    pc_report_free(r);
    /* On Wi-Fi, or where the link is not known, every such finding gives the Wi-Fi advice. */
    for (int wifi = 0; wifi < 2; wifi++) {
        static const char *const ids[] = {"loss-high", "burst-loss", "jitter-high", "download-low",
                                          "upload-low"};

        r = with_speed(0.5, 0.5, 10);
        if (wifi)
            pc_report_set_text(r, 0, PC_M_LINK_KIND, "wifi");
        pc_report_set_num(r, 0, PC_M_LOSS_PCT, 5);
        pc_report_set_num(r, 0, PC_M_BURST_LOSS_PCT, 30);
        pc_report_set_num(r, 0, PC_M_JITTER_MS, 40);
        pc_score_report(r, &therapy);
        for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
            CHECK(wifi_words(advice_text(r, ids[i])));
            if (!wifi_words(advice_text(r, ids[i])))
                fprintf(stderr, "  %s, link %s: no Wi-Fi advice\n", ids[i],
                        wifi ? "wifi" : "unknown");
        }
        pc_report_free(r);
    }
    /* Offline on a cable: the cable, not Wi-Fi. */
    r = pc_report_new();
    pc_report_probe(r, "udp")->status = PC_STATUS_FAILED;
    pc_report_mark_online(r, 0);
    pc_report_set_text(r, 0, PC_M_LINK_KIND, "wired");
    pc_score_report(r, &therapy);
    CHECK(strstr(advice_text(r, "offline"), "network cable is plugged in") != NULL);
    CHECK(strstr(advice_text(r, "offline"), "Wi-Fi") == NULL);
    pc_report_free(r);
}

/* Words that ask to stop other traffic on the network. */
static int traffic_words(const char *text)
{
    return strstr(text, "ause downloads") != NULL || strstr(text, "pause streaming") != NULL ||
           strstr(text, "Pause cloud") != NULL || strstr(text, "not to download") != NULL;
}

/* Advice about other traffic needs evidence of it: a rise under load, or the speed it takes. */
static void traffic_rows(void)
{
    size_t n;
    const struct pc_rule *rules = pc_advice_rules(&n);
    struct pc_report *r;

    for (size_t i = 0; i < n; i++) {
        int evidence;

        if (!traffic_words(rules[i].text))
            continue;
        evidence = rules[i].metric == PC_M_BUFFERBLOAT_MS ||
                   rules[i].metric == PC_M_DOWNLOAD_MBPS || rules[i].metric == PC_M_UPLOAD_MBPS ||
                   (rules[i].when != NULL && rules[i].when->metric == PC_M_BUFFERBLOAT_MS &&
                    rules[i].when->match == PC_RULE_AT_LEAST);
        CHECK(evidence);
        if (!evidence)
            fprintf(stderr, "  %s asks to pause traffic without evidence of it\n", rules[i].id);
    }
    /* 900 ms idle, no rise under load: no "pause downloads". */
    r = with_speed(20, 20, 0);
    pc_report_set_num(r, 0, PC_M_RTT_MEDIAN_MS, 900);
    pc_score_report(r, &therapy);
    CHECK(has_advice(r, "latency-high") && !traffic_words(advice_text(r, "latency-high")));
    pc_report_free(r);
    /* High idle latency and no load measured at all: none either. */
    r = healthy();
    pc_report_set_num(r, 0, PC_M_RTT_MEDIAN_MS, 900);
    pc_report_set_num(r, 0, PC_M_JITTER_MS, 40);
    pc_score_report(r, &therapy);
    CHECK(!traffic_words(advice_text(r, "latency-high")));
    CHECK(strstr(advice_text(r, "jitter-high"), "pause") == NULL);
    pc_report_free(r);
    /* The level on both sides: a rise of 29.9 ms is no evidence, 30 ms is. */
    r = with_speed(20, 20, 29.9);
    pc_report_set_num(r, 0, PC_M_RTT_MEDIAN_MS, 900);
    pc_score_report(r, &therapy);
    CHECK(!traffic_words(advice_text(r, "latency-high")));
    pc_report_free(r);
    r = with_speed(20, 20, 30);
    pc_report_set_num(r, 0, PC_M_RTT_MEDIAN_MS, 900);
    pc_report_set_num(r, 0, PC_M_JITTER_MS, 40);
    pc_score_report(r, &therapy);
    CHECK(traffic_words(advice_text(r, "latency-high")));
    CHECK(strstr(advice_text(r, "jitter-high"), "pause streaming") != NULL);
    pc_report_free(r);
}

/* Every sentence about time is true. */
static void time_sentences(void)
{
    struct pc_report *r = healthy();

    /* Ctrl-C after download and UDP were measured: the user stopped it, time did not. */
    pc_report_finish(r, pc_report_probe(r, "bandwidth"), PC_STATUS_FAILED, "time-too-short", "x");
    pc_report_set_num(r, 0, PC_M_DOWNLOAD_MBPS, 20);
    r->interrupted = 2;
    pc_score_report(r, &therapy);
    CHECK(!has_advice(r, "time-too-short"));
    for (size_t i = 0; i < r->n_advice; i++)
        CHECK(strstr(r->advice[i].text, "enough time") == NULL);
    CHECK(strcmp(r->headline, "No verdict: the check was interrupted before it finished") == 0);
    pc_report_free(r);

    /* The time limit ended two probes: both named, nothing said about the others. */
    r = healthy();
    pc_report_finish(r, pc_report_probe(r, "http"), PC_STATUS_FAILED, "time-too-short", "x");
    pc_report_finish(r, pc_report_probe(r, "bandwidth"), PC_STATUS_FAILED, "time-too-short", "x");
    pc_score_report(r, &therapy);
    CHECK(strcmp(advice_text(r, "time-too-short"),
                 "The time limit ended the http and bandwidth checks too early to measure. Run "
                 "the check again with a longer time limit (--timeout).") == 0);
    CHECK(strstr(advice_text(r, "time-too-short"), "anything") == NULL);
    pc_report_free(r);

    /* A fault of precall names its check and is no verdict on the network. */
    r = healthy();
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "internal", "x");
    pc_score_report(r, &therapy);
    {
        const char *want = "The udp check failed because of an error inside precall, not because "
                           "of your network.";

        CHECK(strncmp(advice_text(r, "internal"), want, strlen(want)) == 0);
    }
    CHECK(strcmp(r->headline, "No verdict: the udp check failed inside precall") == 0);
    pc_report_free(r);
}

/* Advice a client can act on: no jargon about processor load, on both sides of the level. */
static void cpu_words(void)
{
    struct pc_report *r = healthy();

    pc_report_set_num(r, 0, PC_M_CPU_LOAD_PCT, 127);
    pc_score_report(r, &therapy);
    CHECK(has_advice(r, "cpu-busy"));
    CHECK(strstr(advice_text(r, "cpu-busy"), "%") == NULL);
    CHECK(strstr(advice_text(r, "cpu-busy"), "load") == NULL);
    CHECK(strstr(advice_text(r, "cpu-busy"), "stutter or lag during the call") != NULL);
    pc_report_free(r);
    r = healthy();
    pc_report_set_num(r, 0, PC_M_CPU_LOAD_PCT, 100);
    pc_score_report(r, &therapy);
    CHECK(!has_advice(r, "cpu-busy"));
    pc_report_set_num(r, 0, PC_M_CPU_LOAD_PCT, 100.1);
    pc_score_report(r, &therapy);
    CHECK(has_advice(r, "cpu-busy"));
    pc_report_free(r);
}

/* A STUN server answering garbage is no verdict; duplicated answers are a finding. */
static void hostile_server(void)
{
    struct pc_report *r = pc_report_new();

    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_mark_online(r, 1);
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "answers-unusable", "x");
    pc_report_subject(r, pc_report_probe(r, "udp"), "127.0.0.1 port 3478");
    pc_score_report(r, &therapy);
    CHECK(strcmp(r->headline,
                 "No verdict: the answers of the test server 127.0.0.1 port 3478 could not be "
                 "read") == 0);
    CHECK(strncmp(r->headline, "Not ready", 9) != 0 && strcmp(r->cause, "answers-unusable") == 0);
    pc_report_free(r);

    /* 50 copies of every answer: one line of advice. */
    r = healthy();
    pc_report_set_num(r, 0, PC_M_PROBES_ANSWERED, 290);
    pc_report_set_num(r, 0, PC_M_DUPLICATES, 14500);
    pc_score_report(r, &therapy);
    CHECK(has_advice(r, "duplicates") && r->tier == PC_TIER_HD);
    CHECK(strstr(advice_text(r, "duplicates"), "(14500 copies for 290 answers)") != NULL);
    CHECK(strstr(advice_text(r, "duplicates"), "loop") != NULL);
    CHECK(strcmp(pc_advice_find(r, "duplicates")->severity, "warning") == 0);
    pc_report_free(r);

    /* The level on both sides: 10 % of the answers is not a finding, more is. */
    r = healthy();
    pc_report_set_num(r, 0, PC_M_PROBES_ANSWERED, 300);
    pc_report_set_num(r, 0, PC_M_DUPLICATES, 30);
    pc_score_report(r, &therapy);
    CHECK(!has_advice(r, "duplicates"));
    pc_report_set_num(r, 0, PC_M_DUPLICATES, 31);
    pc_score_report(r, &therapy);
    CHECK(has_advice(r, "duplicates"));
    pc_report_free(r);

    /* Loss and duplicates in the same run: both found, loss first (it costs the tier). */
    r = healthy();
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 9); /* 4.6 % each way */
    pc_report_set_num(r, 0, PC_M_PROBES_ANSWERED, 285);
    pc_report_set_num(r, 0, PC_M_DUPLICATES, 285);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_AUDIO && r->n_advice == 2);
    CHECK(strcmp(r->advice[0].id, "loss-high") == 0 && strcmp(r->advice[1].id, "duplicates") == 0);
    pc_report_free(r);
}

/* Two gating scopes equally bad: the advice names the first, the tier is theirs. */
static void two_scopes_equally_bad(void)
{
    struct pc_report *r = pc_report_new();
    int a, b;

    pc_report_probe(r, "capture")->status = PC_STATUS_OK;
    a = pc_report_scope(r, PC_SCOPE_STREAM, "a", "stream a");
    b = pc_report_scope(r, PC_SCOPE_STREAM, "b", "stream b");
    pc_report_set_num(r, (size_t)a, PC_M_STREAM_LOSS_PCT, 5);
    pc_report_set_num(r, (size_t)b, PC_M_STREAM_LOSS_PCT, 5);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_AUDIO);
    CHECK(r->scopes[a]->limited[PC_M_STREAM_LOSS_PCT] &&
          r->scopes[b]->limited[PC_M_STREAM_LOSS_PCT]);
    CHECK(has_advice(r, "stream-loss") && pc_advice_find(r, "stream-loss")->scope == (size_t)a);
    /* The second worse: it is named. */
    pc_report_set_num(r, (size_t)b, PC_M_STREAM_LOSS_PCT, 11);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE && pc_advice_find(r, "stream-loss")->scope == (size_t)b);
    pc_report_free(r);
}

/* The advice-only levels of the profile, each on both sides. */
static void advice_levels(void)
{
    static const struct {
        enum pc_metric m;
        double off, on; /* just short of the level, just past it */
        const char *id;
    } cases[] = {
        {PC_M_WIFI_SIGNAL_DBM, -67, -67.1, "wifi-weak"},
        {PC_M_WIFI_SIGNAL_DBM, -75, -75.1, "wifi-very-weak"},
        {PC_M_ROOM_NOISE_DBFS, -50, -49.9, "room-noisy"},
        {PC_M_ROOM_NOISE_DBFS, -35, -34.9, "room-very-noisy"},
        {PC_M_CAMERA_LUMA, 70, 69.9, "picture-dark"},
        {PC_M_CAMERA_LUMA, 40, 39.9, "picture-very-dark"},
        {PC_M_CAMERA_LUMA, 200, 200.1, "picture-bright"},
        {PC_M_MIC_CLIPPED_PCT, 0.1, 0.11, "mic-clipping"},
        {PC_M_DNS_MS, 500, 500.1, "dns-slow"},
        {PC_M_TTFB_MS, 1000, 1000.1, "http-slow"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pc_report *r = healthy();
        size_t sc = 0;

        if (cases[i].m == PC_M_ROOM_NOISE_DBFS || cases[i].m == PC_M_CAMERA_LUMA ||
            cases[i].m == PC_M_MIC_CLIPPED_PCT)
            sc = (size_t)pc_report_scope(r, PC_SCOPE_DEVICE, "x", NULL);
        pc_report_set_num(r, sc, cases[i].m, cases[i].off);
        pc_score_report(r, &therapy);
        CHECK(!has_advice(r, cases[i].id));
        pc_report_set_num(r, sc, cases[i].m, cases[i].on);
        pc_score_report(r, &therapy);
        CHECK(has_advice(r, cases[i].id));
        if (!has_advice(r, cases[i].id))
            fprintf(stderr, "  %s not at %g\n", cases[i].id, cases[i].on);
        pc_report_free(r);
    }
    /* Battery: below 20 % and on battery. */
    {
        struct pc_report *r = healthy();

        pc_report_set_num(r, 0, PC_M_ON_BATTERY, 1);
        pc_report_set_num(r, 0, PC_M_BATTERY_PCT, 20);
        pc_score_report(r, &therapy);
        CHECK(!has_advice(r, "battery-low"));
        pc_report_set_num(r, 0, PC_M_BATTERY_PCT, 19.9);
        pc_score_report(r, &therapy);
        CHECK(has_advice(r, "battery-low"));
        pc_report_free(r);
    }
    /* Full HD both ways: at 4.0 Mbit/s, not at 3.99. */
    {
        struct pc_report *r = with_speed(4, 4, 10);

        pc_score_report(r, &therapy);
        CHECK(has_advice(r, "full-hd-possible"));
        pc_report_free(r);
        r = with_speed(3.99, 4, 10);
        pc_score_report(r, &therapy);
        CHECK(!has_advice(r, "full-hd-possible"));
        pc_report_free(r);
    }
    /* A profile's level is the one used. */
    {
        struct pc_profile p = therapy;
        struct pc_report *r = healthy();

        p.advice[PC_AL_DNS_SLOW_MS] = 10;
        pc_score_report(r, &p); /* dns 12 ms */
        CHECK(has_advice(r, "dns-slow"));
        pc_report_free(r);
    }
}

/* Every limit of the profile, on both sides: at the limit meets it, just past it does not. */
static void every_limit_both_sides(void)
{
    int limits = 0;

    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def((enum pc_metric)m);

        for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
            double lim = therapy.limit[m][t], past;

            if (!therapy.has[m][t] || d->kind == PC_KIND_BOOL)
                continue;
            past = d->better == PC_BETTER_LOWER ? lim + fmax(1e-6, fabs(lim) * 1e-9)
                                                : lim - fmax(1e-6, fabs(lim) * 1e-9);
            CHECK(pc_profile_meets(&therapy, (enum pc_metric)m, t, lim));
            CHECK(!pc_profile_meets(&therapy, (enum pc_metric)m, t, past));
            limits++;
        }
    }
    CHECK(limits >= 30);
    /* Through the whole pipeline, the upload limit (SD: 0.8 Mbit/s) and a loss limit. */
    {
        struct pc_report *r = with_speed(20, 0.8, 10);

        pc_score_report(r, &therapy);
        CHECK(r->tier == PC_TIER_SD);
        pc_report_set_num(r, 0, PC_M_UPLOAD_MBPS, 0.799);
        pc_score_report(r, &therapy);
        CHECK(r->tier == PC_TIER_AUDIO && r->scopes[0]->limited[PC_M_UPLOAD_MBPS]);
        pc_report_free(r);
        r = healthy();
        pc_report_set_num(r, 0, PC_M_LOSS_PCT, 5.9); /* 2.99 % each way */
        pc_score_report(r, &therapy);
        CHECK(r->tier == PC_TIER_SD);
        pc_report_set_num(r, 0, PC_M_LOSS_PCT, 5.92); /* 3.005 % each way */
        pc_score_report(r, &therapy);
        CHECK(r->tier == PC_TIER_AUDIO);
        pc_report_free(r);
    }
}

/* Causes and advice are checked data. */
static void causes_and_rules_are_data(void)
{
    size_t n;
    const struct pc_rule *rules = pc_advice_rules(&n);
    FILE *f = fopen(PRECALL_MAN, "r");
    static char man[200000];
    size_t len = f != NULL ? fread(man, 1, sizeof(man) - 1, f) : 0;
    const char *id;

    if (f != NULL)
        fclose(f);
    man[len] = '\0';
    CHECK(len > 0);
    /* Every cause that is a finding has a rule; every other says why it has none. */
    for (int c = 1; c < PC_CAUSE__COUNT; c++) {
        const struct pc_cause_def *d = pc_cause_def((enum pc_cause)c);
        int answered = 0;

        CHECK(d->cause == (enum pc_cause)c && d->id != NULL && d->id[0] != '\0');
        CHECK(pc_cause_find(d->id) == c);
        for (size_t i = 0; i < n; i++)
            answered |= rules[i].match == PC_RULE_CAUSE && rules[i].cause_is == (enum pc_cause)c;
        CHECK(answered != (d->silent != NULL));
        if (answered == (d->silent != NULL))
            fprintf(stderr, "  cause %s: advice %d, silent %s\n", d->id, answered,
                    d->silent ? d->silent : "(null)");
    }
    CHECK(pc_cause_find("nosuch") == -1 && strcmp(pc_cause_id(PC_CAUSE_NONE), "") == 0);
    /* Rules: sorted by rank, alternatives side by side, each complete. */
    for (size_t i = 0; i < n; i++) {
        CHECK(rules[i].id != NULL && rules[i].text != NULL && rules[i].text[0] != '\0');
        if (i > 0)
            CHECK(rules[i - 1].rank <= rules[i].rank);
        for (size_t k = 0; k + 1 < i; k++)
            if (strcmp(rules[k].id, rules[i].id) == 0)
                CHECK(strcmp(rules[i - 1].id, rules[i].id) == 0);
        if (rules[i].match == PC_RULE_CAUSE)
            CHECK(rules[i].cause_is > PC_CAUSE_NONE && rules[i].cause_is < PC_CAUSE__COUNT &&
                  strcmp(rules[i].id, pc_cause_id(rules[i].cause_is)) == 0);
    }
    /* Every advice id is documented in the man page. */
    for (size_t i = 0; (id = pc_advice_id(i)) != NULL; i++) {
        char cm[64];

        snprintf(cm, sizeof(cm), ".Cm %s", id);
        CHECK(strstr(man, cm) != NULL);
        if (strstr(man, cm) == NULL)
            fprintf(stderr, "  advice %s is not in man/precall.1\n", id);
    }
}

int main(void)
{
    struct pc_err err = {0};

    CHECK(pc_profile_load("therapy", &therapy, &err) == 0);
    derive_backlit();
    ready();
    weakest_wins();
    not_measured_never_passes();
    skipped_probe_does_not_gate();
    offline_and_blocked();
    udp_blocked_https_works();
    bandwidth_tiers();
    other_advice();
    bands_are_contiguous();
    scopes();
    one_rule_for_quoting();
    causes();
    partial();
    no_tier_without_evidence();
    severity_and_scope_of_advice();
    covers();
    derive_bufferbloat();
    risks();
    risks_rendered();
    oneway_loss();
    delay_is_conversation();
    bandwidth_edges();
    grade_boundaries();
    partial_claims_nothing_it_did_not_check();
    build_without_audio();
    praise_rows();
    wired_rows();
    traffic_rows();
    time_sentences();
    cpu_words();
    hostile_server();
    two_scopes_equally_bad();
    advice_levels();
    causes_and_rules_are_data();
    every_limit_both_sides();
    return check_done();
}
