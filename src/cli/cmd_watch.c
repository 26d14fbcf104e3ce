/*
 * cmd_watch.c - 'precall watch': a check every --every (default 5 minutes)
 * until --until HH:MM, --count N checks, or Ctrl-C.
 *
 * Full checks run the selected probes; light checks only the dns, udp, http
 * and system probes (no speed test, no devices). The first check is full,
 * then a check is full when the last full one started PC_WATCH_FULL_EVERY_NS
 * (30 minutes) or more before: with --every 5m, every sixth. So a public
 * speed-test server sees at most two transfers an hour from a watch.
 *
 * Each check is one NDJSON line on stdout (the report, as '-f ndjson' ends
 * with; --redact gives its addresses and names the same pseudonyms all along), appended to the
 * history as 'check' does, and one summary line on stderr when that is a terminal. At the end (also
 * after Ctrl-C) stderr gets the worst and the typical check: the median tier and the median of each
 * figure over the checks that ran to their end.
 */
#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "precall/clock.h"
#include "precall/history.h"
#include "precall/redact.h"
#include "precall/render.h"
#include "precall/score.h"
#include "precall/stats.h"
#include "precall/tier.h"

#ifndef PRECALL_VERSION
#define PRECALL_VERSION "0"
#endif

#define PC_WATCH_FULL_EVERY_NS (30 * 60 * PC_NS_PER_S)

static const char *const light_probes[] = {"dns", "udp", "http", "system"};

static unsigned light_mask(const struct pc_run *run, unsigned mask)
{
    unsigned light = 0;

    for (size_t i = 0; i < run->n_probes; i++)
        for (size_t k = 0; k < sizeof(light_probes) / sizeof(light_probes[0]); k++)
            if (strcmp(run->probes[i]->name, light_probes[k]) == 0)
                light |= 1u << i;
    return light & mask;
}

/* Is the check that starts at now_ns a full one? last_full_ns < 0: none yet. */
int pc_watch_is_full(int64_t now_ns, int64_t last_full_ns)
{
    return last_full_ns < 0 || now_ns - last_full_ns >= PC_WATCH_FULL_EVERY_NS;
}

/* The key figures of an entry for people: "RTT 20.1 ms  jitter 1.0 ms  ...". */
static void figures_text(const struct pc_history_entry *e, char *buf, size_t cap)
{
    size_t n = 0;

    buf[0] = '\0';
    for (int f = 0; f < PC_HFIG__COUNT && n < cap; f++) {
        const struct pc_history_figure_def *d = pc_history_figure_def(f);
        const struct pc_metric_def *m = pc_metric_def(d->metric);
        char v[48];

        if (f == PC_HFIG_DNS)
            continue;
        if (isnan(e->fig[f]))
            pc_strfmt(v, sizeof(v), "-");
        else
            pc_metric_format(m, e->fig[f], v, sizeof(v));
        n += (size_t)snprintf(buf + n, cap - n, "%s%s %s", n ? "  " : "", d->short_label, v);
    }
}

static int tier_of(const struct pc_history_entry *e)
{
    return pc_tier_parse(e->tier);
}

/* Worse: a lower tier; at the same tier, a higher exit status. */
static int worse_than(const struct pc_history_entry *a, const struct pc_history_entry *b)
{
    if (tier_of(a) != tier_of(b))
        return tier_of(a) < tier_of(b);
    return a->exit_code > b->exit_code;
}

/* The typical check: the median tier (the lower middle: a tier some check reached) and the
 * median of each figure over the checks that measured it. */
