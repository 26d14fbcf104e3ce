/* metrics.c - the metric table (see precall/metrics.h). */
#include <string.h>

#include "precall/metrics.h"

#define ROW(id, key, label, unit, kind, better, level, dec, probe, lo, hi, req)                    \
    [id] = {id, key, label, unit, kind, better, level, dec, probe, lo, hi, req}

#define MS_MAX  600000.0 /* ten minutes: no round trip or lookup is longer */
#define CNT_MAX 1e15

static const struct pc_metric_def table[PC_M__COUNT] = {
    ROW(PC_M_ONLINE, "online", "Internet connection", "", PC_KIND_BOOL, PC_BETTER_HIGHER,
        PC_LEVEL_CHECK, 0, "dns", 0, 1, 1),
    ROW(PC_M_DNS_MS, "dns_ms", "Name lookup", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 1, "dns", 0, MS_MAX, 0),
    ROW(PC_M_UDP_REACHABLE, "udp_reachable", "UDP to media servers", "", PC_KIND_BOOL,
        PC_BETTER_HIGHER, PC_LEVEL_CHECK, 0, "udp", 0, 1, 1),
    ROW(PC_M_PUBLIC_ADDRESS, "public_address", "Public address", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "udp", 0, 0, 0),
    ROW(PC_M_PUBLIC_PORT, "public_port", "Public port", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "udp", 0, 65535, 0),
    ROW(PC_M_NAT_MAPPING, "nat_mapping", "NAT mapping", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "udp", 0, 0, 0),
    ROW(PC_M_RTT_MEDIAN_MS, "rtt_median_ms", "Latency (round trip)", "ms", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_CHECK, 1, "udp", 0, MS_MAX, 1),
    ROW(PC_M_RTT_MIN_MS, "rtt_min_ms", "Latency minimum", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0),
    ROW(PC_M_RTT_P90_MS, "rtt_p90_ms", "Latency 90th percentile", "ms", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0),
    ROW(PC_M_RTT_P99_MS, "rtt_p99_ms", "Latency 99th percentile", "ms", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0),
    ROW(PC_M_RTT_MAX_MS, "rtt_max_ms", "Latency maximum", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0),
    ROW(PC_M_JITTER_MS, "jitter_ms", "Jitter (round trip)", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_CHECK, 1, "udp", 0, MS_MAX, 1),
    ROW(PC_M_JITTER_RFC3550_MS, "jitter_rfc3550_ms", "Jitter, RFC 3550 smoothed", "ms",
        PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0),
    ROW(PC_M_PDV_P95_MS, "pdv_p95_ms", "Delay variation (p95 - min)", "ms", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0),
    ROW(PC_M_LOSS_PCT, "loss_pct", "Packet loss", "%", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_CHECK, 1, "udp", 0, 100, 1),
    ROW(PC_M_LOSS_LOW_PCT, "loss_low_pct", "Loss, 95% interval low", "%", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 2, "udp", 0, 100, 0),
    ROW(PC_M_LOSS_HIGH_PCT, "loss_high_pct", "Loss, 95% interval high", "%", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 2, "udp", 0, 100, 0),
    ROW(PC_M_BURST_LOSS_PCT, "burst_loss_pct", "Burst loss (worst 200 ms)", "%", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_CHECK, 0, "udp", 0, 100, 0),
    ROW(PC_M_PROBES_SENT, "probes_sent", "Probes sent", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0),
    ROW(PC_M_PROBES_ANSWERED, "probes_answered", "Probes answered", "", PC_KIND_COUNT,
        PC_BETTER_NONE, PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0),
    ROW(PC_M_PROBES_LOST, "probes_lost", "Probes lost", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0),
    ROW(PC_M_LATE, "late", "Late answers", "", PC_KIND_COUNT, PC_BETTER_LOWER, PC_LEVEL_DETAIL, 0,
        "udp", 0, CNT_MAX, 0),
    ROW(PC_M_DUPLICATES, "duplicates", "Duplicate answers", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0),
    ROW(PC_M_REORDERED, "reordered", "Reordered answers", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0),
    ROW(PC_M_IGNORED, "ignored", "Ignored datagrams", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0),
    ROW(PC_M_R_FACTOR, "r_factor", "Call quality (E-model R)", "", PC_KIND_NUMBER, PC_BETTER_HIGHER,
        PC_LEVEL_CHECK, 1, "udp", 0, 100, 0),
    ROW(PC_M_MOS, "mos", "Predicted voice quality (MOS)", "", PC_KIND_NUMBER, PC_BETTER_HIGHER,
        PC_LEVEL_INFO, 2, "udp", 1, 5, 0),
};

const struct pc_metric_def *pc_metric_def(enum pc_metric id)
{
    if ((int)id < 0 || id >= PC_M__COUNT)
        return NULL;
    return &table[id];
}

const struct pc_metric_def *pc_metric_find(const char *key)
{
    for (int i = 0; i < PC_M__COUNT; i++)
        if (strcmp(table[i].key, key) == 0)
            return &table[i];
    return NULL;
}
