/*
 * streams.c - one pass over the frames: UDP and TCP flows, RTP discovery,
 * RTCP, STUN and TURN, and the per-stream statistics (see precall/analyze.h).
 *
 * RTP is found by its header (RFC 3550 5.1: version 2, a payload type
 * outside the RTCP range of RFC 5761 4) and continuity: a stream counts once
 * PENDING_NEED packets of one SSRC with distinct sequence numbers lie close
 * together in sequence number and timestamp, or two when STUN or RTCP was seen on the 5-tuple (or
 * its reverse, or the paired port) or the packets came inside TURN framing. The held packets are
 * then accounted in order, so no packet is missed. A capture that ends while two or three such
 * packets are held lists them as a stream too short to judge (pc_streams_confirm_short).
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/analyzer.h"
#include "precall/buf.h"
#include "analyze/decode.h"
#include "analyze/sipframe.h"
#include "analyze/sipmedia.h"
#include "analyze/tcpframe.h"

/*
 * DLSR counts in 1/65536 s and the reporter rounds it: a round trip this
 * much below zero is still the capture point's own side (0); further below,
 * the block does not answer the sender report it seems to name.
 */
#define RTT_SLACK_MS 1.0

/* a timestamp jump this far from the time that passed, at the known rate or 90 kHz: restarts() */
#define SEGMENT_MS           1000
#define SEGMENT_TICKS_PER_MS 90

static const unsigned candidate_rates[N_RATES] = {8000, 16000, 32000, 44100, 48000, 90000, 22050};

/* FNV-1a */
static uint32_t hash_bytes(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

/* Grow a hash index to twice its size, rehashing with hash_of(element i). */
static int hindex_grow(struct hindex *ix, const void *base, size_t elem, size_t keylen)
{
    size_t cap = ix->cap ? ix->cap * 2 : 1024;
    uint32_t *slot = calloc(cap, sizeof(*slot));

    if (slot == NULL)
        return -1;
    for (size_t i = 0; i < ix->cap; i++) {
        uint32_t v = ix->slot[i];
        size_t h;

        if (v == 0)
            continue;
        h = hash_bytes((const char *)base + (v - 1) * elem, keylen) & (cap - 1);
        while (slot[h] != 0)
            h = (h + 1) & (cap - 1);
        slot[h] = v;
    }
    free(ix->slot);
    ix->slot = slot;
    ix->cap = cap;
    return 0;
}

/*
 * The index of the element whose first keylen bytes equal key, or a new
 * one (zeroed, key copied) when create; -1 when absent or out of room.
 */
static long table_get(struct hindex *ix, void **base, size_t *n, size_t *cap, size_t elem,
                      const void *key, size_t keylen, size_t max, int create, int *oom)
{
    size_t h;
    char *e;

    if (ix->cap > 0) {
        h = hash_bytes(key, keylen) & (ix->cap - 1);
        for (; ix->slot[h] != 0; h = (h + 1) & (ix->cap - 1))
            if (memcmp((char *)*base + (ix->slot[h] - 1) * elem, key, keylen) == 0)
                return (long)ix->slot[h] - 1;
    }
    if (!create || *n >= max)
        return -1;
    if (pc_grow(base, cap, *n + 1, elem) < 0) {
        *oom = 1;
        return -1;
    }
    if ((ix->n + 1) * 2 > ix->cap && hindex_grow(ix, *base, elem, keylen) < 0) {
        *oom = 1;
        return -1;
    }
    e = (char *)*base + *n * elem;
    memset(e, 0, elem);
    memcpy(e, key, keylen);
    h = hash_bytes(key, keylen) & (ix->cap - 1);
    while (ix->slot[h] != 0)
        h = (h + 1) & (ix->cap - 1);
    ix->slot[h] = (uint32_t)(*n + 1);
    ix->n++;
    return (long)(*n)++;
}

static long udp_flow(struct pc_analyzer *a, const struct flowkey *k, int create)
{
    return table_get(&a->udp_ix, (void **)&a->udp, &a->n_udp, &a->cap_udp, sizeof(*a->udp), k,
                     sizeof(*k), FLOWS_MAX, create, &a->oom);
}

struct ssrc_info *pc_analyzer_ssrc(struct pc_analyzer *a, uint32_t ssrc, int create)
{
    long i = table_get(&a->ssrc_ix, (void **)&a->ssrcs, &a->n_ssrcs, &a->cap_ssrcs,
                       sizeof(*a->ssrcs), &ssrc, sizeof(ssrc), SSRC_INFO_MAX, create, &a->oom);

    return i < 0 ? NULL : &a->ssrcs[i];
}

struct pc_analyzer *pc_analyzer_new(const struct pc_analyze_opts *o)
{
    struct pc_analyzer *a = calloc(1, sizeof(*a));

    if (a != NULL && o != NULL)
        a->opts = *o;
    return a;
}

void pc_analyzer_free(struct pc_analyzer *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->n_streams; i++)
        free(a->streams[i].secs);
    for (size_t i = 0; i < a->n_files; i++)
        free(a->files[i].path);
    free(a->udp);
    free(a->udp_ix.slot);
    free(a->tcp);
    free(a->tcp_ix.slot);
    free(a->streams);
    free(a->stream_ix.slot);
    free(a->ssrcs);
    free(a->ssrc_ix.slot);
    pc_tcpframe_free(a->tcpframes);
    pc_sipmedia_free(a->sipmedia);
    pc_sipframe_free(a->sipframe);
    free(a);
}

