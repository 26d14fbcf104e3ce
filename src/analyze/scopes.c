/*
 * scopes.c - what the analyzer found, written into the report: one FILE
 * scope per input, one STREAM scope per RTP stream (its figures, and its
 * per-second loss, jitter and bitrate as series), one FLOW scope per TCP
 * flow that carried data, and the "analyze" result.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/analyzer.h"
#include "analyze/sipmedia.h"
#include "precall/cause.h"
#include "precall/buf.h"

#define TCP_FLOWS_SHOWN  20 /* the flows with the most data */
#define WORST_SECOND_MIN 5  /* packets a second must expect to count for the worst second */
#define RATE_SNAP        0.02
#define RATE_MIN_SPAN_NS (2 * 1000000000LL)
/*
 * The least a stream needs to be judged (docs/thresholds.md, "Too short to
 * judge"): with fewer than 100 packets one lost packet is more than the HD
 * loss limit of stream_loss_pct (1 %), so loss could not tell HD from SD;
 * shorter than 1000 ms, the audio tier's longest dropout (stream_gap_excess_ms)
 * would not fit in it. Shorter streams are listed with their figures and do
 * not set the verdict.
 */
#define JUDGE_MIN_PACKETS 100
#define JUDGE_MIN_MS      1000

static void addr_text(int family, const uint8_t *addr, uint16_t port, char *buf, size_t cap)
{
    char a[INET6_ADDRSTRLEN] = "?";

    inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, a, sizeof(a));
    if (family == 6)
        snprintf(buf, cap, "[%s]:%u", a, port);
    else
        snprintf(buf, cap, "%s:%u", a, port);
}

/* The capturing computer: the address that takes part in the most flows. */
struct tally {
    uint8_t family, addr[16];
    uint64_t n;
};

static void count_addr(struct tally *t, size_t *n, size_t cap, int family, const uint8_t *addr)
{
    for (size_t i = 0; i < *n; i++)
        if (t[i].family == family && memcmp(t[i].addr, addr, 16) == 0) {
            t[i].n++;
            return;
        }
    if (*n < cap) {
        t[*n].family = (uint8_t)family;
        memcpy(t[*n].addr, addr, 16);
        t[(*n)++].n = 1;
    }
}

static int local_address(const struct pc_analyzer *a, uint8_t *family, uint8_t *addr)
{
    struct tally t[256];
    size_t n = 0, best = 0;

    for (size_t i = 0; i < a->n_streams; i++) {
        const struct udpflow *f = &a->udp[a->streams[i].k.flow];

        if (!a->streams[i].confirmed)
            continue;
        count_addr(t, &n, 256, f->k.family, f->k.src);
        count_addr(t, &n, 256, f->k.family, f->k.dst);
    }
    for (size_t i = 0; i < n; i++)
        if (t[i].n > t[best].n)
            best = i;
    /* one stream alone does not tell its two ends apart */
    for (size_t i = 0; i < n; i++)
        if (i != best && t[i].n == t[best].n)
            return 0;
    if (n == 0)
        return 0;
    *family = t[best].family;
    memcpy(addr, t[best].addr, 16);
    return 1;
}

/* The clock rate: given, static, from two RTCP sender reports, or from the timestamps. */
static int pick_rate(const struct pc_analyzer *a, const struct stream *s, const char **source)
{
    const struct ssrc_info *si = pc_analyzer_ssrc((struct pc_analyzer *)a, s->k.ssrc, 0);
    double hz = 0;
    int sound = 0;

    if (s->n_rates == 1) {
        *source = s->clock_source;
        return 0;
    }
    if (si != NULL && si->sr_count >= 2 && si->sr_ntp_last > si->sr_ntp_first) {
        hz = (double)(int32_t)(si->sr_ts_last - si->sr_ts_first) /
             ((double)(si->sr_ntp_last - si->sr_ntp_first) / 4294967296.0);
        *source = "rtcp-sr";
    }
    /* an RTCP pair that implies no rate of the list does not block the fit to the timestamps */
    for (int i = 0; i < s->n_rates; i++)
        sound |= hz > 0 && fabs(hz - s->rate[i]) <= RATE_SNAP * s->rate[i];
    if (!sound && s->last_ns - s->first_ns >= RATE_MIN_SPAN_NS) {
        hz = (double)s->ts_ext / ((double)(s->last_ns - s->first_ns) / 1e9);
        *source = "timestamps";
    }
    for (int i = 0; i < s->n_rates; i++)
        if (hz > 0 && fabs(hz - s->rate[i]) <= RATE_SNAP * s->rate[i])
            return i;
    *source = NULL;
    return -1;
}

