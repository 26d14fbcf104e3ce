/*
 * html.c - the report as one self-contained web page, to send to support:
 * the verdict and the advice first, then every check (what the verbose
 * text report says, through the same helpers of render.c), then the time
 * series as inline SVG charts, each with a text alternative. No script, no
 * font, nothing fetched: inline CSS only, so it opens offline from a mail
 * attachment; a viewport and a fluid layout, so it reads on a phone. Every
 * string of the report is HTML-escaped (svg.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "precall/render.h"
#include "precall/score.h"
#include "precall/stats.h"
#include "render/svg.h"

static const char style[] =
    "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fff}"
    "main{max-width:52rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .4rem;"
    "border-bottom:1px solid #ddd}h3{font-size:1rem;margin:1rem 0 .3rem}"
    ".verdict{padding:.8rem 1rem;border-radius:6px;border-left:8px solid #888;background:#f4f4f4}"
    ".tier-hd{border-color:#2e8b57;background:#eaf6ee}.tier-sd,.tier-audio{border-color:#d4a017;"
    "background:#fdf6e3}.tier-none{border-color:#c0392b;background:#fbeaea}"
    ".verdict p{margin:.2rem 0}table{border-collapse:collapse;width:100%}"
    "td,th{padding:.25rem .4rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}"
    ".mark{font-weight:bold;white-space:nowrap}.ok{color:#1e7040}.warn{color:#8a6500}"
    ".FAIL{color:#b02a1a}.id{color:#666;font-size:.85em}"
    "figure{margin:1rem 0}svg{width:100%;height:auto}figcaption{font-size:.9em;color:#444}"
    ".wrap{overflow-x:auto}.v{white-space:nowrap}.info{columns:18rem;padding-left:1.2rem}"
    "footer{margin-top:2rem;font-size:.9em;color:#555}";

static void esc(struct pc_buf *b, const char *s)
{
    pc_svg_escape(b, s);
}

/* Each line of text a shared helper wrote, as a paragraph (its indentation dropped). */
static void lines_as(struct pc_buf *b, const char *text, const char *open, const char *close)
{
    const char *p = text;

    while (p != NULL && *p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = malloc(n + 1);

        if (line == NULL) {
            b->failed = 1;
            return;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        if (line[strspn(line, " ")] != '\0') {
            pc_buf_puts(b, open);
            esc(b, line + strspn(line, " "));
            pc_buf_puts(b, close);
        }
        free(line);
        p = nl ? nl + 1 : NULL;
    }
}

static const char *tier_class(int tier)
{
    return tier == PC_TIER_HD ? "tier-hd" : tier == PC_TIER_NONE ? "tier-none" : "tier-sd";
}

static void verdict(const struct pc_report *r, struct pc_buf *b)
{
    struct pc_buf t = {0};

    pc_buf_printf(b, "<header class=\"verdict %s\" id=\"verdict\">\n", tier_class(r->tier));
    if (!r->complete && r->interrupted)
        pc_buf_printf(b,
                      "<p><strong>INCOMPLETE</strong>: interrupted (%s); these results are "
                      "partial.</p>\n",
                      pc_render_signal_name(r->interrupted));
    else if (!r->complete)
        pc_buf_puts(b, "<p><strong>INCOMPLETE</strong>: the time limit ended the check; these "
                       "results are partial.</p>\n");
    pc_buf_puts(b, "<h1>");
    esc(b, r->headline);
    pc_buf_puts(b, "</h1>\n");
    pc_render_limits(r, &t);
    pc_render_left_out(r, &t);
    lines_as(b, t.data, "<p>", "</p>\n");
    for (size_t i = 0; i < r->n_risks; i++) {
        pc_buf_puts(b, "<p><strong>Risk</strong>: ");
        esc(b, r->risks[i].text);
        pc_buf_puts(b, " ");
        esc(b, r->risks[i].advice);
        pc_buf_puts(b, " <span class=\"id\">[");
        esc(b, r->risks[i].id);
        pc_buf_puts(b, "]</span></p>\n");
    }
    pc_buf_puts(b, "</header>\n");
    b->failed |= t.failed;
    pc_buf_free(&t);
}

static void advice(const struct pc_report *r, struct pc_buf *b)
{
    if (r->n_advice == 0)
        return;
    pc_buf_puts(b, "<section id=\"advice\">\n<h2>What to do</h2>\n<ol>\n");
    for (size_t i = 0; i < r->n_advice; i++) {
        pc_buf_puts(b, "<li>");
        esc(b, r->advice[i].text);
        pc_buf_puts(b, " <span class=\"id\">[");
        esc(b, r->advice[i].id);
        pc_buf_puts(b, "]</span></li>\n");
    }
    pc_buf_puts(b, "</ol>\n</section>\n");
}

/* One check as a table row: its mark (a word), label, value and what the next tier needs. */
static void check_row(const struct pc_report *r, size_t scope, enum pc_metric m, struct pc_buf *b)
{
    const struct pc_check *c = &r->scopes[scope]->checks[m];
    const char *mark = pc_score_mark(c);
    char value[300], need[80];

    pc_render_value(r, scope, m, value, sizeof(value));
    pc_render_need(c, m, need, sizeof(need));
    pc_buf_printf(b, "<tr><td class=\"mark %s\">%s</td><td>", mark, mark);
    esc(b, pc_metric_def(m)->label);
    pc_buf_puts(b, "</td><td class=\"v\">");
    esc(b, value);
    pc_buf_puts(b, "</td><td>");
    esc(b, need);
    pc_buf_puts(b, "</td></tr>\n");
}

/* A scope's information figures (and details: the HTML report is the verbose one). */
static void info_list(const struct pc_report *r, size_t si, struct pc_buf *b)
{
    const struct pc_scope *s = r->scopes[si];
    int any = 0;

    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        char value[300];

        if ((d->level != PC_LEVEL_INFO && d->level != PC_LEVEL_DETAIL) ||
            !(d->scopes & PC_SCOPE_BIT(s->kind)) || !s->values[m].set)
            continue;
        if (si == PC_SCOPE_RUN_ID && d->level == PC_LEVEL_DETAIL)
            continue; /* the run's details are check rows */
        pc_render_value(r, si, m, value, sizeof(value));
        pc_buf_puts(b, any ? "<li>" : "<ul class=\"info\">\n<li>");
        esc(b, d->label);
        pc_buf_puts(b, ": ");
        esc(b, value);
        pc_buf_puts(b, "</li>\n");
        any = 1;
    }
    if (any)
        pc_buf_puts(b, "</ul>\n");
}