uint64_t pc_analyzer_frames(const struct pc_analyzer *a)
{
    return a->frames;
}

static void reverse_key(const struct flowkey *k, struct flowkey *r)
{
    *r = *k;
    memcpy(r->src, k->dst, 16);
    memcpy(r->dst, k->src, 16);
    r->sport = k->dport;
    r->dport = k->sport;
}

/* STUN or RTCP on a 5-tuple: it, its reverse and the RTP ports paired with RTCP ones. */
static void mark_context(struct pc_analyzer *a, const struct flowkey *k, int rtcp)
{
    struct flowkey r, p;
    long i;

    reverse_key(k, &r);
    if ((i = udp_flow(a, k, 1)) >= 0)
        a->udp[i].context = 1;
    if ((i = udp_flow(a, &r, 1)) >= 0)
        a->udp[i].context = 1;
    if (rtcp && (k->sport & 1) && (k->dport & 1)) { /* RFC 3550 11: RTP on the even port below */
        p = *k;
        p.sport--;
        p.dport--;
        if ((i = udp_flow(a, &p, 0)) >= 0)
            a->udp[i].context = 1;
        reverse_key(&p, &r);
        if ((i = udp_flow(a, &r, 0)) >= 0)
            a->udp[i].context = 1;
    }
}

/* A stream key of the UDP flow flow: zeroed whole (the spare bytes too), as hashing it needs. */
void pc_stream_key(struct skey *k, uint32_t flow)
{
    memset(k, 0, sizeof(*k));
    k->flow = flow;
}

void pc_stream_key_indication(struct skey *k, const struct pc_turn_indication *ti)
{
    k->via = VIA_INDICATION;
    k->peer_family = (uint8_t)ti->family;
    k->peer_port = ti->peer_port;
    memcpy(k->peer, ti->peer_addr, sizeof(k->peer));
}

/* --- the timeline ------------------------------------------------------ */

static void push_second(struct stream *s, const struct second *sec)
{
    if (pc_grow((void **)&s->secs, &s->cap_secs, s->n_secs + 1, sizeof(*s->secs)) < 0)
        return; /* the timeline stops growing; the totals stay right */
    s->secs[s->n_secs++] = *sec;
}

/* Close the current second and the empty ones up to (not including) upto_sec. */
void pc_stream_close_second(struct stream *s, int64_t upto_sec)
{
    struct second empty = {0};

    if (upto_sec <= s->cur_sec)
        return;
    s->cur.expected = s->seq.ext_max - s->ext_closed;
    s->ext_closed = s->seq.ext_max;
    push_second(s, &s->cur);
    memset(&s->cur, 0, sizeof(s->cur));
    for (int64_t t = s->cur_sec + 1; t < upto_sec && t - s->cur_sec < 86400; t++)
        push_second(s, &empty);
    s->cur_sec = upto_sec;
}

