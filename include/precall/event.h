/*
 * event.h - what happens during a run, as one event type with a timestamp.
 *
 * The runner and the probes emit events; the progress display and the
 * streaming renderers (NDJSON) consume the same events through one
 * callback. The runner queues them and calls the callback from one thread
 * of its own, outside its locks, one call at a time, in the order they were
 * queued, with t_ns never smaller than the previous event's: a callback
 * that blocks (a paused terminal, a full pipe) delays only the events, not
 * the probes or the deadline. No call comes after pc_runner_run() returned.
 * Every pointer in an event is valid only during the call.
 */
#ifndef PRECALL_EVENT_H
#define PRECALL_EVENT_H

#include <stdint.h>

#include "precall/metrics.h"

struct pc_probe_result;
struct pc_report;

enum pc_event_kind {
    PC_EVENT_RUN_START,
    PC_EVENT_PROBE_START,
    PC_EVENT_PHASE,  /* a probe entered a named phase: "discovery", "idle", ... */
    PC_EVENT_FIGURE, /* a live figure of a scope */
    PC_EVENT_PROBE_DONE,
    PC_EVENT_RUN_DONE
};

struct pc_event {
    enum pc_event_kind kind;
    int64_t t_ns;                         /* since the run started */
    const char *probe;                    /* PROBE_START, PHASE, FIGURE, PROBE_DONE */
    const char *phase;                    /* PHASE */
    enum pc_scope_kind scope_kind;        /* FIGURE */
    const char *scope_id;                 /* FIGURE */
    enum pc_metric metric;                /* FIGURE */
    double value;                         /* FIGURE */
    const struct pc_probe_result *result; /* PROBE_DONE */
    const struct pc_report *report;       /* RUN_START, RUN_DONE */
};

/* Where events go; emit may be NULL. */
struct pc_events {
    void *user;
    void (*emit)(void *user, const struct pc_event *ev);
};

/* "run_start", "probe_start", "phase", "figure", "probe_done", "run_done" */
const char *pc_event_name(enum pc_event_kind k);

#endif
