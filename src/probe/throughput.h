/*
 * throughput.h - the speed of one direction from its 100 ms windows: pure
 * computation, no I/O, no clock.
 *
 * The caller adds the rate of each window (Mbit/s) with the time since the
 * direction started. The first windows are TCP's ramp-up and are left out.
 * Its clock starts with the first window that moved a byte (a connection
 * whose SYN was lost waits a second for its retransmission: those empty
 * windows are not a flat rate). It lasts at least PC_TPUT_RAMP_MIN_NS,
 * until the rate stops rising (the last half second no faster than the half
 * second before, within 5 %), at most the ramp's limit: PC_TPUT_RAMP_MAX_NS,
 * or PC_TPUT_RAMP_RTTS round trips of the path when that is longer (a long
 * path's slow start takes that many). Each kept window is taken as the mean
 * of it and the PC_TPUT_SMOOTH - 1 windows before it (a single window of a
 * shared link is bursty: a loss holds a stream's bytes back until the
 * retransmission fills the hole, then they all arrive); the p90 is that of
 * those means. The rate is the mean of the windows from the moment the link
 * was first filled (the first PC_TPUT_FILL_WINDOWS windows in a row at
 * PC_TPUT_FILL_FRAC of the mean of all windows after the first
 * PC_TPUT_FILL_WINDOWS that moved bytes, at the latest the ramp-up's end)
 * to the end: counted in order, bytes that a loss holds back arrive
 * later in a burst, and a period that starts after the hole but before its
 * burst counts them twice, while one that starts on the full link, before
 * the first loss, counts every hole with its burst.
 *
 * The stop rule: once PC_TPUT_KEPT_MIN windows are kept, the direction is
 * stable when the two halves of the last second agree within
 * PC_TPUT_HALVES_PCT, the second agrees with the rate within
 * PC_TPUT_STABLE_PCT, and it does not end inside a recovery burst (none of
 * the last PC_TPUT_BURST_WINDOWS windows below PC_TPUT_BURST_FRAC of the
 * rate: bytes held back behind a loss, their catch-up still to come).
 *
 * A direction whose link could not be filled in its time gives a lower
 * bound, not a figure: its ramp-up never ended (the rate still rose) or
 * ended with the time (no window kept), or it
 * ended at its limit while the rate still rose and the kept windows kept
 * rising (their second half more than PC_TPUT_RISING_PCT above the first)
 * without ever being stable. The lower bound is the best second seen.
 *
 * Also here: the byte count of one stream over its connections, from a
 * counter that each new connection restarts.
 *
 * A struct pc_tput owns its array of windows; pc_tput_free() releases it.
 */
#ifndef PRECALL_PROBE_THROUGHPUT_H
#define PRECALL_PROBE_THROUGHPUT_H

#include <stddef.h>
#include <stdint.h>

#include "precall/clock.h"

#define PC_TPUT_WINDOW_NS      (100 * PC_NS_PER_MS)
#define PC_TPUT_RAMP_MIN_NS    (500 * PC_NS_PER_MS)
#define PC_TPUT_RAMP_MAX_NS    (1500 * PC_NS_PER_MS)
#define PC_TPUT_RAMP_RTTS      8    /* a long path's ramp-up may last this many round trips */
#define PC_TPUT_RAMP_WINDOWS   5    /* the ramp compares this many windows with as many before */
#define PC_TPUT_RAMP_PCT       5.0  /* "no faster": at most this much faster */
#define PC_TPUT_SMOOTH         5    /* windows in each value the p90 takes */
#define PC_TPUT_FILL_WINDOWS   3    /* the link is filled: this many windows in a row */
#define PC_TPUT_FILL_FRAC      0.9  /* at this share of the mean after them */
#define PC_TPUT_STABLE_WINDOWS 10   /* the last second */
#define PC_TPUT_KEPT_MIN       15   /* windows kept before the stop rule may hold */
#define PC_TPUT_STABLE_PCT     5.0  /* the last second against the rate, within this */
#define PC_TPUT_HALVES_PCT     10.0 /* the halves of the last second, within this */
#define PC_TPUT_BURST_WINDOWS  3    /* the last windows that must not be a loss's hole */
#define PC_TPUT_BURST_FRAC     0.5  /* a window below this share of the rate is a hole */
#define PC_TPUT_RISING_PCT     10.0 /* kept windows rising more than this: not filled */
#define PC_TPUT_RAMPING        SIZE_MAX /* ramp while the ramp-up lasts */

