/*
 * advice.c - findings turned into ranked, plain-language advice.
 *
 * Each rule has a stable identifier, a rank (the most effective fix first)
 * and a test on the scored report; its text is written for a person who is
 * not technical and says what to do, not what is wrong inside the network.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/score.h"

#define DNS_SLOW_MS 500.0 /* a lookup slower than this delays joining a call */

struct finding {
    double value, threshold;
    int metric;
};

struct rule {
    const char *id;
    int rank;
    int (*applies)(const struct pc_report *r, const struct pc_profile *p, struct finding *f);
    void (*write)(char *buf, size_t cap, const struct finding *f);
};

static int value_is(const struct pc_report *r, enum pc_metric m, double v)
{
    return r->values[m].set && r->values[m].num == v;
}

/* The metric misses the HD limit: report value and the HD threshold. */
static int misses_hd(const struct pc_report *r, const struct pc_profile *p, enum pc_metric m,
                     struct finding *f)
{
    if (!r->values[m].set || !p->has[m][PC_TIER_HD])
        return 0;
    if (pc_profile_meets(p, m, PC_TIER_HD, r->values[m].num))
        return 0;
    f->metric = m;
    f->value = r->values[m].num;
    f->threshold = p->limit[m][PC_TIER_HD];
    return 1;
}

static int offline(const struct pc_report *r, const struct pc_profile *p, struct finding *f)
{
    (void)p;
    f->metric = PC_M_ONLINE;
    return value_is(r, PC_M_ONLINE, 0);
}

static void offline_text(char *buf, size_t cap, const struct finding *f)
{
    (void)f;
    snprintf(buf, cap,
             "This computer is not connected to the internet. Check that Wi-Fi is turned on and "
             "connected (or that the network cable is plugged in), then run the check again.");
}

static int udp_blocked(const struct pc_report *r, const struct pc_profile *p, struct finding *f)
{
    (void)p;
    f->metric = PC_M_UDP_REACHABLE;
    return value_is(r, PC_M_UDP_REACHABLE, 0) && !value_is(r, PC_M_ONLINE, 0);
}

static void udp_blocked_text(char *buf, size_t cap, const struct finding *f)
{
    (void)f;
    snprintf(buf, cap,
             "This network blocks the kind of traffic video calls use (UDP). On a work, school "
             "or public network, ask its administrator to allow video calls; otherwise try "
             "another network, such as your home Wi-Fi or a phone hotspot.");
}

static int dns_failed(const struct pc_report *r, const struct pc_profile *p, struct finding *f)
{
    const struct pc_probe_result *dns = pc_report_probe_find(r, "dns");

    (void)p;
    (void)f;
    return dns != NULL && dns->status == PC_STATUS_FAILED && !value_is(r, PC_M_ONLINE, 0);
}

static void dns_failed_text(char *buf, size_t cap, const struct finding *f)
{
    (void)f;
    snprintf(buf, cap,
             "The addresses of the call servers could not be looked up. Restart your router; "
             "if that does not help, ask whoever runs your network to check its DNS settings.");
}

static int loss_high(const struct pc_report *r, const struct pc_profile *p, struct finding *f)
{
    return misses_hd(r, p, PC_M_LOSS_PCT, f);
}

static void loss_high_text(char *buf, size_t cap, const struct finding *f)
{
    snprintf(buf, cap,
             "%.1f%% of test packets were lost (HD video needs %.0f%% or less), which makes "
             "video freeze and voices break up. Use a network cable or move closer to your "
             "Wi-Fi router, and restart the router; if it goes on, call your internet provider.",
             f->value, f->threshold);
}

static int burst_loss(const struct pc_report *r, const struct pc_profile *p, struct finding *f)
{
    return misses_hd(r, p, PC_M_BURST_LOSS_PCT, f);
}

static void burst_loss_text(char *buf, size_t cap, const struct finding *f)
{
    snprintf(buf, cap,
             "Packets were lost in bursts (%.0f%% within a fifth of a second), which freezes the "
             "picture. This usually comes from a weak Wi-Fi signal: use a network cable or move "
             "closer to the router.",
             f->value);
}

