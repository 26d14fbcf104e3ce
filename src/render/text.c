/*
 * text.c - the report for people: verdict first, one line per check,
 * numbered advice; -v adds each probe's method, targets and samples.
 * Marks are words ("ok", "warn", "FAIL"); colour only repeats them.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/render.h"
#include "precall/stats.h"

#define RED    "\033[31m"
#define YELLOW "\033[33m"
#define GREEN  "\033[32m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

static const char *paint(const struct pc_render_opts *o, const char *code)
{
    return o->color ? code : "";
}

/* The mark of a check line and its colour. */
static const char *mark_of(const struct pc_report *r, enum pc_metric m, const char **color)
{
    const struct pc_check *c = &r->checks[m];

    if (!c->gated) {
        *color = "";
        return "--";
    }
    if (c->tier == PC_TIER_HD) {
        *color = GREEN;
        return "ok";
    }
    if (c->tier >= PC_TIER_AUDIO) {
        *color = YELLOW;
        return "warn";
    }
    *color = RED;
    return "FAIL";
}

static void need_text(const struct pc_report *r, enum pc_metric m, char *buf, size_t cap)
{
    const struct pc_metric_def *d = pc_metric_def(m);
    const struct pc_check *c = &r->checks[m];
    int t = pc_render_next_tier(c);

    buf[0] = '\0';
    if (!c->gated || t < 0)
        return;
    if (d->kind == PC_KIND_BOOL) {
        if (c->tier < PC_TIER_HD) /* a yes/no check says what it needs only when it fails */
            snprintf(buf, cap, "%s needs %s", pc_tier_short_label(t),
                     c->threshold[t] != 0 ? "yes" : "no");
        return;
    }
    snprintf(buf, cap, "%s needs %s %.*f%s%s", pc_tier_short_label(t),
             d->better == PC_BETTER_LOWER ? "<=" : ">=", d->decimals > 1 ? 1 : 0, c->threshold[t],
             d->unit[0] ? " " : "", d->unit);
}

static void limits_line(const struct pc_report *r, struct pc_buf *b)
{
    int first = 1;

    for (int m = 0; m < PC_M__COUNT; m++) {
        char value[80], need[80];

        if (!r->limited[m] || r->tier == PC_TIER_NONE)
            continue;
        pc_render_value(r, m, value, sizeof(value));
        need_text(r, m, need, sizeof(need));
        pc_buf_printf(b, "%s%s %s%s%s%s", first ? "  limited by " : "; ", pc_metric_def(m)->label,
                      value, need[0] ? " (" : "", need, need[0] ? ")" : "");
        first = 0;
    }
    if (!first)
        pc_buf_puts(b, "\n");
}

static void verdict(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    const char *c = r->tier == PC_TIER_HD ? GREEN : r->tier == PC_TIER_NONE ? RED : YELLOW;
    const char *sig = r->interrupted == SIGINT    ? "SIGINT"
                      : r->interrupted == SIGTERM ? "SIGTERM"
                      : r->interrupted == SIGHUP  ? "SIGHUP"
                                                  : "a signal";

    if (!r->complete && r->interrupted)
        pc_buf_printf(b, "%sINCOMPLETE%s: interrupted (%s); these results are partial.\n",
                      paint(o, BOLD), paint(o, RESET), sig);
    else if (!r->complete)
        pc_buf_printf(b, "%sINCOMPLETE%s: %s; these results are partial.\n", paint(o, BOLD),
                      paint(o, RESET), "the time limit ended the check");
    pc_buf_printf(b, "%s%s%s%s\n", paint(o, BOLD), paint(o, c), r->headline, paint(o, RESET));
    limits_line(r, b);
}

static void check_lines(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    pc_buf_puts(b, "\n");
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        const struct pc_probe_result *p = pc_report_probe_find(r, d->probe);
        char value[80], need[80];
        const char *color, *mark;

        if (d->level != PC_LEVEL_CHECK && !(o->verbose && d->level == PC_LEVEL_DETAIL))
            continue;
        if (!r->values[m].set && !r->checks[m].gated && d->level != PC_LEVEL_CHECK)
            continue;
        mark = mark_of(r, m, &color);
        pc_render_value(r, m, value, sizeof(value));
        if (!r->values[m].set && p != NULL && p->status == PC_STATUS_SKIPPED)
            snprintf(value, sizeof(value), "not checked");
        need_text(r, m, need, sizeof(need));
        pc_buf_printf(b, "  %s%-4s%s  %-30s ", paint(o, color), mark, paint(o, RESET), d->label);
        if (need[0])
            pc_buf_printf(b, "%-16s %s\n", value, need);
        else
            pc_buf_printf(b, "%s\n", value);
    }
}

