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

int main(void)
{
    struct pc_err err = {0};

    if (pc_profile_load("therapy", &therapy, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    relay_when_udp_blocked();
    relay_slower();
    return check_done();
}
