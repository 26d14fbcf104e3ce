/*
 * loaded.h - latency while the link is busy: for each phase of the
 * bandwidth probe (download, upload), a STUN session that probes the STUN
 * server the udp probe found (PC_SHARE_STUN_SERVER) at 50 requests a second
 * from inside the phase's event loop, its sockets polled beside curl's. A
 * request the kernel refuses to send under load is a lost probe.
 *
 * Into the phase's scope go udp_reachable (1 when any request was
 * answered, else 0) and the figures of pc_stun_stats_report(): probes sent,
 * answered, lost, late, duplicates, reordered, send failures, loss with its
 * interval and the worst burst, RTT median, min, p90, p99, max, jitter (both
 * estimators), PDV p95 and the rtt_ms series. Nothing else: what these
 * figures mean against the idle ones is derived after the run.
 *
 * The caller owns the struct; pc_loaded_free() closes what it opened.
 */
#ifndef PRECALL_PROBE_LOADED_H
#define PRECALL_PROBE_LOADED_H

#include <stddef.h>
#include <stdint.h>

#include "precall/probe.h"
#include "probe/stunsession.h"

#define PC_LOADED_PHASES   2
#define PC_LOADED_EVERY_NS (20 * 1000000LL) /* 50 STUN requests a second under load */

struct pc_loaded {
    struct pc_stun_session s[PC_LOADED_PHASES];
    int on[PC_LOADED_PHASES];
};

/* Start probing for phase p; does nothing when no STUN server was shared or on failure. */
void pc_loaded_start(struct pc_loaded *ld, struct pc_probe_ctx *ctx, int p);

/* Stop sending for phase p; its answers are still taken. */
void pc_loaded_stop(struct pc_loaded *ld, int p);

/* Send what is due and take what arrived, at now_ns. */
void pc_loaded_service(struct pc_loaded *ld, int64_t now_ns);

/* When the next request is due (INT64_MAX: none). */
int64_t pc_loaded_next_due(const struct pc_loaded *ld);

/* The sockets to poll for answers, at most cap; returns how many. */
size_t pc_loaded_fds(const struct pc_loaded *ld, int *fds, size_t cap);

/* Stop sending, and wait for the last answers until every one came or end_ns. */
void pc_loaded_drain(struct pc_loaded *ld, struct pc_probe_ctx *ctx, int64_t end_ns);

/* Phase p's figures into the report's scope (nothing when p never probed). */
void pc_loaded_report(const struct pc_loaded *ld, struct pc_report *r, int p, size_t scope,
                      int64_t now_ns);

void pc_loaded_free(struct pc_loaded *ld);

#endif
