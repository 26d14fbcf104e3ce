/*
 * analyzer.h - the analyzer's state, shared by its files: streams.c (the
 * per-frame work and the tables), report.c (writing the report) and
 * pcapio.c (reading captures). Not a public interface.
 */
#ifndef PRECALL_ANALYZE_ANALYZER_H
#define PRECALL_ANALYZE_ANALYZER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "precall/analyze.h"
#include "precall/rtp.h"

#define N_RATES       7 /* clock rates tried while a stream's rate is unknown */
#define PENDING_NEED  4 /* distinct sequence numbers that confirm a stream */
#define PENDING_MAX   8 /* packets held until then (duplicates among them) */
#define STREAMS_MAX   65536
#define FLOWS_MAX     (1u << 20)
#define SSRC_INFO_MAX 65536
#define FILES_MAX     256

struct pc_tcpframes;
struct pc_sipmedia;
struct pc_sipframe;

struct hindex {
    uint32_t *slot; /* index + 1, 0 empty */
    size_t cap, n;
};

struct flowkey {
    uint8_t family, proto;
    uint16_t sport, dport;
    uint8_t src[16], dst[16];
};

struct udpflow {
    struct flowkey k;
    int context; /* STUN or RTCP seen on it or its reverse */
    uint64_t packets;
};

struct tcpflow {
    struct flowkey k;
    int started;
    uint32_t next_seq;
    uint64_t segments, retrans, bytes;
    int64_t first_ns, last_ns;
};

enum via { VIA_DIRECT, VIA_CHANNEL, VIA_INDICATION };

/*
 * The key of a stream, hashed and compared as bytes: it has no padding (the
 * asserts below), and every key is built by stream_key() in streams.c,
 * which zeroes it first, the spare bytes included.
 */
struct skey {
    uint32_t flow;
    uint32_t ssrc;
    uint16_t channel, peer_port;
    uint8_t via, peer_family;
    uint8_t spare[2]; /* always 0 */
    uint8_t peer[16];
};
_Static_assert(sizeof(struct skey) == 4 + 4 + 2 + 2 + 1 + 1 + 2 + 16, "struct skey has padding");
_Static_assert(sizeof(struct flowkey) == 1 + 1 + 2 + 2 + 16 + 16, "struct flowkey has padding");

struct pend {
    int64_t t_ns;
    uint32_t epoch; /* the analyzer's clock_epoch when it arrived */
    uint32_t ts, bytes;
    uint16_t seq;
    uint8_t marker, pt;
    uint8_t padding_only; /* RFC 3550 5.1: padding and no payload */
};

struct jit {
    struct pc_rtp_jitter j;
    double sum, max;
    uint64_t n;
    /* the largest gap beyond what the timestamps explain, at this clock rate */
    double excess_max_ms;
    int64_t excess_at_ns;
};

struct second {
    uint32_t recv, expected, bytes;
    float jitter[N_RATES];
};

struct stream {
    struct skey k;
    int confirmed;
    int n_pend;
    struct pend pend[PENDING_MAX];
    unsigned pt;
    int n_rates;
    unsigned rate[N_RATES];
    const char *clock_source; /* "option", "static" */
    struct pc_rtp_seq seq;
    struct jit jit[N_RATES];
    int64_t first_ns, last_ns;
    uint64_t bytes;
    double gap_max_ms;
    int64_t gap_at_ns;
    uint8_t last_marker;   /* the marker bit of the last packet accounted */
    uint64_t padding_only; /* packets that carry only padding (bandwidth probes) */
    uint64_t other_pt;     /* packets of another payload type than the stream's (events, FEC) */
    uint64_t segments;     /* timestamp restarts: the stream has segments + 1 */
    uint32_t step_min;     /* the smallest timestamp step between consecutive packets */
    uint64_t silence_ts;   /* timestamp units the sender was silent (steps of 2 or more frames) */
    uint32_t epoch;        /* clock_epoch of the last packet accounted */
    /* timestamp progression, for a rate learned from the stream itself */
    int64_t ts_ext;
    uint32_t ts_last;
    /* timeline: one entry per second since sec0 */
    int64_t sec0, cur_sec;
    uint32_t ext_closed; /* ext_max when the last second closed */
    struct second cur;
    struct second *secs;
    size_t n_secs, cap_secs;
};

