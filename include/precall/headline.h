/*
 * headline.h - the last step of scoring: the one line that says the
 * verdict (see score.h for the steps).
 *
 * pc_headline_write() reads the scored report and its advice: the first
 * advice that names a cause names it ("Not ready: UDP is blocked on this
 * network"); a cause about how the check ran, not about the network, or an
 * interrupted run, gives no verdict and leaves the report's tier at none; a
 * partial check says so and gives the best tier it could reach.
 */
#ifndef PRECALL_HEADLINE_H
#define PRECALL_HEADLINE_H

#include "precall/report.h"

void pc_headline_write(struct pc_report *r, int gated);

#endif
