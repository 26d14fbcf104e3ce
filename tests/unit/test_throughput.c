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
    const double flat[] = {20, 20, 20, 20, 20, 20, 20, 20, 20, 20};
    const double five[] = {20, 20, 20, 20, 20, 21, 21, 21, 21, 21}; /* exactly 5 % faster: flat */
    const double over[] = {20, 20, 20, 20, 20, 21, 21, 21, 21, 21.03}; /* 21.006: rising */
    const double rising[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    /* A lost SYN: a second of nothing, then the rate (the empty windows are not flat). */
    const double syn[] = {0,  0,  0,  0,  0,  0, 0, 0, 0, 0, 20, 20, 20, 20, 20,
                          20, 20, 20, 20, 20, 1, 2, 3, 4, 5, 6,  7,  8,  9,  10};
    const int64_t max = PC_TPUT_RAMP_MAX_NS;
    int cut = -1;

    /* Ten windows are needed to compare five with five. */
    CHECK(!pc_tput_ramp_ended(flat, 9, 1000 * MS, max, &cut));
    CHECK(pc_tput_ramp_ended(flat, 10, 1000 * MS, max, &cut) && cut == 0);
    /* Never before 500 ms of moving bytes, flat or not. */
    CHECK(!pc_tput_ramp_ended(flat, 10, 500 * MS - 1, max, NULL));
    CHECK(pc_tput_ramp_ended(flat, 10, 500 * MS, max, NULL));
    CHECK(pc_tput_ramp_ended(five, 10, 1000 * MS, max, NULL));
    CHECK(!pc_tput_ramp_ended(over, 10, 1000 * MS, max, NULL));
    /* Still rising: over at 1500 ms all the same, and cut there. */
    CHECK(!pc_tput_ramp_ended(rising, 14, 1500 * MS - 1, max, &cut) && cut == 0);
    CHECK(pc_tput_ramp_ended(rising, 15, 1500 * MS, max, &cut) && cut == 1);
    /* Zeros are no ramp-up: flat twenty times over, but nothing moved. */
    CHECK(pc_tput_first_moving(syn, 10) == 10);
    CHECK(pc_tput_first_moving(syn, 30) == 10);
    CHECK(!pc_tput_ramp_ended(syn, 10, 1000 * MS, max, NULL));
    CHECK(!pc_tput_ramp_ended(syn, 19, 1900 * MS, max, NULL)); /* nine moving windows */
    CHECK(pc_tput_ramp_ended(syn, 20, 2000 * MS, max, NULL));
    /* The limit counts from the first byte too: rising from window 20, cut at 1500 ms of it. */
    CHECK(!pc_tput_ramp_ended(syn + 10, 20, 2500 * MS - 1, max + 1000 * MS, NULL));
    CHECK(!pc_tput_ramp_ended(syn, 30, 2500 * MS - 1, max, &cut) && cut == 0);
    CHECK(pc_tput_ramp_ended(syn, 30, 2500 * MS, max, &cut) && cut == 1);
}

/* The ramp-up's limit: 1500 ms, or eight round trips of a longer path. */
static void ramp_limit(void)
{
    CHECK(pc_tput_ramp_max_ns(0) == 1500 * MS);
    CHECK(pc_tput_ramp_max_ns(-1) == 1500 * MS);
    CHECK(pc_tput_ramp_max_ns(100 * MS) == 1500 * MS);
    CHECK(pc_tput_ramp_max_ns(1500 * MS / 8) == 1500 * MS);
    CHECK(pc_tput_ramp_max_ns(1500 * MS / 8 + 1) == 1500 * MS + 8);
    CHECK(pc_tput_ramp_max_ns(300 * MS) == 2400 * MS); /* a satellite path */
    CHECK(pc_tput_ramp_max_ns(500 * MS) == 4000 * MS);
}

