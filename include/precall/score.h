/*
 * score.h - from measurements to a verdict.
 *
 * pc_score_report() derives the E-model figures, scores every metric the
 * profile limits, sets the achieved tier (the weakest gating metric wins; a
 * metric whose probe ran but could not measure it never passes), marks the
 * metrics that hold the tier down, writes the headline and builds the
 * ranked advice. It only writes into the report.
 */
#ifndef PRECALL_SCORE_H
#define PRECALL_SCORE_H

#include "precall/profile.h"
#include "precall/report.h"

void pc_score_report(struct pc_report *r, const struct pc_profile *p);

/* Ranked advice for a scored report (called by pc_score_report). */
void pc_advice_build(struct pc_report *r, const struct pc_profile *p);

/* The tier label people read: "Ready for HD video", ... */
const char *pc_score_verdict_label(int tier);

#endif
