/* render.c - the renderer table and helpers shared by the formats. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "precall/buf.h"
#include "precall/cause.h"
#include "precall/render.h"
#include "precall/score.h"

static const struct pc_renderer renderers[] = {
    {"text", pc_render_text, NULL},
    {"json", pc_render_json, NULL},
    {"ndjson", pc_render_ndjson, pc_render_ndjson_event},
    {"csv", pc_render_csv, NULL},
    {"openmetrics", pc_render_openmetrics, NULL},
    {"html", pc_render_html, NULL},
};

const struct pc_renderer *pc_renderer_get(size_t i)
{
    return i < sizeof(renderers) / sizeof(renderers[0]) ? &renderers[i] : NULL;
}

const struct pc_renderer *pc_renderer_find(const char *name)
{
    const struct pc_renderer *r;

    for (size_t i = 0; (r = pc_renderer_get(i)) != NULL; i++)
        if (strcmp(r->name, name) == 0)
            return r;
    return NULL;
}

/* "-0.0 dBFS" (a small negative value rounded) reads as a sign that means something: "0.0". */
static void drop_negative_zero(char *buf)
{
    size_t digits = strspn(buf + 1, "0.");

    if (buf[0] == '-' && digits > 0 && (buf[1 + digits] == '\0' || buf[1 + digits] == ' '))
        memmove(buf, buf + 1, strlen(buf));
}

#define KB 1e3
#define MB 1e6
#define GB 1e9

void pc_render_number(const struct pc_metric_def *d, double v, char *buf, size_t cap)
{
    /* Sizes of data for people: 7.1 MB, not 7087634 bytes (decimal units, as networks count). */
    if (strcmp(d->unit, "bytes") == 0 && fabs(v) >= 10 * KB) {
        /* The unit in which it shows below 1000.0: 999950 bytes is 1.0 MB, not 1000.0 kB. */
        double scale = fabs(v) >= 999.95 * MB ? GB : fabs(v) >= 999.95 * KB ? MB : KB;

        snprintf(buf, cap, "%.1f %s", v / scale, scale == GB ? "GB" : scale == MB ? "MB" : "kB");
    } else {
        pc_metric_format(d, v, buf, cap);
    }
    drop_negative_zero(buf);
}

void pc_render_value(const struct pc_report *r, size_t scope, enum pc_metric m, char *buf,
                     size_t cap)
{
    const struct pc_value *v = pc_report_get(r, scope, m);
    const struct pc_metric_def *d = pc_metric_def(m);
    const struct pc_value *why = d->zero_is ? pc_report_get(r, scope, d->zero_is) : NULL;

    if (!v->set)
        snprintf(buf, cap, "not measured");
    else if (v->num == 0 && why != NULL && why->set && why->text != NULL)
        pc_strfmt(buf, cap, "none (%s)", why->text); /* "none (missing)", not "0 px" */
    else if (pc_metric_def(m)->kind == PC_KIND_TEXT)
        snprintf(buf, cap, "%s", v->text ? v->text : "");
    else
        pc_render_number(pc_metric_def(m), v->num, buf, cap);
}

const char *pc_render_signal_name(int sig)
{
    switch (sig) {
    case 0:
        return NULL;
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "other";
    }
}

void pc_render_need(const struct pc_check *c, enum pc_metric m, char *buf, size_t cap)
{
    const struct pc_metric_def *d = pc_metric_def(m);
    int t = pc_score_next_tier(c);
    char limit[64];

    buf[0] = '\0';
    if (!c->gated || t < 0)
        return;
    if (d->kind == PC_KIND_BOOL && c->tier == PC_TIER_HD)
        return; /* a yes/no check says what it needs only when it fails */
    pc_metric_format_limit(d, c->threshold[t], limit, sizeof(limit));
    snprintf(buf, cap, "%s needs %s", pc_tier_short_label(t), limit);
}

size_t pc_render_series_worst(const struct pc_series *se)
{
    size_t worst = 0;

    for (size_t i = 1; i < se->n; i++)
        if (se->v[i] > se->v[worst])
            worst = i;
    return worst;
}

