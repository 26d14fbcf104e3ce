/*
 * risk.h - conditional risks: what the call will meet if something happens
 * during the session, stated beside the tier and never lowering it.
 *
 * The tier stands for the link as the call will use it. Some figures of the
 * check describe the link in a condition the call does not make itself: the
 * delay the line adds when the check's own speed test fills it is what a call
 * meets only if someone else fills it during the session. Such a figure is a
 * risk: "HD video now; if someone else uploads or downloads during the
 * session, expect long delays (the line adds 480 ms when full)", with its own
 * advice. Risks are a table of rules like the advice rules (risk.c): a rule
 * reads one figure of the run and states its risk when the figure reaches the
 * profile's level; a new risk is one row.
 */
#ifndef PRECALL_RISK_H
#define PRECALL_RISK_H

#include "precall/profile.h"
#include "precall/report.h"

/* A rule: when the run's 'metric' is at least the profile's advice level 'level'. */
struct pc_risk_rule {
    const char *id; /* stable identifier, e.g. "bufferbloat" */
    enum pc_metric metric;
    enum pc_advice_level level;
    const char *text;   /* template: {tier} the verdict's short label, {value} the figure */
    const char *advice; /* what to do about it, plain sentences */
};

/* The rules, in the order their risks are listed; *n gets their number. */
const struct pc_risk_rule *pc_risk_rules(size_t *n);

/*
 * Fill r->risks from the rules (after scoring: the text names the tier).
 * A run that reached no tier has nothing to put at risk, and gets none.
 */
void pc_risks_build(struct pc_report *r, const struct pc_profile *p);

#endif
