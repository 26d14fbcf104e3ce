/* metrics.c - the metric table (see precall/metrics.h). */
#include <stdio.h>
#include <string.h>

#include "precall/metrics.h"
#include "precall/tier.h"

#define ROW(id, key, label, unit, kind, better, level, dec, probe, lo, hi, req, scopes)            \
    [id] = {id, key, label, unit, kind, better, level, dec, probe, lo, hi, req, scopes, PC_M_ONLINE}

/* A figure that only exists when UDP gets through (see needs in precall/metrics.h). */
#define OVER_UDP(id, key, label, unit, kind, better, level, dec, probe, lo, hi, req, scopes)       \
    [id] = {id,  key,   label, unit, kind, better, level,                                          \
            dec, probe, lo,    hi,   req,  scopes, PC_M_UDP_REACHABLE}

#define RUN    PC_SCOPE_BIT(PC_SCOPE_RUN)
#define PHASE  PC_SCOPE_BIT(PC_SCOPE_PHASE)
#define PATH   (RUN | PHASE | PC_SCOPE_BIT(PC_SCOPE_SERVER))
#define DEV    PC_SCOPE_BIT(PC_SCOPE_DEVICE)
#define STREAM PC_SCOPE_BIT(PC_SCOPE_STREAM)
#define FLOW   PC_SCOPE_BIT(PC_SCOPE_FLOW)
#define FILE_  PC_SCOPE_BIT(PC_SCOPE_FILE)
#define ALL3   PC_TIER_AUDIO /* required at hd, sd and audio */

#define MS_MAX   600000.0 /* ten minutes: no round trip or lookup is longer */
#define CNT_MAX  1e15
#define MBPS_MAX 1e6 /* a terabit per second */