static void smoothing(void)
{
    const double v[] = {10, 20, 30, 40, 50, 60};

    CHECK_NEAR(pc_tput_smoothed(v, 0), 10, EXACT);
    CHECK_NEAR(pc_tput_smoothed(v, 1), 15, EXACT);
    CHECK_NEAR(pc_tput_smoothed(v, 4), 30, EXACT);
    CHECK_NEAR(pc_tput_smoothed(v, 5), 40, EXACT); /* 20..60: the first one drops out */
}

/* A steady 20 Mbit/s: the ramp ends at the tenth window, stable 15 kept windows later. */
static void steady(void)
{
    double s[26], med, p90;
    struct pc_tput t;

    for (size_t i = 0; i < N(s); i++)
        s[i] = 20;
    pc_tput_init(&t);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0 && isnan(med) && isnan(p90));
    feed(&t, s, 0, 9);
    CHECK(t.ramp == PC_TPUT_RAMPING);
    feed(&t, s, 9, 10);
    CHECK(t.ramp == 10 && !t.ramp_cut);
    CHECK(feed(&t, s, 10, 24) == 0); /* fourteen kept windows are not yet enough */
    CHECK(feed(&t, s, 24, 25) == 25);
    pc_tput_end(&t);
    CHECK(!t.lower);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 20, EXACT);
    CHECK_NEAR(p90, 20, EXACT);
    pc_tput_free(&t);
    pc_tput_free(NULL);
}

/*
 * A slow ramp: 2, 4, 6, ... 40 Mbit/s, then 40. Each half second is more
 * than 5 % faster than the one before, so the ramp-up ends at its limit
 * (window 15, cut); for the p90 the first kept windows are smoothed with
 * the ramp's (window 16, 32 Mbit/s, counts as (24+26+28+30+32)/5 = 28).
 * The rate counts from the link's first filling: the first three windows
 * in a row at 90 % of the mean after the first three (after 17 windows,
 * 8..34: 21, so 18.9: windows 9-11, 18 20 22, mean 20, from window 11 on:
 * 22..34, 28). Stable at window 30: fifteen kept, the halves of the last
 * second both 40, the second 40 against a rate of 38.125 (4.7 %; windows
 * 15-30, 30..40 then 40, the fill at 90 % of 808 / 27); at 29 only
 * fourteen were kept.
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
    CHECK(t.ramp == 15 && t.ramp_cut);
    /* Two kept, 32 and 34, smoothed with the ramp's windows: 28 and 30. */
    CHECK(feed(&t, s, 15, 17) == 0);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK(pc_tput_fill_start(s, 17, 15) == 10);
    CHECK_NEAR(med, 28, EXACT);
    CHECK_NEAR(p90, 29.8, EXACT);
    CHECK(feed(&t, s, 17, 25) == 0);
    /* Ten kept, smoothed: 28 30 32 34 36 37.6 38.8 39.6 40 40. The fill at 90 % of 608 / 22:
       windows 11-13 (26), the rate 438 / 12. */
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK(pc_tput_fill_start(s, 25, 15) == 13);
    CHECK_NEAR(med, 36.5, EXACT);
    CHECK_NEAR(p90, 40, EXACT);
    CHECK(feed(&t, s, 25, 29) == 0);
    CHECK(feed(&t, s, 29, 30) == 30);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK(pc_tput_fill_start(s, 30, 15) == 14);
    CHECK_NEAR(med, 38.125, EXACT);
    CHECK_NEAR(p90, 40, EXACT);
    pc_tput_end(&t);
    CHECK(!t.lower); /* cut, but it filled the link and was stable */
    pc_tput_free(&t);
}

/*
 * The same slow ramp on a path that ends its time at window 25, before the
 * rule could hold: cut, never stable, and the kept windows still rising
 * (the second five at 40 against 36, more than 10 % faster). The link was
 * not filled: a lower bound, the best second seen (windows 15-24, 38).
 * With the time ending at window 30 instead, it would have been stable.
 */
