/*
 * test_turn_advice.c - the relay check's advice: calls will connect through a
 * measured relay when UDP fails (with its round trip), the udp-blocked advice
 * worded as an assumption only when no relay was given, and saying so when
 * the relay given failed, a relay slower
 * than the direct path said so (both sides of the ratio and of the floor).
 */
#include <string.h>

#include "check.h"
#include "report_fixture.h"
#include "precall/profile.h"
#include "precall/score.h"

static struct pc_profile therapy;

static const struct pc_advice *find(const struct pc_report *r, const char *id)
{
    return pc_advice_find(r, id);
}

static struct pc_report *udp_blocked(int relay, double relay_rtt)
{
    struct pc_report *r = pc_report_new();

    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_probe(r, "http")->status = PC_STATUS_OK;
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "udp-blocked", "blocked");
    pc_report_mark_online(r, 1);
    pc_report_set_num(r, 0, PC_M_HTTPS_REACHABLE, 1);
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
    if (relay >= 0) {
        pc_report_probe(r, "turn")->status = relay ? PC_STATUS_OK : PC_STATUS_FAILED;
        pc_report_set_num(r, 0, PC_M_RELAY_REACHABLE, relay);
        if (relay)
            pc_report_set_num(r, 0, PC_M_RELAY_RTT_MS, relay_rtt);
    }
    pc_score_report(r, &therapy);
    return r;
}

static void relay_when_udp_blocked(void)
{
    struct pc_report *r = udp_blocked(-1, 0);
    const struct pc_advice *a;

    /* No relay given: the assumption, said as one. */
    a = find(r, "udp-blocked");
    CHECK(a && strstr(a->text, "calls will use a relay") &&
          strstr(a->text, "assumed, not measured"));
    CHECK(!find(r, "relay-works"));
    CHECK(r->tier == PC_TIER_SD);
    pc_report_free(r);

    /* A relay measured: no assumption, and the relay's round trip. */
    r = udp_blocked(1, 23.46);
    a = find(r, "udp-blocked");
    CHECK(a && !strstr(a->text, "assumed") && strstr(a->text, "was checked and works"));
    a = find(r, "relay-works");
    CHECK(a &&
          strstr(a->text, "calls will connect through the relay, with a round trip of 23.5 ms"));
    CHECK(r->tier == PC_TIER_HD); /* the relay's figures decide (test_turn_advice's relay_tier) */
    pc_report_free(r);

    /* A relay given that failed: no assumption of a relay, no relay-works. */
    r = udp_blocked(0, 0);
    a = find(r, "udp-blocked");
    CHECK(a && !strstr(a->text, "assumed") && strstr(a->text, "could not be used"));
    CHECK(!find(r, "relay-works"));
    pc_report_free(r);
}

/* relay_rtt / rtt_median above 150 %, and the relay's at least 30 ms. */
static void relay_slower(void)
{
    static const struct {
        double direct, relay;
        int said;
    } v[] = {
        {30, 45, 0},   /* exactly 150 %: not above */
        {30, 45.1, 1}, /* just above */
        {30, 60, 1},   /* twice */
        {19, 29.9, 0}, /* 157 %, but under 30 ms */
        {19, 30, 1},   /* 158 % at 30 ms */
        {40, 30, 0},   /* the relay faster */
    };

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct pc_report *r = pc_fixture_path(v[i].direct, 2, 0, "dns", (const char *)NULL);
        const struct pc_advice *a;

        pc_report_set_num(r, 0, PC_M_DNS_MS, 12);
        pc_report_set_num(r, 0, PC_M_RELAY_REACHABLE, 1);
        pc_report_set_num(r, 0, PC_M_RELAY_RTT_MS, v[i].relay);
        pc_score_report(r, &therapy);
        a = find(r, "relay-slower");
        CHECK((a != NULL) == v[i].said);
        if ((a != NULL) != v[i].said)
            fprintf(stderr, "  direct %g relay %g: relay-slower %s\n", v[i].direct, v[i].relay,
                    a ? "said" : "not said");
        CHECK(!find(r, "relay-works")); /* UDP works: nothing to fall back from */
        pc_report_free(r);
    }
    {
        struct pc_report *r = pc_fixture_path(30, 2, 0, "dns", (const char *)NULL);
        const struct pc_advice *a;

        pc_report_set_num(r, 0, PC_M_RELAY_RTT_MS, 75);
        pc_score_report(r, &therapy);
        a = find(r, "relay-slower");
        CHECK(a && strstr(a->text, "a round trip of 75.0 ms to the relay against 30 ms"));
        pc_report_free(r);
    }
}

