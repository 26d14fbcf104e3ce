/* metrics.c - the metric table (see precall/metrics.h). */
#include <stdio.h>
#include <string.h>

#include "precall/metrics.h"

#define ROW(id, key, label, unit, kind, better, level, dec, probe, lo, hi, req, scopes)            \
    [id] = {id, key, label, unit, kind, better, level, dec, probe, lo, hi, req, scopes}

#define RUN  PC_SCOPE_BIT(PC_SCOPE_RUN)
#define PATH (RUN | PC_SCOPE_BIT(PC_SCOPE_PHASE) | PC_SCOPE_BIT(PC_SCOPE_SERVER))

#define STREAM PC_SCOPE_BIT(PC_SCOPE_STREAM)
#define FLOW   PC_SCOPE_BIT(PC_SCOPE_FLOW)
#define FILE_  PC_SCOPE_BIT(PC_SCOPE_FILE)

#define MS_MAX  600000.0 /* ten minutes: no round trip or lookup is longer */
#define CNT_MAX 1e15

static const struct pc_metric_def table[PC_M__COUNT] = {
    ROW(PC_M_ONLINE, "online", "Internet connection", "", PC_KIND_BOOL, PC_BETTER_HIGHER,
        PC_LEVEL_CHECK, 0, "udp", 0, 1, 1, RUN),
    ROW(PC_M_DNS_MS, "dns_ms", "Name lookup", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 1, "dns", 0, MS_MAX, 0, RUN),
    ROW(PC_M_UDP_REACHABLE, "udp_reachable", "UDP to media servers", "", PC_KIND_BOOL,
        PC_BETTER_HIGHER, PC_LEVEL_CHECK, 0, "udp", 0, 1, 1, PATH),
    ROW(PC_M_PUBLIC_ADDRESS, "public_address", "Public address", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "udp", 0, 0, 0, RUN),
    ROW(PC_M_PUBLIC_PORT, "public_port", "Public port", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "udp", 0, 65535, 0, RUN),
    ROW(PC_M_NAT_MAPPING, "nat_mapping", "NAT mapping", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "udp", 0, 0, 0, RUN),
    ROW(PC_M_RTT_MEDIAN_MS, "rtt_median_ms", "Latency (round trip)", "ms", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_CHECK, 1, "udp", 0, MS_MAX, 1, PATH),
    ROW(PC_M_RTT_MIN_MS, "rtt_min_ms", "Latency minimum", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    ROW(PC_M_RTT_P90_MS, "rtt_p90_ms", "Latency 90th percentile", "ms", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    ROW(PC_M_RTT_P99_MS, "rtt_p99_ms", "Latency 99th percentile", "ms", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    ROW(PC_M_RTT_MAX_MS, "rtt_max_ms", "Latency maximum", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    ROW(PC_M_JITTER_MS, "jitter_ms", "Jitter (round trip)", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_CHECK, 1, "udp", 0, MS_MAX, 1, PATH),
    ROW(PC_M_JITTER_RFC3550_MS, "jitter_rfc3550_ms", "Jitter, RFC 3550 smoothed", "ms",
        PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    ROW(PC_M_PDV_P95_MS, "pdv_p95_ms", "Delay variation (p95 - min)", "ms", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    ROW(PC_M_LOSS_PCT, "loss_pct", "Packet loss", "%", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_CHECK, 1, "udp", 0, 100, 1, PATH),
    ROW(PC_M_LOSS_LOW_PCT, "loss_low_pct", "Loss, 95% interval low", "%", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 2, "udp", 0, 100, 0, PATH),
    ROW(PC_M_LOSS_HIGH_PCT, "loss_high_pct", "Loss, 95% interval high", "%", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 2, "udp", 0, 100, 0, PATH),
    ROW(PC_M_BURST_LOSS_PCT, "burst_loss_pct", "Burst loss (worst 200 ms)", "%", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_CHECK, 0, "udp", 0, 100, 0, PATH),
    ROW(PC_M_PROBES_SENT, "probes_sent", "Probes sent", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0, PATH),
    ROW(PC_M_PROBES_ANSWERED, "probes_answered", "Probes answered", "", PC_KIND_COUNT,
        PC_BETTER_NONE, PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0, PATH),
    ROW(PC_M_PROBES_LOST, "probes_lost", "Probes lost", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0, PATH),
    ROW(PC_M_LATE, "late", "Late answers", "", PC_KIND_COUNT, PC_BETTER_LOWER, PC_LEVEL_DETAIL, 0,
        "udp", 0, CNT_MAX, 0, PATH),
    ROW(PC_M_DUPLICATES, "duplicates", "Duplicate answers", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0, PATH),
    ROW(PC_M_REORDERED, "reordered", "Reordered answers", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0, PATH),
    ROW(PC_M_IGNORED, "ignored", "Ignored datagrams", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0, PATH),
    ROW(PC_M_SEND_FAILED, "send_failed", "Probes that could not be sent", "", PC_KIND_COUNT,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 0, "udp", 0, CNT_MAX, 0, PATH),
    ROW(PC_M_R_FACTOR, "r_factor", "Call quality (E-model R)", "", PC_KIND_NUMBER, PC_BETTER_HIGHER,
        PC_LEVEL_CHECK, 1, "udp", 0, 100, 0, PATH),
    ROW(PC_M_MOS, "mos", "Predicted voice quality (MOS)", "", PC_KIND_NUMBER, PC_BETTER_HIGHER,
        PC_LEVEL_INFO, 2, "udp", 1, 5, 0, PATH),
    ROW(PC_M_RTT_MS, "rtt_ms", "Round-trip time", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_SERIES, 2, "udp", 0, MS_MAX, 0, PATH),
    ROW(PC_M_STREAM_LOSS_PCT, "stream_loss_pct", "Loss (from sequence numbers)", "%",
        PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_CHECK, 1, "rtp", 0, 100, 0, STREAM),
    ROW(PC_M_STREAM_WORST_SECOND_LOSS_PCT, "stream_worst_second_loss_pct", "Worst second's loss",
        "%", PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_CHECK, 1, "rtp", 0, 100, 0, STREAM),
    ROW(PC_M_STREAM_JITTER_MS, "stream_jitter_ms", "Jitter, RFC 3550 (one way, mean)", "ms",
        PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_CHECK, 1, "rtp", 0, MS_MAX, 0, STREAM),
    ROW(PC_M_STREAM_GAP_MAX_MS, "stream_gap_max_ms", "Largest gap between packets", "ms",
        PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_CHECK, 1, "rtp", 0, MS_MAX, 0, STREAM),
    ROW(PC_M_STREAM_MEDIA, "stream_media", "Media", "", PC_KIND_TEXT, PC_BETTER_NONE, PC_LEVEL_INFO,
        0, "rtp", 0, 0, 0, STREAM),
    ROW(PC_M_STREAM_DIRECTION, "stream_direction", "Direction", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "rtp", 0, 0, 0, STREAM),
    ROW(PC_M_STREAM_BITRATE_KBPS, "stream_bitrate_kbps", "Bitrate", "kbit/s", PC_KIND_NUMBER,
        PC_BETTER_NONE, PC_LEVEL_INFO, 0, "rtp", 0, 1e9, 0, STREAM),
    ROW(PC_M_STREAM_SSRC, "stream_ssrc", "SSRC", "", PC_KIND_TEXT, PC_BETTER_NONE, PC_LEVEL_INFO, 0,
        "rtp", 0, 0, 0, STREAM),
    ROW(PC_M_STREAM_PAYLOAD_TYPE, "stream_payload_type", "Payload type", "", PC_KIND_COUNT,
        PC_BETTER_NONE, PC_LEVEL_INFO, 0, "rtp", 0, 127, 0, STREAM),
    ROW(PC_M_STREAM_CLOCK_HZ, "stream_clock_hz", "Clock rate", "Hz", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "rtp", 0, 1e9, 0, STREAM),
    ROW(PC_M_STREAM_CLOCK_SOURCE, "stream_clock_source", "Clock rate from", "", PC_KIND_TEXT,
        PC_BETTER_NONE, PC_LEVEL_DETAIL, 0, "rtp", 0, 0, 0, STREAM),
    ROW(PC_M_STREAM_SOURCE, "stream_source", "From", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "rtp", 0, 0, 0, STREAM),
    ROW(PC_M_STREAM_DESTINATION, "stream_destination", "To", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "rtp", 0, 0, 0, STREAM),
    ROW(PC_M_STREAM_RELAY, "stream_relay", "Relayed (TURN)", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "rtp", 0, 0, 0, STREAM),
    ROW(PC_M_STREAM_DURATION_S, "stream_duration_s", "Duration", "s", PC_KIND_NUMBER,
        PC_BETTER_NONE, PC_LEVEL_DETAIL, 1, "rtp", 0, 1e9, 0, STREAM),
    ROW(PC_M_STREAM_PACKETS, "stream_packets", "Packets", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "rtp", 0, CNT_MAX, 0, STREAM),
    ROW(PC_M_STREAM_EXPECTED, "stream_expected", "Packets expected", "", PC_KIND_COUNT,
        PC_BETTER_NONE, PC_LEVEL_DETAIL, 0, "rtp", 0, CNT_MAX, 0, STREAM),
    ROW(PC_M_STREAM_LOST, "stream_lost", "Packets lost", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "rtp", 0, CNT_MAX, 0, STREAM),
    ROW(PC_M_STREAM_DUPLICATES, "stream_duplicates", "Duplicate packets", "", PC_KIND_COUNT,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 0, "rtp", 0, CNT_MAX, 0, STREAM),
    ROW(PC_M_STREAM_REORDERED, "stream_reordered", "Reordered packets", "", PC_KIND_COUNT,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 0, "rtp", 0, CNT_MAX, 0, STREAM),
    ROW(PC_M_STREAM_SEQ_ERRORS, "stream_seq_errors", "Sequence errors", "", PC_KIND_COUNT,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 0, "rtp", 0, CNT_MAX, 0, STREAM),
    ROW(PC_M_STREAM_JITTER_MAX_MS, "stream_jitter_max_ms", "Jitter, RFC 3550 maximum", "ms",
        PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_DETAIL, 2, "rtp", 0, MS_MAX, 0, STREAM),
    ROW(PC_M_RTCP_RR_REPORTS, "rtcp_rr_reports", "Receiver reports about it", "", PC_KIND_COUNT,
        PC_BETTER_NONE, PC_LEVEL_DETAIL, 0, "rtp", 0, CNT_MAX, 0, STREAM),
    ROW(PC_M_RTCP_RR_LOSS_PCT, "rtcp_rr_loss_pct", "Far end's worst reported loss", "%",
        PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "rtp", 0, 100, 0, STREAM),
    ROW(PC_M_RTCP_RR_JITTER_MS, "rtcp_rr_jitter_ms", "Far end's worst reported jitter", "ms",
        PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "rtp", 0, MS_MAX, 0, STREAM),
    ROW(PC_M_TCP_RETRANS_PCT, "tcp_retrans_pct", "Retransmitted segments", "%", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_INFO, 1, "tcp", 0, 100, 0, FLOW),
    ROW(PC_M_TCP_SEGMENTS, "tcp_segments", "Data segments", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "tcp", 0, CNT_MAX, 0, FLOW),
    ROW(PC_M_TCP_RETRANS, "tcp_retrans", "Retransmissions", "", PC_KIND_COUNT, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 0, "tcp", 0, CNT_MAX, 0, FLOW),
    ROW(PC_M_TCP_SOURCE, "tcp_source", "From", "", PC_KIND_TEXT, PC_BETTER_NONE, PC_LEVEL_DETAIL, 0,
        "tcp", 0, 0, 0, FLOW),
    ROW(PC_M_TCP_DESTINATION, "tcp_destination", "To", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "tcp", 0, 0, 0, FLOW),
    ROW(PC_M_CAPTURE_PACKETS, "capture_packets", "Packets read", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "capture", 0, CNT_MAX, 0, FILE_),
    ROW(PC_M_CAPTURE_FORMAT, "capture_format", "Format", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "capture", 0, 0, 0, FILE_),
    ROW(PC_M_CAPTURE_LINK, "capture_link", "Link type", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "capture", 0, 0, 0, FILE_),
    ROW(PC_M_CAPTURE_ERROR, "capture_error", "Damage", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "capture", 0, 0, 0, FILE_),
};

static const struct pc_scope_kind_def kinds[PC_SCOPE__COUNT] = {
    [PC_SCOPE_RUN] = {PC_SCOPE_RUN, "run", 1, "", 0, NULL},
    [PC_SCOPE_PHASE] = {PC_SCOPE_PHASE, "phase", 1, "during", 0, NULL},
    [PC_SCOPE_SERVER] = {PC_SCOPE_SERVER, "server", 0, "to", 0, NULL},
    [PC_SCOPE_STREAM] = {PC_SCOPE_STREAM, "stream", 1, "in", 1, "RTP streams"},
    [PC_SCOPE_FLOW] = {PC_SCOPE_FLOW, "flow", 0, "in", 1, "TCP flows"},
    [PC_SCOPE_DEVICE] = {PC_SCOPE_DEVICE, "device", 1, "of", 0, NULL},
    [PC_SCOPE_FILE] = {PC_SCOPE_FILE, "file", 0, "in", 1, "Input"},
};

const struct pc_scope_kind_def *pc_scope_kind_def(enum pc_scope_kind k)
{
    if ((int)k < 0 || k >= PC_SCOPE__COUNT)
        return NULL;
    return &kinds[k];
}

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

void pc_metric_format(const struct pc_metric_def *d, double v, char *buf, unsigned long cap)
{
    const char *sp = d->unit[0] ? " " : "";

    if (d->kind == PC_KIND_BOOL)
        snprintf(buf, cap, "%s", v != 0 ? "yes" : "no");
    else if (d->kind == PC_KIND_COUNT)
        snprintf(buf, cap, "%.0f%s%s", v, sp, d->unit);
    else
        snprintf(buf, cap, "%.*f%s%s", d->decimals, v, sp, d->unit);
}

void pc_metric_format_limit(const struct pc_metric_def *d, double v, char *buf, unsigned long cap)
{
    /* Limits are round numbers: at most one decimal, none when it is whole. */
    int dec = v == (double)(long long)v ? 0 : 1;

    if (d->kind == PC_KIND_BOOL)
        snprintf(buf, cap, "%s", v != 0 ? "yes" : "no");
    else
        snprintf(buf, cap, "%s %.*f%s%s", d->better == PC_BETTER_LOWER ? "<=" : ">=", dec, v,
                 d->unit[0] ? " " : "", d->unit);
}
