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
 * {subject} what a probe's cause is about, {scope} where it was seen,
 * {stream} the label of that scope; and for a rule that names a series,
 * {when} the wall-clock second of its worst point and {for} how many
 * seconds in a row around it missed the limit.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "precall/score.h"

#include <time.h>

enum match {
    CAUSE,   /* a probe finished with this cause */
    MISS,    /* a metric missed the HD limit in some gating scope */
    ABOVE,   /* a value above a fixed level (advice only) */
    TEXT_IS, /* a text value equals the string */
    VALUE_IS /* a value equals the number */
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
    int series; /* {when} and {for} come from this metric's series in the scope; 0 none */
};

#define DNS_SLOW_MS 500.0 /* a lookup slower than this delays joining a call */

static const struct rule rules[] = {
    {"time-too-short", 0, CAUSE, -1, "time-too-short", 0, 0,
     "the time limit was too short to measure",
     "The check did not have enough time to measure anything. Run it again with more time, "
     "for example 'precall --duration 10 --timeout 20'.",
     0},
    {"offline", 1, VALUE_IS, PC_M_ONLINE, NULL, 0, 1, "no internet connection",
     "This computer is not connected to the internet. Check that Wi-Fi is turned on and "
     "connected (or that the network cable is plugged in), then run the check again.",
     0},
    {"no-ipv6", 2, CAUSE, -1, "no-ipv6", 0, 1, "this network has no IPv6 connection",
     "The check was asked to use IPv6 only (-6), but this network has no IPv6 connection. "
     "Run it without -6: video calls work over IPv4.",
     0},
    {"no-ipv4", 2, CAUSE, -1, "no-ipv4", 0, 1, "this network has no IPv4 connection",
     "The check was asked to use IPv4 only (-4), but this network has no IPv4 connection. "
     "Run it without -4.",
     0},
    {"name-not-found", 3, CAUSE, -1, "name-not-found", 0, 1,
     "the server name {subject} does not exist",
     "The server name {subject} does not exist. Check how it is spelled where it was given "
     "(--stun); this is not a problem with your network.",
     0},
    {"port-closed", 4, CAUSE, -1, "port-closed", 0, 1,
     "nothing answers on the test server's port ({subject})",
     "The test server {subject} refused the test: nothing is listening on that port. Check "
     "the address and port given with --stun; this is not a problem with your network.",
     0},
    {"answers-unusable", 5, CAUSE, -1, "answers-unusable", 0, 1,
     "the test server's answers could not be read ({subject})",
     "The test server {subject} answered, but in a form precall cannot read, so nothing "
     "could be measured. Try another STUN server with --stun; this does not show a problem "
     "with your network.",
     0},
    {"capture-damaged", 6, CAUSE, -1, "capture-damaged", 0, 0,
     "the capture file {subject} is damaged",
     "The capture file {subject} is damaged or cut short: only the packets before the damage "
     "were analysed, so this report covers only that part of the session. A capture stopped "
     "by a full disk or a copy interrupted looks like this; copy the file again, or capture "
     "again with 'precall capture -i INTERFACE -w call.pcap'.",
     0},
    {"no-rtp", 6, CAUSE, -1, "no-rtp", 0, 0, "the capture holds no RTP media",
     "This capture holds no RTP media: no audio or video stream of a call was found in it. "
     "Capture during the call, on the computer that made it, with 'precall capture -i "
     "INTERFACE' (or 'tcpdump -i INTERFACE -w call.pcap udp or tcp port 443'), and analyse "
     "that file.",
     0},
    {"udp-blocked", 10, CAUSE, -1, "udp-blocked", 0, 1, "UDP is blocked on this network",
     "This network blocks the kind of traffic video calls use (UDP). On a work, school or "
     "public network, ask its administrator to allow video calls; otherwise try another "
     "network, such as your home Wi-Fi or a phone hotspot.",
     0},
    {"server-stopped", 15, CAUSE, -1, "server-stopped", 0, 1, "the test server stopped answering",
     "The test server stopped answering in the middle of the check, as if the connection "
     "dropped out. Restart your router and run the check again; if it happens again, call "
     "your internet provider.",
     0},
    {"dns-failed", 20, CAUSE, -1, "dns-failed", 0, 1, "server names could not be looked up",
     "The addresses of the call servers could not be looked up. Restart your router; if that "
     "does not help, ask whoever runs your network to check its DNS settings.",
     0},
    {"stream-loss-burst", 28, MISS, PC_M_STREAM_WORST_SECOND_LOSS_PCT, NULL, 0, 1, NULL,
     "At {when} the {stream} lost {value} of its packets for {for} ({tier} needs {limit} in "
     "every second): the picture froze or the voice broke up then. Loss in bursts like this "
     "usually comes from Wi-Fi or a congested link on that side of the call.",
     PC_M_STREAM_LOSS_PCT},
    {"stream-loss", 29, MISS, PC_M_STREAM_LOSS_PCT, NULL, 0, 1, NULL,
     "The {stream} lost {value} of its packets over the whole capture ({tier} needs {limit}), "
     "worst at {when}. Look at the network on the sending side: a cable instead of Wi-Fi, and "
     "nothing else using the connection during sessions.",
     PC_M_STREAM_LOSS_PCT},
    {"loss-high", 30, MISS, PC_M_LOSS_PCT, NULL, 0, 1, NULL,
     "{value} of test packets were lost{scope} ({tier} needs {limit}), which makes video "
     "freeze and voices break up. Use a network cable or move closer to your Wi-Fi router, "
     "and restart the router; if it goes on, call your internet provider.",
     0},
    {"burst-loss", 35, MISS, PC_M_BURST_LOSS_PCT, NULL, 0, 1, NULL,
     "Packets were lost in bursts ({value} within a fifth of a second{scope}; {tier} needs "
     "{limit}), which freezes the picture. This usually comes from a weak Wi-Fi signal: use a "
     "network cable or move closer to the router.",
     0},
    {"latency-high", 40, MISS, PC_M_RTT_MEDIAN_MS, NULL, 0, 1, NULL,
     "The connection is slow to respond ({value}{scope}; {tier} needs {limit}), so you may "
     "talk over each other. Pause downloads, backups and streaming on your network, and use "
     "a network cable if you can.",
     0},
    {"stream-gap", 45, MISS, PC_M_STREAM_GAP_MAX_MS, NULL, 0, 1, NULL,
     "The {stream} stopped for {value} at one point ({tier} needs {limit}): the picture or "
     "sound froze. A gap like this is a dropout of the connection or of the sending computer.",
     0},
    {"jitter-high", 50, MISS, PC_M_JITTER_MS, NULL, 0, 1, NULL,
     "The connection's delay keeps changing ({value} of jitter{scope}; {tier} needs "
     "{limit}), which makes sound choppy. Ask others on your network to pause streaming and "
     "games during your session, and use a network cable if you can.",
     0},
    {"stream-jitter", 55, MISS, PC_M_STREAM_JITTER_MS, NULL, 0, 1, NULL,
     "The {stream} arrived unevenly ({value} of jitter on average, worst at {when}; {tier} "
     "needs {limit}), which makes sound choppy. Others on that network streaming or "
     "downloading during the call is the usual cause.",
     PC_M_STREAM_JITTER_MS},
    {"dns-slow", 60, ABOVE, PC_M_DNS_MS, NULL, DNS_SLOW_MS, 1, NULL,
     "Looking up server addresses is slow ({value}), so joining a call may take longer. "
     "Restarting your router often fixes this.",
     0},
    {"nat-symmetric", 70, TEXT_IS, PC_M_NAT_MAPPING, "address-dependent", 0, 1, NULL,
     "Your router gives each server a different address for this computer, so the call may "
     "have to go through a relay, which adds delay. If calls fail to connect, ask whoever "
     "runs your network to allow direct video calls.",
     0},
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

/* What a rule found: the values its template quotes. */
struct finding {
    int metric;
    size_t scope;
    int tier; /* the tier whose limit is quoted, or -1 */
    double value, limit;
    const char *subject;
    int series;
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
    case TEXT_IS:
        return v->set && v->text != NULL && strcmp(v->text, ru->arg) == 0;
    case VALUE_IS:
        return v->set && v->num == ru->level;
    }
    return 0;
}

