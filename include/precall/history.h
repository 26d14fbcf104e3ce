/*
 * history.h - the checks of this computer, one line each, and "worse than
 * your usual on this network".
 *
 * Each 'precall check' appends one line to a history file: a JSON object
 * ("schema": "precall.history/1") with the time, command, tier, exit status,
 * the key figures (keys from the metric table) and the network's identity
 * where known (interface, link kind, Wi-Fi name, the public address cut to
 * its /24 or /48 prefix, never the whole address). The file is bounded to
 * its last PC_HISTORY_MAX_LINES lines. It is untrusted input: lines are
 * parsed through cJSON with every length and type checked, and a line that
 * does not read is skipped, never fatal.
 *
 * "Usual" for a figure is read from the last PC_HISTORY_USUAL_LAST earlier
 * complete checks on the same network identity that measured it, when there
 * are at least PC_HISTORY_USUAL_MIN of them: the 90th percentile for a figure
 * where lower is better (round trip, jitter, loss), the 10th where higher is
 * better (download, upload). The latest check is worse than usual when its
 * figure is beyond that value by more than the figure's margin.
 *
 * Ownership: a struct pc_history owns its entries; pc_history_free() releases
 * them (and accepts a zeroed one). Entries hold no pointers.
 */
#ifndef PRECALL_HISTORY_H
#define PRECALL_HISTORY_H

#include <stddef.h>

#include "precall/buf.h"
#include "precall/err.h"
#include "precall/metrics.h"
#include "precall/report.h"

#define PC_HISTORY_SCHEMA     "precall.history/1"
#define PC_HISTORY_MAX_LINES  1000
#define PC_HISTORY_LINE_MAX   4096 /* a longer line is skipped as damaged */
#define PC_HISTORY_USUAL_MIN  5    /* earlier checks on the network before "usual" means anything */
#define PC_HISTORY_USUAL_LAST 20   /* the window "usual" is read from */

/* The key figures of a check, in the order of its line and of 'precall history'. */
enum pc_history_figure {
    PC_HFIG_RTT,
    PC_HFIG_JITTER,
    PC_HFIG_LOSS,
    PC_HFIG_DOWNLOAD,
    PC_HFIG_UPLOAD,
    PC_HFIG_DNS,
    PC_HFIG__COUNT
};

/* The metric a key figure is, and whether "usual" compares it (margin > 0). */
struct pc_history_figure_def {
    enum pc_metric metric;
    const char *short_label; /* "RTT", for the table */
    double margin;           /* how far beyond usual counts: at least this much ... */
    double margin_pct;       /* ... and at least this share of the usual value */
};
const struct pc_history_figure_def *pc_history_figure_def(enum pc_history_figure f);

/* The network a check ran on, as far as it knew it; "" where unknown. */
struct pc_history_net {
    char interface[32];
    char link_kind[16];
    char wifi_ssid[64];
    char public_prefix[48]; /* "203.0.113.0/24", "2001:db8:1::/48" */
};

struct pc_history_entry {
    char started_at[32]; /* ISO 8601 UTC, as in the report */
    char command[16];
    char tier[8];    /* "hd", "sd", "audio", "none" */
    char status[16]; /* "ready", "degraded", ... */
    int exit_code;
    int complete;
    struct pc_history_net net;
    double fig[PC_HFIG__COUNT]; /* NAN: not measured */
};

struct pc_history {
    struct pc_history_entry *e; /* oldest first */
    size_t n, cap;
    size_t skipped; /* lines that did not read */
};

void pc_history_free(struct pc_history *h);

/*
 * An address's network prefix: the /24 of an IPv4 address, the /48 of an
 * IPv6 one ("203.0.113.0/24"). "" for anything else. Never the address.
 */
void pc_history_prefix(const char *address, char *buf, size_t cap);

/* The network identity of a report (run scope: interface, link kind, public prefix). */
void pc_history_net_of(const struct pc_report *r, struct pc_history_net *net);

/* Is anything of the identity known? Checks on an unknown network are never compared. */
int pc_history_net_known(const struct pc_history_net *net);
int pc_history_net_same(const struct pc_history_net *a, const struct pc_history_net *b);

/* The entry of a scored report. */
void pc_history_entry_of(const struct pc_report *r, struct pc_history_entry *e);

/* An entry as its one-line JSON object, with the newline. */
void pc_history_line(const struct pc_history_entry *e, struct pc_buf *b);

/*
 * Parse a history file's bytes (any bytes): each line that reads as an
 * entry is appended to h, the others counted in h->skipped. PC_ENOMEM only.
 */
int pc_history_parse(const char *data, size_t len, struct pc_history *h);

/*
 * Read the history at path into h (a missing file is an empty history). At
 * most the last PC_HISTORY_MAX_LINES * PC_HISTORY_LINE_MAX bytes are read.
 */
int pc_history_load(const char *path, struct pc_history *h, struct pc_err *err);

/*
 * Append one line (with its newline) to the file at path with a single
 * write (O_APPEND), creating its folder (0700) and the file (0600) when
 * missing. When the file then holds more than max_lines lines, it is
 * rewritten with its last max_lines through a temporary file and rename.
 */
int pc_history_append(const char *path, const char *line, size_t len, size_t max_lines,
                      struct pc_err *err);

/*
 * The usual value of figure f on network net, from the entries of h (the
 * latest check not among them): returns the number of checks it was read
 * from (then *usual is set), or 0 when there are fewer than
 * PC_HISTORY_USUAL_MIN.
 */
int pc_history_usual(const struct pc_history *h, const struct pc_history_net *net,
                     enum pc_history_figure f, double *usual);

/* Is value worse than usual for figure f, by more than its margin? */
int pc_history_worse(enum pc_history_figure f, double value, double usual);

/*
 * Add a "worse-than-usual" advice entry (severity info) to the scored report
 * for each compared figure worse than its usual on the report's network,
 * read from h (earlier checks). Returns how many were added.
 */
int pc_history_note(struct pc_report *r, const struct pc_history *h);

#endif