/* --- one RTP packet of a confirmed stream --------------------------------- */

/*
 * Does p start a new segment of the stream: a sender that restarts its
 * timestamps with the same SSRC (after a re-INVITE)? A packet newer by its
 * sequence number whose timestamp went back, or ahead of the time that
 * passed, by more than SEGMENT_MS at the stream's clock rate when it is
 * known, else at 90 kHz, the highest of RTP (at any lower rate, more): no
 * network reorders or holds packets so. (A capture whose own clock went
 * back is not the sender's restart: see PC_CLOCK_JUMP_BACK_NS.)
 */
static int restarts(const struct stream *s, const struct pend *p)
{
    int32_t dts = (int32_t)(p->ts - s->ts_last);
    double gap_ms = (double)(p->t_ns - s->last_ns) / 1e6;
    double per_ms = s->n_rates == 1 ? s->rate[0] / 1000.0 : SEGMENT_TICKS_PER_MS;
    int newer = (int16_t)(uint16_t)(p->seq - (uint16_t)s->seq.ext_max) > 0;

    return newer && ((double)dts < -SEGMENT_MS * per_ms ||
                     (gap_ms >= 0 && (double)dts > (gap_ms + SEGMENT_MS) * per_ms));
}

static void account(struct stream *s, const struct pend *p)
{
    int64_t sec = p->t_ns / 1000000000;
    uint64_t dups = s->seq.duplicates;
    int first = s->seq.received == 0;
    /* the first packet after a jump of the capture's clock: nothing measured across it */
    int resume = !first && p->epoch != s->epoch;
    /*
     * tshark's rule: the first packet and a packet with the marker bit (the
     * first of a talkspurt, RFC 3551 4.1) do not count for the largest gap
     * and the jitter. A talkspurt starts once, after silence: a marked
     * packet right after another marked one starts none (ffmpeg marks every
     * Opus packet; video of one packet a frame marks each), and counts.
     */
    int talkspurt = p->marker && !s->last_marker;
    /* a bandwidth probe takes a sequence number and is counted, but is no media: no gap, no jitter
     */
    int probe_pkt = p->padding_only && !first;
    /*
     * Another payload type inside the stream (RFC 4733 telephone events,
     * RED, FEC): counted, but its timestamps are not the media's, so it
     * feeds neither the media's gaps nor its jitter.
     */
    int other = !first && p->pt != s->pt;

    if (!first && !resume && !probe_pkt && !other && restarts(s, p)) {
        s->segments++;
        s->ts_last = p->ts;
        resume = 1; /* a new segment: nothing measured across its start */
    }
    s->epoch = p->epoch;
    s->last_marker = p->marker;
    if (first) {
        s->first_ns = p->t_ns;
        s->sec0 = s->cur_sec = sec;
        s->ts_last = p->ts;
    } else if (resume) {
        if ((int32_t)(p->ts - s->ts_last) > 0) {
            s->ts_ext += (int32_t)(p->ts - s->ts_last);
            s->ts_last = p->ts;
        }
    } else if (!probe_pkt && !other) {
        double gap = (double)(p->t_ns - s->last_ns) / 1e6;

        if (!talkspurt && gap > s->gap_max_ms) {
            s->gap_max_ms = gap;
            s->gap_at_ns = p->t_ns;
        }
        /*
         * The gap beyond what the timestamps explain: a sender that stops in
         * silence (discontinuous transmission) advances its timestamp by the
         * silence and its sequence number by one, so only the rest was the
         * network's or the sender's fault. Across a packet lost, the
         * timestamps explain nothing: what was sent did not arrive.
         */
        int next = p->seq == (uint16_t)(s->seq.ext_max + 1);
        int32_t step = (int32_t)(p->ts - s->ts_last);

        /* silence: a step of two frames or more between packets whose numbers follow on */
        if (next && step > 0 && (s->step_min == 0 || (uint32_t)step < s->step_min))
            s->step_min = (uint32_t)step;
        if (next && step > 0 && (uint32_t)step >= 2 * s->step_min)
            s->silence_ts += (uint32_t)step - s->step_min;

        for (int i = 0; i < s->n_rates && !talkspurt; i++) {
            int32_t dts = next ? (int32_t)(p->ts - s->ts_last) : 0;
            double excess = gap - (dts > 0 ? (double)dts * 1000.0 / s->rate[i] : 0);

            if (excess > s->jit[i].excess_max_ms) {
                s->jit[i].excess_max_ms = excess;
                s->jit[i].excess_at_ns = p->t_ns;
            }
        }
        if ((int32_t)(p->ts - s->ts_last) > 0) {
            s->ts_ext += (int32_t)(p->ts - s->ts_last);
            s->ts_last = p->ts;
        }
    }
    if (sec > s->cur_sec)
        pc_stream_close_second(s, sec);
    pc_rtp_seq_update(&s->seq, p->seq);
    if (first)
        s->ext_closed = s->seq.base - 1;
    if (s->seq.duplicates == dups)
        s->cur.recv++;
    s->cur.bytes += p->bytes;
    s->bytes += p->bytes;
    s->padding_only += p->padding_only;
    s->other_pt += (uint64_t)other;
    for (int i = 0; i < s->n_rates && !probe_pkt && !other; i++) {
        struct jit *j = &s->jit[i];
        double v;

        if (resume)
            j->j.started = 0; /* the transit time starts afresh; the estimate is kept */
        v = pc_rtp_jitter_update(&j->j, p->t_ns, p->ts, s->rate[i]);
        if (!first && !resume && !talkspurt) {
            j->sum += v;
            j->n++;
            if (v > j->max)
                j->max = v;
        }
        if ((float)v > s->cur.jitter[i])
            s->cur.jitter[i] = (float)v;
    }
    if (!probe_pkt && !other)
        s->last_ns = p->t_ns;
}

