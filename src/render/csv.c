/*
 * csv.c - one report as one row of comma-separated values, for spreadsheets.
 *
 * The columns: the report's identity and verdict (started_at, command,
 * profile, tier, ready, exit_code, status), then every metric of the table
 * that the run scope may hold, in the table's order, headed by its key and,
 * when it has one, its unit in parentheses: "download_mbps (Mbit/s)". The
 * run scope holds the whole check's figures; per-phase, per-server,
 * per-stream and per-device figures are in the JSON report. A value that
 * was not measured is an empty cell; numbers are rounded as in the JSON
 * report, yes/no is true/false. Quoting follows RFC 4180 section 2: a field
 * with a comma, a double quote, CR or LF is put in double quotes, and a
 * double quote in it is doubled; lines end in CRLF. The header is the same
 * for every command, so rows of checks and analyses line up.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/render.h"

#define CRLF "\r\n"

/* The identity and verdict columns, before the metrics. */
static const char *const lead[] = {"started_at", "command",   "profile", "tier",
                                   "ready",      "exit_code", "status"};

#define N_LEAD (sizeof(lead) / sizeof(lead[0]))

/* Does the run scope hold metric m (a column of the table)? */
static int column(enum pc_metric m)
{
    const struct pc_metric_def *d = pc_metric_def(m);

    return d->level != PC_LEVEL_SERIES && (d->scopes & PC_SCOPE_BIT(PC_SCOPE_RUN)) != 0;
}

void pc_csv_field(struct pc_buf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        pc_buf_puts(b, s);
        return;
    }
    pc_buf_puts(b, "\"");
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '"')
            pc_buf_puts(b, "\"\"");
        else
            pc_buf_printf(b, "%c", *p);
    }
    pc_buf_puts(b, "\"");
}

void pc_csv_number(struct pc_buf *b, double v)
{
    char s[40];

    if (!isfinite(v))
        return; /* an empty cell, as for not measured */
    snprintf(s, sizeof(s), "%.15g", v);
    if (strtod(s, NULL) != v)
        snprintf(s, sizeof(s), "%.17g", v);
    pc_buf_puts(b, s);
}

static void value(struct pc_buf *b, const struct pc_report *r, enum pc_metric m)
{
    const struct pc_value *v = pc_report_get(r, PC_SCOPE_RUN_ID, m);

    if (!v->set)
        return;
    switch (pc_metric_def(m)->kind) {
    case PC_KIND_BOOL:
        pc_buf_puts(b, v->num != 0 ? "true" : "false");
        break;
    case PC_KIND_TEXT:
        pc_csv_field(b, v->text ? v->text : "");
        break;
    case PC_KIND_COUNT:
        pc_csv_number(b, round(v->num));
        break;
    default:
        pc_csv_number(b, round(v->num * 1000.0) / 1000.0);
        break;
    }
}

void pc_csv_metric_name(enum pc_metric m, char *buf, size_t cap)
{
    const struct pc_metric_def *d = pc_metric_def(m);

    if (d->unit[0] != '\0')
        snprintf(buf, cap, "%s (%s)", d->key, d->unit);
    else
        snprintf(buf, cap, "%s", d->key);
}

void pc_csv_header(struct pc_buf *b)
{
    for (size_t i = 0; i < N_LEAD; i++)
        pc_buf_printf(b, "%s%s", i ? "," : "", lead[i]);
    for (int m = 0; m < PC_M__COUNT; m++) {
        char name[128];

        if (!column(m))
            continue;
        pc_csv_metric_name((enum pc_metric)m, name, sizeof(name));
        pc_buf_puts(b, ",");
        pc_csv_field(b, name);
    }
    pc_buf_puts(b, CRLF);
}

void pc_csv_row(const struct pc_report *r, struct pc_buf *b)
{
    pc_csv_field(b, r->started_at);
    pc_buf_puts(b, ",");
    pc_csv_field(b, r->command ? r->command : "");
    pc_buf_puts(b, ",");
    pc_csv_field(b, r->profile);
    pc_buf_printf(b, ",%s,%s,%d,%s", pc_tier_name(r->tier), pc_report_ready(r) ? "true" : "false",
                  pc_report_exit_code(r), pc_report_status(r));
    for (int m = 0; m < PC_M__COUNT; m++) {
        if (!column(m))
            continue;
        pc_buf_puts(b, ",");
        value(b, r, m);
    }
    pc_buf_puts(b, CRLF);
}

void pc_render_csv(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    (void)o;
    pc_csv_header(b);
    pc_csv_row(r, b);
}
