/*
 * score.h - from measurements to a verdict.
 *
 * pc_score_report() derives the E-model figures of every scope that has
 * RTT, jitter and loss, scores every scope against the profile (the
 * weakest gating metric sets a scope's tier; a metric whose probe ran but
 * could not measure it never passes), sets the report's tier to the lowest
 * among the scopes that gate, marks the metrics that hold each scope down,
 * builds the ranked advice and writes a headline that names its cause
 * first. It only writes into the report.
 *
 * One rule decides which limit a check line and its advice quote: the
 * limit of the tier above the one the metric reached (pc_score_next_tier).
 */
#ifndef PRECALL_SCORE_H
#define PRECALL_SCORE_H

#include "precall/profile.h"
#include "precall/report.h"

void pc_score_report(struct pc_report *r, const struct pc_profile *p);

/* Ranked advice for a scored report (called by pc_score_report). */
void pc_advice_build(struct pc_report *r, const struct pc_profile *p);

/*
 * The cause that the advice with this id names ("UDP is blocked on this
 * network"), as the scored report has it; NULL when there is none.
 */
const struct pc_advice *pc_advice_find(const struct pc_report *r, const char *id);

/* The tier label people read: "Ready for HD video", ... */
const char *pc_score_verdict_label(int tier);

/* The tier whose limit a check and its advice quote: the one above c->tier, or -1. */
int pc_score_next_tier(const struct pc_check *c);

/* The mark of a check: "ok", "warn", "FAIL", or "--" when it does not gate. */
const char *pc_score_mark(const struct pc_check *c);

#endif
