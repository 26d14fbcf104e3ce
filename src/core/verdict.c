/*
 * verdict.c - the scoring pipeline: derive -> score -> risks -> advice -> headline
 * (see precall/score.h). Each step reads what the ones before it wrote.
 */
#include "precall/advice.h"
#include "precall/derive.h"
#include "precall/headline.h"
#include "precall/risk.h"
#include "precall/score.h"

void pc_score_report(struct pc_report *r, const struct pc_profile *p)
{
    int gated;

    pc_derive_report(r, p);
    gated = pc_score_checks(r, p);
    pc_risks_build(r, p);
    pc_advice_build(r, p);
    pc_headline_write(r, gated);
}
