/* stats.c - percentiles, jitter estimators and the Wilson interval. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "precall/stats.h"

double pc_stats_percentile(const double *sorted, size_t n, double p)
{
    double rank, frac;
    size_t lo;

    if (n == 0)
        return NAN;
    if (p <= 0)
        return sorted[0];
    if (p >= 100)
        return sorted[n - 1];
    rank = p / 100.0 * (double)(n - 1);
    lo = (size_t)rank;
    frac = rank - (double)lo;
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double *pc_stats_sorted_copy(const double *v, size_t n)
{
    double *s;

    if (n == 0)
        return NULL;
    s = malloc(n * sizeof(*s));
    if (s == NULL)
        return NULL;
    memcpy(s, v, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_double);
    return s;
}

double pc_stats_mean_abs_delta(const double *v, size_t n)
{
    double sum = 0;

    if (n < 2)
        return 0;
    for (size_t i = 1; i < n; i++)
        sum += fabs(v[i] - v[i - 1]);
    return sum / (double)(n - 1);
}

double pc_stats_rfc3550_jitter(const double *v, size_t n)
{
    double j = 0;

    for (size_t i = 1; i < n; i++)
        j += (fabs(v[i] - v[i - 1]) - j) / 16.0;
    return j;
}

void pc_stats_wilson95(unsigned long k, unsigned long n, double *low, double *high)
{
    const double z = 1.959963984540054;
    double p, denom, centre, half;

    if (n == 0) {
        *low = 0;
        *high = 1;
        return;
    }
    p = (double)k / (double)n;
    denom = 1 + z * z / (double)n;
    centre = (p + z * z / (2.0 * (double)n)) / denom;
    half = z * sqrt(p * (1 - p) / (double)n + z * z / (4.0 * (double)n * (double)n)) / denom;
    *low = centre - half < 0 ? 0 : centre - half;
    *high = centre + half > 1 ? 1 : centre + half;
    if (k == 0)
        *low = 0;
    if (k == n)
        *high = 1;
}
