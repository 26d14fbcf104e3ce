/*
 * advice.h - the third step of scoring: findings turned into ranked,
 * plain-language advice (see score.h for the steps).
 *
 * pc_advice_build() reads the values and the scored checks of a report and
 * writes r->advice, the most effective fix first. The rules are data
 * (src/core/advice_rules.c); each names its cause by an id of cause.h when
 * it answers a probe's cause.
 */
#ifndef PRECALL_ADVICE_H
#define PRECALL_ADVICE_H

#include "precall/profile.h"
#include "precall/report.h"

void pc_advice_build(struct pc_report *r, const struct pc_profile *p);

/*
 * The advice with this id ("udp-blocked") of a report whose advice was
 * built; NULL when there is none.
 */
const struct pc_advice *pc_advice_find(const struct pc_report *r, const char *id);

/* The i-th distinct advice id of the rules, in rank order; NULL past the end. */
const char *pc_advice_id(size_t i);

#endif
