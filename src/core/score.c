/* score.c - tiers per scope, verdict, limiting metrics, headline (see precall/score.h). */
#include <stdio.h>
#include <string.h>

#include "precall/emodel.h"
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

static void derive_emodel(struct pc_report *r, size_t scope)
{
    const struct pc_value *rtt = pc_report_get(r, scope, PC_M_RTT_MEDIAN_MS);
    const struct pc_value *jit = pc_report_get(r, scope, PC_M_JITTER_MS);
    const struct pc_value *loss = pc_report_get(r, scope, PC_M_LOSS_PCT);
    double rf;

    if (!rtt->set || !jit->set || !loss->set)
        return;
    rf = pc_emodel_r(rtt->num, jit->num, loss->num);
    pc_report_set_num(r, scope, PC_M_R_FACTOR, rf);
    pc_report_set_num(r, scope, PC_M_MOS, pc_emodel_mos(rf));
}

static int has_limits(const struct pc_profile *p, enum pc_metric m)
{
    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++)
        if (p->has[m][t])
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
    p = pc_report_probe_find(r, d->probe);
    if (p == NULL || (p->status != PC_STATUS_OK && p->status != PC_STATUS_FAILED))
        return 0;
    return strcmp(p->cause, "time-too-short") != 0 && strcmp(p->cause, "did-not-stop") != 0;
}

static int metric_tier(const struct pc_profile *p, enum pc_metric m, const struct pc_value *v)
{
    int tier = PC_TIER_NONE;

    if (!v->set)
        return PC_TIER_NONE;
    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
        if (!pc_profile_meets(p, m, t, v->num))
            break;
        tier = t;
    }
    return tier;
}

static void score_scope(struct pc_report *r, size_t si, const struct pc_profile *p)
{
    struct pc_scope *s = r->scopes[si];
    unsigned bit = PC_SCOPE_BIT(s->kind);
    int tier = PC_TIER_HD, gated = 0;

    derive_emodel(r, si);
    s->gates = pc_scope_kind_def(s->kind)->gates && !s->for_comparison;
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        struct pc_check *c = &s->checks[m];

        memset(c, 0, sizeof(*c));
        c->tier = PC_TIER_UNKNOWN;
        for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
            c->has_threshold[t] = p->has[m][t];
            c->threshold[t] = p->limit[m][t];
        }
        if (!(d->scopes & bit) || d->level == PC_LEVEL_SERIES || !has_limits(p, m) ||
            !gates(r, si, d))
            continue;
        c->gated = 1;
        gated++;
        c->tier = metric_tier(p, m, &s->values[m]);
        if (c->tier < tier)
            tier = c->tier;
    }
    s->tier = gated > 0 ? tier : PC_TIER_UNKNOWN;
    for (int m = 0; m < PC_M__COUNT; m++)
        s->limited[m] = s->checks[m].gated && s->values[m].set && tier < PC_TIER_HD &&
                        s->checks[m].tier == tier;
}

/* Checks the profile limits whose probe the user left out: the check is partial. */
static void mark_left_out(struct pc_report *r, const struct pc_profile *p)
{
    r->partial = 0;
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        const struct pc_probe_result *pr = pc_report_probe_find(r, d->probe);

        r->left_out[m] = has_limits(p, m) && !pc_report_get(r, PC_SCOPE_RUN_ID, m)->set &&
                         pr != NULL && pr->status == PC_STATUS_SKIPPED &&
                         strcmp(pr->cause, "not-selected") == 0;
        r->partial |= r->left_out[m];
    }
}

/* The first advice that names a cause of its own, or NULL. */
static const struct pc_advice *first_cause(const struct pc_report *r)
{
    for (size_t i = 0; i < r->n_advice; i++)
        if (r->advice[i].cause[0] != '\0')
            return &r->advice[i];
    return NULL;
}

static void headline(struct pc_report *r, int gated)
{
    const struct pc_advice *a = first_cause(r);
    char *h = r->headline;
    size_t cap = sizeof(r->headline);

    r->cause[0] = '\0';
    if (a != NULL && (r->tier == PC_TIER_NONE || !a->about_network))
        snprintf(r->cause, sizeof(r->cause), "%s", a->id);
    else
        a = NULL;
    if (r->interrupted)
        snprintf(h, cap, "No verdict: the check was interrupted before it finished");
    else if (a != NULL)
        snprintf(h, cap, "%s: %s", a->about_network ? "Not ready" : "No verdict", a->cause);
    else if (gated == 0)
        snprintf(h, cap, "No verdict: nothing was checked");
    else if (r->partial && r->tier == PC_TIER_HD)
        snprintf(h, cap, "Partial check: no problem found in what was checked");
    else if (r->partial && r->tier > PC_TIER_NONE) /* the checks left out can only lower it */
        snprintf(h, cap, "Partial check: at best %s", pc_tier_short_label(r->tier));
    else
        snprintf(h, cap, "%s", pc_score_verdict_label(r->tier));
    /* Without a verdict nothing is promised: the tier says so too. */
    if (r->interrupted || gated == 0 || (a != NULL && !a->about_network))
        r->tier = PC_TIER_NONE;
    /* A command that checks part of what a call needs says which part. */
    if (r->covers != NULL && r->covers[0] != '\0') {
        char whole[sizeof(r->headline)];

        snprintf(whole, sizeof(whole), "%s", h);
        if (whole[0] >= 'A' && whole[0] <= 'Z')
            whole[0] = (char)(whole[0] - 'A' + 'a');
        snprintf(h, cap, "%s: %s", r->covers, whole);
    }
}

void pc_score_report(struct pc_report *r, const struct pc_profile *p)
{
    int tier = PC_TIER_HD, gated = 0;

    snprintf(r->profile, sizeof(r->profile), "%s", p->name);
    pc_utf8_sanitize(r->profile);
    for (size_t i = 0; i < r->n_scopes; i++) {
        score_scope(r, i, p);
        if (!r->scopes[i]->gates || r->scopes[i]->tier == PC_TIER_UNKNOWN)
            continue;
        gated++;
        if (r->scopes[i]->tier < tier)
            tier = r->scopes[i]->tier;
    }
    r->tier = gated > 0 ? tier : PC_TIER_NONE; /* nothing checked is not ready */
    mark_left_out(r, p);
    pc_advice_build(r, p);
    headline(r, gated);
}
