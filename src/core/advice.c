/*
 * advice.c - findings turned into ranked, plain-language advice.
 *
 * Each rule is a row: a stable identifier, a rank (the most effective fix
 * first), what it matches in the scored report, the cause it names in the
 * headline, and its text, written for a person who is not technical and
 * saying what to do. Advice about the user's network comes only from
 * evidence about it: a probe's cause identifier, or a measured value.
 *
 * Texts are templates: {value} the measured value, {limit} the limit the
 * check line quotes (the tier above the one reached), {tier} that tier,
 * {subject} what a probe's cause is about, {scope} where it was seen.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "precall/score.h"

enum match {
    CAUSE,    /* a probe finished with this cause */
    MISS,     /* a metric missed the HD limit in some gating scope */
    ABOVE,    /* a value above a fixed level (advice only) */
    AT_LEAST, /* a value at or above a fixed level (advice only) */
    TEXT_IS,  /* a text value equals the string */
    VALUE_IS  /* a value equals the number */
};

/* A further condition on a run value: AT_LEAST or VALUE_IS a number. */
struct cond {
    enum pc_metric metric;
    enum match match;
    double level;
};

struct rule {
    const char *id;
    int rank;
    enum match match;
    int metric;        /* MISS, ABOVE, TEXT_IS, VALUE_IS */
    const char *arg;   /* CAUSE: the cause identifier; TEXT_IS: the text */
    double level;      /* ABOVE, VALUE_IS */
    int network;       /* the cause is about the network (1) or only the run (0) */
    const char *cause; /* what the headline names, NULL for none */
    const char *text;
    const struct cond *when; /* NULL, or must hold too; rows sharing an id are
                                alternatives: the first that matches is used */
};

#define HTTP_SLOW_MS 1000.0 /* a first answer slower than this delays joining a call */
#define FULL_HD_MBPS 4.0    /* 1080p possible both ways (THRESHOLDS) */

static const struct cond https_works = {PC_M_HTTPS_REACHABLE, VALUE_IS, 1};
static const struct cond upload_full_hd = {PC_M_UPLOAD_MBPS, AT_LEAST, FULL_HD_MBPS};

#define DNS_SLOW_MS 500.0 /* a lookup slower than this delays joining a call */