static const char *media_of(const struct stream *s, unsigned hz)
{
    if (pc_rtp_static_video(s->pt) || hz == 90000)
        return "video";
    if (pc_rtp_static_clock(s->pt) != 0 || (hz != 0 && hz <= 48000))
        return "audio";
    return "RTP";
}

/*
 * The round trip of the call from RTCP (see block_rtt() in streams.c): the
 * leg from the capture point to this stream's receiver, plus the leg to its
 * sender when the receiver's own stream is reported on by this one's sender.
 * Captured at one end, one leg is the whole round trip and the other ~0.
 */
static void stream_delay(struct pc_analyzer *a, struct pc_report *r, int sc, uint32_t ssrc)
{
    const struct ssrc_info *si = pc_analyzer_ssrc(a, ssrc, 0), *back;
    double ms;

    if (si == NULL || si->rtt_n == 0) {
        pc_report_set_num(r, sc, PC_M_STREAM_RTT_REPORTS, 0);
        pc_report_set_text(
            r, sc, PC_M_STREAM_DELAY,
            si != NULL && si->rr_count > 0
                ? "not measured (no RTCP receiver report answers a sender report "
                  "of this stream seen in the capture)"
                : "not measured (no RTCP receiver report on this stream in the capture)");
        return;
    }
    ms = si->rtt_sum_ms / (double)si->rtt_n;
    back = pc_analyzer_ssrc(a, si->rtt_reporter, 0);
    if (back != NULL && back != si && back->rtt_n > 0 && back->rtt_reporter == ssrc)
        ms += back->rtt_sum_ms / (double)back->rtt_n;
    pc_report_set_num(r, sc, PC_M_STREAM_RTT_REPORTS, (double)si->rtt_n);
    pc_report_set_num(r, sc, PC_M_STREAM_RTT_MS, ms);
}

/* ", PCMU, 8 kHz, 3 min 12 s": the codec when its payload type says it, the rate, the length. */
static void what_text(const struct stream *s, const char *codec, unsigned hz, char *buf, size_t cap)
{
    double sec = (double)(s->last_ns - s->first_ns) / 1e9;
    char rate[24] = "", len[32];

    if (hz % 1000 == 0 && hz != 0)
        snprintf(rate, sizeof(rate), ", %u kHz", hz / 1000);
    else if (hz != 0)
        snprintf(rate, sizeof(rate), ", %.1f kHz", hz / 1000.0);
    if (sec >= 60)
        snprintf(len, sizeof(len), "%d min %d s", (int)(sec / 60), (int)sec % 60);
    else
        snprintf(len, sizeof(len), sec >= 10 ? "%.0f s" : "%.1f s", sec);
    snprintf(buf, cap, "%s%s%s, %s", codec ? ", " : "", codec ? codec : "", rate, len);
}

/*
 * Does the stream count for the verdict? 0 with the reason in why when it is
 * only bandwidth probes (every packet padding alone) or too short to judge.
 */