static int latency_high(const struct pc_report *r, const struct pc_profile *p, struct finding *f)
{
    return misses_hd(r, p, PC_M_RTT_MEDIAN_MS, f);
}

static void latency_high_text(char *buf, size_t cap, const struct finding *f)
{
    snprintf(buf, cap,
             "The connection is slow to respond (%.1f ms; HD video needs %.0f ms or less), so "
             "you may talk over each other. Pause downloads, backups and streaming on your "
             "network, and use a network cable if you can.",
             f->value, f->threshold);
}

static int jitter_high(const struct pc_report *r, const struct pc_profile *p, struct finding *f)
{
    return misses_hd(r, p, PC_M_JITTER_MS, f);
}

static void jitter_high_text(char *buf, size_t cap, const struct finding *f)
{
    snprintf(buf, cap,
             "The connection's delay keeps changing (%.1f ms of jitter; HD video needs %.0f ms "
             "or less), which makes sound choppy. Ask others on your network to pause streaming "
             "and games during your session, and use a network cable if you can.",
             f->value, f->threshold);
}

static int dns_slow(const struct pc_report *r, const struct pc_profile *p, struct finding *f)
{
    (void)p;
    if (!r->values[PC_M_DNS_MS].set || r->values[PC_M_DNS_MS].num <= DNS_SLOW_MS)
        return 0;
    f->metric = PC_M_DNS_MS;
    f->value = r->values[PC_M_DNS_MS].num;
    f->threshold = DNS_SLOW_MS;
    return 1;
}

static void dns_slow_text(char *buf, size_t cap, const struct finding *f)
{
    snprintf(buf, cap,
             "Looking up server addresses is slow (%.0f ms), so joining a call may take longer. "
             "Restarting your router often fixes this.",
             f->value);
}

static int nat_symmetric(const struct pc_report *r, const struct pc_profile *p, struct finding *f)
{
    (void)p;
    f->metric = PC_M_NAT_MAPPING;
    return r->values[PC_M_NAT_MAPPING].set &&
           strcmp(r->values[PC_M_NAT_MAPPING].text, "address-dependent") == 0;
}

static void nat_symmetric_text(char *buf, size_t cap, const struct finding *f)
{
    (void)f;
    snprintf(buf, cap,
             "Your router gives each server a different address for this computer, so the call "
             "may have to go through a relay, which adds delay. If calls fail to connect, ask "
             "whoever runs your network to allow direct video calls.");
}

static const struct rule rules[] = {
    {"offline", 0, offline, offline_text},
    {"udp-blocked", 10, udp_blocked, udp_blocked_text},
    {"dns-failed", 20, dns_failed, dns_failed_text},
    {"loss-high", 30, loss_high, loss_high_text},
    {"burst-loss", 35, burst_loss, burst_loss_text},
    {"latency-high", 40, latency_high, latency_high_text},
    {"jitter-high", 50, jitter_high, jitter_high_text},
    {"dns-slow", 60, dns_slow, dns_slow_text},
    {"nat-symmetric", 70, nat_symmetric, nat_symmetric_text},
};

static const char *severity(const struct pc_report *r, int metric)
{
    int tier;

    if (metric < 0 || !r->checks[metric].gated)
        return "info";
    tier = r->checks[metric].tier;
    if (tier <= PC_TIER_NONE)
        return "critical";
    if (tier < r->require)
        return "warning";
    return "info";
}

void pc_advice_build(struct pc_report *r, const struct pc_profile *p)
{
    r->n_advice = 0;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        struct finding f = {NAN, NAN, -1};
        struct pc_advice *a;

        if (r->n_advice >= PC_ADVICE_MAX || !rules[i].applies(r, p, &f))
            continue;
        a = &r->advice[r->n_advice++];
        a->id = rules[i].id;
        a->rank = rules[i].rank;
        a->metric = f.metric;
        a->value = f.value;
        a->threshold = f.threshold;
        a->severity = severity(r, f.metric);
        rules[i].write(a->text, sizeof(a->text), &f);
    }
}
