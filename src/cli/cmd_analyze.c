/*
 * cmd_analyze.c - 'precall analyze FILE...': read the captures (files,
 * FIFOs, pipes, '-' for standard input) as one session, score the streams
 * found, render, exit with the worst stream's tier, 3 when the capture
 * holds no RTP media (nothing to judge). A file that is damaged or cut
 * short is reported up to the damage, and the process exits with the
 * report's own verdict.exit_code (the report names the damage: no verdict,
 * 3), so that the JSON and the exit status agree; 65 only when nothing at
 * all could be read, and no report was written.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "analyze/tcpframe.h" /* TURNS: what the capture could not show */
#include "cli/capture_out.h"
#include "cli/cli.h"
#include "cli/push.h"
#include "precall/cause.h"
#include "precall/advice.h"
#include "precall/analyze.h"
#include "precall/clock.h"
#include "precall/derive.h"
#include "precall/headline.h"
#include "precall/profile.h"
#include "precall/render.h"
#include "precall/risk.h"
#include "precall/score.h"

#ifndef PRECALL_VERSION
#define PRECALL_VERSION "0"
#endif

#define PROFILE_LOAD_NS (10 * PC_NS_PER_S)

/* Leave metric m out of the verdict (partial), as --skip would, when the profile judges it. */
static void leave_out(struct pc_report *r, const struct pc_profile *p, enum pc_metric m)
{
    enum pc_metric k = pc_metric_limit_key(m);

    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
        if (!p->has[k][t])
            continue;
        r->left_out[m] = 1;
        r->partial = 1;
        if (r->tier > t - 1) /* the checks not made can only lower it */
            r->tier = t - 1;
        return;
    }
}

/*
 * What the capture holds but could not be measured, which the scoring step
 * does not know of: a stream judged whose clock rate is not known (no
 * --clock-rate, SDP, static payload type, sound RTCP pair or fit) has no
 * jitter and no dropout figure: they are not checked, and the "rtp" result
 * says why (the "not checked" line gives its reason). Media relayed over
 * TURNS (the "relay-tls" result, its advice media-in-tls) has no figure at
 * all: the verdict from the rest is partial.
 */
static void not_seen(struct pc_report *r, const struct pc_profile *p)
{
    const struct pc_probe_result *tls = pc_report_probe_find(r, "relay-tls");
    struct pc_probe_result *pr;
    size_t n = 0, judged = 0;

    for (size_t i = 0; i < r->n_scopes; i++) {
        judged += r->scopes[i]->kind == PC_SCOPE_STREAM && r->scopes[i]->gates;
        n += r->scopes[i]->kind == PC_SCOPE_STREAM && r->scopes[i]->gates &&
             !r->scopes[i]->values[PC_M_STREAM_JITTER_MS].set;
    }
    /* what the rest of the capture shows stands; only the media inside TLS is missing */
    if (tls != NULL && judged > 0)
        r->partial = 1;
    if (n == 0)
        return;
    leave_out(r, p, PC_M_STREAM_JITTER_MS);
    leave_out(r, p, PC_M_STREAM_GAP_EXCESS_MS);
    if ((pr = pc_report_probe(r, pc_producer_name(PC_PRODUCER_RTP))) == NULL)
        return;
    pc_strfmt(pr->method, sizeof(pr->method), "%zu RTP stream%s judged without a clock rate", n,
              n == 1 ? "" : "s");
    pc_report_finish(r, pr, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NO_CLOCK_RATE),
                     "no clock rate known for %zu stream%s", n, n == 1 ? "" : "s");
}

/* The scoring pipeline of pc_score_report(), with what the capture could not show. */
static void score(struct pc_report *r, const struct pc_profile *p)
{
    int gated;

    pc_derive_report(r, p);
    gated = pc_score_checks(r, p);
    not_seen(r, p);
    pc_risks_build(r, p);
    pc_advice_build(r, p);
    pc_headline_write(r, gated);
}

