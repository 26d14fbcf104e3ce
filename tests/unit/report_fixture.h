/*
 * report_fixture.h - reports the unit tests start from, built once here.
 *
 * pc_fixture_path(): a report of a check whose udp probe (and the named
 * other probes) ran and measured a path with these figures: online, UDP
 * reachable, no burst loss. A NAN leaves its figure unmeasured (the setters
 * ignore it). The caller frees the report.
 */
#ifndef PRECALL_TEST_REPORT_FIXTURE_H
#define PRECALL_TEST_REPORT_FIXTURE_H

#include <math.h>
#include <stdarg.h>

#include "precall/report.h"

/* Probes that ran as well, as a NULL-terminated list of names. */
static inline struct pc_report *pc_fixture_path(double rtt_ms, double jitter_ms, double loss_pct,
                                                ...)
{
    struct pc_report *r = pc_report_new();
    const char *name;
    va_list ap;

    r->command = "check";
    pc_report_probe(r, "udp")->status = PC_STATUS_OK;
    va_start(ap, loss_pct);
    while ((name = va_arg(ap, const char *)) != NULL)
        pc_report_probe(r, name)->status = PC_STATUS_OK;
    va_end(ap);
    pc_report_mark_online(r, 1);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_UDP_REACHABLE, 1);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS, rtt_ms);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_JITTER_MS, jitter_ms);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_LOSS_PCT, loss_pct);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_BURST_LOSS_PCT, 0);
    return r;
}

#endif