static int judged(const struct stream *s, char *why, size_t cap)
{
    double ms = (double)(s->last_ns - s->first_ns) / 1e6;

    if (s->padding_only == s->seq.received) {
        snprintf(why, cap, "bandwidth probes (%llu padding packets), not media",
                 (unsigned long long)s->padding_only);
        return 0;
    }
    if (s->seq.received < JUDGE_MIN_PACKETS || ms < JUDGE_MIN_MS) {
        snprintf(why, cap,
                 "too short to judge (%llu packet%s over %.0f ms; a verdict needs %d over %d ms)",
                 (unsigned long long)s->seq.received, s->seq.received == 1 ? "" : "s", ms,
                 JUDGE_MIN_PACKETS, JUDGE_MIN_MS);
        return 0;
    }
    return 1;
}

/* A word of the SDP fit to show: letters, digits and "-_.+" only (it came off the wire). */
static const char *sdp_word(const char *w)
{
    if (w[0] == '\0')
        return NULL;
    for (const char *c = w; *c != '\0'; c++)
        if (!isalnum((unsigned char)*c) && strchr("-_.+", *c) == NULL)
            return NULL;
    return w;
}

/* One STREAM scope; 1 when the stream counts for the verdict. */
static int stream_scope(struct pc_analyzer *a, struct pc_report *r, struct stream *s,
                        int have_local, uint8_t lfam, const uint8_t *laddr, int64_t shift_ns,
                        int *scope)
{
    const struct udpflow *f = &a->udp[s->k.flow];
    const struct ssrc_info *si = pc_analyzer_ssrc(a, s->k.ssrc, 0);
    const struct pc_sipmedia_entry *sdp = pc_sipmedia_find(a, s);
    const char *source = NULL, *dir = "unknown", *media, *codec = pc_rtp_static_name(s->pt);
    char src[64], dst[64], peer[64] = "", id[200], label[300], ssrc[16], relay[120] = "";
    char why[160];
    int ri = pick_rate(a, s, &source), sc, counts;
    unsigned hz = ri >= 0 ? s->rate[ri] : 0;
    int64_t lost = pc_rtp_seq_lost(&s->seq);
    uint64_t expected = pc_rtp_seq_expected(&s->seq);
    double dur_s = (double)(s->last_ns - s->first_ns) / 1e9, worst = -1;

    addr_text(f->k.family, f->k.src, f->k.sport, src, sizeof(src));
    addr_text(f->k.family, f->k.dst, f->k.dport, dst, sizeof(dst));
    snprintf(ssrc, sizeof(ssrc), "0x%08x", s->k.ssrc);
    media = media_of(s, hz);
    /* what the call's SDP said of it, when it said (sipmedia.c) */
    if (sdp != NULL && sdp_word(sdp->name) != NULL)
        codec = sdp->name;
    if (sdp != NULL && (strcmp(sdp->kind, "audio") == 0 || strcmp(sdp->kind, "video") == 0))
        media = sdp->kind;
    if (have_local && f->k.family == lfam && memcmp(f->k.dst, laddr, 16) == 0)
        dir = "received";
    else if (have_local && f->k.family == lfam && memcmp(f->k.src, laddr, 16) == 0)
        dir = "sent";
    if (s->k.via == VIA_CHANNEL)
        snprintf(relay, sizeof(relay), "TURN channel 0x%04x", s->k.channel);
    else if (s->k.via == VIA_INDICATION) {
        addr_text(s->k.peer_family, s->k.peer, s->k.peer_port, peer, sizeof(peer));
        snprintf(relay, sizeof(relay), "TURN indications, peer %s", peer);
    }
    pc_strfmt(id, sizeof(id), "%s>%s/%s%s%s", src, dst, ssrc, relay[0] ? " via " : "", relay);
    {
        const char *m = strcmp(media, "RTP") == 0 ? "RTP stream" : media;
        char tail[200], what[80];

        /* as a person names it: "audio from A to B, PCMU, 8 kHz, 3 min 12 s" */
        what_text(s, codec, hz, what, sizeof(what));
        snprintf(tail, sizeof(tail), "(PT %u, SSRC %s%s%s)", s->pt, ssrc, relay[0] ? ", via " : "",
                 relay);
        if (strcmp(dir, "received") == 0)
            pc_strfmt(label, sizeof(label), "%s received from %s%s %s", m, src, what, tail);
        else if (strcmp(dir, "sent") == 0)
            pc_strfmt(label, sizeof(label), "%s sent to %s%s %s", m, dst, what, tail);
        else
            pc_strfmt(label, sizeof(label), "%s from %s to %s%s %s", m, src, dst, what, tail);
    }
    sc = pc_report_scope(r, PC_SCOPE_STREAM, id, label);
    *scope = sc;
    if (sc < 0)
        return 0;
    if (!(counts = judged(s, why, sizeof(why)))) {
        pc_report_scope_compare(r, (size_t)sc); /* shown and scored, never sets the verdict */
        pc_report_set_text(r, sc, PC_M_STREAM_NOT_JUDGED, why);
    }
    if (s->padding_only > 0)
        pc_report_set_num(r, sc, PC_M_STREAM_PADDING_PACKETS, (double)s->padding_only);
    if (s->other_pt > 0)
        pc_report_set_num(r, sc, PC_M_STREAM_OTHER_PT_PACKETS, (double)s->other_pt);
    pc_report_set_num(r, sc, PC_M_STREAM_SEGMENTS, (double)s->segments + 1);
    pc_report_set_text(r, sc, PC_M_STREAM_MEDIA, media);
    pc_report_set_text(r, sc, PC_M_STREAM_DIRECTION, dir);
    pc_report_set_text(r, sc, PC_M_STREAM_SSRC, ssrc);
    pc_report_set_text(r, sc, PC_M_STREAM_SOURCE, src);
    pc_report_set_text(r, sc, PC_M_STREAM_DESTINATION, dst);
    if (relay[0])
        pc_report_set_text(r, sc, PC_M_STREAM_RELAY, relay);
    pc_report_set_num(r, sc, PC_M_STREAM_PAYLOAD_TYPE, s->pt);
    if (hz != 0) {
        pc_report_set_num(r, sc, PC_M_STREAM_CLOCK_HZ, hz);
        pc_report_set_text(r, sc, PC_M_STREAM_CLOCK_SOURCE, source);
    }
    pc_report_set_num(r, sc, PC_M_STREAM_DURATION_S, dur_s);
    pc_report_set_num(r, sc, PC_M_STREAM_PACKETS, (double)s->seq.received);
    pc_report_set_num(r, sc, PC_M_STREAM_EXPECTED, (double)expected);
    pc_report_set_num(r, sc, PC_M_STREAM_LOST, (double)lost);
    pc_report_set_num(r, sc, PC_M_STREAM_DUPLICATES, (double)s->seq.duplicates);
    pc_report_set_num(r, sc, PC_M_STREAM_REORDERED, (double)s->seq.reordered);
    pc_report_set_num(r, sc, PC_M_STREAM_SEQ_ERRORS, (double)s->seq.seq_errors);
    pc_report_set_num(r, sc, PC_M_STREAM_LOSS_PCT,
                      expected > 0 ? 100.0 * (double)lost / (double)expected : 0);
    if (s->seq.received > 1)
        pc_report_set_num(r, sc, PC_M_STREAM_GAP_MAX_MS, s->gap_max_ms);
    if (dur_s > 0)
        pc_report_set_num(r, sc, PC_M_STREAM_BITRATE_KBPS, (double)s->bytes * 8 / dur_s / 1e3);
    if (ri >= 0 && s->seq.received > 1)
        pc_report_set_num(r, sc, PC_M_STREAM_GAP_EXCESS_MS, s->jit[ri].excess_max_ms);
    if (ri >= 0 && s->jit[ri].excess_max_ms > 0) {
        char at[40];

        pc_report_moment(r, s->jit[ri].excess_at_ns + shift_ns - r->started_ns, at, sizeof(at));
        pc_report_set_text(r, sc, PC_M_STREAM_DROPOUT_AT, at);
    }
    if (hz != 0)
        pc_report_set_num(r, sc, PC_M_STREAM_SILENCE_S, (double)s->silence_ts / hz);
    if (codec != NULL)
        pc_report_set_text(r, sc, PC_M_STREAM_CODEC, codec);
    if (ri >= 0 && s->jit[ri].n > 0) {
        pc_report_set_num(r, sc, PC_M_STREAM_JITTER_MS, s->jit[ri].sum / (double)s->jit[ri].n);
        pc_report_set_num(r, sc, PC_M_STREAM_JITTER_MAX_MS, s->jit[ri].max);
    }
    if (si != NULL && si->rr_count > 0) {
        pc_report_set_num(r, sc, PC_M_RTCP_RR_REPORTS, (double)si->rr_count);
        pc_report_set_num(r, sc, PC_M_RTCP_RR_LOSS_PCT, si->rr_fraction_max * 100);
        if (hz != 0)
            pc_report_set_num(r, sc, PC_M_RTCP_RR_JITTER_MS, si->rr_jitter_max * 1000.0 / hz);
    }
    stream_delay(a, r, sc, s->k.ssrc);
    /* the timeline, one point per second from the second of the stream's first packet */
    pc_stream_close_second(s, s->cur_sec + 1);
    for (size_t i = 0; i < s->n_secs; i++) {
        const struct second *q = &s->secs[i];
        int64_t t = (s->sec0 + (int64_t)i) * 1000000000 + shift_ns;
        double loss = q->expected > q->recv ? 100.0 * (q->expected - q->recv) / q->expected : 0;

        pc_report_series_add(r, sc, PC_M_STREAM_LOSS_PCT, t, loss);
        if (ri >= 0)
            pc_report_series_add(r, sc, PC_M_STREAM_JITTER_MS, t, q->jitter[ri]);
        pc_report_series_add(r, sc, PC_M_STREAM_BITRATE_KBPS, t, q->bytes * 8 / 1e3);
        if (q->expected >= WORST_SECOND_MIN && loss > worst)
            worst = loss;
    }
    if (worst >= 0)
        pc_report_set_num(r, sc, PC_M_STREAM_WORST_SECOND_LOSS_PCT, worst);
    return counts;
}

