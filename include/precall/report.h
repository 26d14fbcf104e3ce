/*
 * report.h - the report model: everything a check measured and concluded.
 *
 * The report owns all of its data: samples, target lists and advice are
 * copied in and released by pc_report_free(). Probes write to it through the
 * pc_report_set_* functions, which are safe to call from several probe
 * threads at once; renderers only read it. Values are indexed by the metric
 * table (precall/metrics.h); a value that was never set is "not measured".
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
#define PC_TEXT_MAX      64

enum pc_status {
    PC_STATUS_PENDING = 0, /* not run (yet): interrupted or deadline */
    PC_STATUS_OK,
    PC_STATUS_FAILED,
    PC_STATUS_SKIPPED
};

const char *pc_status_name(enum pc_status s); /* "pending", "ok", "failed", "skipped" */

struct pc_value {
    int set;                /* 0: not measured */
    double num;             /* NUMBER, COUNT, BOOL (0/1) */
    char text[PC_TEXT_MAX]; /* TEXT */
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
    const char *name; /* static string from the registry */
    enum pc_status status;
    char reason[160]; /* why failed or skipped, for people */
    char method[200]; /* how it measured, for -v and JSON */
    int64_t duration_ns;
    int cut_short; /* stopped early by Ctrl-C or the deadline */
    struct pc_target targets[PC_TARGETS_MAX];
    size_t n_targets;
    char samples_label[32]; /* e.g. "rtt_ms" */
    double *samples;        /* owned; in order of measurement */
    size_t n_samples;
};

struct pc_advice {
    const char *id;          /* stable identifier, e.g. "jitter-high" */
    const char *severity;    /* "critical", "warning", "info" */
    int metric;              /* enum pc_metric or -1 */
    int rank;                /* lower comes first */
    double value, threshold; /* NAN when not applicable */
    char text[400];          /* one or two plain sentences */
};

/* The score of one gating metric against the profile. */
struct pc_check {
    int tier;  /* enum pc_tier, or PC_TIER_UNKNOWN when not gating */
    int gated; /* the profile has thresholds for it */
    int has_threshold[PC_TIER__COUNT];
    double threshold[PC_TIER__COUNT];
};

struct pc_report {
    char started_at[32]; /* ISO 8601 UTC */
    int64_t duration_ns;
    int complete;    /* 0: interrupted or cut by the deadline */
    int interrupted; /* 0, or the signal that stopped the run (SIGINT, SIGTERM, SIGHUP) */
    int deadline_hit;
    char profile[64];
    int require; /* enum pc_tier required for success */

    struct pc_probe_result probes[PC_PROBES_MAX];
    size_t n_probes;
    struct pc_value values[PC_M__COUNT];

    /* Filled by scoring. */
    struct pc_check checks[PC_M__COUNT];
    int tier;                  /* achieved enum pc_tier */
    int limited[PC_M__COUNT];  /* 1: this metric holds the tier down */
    char headline[160];        /* "Ready for HD video" ... */
    char bufferbloat_grade[4]; /* "" until a loaded probe exists */
    struct pc_advice advice[PC_ADVICE_MAX];
    size_t n_advice;

    void *lock; /* private */
};

struct pc_report *pc_report_new(void);
void pc_report_free(struct pc_report *r);

/* The result slot of a probe, created on first use. NULL if the table is full. */
struct pc_probe_result *pc_report_probe(struct pc_report *r, const char *name);
const struct pc_probe_result *pc_report_probe_find(const struct pc_report *r, const char *name);

void pc_report_set_num(struct pc_report *r, enum pc_metric m, double v);
void pc_report_set_text(struct pc_report *r, enum pc_metric m, const char *s);
/* Record that the network answered (1) or could not be reached at all (0); 1 wins. */
void pc_report_mark_online(struct pc_report *r, int reached);

/* Copy n samples into the probe's result. 0 or PC_ENOMEM. */
int pc_report_set_samples(struct pc_probe_result *p, const char *label, const double *v, size_t n);
void pc_report_add_target(struct pc_report *r, struct pc_probe_result *p,
                          const struct pc_target *t);

/* Lock around multi-field updates of a probe result from a probe thread. */
void pc_report_lock(struct pc_report *r);
void pc_report_unlock(struct pc_report *r);

/* Exit status for this report: 0 ready, 1 degraded, 2 not ready, 128 + signal if interrupted. */
int pc_report_exit_code(const struct pc_report *r);

#endif
