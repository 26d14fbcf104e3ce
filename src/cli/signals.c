/*
 * signals.c - SIGINT, SIGTERM and SIGHUP stop the check, not the program:
 * the handler stores the signal's number in the flag the runner polls, the
 * runner ends its probes, and the partial report still comes out, marked
 * incomplete, with exit status 128 + the signal. A second signal of the same
 * kind ends the program at once, unless it comes within REPEAT_NS of the
 * first: timeout(1) sends its signal to the program and then to its process
 * group, the same program, and those two are one request, not a user's
 * second Ctrl-C.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

/* A store to a lock-free atomic is async-signal-safe (C11 7.14.1.1). */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int must be lock-free in a signal handler");

static atomic_int caught; /* 0, or the first signal that arrived */

/* Two signals of one kind closer than this are one request (timeout's pair). */
#define REPEAT_NS 100000000LL

static _Atomic int64_t first_ns; /* when the first one arrived */

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts); /* async-signal-safe (POSIX.1-2008) */
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_signal(int sig)
{
    int none = 0;

    if (atomic_compare_exchange_strong(&caught, &none, sig)) { /* the first one names the stop */
        atomic_store(&first_ns, now_ns());
        return;
    }
    if (sig == atomic_load(&caught) && now_ns() - atomic_load(&first_ns) >= REPEAT_NS) {
        signal(sig, SIG_DFL); /* the same again, asked twice: end at once, by it */
        raise(sig);
    }
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

atomic_int *pc_signals_catch(void)
{
    struct sigaction sa, old;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = 0; /* a second one of a kind: on_signal */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
        sigaddset(&sa.sa_mask, stop_signals[i]);
    for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
        /*
         * SIGHUP ignored by whoever started us (nohup) stays ignored. SIGINT is
         * caught even when ignored: a shell script's background job has it
         * ignored, and 'kill -INT' of that job must still stop the check.
         */
        if (stop_signals[i] == SIGHUP && sigaction(SIGHUP, NULL, &old) == 0 &&
            old.sa_handler == SIG_IGN)
            continue;
        sigaction(stop_signals[i], &sa, NULL);
    }
    return &caught;
}