static void info_lines(const struct pc_report *r, struct pc_buf *b)
{
    int any = 0;

    for (int m = 0; m < PC_M__COUNT; m++) {
        char value[80];

        if (pc_metric_def(m)->level != PC_LEVEL_INFO || !r->values[m].set)
            continue;
        pc_render_value(r, m, value, sizeof(value));
        pc_buf_printf(b, "%s%s: %s", any ? "; " : "\n  ", pc_metric_def(m)->label, value);
        any = 1;
    }
    if (any)
        pc_buf_puts(b, "\n");
}

static void advice(const struct pc_report *r, struct pc_buf *b)
{
    if (r->n_advice == 0)
        return;
    pc_buf_puts(b, "\nWhat to do:\n");
    for (size_t i = 0; i < r->n_advice; i++)
        pc_buf_printf(b, "  %zu. %s [%s]\n", i + 1, r->advice[i].text, r->advice[i].id);
}

static void samples(const struct pc_probe_result *p, struct pc_buf *b)
{
    double *sorted = pc_stats_sorted_copy(p->samples, p->n_samples);

    if (sorted == NULL)
        return;
    pc_buf_printf(b,
                  "    samples (%s): %zu; min %.2f, p25 %.2f, median %.2f, p75 %.2f, "
                  "p90 %.2f, p99 %.2f, max %.2f\n",
                  p->samples_label, p->n_samples, sorted[0],
                  pc_stats_percentile(sorted, p->n_samples, 25),
                  pc_stats_percentile(sorted, p->n_samples, 50),
                  pc_stats_percentile(sorted, p->n_samples, 75),
                  pc_stats_percentile(sorted, p->n_samples, 90),
                  pc_stats_percentile(sorted, p->n_samples, 99), sorted[p->n_samples - 1]);
    pc_buf_puts(b, "    first samples:");
    for (size_t i = 0; i < p->n_samples && i < 20; i++)
        pc_buf_printf(b, " %.2f", p->samples[i]);
    pc_buf_puts(b, p->n_samples > 20 ? " ...\n" : "\n");
    free(sorted);
}

static void probes(const struct pc_report *r, struct pc_buf *b)
{
    pc_buf_puts(b, "\nProbes:\n");
    for (size_t i = 0; i < r->n_probes; i++) {
        const struct pc_probe_result *p = &r->probes[i];

        pc_buf_printf(b, "  %s: %s%s%s (%.0f ms)\n", p->name, pc_status_name(p->status),
                      p->reason[0] ? " - " : "", p->reason, (double)p->duration_ns / 1e6);
        if (p->method[0])
            pc_buf_printf(b, "    method: %s\n", p->method);
        for (size_t k = 0; k < p->n_targets; k++) {
            const struct pc_target *t = &p->targets[k];

            pc_buf_printf(b, "    %s target %s", t->role, t->host);
            if (t->address[0])
                pc_buf_printf(b, " (%s port %d)", t->address, t->port);
            pc_buf_printf(b, "%s%s\n", t->detail[0] ? ": " : "", t->detail);
        }
        if (p->n_samples > 0)
            samples(p, b);
    }
    pc_buf_puts(b, "  Jitter is measured on the round trip and mixes both directions.\n");
}

/* A sample worth a caveat: at least one probe measured. */
static int measured_something(const struct pc_report *r)
{
    for (size_t i = 0; i < r->n_probes; i++)
        if (r->probes[i].status == PC_STATUS_OK)
            return 1;
    return 0;
}

void pc_render_text(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    verdict(r, o, b);
    if (o->quiet)
        return;
    check_lines(r, o, b);
    info_lines(r, b);
    advice(r, b);
    if (o->verbose)
        probes(r, b);
    if (measured_something(r))
        pc_buf_printf(b,
                      "\nThis was one %.0f-second sample of your connection; if problems come "
                      "and go, run 'precall --duration 60'.\n",
                      (double)r->duration_ns / 1e9 < 1 ? 1 : round((double)r->duration_ns / 1e9));
}
