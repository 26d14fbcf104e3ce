/* score.c - the scoring step: checks and tiers per scope, the run's tier (see precall/score.h). */
#include <stdio.h>
#include <string.h>

#include "precall/cause.h"
#include "precall/score.h"
#include "precall/utf8.h"

const char *pc_score_verdict_label(int tier)
{
    switch (tier) {
    case PC_TIER_HD:
        return "Ready for HD video";
    case PC_TIER_SD:
        return "Video will work at reduced quality";
    case PC_TIER_AUDIO:
        return "Audio only";
    default:
        return "Not ready";
    }
}

int pc_score_next_tier(const struct pc_check *c)
{
    for (int t = c->tier < PC_TIER_AUDIO ? PC_TIER_AUDIO : c->tier + 1; t < PC_TIER__COUNT; t++)
        if (c->has_threshold[t])
            return t;
    return c->has_threshold[PC_TIER_HD] ? PC_TIER_HD : -1;
}

const char *pc_score_mark(const struct pc_check *c)
{
    if (!c->gated)
        return "--";
    if (c->tier == PC_TIER_HD)
        return "ok";
    if (c->tier >= PC_TIER_AUDIO)
        return "warn";
    return "FAIL";
}

/*
 * Does the profile judge metric m? By the limits of its profile key (the
 * one-way loss by loss_pct's); a figure whose key lends its limits to
 * another (the round-trip loss) is reported, not judged.
 */
static int has_limits(const struct pc_profile *p, enum pc_metric m)
{
    enum pc_metric k = pc_metric_limit_key(m);

    if (pc_metric_def(m)->lends)
        return 0;
    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++)
        if (p->has[k][t])
            return 1;
    return 0;
}

/*
 * A metric gates when it was measured, or when its probe ran to the end
 * and could not measure it. A probe left out, interrupted or never started
 * says nothing about the network; nor does a figure that only exists over a
 * path (its row's 'needs') found closed: UDP blocked is judged by
 * udp_reachable's limits, not as an RTT that "never passes". A device scope
 * is scored only on what was measured of it: a microphone's scope has no
 * camera figures.
 */
static int gates(const struct pc_report *r, size_t scope, const struct pc_metric_def *d)
{
    const struct pc_probe_result *p;
    const struct pc_value *path = pc_report_get(r, scope, d->needs);

    if (pc_report_get(r, scope, d->id)->set)
        return 1;
    if (!pc_scope_kind_def(r->scopes[scope]->kind)->unmeasured_gates)
        return 0;
    /* Measured over a path found closed: the path's own check decides. */
    if (d->needs != d->id && path->set && path->num == 0)
        return 0;
    p = pc_report_probe_find(r, pc_producer_name(d->producer));
    if (p == NULL || (p->status != PC_STATUS_OK && p->status != PC_STATUS_FAILED))
        return 0;
    return strcmp(p->cause, pc_cause_id(PC_CAUSE_TIME_TOO_SHORT)) != 0 &&
           strcmp(p->cause, pc_cause_id(PC_CAUSE_DID_NOT_STOP)) != 0;
}

/*
 * The relay stands in for the direct path. Where UDP was measured blocked and
 * a relay given with --turn was checked (relay_reachable set in the same
 * scope), media would go through the relay: udp_reachable's cap (the old
 * assumption of a relay over 443, "SD at best") gives way to what the relay
 * measured, judged by the direct path's limits. relay_reachable by online's
 * (false: no path for media at all, Not ready), the round trip, jitter and
 * one-way loss through it by rtt_median_ms's, jitter_ms's and loss_pct's.
 * With no relay given the cap stays.
 */
static const struct stand_in {
    enum pc_metric relay, key;
} stand_ins[] = {
    {PC_M_RELAY_REACHABLE, PC_M_ONLINE},
    {PC_M_RELAY_RTT_MS, PC_M_RTT_MEDIAN_MS},
    {PC_M_RELAY_JITTER_MS, PC_M_JITTER_MS},
    {PC_M_RELAY_LOSS_ONEWAY_PCT, PC_M_LOSS_PCT},
};

/* UDP blocked and a relay checked in scope s: the relay's figures decide. */
static int relayed(const struct pc_scope *s)
{
    const struct pc_value *udp = &s->values[PC_M_UDP_REACHABLE];

    return udp->set && udp->num == 0 && s->values[PC_M_RELAY_REACHABLE].set;
}

/* The best tier whose limits of key v meets (PC_TIER_NONE: not even audio's). */
static int tier_by(const struct pc_profile *p, enum pc_metric key, const struct pc_value *v)
{
    int tier = PC_TIER_NONE;

    if (!v->set)
        return PC_TIER_NONE;
    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
        if (!pc_profile_meets(p, key, t, v->num))
            break;
        tier = t;
    }
    return tier;
}

/* The checks of the relay's figures in a relayed scope; returns how many gated. */
static int score_relay(struct pc_scope *s, const struct pc_profile *p, int *tier)
{
    int gated = 0;

    for (size_t i = 0; i < sizeof(stand_ins) / sizeof(stand_ins[0]); i++) {
        struct pc_check *c = &s->checks[stand_ins[i].relay];
        const struct pc_value *v = &s->values[stand_ins[i].relay];
        int any = 0;

        for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
            c->has_threshold[t] = p->has[stand_ins[i].key][t];
            c->threshold[t] = p->limit[stand_ins[i].key][t];
            any |= c->has_threshold[t];
        }
        if (!v->set || !any)
            continue;
        c->gated = 1;
        gated++;
        c->tier = tier_by(p, stand_ins[i].key, v);
        if (c->tier < *tier)
            *tier = c->tier;
    }
    return gated;
}

