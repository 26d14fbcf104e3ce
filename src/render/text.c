/*
 * text.c - the report for people: verdict and its cause first, one line
 * per check, numbered advice, and a support line; -v adds each probe's
 * method and targets, every scope (servers, phases) with its figures, and
 * a summary of each time series. Marks are words ("ok", "warn", "FAIL");
 * colour only repeats them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "precall/clock.h"
#include "precall/cause.h"
#include "precall/render.h"
#include "precall/score.h"
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

static const char *mark_color(const char *mark)
{
    if (strcmp(mark, "ok") == 0)
        return GREEN;
    if (strcmp(mark, "warn") == 0)
        return YELLOW;
    return strcmp(mark, "FAIL") == 0 ? RED : "";
}

static void verdict(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    const char *c = r->tier == PC_TIER_HD ? GREEN : r->tier == PC_TIER_NONE ? RED : YELLOW;

    if (o->quiet) { /* one line, whatever happened */
        pc_buf_printf(b, "%s%s\n", r->complete || r->interrupted ? "" : "(incomplete) ",
                      r->headline);
        return;
    }
    if (!r->complete && r->interrupted)
        pc_buf_printf(b, "%sINCOMPLETE%s: interrupted (%s); these results are partial.\n",
                      paint(o, BOLD), paint(o, RESET), pc_render_signal_name(r->interrupted));
    else if (!r->complete)
        pc_buf_printf(b,
                      "%sINCOMPLETE%s: the time limit ended the check; these results are "
                      "partial.\n",
                      paint(o, BOLD), paint(o, RESET));
    pc_buf_printf(b, "%s%s%s%s\n", paint(o, BOLD), paint(o, c), r->headline, paint(o, RESET));
    pc_render_limits(r, b);
    pc_render_left_out(r, b);
    for (size_t i = 0; i < r->n_risks; i++)
        pc_buf_printf(b, "  %srisk%s: %s %s [%s]\n", paint(o, YELLOW), paint(o, RESET),
                      r->risks[i].text, r->risks[i].advice, r->risks[i].id);
}

/* The width of a label column: its longest label, so that every value starts in one column. */
static int label_width(int width, const char *label)
{
    int n = (int)strlen(label);

    return n > width ? n : width;
}

static void check_line(const struct pc_report *r, const struct pc_render_opts *o, size_t scope,
                       enum pc_metric m, int width, const char *indent, struct pc_buf *b)
{
    const struct pc_metric_def *d = pc_metric_def(m);
    const struct pc_check *c = &r->scopes[scope]->checks[m];
    const char *mark = pc_score_mark(c);
    char value[80], need[80];

    pc_render_value(r, scope, m, value, sizeof(value));
    pc_render_need(c, m, need, sizeof(need));
    pc_buf_printf(b, "%s%s%-4s%s  %-*s ", indent, paint(o, mark_color(mark)), mark, paint(o, RESET),
                  width, d->label);
    if (need[0])
        pc_buf_printf(b, "%-16s %s\n", value, need);
    else
        pc_buf_printf(b, "%s\n", value);
}

/*
 * One line per check. The checks a failed probe could not measure follow
 * from its failure: they share one line that names the cause once.
 */
static void check_lines(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    int width = 0, blank = 0;

    for (int m = 0; m < PC_M__COUNT; m++)
        if (pc_render_has_check_line(r, o, m))
            width = label_width(width, pc_metric_def(m)->label);
    for (int m = 0; m < PC_M__COUNT; m++) {
        if (!pc_render_has_check_line(r, o, m))
            continue;
        if (!blank)
            pc_buf_puts(b, "\n"); /* one blank line before the checks, none without them */
        blank = 1;
        check_line(r, o, PC_SCOPE_RUN_ID, m, width, "  ", b);
    }
    for (size_t i = 0; i < r->n_probes; i++) {
        const struct pc_probe_result *p = &r->probes[i];
        int first = 1;

        for (int m = 0; m < PC_M__COUNT; m++) {
            const struct pc_metric_def *d = pc_metric_def(m);

            if (!pc_render_unmeasured_check(r, p, m))
                continue;
            if (first && !blank)
                pc_buf_puts(b, "\n");
            blank = 1;
            pc_buf_printf(b, "%s%s", first ? "  --    " : ", ", d->label);
            first = 0;
        }
        if (!first)
            pc_buf_printf(b, ": not measured (%s)\n", pc_render_why_unmeasured(r, p));
    }
}

