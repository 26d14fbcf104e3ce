/*
 * openmetrics.c - the report for a monitoring system: OpenMetrics text
 * (the Prometheus exposition format with # UNIT and # EOF), as a scraper
 * or a Prometheus Pushgateway reads it.
 *
 * Every numeric metric of the table (numbers, counts, yes/no as 0/1) that
 * the report measured is one gauge family "precall_<key>", its name and
 * value in base units: milliseconds become seconds, percentages ratios
 * from 0 to 1, Mbit/s and kbit/s bytes per second (Prometheus's base
 * unit for data, which promtool insists on), MiB bytes; the unit ends
 * the name and is its # UNIT. Text metrics are left out (they are labels of
 * nothing a monitor graphs). Each scope is a label: none for the run (the
 * whole check), phase="download", server="...", stream="...", flow="...",
 * device="...", file="..."; label values are escaped as the format says
 * (backslash, double quote, newline). The verdict comes first as gauges:
 * precall_tier (0 none, 1 audio, 2 SD, 3 HD, -1 no verdict), precall_ready,
 * precall_exit_code, precall_complete and the start of the check.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/render.h"

/* A display unit of the table, the key suffix that says it, and its base unit. */
static const struct {
    const char *unit;   /* the table's unit */
    const char *suffix; /* how a key in that unit ends */
    const char *base;   /* the OpenMetrics unit, which ends the name */
    double scale;       /* value in base unit = value x scale */
} units[] = {
    {"ms", "_ms", "seconds", 1e-3},
    {"s", "_s", "seconds", 1},
    {"%", "_pct", "ratio", 1e-2},
    {"Mbit/s", "_mbps", "bytes_per_second", 1e6 / 8},
    {"kbit/s", "_kbps", "bytes_per_second", 1e3 / 8},
    {"MiB", "_mib", "bytes", 1048576},
    {"bytes", "_bytes", "bytes", 1},
    {"Hz", "_hz", "hertz", 1},
    {"px", "_px", "pixels", 1},
    {"dBm", "_dbm", "dbm", 1},
    {"dBFS", "_dbfs", "dbfs", 1},
};

struct om_name {
    char name[128];   /* precall_rtt_median_seconds */
    const char *unit; /* "seconds", or NULL */
    double scale;
};

/* The family name of a metric in base units, and the factor its values take. */
static void om_name(const struct pc_metric_def *d, struct om_name *n)
{
    size_t klen = strlen(d->key);

    n->unit = NULL;
    n->scale = 1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        size_t slen = strlen(units[i].suffix);

        if (strcmp(d->unit, units[i].unit) != 0)
            continue;
        if (klen > slen && strcmp(d->key + klen - slen, units[i].suffix) == 0)
            klen -= slen;
        n->unit = units[i].base;
        n->scale = units[i].scale;
        snprintf(n->name, sizeof(n->name), "precall_%.*s_%s", (int)klen, d->key, n->unit);
        return;
    }
    /* "_count" ends only histogram and summary series: cpu_count is precall_cpus. */
    if (klen > 6 && strcmp(d->key + klen - 6, "_count") == 0)
        snprintf(n->name, sizeof(n->name), "precall_%.*ss", (int)(klen - 6), d->key);
    else
        snprintf(n->name, sizeof(n->name), "precall_%s", d->key);
}

/*
 * Text of # HELP: backslash and newline escaped. A double quote, which
 * OpenMetrics escapes and the older Prometheus text format may not, is
 * written as a single quote, so both read it.
 */
static void help_text(struct pc_buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '"')
            pc_buf_puts(b, "'");
        else if (*s == '\\')
            pc_buf_puts(b, "\\\\");
        else if (*s == '\n')
            pc_buf_puts(b, "\\n");
        else
            pc_buf_printf(b, "%c", *s);
    }
}

/* A label value: backslash, double quote and newline escaped. */
static void label_value(struct pc_buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\\')
            pc_buf_puts(b, "\\\\");
        else if (*s == '"')
            pc_buf_puts(b, "\\\"");
        else if (*s == '\n')
            pc_buf_puts(b, "\\n");
        else
            pc_buf_printf(b, "%c", *s);
    }
}