static void confirm(struct pc_analyzer *a, struct stream *s)
{
    unsigned fixed = a->opts.clock_hz[s->pt & 0x7F];
    const char *source = "option";

    s->confirmed = 1;
    /* the order: --clock-rate, the signalled rate (SIP/SDP), the static payload types */
    if (fixed == 0 && (fixed = pc_sipmedia_rate(a, s)) != 0)
        source = "sdp";
    if (fixed == 0 && (fixed = pc_rtp_static_clock(s->pt)) != 0)
        source = "static";
    if (fixed != 0)
        s->clock_source = source;
    if (fixed != 0) {
        s->n_rates = 1;
        s->rate[0] = fixed;
    } else {
        s->n_rates = N_RATES;
        memcpy(s->rate, candidate_rates, sizeof(candidate_rates));
    }
    for (int i = 0; i < s->n_pend; i++)
        account(s, &s->pend[i]);
    s->n_pend = 0;
}

/*
 * Could p belong with the packets held so far? The key already holds the
 * SSRC, so random UDP payloads rarely meet here twice; what is asked is
 * only what a stream looks like from its first packets on, reordering
 * included (the network may deliver the first ones out of order): the same
 * payload type, a sequence number within PC_RTP_MAX_MISORDER of the first
 * held packet either way, a timestamp within 2^22 of it either way (RFC
 * 3550 5.1: both advance with the stream), and capture times in order.
 */
static int continues(const struct pend *first, const struct pend *last, const struct pend *p)
{
    int16_t ds = (int16_t)(uint16_t)(p->seq - first->seq);
    int32_t dt = (int32_t)(p->ts - first->ts);

    return p->pt == first->pt && ds >= -PC_RTP_MAX_MISORDER && ds <= PC_RTP_MAX_MISORDER &&
           dt >= -(1 << 22) && dt <= (1 << 22) && p->t_ns >= last->t_ns;
}

