/*
 * report.h - the report model: everything a check measured and concluded.
 *
 * Values are kept per (metric x scope). Scope 0 (PC_SCOPE_RUN_ID) is the
 * whole run and holds the headline figures; further scopes are a phase, a
 * server, an RTP stream, a TCP flow, a device or an input file, each with
 * the same metric keys and units, its own score and its own time series.
 * Scopes are named by their index, which stays valid for the life of the
 * report. Each scope is allocated once and never moves (the report keeps a
 * table of pointers to them, and only that table grows).
 *
 * Ownership and locking, stated once: the report owns all of its data
 * (scope names, texts, series, advice) and pc_report_free() releases it.
 * During a run, probe threads touch the report only through the functions
 * below, which take the report's lock: the pc_report_* and pc_probe_*
 * setters to write (scopes, values, series, targets, status), and the
 * copy-out getters (pc_report_get_copy, pc_report_sealed) to read. A
 * probe's struct pc_probe_result is its own copy, written only by its
 * thread; the runner puts it into the report when the probe is done.
 * Renderers and scoring read the fields directly, after the run. Once
 * sealed (the run ended while a probe was still running), every setter
 * does nothing, so what the caller reads after the run stays as it was.
 */
#ifndef PRECALL_REPORT_H
#define PRECALL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "precall/metrics.h"
#include "precall/tier.h"

#define PC_REPORT_SCHEMA "precall.report/1"
#define PC_PROBES_MAX    16
#define PC_TARGETS_MAX   8
#define PC_ADVICE_MAX    24
#define PC_RISKS_MAX     8
#define PC_SCOPE_RUN_ID  0

enum pc_status {
    PC_STATUS_PENDING = 0, /* not run: the run ended before it started */
    PC_STATUS_OK,
    PC_STATUS_FAILED,
    PC_STATUS_SKIPPED,
    PC_STATUS_INTERRUPTED /* stopped by a signal before it measured anything */
};

/* "pending", "ok", "failed", "skipped", "interrupted" */
const char *pc_status_name(enum pc_status s);

struct pc_value {
    int set;    /* 0: not measured */
    double num; /* NUMBER, COUNT, BOOL (0/1) */
    char *text; /* TEXT, owned, any length */
};

/* A series of (time, value) points of one metric, in time order. */
struct pc_series {
    enum pc_metric metric;
    size_t n, cap;
    int64_t *t_ns; /* since the run started */
    double *v;
};

struct pc_scope {
    enum pc_scope_kind kind;
    char *id;    /* stable within its kind: "idle", "198.18.1.2:3478" */
    char *label; /* for people: "STUN server 198.18.1.2 port 3478" */
    struct pc_value values[PC_M__COUNT];
    struct pc_series *series;
    size_t n_series;

    int for_comparison; /* set by its producer: scored and shown, never gates (see
                           pc_report_scope_compare) */

    /* Filled by scoring. */
    int gates;               /* its tier counts towards the verdict */
    int tier;                /* enum pc_tier, PC_TIER_UNKNOWN when nothing scored */
    struct pc_check *checks; /* PC_M__COUNT of them, owned */
    unsigned char *limited;  /* PC_M__COUNT flags: holds this scope's tier down */
};

/* One host a probe talked to. */
struct pc_target {
    char role[16];    /* "stun", "dns", ... */
    char host[256];   /* as given by the user */
    char address[64]; /* resolved numeric address, "" if none */
    int port;
    char detail[300]; /* "answered 299/300, mapped 203.0.113.7:40211" */
};

struct pc_probe_result {
    const char *name; /* static string from the probe */
    enum pc_status status;
    char reason[400];  /* why failed or skipped, for people */
    char cause[32];    /* why, as a stable identifier (an advice id); "" if none */
    char subject[256]; /* what the cause is about: a host name, "host port N" */
    char method[400];  /* how it measured, for -v and JSON */
    int64_t duration_ns;
    int cut_short; /* stopped early by a signal or the deadline */
    struct pc_target targets[PC_TARGETS_MAX];
    size_t n_targets;
};