/*
 * UDP blocked and a relay checked: the relay stands in for the direct path
 * (src/core/score.c). Its figures judged by the direct limits of the therapy
 * profile, each on both sides: jitter hd 20 / sd 30 / audio 100, one-way loss
 * hd 1 / sd 3 / audio 10, round trip audio 800.
 */
static struct pc_report *relayed(double rtt, double jitter, double loop_loss, double oneway_loss)
{
    struct pc_report *r = pc_report_new();

    pc_report_probe(r, "dns")->status = PC_STATUS_OK;
    pc_report_probe(r, "http")->status = PC_STATUS_OK;
    pc_report_probe(r, "turn")->status = PC_STATUS_OK;
    pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "udp-blocked", "blocked");
    pc_report_mark_online(r, 1);
    pc_report_set_num(r, 0, PC_M_HTTPS_REACHABLE, 1);
    pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
    pc_report_set_num(r, 0, PC_M_RELAY_REACHABLE, 1);
    pc_report_set_text(r, 0, PC_M_RELAY_TRANSPORT, "tls");
    pc_report_set_num(r, 0, PC_M_RELAY_RTT_MS, rtt);
    pc_report_set_num(r, 0, PC_M_RELAY_JITTER_MS, jitter);
    pc_report_set_num(r, 0, PC_M_RELAY_LOSS_PCT, loop_loss);
    pc_report_set_num(r, 0, PC_M_RELAY_LOSS_ONEWAY_PCT, oneway_loss);
    pc_score_report(r, &therapy);
    return r;
}

static void relay_tier(void)
{
    static const struct {
        double rtt, jitter, loop_loss, oneway_loss;
        int tier;
    } v[] = {
        {23.5, 5, 0, 0, PC_TIER_HD},          /* a good relay: HD, no "SD at best" */
        {23.5, 20, 0, 0, PC_TIER_HD},         /* jitter at hd's limit */
        {23.5, 20.01, 0, 0, PC_TIER_SD},      /* just over it */
        {23.5, 30, 0, 0, PC_TIER_SD},         /* at sd's */
        {23.5, 30.01, 0, 0, PC_TIER_AUDIO},   /* over it */
        {23.5, 100, 0, 0, PC_TIER_AUDIO},     /* at audio's */
        {23.5, 100.01, 0, 0, PC_TIER_NONE},   /* over it */
        {23.5, 5, 3.9, 1, PC_TIER_HD},        /* one-way loss at hd's limit (the loop's 3.9) */
        {23.5, 5, 4.0, 1.01, PC_TIER_SD},     /* just over it */
        {23.5, 5, 11.5, 3, PC_TIER_SD},       /* at sd's: the loop's 11.5 % is not judged */
        {23.5, 5, 11.6, 3.01, PC_TIER_AUDIO}, /* over it */
        {23.5, 5, 34, 10, PC_TIER_AUDIO},     /* at audio's */
        {23.5, 5, 34.1, 10.01, PC_TIER_NONE}, /* over it */
        {800, 5, 0, 0, PC_TIER_HD},           /* round trip at audio's limit */
        {800.01, 5, 0, 0, PC_TIER_NONE},      /* over it */
    };

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct pc_report *r = relayed(v[i].rtt, v[i].jitter, v[i].loop_loss, v[i].oneway_loss);
        const struct pc_scope *s = r->scopes[0];

        CHECK(r->tier == v[i].tier);
        if (r->tier != v[i].tier)
            fprintf(stderr, "  rtt %g jitter %g loss %g/%g: tier %d, expected %d\n", v[i].rtt,
                    v[i].jitter, v[i].loop_loss, v[i].oneway_loss, r->tier, v[i].tier);
        /* udp_reachable gives way; the relay's figures are the checks. */
        CHECK(!s->checks[PC_M_UDP_REACHABLE].gated && !s->limited[PC_M_UDP_REACHABLE]);
        CHECK(s->checks[PC_M_RELAY_REACHABLE].gated &&
              s->checks[PC_M_RELAY_REACHABLE].tier == PC_TIER_HD);
        CHECK(s->checks[PC_M_RELAY_JITTER_MS].gated && s->checks[PC_M_RELAY_RTT_MS].gated &&
              s->checks[PC_M_RELAY_LOSS_ONEWAY_PCT].gated);
        CHECK(!s->checks[PC_M_RELAY_LOSS_PCT].gated);
        CHECK(s->checks[PC_M_RELAY_JITTER_MS].threshold[PC_TIER_HD] == 20);
        CHECK(pc_report_exit_code(r) == (v[i].tier >= PC_TIER_SD      ? 0
                                         : v[i].tier == PC_TIER_AUDIO ? 1
                                                                      : 2));
        if (v[i].tier < PC_TIER_HD)
            CHECK(r->cause[0] == '\0' || v[i].tier == PC_TIER_NONE);
        CHECK(find(r, "relay-works") != NULL);
        pc_report_free(r);
    }

    /* The verdict names what limits it: the relay's jitter, not UDP. */
    {
        struct pc_report *r = relayed(23.5, 25, 0, 0);

        CHECK(r->tier == PC_TIER_SD && r->scopes[0]->limited[PC_M_RELAY_JITTER_MS]);
        CHECK(strcmp(r->headline, "Video will work at reduced quality") == 0);
        pc_report_free(r);
    }

    /* UDP works: the relay's figures are the fallback's, not the verdict's. */
    {
        struct pc_report *r = pc_fixture_path(30, 3, 0, "dns", (const char *)NULL);

        pc_report_set_num(r, 0, PC_M_DNS_MS, 12);
        pc_report_probe(r, "turn")->status = PC_STATUS_OK;
        pc_report_set_num(r, 0, PC_M_RELAY_REACHABLE, 1);
        pc_report_set_num(r, 0, PC_M_RELAY_RTT_MS, 900);
        pc_report_set_num(r, 0, PC_M_RELAY_JITTER_MS, 150);
        pc_report_set_num(r, 0, PC_M_RELAY_LOSS_ONEWAY_PCT, 20);
        pc_score_report(r, &therapy);
        CHECK(r->tier == PC_TIER_HD);
        CHECK(!r->scopes[0]->checks[PC_M_RELAY_JITTER_MS].gated);
        CHECK(!r->scopes[0]->checks[PC_M_RELAY_REACHABLE].gated);
        CHECK(r->scopes[0]->checks[PC_M_UDP_REACHABLE].gated);
        pc_report_free(r);
    }
}