/*
 * A value: 15 significant digits, which hold every figure of the report (3
 * decimals of its display unit) in the base unit exactly as written
 * (0.000913, not 0.00091300000000000007); NaN and infinities by name.
 */
static void number(struct pc_buf *b, double v)
{
    char s[40];

    if (isnan(v)) {
        pc_buf_puts(b, "NaN");
        return;
    }
    if (isinf(v)) {
        pc_buf_puts(b, v > 0 ? "+Inf" : "-Inf");
        return;
    }
    snprintf(s, sizeof(s), "%.15g", v);
    pc_buf_puts(b, s);
}

static void family(struct pc_buf *b, const char *name, const char *unit, const char *help)
{
    pc_buf_printf(b, "# TYPE %s gauge\n", name);
    if (unit != NULL)
        pc_buf_printf(b, "# UNIT %s %s\n", name, unit);
    pc_buf_printf(b, "# HELP %s ", name);
    help_text(b, help);
    pc_buf_puts(b, "\n");
}

static void sample(struct pc_buf *b, const char *name, const struct pc_scope *s, double v)
{
    pc_buf_puts(b, name);
    if (s != NULL && s->kind != PC_SCOPE_RUN) {
        pc_buf_printf(b, "{%s=\"", pc_scope_kind_def(s->kind)->name);
        label_value(b, s->id ? s->id : "");
        pc_buf_puts(b, "\"}");
    }
    pc_buf_puts(b, " ");
    number(b, v);
    pc_buf_puts(b, "\n");
}

/* The value as the JSON report rounds it, in the base unit. */
static double base_value(const struct pc_metric_def *d, double v, double scale)
{
    if (d->kind == PC_KIND_BOOL)
        return v != 0;
    if (d->kind == PC_KIND_COUNT)
        return round(v) * scale;
    return round(v * 1000.0) / 1000.0 * scale;
}

static void verdict(const struct pc_report *r, struct pc_buf *b)
{
    family(b, "precall_tier", NULL,
           "The tier the check reached: 3 HD video, 2 SD video, 1 audio only, 0 not even audio, "
           "-1 no verdict.");
    sample(b, "precall_tier", NULL, r->no_verdict ? -1 : r->tier);
    family(b, "precall_ready", NULL, "1 when the reached tier meets --require (exit status 0).");
    sample(b, "precall_ready", NULL, pc_report_ready(r));
    family(b, "precall_exit_code", NULL,
           "The exit status of the check: 0 ready, 1 degraded, 2 not ready, 3 no verdict, 128 + "
           "signal when stopped.");
    sample(b, "precall_exit_code", NULL, pc_report_exit_code(r));
    family(b, "precall_complete", NULL,
           "1 when the check ran to its end, 0 when a signal or the deadline cut it short.");
    sample(b, "precall_complete", NULL, r->complete);
    if (r->started_unix_ns > 0) {
        family(b, "precall_started_timestamp_seconds", "seconds",
               "When the check started, in seconds since 1970-01-01 UTC.");
        sample(b, "precall_started_timestamp_seconds", NULL,
               round((double)r->started_unix_ns / 1e6) / 1e3);
    }
}

void pc_render_openmetrics(const struct pc_report *r, const struct pc_render_opts *o,
                           struct pc_buf *b)
{
    (void)o;
    verdict(r, b);
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        struct om_name n;
        int shown = 0;

        if (d->kind == PC_KIND_TEXT || d->level == PC_LEVEL_SERIES)
            continue;
        om_name(d, &n);
        for (size_t s = 0; s < r->n_scopes; s++) {
            const struct pc_value *v = pc_report_get(r, s, m);

            if (!v->set)
                continue;
            if (!shown++)
                family(b, n.name, n.unit, d->description);
            sample(b, n.name, r->scopes[s], base_value(d, v->num, n.scale));
        }
    }
    pc_buf_puts(b, "# EOF\n");
}
