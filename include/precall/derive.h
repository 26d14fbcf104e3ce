/*
 * derive.h - the figures computed from other figures, the first step of
 * scoring (derive -> score -> advice -> headline).
 *
 * pc_derive_report() adds to every scope that has RTT, jitter and loss its
 * E-model R factor and MOS, and to the run the delay added under load:
 * bufferbloat_ms, the larger rise of the median RTT of the phase scopes
 * "download" and "upload" over that of the phase "idle" (the run's own
 * median when there is no idle phase), never below 0, and its grade on the
 * profile's scale; to every camera scope with a backlight ratio and a
 * background brightness, whether the picture is backlit by the profile's
 * backlit_ratio and backlit_border_luma. It reads only the report's values
 * and the profile, and
 * writes only values; it calls nothing of the later steps.
 */
#ifndef PRECALL_DERIVE_H
#define PRECALL_DERIVE_H

#include "precall/profile.h"
#include "precall/report.h"

void pc_derive_report(struct pc_report *r, const struct pc_profile *p);

/* The grade of a delay added under load: "A+" below grade_below_ms[0], ..., "F". */
const char *pc_derive_grade(const struct pc_profile *p, double bufferbloat_ms);

#endif
