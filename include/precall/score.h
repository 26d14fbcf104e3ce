/*
 * score.h - from measurements to a verdict.
 *
 * pc_score_report() runs the steps in order, each reading what the steps
 * before it wrote and calling none of the later ones:
 *
 *   derive   (derive.h)   E-model R and MOS, bufferbloat and its grade
 *   score    (this file)  every scope's checks and tier, the run's tier,
 *                         the checks not made (partial), the limiting metrics
 *   advice   (advice.h)   ranked advice from the scored report
 *   headline (headline.h) the headline, naming the advice's cause first
 *
 * pc_score_checks() is the scoring step: the weakest gating metric sets a
 * scope's tier; a metric whose probe ran but could not measure it never
 * passes; the run's tier is the lowest among the scopes that gate, and a
 * partial check (some limited metric not checked: left out with --only or
 * --skip, or not measurable by this build or system) claims no tier that a
 * check it did not make could deny. It only writes into the report.
 *
 * One rule decides which limit a check line and its advice quote: the
 * limit of the tier above the one the metric reached (pc_score_next_tier).
 */
#ifndef PRECALL_SCORE_H
#define PRECALL_SCORE_H

#include "precall/advice.h" /* pc_advice_find(), for the renderers */
#include "precall/profile.h"
#include "precall/report.h"

/* The whole pipeline: derive, score, advice, headline (src/core/verdict.c). */
void pc_score_report(struct pc_report *r, const struct pc_profile *p);

/*
 * The pipeline for a capture's report (src/core/score_capture.c): as
 * pc_score_report(), and after the scoring step pc_score_capture_unseen().
 */
void pc_score_capture(struct pc_report *r, const struct pc_profile *p);

/*
 * What a capture holds but could not be measured: when a stream that gates
 * has no jitter (no clock rate known), its jitter and gap-excess checks are
 * left out (the verdict partial, its tier no higher than the checks not
 * made allow) and the "rtp" result is skipped with the cause no-clock-rate;
 * a "relay-tls" result (media inside TURNS) beside streams that gate makes
 * the verdict partial. Without streams that gate, the verdict is left alone.
 */
void pc_score_capture_unseen(struct pc_report *r, const struct pc_profile *p);

/* The scoring step alone; returns how many scopes gate. */
int pc_score_checks(struct pc_report *r, const struct pc_profile *p);

/*
 * The tier the checks that were made reach (the lowest among the gating
 * scopes; PC_TIER_NONE when none gates): for a partial check, the best the
 * verdict could be, where r->tier is what it can claim.
 */
int pc_score_measured_tier(const struct pc_report *r);

/* The tier label people read: "Ready for HD video", ... */
const char *pc_score_verdict_label(int tier);

/* The tier whose limit a check and its advice quote: the one above c->tier, or -1. */
int pc_score_next_tier(const struct pc_check *c);

/* The mark of a check: "ok", "warn", "FAIL", or "--" when it does not gate. */
const char *pc_score_mark(const struct pc_check *c);

#endif
