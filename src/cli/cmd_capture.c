/*
 * cmd_capture.c - 'precall capture -i IF': capture during a call (UDP and
 * TCP port 443) for --duration seconds or until Ctrl-C, optionally into a
 * pcap file, then report as 'precall analyze' does. Opening the device is
 * the only privileged step (src/analyze/capdev.c drops privileges after).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "precall/analyze.h"
#include "precall/capdev.h"
#include "precall/clock.h"

int pc_cmd_capture(struct pc_cli *cli)
{
    struct pc_analyze_opts opts;
    struct pc_analyzer *a;
    struct pc_err err = {0};
    void *pcap, *dumper;
    atomic_int *stop;
    char name[300];
    int rc, status;

    if (cli->interface == NULL) {
        pc_cli_error("capture: name the interface with -i (try 'precall capture --help')");
        return PC_EXIT_USAGE;
    }
    rc = pc_capdev_open(cli->interface, cli->write, &pcap, &dumper, &err);
    if (rc < 0) {
        pc_cli_error("%s", err.msg);
        return pc_cli_exit_for(rc);
    }
    memcpy(opts.clock_hz, cli->clock_hz, sizeof(opts.clock_hz));
    a = pc_analyzer_new(&opts);
    if (a == NULL) {
        pc_capdev_close(pcap, dumper);
        pc_cli_error("out of memory");
        return PC_EXIT_INTERNAL;
    }
    stop = pc_signals_catch(); /* Ctrl-C ends the capture; the report still comes out */
    snprintf(name, sizeof(name), "interface %s", cli->interface);
    if (!cli->quiet)
        fprintf(stderr, "precall: capturing on %s for %.0f s (Ctrl-C to stop sooner)\n",
                cli->interface, (double)cli->cfg.budget_ns / 1e9);
    rc = pc_analyzer_read_live(a, pcap, dumper, name, stop, pc_clock_now_ns() + cli->cfg.budget_ns,
                               &err);
    pc_capdev_close(pcap, dumper);
    if (rc < 0)
        pc_cli_error("%s", err.msg);
    status = pc_cli_analysis_report(cli, a, "capture", rc < 0 ? PC_EXIT_IOERR : 0);
    pc_analyzer_free(a);
    return status;
}
