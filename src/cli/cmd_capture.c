/*
 * cmd_capture.c - 'precall capture -i IF': capture during a call (UDP and
 * TCP port 443) for --duration seconds or until a stop signal (Ctrl-C,
 * SIGTERM, SIGHUP), optionally into a pcap file, then report as 'precall
 * analyze' does. Opening the device is the only privileged step
 * (src/analyze/capdev.c drops privileges after). Every way out of the
 * capture writes the report: the deadline, a signal, a failed read or a
 * failed write of the -w file (exit 74, the analysis still reported).
 */
#include <stdio.h>
#include <string.h>

#include "cli/capture_out.h"
#include "cli/cli.h"
#include "precall/analyze.h"
#include "precall/capdev.h"
#include "precall/clock.h"

static void tap(void *user, const void *pkthdr, const uint8_t *data)
{
    pc_capdev_dump(user, pkthdr, data);
}

int pc_cmd_capture(struct pc_cli *cli)
{
    struct pc_analyze_opts opts;
    struct pc_analyzer *a;
    struct pc_capdev dev;
    struct pc_outhelper helper = {0};
    struct pc_err err = {0}, werr = {0};
    atomic_int *stop;
    char name[300];
    int rc, wrc, status;

    if (cli->interface == NULL) {
        pc_cli_error("capture: name the interface with -i (try 'precall capture --help')");
        return PC_EXIT_USAGE;
    }
    rc = pc_capdev_open(cli->interface, &dev, &err);
    if (rc < 0) {
        pc_cli_error("%s", err.msg);
        return pc_cli_exit_for(rc);
    }
    /* root itself becomes nobody: the -o report is written by a helper kept as root */
    if (cli->output != NULL && strcmp(cli->output, "-") != 0 && pc_capdev_drop_changes_user() &&
        pc_outhelper_start(cli->output, &dev, &helper) < 0) {
        pc_capdev_close(&dev, NULL);
        pc_cli_error("cannot start the writer of %s", cli->output);
        return PC_EXIT_IOERR;
    }
    rc = pc_capdev_drop(&dev, cli->write, &err);
    if (rc < 0) {
        pc_outhelper_finish(&helper, 0);
        pc_capdev_close(&dev, NULL);
        pc_cli_error("%s", err.msg);
        return dev.write_errno != 0 ? PC_EXIT_IOERR : PC_EXIT_INTERNAL;
    }
    memcpy(opts.clock_hz, cli->clock_hz, sizeof(opts.clock_hz));
    a = pc_analyzer_new(&opts);
    if (a == NULL) {
        pc_outhelper_finish(&helper, 0);
        pc_capdev_close(&dev, NULL);
        pc_cli_error("out of memory");
        return PC_EXIT_INTERNAL;
    }
    stop = pc_signals_catch(); /* a stop signal ends the capture; the report still comes out */
    snprintf(name, sizeof(name), "interface %s", cli->interface);
    if (!cli->quiet)
        fprintf(stderr, "precall: capturing on %s for %.0f s (Ctrl-C to stop sooner)\n",
                cli->interface, (double)cli->cfg.budget_ns / 1e9);
    rc = pc_analyzer_read_live(a, dev.pcap, name, stop, pc_clock_now_ns() + cli->cfg.budget_ns,
                               cli->write != NULL ? tap : NULL, &dev, &err);
    wrc = pc_capdev_close(&dev, &werr);
    if (rc < 0)
        pc_cli_error("%s", err.msg);
    if (wrc < 0)
        pc_cli_error("%s (the analysis is reported all the same)", werr.msg);
    status = pc_cli_analysis_report_via(cli, a, "capture", rc < 0 || wrc < 0 ? PC_EXIT_IOERR : 0,
                                        &helper);
    pc_analyzer_free(a);
    return status;
}
