/* rtp.c - RTP, RTCP and TURN framing codecs, RFC 3550 statistics (see precall/rtp.h). */
#include <math.h>
#include <string.h>

#include "precall/err.h"
#include "precall/rtp.h"
#include "proto/reader.h"

#define STUN_MAGIC 0x2112A442u

/* RFC 3550 5.1: V P X CC | M PT | sequence | timestamp | SSRC | CSRC... ; 5.3.1 extension. */
int pc_rtp_parse(const uint8_t *p, size_t len, struct pc_rtp_hdr *h)
{
    struct pc_reader r;
    uint8_t b0, b1, pad = 0;

    memset(h, 0, sizeof(*h));
    pc_reader_init(&r, p, len);
    b0 = pc_reader_u8(&r);
    b1 = pc_reader_u8(&r);
    h->seq = pc_reader_u16(&r);
    h->timestamp = pc_reader_u32(&r);
    h->ssrc = pc_reader_u32(&r);
    h->version = b0 >> 6;
    h->padding = (b0 >> 5) & 1;
    h->extension = (b0 >> 4) & 1;
    h->csrc_count = b0 & 0x0F;
    h->marker = b1 >> 7;
    h->payload_type = b1 & 0x7F;
    pc_reader_skip(&r, 4u * h->csrc_count);
    if (h->extension) {
        uint16_t words;

        pc_reader_u16(&r); /* profile-defined */
        words = pc_reader_u16(&r);
        pc_reader_skip(&r, 4u * words);
    }
    if (r.bad || h->version != 2)
        goto bad;
    h->header_bytes = r.off;
    /* 5.1: the last octet of the padding counts the padding octets, itself included. */
    if (h->padding) {
        pad = len > 0 ? p[len - 1] : 0;
        if (pad == 0 || pad > len - h->header_bytes)
            goto bad;
    }
    h->payload_bytes = len - h->header_bytes - pad;
    return 0;
bad:
    memset(h, 0, sizeof(*h));
    return PC_EDATA;
}

int pc_rtp_is_rtcp(const uint8_t *p, size_t len)
{
    return len >= 8 && (p[0] >> 6) == 2 && p[1] >= 192 && p[1] <= 223;
}

/* RFC 3551 6, tables 4 and 5. */
unsigned pc_rtp_static_clock(unsigned pt)
{
    static const unsigned rate[35] = {
        [0] = 8000,   [3] = 8000,   [4] = 8000,   [5] = 8000,   [6] = 16000,  [7] = 8000,
        [8] = 8000,   [9] = 8000,   [10] = 44100, [11] = 44100, [12] = 8000,  [13] = 8000,
        [14] = 90000, [15] = 8000,  [16] = 11025, [17] = 22050, [18] = 8000,  [25] = 90000,
        [26] = 90000, [28] = 90000, [31] = 90000, [32] = 90000, [33] = 90000, [34] = 90000,
    };

    return pt < 35 ? rate[pt] : 0;
}

const char *pc_rtp_static_name(unsigned pt)
{
    static const char *const name[35] = {
        [0] = "PCMU",  [3] = "GSM",   [4] = "G723",  [5] = "DVI4",  [6] = "DVI4",   [7] = "LPC",
        [8] = "PCMA",  [9] = "G722",  [10] = "L16",  [11] = "L16",  [12] = "QCELP", [13] = "CN",
        [14] = "MPA",  [15] = "G728", [16] = "DVI4", [17] = "DVI4", [18] = "G729",  [25] = "CelB",
        [26] = "JPEG", [28] = "nv",   [31] = "H261", [32] = "MPV",  [33] = "MP2T",  [34] = "H263",
    };

    return pt < 35 ? name[pt] : NULL;
}

int pc_rtp_static_video(unsigned pt)
{
    return pt == 25 || pt == 26 || pt == 28 || (pt >= 31 && pt <= 34);
}

/* 6.4.1: a report block is six 32-bit words. */
static void report_block(struct pc_reader *r, uint32_t reporter, struct pc_rtcp_info *out)
{
    struct pc_rtcp_block b;
    uint32_t w;

    b.reporter = reporter;
    b.ssrc = pc_reader_u32(r);
    w = pc_reader_u32(r);
    b.fraction_lost = (uint8_t)(w >> 24);
    /* 24-bit two's complement */
    b.cumulative_lost = (int32_t)((w & 0x00FFFFFFu) ^ 0x00800000u) - 0x00800000;
    b.ext_highest_seq = pc_reader_u32(r);
    b.jitter = pc_reader_u32(r);
    b.lsr = pc_reader_u32(r);
    b.dlsr = pc_reader_u32(r);
    if (!r->bad && out->n_blocks < PC_RTCP_BLOCKS_MAX)
        out->blocks[out->n_blocks++] = b;
}