/* A step of the clock for people: "56.9 years", "2.0 hours", "42 s". */
static void step_text(int64_t ns, char *buf, size_t cap)
{
    double s = fabs((double)ns) / 1e9;

    if (s >= 2 * 365.25 * 86400)
        snprintf(buf, cap, "%.1f years", s / (365.25 * 86400));
    else if (s >= 2 * 86400)
        snprintf(buf, cap, "%.1f days", s / 86400);
    else if (s >= 2 * 3600)
        snprintf(buf, cap, "%.1f hours", s / 3600);
    else
        snprintf(buf, cap, "%.0f s", s);
}

/*
 * One FILE scope per input. An input that was the same file as an earlier
 * one says so (on the earlier one's scope when it was given by the same
 * name); a file whose clock jumped says where, after any damage.
 */
static void file_scope(const struct pc_analyzer *a, struct pc_report *r, const struct capfile *f)
{
    const char *path = f->path ? (strcmp(f->path, "-") == 0 ? "standard input" : f->path) : "?";
    char note[sizeof(f->error) + 300], step[40];
    int sc;

    (void)a;
    if (f->same && (sc = pc_report_scope_find(r, PC_SCOPE_FILE, path)) >= 0) {
        const struct pc_value *v = pc_report_get(r, (size_t)sc, PC_M_CAPTURE_ERROR);

        pc_strfmt(note, sizeof(note), "%s%sgiven again: read once",
                  v != NULL && v->set && v->text ? v->text : "",
                  v != NULL && v->set && v->text ? "; " : "");
        pc_report_set_text(r, (size_t)sc, PC_M_CAPTURE_ERROR, note);
        return;
    }
    sc = pc_report_scope(r, PC_SCOPE_FILE, path, NULL);
    if (sc < 0)
        return;
    pc_report_set_num(r, sc, PC_M_CAPTURE_PACKETS, (double)f->frames);
    pc_report_set_text(r, sc, PC_M_CAPTURE_FORMAT, f->format);
    if (f->link[0])
        pc_report_set_text(r, sc, PC_M_CAPTURE_LINK, f->link);
    if (f->clock_jumps > 0) {
        step_text(f->jump_ns, step, sizeof(step));
        pc_strfmt(note, sizeof(note),
                  "%s%sthe capture's clock jumped %s by %s at packet %llu%s%llu jump%s in all): "
                  "the packets after it are taken to follow on, and no gap or jitter is "
                  "measured across it",
                  f->error, f->error[0] ? "; " : "", f->jump_ns < 0 ? "back" : "forward", step,
                  (unsigned long long)f->jump_frame, " (", (unsigned long long)f->clock_jumps,
                  f->clock_jumps == 1 ? "" : "s");
        pc_report_set_text(r, sc, PC_M_CAPTURE_ERROR, note);
    } else if (f->error[0]) {
        pc_report_set_text(r, sc, PC_M_CAPTURE_ERROR, f->error);
    }
}