/* The report as -o FILE wants it, through the helper that may write there; the screen copy here. */
static int write_via(struct pc_cli *cli, struct pc_report *report, struct pc_buf *out, int status,
                     struct pc_outhelper *h)
{
    struct pc_cli c = *cli;
    int saved, rc, helper;

    c.output = NULL; /* to "stdout": the helper's pipe */
    c.push = NULL;   /* pushed below, once the file is committed */
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    if (saved < 0 || dup2(h->data_fd, STDOUT_FILENO) < 0) {
        if (saved >= 0)
            close(saved);
        pc_outhelper_finish(h, 0);
        return pc_cli_write_report(cli, report, out, status);
    }
    rc = pc_cli_write_report(&c, report, out, status);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    helper = pc_outhelper_finish(h, rc == status); /* not after running out of memory */
    if (helper != 0)
        return helper;
    if (isatty(STDOUT_FILENO)) { /* with -o, a person at a terminal still sees the text */
        struct pc_render_opts so = {cli->verbose, pc_cli_use_color(cli->color, stdout), cli->quiet,
                                    PRECALL_VERSION};
        struct pc_buf screen = {0};
        struct pc_err err = {0};

        pc_render_text(report, &so, &screen);
        if (!screen.failed && pc_output_write(NULL, &screen, &err) < 0)
            rc = PC_EXIT_IOERR;
        pc_buf_free(&screen);
    }
    return rc == status ? pc_cli_push(cli, report, rc) : rc;
}

int pc_cli_analysis_report_via(struct pc_cli *cli, struct pc_analyzer *a, const char *command,
                               int fail_status, struct pc_outhelper *h)
{
    struct pc_profile profile;
    struct pc_report *report;
    struct pc_buf out = {0};
    int status;

    report =
        pc_cli_report_new(cli, command, pc_clock_now_ns() + PROFILE_LOAD_NS, &profile, &status);
    if (report == NULL) {
        if (h != NULL)
            pc_outhelper_finish(h, 0);
        return status;
    }
    pc_analyzer_report(a, report);
    pc_tcpframe_report(a, report);
    score(report, &profile);
    status = fail_status ? fail_status : pc_report_exit_code(report);
    if (h != NULL && h->pid != 0)
        status = write_via(cli, report, &out, status, h);
    else
        status = pc_cli_write_report(cli, report, &out, status);
    pc_report_free(report);
    return status;
}

int pc_cli_analysis_report(struct pc_cli *cli, struct pc_analyzer *a, const char *command,
                           int fail_status)
{
    return pc_cli_analysis_report_via(cli, a, command, fail_status, NULL);
}

int pc_cmd_analyze(struct pc_cli *cli)
{
    struct pc_analyze_opts opts;
    struct pc_analyzer *a;
    struct pc_err err = {0};
    int status = 0, damaged = 0;

    memcpy(opts.clock_hz, cli->clock_hz, sizeof(opts.clock_hz));
    a = pc_analyzer_new(&opts);
    if (a == NULL) {
        pc_cli_error("out of memory");
        return PC_EXIT_INTERNAL;
    }
    for (int i = 0; i < cli->n_files; i++) {
        /* a stream (pipe, FIFO) that stays silent for --timeout ends its read */
        int rc = pc_analyzer_read_input(a, cli->files[i], cli->cfg.timeout_ns, &err);

        if (rc == PC_ANALYZE_SAME) {
            pc_cli_error("%s", err.msg); /* a note: the report says it too */
        } else if (rc == PC_EDATA) {
            pc_cli_error("%s", err.msg);
            damaged = 1;
        } else if (rc < 0) {
            pc_cli_error("%s", err.msg);
            if (status == 0)
                status = pc_cli_exit_for(rc);
        }
    }
    /* Nothing read at all: the error said everything. */
    if ((status != 0 || damaged) && pc_analyzer_frames(a) == 0) {
        pc_analyzer_free(a);
        return status != 0 ? status : pc_cli_exit_for(PC_EDATA);
    }
    status = pc_cli_analysis_report(cli, a, "analyze", status);
    pc_analyzer_free(a);
    return status;
}
