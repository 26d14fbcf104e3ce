/*
 * render.h - report in, bytes out.
 *
 * Each format is one entry in a table of renderers; a renderer reads the
 * report, the metric table and the scope kinds, and appends to a
 * caller-owned buffer. It never measures, prints or exits, and no renderer
 * looks at another format's options. A streaming format also renders each
 * event of the run as it happens (one line each), and the report last.
 */
#ifndef PRECALL_RENDER_H
#define PRECALL_RENDER_H

#include "precall/buf.h"
#include "precall/event.h"
#include "precall/report.h"

struct pc_render_opts {
    int verbose;         /* text: methods, targets, scopes, series */
    int color;           /* text: ANSI colour beside the words */
    int quiet;           /* text: the verdict line only */
    const char *version; /* the program's version, for the support line */
};

struct pc_renderer {
    const char *name; /* "text", "json", "ndjson" */
    void (*render)(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b);
    /* Streaming formats: one event as one line; NULL for the others. */
    void (*event)(const struct pc_event *ev, struct pc_buf *b);
};

/* The renderer for a format name, or NULL. */
const struct pc_renderer *pc_renderer_find(const char *name);
const struct pc_renderer *pc_renderer_get(size_t i); /* NULL past the end */

void pc_render_text(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b);
void pc_render_json(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b);
void pc_render_ndjson(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b);
void pc_render_ndjson_event(const struct pc_event *ev, struct pc_buf *b);
void pc_render_csv(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b);
void pc_render_openmetrics(const struct pc_report *r, const struct pc_render_opts *o,
                           struct pc_buf *b);

/*
 * CSV (csv.c): the header line, and one report's row, each ending in CRLF.
 * The columns are the report's identity and verdict, then the run scope's
 * metrics in the table's order; a caller writing many reports (a history)
 * writes the header once, then one row each.
 */
void pc_csv_header(struct pc_buf *b);
void pc_csv_row(const struct pc_report *r, struct pc_buf *b);
/* CSV's parts, for other tables (the history): a field, quoted when RFC 4180 says it must be; a
 * number as the JSON report prints it (15 significant digits, 17 when 15 do not read back;
 * nothing for NAN); a metric's column name, "download_mbps (Mbit/s)". */
void pc_csv_field(struct pc_buf *b, const char *s);
void pc_csv_number(struct pc_buf *b, double v);
void pc_csv_metric_name(enum pc_metric m, char *buf, size_t cap);

void pc_render_html(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b);

/*
 * A number with its unit for people: the metric's own format, except that
 * sizes of 10 kB and more are in kB, MB or GB (one decimal, powers of ten),
 * and a value that rounds to zero never shows a minus sign ("0.0 dBFS").
 */
void pc_render_number(const struct pc_metric_def *d, double v, char *buf, size_t cap);

/* Shared by renderers: a value of a scope as text with its unit ("23.4 ms", "yes"), as
 * pc_render_number(). */
void pc_render_value(const struct pc_report *r, size_t scope, enum pc_metric m, char *buf,
                     size_t cap);

/*
 * Shared by the text and HTML reports (each line as the text report has it;
 * the HTML report escapes it):
 * pc_render_need(): "HD video needs <= 20 ms", the limit a check line quotes, "" when none.
 * pc_render_limits(): "  limited by ..." under the verdict, what holds the tier down, and
 *   in which second it was made where the report says (metric def .when).
 * pc_render_left_out(): "  not checked: ..." lines, the checks left out, grouped by why.
 * pc_render_why_unmeasured(): why a probe measured nothing, in the words of the headline.
 * pc_render_has_check_line(): does the run's metric m have a check line of its own?
 * pc_render_sample_line(): "\nThis check took ..." (how long the sample was), or nothing.
 * pc_render_support_line(): "\nprecall VERSION, profile ..., started ...".
 */
void pc_render_need(const struct pc_check *c, enum pc_metric m, char *buf, size_t cap);
void pc_render_limits(const struct pc_report *r, struct pc_buf *b);
/* Is m a check of the run that probe p, which did not end ok, left unmeasured (and not left
 * out by --only/--skip)? Its line then names the probe's cause once. */
int pc_render_unmeasured_check(const struct pc_report *r, const struct pc_probe_result *p, int m);

/* The index of a series' highest point (its first, on a tie); n > 0. */
size_t pc_render_series_worst(const struct pc_series *se);
void pc_render_left_out(const struct pc_report *r, struct pc_buf *b);
const char *pc_render_why_unmeasured(const struct pc_report *r, const struct pc_probe_result *p);
int pc_render_has_check_line(const struct pc_report *r, const struct pc_render_opts *o, int m);
void pc_render_sample_line(const struct pc_report *r, struct pc_buf *b);
void pc_render_support_line(const struct pc_report *r, const struct pc_render_opts *o,
                            struct pc_buf *b);

/* The name of the signal that stopped a run: "SIGINT", "SIGTERM", "SIGHUP", "other"; NULL for 0. */
const char *pc_render_signal_name(int sig);

#endif