static const struct pc_metric_def table[PC_M__COUNT] = {
    ROW(PC_M_ONLINE, "online", "Internet connection", "", PC_KIND_BOOL, PC_BETTER_HIGHER,
        PC_LEVEL_CHECK, 0, "udp", 0, 1, ALL3, RUN),
    ROW(PC_M_DNS_MS, "dns_ms", "Name lookup", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 1, "dns", 0, MS_MAX, 0, RUN),
    ROW(PC_M_UDP_REACHABLE, "udp_reachable", "UDP to media servers", "", PC_KIND_BOOL,
        PC_BETTER_HIGHER, PC_LEVEL_CHECK, 0, "udp", 0, 1, PC_TIER_HD, PATH),
    ROW(PC_M_PUBLIC_ADDRESS, "public_address", "Public address", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "udp", 0, 0, 0, RUN),
    ROW(PC_M_PUBLIC_PORT, "public_port", "Public port", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "udp", 0, 65535, 0, RUN),
    ROW(PC_M_NAT_MAPPING, "nat_mapping", "NAT mapping", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "udp", 0, 0, 0, RUN),
    OVER_UDP(PC_M_RTT_MEDIAN_MS, "rtt_median_ms", "Latency (round trip)", "ms", PC_KIND_NUMBER,
             PC_BETTER_LOWER, PC_LEVEL_CHECK, 1, "udp", 0, MS_MAX, ALL3, PATH),
    OVER_UDP(PC_M_RTT_MIN_MS, "rtt_min_ms", "Latency minimum", "ms", PC_KIND_NUMBER,
             PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    OVER_UDP(PC_M_RTT_P90_MS, "rtt_p90_ms", "Latency 90th percentile", "ms", PC_KIND_NUMBER,
             PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    OVER_UDP(PC_M_RTT_P99_MS, "rtt_p99_ms", "Latency 99th percentile", "ms", PC_KIND_NUMBER,
             PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    OVER_UDP(PC_M_RTT_MAX_MS, "rtt_max_ms", "Latency maximum", "ms", PC_KIND_NUMBER,
             PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    OVER_UDP(PC_M_JITTER_MS, "jitter_ms", "Jitter (round trip)", "ms", PC_KIND_NUMBER,
             PC_BETTER_LOWER, PC_LEVEL_CHECK, 1, "udp", 0, MS_MAX, ALL3, PATH),
    OVER_UDP(PC_M_JITTER_RFC3550_MS, "jitter_rfc3550_ms", "Jitter, RFC 3550 smoothed", "ms",
             PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    OVER_UDP(PC_M_PDV_P95_MS, "pdv_p95_ms", "Delay variation (p95 - min)", "ms", PC_KIND_NUMBER,
             PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "udp", 0, MS_MAX, 0, PATH),
    OVER_UDP(PC_M_LOSS_PCT, "loss_pct", "Packet loss", "%", PC_KIND_NUMBER, PC_BETTER_LOWER,
             PC_LEVEL_CHECK, 1, "udp", 0, 100, ALL3, PATH),
    OVER_UDP(PC_M_LOSS_LOW_PCT, "loss_low_pct", "Loss, 95% interval low", "%", PC_KIND_NUMBER,
             PC_BETTER_LOWER, PC_LEVEL_DETAIL, 2, "udp", 0, 100, 0, PATH),
    OVER_UDP(PC_M_LOSS_HIGH_PCT, "loss_high_pct", "Loss, 95% interval high", "%", PC_KIND_NUMBER,
             PC_BETTER_LOWER, PC_LEVEL_DETAIL, 2, "udp", 0, 100, 0, PATH),
    OVER_UDP(PC_M_BURST_LOSS_PCT, "burst_loss_pct", "Burst loss (worst 200 ms)", "%",
             PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_CHECK, 0, "udp", 0, 100, 0, PATH),
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
    OVER_UDP(PC_M_R_FACTOR, "r_factor", "Call quality (E-model R)", "", PC_KIND_NUMBER,
             PC_BETTER_HIGHER, PC_LEVEL_CHECK, 1, "udp", 0, 100, 0, PATH),
    OVER_UDP(PC_M_MOS, "mos", "Predicted voice quality (MOS)", "", PC_KIND_NUMBER, PC_BETTER_HIGHER,
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
    /* system */
    ROW(PC_M_LINK_KIND, "link_kind", "Connection type", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "system", 0, 0, 0, RUN),
    ROW(PC_M_LINK_INTERFACE, "link_interface", "Interface of the default route", "", PC_KIND_TEXT,
        PC_BETTER_NONE, PC_LEVEL_DETAIL, 0, "system", 0, 0, 0, RUN),
    ROW(PC_M_MTU_BYTES, "mtu_bytes", "Interface MTU", "bytes", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "system", 0, 1e6, 0, RUN),
    ROW(PC_M_LINK_SPEED_MBPS, "link_speed_mbps", "Wired link speed", "Mbit/s", PC_KIND_NUMBER,
        PC_BETTER_HIGHER, PC_LEVEL_DETAIL, 0, "system", 0, 1e7, 0, RUN),
    ROW(PC_M_WIFI_SIGNAL_DBM, "wifi_signal_dbm", "Wi-Fi signal", "dBm", PC_KIND_NUMBER,
        PC_BETTER_HIGHER, PC_LEVEL_INFO, 0, "system", -120, 0, 0, RUN),
    ROW(PC_M_WIFI_QUALITY_PCT, "wifi_quality_pct", "Wi-Fi link quality", "%", PC_KIND_NUMBER,
        PC_BETTER_HIGHER, PC_LEVEL_DETAIL, 0, "system", 0, 100, 0, RUN),
    ROW(PC_M_WIFI_BITRATE_MBPS, "wifi_bitrate_mbps", "Wi-Fi bit rate (transmit)", "Mbit/s",
        PC_KIND_NUMBER, PC_BETTER_HIGHER, PC_LEVEL_DETAIL, 1, "system", 0, 1e5, 0, RUN),
    ROW(PC_M_BATTERY_PCT, "battery_pct", "Battery", "%", PC_KIND_NUMBER, PC_BETTER_HIGHER,
        PC_LEVEL_INFO, 0, "system", 0, 100, 0, RUN),
    ROW(PC_M_ON_BATTERY, "on_battery", "Running on battery", "", PC_KIND_BOOL, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "system", 0, 1, 0, RUN),
    ROW(PC_M_CPU_COUNT, "cpu_count", "Processor cores", "", PC_KIND_COUNT, PC_BETTER_HIGHER,
        PC_LEVEL_CHECK, 0, "system", 0, 65536, 0, RUN),
    ROW(PC_M_CPU_LOAD_PCT, "cpu_load_pct", "Processor load (1 min average)", "%", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 0, "system", 0, 1e6, 0, RUN),
    ROW(PC_M_MEMORY_TOTAL_MIB, "memory_total_mib", "Memory", "MiB", PC_KIND_COUNT, PC_BETTER_HIGHER,
        PC_LEVEL_CHECK, 0, "system", 0, 1e9, 0, RUN),
    ROW(PC_M_MEMORY_AVAILABLE_MIB, "memory_available_mib", "Memory available", "MiB", PC_KIND_COUNT,
        PC_BETTER_HIGHER, PC_LEVEL_DETAIL, 0, "system", 0, 1e9, 0, RUN),
    /* devices */
    ROW(PC_M_CAMERA_COUNT, "camera_count", "Cameras found", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "devices", 0, 1000, 0, RUN),
    ROW(PC_M_MIC_COUNT, "mic_count", "Microphones found", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "devices", 0, 1000, 0, RUN),
    ROW(PC_M_SPEAKER_COUNT, "speaker_count", "Speakers found", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "devices", 0, 1000, 0, RUN),
    ROW(PC_M_DEVICE_NAME, "device_name", "Name", "", PC_KIND_TEXT, PC_BETTER_NONE, PC_LEVEL_DETAIL,
        0, "devices", 0, 0, 0, DEV),
    ROW(PC_M_DEVICE_DRIVER, "device_driver", "Driver", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "devices", 0, 0, 0, DEV),
    ROW(PC_M_DEVICE_BUS, "device_bus", "Bus", "", PC_KIND_TEXT, PC_BETTER_NONE, PC_LEVEL_DETAIL, 0,
        "devices", 0, 0, 0, DEV),
    ROW(PC_M_CAMERA_STATE, "camera_state", "Camera state", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "devices", 0, 0, 0, DEV),
    ROW(PC_M_CAMERA_VIDEO_HEIGHT_PX, "camera_video_height_px", "Camera video (height)", "px",
        PC_KIND_COUNT, PC_BETTER_HIGHER, PC_LEVEL_CHECK, 0, "devices", 0, 100000, 0, DEV),
    ROW(PC_M_CAMERA_MAX_WIDTH_PX, "camera_max_width_px", "Largest size at 15 fps, width", "px",
        PC_KIND_COUNT, PC_BETTER_HIGHER, PC_LEVEL_DETAIL, 0, "devices", 0, 100000, 0, DEV),
    ROW(PC_M_CAMERA_MAX_HEIGHT_PX, "camera_max_height_px", "Largest size at 15 fps, height", "px",
        PC_KIND_COUNT, PC_BETTER_HIGHER, PC_LEVEL_DETAIL, 0, "devices", 0, 100000, 0, DEV),
    ROW(PC_M_CAMERA_FORMATS, "camera_formats", "Formats and sizes", "", PC_KIND_TEXT,
        PC_BETTER_NONE, PC_LEVEL_DETAIL, 0, "devices", 0, 0, 0, DEV),
    ROW(PC_M_CAMERA_LUMA, "camera_luma", "Picture brightness (0-255)", "", PC_KIND_NUMBER,
        PC_BETTER_NONE, PC_LEVEL_INFO, 0, "devices", 0, 255, 0, DEV),
    ROW(PC_M_CAMERA_BACKLIGHT_RATIO, "camera_backlight_ratio",
        "Face brightness against the background", "", PC_KIND_NUMBER, PC_BETTER_HIGHER,
        PC_LEVEL_DETAIL, 2, "devices", 0, 256, 0, DEV),
    ROW(PC_M_CAMERA_BACKLIT, "camera_backlit", "Bright light behind you", "", PC_KIND_BOOL,
        PC_BETTER_NONE, PC_LEVEL_INFO, 0, "devices", 0, 1, 0, DEV),
    ROW(PC_M_MIC_STATE, "mic_state", "Microphone state", "", PC_KIND_TEXT, PC_BETTER_NONE,
        PC_LEVEL_INFO, 0, "devices", 0, 0, 0, DEV),
    ROW(PC_M_MIC_PRESENT, "mic_present", "Microphone", "", PC_KIND_BOOL, PC_BETTER_HIGHER,
        PC_LEVEL_CHECK, 0, "devices", 0, 1, 0, DEV),
    ROW(PC_M_MIC_HEARS_SOUND, "mic_hears_sound", "Microphone picks up sound", "", PC_KIND_BOOL,
        PC_BETTER_HIGHER, PC_LEVEL_CHECK, 0, "devices", 0, 1, 0, DEV),
    ROW(PC_M_MIC_PEAK_DBFS, "mic_peak_dbfs", "Microphone peak level", "dBFS", PC_KIND_NUMBER,
        PC_BETTER_NONE, PC_LEVEL_DETAIL, 1, "devices", -120, 0, 0, DEV),
    ROW(PC_M_MIC_RMS_DBFS, "mic_rms_dbfs", "Microphone level (RMS)", "dBFS", PC_KIND_NUMBER,
        PC_BETTER_NONE, PC_LEVEL_INFO, 1, "devices", -120, 0, 0, DEV),
    ROW(PC_M_MIC_CLIPPED_PCT, "mic_clipped_pct", "Samples at full scale (clipping)", "%",
        PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_DETAIL, 2, "devices", 0, 100, 0, DEV),
    ROW(PC_M_ROOM_NOISE_DBFS, "room_noise_dbfs", "Room background noise", "dBFS", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_INFO, 1, "devices", -120, 0, 0, DEV),
    ROW(PC_M_SPEAKER_PRESENT, "speaker_present", "Speaker or headphones", "", PC_KIND_BOOL,
        PC_BETTER_HIGHER, PC_LEVEL_INFO, 0, "devices", 0, 1, 0, DEV),
    ROW(PC_M_HTTPS_REACHABLE, "https_reachable", "Secure web (HTTPS, TCP port 443)", "",
        PC_KIND_BOOL, PC_BETTER_HIGHER, PC_LEVEL_INFO, 0, "http", 0, 1, 0, RUN),
    ROW(PC_M_HTTP_CONNECT_MS, "http_connect_ms", "TCP connect", "ms", PC_KIND_NUMBER,
        PC_BETTER_LOWER, PC_LEVEL_DETAIL, 1, "http", 0, MS_MAX, 0, RUN),
    ROW(PC_M_TLS_MS, "tls_ms", "TLS handshake", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 1, "http", 0, MS_MAX, 0, RUN),
    ROW(PC_M_TTFB_MS, "ttfb_ms", "Time to first byte", "ms", PC_KIND_NUMBER, PC_BETTER_LOWER,
        PC_LEVEL_DETAIL, 1, "http", 0, MS_MAX, 0, RUN),
    ROW(PC_M_DOWNLOAD_MBPS, "download_mbps", "Download speed", "Mbit/s", PC_KIND_NUMBER,
        PC_BETTER_HIGHER, PC_LEVEL_CHECK, 1, "bandwidth", 0, MBPS_MAX, 0, RUN),
    ROW(PC_M_UPLOAD_MBPS, "upload_mbps", "Upload speed", "Mbit/s", PC_KIND_NUMBER, PC_BETTER_HIGHER,
        PC_LEVEL_CHECK, 1, "bandwidth", 0, MBPS_MAX, 0, RUN),
    ROW(PC_M_DOWNLOAD_P90_MBPS, "download_p90_mbps", "Download, 90th percentile", "Mbit/s",
        PC_KIND_NUMBER, PC_BETTER_HIGHER, PC_LEVEL_DETAIL, 1, "bandwidth", 0, MBPS_MAX, 0, RUN),
    ROW(PC_M_UPLOAD_P90_MBPS, "upload_p90_mbps", "Upload, 90th percentile", "Mbit/s",
        PC_KIND_NUMBER, PC_BETTER_HIGHER, PC_LEVEL_DETAIL, 1, "bandwidth", 0, MBPS_MAX, 0, RUN),
    ROW(PC_M_BANDWIDTH_BYTES, "bandwidth_bytes", "Data used by the speed test", "bytes",
        PC_KIND_COUNT, PC_BETTER_NONE, PC_LEVEL_INFO, 0, "bandwidth", 0, CNT_MAX, 0, RUN | PHASE),
    ROW(PC_M_STREAMS, "streams", "Parallel transfers", "", PC_KIND_COUNT, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "bandwidth", 0, 1000, 0, RUN | PHASE),
    ROW(PC_M_TRANSFER_MS, "transfer_ms", "Transfer time", "ms", PC_KIND_NUMBER, PC_BETTER_NONE,
        PC_LEVEL_DETAIL, 0, "bandwidth", 0, MS_MAX, 0, RUN | PHASE),
    ROW(PC_M_THROUGHPUT_MBPS, "throughput_mbps", "Throughput per 100 ms", "Mbit/s", PC_KIND_NUMBER,
        PC_BETTER_HIGHER, PC_LEVEL_SERIES, 2, "bandwidth", 0, MBPS_MAX, 0, PHASE),
    OVER_UDP(PC_M_BUFFERBLOAT_MS, "bufferbloat_ms", "Delay added under load (bufferbloat)", "ms",
             PC_KIND_NUMBER, PC_BETTER_LOWER, PC_LEVEL_CHECK, 1, "bandwidth", 0, MS_MAX, 0, RUN),
    ROW(PC_M_BUFFERBLOAT_GRADE, "bufferbloat_grade", "Bufferbloat grade", "", PC_KIND_TEXT,
        PC_BETTER_NONE, PC_LEVEL_INFO, 0, "bandwidth", 0, 0, 0, RUN),
};

static const struct pc_scope_kind_def kinds[PC_SCOPE__COUNT] = {
    [PC_SCOPE_RUN] = {PC_SCOPE_RUN, "run", 1, 1, "", 0, NULL},
    [PC_SCOPE_PHASE] = {PC_SCOPE_PHASE, "phase", 1, 1, "during", 0, NULL},
    [PC_SCOPE_SERVER] = {PC_SCOPE_SERVER, "server", 0, 1, "to", 0, NULL},
    [PC_SCOPE_STREAM] = {PC_SCOPE_STREAM, "stream", 1, 1, "in", 1, "RTP streams"},
    [PC_SCOPE_FLOW] = {PC_SCOPE_FLOW, "flow", 0, 1, "in", 1, "TCP flows"},
    [PC_SCOPE_DEVICE] = {PC_SCOPE_DEVICE, "device", 1, 0, "of", 1, "Devices"},
    [PC_SCOPE_FILE] = {PC_SCOPE_FILE, "file", 0, 1, "in", 1, "Input"},
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
