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
#include "precall/analyze.h"
#include "precall/clock.h"
#include "precall/profile.h"
#include "precall/render.h"
#include "precall/score.h"

#ifndef PRECALL_VERSION
#define PRECALL_VERSION "0"
#endif

#define PROFILE_LOAD_NS (10 * PC_NS_PER_S)

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
    pc_score_capture(report, &profile); /* with what the capture could not show */
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
