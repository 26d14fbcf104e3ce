/*
 * emodel.h - predicted voice quality from the simplified ITU-T G.107 E-model.
 *
 * The form and its worked examples are in docs/thresholds.md: effective latency
 * EL = RTT + 2*jitter + 10, R from EL, minus 2.5 per percent of loss, clamped
 * to [0, 100], then MOS by the G.107 mapping.
 */
#ifndef PRECALL_EMODEL_H
#define PRECALL_EMODEL_H

double pc_emodel_r(double rtt_ms, double jitter_ms, double loss_pct);
double pc_emodel_mos(double r);

#endif
