/* clock.c - CLOCK_MONOTONIC in nanoseconds, with a fake for tests. */
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "precall/clock.h"

/* Probe threads read the clock while a test moves it: the pointer and the time are atomic. */
static const _Atomic int64_t *_Atomic fake_now;

int64_t pc_clock_now_ns(void)
{
    const _Atomic int64_t *fake = atomic_load(&fake_now);
    struct timespec ts;

    if (fake != NULL)
        return atomic_load(fake);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * PC_NS_PER_S + ts.tv_nsec;
}

void pc_clock_set_fake(const _Atomic int64_t *now_ns)
{
    atomic_store(&fake_now, now_ns);
}

void pc_clock_utc_iso(char *buf, unsigned long cap)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t pc_clock_from_realtime(const struct timespec *rt)
{
    struct timespec now_rt;
    int64_t now_mono = pc_clock_now_ns(), now_real, rx_real;

    clock_gettime(CLOCK_REALTIME, &now_rt);
    now_real = (int64_t)now_rt.tv_sec * PC_NS_PER_S + now_rt.tv_nsec;
    rx_real = (int64_t)rt->tv_sec * PC_NS_PER_S + rt->tv_nsec;
    if (rx_real > now_real || now_real - rx_real > PC_NS_PER_S)
        return now_mono; /* the wall clock stepped: our own reading */
    return now_mono - (now_real - rx_real);
}
