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

size_t pc_tput_first_moving(const double *mbps, size_t n)
{
    size_t i = 0;

    while (i < n && mbps[i] <= 0)
        i++;
    return i;
}

int64_t pc_tput_ramp_max_ns(int64_t rtt_ns)
{
    int64_t by_rtt = rtt_ns > 0 ? PC_TPUT_RAMP_RTTS * rtt_ns : 0;

    return by_rtt > PC_TPUT_RAMP_MAX_NS ? by_rtt : PC_TPUT_RAMP_MAX_NS;
}

int pc_tput_ramp_ended(const double *mbps, size_t n, int64_t elapsed_ns, int64_t max_ns, int *cut)
{
    const size_t w = PC_TPUT_RAMP_WINDOWS;
    size_t first = pc_tput_first_moving(mbps, n);
    int64_t moving_ns = elapsed_ns - (int64_t)first * PC_TPUT_WINDOW_NS;
    int flat = 0;

    if (cut != NULL)
        *cut = 0;
    if (first >= n)
        return 0; /* nothing moved yet: the ramp-up has not begun */
    if (n - first >= 2 * w) {
        double last = pc_tput_mean(mbps + n - w, w), before = pc_tput_mean(mbps + n - 2 * w, w);

        flat = last <= before * (1.0 + PC_TPUT_RAMP_PCT / 100.0);
    }
    if (moving_ns >= PC_TPUT_RAMP_MIN_NS && flat)
        return 1;
    if (moving_ns >= max_ns) {
        if (cut != NULL)
            *cut = 1;
        return 1;
    }
    return 0;
}

int pc_tput_in_burst(const double *mbps, size_t n, double ref)
{
    size_t k = n < PC_TPUT_BURST_WINDOWS ? n : PC_TPUT_BURST_WINDOWS;

    for (size_t i = n - k; i < n; i++)
        if (mbps[i] < PC_TPUT_BURST_FRAC * ref)
            return 1;
    return 0;
}

int pc_tput_rising(const double *mbps, size_t n, size_t ramp)
{
    size_t k = ramp < n ? n - ramp : 0, h = k / 2;

    if (h == 0)
        return 0;
    return pc_tput_mean(mbps + n - h, h) >
           pc_tput_mean(mbps + ramp, h) * (1.0 + PC_TPUT_RISING_PCT / 100.0);
}

double pc_tput_best_second(const double *mbps, size_t n)
{
    const size_t w = PC_TPUT_STABLE_WINDOWS;
    double best;

    if (n <= w)
        return pc_tput_mean(mbps, n);
    best = pc_tput_mean(mbps, w);
    for (size_t i = 1; i + w <= n; i++) {
        double m = pc_tput_mean(mbps + i, w);

        if (m > best)
            best = m;
    }
    return best;
}

double pc_tput_smoothed(const double *mbps, size_t i)
{
    size_t end = i + 1, k = end < PC_TPUT_SMOOTH ? end : PC_TPUT_SMOOTH;

    return pc_tput_mean(mbps + end - k, k);
}

int pc_tput_stop_rule(const double *mbps, size_t n, size_t ramp, double rate)
{
    const size_t w = PC_TPUT_STABLE_WINDOWS, h = PC_TPUT_STABLE_WINDOWS / 2;
    double second;

    if (ramp > n || n - ramp < PC_TPUT_KEPT_MIN)
        return 0;
    second = pc_tput_mean(mbps + n - w, w);
    return second > 0 &&
           pc_tput_within(pc_tput_mean(mbps + n - w, h), pc_tput_mean(mbps + n - h, h),
                          PC_TPUT_HALVES_PCT) &&
           pc_tput_within(second, rate, PC_TPUT_STABLE_PCT) && !pc_tput_in_burst(mbps, n, rate);
}

size_t pc_tput_fill_start(const double *mbps, size_t n, size_t ramp)
{
    size_t first = pc_tput_first_moving(mbps, n), skip = PC_TPUT_FILL_WINDOWS;
    double level;

    if (ramp >= n || first >= ramp || ramp - first < skip)
        return ramp < n ? ramp : n;
    level = pc_tput_mean(mbps + first + skip, n - first - skip);
    for (size_t i = first + skip - 1; i < ramp; i++)
        if (pc_tput_mean(mbps + i + 1 - skip, skip) >= PC_TPUT_FILL_FRAC * level)
            return i;
    return ramp;
}

int pc_tput_figures(const struct pc_tput *t, double *rate, double *p90)
{
    size_t k = t->ramp < t->n ? t->n - t->ramp : 0, fill;
    double *v, *sorted;

    *rate = *p90 = NAN;
    if (t->lower) {
        *rate = *p90 = pc_tput_best_second(t->mbps, t->n);
        return 0;
    }
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
    *p90 = pc_stats_percentile(sorted, k, 90);
    free(sorted);
    fill = pc_tput_fill_start(t->mbps, t->n, t->ramp);
    *rate = pc_tput_mean(t->mbps + fill, t->n - fill);
    return 0;
}

int pc_tput_add(struct pc_tput *t, double mbps, int64_t elapsed_ns)
{
    double rate, p90;

    if (pc_grow((void **)&t->mbps, &t->cap, t->n + 1, sizeof(*t->mbps)) < 0)
        return PC_ENOMEM;
    t->mbps[t->n++] = mbps < 0 ? 0 : mbps;
    if (t->ramp == PC_TPUT_RAMPING) {
        if (pc_tput_ramp_ended(t->mbps, t->n, elapsed_ns, pc_tput_ramp_max_ns(t->rtt_ns),
                               &t->ramp_cut))
            t->ramp = t->n;
        return 0;
    }
    if (t->n - t->ramp < PC_TPUT_KEPT_MIN)
        return 0;
    pc_tput_figures(t, &rate, &p90);
    t->stable = pc_tput_stop_rule(t->mbps, t->n, t->ramp, rate);
    return 0;
}

void pc_tput_set_rtt(struct pc_tput *t, int64_t rtt_ns)
{
    if (rtt_ns > 0 && (t->rtt_ns <= 0 || rtt_ns < t->rtt_ns))
        t->rtt_ns = rtt_ns;
}

void pc_tput_end(struct pc_tput *t)
{
    int moved = pc_tput_first_moving(t->mbps, t->n) < t->n;

    if (t->ramp == PC_TPUT_RAMPING || t->ramp >= t->n) {
        t->ramp = t->n;
        t->lower = moved; /* still rising when the time ended, or no time left to measure */
    } else if (t->ramp_cut && !t->stable &&
               (t->rtt_ns <= 0 || pc_tput_ramp_max_ns(t->rtt_ns) > PC_TPUT_RAMP_MAX_NS) &&
               pc_tput_rising(t->mbps, t->n, t->ramp)) {
        /* a long path (or one whose round trip is not known) whose ramp-up was cut while
         * the rate still rose: not filled. On a known short path a cut ramp-up is a noisy
         * rate (a slow upload's acknowledgements come in bursts), and the rate stands
         * (predict bench: a 1.2 Mbit/s upload read "at least 1.3", and no verdict) */
        t->lower = 1;
    }
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