/* Held packets with a sequence number no earlier held packet has. */
static int distinct_held(const struct stream *s)
{
    int n = 0;

    for (int i = 0; i < s->n_pend; i++) {
        int seen = 0;

        for (int j = 0; j < i && !seen; j++)
            seen = s->pend[j].seq == s->pend[i].seq;
        n += !seen;
    }
    return n;
}

void pc_streams_confirm_short(struct pc_analyzer *a)
{
    for (size_t i = 0; i < a->n_streams; i++)
        if (!a->streams[i].confirmed && distinct_held(&a->streams[i]) >= 2)
            confirm(a, &a->streams[i]);
}

/*
 * A bandwidth probe, not media: padding alone (RFC 3550 5.1: the padding
 * bit, and nothing left after it), or padding on SSRC 0 with timestamp 0,
 * as WebRTC senders probe before the media starts (encrypted with SRTP, the
 * padding count at the end cannot be read, so the header must tell).
 */
static int probe(const struct pc_rtp_hdr *h)
{
    return h->padding && (h->payload_bytes == 0 || (h->ssrc == 0 && h->timestamp == 0));
}

static void rtp_packet(struct pc_analyzer *a, const struct skey *k, int context,
                       const struct pc_rtp_hdr *h, size_t bytes, int64_t t_ns)
{
    struct pend p = {.t_ns = t_ns,
                     .epoch = a->clock_epoch,
                     .ts = h->timestamp,
                     .bytes = (uint32_t)bytes,
                     .seq = h->seq,
                     .marker = (uint8_t)h->marker,
                     .pt = (uint8_t)h->payload_type,
                     .padding_only = (uint8_t)probe(h)};
    long i = table_get(&a->stream_ix, (void **)&a->streams, &a->n_streams, &a->cap_streams,
                       sizeof(*a->streams), k, sizeof(*k), STREAMS_MAX, 1, &a->oom);
    struct stream *s;

    if (i < 0) {
        a->untracked++;
        return;
    }
    s = &a->streams[i];
    if (s->confirmed) {
        account(s, &p);
        return;
    }
    if (s->n_pend > 0 &&
        (s->n_pend == PENDING_MAX || !continues(&s->pend[0], &s->pend[s->n_pend - 1], &p)))
        s->n_pend = 0; /* not a stream after all: start again from this packet */
    if (s->n_pend == 0)
        s->pt = h->payload_type;
    s->pend[s->n_pend++] = p;
    if (distinct_held(s) >= (context ? 2 : PENDING_NEED))
        confirm(a, s);
}

/*
 * RFC 3550 6.4.1: the round trip a reception report block shows, A - LSR -
 * DLSR, with A and LSR read on the capture's clock (when the capture saw the
 * report and the sender report it names). That is the round trip from the
 * capture point to the reporter and back: all of it when the capture was
 * made at the sender. 1 and the figure in *ms when the block names a sender
 * report this capture saw, on the same side of every jump of its clock.
 */
static int block_rtt(const struct ssrc_info *si, const struct pc_rtcp_block *bl, int64_t t_ns,
                     uint32_t epoch, double *ms)
{
    if (bl->lsr == 0) /* no sender report received yet */
        return 0;
    for (unsigned i = 0; i < SR_KEPT && i < si->sr_count; i++) {
        const struct sr_seen *sr = &si->sr_seen[i];
        double v;

        if (sr->lsr != bl->lsr || sr->epoch != epoch || t_ns < sr->t_ns)
            continue;
        v = (double)(t_ns - sr->t_ns) / 1e6 - (double)bl->dlsr * 1000.0 / 65536.0;
        if (v < -RTT_SLACK_MS)
            return 0; /* the reporter held it longer than it took: not this report */
        *ms = v < 0 ? 0 : v;
        return 1;
    }
    return 0;
}