/*
 * In which second the limiting figure m of scope s was made, for the
 * verdict's line: ", worst at 14:03:03 UTC: 51.5 ms" from the worst point of
 * the series the metric names, or ", at 14:03:03 UTC" from a time the report
 * holds (a dropout's). Empty when the report does not say.
 */
static void moment_text(const struct pc_report *r, size_t s, enum pc_metric m, char *buf,
                        size_t cap)
{
    enum pc_metric w = pc_metric_def(m)->when;
    const struct pc_series *se;
    const struct pc_value *at;
    size_t worst;
    char when[32], v[64];

    buf[0] = '\0';
    if (w == 0)
        return;
    if (pc_metric_def(w)->kind == PC_KIND_TEXT) {
        at = pc_report_get(r, s, w);
        if (at->set && at->text != NULL && at->text[0] != '\0')
            pc_strfmt(buf, cap, ", at %s", at->text);
        return;
    }
    se = pc_report_series(r, s, w);
    if (se == NULL || se->n == 0)
        return;
    worst = pc_render_series_worst(se);
    if (se->v[worst] <= 0)
        return; /* no second was worse than none: nothing to point at */
    pc_report_moment(r, se->t_ns[worst], when, sizeof(when));
    pc_render_number(pc_metric_def(w), se->v[worst], v, sizeof(v));
    pc_strfmt(buf, cap, ", worst at %s: %s", when, v);
}

void pc_render_limits(const struct pc_report *r, struct pc_buf *b)
{
    int first = 1;

    for (size_t s = 0; s < r->n_scopes; s++) {
        const struct pc_scope *sc = r->scopes[s];

        if (!sc->gates || r->tier == PC_TIER_NONE)
            continue;
        for (int m = 0; m < PC_M__COUNT; m++) {
            char value[80], need[80], moment[128];

            if (!sc->limited[m] || sc->tier != r->tier)
                continue;
            pc_render_value(r, s, m, value, sizeof(value));
            pc_render_need(&sc->checks[m], m, need, sizeof(need));
            moment_text(r, s, (enum pc_metric)m, moment, sizeof(moment));
            pc_buf_printf(b, "%s%s %s%s%s%s%s%s%s", first ? "  limited by " : "; ",
                          pc_metric_def(m)->label, value, s ? " " : "",
                          s ? pc_scope_kind_def(sc->kind)->in : "", s ? " " : "", s ? sc->id : "",
                          need[0] ? " (" : "", need);
            pc_buf_printf(b, "%s%s", need[0] ? ")" : "", moment);
            first = 0;
        }
    }
    if (!first)
        pc_buf_puts(b, "\n");
}

static const char *const left_out_why[] = {"left out with --only or --skip",
                                           "this build or system cannot check them"};

/*
 * Why metric m was not checked, for people: what its probe said when it
 * names a cause (a speed test that could not fill the link: "download: at
 * least 3.1 Mbit/s ...", a server that refused),
 * left out by --only/--skip, or not possible in this build or system. *kind
 * orders the lines: 0 the probe's own reason, 1 and 2 left_out_why's.
 */
static const char *why_not_checked(const struct pc_report *r, int m, int *kind)
{
    const struct pc_metric_def *d = pc_metric_def(m);
    const struct pc_probe_result *p = pc_report_probe_find(r, pc_producer_name(d->producer));

    *kind = 0;
    if (p == NULL || strcmp(p->cause, pc_cause_id(PC_CAUSE_NOT_SELECTED)) == 0)
        *kind = 1;
    else if (p->reason[0] == '\0' || p->cause[0] == '\0' ||
             strcmp(p->cause, pc_cause_id(PC_CAUSE_NOT_SUPPORTED)) == 0)
        *kind = 2;
    return *kind == 0 ? p->reason : left_out_why[*kind - 1];
}

