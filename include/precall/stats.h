/*
 * stats.h - small statistics over arrays of doubles the caller owns.
 *
 * Nothing here allocates except pc_stats_sorted_copy(), whose result the
 * caller frees. Percentiles use linear interpolation between closest ranks
 * (the "R-7" definition used by numpy and spreadsheets).
 */
#ifndef PRECALL_STATS_H
#define PRECALL_STATS_H

#include <stddef.h>

/* p in [0, 100] of an ascending array of n > 0 values. */
double pc_stats_percentile(const double *sorted, size_t n, double p);

/* A sorted copy of v (n values), or NULL on allocation failure or n == 0. */
double *pc_stats_sorted_copy(const double *v, size_t n);

/* Mean of |v[i] - v[i-1]| over i = 1..n-1; 0 when n < 2. */
double pc_stats_mean_abs_delta(const double *v, size_t n);

/* RFC 3550 6.4.1 smoothed estimator J += (|D| - J)/16 over consecutive differences. */
double pc_stats_rfc3550_jitter(const double *v, size_t n);

/* 95 % Wilson score interval for k successes in n trials, as fractions in [0, 1]. */
void pc_stats_wilson95(unsigned long k, unsigned long n, double *low, double *high);

#endif
