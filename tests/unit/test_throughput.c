/*
 * test_throughput.c - the bandwidth probe's statistics on synthetic window
 * series: the ramp-up's end, the smoothing, the median and p90 of the kept
 * windows and the stop rule, each boundary from both sides, with the values
 * worked out by hand (tolerance 1e-9 only for the last bit of a division).
 * Also the byte count of a stream over its connections.
 */
#include <math.h>
#include <stddef.h>

#include "check.h"
#include "precall/clock.h"
#include "probe/throughput.h"

#define EXACT 1e-9
#define MS    PC_NS_PER_MS
#define N(a)  (sizeof(a) / sizeof((a)[0]))

/*
 * Feed windows [from, to) of s into t, one each 100 ms from the start; the
 * number of windows after which the stop rule first held, or 0.
 */
static size_t feed(struct pc_tput *t, const double *s, size_t from, size_t to)
{
    size_t first = 0;

    for (size_t i = from; i < to; i++) {
        CHECK(pc_tput_add(t, s[i], (int64_t)(i + 1) * PC_TPUT_WINDOW_NS) == 0);
        if (t->stable && first == 0)
            first = i + 1;
    }
    return first;
}

static void mean_and_within(void)
{
    const double v[] = {1, 2, 3, 4};

    CHECK_NEAR(pc_tput_mean(v, 4), 2.5, EXACT);
    CHECK(pc_tput_mean(v, 0) == 0);
    /* 5 % of the larger, both ways round: 100 against 95 is exactly 5 %. */
    CHECK(pc_tput_within(100, 95, 5));
    CHECK(pc_tput_within(95, 100, 5));
    CHECK(!pc_tput_within(100, 94.99, 5));
    CHECK(!pc_tput_within(94.99, 100, 5));
    CHECK(pc_tput_within(0, 0, 5));
    CHECK(!pc_tput_within(0, 10, 5));
    CHECK(!pc_tput_within(10, NAN, 5));
}

static void ramp_boundaries(void)
{
    const double flat[] = {20, 20, 20, 20, 20, 20};
    const double five[] = {20, 20, 20, 21, 21, 21};    /* exactly 5 % faster: flat */
    const double over[] = {20, 20, 20, 21, 21, 21.03}; /* 21.01 on average: still rising */
    const double rising[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    /* Six windows are needed to compare three with three. */
    CHECK(!pc_tput_ramp_ended(flat, 5, 600 * MS));
    CHECK(pc_tput_ramp_ended(flat, 6, 600 * MS));
    /* Never before 500 ms, flat or not. */
    CHECK(!pc_tput_ramp_ended(flat, 6, 500 * MS - 1));
    CHECK(pc_tput_ramp_ended(flat, 6, 500 * MS));
    CHECK(pc_tput_ramp_ended(five, 6, 600 * MS));
    CHECK(!pc_tput_ramp_ended(over, 6, 600 * MS));
    /* Still rising: over at 1500 ms all the same. */
    CHECK(!pc_tput_ramp_ended(rising, 14, 1500 * MS - 1));
    CHECK(pc_tput_ramp_ended(rising, 15, 1500 * MS));
}

static void smoothing(void)
{
    const double v[] = {10, 20, 30, 40, 50, 60};

    CHECK_NEAR(pc_tput_smoothed(v, 0), 10, EXACT);
    CHECK_NEAR(pc_tput_smoothed(v, 1), 15, EXACT);
    CHECK_NEAR(pc_tput_smoothed(v, 4), 30, EXACT);
    CHECK_NEAR(pc_tput_smoothed(v, 5), 40, EXACT); /* 20..60: the first one drops out */
}

/* A steady 20 Mbit/s: the ramp ends at the sixth window, stable a second later. */
static void steady(void)
{
    double s[16], med, p90;
    struct pc_tput t;

    for (size_t i = 0; i < N(s); i++)
        s[i] = 20;
    pc_tput_init(&t);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0 && isnan(med) && isnan(p90));
    feed(&t, s, 0, 5);
    CHECK(t.ramp == PC_TPUT_RAMPING);
    feed(&t, s, 5, 6);
    CHECK(t.ramp == 6);
    CHECK(feed(&t, s, 6, 15) == 0); /* nine kept windows are not yet a second */
    CHECK(feed(&t, s, 15, 16) == 16);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 20, EXACT);
    CHECK_NEAR(p90, 20, EXACT);
    pc_tput_free(&t);
    pc_tput_free(NULL);
}

/*
 * A slow ramp: 2, 4, 6, ... 40 Mbit/s, then 40. It never flattens within
 * 1500 ms, so the ramp-up ends there (window 15) while the rate still
 * rises; the first kept windows are smoothed with the ramp's (window 16,
 * 32 Mbit/s, counts as (24+26+28+30+32)/5 = 28). Stable at window 27: the
 * halves of its last second are 38.8 and 40 (3 %), the second 39.4 against
 * a median of 38.2 (3 %); at 26 the halves were 37.6 and 40 (6 %).
 */