/* 6.1: V=2 P RC | PT | length (32-bit words minus one); SR 200 (6.4.1), RR 201 (6.4.2). */
int pc_rtcp_parse(const uint8_t *p, size_t len, struct pc_rtcp_info *out)
{
    struct pc_reader r;

    memset(out, 0, sizeof(*out));
    pc_reader_init(&r, p, len);
    while (pc_reader_left(&r) > 0) {
        struct pc_reader body;
        uint8_t b0 = pc_reader_u8(&r), pt = pc_reader_u8(&r);
        size_t words = pc_reader_u16(&r);
        unsigned count = b0 & 0x1F;
        uint32_t ssrc;

        if (r.bad || (b0 >> 6) != 2 || pt < 192 || pt > 223 ||
            pc_reader_sub(&r, 4 * words, &body) < 0)
            goto bad;
        out->n_packets++;
        if (pt != 200 && pt != 201)
            continue;
        ssrc = pc_reader_u32(&body);
        if (pt == 200) {
            uint32_t hi = pc_reader_u32(&body), lo = pc_reader_u32(&body);

            if (!out->has_sr) {
                out->has_sr = 1;
                out->sr_ssrc = ssrc;
                out->sr_ntp = (uint64_t)hi << 32 | lo;
                out->sr_rtp_ts = pc_reader_u32(&body);
                out->sr_packets = pc_reader_u32(&body);
                out->sr_octets = pc_reader_u32(&body);
            } else {
                pc_reader_skip(&body, 12);
            }
        }
        for (unsigned i = 0; i < count; i++)
            report_block(&body, ssrc, out);
        if (body.bad)
            goto bad;
    }
    if (out->n_packets == 0)
        goto bad;
    return 0;
bad:
    memset(out, 0, sizeof(*out));
    return PC_EDATA;
}

int pc_turn_channel_data(const uint8_t *p, size_t len, uint16_t *channel, const uint8_t **data,
                         size_t *data_len)
{
    struct pc_reader r;
    uint16_t ch, n;

    pc_reader_init(&r, p, len);
    ch = pc_reader_u16(&r);
    n = pc_reader_u16(&r);
    /* 12: channel numbers 0x4000 through 0x4FFF; padding up to 3 bytes may follow. */
    if (r.bad || ch < 0x4000 || ch > 0x4FFF || !pc_reader_has(&r, n) ||
        pc_reader_left(&r) - n > 3) {
        *channel = 0;
        *data = NULL;
        *data_len = 0;
        return PC_EDATA;
    }
    *channel = ch;
    *data = p + r.off;
    *data_len = n;
    return 0;
}

int pc_rtp_looks_stun(const uint8_t *p, size_t len)
{
    struct pc_reader r;
    uint16_t type, n;

    pc_reader_init(&r, p, len);
    type = pc_reader_u16(&r);
    n = pc_reader_u16(&r);
    return !r.bad && (type & 0xC000) == 0 && pc_reader_u32(&r) == STUN_MAGIC && !r.bad &&
           (n & 3) == 0 && (size_t)n + 20 == len;
}

/* RFC 8489 14.2: XOR-MAPPED-ADDRESS encoding, used by XOR-PEER-ADDRESS (RFC 8656 14.3). */
static void xor_peer(struct pc_reader *a, const uint8_t *txid, struct pc_turn_indication *out)
{
    uint8_t fam;
    uint8_t key[16];

    pc_reader_u8(a);
    fam = pc_reader_u8(a);
    out->peer_port = pc_reader_u16(a) ^ (uint16_t)(STUN_MAGIC >> 16);
    key[0] = 0x21, key[1] = 0x12, key[2] = 0xA4, key[3] = 0x42;
    memcpy(key + 4, txid, 12);
    if (fam == 1 && pc_reader_bytes(a, out->peer_addr, 4) == 0)
        out->family = 4;
    else if (fam == 2 && pc_reader_bytes(a, out->peer_addr, 16) == 0)
        out->family = 6;
    for (int i = 0; i < (out->family == 6 ? 16 : 4); i++)
        out->peer_addr[i] ^= key[i];
}

