/* test_stats.c - percentiles, jitter estimators, the Wilson interval, burst loss. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precall/stats.h"
#include "probe/stunstats.h"

static void percentiles(void)
{
    const double v[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const double one[] = {42};

    CHECK_NEAR(pc_stats_percentile(v, 10, 50), 5.5, 1e-12);
    CHECK_NEAR(pc_stats_percentile(v, 10, 0), 1, 1e-12);
    CHECK_NEAR(pc_stats_percentile(v, 10, 100), 10, 1e-12);
    CHECK_NEAR(pc_stats_percentile(v, 10, 90), 9.1, 1e-12);
    CHECK_NEAR(pc_stats_percentile(v, 10, 99), 9.91, 1e-12);
    CHECK_NEAR(pc_stats_percentile(one, 1, 50), 42, 1e-12);
    CHECK(isnan(pc_stats_percentile(v, 0, 50)));
}

static void sorted_copy(void)
{
    const double v[] = {3, 1, 2};
    double *s = pc_stats_sorted_copy(v, 3);

    CHECK(s != NULL && s[0] == 1 && s[1] == 2 && s[2] == 3);
    CHECK(v[0] == 3); /* the input is left alone */
    free(s);
    CHECK(pc_stats_sorted_copy(v, 0) == NULL);
}

static void jitter(void)
{
    const double flat[] = {20, 20, 20, 20};
    const double saw[] = {10, 20, 10, 20, 10};
    double many[2000];

    CHECK_NEAR(pc_stats_mean_abs_delta(flat, 4), 0, 1e-12);
    CHECK_NEAR(pc_stats_mean_abs_delta(saw, 5), 10, 1e-12);
    CHECK_NEAR(pc_stats_mean_abs_delta(saw, 1), 0, 1e-12);
    /* RFC 3550: J += (|D| - J)/16; after one difference of 10, J = 10/16. */
    CHECK_NEAR(pc_stats_rfc3550_jitter(saw, 2), 0.625, 1e-12);
    /* A constant |D| makes the smoothed estimator converge to it. */
    for (size_t i = 0; i < 2000; i++)
        many[i] = i % 2 ? 30 : 22;
    CHECK_NEAR(pc_stats_rfc3550_jitter(many, 2000), 8, 1e-6);
    CHECK_NEAR(pc_stats_mean_abs_delta(many, 2000), 8, 1e-12);
}

static void wilson(void)
{
    double lo, hi;

    /* Reference values computed with the closed form (z = 1.959964). */
    pc_stats_wilson95(0, 300, &lo, &hi);
    CHECK_NEAR(lo, 0, 1e-12);
    CHECK_NEAR(hi, 0.012642, 1e-5);
    CHECK(hi < 0.0127); /* 300 probes, no loss: true loss under ~1.3 % */
    pc_stats_wilson95(15, 300, &lo, &hi);
    CHECK_NEAR(lo, 0.030532, 1e-5);
    CHECK_NEAR(hi, 0.080847, 1e-5);
    pc_stats_wilson95(10, 1000, &lo, &hi);
    CHECK_NEAR(lo, 0.005441, 1e-5);
    CHECK_NEAR(hi, 0.018309, 1e-5);
    pc_stats_wilson95(5, 5, &lo, &hi);
    CHECK_NEAR(hi, 1, 1e-12);
    CHECK(lo > 0.5);
    pc_stats_wilson95(0, 0, &lo, &hi);
    CHECK(lo == 0 && hi == 1);
}

/* A fake session: n requests every 10 ms; answered unless lost[i]. */
static void fake_session(struct pc_stun_session *s, size_t n, const int *lost, double rtt_ms)
{
    memset(s, 0, sizeof(*s));
    s->timeout_ns = 1000000000LL;
    s->reqs = calloc(n, sizeof(*s->reqs));
    s->n_reqs = s->cap_reqs = n;
    for (size_t i = 0; i < n; i++) {
        s->reqs[i].sent_ns = (int64_t)i * 10000000LL;
        s->reqs[i].kind = PC_REQ_STREAM;
        s->reqs[i].rtt_ns = lost[i] ? -1 : (int64_t)(rtt_ms * 1e6) + (int64_t)(i % 2) * 4000000;
        s->reqs[i].answers = lost[i] ? 0 : 1;
    }
}