struct pc_advice {
    const char *id;          /* stable identifier, e.g. "jitter-high" */
    const char *severity;    /* "critical", "warning", "info" */
    int metric;              /* enum pc_metric or -1 */
    size_t scope;            /* where the finding was made */
    int rank;                /* lower comes first */
    double value, threshold; /* NAN when not applicable */
    char text[600];          /* one or two plain sentences */
    char cause[300];         /* the cause it names in the headline, "" if none */
    int about_network;       /* the cause is about the network (1) or only the run (0) */
};

/* A conditional risk (precall/risk.h): stated beside the tier, never lowering it. */
struct pc_risk {
    const char *id;     /* stable identifier of its rule, e.g. "bufferbloat" */
    int metric;         /* enum pc_metric: the run's figure it reads */
    double value;       /* that figure */
    double level;       /* the profile's level it reached */
    char text[300];     /* "HD video now; if someone else uploads ..." */
    const char *advice; /* what to do about it */
};

/* The score of one gating metric of a scope against the profile. */
struct pc_check {
    int tier;  /* enum pc_tier, or PC_TIER_UNKNOWN when not gating */
    int gated; /* the profile has thresholds for it and it counts here */
    int has_threshold[PC_TIER__COUNT];
    double threshold[PC_TIER__COUNT];
};

struct pc_report {
    const char *command;     /* "check", "analyze", "capture" */
    const char *covers;      /* what the verdict covers when not the whole check ("Devices": the
                                headline becomes "Devices: ready for HD video"); NULL: all of it */
    char started_at[32];     /* ISO 8601 UTC */
    int64_t started_ns;      /* on the monotonic clock: series and events count from here */
    int64_t started_unix_ns; /* the same moment on the wall clock (ns since the epoch), 0 unknown */
    int64_t duration_ns;
    int complete;    /* 0: interrupted or cut by the deadline */
    int interrupted; /* the signal that stopped the run (SIGINT, SIGTERM, SIGHUP), 0 if none */
    int deadline_hit;
    int sealed; /* the run ended; later writes are dropped */
    char profile[64];
    int require;       /* enum pc_tier required for success */
    char servers[512]; /* the servers the check used, for the support header */

    struct pc_probe_result probes[PC_PROBES_MAX];
    size_t n_probes;
    struct pc_scope **scopes; /* scopes[0] is the run; each allocated once, never moves */
    size_t n_scopes, cap_scopes;

    /* Filled by scoring. */
    int tier;       /* achieved enum pc_tier: the lowest among gating scopes */
    int partial;    /* gating checks were left out (--only/--skip) */
    int reached;    /* the tier what was measured reaches (a partial check claims less: tier) */
    int no_verdict; /* nothing could be judged (no media, unreadable answers, nothing checked) */
    unsigned char left_out[PC_M__COUNT]; /* those checks, by metric */
    char headline[200];                  /* "Not ready: UDP is blocked on this network" ... */
    char cause[32]; /* the identifier of the cause the headline names, "" if none */
    char bufferbloat_grade[4];
    struct pc_advice advice[PC_ADVICE_MAX];
    size_t n_advice;
    struct pc_risk risks[PC_RISKS_MAX]; /* conditional risks, in the order of their rules */
    size_t n_risks;

    void *lock; /* private: the lock and the number of owners */
};

struct pc_report *pc_report_new(void);
/* Give up one hold on the report: the last one frees it (NULL is fine). */
void pc_report_free(struct pc_report *r);
/*
 * Take one more hold on the report, released by pc_report_free(): the
 * runner holds it for a probe that did not stop, so that the caller may
 * free the report while the probe still ends in the background.
 */
void pc_report_hold(struct pc_report *r);

/* Seal the report: from now on every setter does nothing. */
void pc_report_seal(struct pc_report *r);
/* Is the report sealed? Under the lock: for a probe thread during a run. */
int pc_report_sealed(const struct pc_report *r);

/*
 * The result slot of a probe, created on first use. NULL if the table is
 * full. The slots never move; find is for after the run.
 */
struct pc_probe_result *pc_report_probe(struct pc_report *r, const char *name);
const struct pc_probe_result *pc_report_probe_find(const struct pc_report *r, const char *name);

/*
 * The index of the scope (kind, id), created on first use with the given
 * label (NULL: the id). Negative PC_ENOMEM when it cannot be created,
 * PC_ETIMEDOUT when it is new and the report is sealed.
 */
