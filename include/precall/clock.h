/*
 * clock.h - the one monotonic clock of precall, in int64 nanoseconds.
 *
 * Every duration and timestamp in the core comes from pc_clock_now_ns().
 * Tests may install a fake clock; it stays in force until removed with
 * pc_clock_set_fake(NULL). The fake time is an atomic the test owns: probe
 * threads read it while the test (or a fake probe) moves it.
 */
#ifndef PRECALL_CLOCK_H
#define PRECALL_CLOCK_H

#include <stdint.h>

#define PC_NS_PER_MS 1000000LL
#define PC_NS_PER_S  1000000000LL

int64_t pc_clock_now_ns(void);

struct timespec;
/*
 * A kernel receive timestamp (SO_TIMESTAMPNS: CLOCK_REALTIME) moved onto
 * pc_clock_now_ns()'s clock. When the wall clock seems to have stepped (the
 * stamp in the future, or more than a second old), now on our own clock.
 */
int64_t pc_clock_from_realtime(const struct timespec *rt);

/* Install a fake clock: pc_clock_now_ns() then returns *now_ns. NULL restores. */
void pc_clock_set_fake(const _Atomic int64_t *now_ns);

/* Wall-clock time as an ISO 8601 UTC string ("2026-11-25T20:44:19Z"). */
void pc_clock_utc_iso(char *buf, unsigned long cap);

static inline double pc_ns_to_ms(int64_t ns)
{
    return (double)ns / 1e6;
}

#endif