#define CLOCK_SET_NS (946684800LL * 1000000000LL) /* 2000-01-01: a clock before it was not set */

/*
 * A capture whose clock was set part-way (its first packets stamped 1970,
 * then a jump to the real time) is shown on the clock it was set to: its
 * times are moved by the last jump, in whole seconds. 0 when not needed.
 */
static int64_t display_shift(const struct pc_analyzer *a)
{
    int64_t shift = -(a->clock_offset_ns / 1000000000) * 1000000000;

    if (a->first_ns >= CLOCK_SET_NS || a->first_ns + shift < CLOCK_SET_NS)
        return 0;
    return shift;
}

static int by_start(const void *x, const void *y)
{
    const struct stream *a = *(const struct stream *const *)x,
                        *b = *(const struct stream *const *)y;

    if (a->first_ns != b->first_ns)
        return a->first_ns < b->first_ns ? -1 : 1;
    return a < b ? -1 : a > b;
}

static int by_bytes(const void *x, const void *y)
{
    const struct tcpflow *a = *(const struct tcpflow *const *)x,
                         *b = *(const struct tcpflow *const *)y;

    if (a->bytes != b->bytes)
        return a->bytes > b->bytes ? -1 : 1;
    return a < b ? -1 : a > b;
}

static void flow_scopes(struct pc_analyzer *a, struct pc_report *r)
{
    struct tcpflow **v = malloc((a->n_tcp + 1) * sizeof(*v));
    size_t n = 0;

    if (v == NULL)
        return;
    for (size_t i = 0; i < a->n_tcp; i++)
        if (a->tcp[i].segments > 0)
            v[n++] = &a->tcp[i];
    qsort(v, n, sizeof(*v), by_bytes);
    for (size_t i = 0; i < n && i < TCP_FLOWS_SHOWN; i++) {
        const struct tcpflow *f = v[i];
        char src[64], dst[64], id[140], label[200];
        int sc;

        addr_text(f->k.family, f->k.src, f->k.sport, src, sizeof(src));
        addr_text(f->k.family, f->k.dst, f->k.dport, dst, sizeof(dst));
        snprintf(id, sizeof(id), "tcp %s>%s", src, dst);
        snprintf(label, sizeof(label), "TCP %s to %s", src, dst);
        sc = pc_report_scope(r, PC_SCOPE_FLOW, id, label);
        if (sc < 0)
            continue;
        pc_report_set_text(r, sc, PC_M_TCP_SOURCE, src);
        pc_report_set_text(r, sc, PC_M_TCP_DESTINATION, dst);
        pc_report_set_num(r, sc, PC_M_TCP_SEGMENTS, (double)f->segments);
        pc_report_set_num(r, sc, PC_M_TCP_RETRANS, (double)f->retrans);
        pc_report_set_num(r, sc, PC_M_TCP_RETRANS_PCT, 100.0 * f->retrans / f->segments);
    }
    free(v);
}