static void typical(const struct pc_history_entry *e, size_t n, struct pc_history_entry *t)
{
    double *all = malloc(n * sizeof(double));

    memset(t, 0, sizeof(*t));
    for (int f = 0; f < PC_HFIG__COUNT; f++)
        t->fig[f] = NAN;
    pc_strfmt(t->tier, sizeof(t->tier), "%s", pc_tier_name(PC_TIER_NONE));
    if (all == NULL)
        return;
    for (int f = -1; f < PC_HFIG__COUNT; f++) {
        size_t m = 0;
        double *s;

        for (size_t k = 0; k < n; k++)
            if (f < 0 || !isnan(e[k].fig[f]))
                all[m++] = f < 0 ? tier_of(&e[k]) : e[k].fig[f];
        s = pc_stats_sorted_copy(all, m);
        if (s != NULL && f < 0)
            pc_strfmt(t->tier, sizeof(t->tier), "%s", pc_tier_name((int)s[(m - 1) / 2]));
        else if (s != NULL)
            t->fig[f] = pc_stats_percentile(s, m, 50.0);
        free(s);
    }
    free(all);
}

static void summary(const struct pc_history_entry *e, size_t n, size_t n_full, size_t stopped)
{
    char fig[256];
    size_t worst = 0;
    struct pc_history_entry t;

    if (n == 0) {
        fprintf(stderr, "precall watch: no check ran to its end%s\n",
                stopped ? " (the last was stopped)" : "");
        return;
    }
    for (size_t i = 1; i < n; i++)
        if (worse_than(&e[i], &e[worst]))
            worst = i;
    fprintf(stderr, "precall watch: %zu check%s (%zu full, %zu light)%s, %.19s to %.19s\n", n,
            n == 1 ? "" : "s", n_full, n - n_full, stopped ? ", the last one stopped" : "",
            e[0].started_at, e[n - 1].started_at);
    figures_text(&e[worst], fig, sizeof(fig));
    fprintf(stderr, "  worst:   %-5s %.19s  %s\n", e[worst].tier, e[worst].started_at, fig);
    typical(e, n, &t);
    figures_text(&t, fig, sizeof(fig));
    fprintf(stderr, "  typical: %-5s (median)  %s\n", t.tier, fig);
}

/* Sleep until the monotonic time until_ns, waking for a stop signal. 0: slept, 1: stopped. */
static int sleep_until(int64_t until_ns, atomic_int *cancel)
{
    for (;;) {
        int64_t left = until_ns - pc_clock_now_ns();
        struct timespec ts;

        if (atomic_load(cancel))
            return 1;
        if (left <= 0)
            return 0;
        if (left > 100 * 1000000LL)
            left = 100 * 1000000LL;
        ts.tv_sec = 0;
        ts.tv_nsec = (long)left;
        nanosleep(&ts, NULL);
    }
}

/*
 * When the check due at next_ns (monotonic) will start, on the wall clock in
 * ns: then, or now when the last check ran past it. Whole nanoseconds: a
 * check that ends a fraction of a second before --until must not round its
 * way into starting after it.
 */
static int64_t starts_by(int64_t next_ns)
{
    struct timespec rt;
    int64_t wait = next_ns - pc_clock_now_ns();

    clock_gettime(CLOCK_REALTIME, &rt);
    return (int64_t)rt.tv_sec * PC_NS_PER_S + rt.tv_nsec + (wait > 0 ? wait : 0);
}

/* One check with the probes of mask; the scored report (NULL after an error, see *status). */
static struct pc_report *one_check(struct pc_cli *cli, struct pc_run *run, unsigned mask,
                                   int *status, int *stuck)
{
    struct pc_config cfg = cli->cfg;
    struct pc_profile profile;
    struct pc_report *report;
    int64_t t0 = pc_clock_now_ns();

    report = pc_cli_report_new(cli, "check", t0 + cfg.timeout_ns, &profile, status);
    if (report == NULL)
        return NULL;
    cfg.timeout_ns -= pc_clock_now_ns() - t0;
    run->cfg = &cfg;
    run->mask = mask;
    run->events = NULL;
    *stuck = pc_runner_run(run, report);
    run->cfg = NULL;
    pc_score_report(report, &profile);
    return report;
}