/* A sender report seen: the middle 32 bits of its NTP time (RFC 3550 6.4.1 LSR) and when. */
struct sr_seen {
    uint32_t lsr;
    uint32_t epoch; /* the analyzer's clock_epoch when it arrived */
    int64_t t_ns;
};

#define SR_KEPT 8 /* sender reports of one SSRC remembered for the LSR of later reports */

struct ssrc_info {
    uint32_t ssrc;
    uint64_t rr_count;
    double rr_fraction_max; /* 0..1 */
    uint32_t rr_jitter_max; /* RTP timestamp units */
    uint64_t sr_count;
    uint64_t sr_ntp_first, sr_ntp_last;
    uint32_t sr_ts_first, sr_ts_last;
    struct sr_seen sr_seen[SR_KEPT];
    unsigned sr_next;
    /*
     * Round trips from reception reports about this SSRC that answer one of
     * its sender reports: capture time of the report, less that of the
     * sender report it names (LSR), less the reporter's delay (DLSR).
     */
    uint32_t rtt_reporter; /* the SSRC that sent the last such report */
    uint64_t rtt_n;
    double rtt_sum_ms, rtt_max_ms;
};

struct capfile {
    char *path;
    const char *format;
    char link[32];
    uint64_t frames;
    char error[300];
    int damaged;       /* empty, not a capture, or damaged part-way (not: cannot be opened) */
    int have_id, same; /* dev and ino known; the same file as an earlier input (not read) */
    dev_t dev;
    ino_t ino;
    uint64_t clock_jumps; /* see PC_CLOCK_JUMP_BACK_NS in precall/analyze.h */
    uint64_t jump_frame;  /* the frame (from 1) after the first jump */
    int64_t jump_ns;      /* and the step there: negative backwards */
};

struct pc_analyzer {
    struct pc_analyze_opts opts;
    uint64_t frames, fragments, cut, other, untracked;
    int64_t first_ns, last_ns;
    struct udpflow *udp;
    size_t n_udp, cap_udp;
    struct hindex udp_ix;
    struct tcpflow *tcp;
    size_t n_tcp, cap_tcp;
    struct hindex tcp_ix;
    struct stream *streams;
    size_t n_streams, cap_streams;
    struct hindex stream_ix;
    struct ssrc_info *ssrcs;
    size_t n_ssrcs, cap_ssrcs;
    struct hindex ssrc_ix;
    struct capfile files[FILES_MAX];
    size_t n_files;
    /* the capture's clock: frames are moved by clock_offset_ns past each jump */
    int have_prev;
    int64_t prev_ns, clock_offset_ns;
    uint32_t clock_epoch; /* jumps so far: a stream that sees it change starts afresh */
    int oom;
    struct pc_tcpframes *tcpframes; /* TURN framing on TCP flows (tcpframe.c), NULL until one */
    struct pc_sipmedia *sipmedia;   /* media signalled by SIP/SDP (sipmedia.c), NULL until one */
    struct pc_sipframe *sipframe; /* SIP over TCP put back together (sipframe.c), NULL until one */
};

/* streams.c */
void pc_stream_key(struct skey *k, uint32_t flow);
/* k becomes the key of the media a TURN Data indication carries (its peer), over UDP or TCP. */
void pc_stream_key_indication(struct skey *k, const struct pc_turn_indication *ti);
void pc_stream_close_second(struct stream *s, int64_t upto_sec);
struct ssrc_info *pc_analyzer_ssrc(struct pc_analyzer *a, uint32_t ssrc, int create);
/* At the end of the input: the candidates still held with two or more distinct sequence
 * numbers become streams (too short to judge, but listed: 2 or 3 packets of a call). */
void pc_streams_confirm_short(struct pc_analyzer *a);

#endif
