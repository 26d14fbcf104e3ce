/*
 * metrics.h - the one metric table.
 *
 * Every number, flag and text a check measures has one row here: its JSON
 * key (with the unit in the name), a label for people, a description (what
 * it is and how it is measured), its unit, how it is shown, what produces it
 * and which direction is better. A row also says in which kinds of scope the
 * metric may appear. The table drives the text and JSON renderers, the JSON
 * keys, the profile keys and the JSON Schema's metric sections, which are
 * generated from it (src/tools/gen_schema.c); no renderer names a metric by
 * hand.
 *
 * Which keys a report carries follows from the table too: a command
 * measures through a set of producers (struct pc_command_def), and its report
 * carries a metric in a scope when the row's producer is one of them and the
 * row allows the scope's kind. Notes (struct pc_note_def) belong to the
 * metrics they explain. A new metric is one enum entry, one row and one
 * setter call in its producer.
 */
#ifndef PRECALL_METRICS_H
#define PRECALL_METRICS_H

#include <stddef.h>

enum pc_metric {
    PC_M_ONLINE,
    PC_M_DNS_MS,
    PC_M_UDP_REACHABLE,
    PC_M_PUBLIC_ADDRESS,
    PC_M_PUBLIC_PORT,
    PC_M_NAT_MAPPING,
    PC_M_RTT_MEDIAN_MS,
    PC_M_DELAY_ONEWAY_MS, /* derived: half the idle round trip */
    PC_M_RTT_MIN_MS,
    PC_M_RTT_P90_MS,
    PC_M_RTT_P99_MS,
    PC_M_RTT_MAX_MS,
    PC_M_JITTER_MS,
    PC_M_JITTER_RFC3550_MS,
    PC_M_PDV_P95_MS,
    PC_M_LOSS_PCT,
    PC_M_LOSS_LOW_PCT,
    PC_M_LOSS_HIGH_PCT,
    PC_M_LOSS_ONEWAY_PCT, /* derived: the one-way estimate the media limits judge */
    PC_M_LOSS_ONEWAY_LOW_PCT,
    PC_M_LOSS_ONEWAY_HIGH_PCT,
    PC_M_BURST_LOSS_PCT,
    PC_M_BURST_LOSS_ONEWAY_PCT,
    PC_M_PROBES_SENT,
    PC_M_PROBES_ANSWERED,
    PC_M_PROBES_LOST,
    PC_M_LATE,
    PC_M_DUPLICATES,
    PC_M_REORDERED,
    PC_M_IGNORED,
    PC_M_SEND_FAILED,
    PC_M_R_FACTOR,
    PC_M_MOS,
    PC_M_RTT_MS,
    /* a stream of a capture: one-way figures, never scored against the round-trip limits */
    PC_M_STREAM_LOSS_PCT,
    PC_M_STREAM_WORST_SECOND_LOSS_PCT,
    PC_M_STREAM_JITTER_MS,
    PC_M_STREAM_GAP_MAX_MS,
    PC_M_STREAM_MEDIA,
    PC_M_STREAM_DIRECTION,
    PC_M_STREAM_BITRATE_KBPS,
    PC_M_STREAM_SSRC,
    PC_M_STREAM_PAYLOAD_TYPE,
    PC_M_STREAM_CLOCK_HZ,
    PC_M_STREAM_CLOCK_SOURCE,
    PC_M_STREAM_SOURCE,
    PC_M_STREAM_DESTINATION,
    PC_M_STREAM_RELAY,
    PC_M_STREAM_DURATION_S,
    PC_M_STREAM_PACKETS,
    PC_M_STREAM_EXPECTED,
    PC_M_STREAM_LOST,
    PC_M_STREAM_DUPLICATES,
    PC_M_STREAM_REORDERED,
    PC_M_STREAM_SEQ_ERRORS,
    PC_M_STREAM_JITTER_MAX_MS,
    PC_M_RTCP_RR_REPORTS,
    PC_M_RTCP_RR_LOSS_PCT,
    PC_M_RTCP_RR_JITTER_MS,
    PC_M_STREAM_RTT_MS,
    PC_M_STREAM_RTT_REPORTS,
    PC_M_STREAM_DELAY,
    PC_M_STREAM_GAP_EXCESS_MS,
    PC_M_STREAM_NOT_JUDGED,
    PC_M_STREAM_PADDING_PACKETS,
    PC_M_STREAM_SEGMENTS,
    PC_M_STREAM_OTHER_PT_PACKETS,
    PC_M_STREAM_SILENCE_S,
    PC_M_STREAM_CODEC,
    PC_M_STREAM_DROPOUT_AT,
    /* a TCP flow of a capture */
    PC_M_TCP_RETRANS_PCT,
    PC_M_TCP_SEGMENTS,
    PC_M_TCP_RETRANS,
    PC_M_TCP_SOURCE,
    PC_M_TCP_DESTINATION,
    /* an input file */
    PC_M_CAPTURE_PACKETS,
    PC_M_CAPTURE_FORMAT,
    PC_M_CAPTURE_LINK,
    PC_M_CAPTURE_ERROR,
    /* system: the host */
    PC_M_LINK_KIND,
    PC_M_LINK_INTERFACE,
    PC_M_MTU_BYTES,
    PC_M_LINK_SPEED_MBPS,
    PC_M_WIFI_SIGNAL_DBM,
    PC_M_WIFI_QUALITY_PCT,
    PC_M_WIFI_BITRATE_MBPS,
    PC_M_BATTERY_PCT,
    PC_M_ON_BATTERY,
    PC_M_CPU_COUNT,
    PC_M_CPU_LOAD_PCT,
    PC_M_MEMORY_TOTAL_MIB,
    PC_M_MEMORY_AVAILABLE_MIB,
    /* devices: cameras, microphones, speakers */
    PC_M_CAMERA_COUNT,
    PC_M_MIC_COUNT,
    PC_M_SPEAKER_COUNT,
    PC_M_DEVICE_NAME,
    PC_M_DEVICE_DRIVER,
    PC_M_DEVICE_BUS,
    PC_M_CAMERA_STATE,
    PC_M_CAMERA_VIDEO_HEIGHT_PX,
    PC_M_CAMERA_MAX_WIDTH_PX,
    PC_M_CAMERA_MAX_HEIGHT_PX,
    PC_M_CAMERA_FORMATS,
    PC_M_CAMERA_LUMA,
    PC_M_CAMERA_BACKLIGHT_RATIO,
    PC_M_CAMERA_BORDER_LUMA,
    PC_M_CAMERA_BACKLIT,
    PC_M_MIC_STATE,
    PC_M_MIC_PRESENT,
    PC_M_MIC_HEARS_SOUND,
    PC_M_MIC_PEAK_DBFS,
    PC_M_MIC_RMS_DBFS,
    PC_M_MIC_CLIPPED_PCT,
    PC_M_ROOM_NOISE_DBFS,
    PC_M_SPEAKER_PRESENT,
    PC_M_HTTPS_REACHABLE,
    PC_M_HTTP_CONNECT_MS,
    PC_M_TLS_MS,
    PC_M_TTFB_MS,
    PC_M_DOWNLOAD_MBPS,
    PC_M_UPLOAD_MBPS,
    PC_M_DOWNLOAD_P90_MBPS,
    PC_M_UPLOAD_P90_MBPS,
    PC_M_BANDWIDTH_BYTES,
    PC_M_STREAMS,
    PC_M_TRANSFER_MS,
    PC_M_THROUGHPUT_MBPS,
    PC_M_BUFFERBLOAT_MS,
    PC_M_BUFFERBLOAT_GRADE,
    PC_M_UDP_REACHABLE_IPV4,
    PC_M_UDP_REACHABLE_IPV6,
    /* traffic: other traffic on the connection during the check */
    PC_M_OTHER_DOWN_MBPS,
    PC_M_OTHER_UP_MBPS,
    PC_M_OTHER_FLOWS,
    PC_M_OTHER_TRAFFIC_SOURCE,
    PC_M_OTHER_FLOW_FAR_END,
    PC_M_OTHER_FLOW_PROTOCOL,
    PC_M_OTHER_FLOW_LOCAL_PORT,
    PC_M_OTHER_FLOW_WHERE,
    PC_M_OTHER_FLOW_PROCESS,
    /* turn: the relay check, per relay and transport (server scopes) and the best in the run */
    PC_M_RELAY_REACHABLE,
    PC_M_RELAY_TRANSPORT,
    PC_M_RELAY_ALLOCATE_MS,
    PC_M_RELAY_ADDRESS,
    PC_M_RELAY_RTT_MS,
    PC_M_RELAY_JITTER_MS,
    PC_M_RELAY_LOSS_PCT,
    PC_M_RELAY_VIDEO_LOSS_PCT,
    PC_M_RELAY_ERROR,
    /* system, again: the Wi-Fi network's name */
    PC_M_WIFI_SSID,
    /* a capture's stream seen on both sides of a relay (analyze/scopes.c) */
    PC_M_STREAM_RELAY_LEG,
    PC_M_STREAM_OTHER_LEG,
    PC_M_STREAM_FIRST_LEG_LOST,
    PC_M_STREAM_LAST_HOP_LOST,
    PC_M_STREAM_LOSS_SIDE,
    PC_M_RELAY_LOSS_ONEWAY_PCT, /* the relay's loop loss as a one-way estimate (four legs) */
    /* traffic: other traffic during the speed test (precall's own left out) */
    PC_M_OTHER_SPEED_DOWN_MBPS,
    PC_M_OTHER_SPEED_UP_MBPS,
    PC_M__COUNT
};