static void check_list(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    int rows = 0;

    for (int m = 0; m < PC_M__COUNT; m++) {
        if (!pc_render_has_check_line(r, o, m))
            continue;
        if (!rows)
            pc_buf_puts(b, "<div class=\"wrap\"><table>\n");
        rows = 1;
        check_row(r, PC_SCOPE_RUN_ID, (enum pc_metric)m, b);
    }
    if (rows)
        pc_buf_puts(b, "</table></div>\n");
    /* The checks a failed probe could not measure: one line that names the cause once. */
    for (size_t i = 0; i < r->n_probes; i++) {
        const struct pc_probe_result *p = &r->probes[i];
        int first = 1;

        for (int m = 0; m < PC_M__COUNT; m++) {
            const struct pc_metric_def *d = pc_metric_def(m);

            if (!pc_render_unmeasured_check(r, p, m))
                continue;
            pc_buf_puts(b, first ? "<p><span class=\"mark\">--</span> " : ", ");
            esc(b, d->label);
            first = 0;
        }
        if (!first) {
            pc_buf_puts(b, ": not measured (");
            esc(b, pc_render_why_unmeasured(r, p));
            pc_buf_puts(b, ")</p>\n");
        }
    }
    info_list(r, PC_SCOPE_RUN_ID, b);
}

/* The run's checks and figures, in a section when there are any. */
static void checks(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    struct pc_buf c = {0};

    check_list(r, o, &c);
    if (c.len > 0) {
        pc_buf_puts(b, "<section id=\"checks\">\n<h2>Checks</h2>\n");
        pc_buf_puts(b, c.data);
        pc_buf_puts(b, "</section>\n");
    }
    b->failed |= c.failed;
    pc_buf_free(&c);
}

