/*
 * cmd_analyze.c - 'precall analyze FILE...': read the capture files as one
 * session, score the streams found, render, exit with the worst stream's
 * tier (or 65 when a file was damaged, after reporting what came before).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "precall/analyze.h"
#include "precall/clock.h"
#include "precall/profile.h"
#include "precall/render.h"
#include "precall/score.h"

#define PROFILE_LOAD_NS (10 * PC_NS_PER_S)

int pc_cli_analysis_report(struct pc_cli *cli, struct pc_analyzer *a, const char *command,
                           int fail_status)
{
    struct pc_profile profile;
    struct pc_report *report;
    struct pc_buf out = {0};
    int status;

    report =
        pc_cli_report_new(cli, command, pc_clock_now_ns() + PROFILE_LOAD_NS, &profile, &status);
    if (report == NULL)
        return status;
    pc_analyzer_report(a, report);
    pc_score_report(report, &profile);
    status = pc_cli_write_report(cli, report, &out,
                                 fail_status ? fail_status : pc_report_exit_code(report));
    pc_report_free(report);
    return status;
}

int pc_cmd_analyze(struct pc_cli *cli)
{
    struct pc_analyze_opts opts;
    struct pc_analyzer *a;
    struct pc_err err = {0};
    int status = 0;

    memcpy(opts.clock_hz, cli->clock_hz, sizeof(opts.clock_hz));
    a = pc_analyzer_new(&opts);
    if (a == NULL) {
        pc_cli_error("out of memory");
        return PC_EXIT_INTERNAL;
    }
    for (int i = 0; i < cli->n_files; i++) {
        int rc = pc_analyzer_read_file(a, cli->files[i], &err);

        if (rc < 0) {
            pc_cli_error("%s", err.msg);
            if (status == 0)
                status = pc_cli_exit_for(rc);
        }
    }
    /* Nothing read at all: the error said everything. */
    if (status != 0 && pc_analyzer_frames(a) == 0) {
        pc_analyzer_free(a);
        return status;
    }
    status = pc_cli_analysis_report(cli, a, "analyze", status);
    pc_analyzer_free(a);
    return status;
}
