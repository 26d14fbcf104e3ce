/*
 * runner.h - runs a list of probes within a time budget and a deadline.
 *
 * Probes run phase by phase; the probes of one phase run in parallel, each
 * on its own thread. Each probe's window is its share of the budget, with
 * the shares of probes left out handed on to those that run, and never
 * past the hard deadline. The runner watches the cancel flag (set from a
 * signal handler by the CLI), emits the run's events, marks probes that
 * never ran, and records whether the report is complete. It writes only
 * into the report and calls only the event callback, from a delivery
 * thread of its own and outside its locks (see event.h), so a callback
 * that blocks holds up no probe and no deadline.
 */
#ifndef PRECALL_RUNNER_H
#define PRECALL_RUNNER_H

#include <stdatomic.h>

#include "precall/err.h"
#include "precall/event.h"
#include "precall/probe.h"
#include "precall/report.h"

/* How long past the deadline the runner waits for a probe that does not stop. */
#define PC_RUNNER_GRACE_NS (500 * 1000000LL)

struct pc_run {
    const struct pc_probe *const *probes; /* in phase order */
    size_t n_probes;                      /* at most 32 */
    unsigned mask;                        /* bit i: probes[i] is selected */
    const struct pc_config *cfg;
    const struct pc_events *events; /* may be NULL */
    atomic_int *cancel;             /* may be NULL */
};

/*
 * The sum of the time shares of the selected probes (bit i of mask: probes[i]):
 * per phase the largest share among its probes, which run in parallel; a probe
 * that overlaps takes no time of its own. A probe's window is its share over
 * this sum, times the budget (the runner plans so; the CLI refuses a budget
 * that leaves a probe too short a window).
 */
double pc_runner_shares(const struct pc_probe *const *probes, size_t n, unsigned mask);

/*
 * Turn --only and --skip lists ("dns,udp"; either may be NULL) into a
 * selection mask over the list. PC_EINVAL names an unknown probe.
 */
int pc_runner_select(const struct pc_probe *const *probes, size_t n, const char *only,
                     const char *skip, unsigned *mask, struct pc_err *err);

/*
 * mask less the selected probes with nothing to do under cfg (their idle()
 * gives a reason): what the run and its time plan are made of.
 */
unsigned pc_runner_active(const struct pc_probe *const *probes, size_t n, unsigned mask,
                          const struct pc_config *cfg);

/*
 * Run the selected probes. Always fills the report as far as it got and
 * ends by the deadline (plus PC_RUNNER_GRACE_NS for a probe that does not
 * stop); then it waits until the event callback has taken the run's last
 * event (RUN_DONE) and returns. Returns the number of probes still running
 * then: the report is sealed, and the runner holds it for them
 * (pc_report_hold), so the caller may read it and pc_report_free() it.
 */
int pc_runner_run(const struct pc_run *run, struct pc_report *r);

#endif