struct pc_tput {
    double *mbps; /* the rate of each window, in order */
    size_t n, cap;
    size_t ramp;    /* windows [0, ramp) are the ramp-up; PC_TPUT_RAMPING while it lasts */
    int stable;     /* the stop rule held after the last window */
    int ramp_cut;   /* the ramp-up ended at its limit, still rising */
    int lower;      /* set by pc_tput_end(): the link was not filled, the figure is a lower bound */
    int64_t rtt_ns; /* the path's round trip (0: not known): the ramp's limit scales with it */
};

void pc_tput_init(struct pc_tput *t);
void pc_tput_free(struct pc_tput *t); /* accepts NULL */

/*
 * Add the window that ended elapsed_ns after the direction started (a
 * negative rate counts as 0), then see whether the ramp-up ended and
 * whether the stop rule holds. 0, or PC_ENOMEM (the window is not added).
 */
int pc_tput_add(struct pc_tput *t, double mbps, int64_t elapsed_ns);

/* The path's round trip is rtt_ns (the smallest seen; 0 or less: not known). */
void pc_tput_set_rtt(struct pc_tput *t, int64_t rtt_ns);

/*
 * The direction ended: a ramp-up that never ended keeps no window. Sets
 * lower when the link was not filled (see above).
 */
void pc_tput_end(struct pc_tput *t);

/*
 * The rate (from the link's first filling, see above) and the p90 of the
 * kept windows, smoothed. 0, or PC_ENOMEM; both figures are NAN when no
 * window is kept (or on PC_ENOMEM). For a lower bound (t->lower), both are
 * the best second seen.
 */
int pc_tput_figures(const struct pc_tput *t, double *rate, double *p90);

/* The parts, pure functions over a series of n windows. */

/* Mean of v[0..n), 0 when n == 0. */
double pc_tput_mean(const double *v, size_t n);

/* a and b within pct % of the larger (both 0 or less: within); NAN: not within. */
int pc_tput_within(double a, double b, double pct);

/* The first window that moved a byte (n when none did). */
size_t pc_tput_first_moving(const double *mbps, size_t n);

/* The ramp-up's limit on a path of rtt_ns (0: not known). */
int64_t pc_tput_ramp_max_ns(int64_t rtt_ns);

/*
 * After window n (elapsed_ns from the start) of a direction still in its
 * ramp-up, the limit max_ns: did it end? Still rising at the limit: ended,
 * and *cut (may be NULL) set to 1, else 0.
 */
int pc_tput_ramp_ended(const double *mbps, size_t n, int64_t elapsed_ns, int64_t max_ns, int *cut);

/* Any of the last PC_TPUT_BURST_WINDOWS of n windows inside a loss's hole (below the share of ref)?
 */
int pc_tput_in_burst(const double *mbps, size_t n, double ref);

/* The kept windows [ramp, n) still rising: the second half more than PC_TPUT_RISING_PCT above the
 * first. */
int pc_tput_rising(const double *mbps, size_t n, size_t ramp);

/* The best mean of PC_TPUT_STABLE_WINDOWS consecutive windows (all of them when fewer). */
double pc_tput_best_second(const double *mbps, size_t n);

/* The window from which the rate counts, of n of which [0, ramp) the ramp-up: the link first
   filled (see above), at the latest ramp (n when ramp >= n). */
size_t pc_tput_fill_start(const double *mbps, size_t n, size_t ramp);

/* Window i as the p90 takes it: the mean of it and the PC_TPUT_SMOOTH - 1 before (fewer at 0).
 */
double pc_tput_smoothed(const double *mbps, size_t i);

/* The stop rule after n windows, of which [0, ramp) the ramp-up, rate the figure so far. */
int pc_tput_stop_rule(const double *mbps, size_t n, size_t ramp, double rate);

/*
 * The bytes of one stream over its connections, from a counter of the
 * current connection (fd) that starts at 0 with each new connection.
 */
struct pc_tput_count {
    int fd;         /* the connection prev belongs to; -1 before the first */
    long long prev; /* its counter at the last look */
    long long total;
};

void pc_tput_count_init(struct pc_tput_count *c);

/* The connection fd's counter is now value: returns the total so far. */
long long pc_tput_count_add(struct pc_tput_count *c, int fd, long long value);

#endif