static void stun_figures(void)
{
    struct pc_stun_session s;
    struct pc_stun_stats st;
    int lost[300] = {0};

    /* 300 probes, a burst of 6 lost in a row, 4 more scattered: 10 lost. */
    for (int i = 100; i < 106; i++)
        lost[i] = 1;
    lost[10] = lost[50] = lost[200] = lost[250] = 1;
    fake_session(&s, 300, lost, 20);
    s.reqs[120].answers = 2; /* a duplicate */
    s.reqs[130].late = 1;    /* answered after the timeout: lost */
    s.reqs[130].rtt_ns = 1500000000LL;
    s.reqs[140].reordered = 1;
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_STREAM, 10000000000LL, &st) == 0);
    CHECK(st.sent == 300);
    CHECK(st.lost == 11);
    CHECK(st.late == 1);
    CHECK(st.duplicates == 1);
    CHECK(st.reordered == 1);
    CHECK(st.answered == 289);
    CHECK_NEAR(st.loss_pct, 100.0 * 11 / 300, 1e-9);
    CHECK(st.loss_low_pct < st.loss_pct && st.loss_pct < st.loss_high_pct);
    /* Worst 200 ms window = 20 probes holding the 6-probe burst: 30 %. */
    CHECK_NEAR(st.burst_loss_pct, 30, 1e-9);
    CHECK_NEAR(st.rtt_min_ms, 20, 1e-9);
    CHECK_NEAR(st.rtt_max_ms, 24, 1e-9);
    CHECK(st.n_rtt == 289);
    CHECK(st.jitter_ms > 0 && st.jitter_ms <= 4);
    pc_stun_stats_free(&st);

    /* Requests still in flight at `now` are neither sent nor lost yet. */
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_STREAM, 2500000000LL, &st) == 0);
    CHECK(st.sent < 300);
    pc_stun_stats_free(&st);
    free(s.reqs);
}

/*
 * The loss interval is over the probes sent, not those answered: 11 lost of
 * 300 is [2.06, 6.45] %; over the 289 answered it would be [2.14, 6.69] %.
 */
static void wilson_over_sent(void)
{
    struct pc_stun_session s;
    struct pc_stun_stats st;
    int lost[300] = {0};

    for (int i = 0; i < 11; i++)
        lost[i * 27] = 1;
    fake_session(&s, 300, lost, 20);
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_STREAM, 10000000000LL, &st) == 0);
    CHECK(st.sent == 300 && st.lost == 11 && st.answered == 289);
    CHECK_NEAR(st.loss_low_pct, 2.06, 0.005);
    CHECK_NEAR(st.loss_high_pct, 6.45, 0.005);
    pc_stun_stats_free(&st);
    free(s.reqs);
}

/* A request sendto() refused is sent and lost at once, never "in flight". */
static void send_failures(void)
{
    struct pc_stun_session s;
    struct pc_stun_stats st;
    int lost[100] = {0};

    for (int i = 0; i < 10; i++)
        lost[i * 10] = 1;
    fake_session(&s, 100, lost, 20);
    for (int i = 0; i < 10; i++)
        s.reqs[i * 10].send_failed = 1;
    /* at 0.5 s the timeout of every request sent has not passed yet */
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_STREAM, 500000000LL, &st) == 0);
    CHECK(st.send_failed == 10);
    CHECK(st.sent == 100 && st.lost == 10 && st.answered == 90);
    CHECK_NEAR(st.loss_pct, 10, 1e-9);
    pc_stun_stats_free(&st);
    free(s.reqs);
}

int main(void)
{
    percentiles();
    sorted_copy();
    jitter();
    wilson();
    stun_figures();
    wilson_over_sent();
    send_failures();
    return check_done();
}