static void not_filled(void)
{
    double s[25], med, p90;
    struct pc_tput t;

    for (size_t i = 0; i < N(s); i++)
        s[i] = i < 20 ? 2.0 * (double)(i + 1) : 40;
    pc_tput_init(&t);
    feed(&t, s, 0, N(s));
    CHECK(t.ramp == 15 && t.ramp_cut && !t.stable);
    CHECK(pc_tput_rising(s, 25, 15));
    pc_tput_end(&t);
    CHECK(t.lower);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 38, EXACT);
    CHECK_NEAR(p90, 38, EXACT);
    pc_tput_free(&t);
    /* The same windows on a known short path (50 ms: a ramp limit of 1.5 s, not longer):
     * a cut ramp-up there is a noisy rate, not an unfilled link, and the rate stands. */
    pc_tput_init(&t);
    pc_tput_set_rtt(&t, 50 * PC_NS_PER_MS);
    feed(&t, s, 0, N(s));
    CHECK(t.ramp == 15 && t.ramp_cut && !t.stable);
    pc_tput_end(&t);
    CHECK(!t.lower);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK(med > 36 && med <= 40);
    pc_tput_free(&t);
    /* Rising: the second half more than 10 % above the first, both sides of it. */
    {
        const double kept[] = {10, 10, 11, 11};
        const double more[] = {10, 10, 11.01, 11.01};

        CHECK(!pc_tput_rising(kept, 4, 0));
        CHECK(pc_tput_rising(more, 4, 0));
        CHECK(!pc_tput_rising(more, 4, 3)); /* one kept window: no halves */
        CHECK(!pc_tput_rising(more, 4, 4));
    }
    /* The best second: of ten windows or more, the best ten in a row; of fewer, all. */
    {
        const double v[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0};

        CHECK_NEAR(pc_tput_best_second(v, 3), 2, EXACT);
        CHECK_NEAR(pc_tput_best_second(v, 10), 5.5, EXACT);
        CHECK_NEAR(pc_tput_best_second(v, 12), 6.5, EXACT);
    }
}

/*
 * A ramp cut at its limit on a link it then fills at once: flat after the
 * cut, so not rising, and not a lower bound even when never stable.
 */
static void cut_but_flat(void)
{
    double s[20], med, p90;
    struct pc_tput t;

    for (size_t i = 0; i < N(s); i++)
        s[i] = i < 15 ? 2.0 * (double)(i + 1) : 30;
    pc_tput_init(&t);
    feed(&t, s, 0, N(s));
    CHECK(t.ramp == 15 && t.ramp_cut && !t.stable);
    pc_tput_end(&t);
    CHECK(!t.lower);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    /* Filled at 90 % of 378 / 17: windows 10-12 (22), the rate (24+26+28+30+5 x 30) / 9. */
    CHECK(pc_tput_fill_start(s, 20, 15) == 11);
    CHECK_NEAR(med, 258.0 / 9, EXACT);
    pc_tput_free(&t);
}

/*
 * A loss and its recovery at a steady 20 Mbit/s, after the ramp-up: a
 * window of 32 (bytes that a hole had held back arrive), then one of 8 (the
 * next hole). At window 25 the last second (8 x 20, 32, 8) is 20, agrees
 * with the median and its halves agree, but the rule does not stop inside
 * the burst: the hole is among the last three windows until window 28.
 */
static void recovery_burst(void)
{
    double s[30], med, p90;
    struct pc_tput t;

    for (size_t i = 0; i < N(s); i++)
        s[i] = 20;
    s[23] = 32;
    s[24] = 8;
    pc_tput_init(&t);
    CHECK(feed(&t, s, 0, 24) == 0);
    CHECK(t.ramp == 10);
    CHECK(feed(&t, s, 24, 27) == 0);
    CHECK(pc_tput_in_burst(s, 25, 20) && pc_tput_in_burst(s, 27, 20) &&
          !pc_tput_in_burst(s, 28, 20));
    CHECK(pc_tput_stop_rule(s, 25, 10, 20) == 0);
    CHECK(feed(&t, s, 27, 28) == 28);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 20, EXACT);
    pc_tput_free(&t);
    /* A hole is below half the reference: exactly half is none. */
    {
        const double v[] = {20, 20, 10};
        const double w[] = {20, 20, 9.99};

        CHECK(!pc_tput_in_burst(v, 3, 20));
        CHECK(pc_tput_in_burst(w, 3, 20));
        CHECK(!pc_tput_in_burst(w, 2, 20)); /* only the last three count */
        CHECK(pc_tput_in_burst(w + 2, 1, 20));
    }
}

