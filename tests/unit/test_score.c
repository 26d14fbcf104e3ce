/* test_score.c - tiers, the weakest-metric verdict, "not measured", limits, advice. */
#include <math.h>
#include <signal.h>
#include <string.h>

#include "check.h"
#include "precall/emodel.h"
#include "precall/probe.h"
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
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 1);
    pc_report_set_num(r, 0, PC_M_RTT_MEDIAN_MS, 30);
    pc_report_set_num(r, 0, PC_M_JITTER_MS, 3);
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 0);
    pc_report_set_num(r, 0, PC_M_BURST_LOSS_PCT, 0);
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

    pc_report_set_num(r, 0, PC_M_JITTER_MS, 27);      /* sd */
    pc_report_set_num(r, 0, PC_M_RTT_MEDIAN_MS, 300); /* audio */
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_AUDIO);
    CHECK(r->scopes[0]->limited[PC_M_RTT_MEDIAN_MS]);
    CHECK(!r->scopes[0]->limited[PC_M_JITTER_MS]);
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
    CHECK(a != NULL && strstr(a->text, "1.5 Mbit/s; HD video needs >= 2.5 Mbit/s") != NULL);
    pc_report_free(r);

    r = with_speed(20, 0.05, 10);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_NONE && pc_advice_find(r, "upload-low") != NULL);
    CHECK(strcmp(pc_advice_find(r, "upload-low")->severity, "critical") == 0);
    pc_report_free(r);

    /* Bufferbloat caps at SD, with the router hint. */
    r = with_speed(20, 5, 450);
    pc_score_report(r, &therapy);
    CHECK(r->tier == PC_TIER_SD && r->scopes[0]->limited[PC_M_BUFFERBLOAT_MS]);
    a = pc_advice_find(r, "bufferbloat");
    CHECK(a != NULL && strstr(a->text, "fq_codel or CAKE") != NULL);
    pc_report_free(r);

    /* A loaded phase is shown for comparison: its 500 ms RTT does not gate (bufferbloat does). */
    r = with_speed(20, 5, 10);
    dl = pc_report_scope(r, PC_SCOPE_PHASE, "download", NULL);
    pc_report_scope_compare(r, (size_t)dl);
    pc_report_set_num(r, (size_t)dl, PC_M_RTT_MEDIAN_MS, 500);
    pc_score_report(r, &therapy);
    CHECK(!r->scopes[dl]->gates && r->scopes[dl]->tier == PC_TIER_NONE);
    CHECK(r->tier == PC_TIER_HD);
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

            pc_report_set_num(r, 0, m, v);
            pc_score_report(r, &therapy);
            t = r->scopes[0]->checks[m].tier;
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
    pc_report_set_num(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, 300); /* audio, but does not gate */
    pc_report_set_num(r, (size_t)srv, PC_M_JITTER_MS, 1);
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

    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 8.3); /* audio: the next tier is SD, 3 % */
    pc_score_report(r, &therapy);
    a = advice_of(r, "loss-high");
    CHECK(a != NULL && a->threshold == 3);
    CHECK(a != NULL && strstr(a->text, "8.3 % of test packets were lost (SD video needs <= 3 %)"));
    CHECK(pc_score_next_tier(&r->scopes[0]->checks[PC_M_LOSS_PCT]) == PC_TIER_SD);
    CHECK(a != NULL && strcmp(a->severity, "warning") == 0);
    CHECK(strcmp(pc_score_mark(&r->scopes[0]->checks[PC_M_LOSS_PCT]), "warn") == 0);
    pc_report_free(r);

    r = healthy();
    pc_report_set_num(r, 0, PC_M_LOSS_PCT, 57); /* none: the next tier is audio, 10 % */
    pc_score_report(r, &therapy);
    a = advice_of(r, "loss-high");
    CHECK(a != NULL && a->threshold == 10 && strcmp(a->severity, "critical") == 0);
    CHECK(strcmp(pc_score_mark(&r->scopes[0]->checks[PC_M_LOSS_PCT]), "FAIL") == 0);
    /* A tier of none names its cause: the limiting metric. */
    CHECK(r->scopes[0]->limited[PC_M_LOSS_PCT]);
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
    CHECK(strcmp(r->headline, "No verdict: the time limit was too short to measure") == 0);
    CHECK(r->tier == PC_TIER_NONE && !pc_report_ready(r) && pc_report_exit_code(r) == 2);
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

    /* Nothing checked: the prefix on "No verdict" too. */
    r = pc_report_new();
    r->covers = "Devices";
    pc_score_report(r, &therapy);
    CHECK(strcmp(r->headline, "Devices: no verdict: nothing was checked") == 0);
    pc_report_free(r);
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
    return check_done();
}