/* A stream and its scope in the report, for relay_legs(). */
struct leg {
    const struct stream *s;
    int scope;
};

static int by_ssrc(const void *x, const void *y)
{
    const struct leg *a = x, *b = y;

    if (a->s->k.ssrc != b->s->k.ssrc)
        return a->s->k.ssrc < b->s->k.ssrc ? -1 : 1;
    if (a->s->first_ns != b->s->first_ns)
        return a->s->first_ns < b->s->first_ns ? -1 : 1;
    return a->scope < b->scope ? -1 : a->scope > b->scope;
}

static uint64_t lost_of(const struct stream *s)
{
    int64_t lost = pc_rtp_seq_lost(&s->seq);

    return lost > 0 ? (uint64_t)lost : 0;
}

/*
 * Both legs of a relayed stream (a TURN relay, a media relay): exactly two
 * streams of one SSRC and payload type on different address pairs (or one
 * plain and one inside TURN framing), at the same time, both judged. The leg whose first
 * packet came first is the first leg, from the sender into the relay; the
 * other goes on from the relay to the receiver. A relay forwards only what
 * reached it, so the second leg lacks what the first lost: what it lost
 * beyond that was lost on the last hop. Loss already on the first leg:
 * the trouble is on the far side (the sender's connection, or its path to
 * the relay); only on the second: the last hop (the receiver's side). A
 * capture with one leg only says nothing of sides.
 */