/* Every scope of the kinds the text report lists (streams, flows, files, devices), by kind. */
static void listed_scopes(const struct pc_report *r, struct pc_buf *b)
{
    for (int k = 0; k < PC_SCOPE__COUNT; k++) {
        const struct pc_scope_kind_def *kd = pc_scope_kind_def(k);
        int first = 1;

        for (size_t si = 0; kd->listed && si < r->n_scopes; si++) {
            const struct pc_scope *s = r->scopes[si];
            int rows = 0;

            if (s->kind != (enum pc_scope_kind)k)
                continue;
            if (first) {
                pc_buf_printf(b, "<section class=\"listed\" id=\"%s\">\n<h2>", kd->name);
                esc(b, kd->title);
                pc_buf_puts(b, "</h2>\n");
            }
            first = 0;
            pc_buf_puts(b, "<h3>");
            esc(b, s->label);
            if (s->tier != PC_TIER_UNKNOWN) {
                pc_buf_puts(b, ": ");
                esc(b, pc_tier_short_label(s->tier));
            }
            pc_buf_puts(b, "</h3>\n");
            for (int m = 0; m < PC_M__COUNT; m++) {
                const struct pc_metric_def *d = pc_metric_def(m);

                if (d->level != PC_LEVEL_CHECK || !(d->scopes & PC_SCOPE_BIT(s->kind)) ||
                    (!s->values[m].set && !s->checks[m].gated))
                    continue;
                if (!rows)
                    pc_buf_puts(b, "<div class=\"wrap\"><table>\n");
                rows = 1;
                check_row(r, si, (enum pc_metric)m, b);
            }
            if (rows)
                pc_buf_puts(b, "</table></div>\n");
            info_list(r, si, b);
        }
        if (!first)
            pc_buf_puts(b, "</section>\n");
    }
}

static void probes(const struct pc_report *r, struct pc_buf *b)
{
    if (r->n_probes == 0)
        return;
    pc_buf_puts(b, "<section id=\"probes\">\n<h2>Probes</h2>\n");
    for (size_t i = 0; i < r->n_probes; i++) {
        const struct pc_probe_result *p = &r->probes[i];

        pc_buf_puts(b, "<h3>");
        esc(b, p->name);
        pc_buf_printf(b, ": %s", pc_status_name(p->status));
        if (p->reason[0]) {
            pc_buf_puts(b, " - ");
            esc(b, p->reason);
        }
        pc_buf_printf(b, " (%.0f ms)</h3>\n", (double)p->duration_ns / 1e6);
        if (p->method[0]) {
            pc_buf_puts(b, "<p>Method: ");
            esc(b, p->method);
            pc_buf_puts(b, "</p>\n");
        }
        if (p->n_targets > 0)
            pc_buf_puts(b, "<ul>\n");
        for (size_t k = 0; k < p->n_targets; k++) {
            const struct pc_target *t = &p->targets[k];

            pc_buf_puts(b, "<li>");
            esc(b, t->role);
            pc_buf_puts(b, " target ");
            esc(b, t->host);
            if (t->address[0]) {
                pc_buf_puts(b, " (");
                esc(b, t->address);
                pc_buf_printf(b, " port %d)", t->port);
            }
            if (t->detail[0]) {
                pc_buf_puts(b, ": ");
                esc(b, t->detail);
            }
            pc_buf_puts(b, "</li>\n");
        }
        if (p->n_targets > 0)
            pc_buf_puts(b, "</ul>\n");
    }
    pc_buf_puts(b, "</section>\n");
}

/* The scopes the text report lists only with -v (phases, servers): tier and checked figures. */
static void other_scopes(const struct pc_report *r, struct pc_buf *b)
{
    int first = 1, jitter = 0;

    for (size_t si = 1; si < r->n_scopes; si++) {
        const struct pc_scope *s = r->scopes[si];
        int any = 0;

        jitter |= s->values[PC_M_JITTER_MS].set;
        if (pc_scope_kind_def(s->kind)->listed)
            continue;
        if (first)
            pc_buf_puts(b, "<section id=\"scopes\">\n<h2>Phases and servers</h2>\n");
        first = 0;
        pc_buf_puts(b, "<h3>");
        esc(b, s->label);
        pc_buf_printf(b, ": %s%s</h3>\n",
                      s->tier == PC_TIER_UNKNOWN ? "not scored" : pc_tier_short_label(s->tier),
                      s->gates ? "" : " (for comparison; does not change the verdict)");
        for (int m = 0; m < PC_M__COUNT; m++) {
            const struct pc_metric_def *d = pc_metric_def(m);

            if (d->level != PC_LEVEL_CHECK || !(d->scopes & PC_SCOPE_BIT(s->kind)) ||
                !s->values[m].set)
                continue;
            if (!any)
                pc_buf_puts(b, "<div class=\"wrap\"><table>\n");
            any = 1;
            check_row(r, si, (enum pc_metric)m, b);
        }
        if (any)
            pc_buf_puts(b, "</table></div>\n");
    }
    jitter |= r->scopes[PC_SCOPE_RUN_ID]->values[PC_M_JITTER_MS].set;
    if (jitter && !first)
        pc_buf_puts(b, "<p>Jitter is measured on the round trip and mixes both directions.</p>\n");
    if (!first)
        pc_buf_puts(b, "</section>\n");
}

