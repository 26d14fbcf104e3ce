/*
 * throughput.h - the speed of one direction from its 100 ms windows: pure
 * computation, no I/O, no clock.
 *
 * The caller adds the rate of each window (Mbit/s) with the time since the
 * direction started. The first windows are TCP's ramp-up and are left out:
 * at least PC_TPUT_RAMP_MIN_NS, until the rate stops rising (the last three
 * windows no faster than the three before, within 5 %), at most
 * PC_TPUT_RAMP_MAX_NS. Each kept window is taken as the mean of it and the
 * PC_TPUT_SMOOTH - 1 windows before it (a single window of a shared link is
 * bursty: a loss holds a stream's bytes back until the retransmission fills
 * the hole, then they all arrive); the figures are the median and p90 of
 * those means. The stop rule: once PC_TPUT_STABLE_WINDOWS windows (a
 * second) are kept, the direction is stable when the two halves of the last
 * second agree within PC_TPUT_STABLE_PCT, and the second agrees with the
 * median within the same.
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
#define PC_TPUT_RAMP_WINDOWS   3   /* the ramp compares this many windows with as many before */
#define PC_TPUT_RAMP_PCT       5.0 /* "no faster": at most this much faster */
#define PC_TPUT_SMOOTH         5   /* windows in each value the median takes */
#define PC_TPUT_STABLE_WINDOWS 10  /* the last second */
#define PC_TPUT_STABLE_PCT     5.0 /* its halves, and it against the median, within this */
#define PC_TPUT_RAMPING        SIZE_MAX /* ramp while the ramp-up lasts */

struct pc_tput {
    double *mbps; /* the rate of each window, in order */
    size_t n, cap;
    size_t ramp; /* windows [0, ramp) are the ramp-up; PC_TPUT_RAMPING while it lasts */
    int stable;  /* the stop rule held after the last window */
};

void pc_tput_init(struct pc_tput *t);
void pc_tput_free(struct pc_tput *t); /* accepts NULL */

/*
 * Add the window that ended elapsed_ns after the direction started (a
 * negative rate counts as 0), then see whether the ramp-up ended and
 * whether the stop rule holds. 0, or PC_ENOMEM (the window is not added).
 */
int pc_tput_add(struct pc_tput *t, double mbps, int64_t elapsed_ns);

/* The direction ended: a ramp-up that never ended keeps no window. */
void pc_tput_end(struct pc_tput *t);

/*
 * The median and p90 of the kept windows, smoothed. 0, or PC_ENOMEM; both
 * figures are NAN when no window is kept (or on PC_ENOMEM).
 */
int pc_tput_figures(const struct pc_tput *t, double *median, double *p90);

/* The parts, pure functions over a series of n windows. */

/* Mean of v[0..n), 0 when n == 0. */
double pc_tput_mean(const double *v, size_t n);

/* a and b within pct % of the larger (both 0 or less: within); NAN: not within. */
int pc_tput_within(double a, double b, double pct);

/* After window n (elapsed_ns from the start) of a direction still in its ramp-up: did it end? */
int pc_tput_ramp_ended(const double *mbps, size_t n, int64_t elapsed_ns);

/* Window i as the median takes it: the mean of it and the PC_TPUT_SMOOTH - 1 before (fewer at 0).
 */
double pc_tput_smoothed(const double *mbps, size_t i);

/* The stop rule after n windows, of which [0, ramp) the ramp-up, median that of the kept. */
int pc_tput_stop_rule(const double *mbps, size_t n, size_t ramp, double median);

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
