/*
 * throughput.c - the speed of one direction from its 100 ms windows (see
 * throughput.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "precall/buf.h"
#include "precall/err.h"
#include "precall/stats.h"
#include "probe/throughput.h"

void pc_tput_init(struct pc_tput *t)
{
    memset(t, 0, sizeof(*t));
    t->ramp = PC_TPUT_RAMPING;
}

void pc_tput_free(struct pc_tput *t)
{
    if (t == NULL)
        return;
    free(t->mbps);
    t->mbps = NULL;
    t->n = t->cap = 0;
}

double pc_tput_mean(const double *v, size_t n)
{
    double s = 0;

    for (size_t i = 0; i < n; i++)
        s += v[i];
    return n > 0 ? s / (double)n : 0;
}

int pc_tput_within(double a, double b, double pct)
{
    double hi = a > b ? a : b;

    return hi <= 0 || fabs(a - b) / hi * 100.0 <= pct;
}

int pc_tput_ramp_ended(const double *mbps, size_t n, int64_t elapsed_ns)
{
    const size_t w = PC_TPUT_RAMP_WINDOWS;
    int flat = 0;

    if (n >= 2 * w) {
        double last = pc_tput_mean(mbps + n - w, w), before = pc_tput_mean(mbps + n - 2 * w, w);

        flat = last <= before * (1.0 + PC_TPUT_RAMP_PCT / 100.0);
    }
    return (elapsed_ns >= PC_TPUT_RAMP_MIN_NS && flat) || elapsed_ns >= PC_TPUT_RAMP_MAX_NS;
}

double pc_tput_smoothed(const double *mbps, size_t i)
{
    size_t end = i + 1, k = end < PC_TPUT_SMOOTH ? end : PC_TPUT_SMOOTH;

    return pc_tput_mean(mbps + end - k, k);
}

int pc_tput_stop_rule(const double *mbps, size_t n, size_t ramp, double median)
{
    const size_t w = PC_TPUT_STABLE_WINDOWS, h = PC_TPUT_STABLE_WINDOWS / 2;
    double second;

    if (ramp > n || n - ramp < w)
        return 0;
    second = pc_tput_mean(mbps + n - w, w);
    return second > 0 &&
           pc_tput_within(pc_tput_mean(mbps + n - w, h), pc_tput_mean(mbps + n - h, h),
                          PC_TPUT_STABLE_PCT) &&
           pc_tput_within(second, median, PC_TPUT_STABLE_PCT);
}

int pc_tput_figures(const struct pc_tput *t, double *median, double *p90)
{
    size_t k = t->ramp < t->n ? t->n - t->ramp : 0;
    double *v, *sorted;

    *median = *p90 = NAN;
    if (k == 0)
        return 0;
    v = malloc(k * sizeof(*v));
    if (v == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < k; i++)
        v[i] = pc_tput_smoothed(t->mbps, t->ramp + i);
    sorted = pc_stats_sorted_copy(v, k);
    free(v);
    if (sorted == NULL)
        return PC_ENOMEM;
    *median = pc_stats_percentile(sorted, k, 50);
    *p90 = pc_stats_percentile(sorted, k, 90);
    free(sorted);
    return 0;
}

int pc_tput_add(struct pc_tput *t, double mbps, int64_t elapsed_ns)
{
    double median, p90;

    if (pc_grow((void **)&t->mbps, &t->cap, t->n + 1, sizeof(*t->mbps)) < 0)
        return PC_ENOMEM;
    t->mbps[t->n++] = mbps < 0 ? 0 : mbps;
    if (t->ramp == PC_TPUT_RAMPING) {
        if (pc_tput_ramp_ended(t->mbps, t->n, elapsed_ns))
            t->ramp = t->n;
        return 0;
    }
    if (t->n - t->ramp < PC_TPUT_STABLE_WINDOWS)
        return 0;
    pc_tput_figures(t, &median, &p90);
    t->stable = pc_tput_stop_rule(t->mbps, t->n, t->ramp, median);
    return 0;
}

void pc_tput_end(struct pc_tput *t)
{
    if (t->ramp == PC_TPUT_RAMPING)
        t->ramp = t->n;
}

void pc_tput_count_init(struct pc_tput_count *c)
{
    c->fd = -1;
    c->prev = c->total = 0;
}

long long pc_tput_count_add(struct pc_tput_count *c, int fd, long long value)
{
    if (fd != c->fd)
        c->prev = 0; /* a new connection: all of its bytes are new */
    c->total += value - c->prev;
    c->prev = value;
    c->fd = fd;
    return c->total;
}