/*
 * The stop rule's limits from both sides: the halves within 10 %, the
 * second against the median within 5 %, fifteen kept windows.
 */
static void stop_rule(void)
{
    double v[26];

    /* Halves 100 and 90: exactly 10 % apart, stop; 89.99: go on (median 95, 5 % of 100). */
    for (size_t i = 0; i < 15; i++)
        v[i] = i < 10 ? 100 : 90;
    for (size_t i = 0; i < 15; i++)
        v[i] = i < 5 || (i >= 5 && i < 10) ? 100 : 90;
    CHECK(pc_tput_stop_rule(v, 15, 0, 95));
    for (size_t i = 10; i < 15; i++)
        v[i] = 89.99;
    CHECK(!pc_tput_stop_rule(v, 15, 0, 95));
    /* The second against the median: 100 against 95 stops, against 94.99 not. */
    for (size_t i = 0; i < N(v); i++)
        v[i] = 100;
    CHECK(pc_tput_stop_rule(v, 15, 0, 95));
    CHECK(!pc_tput_stop_rule(v, 15, 0, 94.99));
    CHECK(pc_tput_stop_rule(v, 15, 0, 105)); /* 100 is 4.76 % below 105 */
    CHECK(!pc_tput_stop_rule(v, 15, 0, NAN));
    /* Fifteen kept windows: 14 after a ramp of 10 are not enough, 15 are. */
    CHECK(!pc_tput_stop_rule(v, 24, 10, 100));
    CHECK(pc_tput_stop_rule(v, 25, 10, 100));
    CHECK(!pc_tput_stop_rule(v, 25, PC_TPUT_RAMPING, 100));
    /* Nothing moved: not a stable rate. */
    for (size_t i = 0; i < N(v); i++)
        v[i] = 0;
    CHECK(!pc_tput_stop_rule(v, 15, 0, 0));
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
    /* Bytes moved but the ramp-up never ended: the link was not filled, at least 3 Mbit/s. */
    CHECK(t.lower);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 3, EXACT);
    CHECK_NEAR(p90, 3, EXACT);
    pc_tput_free(&t);
    /* Nothing moved at all: no figure, no lower bound. */
    pc_tput_init(&t);
    CHECK(pc_tput_add(&t, 0, 100 * MS) == 0 && pc_tput_add(&t, 0, 200 * MS) == 0);
    pc_tput_end(&t);
    CHECK(!t.lower);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0 && isnan(med) && isnan(p90));
    pc_tput_free(&t);
}

/*
 * A 300 ms path at 20 Mbit/s, synthetic: 900 ms of TCP and TLS handshakes
 * (nothing moves), then slow start doubling each round trip from six
 * streams' initial windows (2.3 Mbit/s) up to the link's 19.1.
 *  - In the default check's share (23 windows) the link is never filled:
 *    the ramp-up is still on when the time ends, and the figure is a lower
 *    bound, the best second: windows 13-22, (2 x 4.6 + 3 x 9.2 + 3 x 18.4 +
 *    2 x 19.1) / 10 = 13.02.
 *  - With 48 windows and the round trip known, the ramp-up ends when the
 *    rate is flat (window 28, not cut) and the rule holds at 43. The link
 *    was filled at window 19 (9.2, 18.4, 18.4 against 90 % of the mean
 *    after the first three moving windows): over all 48, (2 x 18.4 + 27 x
 *    19.1) / 29.
 *    Not known, the ramp-up is cut at its 1500 ms (window 24, 1.5 s after
 *    the first byte at window 9), and the rule holds at 39.
 */