static const struct rule rules[] = {
    {"time-too-short", 0, CAUSE, -1, "time-too-short", 0, 0,
     "the time limit was too short to measure",
     "The check did not have enough time to measure anything. Run it again with more time, "
     "for example 'precall --timeout 20'.",
     NULL},
    {"offline", 1, VALUE_IS, PC_M_ONLINE, NULL, 0, 1, "no internet connection",
     "This computer is not connected to the internet. Check that Wi-Fi is turned on and "
     "connected (or that the network cable is plugged in), then run the check again.",
     NULL},
    {"no-ipv6", 2, CAUSE, -1, "no-ipv6", 0, 1, "this network has no IPv6 connection",
     "The check was asked to use IPv6 only (-6), but this network has no IPv6 connection. "
     "Run it without -6: video calls work over IPv4.",
     NULL},
    {"no-ipv4", 2, CAUSE, -1, "no-ipv4", 0, 1, "this network has no IPv4 connection",
     "The check was asked to use IPv4 only (-4), but this network has no IPv4 connection. "
     "Run it without -4.",
     NULL},
    {"name-not-found", 3, CAUSE, -1, "name-not-found", 0, 1,
     "the server name {subject} does not exist",
     "The server name {subject} does not exist. Check how it is spelled where it was given "
     "(--stun); this is not a problem with your network.",
     NULL},
    {"port-closed", 4, CAUSE, -1, "port-closed", 0, 1,
     "nothing answers on the test server's port ({subject})",
     "The test server {subject} refused the test: nothing is listening on that port. Check "
     "the address and port given with --stun; this is not a problem with your network.",
     NULL},
    {"answers-unusable", 5, CAUSE, -1, "answers-unusable", 0, 1,
     "the test server's answers could not be read ({subject})",
     "The test server {subject} answered, but in a form precall cannot read, so nothing "
     "could be measured. Try another STUN server with --stun; this does not show a problem "
     "with your network.",
     NULL},
    {"udp-blocked", 10, CAUSE, -1, "udp-blocked", 0, 1, NULL,
     "This network blocks the direct kind of traffic video calls prefer (UDP), so calls will "
     "use a relay over secure web traffic instead: they will work, but at reduced quality and "
     "with more delay. On a work, school or public network, ask its administrator to allow "
     "video calls (UDP); at home, check your router's firewall settings.",
     .when = &https_works},
    {"udp-blocked", 10, CAUSE, -1, "udp-blocked", 0, 1, "UDP is blocked on this network",
     "This network blocks the kind of traffic video calls use (UDP). On a work, school or "
     "public network, ask its administrator to allow video calls; otherwise try another "
     "network, such as your home Wi-Fi or a phone hotspot.",
     NULL},
    {"server-stopped", 15, CAUSE, -1, "server-stopped", 0, 1, "the test server stopped answering",
     "The test server stopped answering in the middle of the check, as if the connection "
     "dropped out. Restart your router and run the check again; if it happens again, call "
     "your internet provider.",
     NULL},
    {"server-unreachable", 16, CAUSE, -1, "server-unreachable", 0, 1,
     "the speed-test server could not be reached ({subject})",
     "The speed-test server {subject} could not be reached, so the speed of your connection "
     "could not be measured. If you chose the server (--server), check its address; "
     "otherwise this network may block secure web traffic: try another network, such as a "
     "phone hotspot.",
     NULL},
    {"tls-failed", 17, CAUSE, -1, "tls-failed", 0, 0,
     "the speed-test server's identity could not be verified ({subject})",
     "The speed-test server {subject} could not prove who it is, so no test was sent to it. "
     "If you run your own server, give its certificate authority with --cacert; on a public "
     "Wi-Fi that shows a sign-in page, sign in first, then run the check again.",
     NULL},
    {"server-error", 18, CAUSE, -1, "server-error", 0, 0,
     "the speed-test server did not work properly ({subject})",
     "The speed-test server {subject} did not answer the test properly, so the speed of your "
     "connection could not be measured. This is a problem with the server, not with your "
     "network: try again later, or another server with --server.",
     NULL},
    {"dns-failed", 20, CAUSE, -1, "dns-failed", 0, 1, "server names could not be looked up",
     "The addresses of the call servers could not be looked up. Restart your router; if that "
     "does not help, ask whoever runs your network to check its DNS settings.",
     NULL},
    {"upload-low", 25, MISS, PC_M_UPLOAD_MBPS, NULL, 0, 1, NULL,
     "Your connection sends slowly ({value}; {tier} needs {limit}), so your picture may look "
     "blurry or freeze for the other person. Pause cloud backups, uploads and other video "
     "calls on your network, and use a network cable or move closer to the Wi-Fi router; if "
     "it stays slow, ask your internet provider about a faster upload speed.",
     NULL},
    {"download-low", 26, MISS, PC_M_DOWNLOAD_MBPS, NULL, 0, 1, NULL,
     "Your connection receives slowly ({value}; {tier} needs {limit}), so the other person's "
     "picture may look blurry or freeze. Pause downloads, streaming and updates on your "
     "network, and use a network cable or move closer to the Wi-Fi router; if it stays slow, "
     "ask your internet provider about a faster plan.",
     NULL},
    {"bufferbloat", 28, MISS, PC_M_BUFFERBLOAT_MS, NULL, 0, 1, NULL,
     "When your connection is busy, its delay grows by {value} ({tier} needs {limit}), so "
     "anyone downloading or uploading during your session makes the call lag. In your "
     "router's settings, turn on smart queue management (SQM, also called fq_codel or CAKE), "
     "or ask others on your network not to download or upload during the session.",
     NULL},
    {"loss-high", 30, MISS, PC_M_LOSS_PCT, NULL, 0, 1, NULL,
     "{value} of test packets were lost{scope} ({tier} needs {limit}), which makes video "
     "freeze and voices break up. Use a network cable or move closer to your Wi-Fi router, "
     "and restart the router; if it goes on, call your internet provider.",
     NULL},
    {"burst-loss", 35, MISS, PC_M_BURST_LOSS_PCT, NULL, 0, 1, NULL,
     "Packets were lost in bursts ({value} within a fifth of a second{scope}; {tier} needs "
     "{limit}), which freezes the picture. This usually comes from a weak Wi-Fi signal: use a "
     "network cable or move closer to the router.",
     NULL},
    {"latency-high", 40, MISS, PC_M_RTT_MEDIAN_MS, NULL, 0, 1, NULL,
     "The connection is slow to respond ({value}{scope}; {tier} needs {limit}), so you may "
     "talk over each other. Pause downloads, backups and streaming on your network, and use "
     "a network cable if you can.",
     NULL},
    {"jitter-high", 50, MISS, PC_M_JITTER_MS, NULL, 0, 1, NULL,
     "The connection's delay keeps changing ({value} of jitter{scope}; {tier} needs "
     "{limit}), which makes sound choppy. Ask others on your network to pause streaming and "
     "games during your session, and use a network cable if you can.",
     NULL},
    {"dns-slow", 60, ABOVE, PC_M_DNS_MS, NULL, DNS_SLOW_MS, 1, NULL,
     "Looking up server addresses is slow ({value}), so joining a call may take longer. "
     "Restarting your router often fixes this.",
     NULL},
    {"http-slow", 65, ABOVE, PC_M_TTFB_MS, NULL, HTTP_SLOW_MS, 1, NULL,
     "Opening a secure connection to the test server took {value}, so joining a call may "
     "take a while. Restarting your router often helps; on a work network, a web filter may "
     "be slowing it down.",
     NULL},
    {"nat-symmetric", 70, TEXT_IS, PC_M_NAT_MAPPING, "address-dependent", 0, 1, NULL,
     "Your router gives each server a different address for this computer, so the call may "
     "have to go through a relay, which adds delay. If calls fail to connect, ask whoever "
     "runs your network to allow direct video calls.",
     NULL},
    {"full-hd-possible", 90, AT_LEAST, PC_M_DOWNLOAD_MBPS, NULL, FULL_HD_MBPS, 1, NULL,
     "Your connection is fast enough for full HD (1080p) video both ways.",
     .when = &upload_full_hd},
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

/* What a rule found: the values its template quotes. */
struct finding {
    int metric;
    size_t scope;
    int tier; /* the tier whose limit is quoted, or -1 */
    double value, limit;
    const char *subject;
};

const struct pc_advice *pc_advice_find(const struct pc_report *r, const char *id)
{
    for (size_t i = 0; i < r->n_advice; i++)
        if (strcmp(r->advice[i].id, id) == 0)
            return &r->advice[i];
    return NULL;
}

static int match_cause(const struct pc_report *r, const struct rule *ru, struct finding *f)
{
    for (size_t i = 0; i < r->n_probes; i++) {
        if (strcmp(r->probes[i].cause, ru->arg) == 0) {
            f->subject = r->probes[i].subject;
            return 1;
        }
    }
    return 0;
}

/* The gating scope where the metric fell lowest below HD. */
static int match_miss(const struct pc_report *r, const struct rule *ru, struct finding *f)
{
    int worst = PC_TIER_HD;

    for (size_t i = 0; i < r->n_scopes; i++) {
        const struct pc_scope *s = &r->scopes[i];
        const struct pc_check *c = &s->checks[ru->metric];

        if (!s->gates || !c->gated || !s->values[ru->metric].set || c->tier >= worst)
            continue;
        worst = c->tier;
        f->scope = i;
        f->value = s->values[ru->metric].num;
        f->tier = pc_score_next_tier(c);
        f->limit = f->tier >= 0 ? c->threshold[f->tier] : NAN;
    }
    return worst < PC_TIER_HD;
}

static int matches(const struct pc_report *r, const struct rule *ru, struct finding *f)
{
    const struct pc_value *v =
        ru->metric >= 0 ? pc_report_get(r, PC_SCOPE_RUN_ID, ru->metric) : NULL;

    f->metric = ru->metric;
    switch (ru->match) {
    case CAUSE:
        return match_cause(r, ru, f);
    case MISS:
        return match_miss(r, ru, f);
    case ABOVE:
        f->value = v->num;
        f->limit = ru->level;
        return v->set && v->num > ru->level;
    case AT_LEAST:
        f->value = v->num;
        f->limit = ru->level;
        return v->set && v->num >= ru->level;
    case TEXT_IS:
        return v->set && v->text != NULL && strcmp(v->text, ru->arg) == 0;
    case VALUE_IS:
        return v->set && v->num == ru->level;
    }
    return 0;
}

static int holds(const struct pc_report *r, const struct cond *c)
{
    const struct pc_value *v = pc_report_get(r, PC_SCOPE_RUN_ID, c->metric);

    if (c->match == AT_LEAST)
        return v->set && v->num >= c->level;
    return v->set && v->num == c->level;
}

/* An earlier row of the same id already gave advice. */
static int given(const struct pc_report *r, const char *id)
{
    return pc_advice_find(r, id) != NULL;
}

static void expand(const struct pc_report *r, const char *tpl, const struct finding *f, char *buf,
                   size_t cap)
{
    const struct pc_metric_def *d = f->metric >= 0 ? pc_metric_def(f->metric) : NULL;
    size_t n = 0;

    buf[0] = '\0';
    while (*tpl != '\0' && n + 1 < cap) {
        char piece[300] = "";
        const char *end;

        if (*tpl != '{' || (end = strchr(tpl, '}')) == NULL) {
            buf[n++] = *tpl++;
            buf[n] = '\0';
            continue;
        }
        if (strncmp(tpl, "{value}", 7) == 0 && d != NULL)
            pc_metric_format(d, f->value, piece, sizeof(piece));
        else if (strncmp(tpl, "{limit}", 7) == 0 && d != NULL && !isnan(f->limit))
            pc_metric_format_limit(d, f->limit, piece, sizeof(piece));
        else if (strncmp(tpl, "{tier}", 6) == 0 && f->tier >= 0)
            snprintf(piece, sizeof(piece), "%s", pc_tier_short_label(f->tier));
        else if (strncmp(tpl, "{subject}", 9) == 0 && f->subject != NULL)
            snprintf(piece, sizeof(piece), "%s", f->subject);
        else if (strncmp(tpl, "{scope}", 7) == 0 && f->scope != PC_SCOPE_RUN_ID)
            snprintf(piece, sizeof(piece), " %s %s",
                     pc_scope_kind_def(r->scopes[f->scope].kind)->in, r->scopes[f->scope].id);
        n += (size_t)snprintf(buf + n, cap - n, "%s", piece);
        if (n >= cap)
            n = cap - 1;
        tpl = end + 1;
    }
}

static const char *severity(const struct pc_report *r, const struct rule *ru,
                            const struct finding *f)
{
    const struct pc_check *c;

    if (ru->match == CAUSE || ru->match == VALUE_IS)
        return r->tier <= PC_TIER_NONE && ru->network ? "critical" : "warning";
    if (ru->match != MISS)
        return "info";
    c = &r->scopes[f->scope].checks[f->metric];
    if (c->tier <= PC_TIER_NONE)
        return "critical";
    return c->tier < r->require ? "warning" : "info";
}

void pc_advice_build(struct pc_report *r, const struct pc_profile *p)
{
    (void)p;
    r->n_advice = 0;
    for (size_t i = 0; i < N_RULES && r->n_advice < PC_ADVICE_MAX; i++) {
        struct finding f = {-1, PC_SCOPE_RUN_ID, -1, NAN, NAN, NULL};
        struct pc_advice *a;

        if (given(r, rules[i].id) || (rules[i].when != NULL && !holds(r, rules[i].when)) ||
            !matches(r, &rules[i], &f))
            continue;
        a = &r->advice[r->n_advice++];
        a->id = rules[i].id;
        a->rank = rules[i].rank;
        a->metric = f.metric;
        a->scope = f.scope;
        a->value = f.metric >= 0 && rules[i].match != TEXT_IS ? f.value : NAN;
        a->threshold = f.limit;
        a->severity = severity(r, &rules[i], &f);
        expand(r, rules[i].text, &f, a->text, sizeof(a->text));
        a->cause[0] = '\0';
        if (rules[i].cause != NULL)
            expand(r, rules[i].cause, &f, a->cause, sizeof(a->cause));
        a->about_network = rules[i].network;
    }
}