#define LOST_MARKS_MAX 2000

/*
 * The moments of the probes that went unanswered, from the series of the
 * answered ones: the probes go out at a steady pace (the median interval
 * between answered probes), so a gap of k intervals held k - 1 lost
 * probes. At most lost marks (the scope's count of lost probes); those
 * lost after the last answer leave no gap and are not marked.
 */
static size_t lost_marks(const struct pc_series *s, double lost, int64_t *mark, size_t cap)
{
    double *gaps, *sorted, every;
    size_t n = 0;

    if (s->n < 3 || !(lost >= 1))
        return 0;
    gaps = malloc((s->n - 1) * sizeof(*gaps));
    if (gaps == NULL)
        return 0;
    for (size_t i = 1; i < s->n; i++)
        gaps[i - 1] = (double)(s->t_ns[i] - s->t_ns[i - 1]);
    sorted = pc_stats_sorted_copy(gaps, s->n - 1);
    free(gaps);
    if (sorted == NULL)
        return 0;
    every = pc_stats_percentile(sorted, s->n - 1, 50);
    free(sorted);
    for (size_t i = 1; every > 0 && i < s->n; i++) {
        double k = floor((double)(s->t_ns[i] - s->t_ns[i - 1]) / every + 0.5);

        for (double j = 1; j < k && n < cap && (double)n < lost; j++)
            mark[n++] = s->t_ns[i - 1] + (int64_t)(j * every);
    }
    return n;
}

/* "400 points over 4.0 s; min 21.50, median 22.00, p90 23.10, max 48.10 ms" */
static void series_words(const struct pc_series *s, struct pc_buf *b)
{
    const struct pc_metric_def *d = pc_metric_def(s->metric);
    double *sorted = pc_stats_sorted_copy(s->v, s->n);

    if (sorted == NULL) {
        b->failed = 1;
        return;
    }
    pc_buf_printf(b, "%s: %zu points over %.1f s; min %.2f, median %.2f, p90 %.2f, max %.2f %s. ",
                  d->label, s->n, (double)(s->t_ns[s->n - 1] - s->t_ns[0]) / 1e9, sorted[0],
                  pc_stats_percentile(sorted, s->n, 50), pc_stats_percentile(sorted, s->n, 90),
                  sorted[s->n - 1], d->unit);
    free(sorted);
}

/* One chart for a scope: a band per series, on one time axis. */
static void scope_chart(const struct pc_report *r, size_t si, int *id, struct pc_buf *b)
{
    const struct pc_scope *s = r->scopes[si];
    struct pc_svg_chart c = {0};
    struct pc_buf desc = {0}, title = {0};
    int64_t *marks = NULL;
    size_t n_marks = 0;

    for (size_t k = 0; k < s->n_series && c.n_bands < PC_SVG_BANDS_MAX; k++) {
        const struct pc_series *se = &s->series[k];
        const struct pc_metric_def *d = pc_metric_def(se->metric);
        struct pc_svg_band *bd = &c.band[c.n_bands];
        const struct pc_value *lost = &s->values[PC_M_PROBES_LOST];

        if (se->n == 0)
            continue;
        c.n_bands++;
        *bd = (struct pc_svg_band){d->label, d->unit, se->t_ns, se->v, se->n, 0, NULL, 0};
        bd->columns = strstr(d->unit, "/s") != NULL; /* an amount per window */
        series_words(se, &desc);
        if (se->metric == PC_M_RTT_MS && lost->set && marks == NULL) {
            marks = malloc(LOST_MARKS_MAX * sizeof(*marks));
            n_marks = marks ? lost_marks(se, lost->num, marks, LOST_MARKS_MAX) : 0;
            bd->mark_ns = marks;
            bd->n_marks = n_marks;
            pc_buf_printf(&desc, "%.0f probes lost", lost->num);
            if (n_marks > 0)
                pc_buf_printf(&desc, ", %zu of them marked in red where they were due", n_marks);
            pc_buf_puts(&desc, ". ");
        }
    }
    if (c.n_bands > 0) {
        pc_buf_printf(&title, "Over time (seconds into the run): %s", s->label);
        c.title = title.data ? title.data : "";
        c.desc = desc.data ? desc.data : "";
        pc_buf_puts(b, "<figure>\n");
        pc_svg_chart(b, &c, (*id)++);
        pc_buf_puts(b, "<figcaption>");
        esc(b, c.title);
        pc_buf_puts(b, ". ");
        esc(b, c.desc);
        pc_buf_puts(b, "</figcaption>\n</figure>\n");
    }
    b->failed |= desc.failed || title.failed;
    pc_buf_free(&desc);
    pc_buf_free(&title);
    free(marks);
}

