/* metrics.c - the metric table (see precall/metrics.h). */
#include <stdio.h>
#include <string.h>

#include "precall/metrics.h"
#include "precall/tier.h"

/*
 * Each row names its fields; what a row leaves out is 0 (no decimals, lower
 * bound 0, not required, needs PC_M_ONLINE: measured over the internet at
 * all). A figure that only exists when UDP gets through says
 * .needs = PC_M_UDP_REACHABLE (see needs in precall/metrics.h).
 */
#define RUN    PC_SCOPE_BIT(PC_SCOPE_RUN)
#define PHASE  PC_SCOPE_BIT(PC_SCOPE_PHASE)
#define PATH   (RUN | PHASE | PC_SCOPE_BIT(PC_SCOPE_SERVER))
#define DEV    PC_SCOPE_BIT(PC_SCOPE_DEVICE)
#define STREAM PC_SCOPE_BIT(PC_SCOPE_STREAM)
#define FLOW   PC_SCOPE_BIT(PC_SCOPE_FLOW)
#define FILE_  PC_SCOPE_BIT(PC_SCOPE_FILE)
#define OTHER  PC_SCOPE_BIT(PC_SCOPE_OTHER_FLOW)
#define ALL3   PC_TIER_AUDIO /* required at hd, sd and audio */

#define MS_MAX   600000.0 /* ten minutes: no round trip or lookup is longer */
#define CNT_MAX  1e15
#define MBPS_MAX 1e6 /* a terabit per second */

/* A row: its index in the table is its id. */
#define ROW(m, ...) [m] = {.id = m, __VA_ARGS__}