static void long_path(void)
{
    double s[48], med, p90;
    struct pc_tput t;

    for (size_t i = 0; i < N(s); i++) {
        double v = i < 9 ? 0 : 2.3 * (double)(1u << ((i - 9) / 3 > 5 ? 5 : (i - 9) / 3));

        s[i] = v > 19.1 ? 19.1 : v;
    }
    pc_tput_init(&t);
    pc_tput_set_rtt(&t, 300 * MS);
    CHECK(feed(&t, s, 0, 23) == 0);
    CHECK(t.ramp == PC_TPUT_RAMPING);
    pc_tput_end(&t);
    CHECK(t.lower);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK_NEAR(med, 13.02, EXACT);
    pc_tput_free(&t);

    pc_tput_init(&t);
    pc_tput_set_rtt(&t, 300 * MS);
    CHECK(feed(&t, s, 0, N(s)) == 43);
    CHECK(t.ramp == 28 && !t.ramp_cut);
    pc_tput_end(&t);
    CHECK(!t.lower);
    CHECK(pc_tput_figures(&t, &med, &p90) == 0);
    CHECK(pc_tput_fill_start(s, N(s), t.ramp) == 19);
    CHECK_NEAR(med, 552.5 / 29, EXACT);
    pc_tput_free(&t);

    pc_tput_init(&t);
    CHECK(feed(&t, s, 0, N(s)) == 39);
    CHECK(t.ramp == 24 && t.ramp_cut);
    pc_tput_free(&t);
}

/*
 * The link's first filling: three windows in a row at 90 % of the mean
 * after the first three moving ones, at the latest the ramp-up's end.
 */
static void fill_start(void)
{
    /* After two empty windows: 5 5 5, then 10 x 10 (mean after 5 5 5: 10). */
    double s[15] = {0, 0, 5, 5, 5};

    for (size_t i = 5; i < N(s); i++)
        s[i] = 10;
    CHECK(pc_tput_first_moving(s, 15) == 2);
    /* Windows 4-6 (5 10 10, 8.33) are short of 9, 5-7 (10) are not: from window 7. */
    CHECK(pc_tput_fill_start(s, 15, 12) == 7);
    CHECK(pc_tput_fill_start(s, 15, 6) == 6); /* never later than the ramp-up's end */
    s[4] = 7; /* 7 10 10 at 4-6: exactly 9, 90 % of the mean 10 after the first three */
    CHECK(pc_tput_fill_start(s, 15, 12) == 6);
    s[4] = 6.99;
    CHECK(pc_tput_fill_start(s, 15, 12) == 7);
    /* No ramp-up end yet, or too few windows: the end. */
    CHECK(pc_tput_fill_start(s, 15, 15) == 15);
    CHECK(pc_tput_fill_start(s, 15, PC_TPUT_RAMPING) == 15);
    CHECK(pc_tput_fill_start(s, 15, 4) == 4);
}

/* The round trip: the smallest seen; none given leaves it unknown. */
static void round_trip(void)
{
    struct pc_tput t;

    pc_tput_init(&t);
    CHECK(t.rtt_ns == 0);
    pc_tput_set_rtt(&t, 0);
    pc_tput_set_rtt(&t, -5);
    CHECK(t.rtt_ns == 0);
    pc_tput_set_rtt(&t, 320 * MS);
    pc_tput_set_rtt(&t, 300 * MS);
    pc_tput_set_rtt(&t, 450 * MS);
    CHECK(t.rtt_ns == 300 * MS);
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
    ramp_limit();
    smoothing();
    steady();
    slow_ramp();
    not_filled();
    cut_but_flat();
    recovery_burst();
    stop_rule();
    ends_in_ramp();
    round_trip();
    long_path();
    fill_start();
    connection_count();
    return check_done();
}