/* RFC 8656 11.1 Send (method 0x006), 11.4 Data (0x007), class indication. */
int pc_turn_indication(const uint8_t *p, size_t len, struct pc_turn_indication *out)
{
    struct pc_reader r;
    uint16_t type, method;
    uint8_t txid[12];

    memset(out, 0, sizeof(*out));
    if (!pc_rtp_looks_stun(p, len))
        return PC_EDATA;
    pc_reader_init(&r, p, len);
    type = pc_reader_u16(&r);
    pc_reader_skip(&r, 6);
    pc_reader_bytes(&r, txid, sizeof(txid));
    method = (uint16_t)((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));
    if ((type & 0x0110) != 0x0010 || (method != 0x006 && method != 0x007))
        return PC_EDATA;
    out->is_data = method == 0x007;
    while (pc_reader_left(&r) >= 4) {
        struct pc_reader a;
        uint16_t at = pc_reader_u16(&r), alen = pc_reader_u16(&r);

        if (pc_reader_sub(&r, alen, &a) < 0)
            break;
        pc_reader_skip(&r, (4 - alen % 4) % 4);
        if (at == 0x0012 && out->family == 0)
            xor_peer(&a, txid, out);
        else if (at == 0x0013 && out->data == NULL) {
            out->data = a.p;
            out->data_len = alen;
        }
    }
    if (r.bad || out->data == NULL) {
        memset(out, 0, sizeof(*out));
        return PC_EDATA;
    }
    return 0;
}

/* The window bitmap: bit i stands for ext_max - i. */
static void window_shift(uint64_t *w, uint32_t d)
{
    size_t words = d / 64, bits = d % 64;

    if (d >= 1024) {
        memset(w, 0, 16 * sizeof(*w));
        return;
    }
    for (size_t i = 16; i-- > 0;) {
        uint64_t v = i >= words ? w[i - words] << bits : 0;

        if (bits && i >= words + 1)
            v |= w[i - words - 1] >> (64 - bits);
        w[i] = v;
    }
}

static int window_test_set(uint64_t *w, uint32_t back)
{
    uint64_t bit = 1ull << (back % 64);
    int seen = (w[back / 64] & bit) != 0;

    w[back / 64] |= bit;
    return seen;
}

/*
 * A.1 keeps a cycle count beside the highest number; here the extended
 * number itself is kept (starting one cycle up so that packets from before
 * the first can be placed), and a 16-bit difference to the highest number
 * tells ahead (1..32767) from behind.
 */
uint32_t pc_rtp_seq_update(struct pc_rtp_seq *s, uint16_t seq)
{
    int16_t d;
    uint32_t ext;

    s->received++;
    if (!s->started) {
        s->started = 1;
        s->base = s->ext_max = s->ext_last = 65536u + seq;
        memset(s->window, 0, sizeof(s->window));
        s->window[0] = 1;
        return s->ext_max;
    }
    if ((uint16_t)(s->ext_last + 1) != seq)
        s->seq_errors++;
    d = (int16_t)(uint16_t)(seq - (uint16_t)s->ext_max);
    if (d > 0) {
        ext = s->ext_max + (uint32_t)d;
        window_shift(s->window, (uint32_t)d);
        s->window[0] |= 1;
        s->ext_max = ext;
        s->ext_last = ext;
        return ext;
    }
    ext = s->ext_max - (uint32_t)(-(int32_t)d);
    if (-(int32_t)d < 1024 && window_test_set(s->window, (uint32_t)(-(int32_t)d)))
        s->duplicates++;
    else {
        s->reordered++;
        if (ext < s->base)
            s->base = ext;
    }
    /* tshark-compatible: a late packet does not move "last" (seq_errors). */
    return ext;
}

uint64_t pc_rtp_seq_expected(const struct pc_rtp_seq *s)
{
    return s->started ? (uint64_t)(s->ext_max - s->base) + 1 : 0;
}

int64_t pc_rtp_seq_lost(const struct pc_rtp_seq *s)
{
    int64_t lost = (int64_t)pc_rtp_seq_expected(s) - (int64_t)(s->received - s->duplicates);

    return lost > 0 ? lost : 0;
}

double pc_rtp_jitter_update(struct pc_rtp_jitter *j, int64_t arrival_ns, uint32_t ts,
                            unsigned clock_hz)
{
    if (clock_hz == 0)
        return j->j_ms;
    if (j->started) {
        double r_ms = (double)(arrival_ns - j->last_arrival_ns) / 1e6;
        double s_ms = (double)(int32_t)(ts - j->last_ts) * 1000.0 / clock_hz;

        j->j_ms += (fabs(r_ms - s_ms) - j->j_ms) / 16.0;
    }
    j->started = 1;
    j->last_arrival_ns = arrival_ns;
    j->last_ts = ts;
    return j->j_ms;
}