/* The values a text metric takes. */
#define PC_CHOICES(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct pc_metric_def table[PC_M__COUNT] = {
    ROW(PC_M_ONLINE, .key = "online", .label = "Internet connection",
        .description = "Whether anything on the internet answered during the check (false: no "
                       "probe reached any server).",
        .unit = "", .kind = PC_KIND_BOOL, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_CHECK,
        .producer = PC_PRODUCER_UDP, .hi = 1, .required = ALL3, .scopes = RUN),
    ROW(PC_M_DNS_MS, .key = "dns_ms", .label = "Name lookup",
        .description = "The slowest name lookup of the hosts the check talks to, timed with the "
                       "system resolver.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_DNS, .hi = MS_MAX, .scopes = RUN),
    ROW(PC_M_UDP_REACHABLE, .key = "udp_reachable", .label = "UDP to media servers",
        .description =
            "Whether a STUN server answered a binding request over UDP, the path video calls use.",
        .unit = "", .kind = PC_KIND_BOOL, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_CHECK,
        .producer = PC_PRODUCER_UDP, .hi = 1, .required = PC_TIER_HD, .scopes = PATH),
    ROW(PC_M_PUBLIC_ADDRESS, .key = "public_address", .label = "Public address",
        .description = "The public (mapped) address the STUN server saw the probes come from.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_UDP, .scopes = RUN),
    ROW(PC_M_PUBLIC_PORT, .key = "public_port", .label = "Public port",
        .description = "The public (mapped) UDP port the STUN server saw the probes come from.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = 65535, .scopes = RUN),
    ROW(PC_M_NAT_MAPPING, .key = "nat_mapping", .label = "NAT mapping",
        .description = "How the NAT maps ports, from the mapped addresses two STUN servers report "
                       "for the same local port.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_UDP, .scopes = RUN,
        .choices = PC_CHOICES("endpoint-independent", "address-dependent")),
    ROW(PC_M_RTT_MEDIAN_MS, .key = "rtt_median_ms", .label = "Latency (round trip)",
        .description =
            "Median round-trip time of the STUN probes answered while the line was idle.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_DELAY_ONEWAY_MS, .key = "delay_oneway_ms", .label = "Delay (one way, estimated)",
        .description = "Half the median idle round trip: the delay each way if both directions "
                       "take alike, which decides how natural a conversation feels (ITU-T G.114).",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .scopes = RUN,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_RTT_MIN_MS, .key = "rtt_min_ms", .label = "Latency minimum",
        .description =
            "Shortest round-trip time of the STUN probes answered while the line was idle.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_RTT_P90_MS, .key = "rtt_p90_ms", .label = "Latency 90th percentile",
        .description = "90th percentile of the idle round-trip times of the answered STUN probes.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_RTT_P99_MS, .key = "rtt_p99_ms", .label = "Latency 99th percentile",
        .description = "99th percentile of the idle round-trip times of the answered STUN probes.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_RTT_MAX_MS, .key = "rtt_max_ms", .label = "Latency maximum",
        .description =
            "Longest round-trip time of the STUN probes answered while the line was idle.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_JITTER_MS, .key = "jitter_ms", .label = "Jitter (round trip)",
        .description = "Mean absolute difference between the round-trip times of consecutive "
                       "answered STUN probes (both directions mixed).",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .required = ALL3, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_JITTER_RFC3550_MS, .key = "jitter_rfc3550_ms", .label = "Jitter, RFC 3550 smoothed",
        .description = "RFC 3550 smoothed jitter (gain 1/16) over the same round-trip differences "
                       "as jitter_ms.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_PDV_P95_MS, .key = "pdv_p95_ms", .label = "Delay variation (p95 - min)",
        .description =
            "Packet delay variation: the 95th percentile round-trip time minus the minimum.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_LOSS_PCT, .key = "loss_pct", .label = "Packet loss (round trip)",
        .description = "Share of STUN probes not answered within the timeout, late answers counted "
                       "as lost: a probe is lost when its request or its answer is.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = 100, .required = ALL3, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE, .lends = 1),
    ROW(PC_M_LOSS_LOW_PCT, .key = "loss_low_pct", .label = "Loss, 95% interval low",
        .description = "Lower end of the 95 % Wilson score interval of the probe loss.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 2, .producer = PC_PRODUCER_UDP, .hi = 100, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_LOSS_HIGH_PCT, .key = "loss_high_pct", .label = "Loss, 95% interval high",
        .description = "Upper end of the 95 % Wilson score interval of the probe loss.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 2, .producer = PC_PRODUCER_UDP, .hi = 100, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_LOSS_ONEWAY_PCT, .key = "loss_oneway_pct", .label = "Packet loss",
        .description = "One-way loss estimated from the round-trip loss L of the probes, assuming "
                       "both directions lose alike and independently: 1 - sqrt(1 - L).",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = 100, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE, .limits_of = PC_M_LOSS_PCT),
    ROW(PC_M_LOSS_ONEWAY_LOW_PCT, .key = "loss_oneway_low_pct", .label = "One-way loss, 95% low",
        .description = "Lower end of the one-way loss estimate, from loss_low_pct the same way.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 2, .producer = PC_PRODUCER_UDP, .hi = 100, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_LOSS_ONEWAY_HIGH_PCT, .key = "loss_oneway_high_pct", .label = "One-way loss, 95% high",
        .description = "Upper end of the one-way loss estimate, from loss_high_pct the same way.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 2, .producer = PC_PRODUCER_UDP, .hi = 100, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_BURST_LOSS_PCT, .key = "burst_loss_pct",
        .label = "Burst loss, round trip (worst 200 ms)",
        .description = "The worst loss within any 200 ms window of probes, which short dropouts "
                       "show and the average hides.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = 100, .scopes = PATH, .needs = PC_M_UDP_REACHABLE,
        .lends = 1),
    ROW(PC_M_BURST_LOSS_ONEWAY_PCT, .key = "burst_loss_oneway_pct",
        .label = "Burst loss (worst 200 ms)",
        .description = "The worst burst loss estimated for one direction, from burst_loss_pct as "
                       "loss_oneway_pct is from loss_pct.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .producer = PC_PRODUCER_UDP, .hi = 100, .scopes = PATH, .needs = PC_M_UDP_REACHABLE,
        .limits_of = PC_M_BURST_LOSS_PCT),
    ROW(PC_M_PROBES_SENT, .key = "probes_sent", .label = "Probes sent",
        .description = "STUN probes sent whose fate (answered or lost) is known.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = CNT_MAX, .scopes = PATH),
    ROW(PC_M_PROBES_ANSWERED, .key = "probes_answered", .label = "Probes answered",
        .description = "STUN probes answered within the timeout.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = CNT_MAX, .scopes = PATH),
    ROW(PC_M_PROBES_LOST, .key = "probes_lost", .label = "Probes lost",
        .description = "STUN probes not answered within the timeout, late answers included.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = CNT_MAX, .scopes = PATH),
    ROW(PC_M_LATE, .key = "late", .label = "Late answers",
        .description = "Answers that arrived after their probe's timeout.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = CNT_MAX, .scopes = PATH),
    ROW(PC_M_DUPLICATES, .key = "duplicates", .label = "Duplicate answers",
        .description = "Extra copies of answers already received.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = CNT_MAX, .scopes = PATH),
    ROW(PC_M_REORDERED, .key = "reordered", .label = "Reordered answers",
        .description = "Answers that arrived before the answer to an earlier probe.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = CNT_MAX, .scopes = PATH),
    ROW(PC_M_IGNORED, .key = "ignored", .label = "Ignored datagrams",
        .description = "Datagrams ignored as malformed, with an unknown transaction ID or from the "
                       "wrong source.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = CNT_MAX, .scopes = PATH),
    ROW(PC_M_SEND_FAILED, .key = "send_failed", .label = "Probes that could not be sent",
        .description = "Probes the system refused to send.", .unit = "", .kind = PC_KIND_COUNT,
        .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL, .producer = PC_PRODUCER_UDP,
        .hi = CNT_MAX, .scopes = PATH),
    ROW(PC_M_R_FACTOR, .key = "r_factor", .label = "Call quality (E-model R)",
        .description = "E-model transmission rating R (simplified ITU-T G.107) computed from the "
                       "round-trip time, jitter and loss.",
        .unit = "", .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_UDP, .hi = 100, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_MOS, .key = "mos", .label = "Predicted voice quality (MOS)",
        .description = "Predicted mean opinion score of voice quality, derived from the E-model R.",
        .unit = "", .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_INFO,
        .decimals = 2, .producer = PC_PRODUCER_UDP, .lo = 1, .hi = 5, .scopes = PATH,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_RTT_MS, .key = "rtt_ms", .label = "Round-trip time",
        .description = "Round-trip time of each answered STUN probe, as a time series.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_SERIES,
        .decimals = 2, .producer = PC_PRODUCER_UDP, .hi = MS_MAX, .scopes = PATH),
    ROW(PC_M_STREAM_LOSS_PCT, .key = "stream_loss_pct", .label = "Loss (from sequence numbers)",
        .description =
            "Share of the stream's packets missing, from the gaps in its RTP sequence numbers.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = 100, .scopes = STREAM,
        .when = PC_M_STREAM_LOSS_PCT),
    ROW(PC_M_STREAM_WORST_SECOND_LOSS_PCT, .key = "stream_worst_second_loss_pct",
        .label = "Worst second's loss",
        .description =
            "The highest loss of the stream in any one second, from its RTP sequence numbers.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = 100, .scopes = STREAM,
        .when = PC_M_STREAM_LOSS_PCT),
    ROW(PC_M_STREAM_JITTER_MS, .key = "stream_jitter_ms",
        .label = "Jitter, RFC 3550 (one way, mean)",
        .description = "Mean RFC 3550 interarrival jitter of the stream (one direction), from RTP "
                       "timestamps and capture times.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = MS_MAX, .scopes = STREAM,
        .when = PC_M_STREAM_JITTER_MS),
    ROW(PC_M_STREAM_GAP_MAX_MS, .key = "stream_gap_max_ms", .label = "Largest gap between packets",
        .description = "The longest time between two consecutive packets of the stream in the "
                       "capture, silence included (the dropout is stream_gap_excess_ms).",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = MS_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_MEDIA, .key = "stream_media", .label = "Media",
        .description = "What the stream carries: audio or video from its payload type or clock "
                       "rate, RTP when neither tells.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_DIRECTION, .key = "stream_direction", .label = "Direction",
        .description = "Whether the capturing machine received or sent the stream (unknown when "
                       "its address is not known).",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_BITRATE_KBPS, .key = "stream_bitrate_kbps", .label = "Bitrate",
        .description = "Mean bitrate of the stream's RTP packets over its duration.",
        .unit = "kbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .hi = 1e9, .scopes = STREAM),
    ROW(PC_M_STREAM_SSRC, .key = "stream_ssrc", .label = "SSRC",
        .description = "The stream's RTP synchronisation source identifier (SSRC), in hexadecimal.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_PAYLOAD_TYPE, .key = "stream_payload_type", .label = "Payload type",
        .description = "The RTP payload type number of the stream.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .hi = 127, .scopes = STREAM),
    ROW(PC_M_STREAM_CLOCK_HZ, .key = "stream_clock_hz", .label = "Clock rate",
        .description = "The RTP clock rate used for the stream's jitter, from its payload type, "
                       "RTCP sender reports or its timestamps.",
        .unit = "Hz", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = 1e9, .scopes = STREAM),
    ROW(PC_M_STREAM_CLOCK_SOURCE, .key = "stream_clock_source", .label = "Clock rate from",
        .description = "Where the stream's clock rate came from: the static payload type table, "
                       "RTCP sender reports or the timestamps.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_SOURCE, .key = "stream_source", .label = "From",
        .description = "The address and port the stream was sent from.", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_DESTINATION, .key = "stream_destination", .label = "To",
        .description = "The address and port the stream was sent to.", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_RELAY, .key = "stream_relay", .label = "Relayed (TURN)",
        .description = "The TURN relay the stream passed through (ChannelData or Send/Data "
                       "indications), if any.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_DURATION_S, .key = "stream_duration_s", .label = "Duration",
        .description = "Time from the stream's first packet to its last in the capture.",
        .unit = "s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = 1e9, .scopes = STREAM),
    ROW(PC_M_STREAM_PACKETS, .key = "stream_packets", .label = "Packets",
        .description = "RTP packets of the stream in the capture.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_EXPECTED, .key = "stream_expected", .label = "Packets expected",
        .description =
            "Packets the stream's sequence numbers say were sent, from the first to the highest.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_LOST, .key = "stream_lost", .label = "Packets lost",
        .description = "Packets expected from the sequence numbers but not in the capture.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_DUPLICATES, .key = "stream_duplicates", .label = "Duplicate packets",
        .description = "Packets of the stream seen more than once (same sequence number).",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_REORDERED, .key = "stream_reordered", .label = "Reordered packets",
        .description = "Packets that arrived after a packet with a higher sequence number.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_SEQ_ERRORS, .key = "stream_seq_errors", .label = "Sequence errors",
        .description = "Jumps in the stream's sequence numbers (gaps, repeats or restarts).",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_JITTER_MAX_MS, .key = "stream_jitter_max_ms",
        .label = "Jitter, RFC 3550 maximum",
        .description = "Highest value the stream's RFC 3550 interarrival jitter reached.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 2, .producer = PC_PRODUCER_RTP, .hi = MS_MAX, .scopes = STREAM),
    ROW(PC_M_RTCP_RR_REPORTS, .key = "rtcp_rr_reports", .label = "Receiver reports about it",
        .description = "RTCP receiver report blocks about the stream found in the capture.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_RTCP_RR_LOSS_PCT, .key = "rtcp_rr_loss_pct", .label = "Far end's worst reported loss",
        .description = "The worst fraction lost the far end reported for the stream in its RTCP "
                       "receiver reports.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = 100, .scopes = STREAM),
    ROW(PC_M_RTCP_RR_JITTER_MS, .key = "rtcp_rr_jitter_ms",
        .label = "Far end's worst reported jitter",
        .description = "The worst interarrival jitter the far end reported for the stream in its "
                       "RTCP receiver reports.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = MS_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_RTT_MS, .key = "stream_rtt_ms", .label = "Round trip (RTCP)",
        .description = "Mean round trip of the call from RTCP (RFC 3550 6.4.1: report arrival "
                       "less LSR less DLSR, on the capture's clock): from the capture point to "
                       "the stream's receiver and back, plus the same to its sender when the "
                       "sender's own reports show it.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = MS_MAX, .scopes = STREAM,
        .needs = PC_M_STREAM_RTT_REPORTS),
    ROW(PC_M_STREAM_RTT_REPORTS, .key = "stream_rtt_reports", .label = "Round trips measured",
        .description = "RTCP reception reports about the stream that answer a sender report seen "
                       "in the capture (0: the capture does not show the delay).",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_DELAY, .key = "stream_delay", .label = "Delay",
        .description = "Why the stream's delay was not measured (no RTCP reports that answer its "
                       "sender reports); absent when it was.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_GAP_EXCESS_MS, .key = "stream_gap_excess_ms", .label = "Largest dropout",
        .description = "The longest time between two consecutive packets of the stream beyond what "
                       "their RTP timestamps explain, at its clock rate: silence in which the "
                       "sender sent nothing is not a dropout.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = MS_MAX, .scopes = STREAM,
        .when = PC_M_STREAM_DROPOUT_AT),
    ROW(PC_M_STREAM_NOT_JUDGED, .key = "stream_not_judged", .label = "Not judged",
        .description = "Why the stream is listed with its figures but does not count for the "
                       "verdict: too short to judge, or bandwidth probes (padding only) rather "
                       "than media; absent when it counts.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_PADDING_PACKETS, .key = "stream_padding_packets",
        .label = "Padding-only packets",
        .description = "Packets of the stream that carry only RTP padding (RFC 3550 5.1), as "
                       "senders use to probe the bandwidth: no media.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_SEGMENTS, .key = "stream_segments", .label = "Segments",
        .description = "Parts of the stream between restarts of its timestamps with the same "
                       "SSRC (a sender starting afresh, as after a re-INVITE): no gap or jitter "
                       "is measured across a restart.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_OTHER_PT_PACKETS, .key = "stream_other_pt_packets",
        .label = "Packets of other payload types",
        .description = "Packets of the stream whose payload type is not its media's (RFC 4733 "
                       "telephone events, RED, FEC): counted, but left out of its gaps and jitter.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_SILENCE_S, .key = "stream_silence_s", .label = "Silence",
        .description = "Time the sender sent nothing while its RTP timestamps went on (a codec's "
                       "discontinuous transmission in silence, a paused video): not a dropout.",
        .unit = "s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_RTP, .hi = 1e9, .scopes = STREAM),
    ROW(PC_M_STREAM_CODEC, .key = "stream_codec", .label = "Codec",
        .description = "The encoding of the stream, from its static payload type (RFC 3551).",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_DROPOUT_AT, .key = "stream_dropout_at", .label = "Largest dropout at",
        .description = "When the stream's largest dropout ended (UTC, on the capture's clock).",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_TCP_RETRANS_PCT, .key = "tcp_retrans_pct", .label = "Retransmitted segments",
        .description = "Share of the flow's data segments that were retransmissions (a sequence "
                       "range seen before).",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_TCP, .hi = 100, .scopes = FLOW),
    ROW(PC_M_TCP_SEGMENTS, .key = "tcp_segments", .label = "Data segments",
        .description = "TCP segments of the flow that carried data.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_TCP, .hi = CNT_MAX, .scopes = FLOW),
    ROW(PC_M_TCP_RETRANS, .key = "tcp_retrans", .label = "Retransmissions",
        .description = "Data segments of the flow that repeated a sequence range seen before.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_TCP, .hi = CNT_MAX, .scopes = FLOW),
    ROW(PC_M_TCP_SOURCE, .key = "tcp_source", .label = "From",
        .description = "The address and port the flow's data was sent from.", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_TCP, .scopes = FLOW),
    ROW(PC_M_TCP_DESTINATION, .key = "tcp_destination", .label = "To",
        .description = "The address and port the flow's data was sent to.", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_TCP, .scopes = FLOW),
    ROW(PC_M_CAPTURE_PACKETS, .key = "capture_packets", .label = "Packets read",
        .description = "Packets read from the capture file or interface.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_CAPTURE, .hi = CNT_MAX, .scopes = FILE_),
    ROW(PC_M_CAPTURE_FORMAT, .key = "capture_format", .label = "Format",
        .description =
            "The format of the capture: pcap or pcapng for a file, live for an interface.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_CAPTURE, .scopes = FILE_),
    ROW(PC_M_CAPTURE_LINK, .key = "capture_link", .label = "Link type",
        .description = "The link-layer type of the capture (its DLT name).", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_CAPTURE, .scopes = FILE_),
    ROW(PC_M_CAPTURE_ERROR, .key = "capture_error", .label = "Damage",
        .description = "What was damaged in the capture (cut short or malformed), if anything.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_CAPTURE, .scopes = FILE_),
    ROW(PC_M_LINK_KIND, .key = "link_kind", .label = "Connection type",
        .description = "Kind of the interface the default route uses: wired, wifi, cellular, vpn "
                       "(VPN or tunnel), other; none without a default route.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_SYSTEM, .scopes = RUN,
        .choices = PC_CHOICES("wired", "wifi", "cellular", "vpn", "other", "none")),
    ROW(PC_M_LINK_INTERFACE, .key = "link_interface", .label = "Interface of the default route",
        .description = "Name of the interface the default route uses.", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_SYSTEM, .scopes = RUN),
    ROW(PC_M_MTU_BYTES, .key = "mtu_bytes", .label = "Interface MTU",
        .description = "MTU of the interface the default route uses, as the kernel reports it.",
        .unit = "bytes", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_SYSTEM, .hi = 1e6, .scopes = RUN),
    ROW(PC_M_LINK_SPEED_MBPS, .key = "link_speed_mbps", .label = "Wired link speed",
        .description = "Negotiated speed of the wired link, as the kernel reports it.",
        .unit = "Mbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER,
        .level = PC_LEVEL_DETAIL, .producer = PC_PRODUCER_SYSTEM, .hi = 1e7, .scopes = RUN),
    ROW(PC_M_WIFI_SIGNAL_DBM, .key = "wifi_signal_dbm", .label = "Wi-Fi signal",
        .description = "Wi-Fi signal strength the kernel reports for the link.", .unit = "dBm",
        .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_SYSTEM, .lo = -120, .scopes = RUN),
    ROW(PC_M_WIFI_QUALITY_PCT, .key = "wifi_quality_pct", .label = "Wi-Fi link quality",
        .description = "Wi-Fi link quality the kernel reports, as a share of its maximum.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_SYSTEM, .hi = 100, .scopes = RUN),
    ROW(PC_M_WIFI_BITRATE_MBPS, .key = "wifi_bitrate_mbps", .label = "Wi-Fi bit rate (transmit)",
        .description = "Wi-Fi transmit bit rate the kernel reports for the link (SIOCGIWRATE).",
        .unit = "Mbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER,
        .level = PC_LEVEL_DETAIL, .decimals = 1, .producer = PC_PRODUCER_SYSTEM, .hi = 1e5,
        .scopes = RUN),
    ROW(PC_M_BATTERY_PCT, .key = "battery_pct", .label = "Battery",
        .description = "Charge of the battery, as the power supply class reports it.", .unit = "%",
        .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_SYSTEM, .hi = 100, .scopes = RUN),
    ROW(PC_M_ON_BATTERY, .key = "on_battery", .label = "Running on battery",
        .description = "Whether the computer runs on battery (no mains power online).", .unit = "",
        .kind = PC_KIND_BOOL, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_SYSTEM, .hi = 1, .scopes = RUN),
    ROW(PC_M_CPU_COUNT, .key = "cpu_count", .label = "Processor cores",
        .description = "Processor cores the system has online.", .unit = "", .kind = PC_KIND_COUNT,
        .better = PC_BETTER_HIGHER, .level = PC_LEVEL_CHECK, .producer = PC_PRODUCER_SYSTEM,
        .hi = 65536, .scopes = RUN),
    ROW(PC_M_CPU_LOAD_PCT, .key = "cpu_load_pct", .label = "Processor load (1 min average)",
        .description = "One-minute load average divided by the number of cores.", .unit = "%",
        .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_SYSTEM, .hi = 1e6, .scopes = RUN),
    ROW(PC_M_MEMORY_TOTAL_MIB, .key = "memory_total_mib", .label = "Memory",
        .description = "Memory the kernel manages (MemTotal).", .unit = "MiB",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_CHECK,
        .producer = PC_PRODUCER_SYSTEM, .hi = 1e9, .scopes = RUN),
    ROW(PC_M_MEMORY_AVAILABLE_MIB, .key = "memory_available_mib", .label = "Memory available",
        .description = "Memory available for new programs without swapping (MemAvailable).",
        .unit = "MiB", .kind = PC_KIND_COUNT, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_SYSTEM, .hi = 1e9, .scopes = RUN),
    ROW(PC_M_CAMERA_COUNT, .key = "camera_count", .label = "Cameras found",
        .description = "Cameras (video capture devices) found.", .unit = "", .kind = PC_KIND_COUNT,
        .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL, .producer = PC_PRODUCER_DEVICES,
        .hi = 1000, .scopes = RUN),
    ROW(PC_M_MIC_COUNT, .key = "mic_count", .label = "Microphones found",
        .description = "Microphones (audio capture devices) found.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_DEVICES, .hi = 1000, .scopes = RUN),
    ROW(PC_M_SPEAKER_COUNT, .key = "speaker_count", .label = "Speakers found",
        .description = "Speakers or headphones (audio playback devices) found.", .unit = "",
        .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_DEVICES, .hi = 1000, .scopes = RUN),
    ROW(PC_M_DEVICE_NAME, .key = "device_name", .label = "Name",
        .description = "The device's name, as its driver reports it.", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_DEVICES, .scopes = DEV),
    ROW(PC_M_DEVICE_DRIVER, .key = "device_driver", .label = "Driver",
        .description = "The driver of the device.", .unit = "", .kind = PC_KIND_TEXT,
        .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL, .producer = PC_PRODUCER_DEVICES,
        .scopes = DEV),
    ROW(PC_M_DEVICE_BUS, .key = "device_bus", .label = "Bus",
        .description =
            "The bus the device is on (usb, pci, platform, ...), as its driver reports it.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_DEVICES, .scopes = DEV),
    ROW(PC_M_CAMERA_STATE, .key = "camera_state", .label = "Camera state",
        .description = "The camera: ok (delivers frames), missing, busy (held by another "
                       "application), no-permission, no-frames, failed.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_DEVICES, .scopes = DEV,
        .choices = PC_CHOICES("ok", "missing", "busy", "no-permission", "no-frames", "failed")),
    ROW(PC_M_CAMERA_VIDEO_HEIGHT_PX, .key = "camera_video_height_px",
        .label = "Camera video (height)",
        .description =
            "Height of the video the camera delivers (the largest size at 15 fps or more, once a "
            "frame arrived); 0 when there is no camera, it is busy or it gives no frames.",
        .unit = "px", .kind = PC_KIND_COUNT, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_CHECK,
        .producer = PC_PRODUCER_DEVICES, .hi = 100000, .scopes = DEV, .zero_is = PC_M_CAMERA_STATE),
    ROW(PC_M_CAMERA_MAX_WIDTH_PX, .key = "camera_max_width_px",
        .label = "Largest size at 15 fps, width",
        .description =
            "Width of the largest size the camera offers at 15 frames per second or more.",
        .unit = "px", .kind = PC_KIND_COUNT, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_DEVICES, .hi = 100000, .scopes = DEV),
    ROW(PC_M_CAMERA_MAX_HEIGHT_PX, .key = "camera_max_height_px",
        .label = "Largest size at 15 fps, height",
        .description =
            "Height of the largest size the camera offers at 15 frames per second or more.",
        .unit = "px", .kind = PC_KIND_COUNT, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_DEVICES, .hi = 100000, .scopes = DEV),
    ROW(PC_M_CAMERA_FORMATS, .key = "camera_formats", .label = "Formats and sizes",
        .description = "The pixel formats and sizes the camera offers.", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_DEVICES, .scopes = DEV),
    ROW(PC_M_CAMERA_LUMA, .key = "camera_luma", .label = "Picture brightness (0-255)",
        .description = "Mean brightness (luma, 0 to 255) of a frame taken from the camera.",
        .unit = "", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_DEVICES, .hi = 255, .scopes = DEV),
    ROW(PC_M_CAMERA_BACKLIGHT_RATIO, .key = "camera_backlight_ratio",
        .label = "Face brightness against the background",
        .description =
            "Mean brightness of the centre third of the frame divided by that of the border.",
        .unit = "", .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_DETAIL,
        .decimals = 2, .producer = PC_PRODUCER_DEVICES, .hi = 256, .scopes = DEV),
    ROW(PC_M_CAMERA_BORDER_LUMA, .key = "camera_border_luma", .label = "Background brightness",
        .description = "Mean brightness (luma, 0-255) of the frame outside its centre third.",
        .unit = "", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_DEVICES, .hi = 255, .scopes = DEV),
    ROW(PC_M_CAMERA_BACKLIT, .key = "camera_backlit", .label = "Bright light behind you",
        .description = "Whether the centre third is darker than the profile's backlit_ratio times "
                       "the border while the border is brighter than its backlit_border_luma: a "
                       "window or lamp behind the person (derived after the run).",
        .unit = "", .kind = PC_KIND_BOOL, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_DEVICES, .hi = 1, .scopes = DEV),
    ROW(PC_M_MIC_STATE, .key = "mic_state", .label = "Microphone state",
        .description = "The microphone: ok, missing, busy, no-permission, silent (for the whole "
                       "sample), failed.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_DEVICES, .scopes = DEV,
        .choices = PC_CHOICES("ok", "missing", "busy", "no-permission", "silent", "failed")),
    ROW(PC_M_MIC_PRESENT, .key = "mic_present", .label = "Microphone",
        .description = "Whether a microphone was found.", .unit = "", .kind = PC_KIND_BOOL,
        .better = PC_BETTER_HIGHER, .level = PC_LEVEL_CHECK, .producer = PC_PRODUCER_DEVICES,
        .hi = 1, .scopes = DEV),
    ROW(PC_M_MIC_HEARS_SOUND, .key = "mic_hears_sound", .label = "Microphone picks up sound",
        .description =
            "Whether the microphone's sample picked up sound (neither silent nor failing).",
        .unit = "", .kind = PC_KIND_BOOL, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_CHECK,
        .producer = PC_PRODUCER_DEVICES, .hi = 1, .scopes = DEV, .needs = PC_M_MIC_PRESENT),
    ROW(PC_M_MIC_PEAK_DBFS, .key = "mic_peak_dbfs", .label = "Microphone peak level",
        .description =
            "Highest sample level of the microphone's recording, relative to full scale.",
        .unit = "dBFS", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_DEVICES, .lo = -120, .scopes = DEV),
    ROW(PC_M_MIC_RMS_DBFS, .key = "mic_rms_dbfs", .label = "Microphone level (RMS)",
        .description = "RMS level of the microphone's recording, relative to full scale.",
        .unit = "dBFS", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_DEVICES, .lo = -120, .scopes = DEV),
    ROW(PC_M_MIC_CLIPPED_PCT, .key = "mic_clipped_pct", .label = "Samples at full scale (clipping)",
        .description = "Share of the recorded samples at full scale (clipping).", .unit = "%",
        .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL, .decimals = 2,
        .producer = PC_PRODUCER_DEVICES, .hi = 100, .scopes = DEV),
    ROW(PC_M_ROOM_NOISE_DBFS, .key = "room_noise_dbfs", .label = "Room background noise",
        .description = "Background level of the microphone's sample: RMS of its quietest 20 % of "
                       "50 ms windows.",
        .unit = "dBFS", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_DEVICES, .lo = -120, .scopes = DEV),
    ROW(PC_M_SPEAKER_PRESENT, .key = "speaker_present", .label = "Speaker or headphones",
        .description =
            "Whether a speaker or headphones were found that can be opened for playback.",
        .unit = "", .kind = PC_KIND_BOOL, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_DEVICES, .hi = 1, .scopes = DEV),
    ROW(PC_M_HTTPS_REACHABLE, .key = "https_reachable", .label = "Secure web (HTTPS, TCP port 443)",
        .description = "Whether secure web traffic (HTTPS, TCP port 443) reached the speed-test "
                       "server: the TLS handshake completed.",
        .unit = "", .kind = PC_KIND_BOOL, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_HTTP, .hi = 1, .scopes = RUN),
    ROW(PC_M_HTTP_CONNECT_MS, .key = "http_connect_ms", .label = "TCP connect",
        .description = "TCP connect time to the speed-test server, as libcurl measures it.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_HTTP, .hi = MS_MAX, .scopes = RUN),
    ROW(PC_M_TLS_MS, .key = "tls_ms", .label = "TLS handshake",
        .description = "TLS handshake time with the speed-test server, as libcurl measures it.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_HTTP, .hi = MS_MAX, .scopes = RUN),
    ROW(PC_M_TTFB_MS, .key = "ttfb_ms", .label = "Time to first byte",
        .description = "Time from the start of the request (name lookup included) to the first "
                       "byte of the answer.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_HTTP, .hi = MS_MAX, .scopes = RUN),
    ROW(PC_M_DOWNLOAD_MBPS, .key = "download_mbps", .label = "Download speed",
        .description =
            "Download throughput: the mean rate of the 100 ms windows from the moment the link "
            "first filled, after a ramp-up timed from the first byte (0.5 s to 1.5 s, or 8 "
            "round trips on a long path).",
        .unit = "Mbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER,
        .level = PC_LEVEL_CHECK, .decimals = 1, .producer = PC_PRODUCER_BANDWIDTH, .hi = MBPS_MAX,
        .scopes = RUN),
    ROW(PC_M_UPLOAD_MBPS, .key = "upload_mbps", .label = "Upload speed",
        .description = "Upload throughput (bytes the server's TCP acknowledged): the mean rate of "
                       "the 100 ms windows from the moment the link first filled, after the "
                       "ramp-up.",
        .unit = "Mbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER,
        .level = PC_LEVEL_CHECK, .decimals = 1, .producer = PC_PRODUCER_BANDWIDTH, .hi = MBPS_MAX,
        .scopes = RUN),
    ROW(PC_M_DOWNLOAD_P90_MBPS, .key = "download_p90_mbps", .label = "Download, 90th percentile",
        .description = "90th percentile of the kept 100 ms download windows.", .unit = "Mbit/s",
        .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_DETAIL, .decimals = 1,
        .producer = PC_PRODUCER_BANDWIDTH, .hi = MBPS_MAX, .scopes = RUN),
    ROW(PC_M_UPLOAD_P90_MBPS, .key = "upload_p90_mbps", .label = "Upload, 90th percentile",
        .description = "90th percentile of the kept 100 ms upload windows.", .unit = "Mbit/s",
        .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_DETAIL, .decimals = 1,
        .producer = PC_PRODUCER_BANDWIDTH, .hi = MBPS_MAX, .scopes = RUN),
    ROW(PC_M_BANDWIDTH_BYTES, .key = "bandwidth_bytes", .label = "Data used by the speed test",
        .description =
            "Bytes the speed test moved (both directions at run level; one direction in a phase).",
        .unit = "bytes", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_BANDWIDTH, .hi = CNT_MAX, .scopes = RUN | PHASE),
    ROW(PC_M_STREAMS, .key = "streams", .label = "Parallel transfers",
        .description = "Parallel transfers (one TCP connection each): in a phase, its own; in the "
                       "run, the most of either phase.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_BANDWIDTH, .hi = 1000, .scopes = RUN | PHASE),
    ROW(PC_M_TRANSFER_MS, .key = "transfer_ms", .label = "Transfer time",
        .description =
            "How long the transfers ran: in a phase, its own; in the run, both phases together.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_BANDWIDTH, .hi = MS_MAX, .scopes = RUN | PHASE),
    ROW(PC_M_THROUGHPUT_MBPS, .key = "throughput_mbps", .label = "Throughput per 100 ms",
        .description = "Throughput of each 100 ms window of a transfer, as a time series.",
        .unit = "Mbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_HIGHER,
        .level = PC_LEVEL_SERIES, .decimals = 2, .producer = PC_PRODUCER_BANDWIDTH, .hi = MBPS_MAX,
        .scopes = PHASE),
    ROW(PC_M_BUFFERBLOAT_MS, .key = "bufferbloat_ms",
        .label = "Delay added under load (bufferbloat)",
        .description = "Rise of the median round-trip time under load over the idle median, the "
                       "worse of download and upload.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_CHECK,
        .decimals = 1, .producer = PC_PRODUCER_BANDWIDTH, .hi = MS_MAX, .scopes = RUN,
        .needs = PC_M_UDP_REACHABLE),
    ROW(PC_M_BUFFERBLOAT_GRADE, .key = "bufferbloat_grade", .label = "Bufferbloat grade",
        .description = "Bufferbloat grade on the DSLReports/Waveform scale (A+ < 5 ms, A < 30, B < "
                       "60, C < 200, D < 400, else F).",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_BANDWIDTH, .scopes = RUN,
        .choices = PC_CHOICES("A+", "A", "B", "C", "D", "F")),
    ROW(PC_M_UDP_REACHABLE_IPV4, .key = "udp_reachable_ipv4", .label = "UDP over IPv4",
        .description = "Whether a STUN server answered over IPv4; absent when no server had an "
                       "IPv4 address to try.",
        .unit = "", .kind = PC_KIND_BOOL, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = 1, .scopes = RUN),
    ROW(PC_M_UDP_REACHABLE_IPV6, .key = "udp_reachable_ipv6", .label = "UDP over IPv6",
        .description = "Whether a STUN server answered over IPv6; absent when no server had an "
                       "IPv6 address to try.",
        .unit = "", .kind = PC_KIND_BOOL, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_UDP, .hi = 1, .scopes = RUN),
    ROW(PC_M_OTHER_DOWN_MBPS, .key = "other_traffic_down_mbps", .label = "Other traffic, down",
        .description = "Traffic to this computer that was not precall's, over the idle phase: "
                       "frames as captured on the route's interface, in the run; one flow's in "
                       "its scope.",
        .unit = "Mbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_TRAFFIC, .hi = MBPS_MAX, .scopes = RUN | OTHER),
    ROW(PC_M_OTHER_UP_MBPS, .key = "other_traffic_up_mbps", .label = "Other traffic, up",
        .description = "Traffic from this computer that was not precall's, over the idle phase, "
                       "in the run; one flow's in its scope.",
        .unit = "Mbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_TRAFFIC, .hi = MBPS_MAX, .scopes = RUN | OTHER),
    ROW(PC_M_OTHER_FLOWS, .key = "other_traffic_flows", .label = "Other flows",
        .description = "Flows (protocol, local and far address and port) of other traffic seen "
                       "over the idle phase.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_TRAFFIC, .hi = CNT_MAX, .scopes = RUN),
    ROW(PC_M_OTHER_TRAFFIC_SOURCE, .key = "other_traffic_source", .label = "Other traffic from",
        .description = "Where the biggest other flow is: on this computer (a socket of it), on "
                       "another device (the interface saw it, no address of this computer), or "
                       "none (under 1 Mbit/s in all).",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_TRAFFIC, .scopes = RUN,
        .choices = PC_CHOICES("none", "this-computer", "other-device")),
    ROW(PC_M_OTHER_FLOW_FAR_END, .key = "other_flow_far_end", .label = "Far end",
        .description = "The far end's address and port of the flow.", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_TRAFFIC, .scopes = OTHER),
    ROW(PC_M_OTHER_FLOW_PROTOCOL, .key = "other_flow_protocol", .label = "Protocol",
        .description = "The flow's transport protocol.", .unit = "", .kind = PC_KIND_TEXT,
        .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL, .producer = PC_PRODUCER_TRAFFIC,
        .scopes = OTHER, .choices = PC_CHOICES("tcp", "udp")),
    ROW(PC_M_OTHER_FLOW_LOCAL_PORT, .key = "other_flow_local_port", .label = "Local port",
        .description = "The flow's port on this computer (or on the device it went to).",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_TRAFFIC, .hi = 65535, .scopes = OTHER),
    ROW(PC_M_OTHER_FLOW_WHERE, .key = "other_flow_where", .label = "On",
        .description = "Whether the flow's near end is this computer or another device.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_TRAFFIC, .scopes = OTHER,
        .choices = PC_CHOICES("this-computer", "other-device")),
    ROW(PC_M_OTHER_FLOW_PROCESS, .key = "other_flow_process", .label = "Process",
        .description = "The process holding the flow's socket (/proc/net and /proc/*/fd); "
                       "absent when the system does not say.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_TRAFFIC, .scopes = OTHER),
    ROW(PC_M_RELAY_REACHABLE, .key = "relay_reachable", .label = "TURN relay",
        .description = "Whether a TURN relay given with --turn granted an allocation (RFC 8656) "
                       "with the credentials given; in the run, whether any relay did and "
                       "carried media between two allocations.",
        .unit = "", .kind = PC_KIND_BOOL, .better = PC_BETTER_HIGHER, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_TURN, .hi = 1, .scopes = RUN | PC_SCOPE_BIT(PC_SCOPE_SERVER)),
    ROW(PC_M_RELAY_TRANSPORT, .key = "relay_transport", .label = "Relay transport",
        .description = "The transport to the relay: udp, tcp or tls (TLS on TCP); in the run, "
                       "that of the relay whose figures it shows.",
        .unit = "", .kind = PC_KIND_TEXT, .level = PC_LEVEL_INFO, .producer = PC_PRODUCER_TURN,
        .scopes = RUN | PC_SCOPE_BIT(PC_SCOPE_SERVER), .choices = PC_CHOICES("udp", "tcp", "tls")),
    ROW(PC_M_RELAY_ALLOCATE_MS, .key = "relay_allocate_ms", .label = "Time to allocate",
        .description = "From the first Allocate request to the allocation, the 401 challenge "
                       "and the connection (TCP, TLS) included.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_TURN, .hi = MS_MAX,
        .scopes = PC_SCOPE_BIT(PC_SCOPE_SERVER)),
    ROW(PC_M_RELAY_ADDRESS, .key = "relay_address", .label = "Relayed address",
        .description = "The relayed transport address the relay allocated (XOR-RELAYED-ADDRESS).",
        .unit = "", .kind = PC_KIND_TEXT, .level = PC_LEVEL_DETAIL, .producer = PC_PRODUCER_TURN,
        .scopes = PC_SCOPE_BIT(PC_SCOPE_SERVER)),
    ROW(PC_M_RELAY_RTT_MS, .key = "relay_rtt_ms", .label = "Round trip through the relay",
        .description = "Median round trip between this computer and the relay, measured through "
                       "it: two allocations send to each other over channels at 50 packets a "
                       "second, and each loop (there and back through the relay twice) is "
                       "halved.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_TURN, .hi = MS_MAX,
        .scopes = RUN | PC_SCOPE_BIT(PC_SCOPE_SERVER)),
    ROW(PC_M_RELAY_JITTER_MS, .key = "relay_jitter_ms", .label = "Jitter through the relay",
        .description = "Mean difference between consecutive halved loops through the relay.",
        .unit = "ms", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_TURN, .hi = MS_MAX,
        .scopes = RUN | PC_SCOPE_BIT(PC_SCOPE_SERVER)),
    ROW(PC_M_RELAY_LOSS_PCT, .key = "relay_loss_pct", .label = "Loss through the relay",
        .description = "Share of the audio-rate packets sent through the relay whose loop did "
                       "not come back.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_TURN, .hi = 100,
        .scopes = RUN | PC_SCOPE_BIT(PC_SCOPE_SERVER)),
    ROW(PC_M_RELAY_VIDEO_LOSS_PCT, .key = "relay_video_loss_pct",
        .label = "Loss through the relay at SD video rate",
        .description = "The same during half a second at 1.5 Mbit/s (1200-byte packets).",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_TURN, .hi = 100,
        .scopes = PC_SCOPE_BIT(PC_SCOPE_SERVER)),
    ROW(PC_M_RELAY_ERROR, .key = "relay_error", .label = "Relay failure",
        .description = "Why the relay gave no allocation, or no path for media, as a cause "
                       "identifier.",
        .unit = "", .kind = PC_KIND_TEXT, .level = PC_LEVEL_DETAIL, .producer = PC_PRODUCER_TURN,
        .scopes = PC_SCOPE_BIT(PC_SCOPE_SERVER),
        .choices = PC_CHOICES("relay-unreachable", "relay-credentials", "relay-refused",
                              "relay-tls", "relay-faulty")),
    ROW(PC_M_WIFI_SSID, .key = "wifi_ssid", .label = "Wi-Fi network",
        .description = "Name (SSID) of the Wi-Fi network the link is associated with "
                       "(SIOCGIWESSID), made printable; --redact replaces it by a pseudonym.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_SYSTEM, .scopes = RUN),
    ROW(PC_M_STREAM_RELAY_LEG, .key = "stream_relay_leg", .label = "Leg through the relay",
        .description = "When the capture holds the same stream (its SSRC and payload type) on two "
                       "address pairs, as on both sides of a TURN or media relay: first for the "
                       "leg that sees its packets first (from the sender into the relay), second "
                       "for the leg from the relay on to the receiver; absent otherwise.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM, .choices = PC_CHOICES("first", "second")),
    ROW(PC_M_STREAM_OTHER_LEG, .key = "stream_other_leg", .label = "Other leg",
        .description = "The id of the stream's other leg through the relay.", .unit = "",
        .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_DETAIL,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM),
    ROW(PC_M_STREAM_FIRST_LEG_LOST, .key = "stream_first_leg_lost",
        .label = "Lost before the relay",
        .description = "Packets of a relayed stream lost on its first leg, from the sender into "
                       "the relay (the first leg's own loss).",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_LAST_HOP_LOST, .key = "stream_last_hop_lost", .label = "Lost after the relay",
        .description = "Packets of a relayed stream lost on its last hop, from the relay to the "
                       "receiver: the second leg's loss beyond the first's.",
        .unit = "", .kind = PC_KIND_COUNT, .better = PC_BETTER_LOWER, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .hi = CNT_MAX, .scopes = STREAM),
    ROW(PC_M_STREAM_LOSS_SIDE, .key = "stream_loss_side", .label = "Where the loss started",
        .description = "For a stream seen on both sides of a relay, where its packets were lost: "
                       "far-side (already before the relay: the sender's connection or its path "
                       "to the relay), last-hop (only from the relay to the receiver: the "
                       "receiver's connection), both, or none.",
        .unit = "", .kind = PC_KIND_TEXT, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .producer = PC_PRODUCER_RTP, .scopes = STREAM,
        .choices = PC_CHOICES("far-side", "last-hop", "both", "none")),
    ROW(PC_M_RELAY_LOSS_ONEWAY_PCT, .key = "relay_loss_oneway_pct",
        .label = "Loss to the relay (one way, estimated)",
        .description = "relay_loss_pct as the loss of one crossing between this computer and the "
                       "relay: each loop crosses that path four times. With UDP blocked it is "
                       "judged by the profile's loss_pct limits, as the direct path's one-way "
                       "loss is.",
        .unit = "%", .kind = PC_KIND_NUMBER, .better = PC_BETTER_LOWER, .level = PC_LEVEL_DETAIL,
        .decimals = 1, .producer = PC_PRODUCER_TURN, .hi = 100,
        .scopes = RUN | PC_SCOPE_BIT(PC_SCOPE_SERVER)),
    ROW(PC_M_OTHER_SPEED_DOWN_MBPS, .key = "other_traffic_speed_down_mbps",
        .label = "Other traffic during the speed test, down",
        .description = "Traffic to this computer that was not precall's, over the speed test "
                       "(download and upload phases; the speed test's own connections left out): "
                       "frames as captured on the route's interface, in the run; one flow's in "
                       "its scope. The speed figures are that much under the line's.",
        .unit = "Mbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_TRAFFIC, .hi = MBPS_MAX, .scopes = RUN | OTHER),
    ROW(PC_M_OTHER_SPEED_UP_MBPS, .key = "other_traffic_speed_up_mbps",
        .label = "Other traffic during the speed test, up",
        .description = "Traffic from this computer that was not precall's, over the speed test, "
                       "in the run; one flow's in its scope.",
        .unit = "Mbit/s", .kind = PC_KIND_NUMBER, .better = PC_BETTER_NONE, .level = PC_LEVEL_INFO,
        .decimals = 1, .producer = PC_PRODUCER_TRAFFIC, .hi = MBPS_MAX, .scopes = RUN | OTHER),
};

static const char *const producers[PC_PRODUCER__COUNT] = {
    [PC_PRODUCER_UDP] = "udp",         [PC_PRODUCER_DNS] = "dns",
    [PC_PRODUCER_HTTP] = "http",       [PC_PRODUCER_BANDWIDTH] = "bandwidth",
    [PC_PRODUCER_SYSTEM] = "system",   [PC_PRODUCER_DEVICES] = "devices",
    [PC_PRODUCER_RTP] = "rtp",         [PC_PRODUCER_TCP] = "tcp",
    [PC_PRODUCER_CAPTURE] = "capture", [PC_PRODUCER_TRAFFIC] = "traffic",
    [PC_PRODUCER_TURN] = "turn",
};

#define BY(p) PC_PRODUCER_BIT(PC_PRODUCER_##p)

/* The probes of 'check' (src/probe/registry.c) and of 'devices' (src/cli/cmd_devices.c). */
static const struct pc_command_def commands[] = {
    {.name = "check",
     .producers = BY(UDP) | BY(DNS) | BY(HTTP) | BY(BANDWIDTH) | BY(SYSTEM) | BY(DEVICES) |
                  BY(TRAFFIC) | BY(TURN)},
    {.name = "devices", .producers = BY(DEVICES) | BY(SYSTEM)},
    {.name = "analyze", .producers = BY(RTP) | BY(TCP) | BY(CAPTURE)},
    {.name = "capture", .producers = BY(RTP) | BY(TCP) | BY(CAPTURE)},
};

#define ABOUT(...)                                                                                 \
    .about = {__VA_ARGS__},                                                                        \
    .n_about = (int)(sizeof((enum pc_metric[]){__VA_ARGS__}) / sizeof(enum pc_metric))

static const struct pc_note_def notes[] = {
    {.text = "Jitter is measured on the round trip and mixes both directions.",
     ABOUT(PC_M_JITTER_MS, PC_M_JITTER_RFC3550_MS)},
    {.text = "A short check is one sample of a connection that may fail intermittently; "
             "--duration 60 gives a longer one.",
     ABOUT(PC_M_RTT_MEDIAN_MS, PC_M_DOWNLOAD_MBPS, PC_M_UPLOAD_MBPS)},
};

static const struct pc_scope_kind_def kinds[PC_SCOPE__COUNT] = {
    [PC_SCOPE_RUN] = {PC_SCOPE_RUN, "run", 1, 1, "", 0, NULL},
    [PC_SCOPE_PHASE] = {PC_SCOPE_PHASE, "phase", 1, 1, "during", 0, NULL},
    [PC_SCOPE_SERVER] = {PC_SCOPE_SERVER, "server", 0, 1, "to", 0, NULL},
    [PC_SCOPE_STREAM] = {PC_SCOPE_STREAM, "stream", 1, 1, "in", 1, "RTP streams"},
    [PC_SCOPE_FLOW] = {PC_SCOPE_FLOW, "flow", 0, 1, "in", 1, "TCP flows"},
    [PC_SCOPE_DEVICE] = {PC_SCOPE_DEVICE, "device", 1, 0, "of", 1, "Devices"},
    [PC_SCOPE_FILE] = {PC_SCOPE_FILE, "file", 0, 1, "in", 1, "Input"},
    [PC_SCOPE_OTHER_FLOW] = {PC_SCOPE_OTHER_FLOW, "other-flow", 0, 0, "from", 1, "Other traffic"},
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

enum pc_metric pc_metric_limit_key(enum pc_metric m)
{
    const struct pc_metric_def *d = pc_metric_def(m);

    return d != NULL && d->limits_of != PC_M_ONLINE ? d->limits_of : m;
}

const char *pc_producer_name(enum pc_producer p)
{
    if ((int)p < 0 || p >= PC_PRODUCER__COUNT)
        return "?";
    return producers[p];
}

const struct pc_command_def *pc_command_at(size_t i)
{
    return i < sizeof(commands) / sizeof(commands[0]) ? &commands[i] : NULL;
}

const struct pc_command_def *pc_command_find(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int pc_metric_carried(const struct pc_command_def *c, enum pc_metric m, enum pc_scope_kind k)
{
    const struct pc_metric_def *d = pc_metric_def(m);

    if (d == NULL || !(d->scopes & PC_SCOPE_BIT(k)))
        return 0;
    return c == NULL || (c->producers & PC_PRODUCER_BIT(d->producer)) != 0;
}

const struct pc_note_def *pc_note_at(size_t i)
{
    return i < sizeof(notes) / sizeof(notes[0]) ? &notes[i] : NULL;
}

int pc_note_possible(const struct pc_command_def *c, const struct pc_note_def *n)
{
    for (int i = 0; i < n->n_about; i++)
        for (int k = 0; k < PC_SCOPE__COUNT; k++)
            if (pc_metric_carried(c, n->about[i], k))
                return 1;
    return 0;
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