static void slow_ramp(void)
{
    double s[40], med, p90;
    struct pc_tput t;

    for (size_t i = 0; i < N(s); i++)
        s[i] = i < 20 ? 2.0 * (double)(i + 1) : 40;
    pc_tput_init(&t);
    feed(&t, s, 0, 14);
    CHECK(t.ramp == PC_TPUT_RAMPING);
    feed(&t, s, 14, 15);
    CHECK(t.ramp == 15);
    /* Two kept, 32 and 34, smoothed with the ramp's windows: 28 and 30. */
    CHECK(feed(&t, s, 15, 17) == 0);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 29, EXACT);
    CHECK_NEAR(p90, 29.8, EXACT);
    CHECK(feed(&t, s, 17, 25) == 0);
    /* Ten kept: 28 30 32 34 36 37.6 38.8 39.6 40 40. */
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 36.8, EXACT);
    CHECK_NEAR(p90, 40, EXACT);
    CHECK(feed(&t, s, 25, 27) == 27);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 38.2, EXACT);
    CHECK_NEAR(p90, 40, EXACT);
    pc_tput_free(&t);
}

/*
 * A loss and its recovery at a steady 20 Mbit/s: two empty windows, then
 * 50 (the held-back bytes arrive), then 20 again. Smoothed, the kept
 * windows are 20 20 16 12 18 18 18 22 26 20 ...: the median stays at the
 * link's 20 (the mean would not), the burst holds the stop rule off until
 * window 21 (a clean link: 16).
 */
static void loss_burst(void)
{
    double s[24], med, p90;
    struct pc_tput t;

    for (size_t i = 0; i < N(s); i++)
        s[i] = 20;
    s[8] = s[9] = 0;
    s[10] = 50;
    pc_tput_init(&t);
    CHECK(feed(&t, s, 0, 16) == 0);
    CHECK(t.ramp == 6);
    /* Ten kept: 12 16 18 18 18 20 20 20 22 26. */
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 19, EXACT);
    CHECK_NEAR(p90, 22.4, EXACT);
    CHECK(feed(&t, s, 16, 20) == 0);
    CHECK(feed(&t, s, 20, 21) == 21);
    /* Fifteen kept: the p90 is 12.6 ranks up, 20 + 0.6 * (22 - 20). */
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 20, EXACT);
    CHECK_NEAR(p90, 21.2, EXACT);
    pc_tput_free(&t);
}

/* The stop rule's 5 % from both sides, and its second of kept windows. */
static void stop_rule(void)
{
    double v[16];

    /* Halves 100 and 95: exactly 5 % apart, stop; 94.99: go on. */
    for (size_t i = 0; i < 10; i++)
        v[i] = i < 5 ? 100 : 95;
    CHECK(pc_tput_stop_rule(v, 10, 0, 97.5));
    for (size_t i = 5; i < 10; i++)
        v[i] = 94.99;
    CHECK(!pc_tput_stop_rule(v, 10, 0, 97.495));
    /* The second against the median: 100 against 95 stops, against 94.99 not. */
    for (size_t i = 0; i < 10; i++)
        v[i] = 100;
    CHECK(pc_tput_stop_rule(v, 10, 0, 95));
    CHECK(!pc_tput_stop_rule(v, 10, 0, 94.99));
    CHECK(pc_tput_stop_rule(v, 10, 0, 105)); /* 100 is 4.76 % below 105 */
    CHECK(!pc_tput_stop_rule(v, 10, 0, NAN));
    /* A second of kept windows: 9 after a ramp of 6 are not enough, 10 are. */
    for (size_t i = 0; i < N(v); i++)
        v[i] = 100;
    CHECK(!pc_tput_stop_rule(v, 15, 6, 100));
    CHECK(pc_tput_stop_rule(v, 16, 6, 100));
    CHECK(!pc_tput_stop_rule(v, 16, PC_TPUT_RAMPING, 100));
    /* Nothing moved: not a stable rate. */
    for (size_t i = 0; i < N(v); i++)
        v[i] = 0;
    CHECK(!pc_tput_stop_rule(v, 10, 0, 0));
}

static void ends_in_ramp(void)
{
    const double s[] = {1, 2, 4, 8};
    double med, p90;
    struct pc_tput t;

    pc_tput_init(&t);
    feed(&t, s, 0, N(s));
    CHECK(pc_tput_add(&t, -3, 500 * MS) == 0);
    CHECK(t.n == 5 && t.mbps[4] == 0); /* a negative rate counts as 0 */
    pc_tput_end(&t);
    CHECK(t.ramp == 5);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0 && isnan(med) && isnan(p90));
    pc_tput_free(&t);
}

/* The bytes of one stream: each new connection's counter starts at 0. */
static void connection_count(void)
{
    struct pc_tput_count c;

    pc_tput_count_init(&c);
    CHECK(pc_tput_count_add(&c, 5, 100) == 100);
    CHECK(pc_tput_count_add(&c, 5, 300) == 300);
    CHECK(pc_tput_count_add(&c, 6, 50) == 350);
    CHECK(pc_tput_count_add(&c, 6, 80) == 380);
    CHECK(c.total == 380);
}

int main(void)
{
    mean_and_within();
    ramp_boundaries();
    smoothing();
    steady();
    slow_ramp();
    loss_burst();
    stop_rule();
    ends_in_ramp();
    connection_count();
    return check_done();
}
