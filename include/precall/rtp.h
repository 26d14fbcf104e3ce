/*
 * rtp.h - RTP, RTCP and TURN framing codecs (RFC 3550, RFC 5761, RFC 8656),
 * and the per-source statistics of RFC 3550 appendix A.
 *
 * Pure functions on byte buffers: no sockets, no I/O, no allocation. The
 * caller owns every buffer and every struct; decoders read untrusted bytes
 * only through the bounds-checked reader of src/proto/reader.h and never
 * past buf + len. A decoder returns 0, or PC_EDATA for bytes that are not
 * what it decodes (then its output is zeroed).
 */
#ifndef PRECALL_RTP_H
#define PRECALL_RTP_H

#include <stddef.h>
#include <stdint.h>

/* The fixed RTP header and what follows it (RFC 3550 5.1, 5.3.1). */
struct pc_rtp_hdr {
    unsigned version, padding, extension, csrc_count, marker, payload_type;
    uint16_t seq;
    uint32_t timestamp, ssrc;
    size_t header_bytes;  /* fixed header, CSRC list and header extension */
    size_t payload_bytes; /* without the header and the padding */
};

int pc_rtp_parse(const uint8_t *p, size_t len, struct pc_rtp_hdr *h);

/*
 * RFC 5761 4: on a port shared by RTP and RTCP, a packet whose second octet
 * (marker bit and payload type together) is 192..223 is RTCP. 1 for RTCP.
 */
int pc_rtp_is_rtcp(const uint8_t *p, size_t len);

/* The static payload types of RFC 3551 6: clock rate in Hz, 0 when unknown or dynamic. */
unsigned pc_rtp_static_clock(unsigned pt);
/* The encoding name of a static payload type (RFC 3551 tables 4, 5: "PCMU"), NULL when none. */
const char *pc_rtp_static_name(unsigned pt);
/* 1 when the static payload type is video (RFC 3551 table 5), 0 audio or unknown. */
int pc_rtp_static_video(unsigned pt);

/* One reception report block (RFC 3550 6.4.1). */
struct pc_rtcp_block {
    uint32_t reporter; /* SSRC of the packet's sender */
    uint32_t ssrc;     /* the source it reports on */
    uint8_t fraction_lost;
    int32_t cumulative_lost; /* 24-bit signed */
    uint32_t ext_highest_seq, jitter, lsr, dlsr;
};

#define PC_RTCP_BLOCKS_MAX 31

/* What a compound RTCP packet says (RFC 3550 6.1, 6.4.1 SR, 6.4.2 RR). */
struct pc_rtcp_info {
    int n_packets; /* RTCP packets in the compound */
    int has_sr;
    uint32_t sr_ssrc;
    uint64_t sr_ntp; /* NTP timestamp, 32.32 fixed point */
    uint32_t sr_rtp_ts, sr_packets, sr_octets;
    size_t n_blocks;
    struct pc_rtcp_block blocks[PC_RTCP_BLOCKS_MAX];
};

/* Parse a compound RTCP packet: every packet must be version 2 and fit (6.4.1 length). */
int pc_rtcp_parse(const uint8_t *p, size_t len, struct pc_rtcp_info *out);

/*
 * TURN ChannelData (RFC 8656 12.4): channel number 0x4000..0x4FFF, 16-bit
 * length, data (padding to 4 bytes over a stream transport is allowed).
 */
int pc_turn_channel_data(const uint8_t *p, size_t len, uint16_t *channel, const uint8_t **data,
                         size_t *data_len);

/* A Send or Data indication (RFC 8656 11): its peer and its DATA attribute. */
struct pc_turn_indication {
    int is_data; /* 1 Data (server to client), 0 Send (client to server) */
    int family;  /* 4 or 6, 0 without XOR-PEER-ADDRESS */
    uint16_t peer_port;
    uint8_t peer_addr[16];
    const uint8_t *data; /* points into the buffer */
    size_t data_len;
};

int pc_turn_indication(const uint8_t *p, size_t len, struct pc_turn_indication *out);

/* 1 when the bytes begin like a STUN message (RFC 8489 5: zero bits, magic cookie). */
int pc_rtp_looks_stun(const uint8_t *p, size_t len);

/*
 * Sequence-number state of one source (RFC 3550 A.1), counting every
 * packet: the extended highest sequence number with wrap-around, the
 * expected count (A.3), and duplicates and reordered packets apart.
 */
struct pc_rtp_seq {
    int started;
    uint32_t base;       /* extended sequence number of the first packet */
    uint32_t ext_max;    /* extended highest sequence number */
    uint32_t ext_last;   /* extended number of the last packet */
    uint64_t received;   /* every packet, duplicates included */
    uint64_t duplicates; /* a sequence number seen again within the window */
    uint64_t reordered;  /* arrived after a higher number */
    uint64_t seq_errors; /* packets whose number is not last + 1 (wrap included) */
    uint64_t window[16]; /* bitmap of the last 1024 numbers below ext_max */
};

#define PC_RTP_MAX_DROPOUT  3000 /* RFC 3550 A.1 */
#define PC_RTP_MAX_MISORDER 100

/* Account one packet; returns its extended sequence number. */
uint32_t pc_rtp_seq_update(struct pc_rtp_seq *s, uint16_t seq);
/* Expected (A.3): ext_max - base + 1. */
uint64_t pc_rtp_seq_expected(const struct pc_rtp_seq *s);
/* Lost = expected - (received - duplicates), never below 0. */
int64_t pc_rtp_seq_lost(const struct pc_rtp_seq *s);

/*
 * Interarrival jitter (RFC 3550 6.4.1, A.8) in milliseconds:
 * D = (Rj - Ri) - (Sj - Si), J += (|D| - J) / 16, with S converted from RTP
 * timestamp units by the clock rate and R the arrival time.
 */
struct pc_rtp_jitter {
    int started;
    int64_t last_arrival_ns;
    uint32_t last_ts;
    double j_ms;
};

/* Update with one packet; returns the new estimate in ms. */
double pc_rtp_jitter_update(struct pc_rtp_jitter *j, int64_t arrival_ns, uint32_t ts,
                            unsigned clock_hz);

#endif
