/*
 * probe.h - what a probe is, what it is given, and how it reports.
 *
 * A probe is a value (struct pc_probe). The runner calls run() on a thread
 * of its own with a context: the configuration (read only), the report to
 * write into, its time window, the run's hard deadline and the cancel flag.
 * A probe records ok / failed / skipped with a reason in its result and
 * never fails the run; run() returns 0, or a negative PC_E* only for a bug.
 * ctx->result is the probe's own copy, which only its thread writes; the
 * runner puts it into the report when run() returns (not when the run has
 * given up on the probe first). The shared report is written through the
 * setters and read during the run only through the copy-out getters (see
 * report.h); events queue and never wait for their consumer.
 * Probes tell the world what they do only through events (pc_probe_phase,
 * pc_probe_figure); they never print. What one probe found that a later
 * one needs (the STUN server that answered first) passes through the
 * runner's shared values (pc_probe_share), not through the report.
 */
#ifndef PRECALL_PROBE_H
#define PRECALL_PROBE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "precall/event.h"
#include "precall/report.h"

#define PC_STUN_SERVERS_MAX 4
#define PC_TURN_SERVERS_MAX 4

struct pc_v4l2_ops; /* src/probe/camera.h: how the camera probe reaches V4L2 */
struct pc_wext_ops; /* src/probe/host.h: how the system probe asks the Wi-Fi bit rate */

struct pc_config {
    const char *stun[PC_STUN_SERVERS_MAX]; /* "host[:port]" */
    size_t n_stun;
    int stun_defaults;   /* the servers are precall's own defaults, not the user's --stun */
    int family;          /* 0 any, 4 or 6 */
    int64_t budget_ns;   /* --duration: the whole check's time budget */
    int64_t timeout_ns;  /* --timeout: hard deadline from the start */
    const char *sysroot; /* where /proc, /sys and /dev are: NULL for "/" (tests: a fixture) */
    const struct pc_v4l2_ops *v4l2; /* NULL: the system's V4L2 (tests: a double) */
    const struct pc_wext_ops *wext; /* NULL: the system's for "/", none for a sysroot */
    const char *server;             /* --server: speed-test base URL (GET /__down, POST /__up) */
    const char *cacert;             /* --cacert: PEM file of CAs to trust, NULL for the system's */
    const char *turn[PC_TURN_SERVERS_MAX]; /* --turn: relay URIs (turn:, turns:) */
    size_t n_turn;
    const char *turn_user, *turn_password; /* long-term credentials: never printed */
    const char *turn_secret;               /* --turn-secret-file: the REST shared secret */
};

#define PC_DEFAULT_SERVER "https://speed.cloudflare.com"

struct pc_probe_ctx {
    const struct pc_config *cfg;
    struct pc_report *report;
    struct pc_probe_result *result; /* the probe's own, until it is done */
    int64_t start_ns;               /* when this probe's window opened */
    int64_t window_ns;              /* how long its measuring may take (within the deadline) */
    int64_t deadline_ns;            /* hard end of the run: nothing may wait past it */
    atomic_int *cancel;             /* nonzero (the signal number): stop now */
    void *runner;                   /* private */
};

struct pc_probe {
    const char *name;
    const char *summary;  /* one line for --help and the man page */
    const char *activity; /* what the progress display says while it runs */
    int phase;            /* probes of one phase run in parallel, phases in order */
    double budget_share;  /* fraction of --duration its window takes */
    int (*run)(struct pc_probe_ctx *ctx);
    int64_t min_window_ns; /* the shortest window in which it measures anything (0: any);
                              the CLI refuses a --duration that gives it less */
    const char *min_what;  /* what needs that time, for the refusal: "the speed test" */
    int overlap;           /* starts with its phase but holds up no later phase: the
                              runner waits for it only at the end (local probes that run
                              beside the network ones) */
    /* NULL, or why the probe has nothing to do in this configuration (the relay check
       without --turn), with its cause id in *cause: the runner leaves it out of the run
       and its time plan, skipped with these words rather than "not selected". */
    const char *(*idle)(const struct pc_config *cfg, const char **cause);
};

/* The probes of 'check', in phase order. */
const struct pc_probe *const *pc_probe_registry(size_t *n);
const struct pc_probe *pc_probe_get(size_t i); /* NULL past the end */

/* Stop now? (a signal, or past the hard deadline) */
int pc_probe_should_stop(const struct pc_probe_ctx *ctx);

/* Was the stop a signal (1) rather than the deadline (0)? */
int pc_probe_interrupted(const struct pc_probe_ctx *ctx);

/*
 * The cause of a server name the resolver says does not exist: the user's
 * own server was mistyped ("name-not-found"); precall's default servers do
 * exist, so the network's name service filters them ("name-filtered").
 */
const char *pc_probe_name_cause(const struct pc_config *cfg);

/* The end of the probe's window: start + window, never past the deadline. */
int64_t pc_probe_window_end(const struct pc_probe_ctx *ctx);

/*
 * The phases of the run, for a probe that overlaps them (one that watches
 * another's phase): bit p of the result is set when a selected probe of
 * phase p runs (in a phase of its own, not overlapping); *now is the phase
 * whose probes run now, -1 before the first and between two, and
 * PC_PHASES_DONE once the last has ended.
 */
#define PC_PHASES_DONE 1000
unsigned pc_probe_phases(const struct pc_probe_ctx *ctx, int *now);

/* Events: the probe entered a phase; a live figure of a scope. */
void pc_probe_phase(struct pc_probe_ctx *ctx, const char *phase);
void pc_probe_figure(struct pc_probe_ctx *ctx, size_t scope, enum pc_metric m, double value);

/* Finish with a status, a cause identifier ("" for none) and a printf-style reason. */
void pc_probe_finish(struct pc_probe_ctx *ctx, enum pc_status st, const char *cause,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Values shared between probes of one run, by key: share copies len bytes
 * in (a later share of the key replaces it); shared copies them out and
 * returns 1, or 0 when nothing was shared under the key.
 */
int pc_probe_share(struct pc_probe_ctx *ctx, const char *key, const void *v, size_t len);
int pc_probe_shared(struct pc_probe_ctx *ctx, const char *key, void *out, size_t len);

extern const struct pc_probe pc_probe_dns;
extern const struct pc_probe pc_probe_udp;
extern const struct pc_probe pc_probe_devices;
extern const struct pc_probe pc_probe_system;
extern const struct pc_probe pc_probe_http;
extern const struct pc_probe pc_probe_bandwidth;
extern const struct pc_probe pc_probe_traffic;
extern const struct pc_probe pc_probe_turn;

#endif