int pc_cmd_watch(struct pc_cli *cli)
{
    struct pc_run run = {0};
    struct pc_err err = {0};
    struct pc_history_entry *seen = NULL;
    size_t n_seen = 0, cap_seen = 0, n_full = 0, stopped = 0;
    int64_t start_ns, next_ns, last_full_ns = -1;
    int tty = isatty(STDERR_FILENO), status = PC_EXIT_READY, gone = 0;
    unsigned mask, light;
    atomic_int *cancel;
    struct pc_redact *redact =
        NULL; /* --redact: one map, so a pseudonym means one address all along */

    run.probes = pc_probe_registry(&run.n_probes);
    if (pc_runner_select(run.probes, run.n_probes, cli->only, cli->skip, &mask, &err) < 0) {
        pc_cli_error("%s (try 'precall --help' for the probes)", err.msg);
        return PC_EXIT_USAGE;
    }
    if (pc_cli_check_servers(&cli->cfg) < 0)
        return PC_EXIT_USAGE;
    light = light_mask(&run, mask);
    if (light == 0)
        light = mask; /* --only bandwidth: nothing lighter to run */
    if (cli->redact && (redact = pc_redact_new()) == NULL) {
        pc_cli_error("out of memory");
        return PC_EXIT_INTERNAL;
    }
    cancel = pc_signals_catch();
    run.cancel = cancel;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        pc_cli_error("libcurl could not be initialised");
        pc_redact_free(redact);
        return PC_EXIT_INTERNAL;
    }
    start_ns = pc_clock_now_ns();
    for (long i = 0; cli->watch_count == 0 || i < cli->watch_count; i++) {
        int64_t t_ns = pc_clock_now_ns();
        int full = pc_watch_is_full(t_ns, last_full_ns), rc, stuck = 0;
        struct pc_render_opts ro = {0, 0, 0, PRECALL_VERSION};
        struct pc_report *report;
        struct pc_buf line = {0};
        struct pc_history_entry e;

        if (full)
            last_full_ns = t_ns;
        report = one_check(cli, &run, full ? mask : light, &rc, &stuck);
        if (report == NULL) {
            status = rc;
            break;
        }
        pc_cli_history_record(cli, report);
        if (redact != NULL && pc_redact_report(redact, report) < 0)
            line.failed = 1;
        else
            pc_render_ndjson(report, &ro, &line);
        if (!line.failed && pc_output_write(NULL, &line, &err) == 0)
            pc_output_flush();
        pc_buf_free(&line);
        gone = ferror(stdout) != 0; /* the reader left ('| head -1'): exit 74 at the end */
        pc_history_entry_of(report, &e);
        if (tty && !cli->quiet) {
            char fig[256];

            figures_text(&e, fig, sizeof(fig));
            fprintf(stderr, "%.19s  %-5s  %-5s  %s%s\n", e.started_at, full ? "full" : "light",
                    e.tier, fig, report->interrupted ? "  (stopped)" : "");
        }
        if (report->interrupted) {
            stopped++;
        } else if (pc_grow((void **)&seen, &cap_seen, n_seen + 1, sizeof(*seen)) == 0) {
            seen[n_seen++] = e;
            n_full += full != 0;
        }
        if (stuck == 0)
            pc_report_free(report);
        if (atomic_load(cancel) || gone)
            break;
        if (cli->watch_count != 0 && i + 1 >= cli->watch_count)
            break;
        next_ns = start_ns + (i + 1) * cli->watch_every_ns;
        /* --until: no check starts at or after it. */
        if (cli->watch_until != 0 && starts_by(next_ns) >= (int64_t)cli->watch_until * PC_NS_PER_S)
            break;
        if (sleep_until(next_ns, cancel))
            break;
    }
    summary(seen, n_seen, n_full, stopped);
    pc_redact_free(redact);
    if (atomic_load(cancel))
        status = 128 + atomic_load(cancel);
    else if (status == PC_EXIT_READY)
        for (size_t i = 0; i < n_seen; i++)
            if (seen[i].exit_code > status)
                status = seen[i].exit_code;
    free(seen);
    return status;
}
