/*
 * runner.h - runs the selected probes of 'check' within a time budget.
 *
 * Probes run phase by phase; the probes of one phase run in parallel, each
 * on its own thread. The runner enforces the hard deadline, watches the
 * cancel flag (set to a signal's number by the CLI's handlers), marks probes that
 * never ran, and records whether the report is complete. It writes only
 * into the report and calls only the event callbacks.
 */
#ifndef PRECALL_RUNNER_H
#define PRECALL_RUNNER_H

#include <stdatomic.h>

#include "precall/err.h"
#include "precall/probe.h"
#include "precall/report.h"

/*
 * Turn --only and --skip lists ("dns,udp"; either may be NULL) into a
 * selection mask over the registry. PC_EINVAL names an unknown probe.
 */
int pc_runner_select(const char *only, const char *skip, unsigned *mask, struct pc_err *err);

/* Run the probes in mask. Always fills the report as far as it got. */
void pc_runner_run(const struct pc_config *cfg, unsigned mask, struct pc_report *r,
                   const struct pc_events *events, atomic_int *cancel);

#endif