/* The worst point of the finding's series: "14:03:12 UTC", and the seconds in a row past the limit.
 */
static void worst_moment(const struct pc_report *r, const struct finding *f, char *when,
                         size_t wcap, char *span, size_t scap)
{
    const struct pc_series *se = pc_report_series(r, f->scope, f->series);
    const struct pc_metric_def *d = pc_metric_def(f->series);
    double over = !isnan(f->limit) && f->metric != f->series ? f->limit : 0;
    size_t w = 0, lo, hi;
    int64_t t;

    snprintf(when, wcap, "an unknown time");
    snprintf(span, scap, "a moment");
    if (se == NULL || se->n == 0 || d == NULL)
        return;
    for (size_t i = 1; i < se->n; i++)
        if (d->better == PC_BETTER_HIGHER ? se->v[i] < se->v[w] : se->v[i] > se->v[w])
            w = i;
    t = r->started_ns + se->t_ns[w];
    if (r->started_unix_ns != 0) {
        time_t sec = (time_t)((r->started_unix_ns + se->t_ns[w]) / 1000000000);
        struct tm tm;

        if (gmtime_r(&sec, &tm) != NULL)
            strftime(when, wcap, "%H:%M:%S UTC", &tm);
    } else {
        snprintf(when, wcap, "%.0f s in", (double)(t - r->started_ns) / 1e9);
    }
    for (lo = w; lo > 0 && se->v[lo - 1] > over; lo--)
        ;
    for (hi = w; hi + 1 < se->n && se->v[hi + 1] > over; hi++)
        ;
    snprintf(span, scap, "%zu s", hi - lo + 1);
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
        else if (strncmp(tpl, "{stream}", 8) == 0)
            snprintf(piece, sizeof(piece), "%s", r->scopes[f->scope].label);
        else if (strncmp(tpl, "{when}", 6) == 0 && f->series > 0) {
            char span[32];
            worst_moment(r, f, piece, sizeof(piece), span, sizeof(span));
        } else if (strncmp(tpl, "{for}", 5) == 0 && f->series > 0) {
            char when[64];
            worst_moment(r, f, when, sizeof(when), piece, sizeof(piece));
        } else if (strncmp(tpl, "{scope}", 7) == 0 && f->scope != PC_SCOPE_RUN_ID)
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
        struct finding f = {-1, PC_SCOPE_RUN_ID, -1, NAN, NAN, NULL, rules[i].series};
        struct pc_advice *a;

        if (!matches(r, &rules[i], &f))
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