static void rtcp_packet(struct pc_analyzer *a, const struct pc_rtcp_info *in, int64_t t_ns)
{
    struct ssrc_info *si;

    if (in->has_sr && (si = pc_analyzer_ssrc(a, in->sr_ssrc, 1)) != NULL) {
        if (si->sr_count++ == 0) {
            si->sr_ntp_first = in->sr_ntp;
            si->sr_ts_first = in->sr_rtp_ts;
        }
        si->sr_ntp_last = in->sr_ntp;
        si->sr_ts_last = in->sr_rtp_ts;
        si->sr_seen[si->sr_next] = (struct sr_seen){
            .lsr = (uint32_t)(in->sr_ntp >> 16), .epoch = a->clock_epoch, .t_ns = t_ns};
        si->sr_next = (si->sr_next + 1) % SR_KEPT;
    }
    for (size_t b = 0; b < in->n_blocks; b++) {
        const struct pc_rtcp_block *bl = &in->blocks[b];
        double ms;

        if ((si = pc_analyzer_ssrc(a, bl->ssrc, 1)) == NULL)
            continue;
        si->rr_count++;
        if (bl->fraction_lost / 256.0 > si->rr_fraction_max)
            si->rr_fraction_max = bl->fraction_lost / 256.0;
        if (bl->jitter > si->rr_jitter_max)
            si->rr_jitter_max = bl->jitter;
        if (block_rtt(si, bl, t_ns, a->clock_epoch, &ms)) {
            si->rtt_reporter = bl->reporter;
            si->rtt_n++;
            si->rtt_sum_ms += ms;
            if (ms > si->rtt_max_ms)
                si->rtt_max_ms = ms;
        }
    }
}

/* RTP or RTCP, direct or from inside TURN framing. 1 when it was media. */
static int media(struct pc_analyzer *a, struct skey *k, int context, const uint8_t *p, size_t n,
                 int64_t t_ns)
{
    struct pc_rtcp_info in;
    struct pc_rtp_hdr h;

    if (n < 8 || (p[0] >> 6) != 2)
        return 0;
    if (pc_rtp_is_rtcp(p, n)) {
        /* 6.1: a compound packet begins with SR or RR */
        if ((p[1] != 200 && p[1] != 201) || pc_rtcp_parse(p, n, &in) < 0)
            return 0;
        rtcp_packet(a, &in, t_ns);
        return 2;
    }
    if (pc_rtp_parse(p, n, &h) < 0)
        return 0;
    k->ssrc = h.ssrc;
    rtp_packet(a, k, context, &h, n, t_ns);
    return 1;
}

/* The 5-tuple of a packet as a flow key. */
static void flow_key(const struct pc_pkt *pk, uint8_t proto, struct flowkey *fk)
{
    size_t n = pk->family == 4 ? 4 : 16;

    fk->family = (uint8_t)pk->family;
    fk->proto = proto;
    fk->sport = pk->sport;
    fk->dport = pk->dport;
    memcpy(fk->src, pk->src, n);
    memcpy(fk->dst, pk->dst, n);
}

static void udp_packet(struct pc_analyzer *a, const struct pc_pkt *pk, int64_t t_ns)
{
    struct flowkey fk = {0};
    struct skey k;
    struct pc_turn_indication ti;
    const uint8_t *data;
    size_t n;
    long fi;
    int kind;

    flow_key(pk, 17, &fk);
    if ((fi = udp_flow(a, &fk, 1)) < 0) {
        a->untracked++;
        return;
    }
    a->udp[fi].packets++;
    pc_stream_key(&k, (uint32_t)fi);
    if (pc_rtp_looks_stun(pk->payload, pk->payload_len)) {
        mark_context(a, &fk, 0);
        if (pc_turn_indication(pk->payload, pk->payload_len, &ti) == 0) {
            pc_stream_key_indication(&k, &ti);
            media(a, &k, 1, ti.data, ti.data_len, t_ns);
        }
        return;
    }
    if (pk->payload_len >= 4 && (pk->payload[0] & 0xC0) == 0x40 &&
        pc_turn_channel_data(pk->payload, pk->payload_len, &k.channel, &data, &n) == 0) {
        k.via = VIA_CHANNEL;
        if (media(a, &k, 1, data, n, t_ns))
            return;
        k.via = VIA_DIRECT;
        k.channel = 0;
    }
    kind = media(a, &k, a->udp[fi].context, pk->payload, pk->payload_len, t_ns);
    if (kind == 2)
        mark_context(a, &fk, 1);
}

