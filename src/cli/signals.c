/*
 * signals.c - SIGINT, SIGTERM and SIGHUP stop the check, not the program:
 * the handler stores the signal's number in the flag the runner polls, the
 * runner ends its probes, and the partial report still comes out, marked
 * incomplete, with exit status 128 + the signal. A second signal of the same
 * kind ends the program at once (SA_RESETHAND).
 */
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "cli/cli.h"

/* A store to a lock-free atomic is async-signal-safe (C11 7.14.1.1). */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int must be lock-free in a signal handler");

static atomic_int caught; /* 0, or the first signal that arrived */

static void on_signal(int sig)
{
    int none = 0;

    atomic_compare_exchange_strong(&caught, &none, sig); /* the first one names the stop */
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

atomic_int *pc_signals_catch(void)
{
    struct sigaction sa, old;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second one of a kind ends the program at once */
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
