/* clock.c - CLOCK_MONOTONIC in nanoseconds, with a fake for tests. */
#include <stddef.h>
#include <time.h>

#include "precall/clock.h"

static const int64_t *fake_now;

int64_t pc_clock_now_ns(void)
{
    struct timespec ts;

    if (fake_now != NULL)
        return *fake_now;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * PC_NS_PER_S + ts.tv_nsec;
}

void pc_clock_set_fake(const int64_t *now_ns)
{
    fake_now = now_ns;
}

void pc_clock_utc_iso(char *buf, unsigned long cap)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