static void score_scope(struct pc_report *r, size_t si, const struct pc_profile *p)
{
    struct pc_scope *s = r->scopes[si];
    unsigned bit = PC_SCOPE_BIT(s->kind);
    int tier = PC_TIER_HD, gated = 0, by_relay = relayed(s);

    s->gates = pc_scope_kind_def(s->kind)->gates && !s->for_comparison;
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        struct pc_check *c = &s->checks[m];

        memset(c, 0, sizeof(*c));
        c->tier = PC_TIER_UNKNOWN;
        for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT && !d->lends; t++) {
            c->has_threshold[t] = p->has[pc_metric_limit_key(m)][t];
            c->threshold[t] = p->limit[pc_metric_limit_key(m)][t];
        }
        if (!(d->scopes & bit) || d->level == PC_LEVEL_SERIES || !has_limits(p, m) ||
            !gates(r, si, d) || (by_relay && m == PC_M_UDP_REACHABLE))
            continue;
        c->gated = 1;
        gated++;
        c->tier = tier_by(p, pc_metric_limit_key(m), &s->values[m]);
        if (c->tier < tier)
            tier = c->tier;
    }
    if (by_relay)
        gated += score_relay(s, p, &tier);
    s->tier = gated > 0 ? tier : PC_TIER_UNKNOWN;
    for (int m = 0; m < PC_M__COUNT; m++)
        s->limited[m] = s->checks[m].gated && s->values[m].set && tier < PC_TIER_HD &&
                        s->checks[m].tier == tier;
}

/* Was the metric judged anywhere: a value, or a check that gated it? */
static int judged(const struct pc_report *r, enum pc_metric m)
{
    for (size_t i = 0; i < r->n_scopes; i++)
        if (r->scopes[i]->values[m].set || r->scopes[i]->checks[m].gated)
            return 1;
    return 0;
}

/*
 * The checks the profile limits that were not made: their probe was left
 * out (--only, --skip) or skipped (not supported here), or ran and could not
 * measure them because this build or system cannot (a build without ALSA
 * has no microphone scope). What a probe that ran could not measure over a
 * path found closed is judged by the path's own check; a probe that failed
 * or was stopped says so itself.
 */
/*
 * Was the metric's path (its row's 'needs': the internet, UDP, a microphone
 * that is there at all) measured closed in some scope?
 */
static int path_closed(const struct pc_report *r, const struct pc_metric_def *d)
{
    enum pc_metric path = d->needs;

    for (size_t i = 0; i < r->n_scopes && path != d->id; i++)
        if (r->scopes[i]->values[path].set && r->scopes[i]->values[path].num == 0)
            return 1;
    return 0;
}

static void mark_not_checked(struct pc_report *r, const struct pc_profile *p)
{
    r->partial = 0;
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        const struct pc_probe_result *pr = pc_report_probe_find(r, pc_producer_name(d->producer));

        r->left_out[m] =
            has_limits(p, m) && pr != NULL && !judged(r, m) &&
            (pr->status == PC_STATUS_SKIPPED || (pr->status == PC_STATUS_OK && !path_closed(r, d)));
        r->partial |= r->left_out[m];
    }
}

/*
 * The best tier no check left undone could deny: below the lowest tier at
 * which a metric not checked has a limit. PC_TIER_HD when all were made.
 */
static int claimable_tier(const struct pc_report *r, const struct pc_profile *p)
{
    int best = PC_TIER_HD;

    for (int m = 0; m < PC_M__COUNT; m++)
        for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT && r->left_out[m]; t++)
            if (p->has[pc_metric_limit_key(m)][t] && t - 1 < best)
                best = t - 1;
    return best;
}

int pc_score_measured_tier(const struct pc_report *r)
{
    int tier = PC_TIER_HD, gated = 0;

    for (size_t i = 0; i < r->n_scopes; i++) {
        if (!r->scopes[i]->gates || r->scopes[i]->tier == PC_TIER_UNKNOWN)
            continue;
        gated++;
        if (r->scopes[i]->tier < tier)
            tier = r->scopes[i]->tier;
    }
    return gated > 0 ? tier : PC_TIER_NONE; /* nothing checked is not ready */
}

int pc_score_checks(struct pc_report *r, const struct pc_profile *p)
{
    int gated = 0, claim;

    snprintf(r->profile, sizeof(r->profile), "%s", p->name);
    pc_utf8_sanitize(r->profile);
    for (size_t i = 0; i < r->n_scopes; i++) {
        score_scope(r, i, p);
        gated += r->scopes[i]->gates && r->scopes[i]->tier != PC_TIER_UNKNOWN;
    }
    r->tier = pc_score_measured_tier(r);
    mark_not_checked(r, p);
    claim = claimable_tier(r, p);
    if (r->tier > claim)
        r->tier = claim;
    return gated;
}