/* RFC 9293 3.4: a data segment wholly below the highest sequence number sent is a resend. */
static void tcp_packet(struct pc_analyzer *a, const struct pc_pkt *pk, int64_t t_ns)
{
    struct flowkey fk = {0};
    struct tcpflow *f;
    long i;
    uint32_t end;

    flow_key(pk, 6, &fk);
    i = table_get(&a->tcp_ix, (void **)&a->tcp, &a->n_tcp, &a->cap_tcp, sizeof(*a->tcp), &fk,
                  sizeof(fk), FLOWS_MAX, 1, &a->oom);
    if (i < 0) {
        a->untracked++;
        return;
    }
    f = &a->tcp[i];
    if (f->first_ns == 0)
        f->first_ns = t_ns;
    f->last_ns = t_ns;
    if (pk->tcp_flags & 0x02) { /* SYN */
        f->started = 1;
        f->next_seq = pk->tcp_seq + 1;
        return;
    }
    if (pk->wire_len == 0)
        return;
    end = pk->tcp_seq + (uint32_t)pk->wire_len;
    f->segments++;
    f->bytes += pk->wire_len;
    pc_tcpframe_segment(a, i, &fk, pk, t_ns, udp_flow, media); /* TURN framing on TCP */
    if (f->started && (int32_t)(end - f->next_seq) <= 0) {
        f->retrans++;
        return;
    }
    if (!f->started || (int32_t)(end - f->next_seq) > 0)
        f->next_seq = end;
    f->started = 1;
}

/*
 * The frame's time on the capture's clock with its jumps taken out (see
 * PC_CLOCK_JUMP_BACK_NS): after a jump the frames follow the one before
 * it, and the file that holds it records it.
 */
static int64_t capture_clock(struct pc_analyzer *a, int64_t t_ns)
{
    const int64_t t_max = INT64_MAX / 2; /* as pcapio.c's times: no difference overflows */
    int64_t t, step;

    if (__builtin_add_overflow(t_ns, a->clock_offset_ns, &t))
        t = a->clock_offset_ns < 0 ? 0 : t_max;
    t = t < 0 ? 0 : t > t_max ? t_max : t;
    step = t - a->prev_ns;

    if (a->have_prev && (step < -PC_CLOCK_JUMP_BACK_NS || step > PC_CLOCK_JUMP_FWD_NS)) {
        struct capfile *f = a->n_files > 0 ? &a->files[a->n_files - 1] : NULL;

        if (f != NULL && f->clock_jumps++ == 0) {
            f->jump_frame = f->frames;
            f->jump_ns = step;
        }
        a->clock_offset_ns = a->prev_ns - t_ns;
        a->clock_epoch++;
        t = a->prev_ns;
    }
    a->have_prev = 1;
    a->prev_ns = t;
    return t;
}

void pc_analyzer_frame(struct pc_analyzer *a, int dlt, int64_t t_ns, const uint8_t *p,
                       size_t caplen)
{
    struct pc_pkt pk;

    a->frames++;
    t_ns = capture_clock(a, t_ns);
    if (a->first_ns == 0 || t_ns < a->first_ns)
        a->first_ns = t_ns;
    if (t_ns > a->last_ns)
        a->last_ns = t_ns;
    switch (pc_decode_frame(dlt, p, caplen, &pk)) {
    case PC_DECODE_OK:
        break;
    case PC_DECODE_FRAGMENT:
        a->fragments++;
        return;
    case PC_DECODE_SHORT:
        a->cut++;
        return;
    default:
        a->other++;
        return;
    }
    if (pk.proto == 17)
        udp_packet(a, &pk, t_ns);
    else if (pk.proto == 6)
        tcp_packet(a, &pk, t_ns);
}