/*
 * What measures a metric: a probe of 'check' and 'devices' (the name is the
 * probe's), or a part of the capture analysis of 'analyze' and 'capture'.
 */
enum pc_producer {
    PC_PRODUCER_UDP,       /* STUN round trips over UDP */
    PC_PRODUCER_DNS,       /* name lookups */
    PC_PRODUCER_HTTP,      /* HTTPS reachability and timings */
    PC_PRODUCER_BANDWIDTH, /* the speed test and latency under load */
    PC_PRODUCER_SYSTEM,    /* the host: link, power, processor, memory */
    PC_PRODUCER_DEVICES,   /* cameras, microphones, speakers */
    PC_PRODUCER_RTP,       /* capture analysis: RTP streams and RTCP */
    PC_PRODUCER_TCP,       /* capture analysis: TCP flows */
    PC_PRODUCER_CAPTURE,   /* capture analysis: the input itself */
    PC_PRODUCER_TRAFFIC,   /* other traffic on the connection (live capture) */
    PC_PRODUCER_TURN,      /* the relay check: TURN allocations and media through them */
    PC_PRODUCER__COUNT
};

#define PC_PRODUCER_BIT(p) (1u << (p))

/* "udp", "dns", ... "capture": the probe's name where a probe produces it. */
const char *pc_producer_name(enum pc_producer p);

