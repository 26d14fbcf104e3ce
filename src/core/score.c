/* score.c - tiers, verdict and limiting metrics (see precall/score.h). */
#include <stdio.h>
#include <string.h>

#include "precall/emodel.h"
#include "precall/score.h"

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

static void derive_emodel(struct pc_report *r)
{
    const struct pc_value *rtt = &r->values[PC_M_RTT_MEDIAN_MS];
    const struct pc_value *jit = &r->values[PC_M_JITTER_MS];
    const struct pc_value *loss = &r->values[PC_M_LOSS_PCT];
    double rf;

    if (!rtt->set || !jit->set || !loss->set)
        return;
    rf = pc_emodel_r(rtt->num, jit->num, loss->num);
    pc_report_set_num(r, PC_M_R_FACTOR, rf);
    pc_report_set_num(r, PC_M_MOS, pc_emodel_mos(rf));
}

/* A metric gates when it was measured, or when its probe ran and could not measure it. */
static int gates(const struct pc_report *r, const struct pc_metric_def *d)
{
    const struct pc_probe_result *p;

    if (r->values[d->id].set)
        return 1;
    p = pc_report_probe_find(r, d->probe);
    return p != NULL && p->status != PC_STATUS_SKIPPED;
}

static int has_limits(const struct pc_profile *p, enum pc_metric m)
{
    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++)
        if (p->has[m][t])
            return 1;
    return 0;
}

static int metric_tier(const struct pc_report *r, const struct pc_profile *p, enum pc_metric m)
{
    int tier = PC_TIER_NONE;

    if (!r->values[m].set)
        return PC_TIER_NONE;
    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
        if (!pc_profile_meets(p, m, t, r->values[m].num))
            break;
        tier = t;
    }
    return tier;
}

void pc_score_report(struct pc_report *r, const struct pc_profile *p)
{
    int tier = PC_TIER_HD, gated = 0;

    derive_emodel(r);
    snprintf(r->profile, sizeof(r->profile), "%s", p->name);
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        struct pc_check *c = &r->checks[m];

        memset(c, 0, sizeof(*c));
        c->tier = PC_TIER_UNKNOWN;
        for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
            c->has_threshold[t] = p->has[m][t];
            c->threshold[t] = p->limit[m][t];
        }
        if (!has_limits(p, m) || !gates(r, d))
            continue;
        c->gated = 1;
        gated++;
        c->tier = metric_tier(r, p, m);
        if (c->tier < tier)
            tier = c->tier;
    }
    r->tier = gated > 0 ? tier : PC_TIER_NONE; /* nothing checked is not ready */
    for (int m = 0; m < PC_M__COUNT; m++)
        r->limited[m] = r->checks[m].gated && tier < PC_TIER_HD && r->checks[m].tier == tier;
    if (r->values[PC_M_ONLINE].set && r->values[PC_M_ONLINE].num == 0)
        snprintf(r->headline, sizeof(r->headline), "Not ready: no internet connection");
    else if (gated == 0)
        snprintf(r->headline, sizeof(r->headline), "Not ready: nothing was checked");
    else
        snprintf(r->headline, sizeof(r->headline), "%s", pc_score_verdict_label(tier));
    pc_advice_build(r, p);
}