static void info_lines(const struct pc_report *r, struct pc_buf *b)
{
    int any = 0;

    for (int m = 0; m < PC_M__COUNT; m++) {
        char value[300];

        if (pc_metric_def(m)->level != PC_LEVEL_INFO ||
            !pc_report_get(r, PC_SCOPE_RUN_ID, m)->set ||
            r->scopes[PC_SCOPE_RUN_ID]->checks[m].gated) /* on its check line */
            continue;
        pc_render_value(r, PC_SCOPE_RUN_ID, m, value, sizeof(value));
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

/* A value printed with two decimals, without the minus sign of one that rounds to zero. */
static double two(double v)
{
    return fabs(v) < 0.005 ? 0.0 : v;
}

static void series_summary(const struct pc_series *s, struct pc_buf *b)
{
    const struct pc_metric_def *d = pc_metric_def(s->metric);
    double *sorted = pc_stats_sorted_copy(s->v, s->n);

    if (sorted == NULL)
        return;
    pc_buf_printf(
        b,
        "    %s series: %zu points over %.1f s; min %.2f, p25 %.2f, median %.2f, "
        "p75 %.2f, p90 %.2f, p99 %.2f, max %.2f %s\n",
        d->key, s->n, (double)(s->t_ns[s->n - 1] - s->t_ns[0]) / 1e9, two(sorted[0]),
        two(pc_stats_percentile(sorted, s->n, 25)), two(pc_stats_percentile(sorted, s->n, 50)),
        two(pc_stats_percentile(sorted, s->n, 75)), two(pc_stats_percentile(sorted, s->n, 90)),
        two(pc_stats_percentile(sorted, s->n, 99)), two(sorted[s->n - 1]), d->unit);
    pc_buf_puts(b, "      first:");
    for (size_t i = 0; i < s->n && i < 20; i++)
        pc_buf_printf(b, " %.2f", two(s->v[i]));
    pc_buf_puts(b, s->n > 20 ? " ...\n" : "\n");
    free(sorted);
}

static void scope_block(const struct pc_report *r, size_t si, struct pc_buf *b)
{
    const struct pc_scope *s = r->scopes[si];
    int any = 0;

    if (si != PC_SCOPE_RUN_ID)
        pc_buf_printf(b, "  %s: %s%s\n", s->label,
                      s->tier == PC_TIER_UNKNOWN ? "not scored" : pc_tier_short_label(s->tier),
                      s->gates ? "" : " (for comparison; does not change the verdict)");
    for (int m = 0; m < PC_M__COUNT && si != PC_SCOPE_RUN_ID; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        char value[80];

        if (d->level != PC_LEVEL_CHECK || !(d->scopes & PC_SCOPE_BIT(s->kind)) || !s->values[m].set)
            continue;
        pc_render_value(r, si, m, value, sizeof(value));
        pc_buf_printf(b, "%s%s %s %s", any ? ", " : "    ", pc_score_mark(&s->checks[m]), d->label,
                      value);
        any = 1;
    }
    if (any)
        pc_buf_puts(b, "\n");
    for (size_t k = 0; k < s->n_series; k++)
        if (s->series[k].n > 0)
            series_summary(&s->series[k], b);
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
    }
    pc_buf_puts(b, "\nScopes:\n");
    for (size_t s = 0; s < r->n_scopes; s++)
        if (!pc_scope_kind_def(r->scopes[s]->kind)->listed) /* listed above already */
            scope_block(r, s, b);
    for (size_t s = 0; s < r->n_scopes; s++)
        if (r->scopes[s]->values[PC_M_JITTER_MS].set) {
            pc_buf_puts(b, "  Jitter is measured on the round trip and mixes both directions.\n");
            break;
        }
}

#define SPARK_COLUMNS 60

/*
 * A series as one line of characters, one column per point (or per group
 * of points, their maximum, past SPARK_COLUMNS): '_' for zero, then
 * ".:-=+*#%@" from low to the series' maximum; then its worst point when
 * lower is better, else its range.
 */
static void sparkline(const struct pc_report *r, const struct pc_series *s, int width,
                      struct pc_buf *b)
{
    static const char ramp[] = ".:-=+*#%@";
    const struct pc_metric_def *d = pc_metric_def(s->metric);
    size_t per = (s->n + SPARK_COLUMNS - 1) / SPARK_COLUMNS, worst = pc_render_series_worst(s);
    double max = 0, min = s->v[0];
    char v[64], when[32];

    for (size_t i = 0; i < s->n; i++) {
        max = s->v[i] > max ? s->v[i] : max;
        min = s->v[i] < min ? s->v[i] : min;
    }
    pc_buf_printf(b, "    %-*s |", width, d->label);
    for (size_t c = 0; c * per < s->n; c++) {
        double m = 0;

        for (size_t i = c * per; i < (c + 1) * per && i < s->n; i++)
            m = s->v[i] > m ? s->v[i] : m;
        pc_buf_printf(b, "%c", m <= 0 ? '_' : ramp[(int)(m / max * 8.999)]);
    }
    pc_render_number(d, s->v[worst], v, sizeof(v));
    pc_report_moment(r, s->t_ns[worst], when, sizeof(when));
    if (d->better == PC_BETTER_LOWER && max > 0)
        pc_buf_printf(b, "| worst %s at %s\n", v, when);
    else {
        char lo[64];

        pc_render_number(d, min, lo, sizeof(lo));
        pc_buf_printf(b, "| %s to %s\n", lo, v);
    }
}

/* One scope of a listed kind: its tier, checks, information and timeline. */
static void listed_scope(const struct pc_report *r, const struct pc_render_opts *o, size_t si,
                         struct pc_buf *b)
{
    const struct pc_scope *s = r->scopes[si];
    int any = 0, width = 0, series_width = 0;

    /*
     * Label columns sized from the labels a scope of this kind can have, one
     * for the checks and one for the timelines: every scope of a kind (every
     * stream) has its values in the same column.
     */
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);

        if (!(d->scopes & PC_SCOPE_BIT(s->kind)))
            continue;
        if (d->level == PC_LEVEL_CHECK)
            width = label_width(width, d->label);
        series_width = label_width(series_width, d->label);
    }
    /* A scope of a kind that counts, left out of the verdict (a stream too short to judge,
     * one that is only probes), says so where a tier would stand: its figures are for
     * reading, not a promise. */
    pc_buf_printf(b, "  %s%s%s\n", s->label, s->tier == PC_TIER_UNKNOWN ? "" : ": ",
                  s->tier == PC_TIER_UNKNOWN                       ? ""
                  : !s->gates && pc_scope_kind_def(s->kind)->gates ? "not judged"
                                                                   : pc_tier_short_label(s->tier));
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        const struct pc_check *c = &s->checks[m];

        if (d->level != PC_LEVEL_CHECK || !(d->scopes & PC_SCOPE_BIT(s->kind)) ||
            (!s->values[m].set && !c->gated))
            continue;
        check_line(r, o, si, (enum pc_metric)m, width, "    ", b);
    }
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        char value[300];

        if (!(d->level == PC_LEVEL_INFO || (o->verbose && d->level == PC_LEVEL_DETAIL)) ||
            !(d->scopes & PC_SCOPE_BIT(s->kind)) || !s->values[m].set)
            continue;
        pc_render_value(r, si, m, value, sizeof(value));
        pc_buf_printf(b, "%s%s: %s", any ? "; " : "    ", d->label, value);
        any = 1;
    }
    if (any)
        pc_buf_puts(b, "\n");
    for (size_t k = 0; k < s->n_series; k++)
        if (s->series[k].n > 0)
            sparkline(r, &s->series[k], series_width, b);
}

/* Every scope of the kinds the text report lists (streams, flows, input files), by kind. */
static void listed_scopes(const struct pc_report *r, const struct pc_render_opts *o,
                          struct pc_buf *b)
{
    for (int k = 0; k < PC_SCOPE__COUNT; k++) {
        const struct pc_scope_kind_def *kd = pc_scope_kind_def(k);
        int first = 1;

        if (!kd->listed)
            continue;
        for (size_t s = 0; s < r->n_scopes; s++) {
            if (r->scopes[s]->kind != (enum pc_scope_kind)k)
                continue;
            if (first)
                pc_buf_printf(b, "\n%s:\n", kd->title);
            first = 0;
            listed_scope(r, o, s, b);
        }
    }
}

void pc_render_text(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    verdict(r, o, b);
    if (o->quiet)
        return;
    check_lines(r, o, b);
    info_lines(r, b);
    listed_scopes(r, o, b);
    advice(r, b);
    if (o->verbose)
        probes(r, b);
    pc_render_sample_line(r, b);
    pc_render_support_line(r, o, b);
}