/*
 * The kinds of scope a value can belong to (see precall/report.h). Whether
 * a scope's tier counts towards the verdict follows from its kind.
 */
enum pc_scope_kind {
    PC_SCOPE_RUN,        /* the whole run */
    PC_SCOPE_PHASE,      /* idle, download, upload */
    PC_SCOPE_SERVER,     /* one server, for comparison */
    PC_SCOPE_STREAM,     /* an RTP stream of a capture */
    PC_SCOPE_FLOW,       /* a TCP flow of a capture */
    PC_SCOPE_DEVICE,     /* a camera, microphone or speaker */
    PC_SCOPE_FILE,       /* an input file */
    PC_SCOPE_OTHER_FLOW, /* a flow of other traffic seen during a check */
    PC_SCOPE__COUNT
};

#define PC_SCOPE_BIT(k) (1u << (k))

struct pc_scope_kind_def {
    enum pc_scope_kind kind;
    const char *name;     /* JSON: "run", "phase", "server", ... */
    int gates;            /* its tier counts towards the verdict */
    int unmeasured_gates; /* a metric its probe could not measure holds it at none (a
                             device scope is scored only on what was measured of it:
                             what a device lacks is recorded as a value) */
    const char *in;       /* how a limiting metric names it: "during", "to", "in" */
    int listed;           /* the default text report lists each scope of this kind */
    const char *title;    /* the heading of that list: "RTP streams", "Devices" */
};

const struct pc_scope_kind_def *pc_scope_kind_def(enum pc_scope_kind k);

enum pc_metric_kind {
    PC_KIND_NUMBER, /* a measured quantity (double) */
    PC_KIND_COUNT,  /* a whole number of events */
    PC_KIND_BOOL,   /* yes / no */
    PC_KIND_TEXT    /* a short string */
};

enum pc_better {
    PC_BETTER_NONE,  /* informational */
    PC_BETTER_LOWER, /* passes when value <= threshold */
    PC_BETTER_HIGHER /* passes when value >= threshold */
};

enum pc_metric_level {
    PC_LEVEL_CHECK,  /* one line of the default text report */
    PC_LEVEL_INFO,   /* shown in the default report below the checks */
    PC_LEVEL_DETAIL, /* shown with -v, always in JSON */
    PC_LEVEL_SERIES  /* only ever a time series (rtt_ms), never a single value */
};

