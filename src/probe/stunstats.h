/*
 * stunstats.h - RTT, jitter and loss figures from a STUN session's records.
 *
 * Pure computation over the requests of one server and kind: RTT median,
 * min, p90, p99, max; jitter as mean |RTT(i) - RTT(i-1)| over consecutive
 * answered requests, the RFC 3550 smoothed estimator over the same
 * differences, and PDV p95 (p95 - min); loss with its 95 % Wilson interval
 * and the worst loss within any burst window. Requests still waiting for
 * their answer at `now` are left out. A request sendto() refused counts as
 * sent and lost, and in send_failed. rtt_ms is owned by the stats.
 */
#ifndef PRECALL_PROBE_STUNSTATS_H
#define PRECALL_PROBE_STUNSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "precall/report.h"
#include "probe/stunsession.h"

#define PC_BURST_WINDOW_NS  (200 * 1000000LL)
#define PC_BURST_MIN_PROBES 5

struct pc_stun_stats {
    unsigned long sent, answered, lost, late, duplicates, reordered;
    unsigned long send_failed; /* of sent (and of lost): refused by sendto() */
    double rtt_median_ms, rtt_min_ms, rtt_p90_ms, rtt_p99_ms, rtt_max_ms;
    double jitter_ms, jitter_rfc3550_ms, pdv_p95_ms;
    double loss_pct, loss_low_pct, loss_high_pct, burst_loss_pct;
    double *rtt_ms;    /* answered RTTs in send order */
    int64_t *rtt_t_ns; /* when each of them was sent */
    size_t n_rtt;
};

/* 0, or PC_ENOMEM. Figures that need answers are NAN when there were none. */
int pc_stun_stats_compute(const struct pc_stun_session *s, size_t server, enum pc_req_kind kind,
                          int64_t now_ns, struct pc_stun_stats *out);
void pc_stun_stats_free(struct pc_stun_stats *st);

/*
 * Is the loss against server a the server's own? 1 when, over the same
 * seconds, a comparison server b lost clearly fewer answers: b's 95 % interval
 * of loss lies wholly below a's, and each had at least PC_SERVER_LOSS_MIN_SENT
 * requests decided. A server that throttles (drops requests above a rate) then
 * does not read as loss on the user's network.
 */
#define PC_SERVER_LOSS_MIN_SENT 20
int pc_stun_stats_server_loss(const struct pc_stun_stats *a, const struct pc_stun_stats *b);

/* Set the figures into a scope of the report, and the RTTs as its rtt_ms series. */
void pc_stun_stats_report(struct pc_report *r, size_t scope, const struct pc_stun_stats *st);

/*
 * The key under which the udp probe shares the address (struct
 * sockaddr_storage) of the STUN server that answered first, for the
 * loaded-latency probing during the bandwidth phases.
 */
#define PC_SHARE_STUN_SERVER "stun-primary"

#endif