void pc_render_left_out(const struct pc_report *r, struct pc_buf *b)
{
    int done[PC_M__COUNT] = {0};

    for (int pass = 0; pass < 3; pass++) {
        for (int m = 0; m < PC_M__COUNT; m++) {
            const char *why;
            int kind;

            if (!r->left_out[m] || done[m] || (why = why_not_checked(r, m, &kind), kind != pass))
                continue;
            pc_buf_printf(b, "  not checked: %s", pc_metric_def(m)->label);
            for (int k = m + 1; k < PC_M__COUNT; k++) {
                int kk;

                if (r->left_out[k] && !done[k] && strcmp(why_not_checked(r, k, &kk), why) == 0) {
                    pc_buf_printf(b, ", %s", pc_metric_def(k)->label);
                    done[k] = 1;
                }
            }
            pc_buf_printf(b, " (%s)\n", why);
        }
    }
}

const char *pc_render_why_unmeasured(const struct pc_report *r, const struct pc_probe_result *p)
{
    const struct pc_advice *a = p->cause[0] ? pc_advice_find(r, p->cause) : NULL;

    return a != NULL && a->cause[0] ? a->cause : p->reason;
}

int pc_render_has_check_line(const struct pc_report *r, const struct pc_render_opts *o, int m)
{
    const struct pc_metric_def *d = pc_metric_def(m);
    const struct pc_probe_result *p = pc_report_probe_find(r, pc_producer_name(d->producer));
    int set = pc_report_get(r, PC_SCOPE_RUN_ID, m)->set;

    if (!(d->scopes & PC_SCOPE_BIT(PC_SCOPE_RUN)) || (!set && p == NULL))
        return 0; /* another scope's figure, or a probe this command does not have */
    if (set && r->scopes[PC_SCOPE_RUN_ID]->checks[m].gated && !r->left_out[m])
        return 1; /* a figure that decided the tier (the relay's, standing in for the direct path)
                   */
    if (d->level != PC_LEVEL_CHECK && !(o->verbose && d->level == PC_LEVEL_DETAIL))
        return 0;
    if (r->left_out[m])
        return 0; /* named once, on the "not checked" line under the verdict */
    if (!set && d->level != PC_LEVEL_CHECK)
        return 0;
    if (!set && pc_score_next_tier(&r->scopes[PC_SCOPE_RUN_ID]->checks[m]) < 0)
        return 0; /* neither measured nor limited by the profile: nothing to say */
    if (!set && p != NULL && p->status != PC_STATUS_OK && p->status != PC_STATUS_SKIPPED)
        return 0; /* on the shared line below */
    return 1;
}

/* A sample of the connection worth a caveat: the network answered. */
static int sampled_connection(const struct pc_report *r)
{
    const struct pc_value *online = pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_ONLINE);

    return online->set && online->num != 0;
}

#define LONG_SAMPLE_S 60 /* the length the footer suggests for problems that come and go */

/* How long the check took (it is the sample), and a longer one while it was short. */
void pc_render_sample_line(const struct pc_report *r, struct pc_buf *b)
{
    double s = (double)r->duration_ns / 1e9;

    if (!sampled_connection(r) || strcmp(r->command, "check") != 0)
        return;
    pc_buf_printf(b, "\nThis check took %.*f seconds: one sample of your connection",
                  s < 10 ? 1 : 0, s);
    if (s < LONG_SAMPLE_S / 2)
        pc_buf_printf(b, "; if problems come and go, run 'precall --duration %d'", LONG_SAMPLE_S);
    pc_buf_puts(b, ".\n");
}

void pc_render_support_line(const struct pc_report *r, const struct pc_render_opts *o,
                            struct pc_buf *b)
{
    pc_buf_printf(b, "\nprecall %s, profile %s, started %s%s%s\n", o->version ? o->version : "?",
                  r->profile, r->started_at, r->servers[0] ? ", servers " : "", r->servers);
}

int pc_render_unmeasured_check(const struct pc_report *r, const struct pc_probe_result *p, int m)
{
    const struct pc_metric_def *d = pc_metric_def(m);

    return strcmp(pc_producer_name(d->producer), p->name) == 0 && d->level == PC_LEVEL_CHECK &&
           (d->scopes & PC_SCOPE_BIT(PC_SCOPE_RUN)) && !pc_report_get(r, PC_SCOPE_RUN_ID, m)->set &&
           !r->left_out[m] && p->status != PC_STATUS_OK && p->status != PC_STATUS_SKIPPED;
}