/* UDP blocked and every relay given failed: Not ready, the relay's cause first. */
static void relay_failed_not_ready(void)
{
    static const struct {
        const char *cause, *headline;
        int exit_code;
    } v[] = {
        {"relay-unreachable", "Not ready: the relay could not be reached", 2},
        {"relay-tls", "Not ready: the secure connection to the relay failed", 2},
        {"relay-credentials", "No verdict: the relay refused the user name or password", 3},
    };

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct pc_report *r = pc_report_new();
        const struct pc_advice *a;

        pc_report_probe(r, "dns")->status = PC_STATUS_OK;
        pc_report_probe(r, "http")->status = PC_STATUS_OK;
        pc_report_finish(r, pc_report_probe(r, "udp"), PC_STATUS_FAILED, "udp-blocked", "x");
        pc_report_finish(r, pc_report_probe(r, "turn"), PC_STATUS_FAILED, v[i].cause, "x");
        pc_report_mark_online(r, 1);
        pc_report_set_num(r, 0, PC_M_HTTPS_REACHABLE, 1);
        pc_report_set_num(r, 0, PC_M_UDP_REACHABLE, 0);
        pc_report_set_num(r, 0, PC_M_RELAY_REACHABLE, 0);
        pc_score_report(r, &therapy);
        CHECK(r->tier == PC_TIER_NONE);
        CHECK(strcmp(r->cause, v[i].cause) == 0);
        CHECK(strcmp(r->headline, v[i].headline) == 0);
        if (strcmp(r->headline, v[i].headline) != 0)
            fprintf(stderr, "  %s: headline '%s'\n", v[i].cause, r->headline);
        CHECK(pc_report_exit_code(r) == v[i].exit_code);
        CHECK(r->scopes[0]->checks[PC_M_RELAY_REACHABLE].gated &&
              r->scopes[0]->checks[PC_M_RELAY_REACHABLE].tier == PC_TIER_NONE);
        a = find(r, "udp-blocked");
        CHECK(a && strstr(a->text, "could not be used") && a->cause[0] == '\0');
        CHECK(find(r, v[i].cause) != NULL && !find(r, "relay-works"));
        pc_report_free(r);
    }
}

int main(void)
{
    struct pc_err err = {0};

    if (pc_profile_load("therapy", &therapy, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    relay_when_udp_blocked();
    relay_slower();
    relay_tier();
    relay_failed_not_ready();
    return check_done();
}