static void relay_legs(struct pc_report *r, struct leg *l, size_t n)
{
    if (l == NULL || n < 2)
        return;
    qsort(l, n, sizeof(*l), by_ssrc);
    for (size_t i = 0; i + 1 < n; i++) {
        const struct stream *s1 = l[i].s, *s2 = l[i + 1].s;
        uint64_t first, second, hop;
        const char *side;

        if (s1->k.ssrc != s2->k.ssrc || (i + 2 < n && l[i + 2].s->k.ssrc == s1->k.ssrc) ||
            (i > 0 && l[i - 1].s->k.ssrc == s1->k.ssrc))
            continue; /* not exactly two of this SSRC */
        if (l[i].scope < 0 || l[i + 1].scope < 0 || s1->pt != s2->pt ||
            s1->first_ns >= s2->first_ns || s2->first_ns > s1->last_ns)
            continue; /* not at the same time, or no telling which came first */
        if (r->scopes[l[i].scope]->for_comparison || r->scopes[l[i + 1].scope]->for_comparison)
            continue; /* too short to judge, or bandwidth probes (SSRC 0 is common there) */
        first = lost_of(s1);
        second = lost_of(s2);
        hop = second > first ? second - first : 0;
        side = first > 0 ? (hop > 0 ? "both" : "far-side") : (hop > 0 ? "last-hop" : "none");
        for (int k = 0; k < 2; k++) {
            size_t sc = (size_t)l[i + k].scope;

            pc_report_set_text(r, sc, PC_M_STREAM_RELAY_LEG, k == 0 ? "first" : "second");
            pc_report_set_text(r, sc, PC_M_STREAM_OTHER_LEG, r->scopes[l[i + 1 - k].scope]->id);
            pc_report_set_num(r, sc, PC_M_STREAM_FIRST_LEG_LOST, (double)first);
            pc_report_set_num(r, sc, PC_M_STREAM_LAST_HOP_LOST, (double)hop);
            pc_report_set_text(r, sc, PC_M_STREAM_LOSS_SIDE, side);
        }
        i++;
    }
}