/* Is metric m a level of a device, drawn as a bar on its own bounded scale? */
static int is_level(const struct pc_metric_def *d)
{
    return (d->scopes & PC_SCOPE_BIT(PC_SCOPE_DEVICE)) && d->kind == PC_KIND_NUMBER &&
           d->hi > d->lo && d->hi - d->lo <= 255;
}

#define LEVELS_MAX 64

static void device_levels(const struct pc_report *r, int *id, struct pc_buf *b)
{
    struct pc_svg_level l[LEVELS_MAX];
    char label[LEVELS_MAX][200], text[LEVELS_MAX][80];
    struct pc_buf desc = {0};
    size_t n = 0;

    for (size_t si = 0; si < r->n_scopes; si++) {
        const struct pc_scope *s = r->scopes[si];

        for (int m = 0; m < PC_M__COUNT && s->kind == PC_SCOPE_DEVICE && n < LEVELS_MAX; m++) {
            const struct pc_metric_def *d = pc_metric_def(m);

            if (!is_level(d) || !s->values[m].set)
                continue;
            pc_strfmt(label[n], sizeof(label[n]), "%s, %s", s->label, d->label);
            pc_render_value(r, si, m, text[n], sizeof(text[n]));
            l[n] = (struct pc_svg_level){label[n], text[n], s->values[m].num, d->lo, d->hi};
            pc_buf_printf(&desc, "%s: %s (scale %g to %g). ", label[n], text[n], d->lo, d->hi);
            n++;
        }
    }
    if (n > 0) {
        pc_buf_puts(b, "<figure>\n");
        pc_svg_levels(b, "Device levels", desc.data, l, n, (*id)++);
        pc_buf_puts(b, "<figcaption>Device levels, each bar on its own scale. ");
        esc(b, desc.data);
        pc_buf_puts(b, "</figcaption>\n</figure>\n");
    }
    b->failed |= desc.failed;
    pc_buf_free(&desc);
}

static void charts(const struct pc_report *r, struct pc_buf *b)
{
    struct pc_buf c = {0};
    int id = 1;

    for (size_t si = 0; si < r->n_scopes; si++)
        scope_chart(r, si, &id, &c);
    device_levels(r, &id, &c);
    if (c.len > 0) {
        pc_buf_puts(b, "<section id=\"charts\">\n<h2>Charts</h2>\n");
        pc_buf_puts(b, c.data);
        pc_buf_puts(b, "</section>\n");
    }
    b->failed |= c.failed;
    pc_buf_free(&c);
}

static void footer(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    struct pc_buf t = {0};

    pc_render_sample_line(r, &t);
    pc_render_support_line(r, o, &t);
    pc_buf_puts(b, "<footer>\n");
    lines_as(b, t.data, "<p>", "</p>\n");
    pc_buf_puts(b, "</footer>\n");
    b->failed |= t.failed;
    pc_buf_free(&t);
}

void pc_render_html(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    struct pc_render_opts v = *o;

    v.verbose = 1; /* the page is what -v shows, for support */
    v.color = 0;
    pc_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>precall: ");
    esc(b, r->headline);
    pc_buf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", style);
    verdict(r, b);
    advice(r, b);
    checks(r, &v, b);
    listed_scopes(r, b);
    probes(r, b);
    other_scopes(r, b);
    charts(r, b);
    footer(r, &v, b);
    pc_buf_puts(b, "</main>\n</body>\n</html>\n");
}