struct pc_metric_def {
    enum pc_metric id;
    const char *key;         /* JSON and profile key, unit in the name */
    const char *label;       /* for people: "Latency (round trip)" */
    const char *description; /* one sentence: what it is and how it is measured */
    const char *unit;        /* display unit: "ms", "%", "" */
    enum pc_metric_kind kind;
    enum pc_better better;
    enum pc_metric_level level;
    int decimals;               /* digits after the point in text */
    enum pc_producer producer;  /* what measures it */
    double lo, hi;              /* the values it can take; profile limits must lie within */
    int required;               /* a profile must limit it at hd and at every tier down to this
                                   one: PC_TIER_AUDIO all three, PC_TIER_HD hd alone (a failure
                                   then caps the verdict at sd); 0: need not limit it */
    unsigned scopes;            /* PC_SCOPE_BIT()s of the scope kinds it may appear in */
    enum pc_metric needs;       /* the yes/no path it is measured over (PC_M_ONLINE: the
                                   internet at all). When that path was measured closed in a
                                   scope, this metric, unmeasured there, does not gate: the
                                   path's own check decides (UDP blocked caps at what the
                                   profile says for udp_reachable, not at "not measured"). */
    enum pc_metric zero_is;     /* a TEXT metric of the same scope that says why the value is 0
                                   (camera_state: "missing", "busy"): shown as "none (missing)"
                                   rather than "0 px"; 0 (PC_M_ONLINE): none */
    const char *const *choices; /* TEXT: the values it takes, NULL-terminated; NULL: any text */
    enum pc_metric limits_of;   /* the profile key whose limits judge it: loss_oneway_pct is
                                   judged by the profile's loss_pct (the media limits, per
                                   direction); 0 (PC_M_ONLINE): its own key */
    int lends;                  /* its profile limits judge another metric (limits_of), so the
                                   figure itself is reported, never judged: loss_pct */
    enum pc_metric when;        /* where the report says in which second the figure was made:
                                   the worst point of this metric's series in the same scope
                                   (a NUMBER metric), or the time a TEXT metric holds (the
                                   largest dropout's); 0 (PC_M_ONLINE): nowhere */
};

/* The profile key whose limits judge metric m (its own unless the row says limits_of). */
enum pc_metric pc_metric_limit_key(enum pc_metric m);

const struct pc_metric_def *pc_metric_def(enum pc_metric id);

/* A value with its unit as people read it: "8.3 %", "23.4 ms", "yes". */
void pc_metric_format(const struct pc_metric_def *d, double v, char *buf, unsigned long cap);

/* A limit as check lines and advice quote it: "<= 20 ms", ">= 2.5 Mbit/s", "yes". */
void pc_metric_format_limit(const struct pc_metric_def *d, double v, char *buf, unsigned long cap);

/* The row with this key, or NULL. */
const struct pc_metric_def *pc_metric_find(const char *key);

/* A command that writes a report, and what it measures with. */
struct pc_command_def {
    const char *name;   /* "check", "devices", "analyze", "capture" (the report's "command") */
    unsigned producers; /* PC_PRODUCER_BIT()s */
};

/* The i-th command, or NULL past the last. */
const struct pc_command_def *pc_command_at(size_t i);

/* The command of this name, or NULL. */
const struct pc_command_def *pc_command_find(const char *name);

/*
 * Does the report of command c carry metric m in a scope of kind k (as a key
 * of its "metrics", or of its "series" for a series metric)? A NULL command
 * carries every metric the kind allows.
 */
int pc_metric_carried(const struct pc_command_def *c, enum pc_metric m, enum pc_scope_kind k);

#define PC_NOTE_ABOUT_MAX 4

/*
 * A note of the report: one sentence on how to read figures it carries. It
 * is shown when one of the metrics it is about was measured in some scope;
 * so it belongs to the commands that carry those metrics.
 */
struct pc_note_def {
    const char *text;
    enum pc_metric about[PC_NOTE_ABOUT_MAX];
    int n_about;
};

/* The i-th note, or NULL past the last. */
const struct pc_note_def *pc_note_at(size_t i);

/* Can a report of command c carry note n (does it carry a metric the note is about)? */
int pc_note_possible(const struct pc_command_def *c, const struct pc_note_def *n);

#endif
