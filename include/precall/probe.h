/*
 * probe.h - what a probe is, what it is given, and how it reports.
 *
 * A probe is a value (struct pc_probe) in the registry. The runner calls
 * run() on a thread of its own with a context: the configuration (read
 * only), the report to write into, its time window and the run's hard
 * deadline. A probe records ok / failed / skipped with a reason in its
 * result and never fails the run; run() returns 0, or a negative PC_E*
 * only for a bug. Probes report progress only through pc_probe_event() and
 * pc_probe_figure(); they never print.
 */
#ifndef PRECALL_PROBE_H
#define PRECALL_PROBE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "precall/report.h"

#define PC_STUN_SERVERS_MAX 4

struct pc_config {
    const char *stun[PC_STUN_SERVERS_MAX]; /* "host[:port]" */
    size_t n_stun;
    int family;         /* 0 any, 4 or 6 */
    int64_t budget_ns;  /* --duration: the whole check's time budget */
    int64_t timeout_ns; /* --timeout: hard deadline from the start */
};

/* Progress callbacks; any may be NULL. Calls are serialised by the runner. */
struct pc_events {
    void *user;
    void (*probe_start)(void *user, const char *probe);
    void (*figure)(void *user, const char *probe, enum pc_metric m, double value);
    void (*probe_done)(void *user, const struct pc_probe_result *res);
};

struct pc_probe_ctx {
    const struct pc_config *cfg;
    struct pc_report *report;
    struct pc_probe_result *result;
    int64_t start_ns;    /* when this probe's window opened */
    int64_t window_ns;   /* how long its measuring may take */
    int64_t deadline_ns; /* hard end of the run: nothing may wait past it */
    atomic_int *cancel;  /* 0, or the number of the signal that stops the run */
    const struct pc_events *events;
    void *runner; /* private */
};

struct pc_probe {
    const char *name;
    const char *summary; /* one line for --help and the man page */
    int phase;           /* probes of one phase run in parallel */
    double budget_share; /* fraction of --duration its window takes */
    int (*run)(struct pc_probe_ctx *ctx);
};

/* The registry, in phase order. */
const struct pc_probe *pc_probe_get(size_t i); /* NULL past the end */
const struct pc_probe *pc_probe_find(const char *name);

/* Stop now? (SIGINT or past the hard deadline.) */
int pc_probe_should_stop(const struct pc_probe_ctx *ctx);

/* A live figure for the progress display. */
void pc_probe_figure(struct pc_probe_ctx *ctx, enum pc_metric m, double value);

/* Finish a probe with a status and a printf-style reason ("" for none). */
void pc_probe_finish(struct pc_probe_ctx *ctx, enum pc_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

extern const struct pc_probe pc_probe_dns;
extern const struct pc_probe pc_probe_udp;

#endif