int pc_report_scope(struct pc_report *r, enum pc_scope_kind kind, const char *id,
                    const char *label);
/*
 * Mark a scope as shown for comparison: it is scored like any other, but its
 * tier does not count towards the verdict, whatever its kind. For figures
 * that another, gating value already stands for: the idle phase repeats the
 * run's figures; the loaded phases (download, upload) are judged through the
 * run's bufferbloat_ms, as the profile says, not against the idle limits.
 */
void pc_report_scope_compare(struct pc_report *r, size_t scope);

/* The index of an existing scope, or -1. */
int pc_report_scope_find(const struct pc_report *r, enum pc_scope_kind kind, const char *id);

/* Set a value of a scope. A metric not allowed in the scope's kind is ignored. */
void pc_report_set_num(struct pc_report *r, size_t scope, enum pc_metric m, double v);
void pc_report_set_text(struct pc_report *r, size_t scope, enum pc_metric m, const char *s);
/*
 * The same for the steps after the run that derive figures from others (the
 * E-model, bufferbloat): they write also into a sealed report, whose seal
 * holds off only a probe that did not stop.
 */
void pc_report_derive_num(struct pc_report *r, size_t scope, enum pc_metric m, double v);
void pc_report_derive_text(struct pc_report *r, size_t scope, enum pc_metric m, const char *s);
/*
 * A value of a scope, for after the run (renderers, scoring): the pointer
 * stays valid, but another thread may write what it points to during a
 * run. An unknown scope or metric gives an unset value.
 */
const struct pc_value *pc_report_get(const struct pc_report *r, size_t scope, enum pc_metric m);
/*
 * A value of a scope copied out under the lock, for use during a run:
 * returns 1 when the value is set, with the number in *num and the text
 * (cut to text_cap, "" when none) in text; 0 when it is not set (then *num
 * is NAN and text ""). num and text may be NULL.
 */
int pc_report_get_copy(const struct pc_report *r, size_t scope, enum pc_metric m, double *num,
                       char *text, size_t text_cap);

/* Record that the network answered (1) or could not be reached at all (0); 1 wins. */
void pc_report_mark_online(struct pc_report *r, int reached);

/*
 * Append a point to a scope's series of metric m; t_ns on the monotonic clock.
 * The point is kept as the report writes it (the time to the microsecond,
 * the value to a thousandth of its unit), so that a report read back from its
 * JSON (precall show) renders exactly as it did when it was made.
 */
int pc_report_series_add(struct pc_report *r, size_t scope, enum pc_metric m, int64_t t_ns,
                         double v);
/* A scope's series of metric m, or NULL; for after the run (series of a scope may move). */
const struct pc_series *pc_report_series(const struct pc_report *r, size_t scope, enum pc_metric m);

void pc_report_add_target(struct pc_report *r, struct pc_probe_result *p,
                          const struct pc_target *t);

/* Finish a probe: status, cause ("" for none) and a printf-style reason. */
void pc_report_finish(struct pc_report *r, struct pc_probe_result *p, enum pc_status st,
                      const char *cause, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Name what the probe's cause is about ("nosuch.example"), for the headline and advice. */
void pc_report_subject(struct pc_report *r, struct pc_probe_result *p, const char *subject);

/* Lock around multi-field updates from a probe thread (the lock is recursive). */
void pc_report_lock(struct pc_report *r);
void pc_report_unlock(struct pc_report *r);

/*
 * A moment of the run for people: its wall-clock second ("14:03:12 UTC"),
 * or "12 s in" when the wall clock of the start is unknown. t_ns counts from
 * the start, as series do.
 */
void pc_report_moment(const struct pc_report *r, int64_t t_ns, char *buf, size_t cap);

/*
 * Exit status: 0 ready, 1 degraded (below --require, audio works: for a
 * partial check, what it measured allows audio), 2 not ready, 3 no verdict,
 * 128 + signal when interrupted.
 */
int pc_report_exit_code(const struct pc_report *r);

/* The exit status as a word: "ready", "degraded", "not-ready", "no-verdict", "interrupted". */
const char *pc_report_status(const struct pc_report *r);

/* Is the verdict "ready" (the achieved tier meets --require, and the run was not stopped)? */
int pc_report_ready(const struct pc_report *r);

#endif