/*
 * A damaged input file is a cause of its own ("capture-damaged", an advice
 * row): the "read" result names the first such file, so the headline says
 * that the report covers only what came before the damage.
 */
static void damaged(const struct pc_analyzer *a, struct pc_report *r)
{
    struct pc_probe_result *p;
    size_t n = 0, first = 0;

    for (size_t i = a->n_files; i-- > 0;)
        if (a->files[i].damaged)
            n++, first = i;
    if (n == 0 || (p = pc_report_probe(r, "read")) == NULL)
        return;
    snprintf(p->method, sizeof(p->method), "%zu capture file%s read, %zu damaged", a->n_files,
             a->n_files == 1 ? "" : "s", n);
    pc_report_subject(r, p, a->files[first].path ? a->files[first].path : "?");
    pc_report_finish(r, p, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_CAPTURE_DAMAGED), "%s: %s",
                     a->files[first].path ? a->files[first].path : "?", a->files[first].error);
}

void pc_analyzer_report(struct pc_analyzer *a, struct pc_report *r)
{
    struct pc_probe_result *p = pc_report_probe(r, "analyze");
    struct stream **v = malloc((a->n_streams + 1) * sizeof(*v));
    struct leg *legs = malloc((a->n_streams + 1) * sizeof(*legs));
    size_t n = 0, counted = 0;
    uint8_t lfam = 0, laddr[16] = {0};
    int have_local;
    int64_t shift;
    time_t t0;
    struct tm tm;

    pc_streams_confirm_short(a);
    have_local = local_address(a, &lfam, laddr);
    shift = display_shift(a);
    /* The report starts at the capture's first second, on the capture's clock. */
    r->started_ns = a->first_ns - a->first_ns % 1000000000 + shift;
    r->started_unix_ns = r->started_ns;
    r->duration_ns = a->last_ns - a->first_ns;
    t0 = (time_t)(r->started_ns / 1000000000);
    if (gmtime_r(&t0, &tm) != NULL)
        strftime(r->started_at, sizeof(r->started_at), "%Y-%m-%dT%H:%M:%SZ", &tm);
    for (size_t i = 0; i < a->n_files; i++)
        file_scope(a, r, &a->files[i]);
    damaged(a, r);
    for (size_t i = 0; v != NULL && i < a->n_streams; i++)
        if (a->streams[i].confirmed)
            v[n++] = &a->streams[i];
    if (n > 0)
        qsort(v, n, sizeof(*v), by_start);
    for (size_t i = 0; i < n; i++) {
        int sc = -1;

        counted += (size_t)stream_scope(a, r, v[i], have_local, lfam, laddr, shift, &sc);
        if (legs != NULL) {
            legs[i].s = v[i];
            legs[i].scope = sc;
        }
    }
    relay_legs(r, legs, n);
    free(legs);
    free(v);
    flow_scopes(a, r);
    if (p == NULL)
        return;
    snprintf(p->method, sizeof(p->method),
             "%llu frames: %zu RTP streams, %zu UDP and %zu TCP flows; %llu IP fragments "
             "(not reassembled), %llu cut short, %llu other",
             (unsigned long long)a->frames, n, a->n_udp, a->n_tcp, (unsigned long long)a->fragments,
             (unsigned long long)a->cut, (unsigned long long)a->other);
    if (n == 0)
        pc_report_finish(r, p, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_NO_RTP),
                         "no RTP stream in %llu packets", (unsigned long long)a->frames);
    else if (counted == 0)
        pc_report_finish(r, p, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_STREAMS_TOO_SHORT),
                         "%zu RTP stream%s, none long enough to judge", n, n == 1 ? "" : "s");
    else
        pc_report_finish(r, p, PC_STATUS_OK, "", "%zu RTP stream%s", n, n == 1 ? "" : "s");
}
