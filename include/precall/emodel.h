/*
 * emodel.h - predicted voice quality from the simplified ITU-T G.107 E-model.
 *
 * The form and its worked examples are in docs/thresholds.md: effective latency
 * EL = RTT + 2*jitter + 10, R from EL, minus 2.5 per percent of loss, clamped
 * to [0, 100], then MOS by the G.107 mapping. The loss is one way (the
 * E-model's Ppl is the loss of the stream a listener receives).
 */
#ifndef PRECALL_EMODEL_H
#define PRECALL_EMODEL_H

double pc_emodel_r(double rtt_ms, double jitter_ms, double loss_pct);
double pc_emodel_mos(double r);

/*
 * The one-way loss, in percent, of a round trip that loses roundtrip_pct,
 * assuming both directions lose alike and independently:
 * 100 * (1 - sqrt(1 - L/100)). 8 % each way reads 15.36 % on the round trip.
 */
double pc_emodel_oneway_loss(double roundtrip_pct);

#endif
