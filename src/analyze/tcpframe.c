/*
 * tcpframe.c - TURN framing on TCP, and TURNS noticed (see tcpframe.h).
 *
 * RFC 6062 4 and RFC 8656 12.5: over TCP and TLS, STUN messages and
 * ChannelData frames follow one another in the byte stream; a ChannelData
 * frame is padded to a multiple of 4 bytes there. RFC 8489 6: a STUN
 * message is a 20-byte header (two zero bits, type, length, the magic
 * cookie 0x2112A442, transaction id) and its attributes. RFC 8446 5.1: a
 * TLS record begins with its content type (22 handshake), 0x03 and the
 * minor version.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/tcpframe.h"
#include "precall/buf.h"
#include "precall/cause.h"

enum mode { MODE_UNKNOWN, MODE_TURN, MODE_TLS, MODE_OTHER };

struct tflow {
    uint8_t mode;
    uint8_t synced; /* next_seq is where buf ends */
    uint8_t turns;  /* TLS that says it is TURN (port 5349, ALPN stun.turn) */
    uint32_t next_seq;
    uint8_t *buf; /* bytes of an unfinished frame */
    size_t n, cap;
    uint64_t frames, tls_bytes;
};

struct pc_tcpframes {
    struct tflow *f; /* by TCP flow index */
    size_t n, cap;
};

void pc_tcpframe_free(struct pc_tcpframes *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->f[i].buf);
    free(t->f);
    free(t);
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* A STUN header (8489 6) at p: 1 with its whole length, 0 when not one. */
static int stun_at(const uint8_t *p, size_t n, size_t *len)
{
    if (n < 20 || (p[0] & 0xC0) != 0 || p[4] != 0x21 || p[5] != 0x12 || p[6] != 0xA4 ||
        p[7] != 0x42 || (be16(p + 2) & 3) != 0)
        return 0;
    *len = 20u + be16(p + 2);
    return 1;
}

/* A ChannelData header (8656 12.4) at p: 1 with its whole length on TCP (padded to 4). */
static int channel_at(const uint8_t *p, size_t n, size_t *len)
{
    if (n < 4 || p[0] < 0x40 || p[0] > 0x4F)
        return 0;
    *len = (4u + be16(p + 2) + 3u) & ~(size_t)3u;
    return 1;
}

/*
 * Does a segment that begins with p start a frame one can trust? A STUN
 * header, or a ChannelData header whose data begins like RTP or RTCP
 * (version 2): "GET " is ChannelData by its first byte, not by its fifth.
 */
static int frame_starts(const uint8_t *p, size_t n)
{
    size_t len;

    if (stun_at(p, n, &len))
        return 1;
    return channel_at(p, n, &len) && n >= 5 && (p[4] & 0xC0) == 0x80 && be16(p + 2) >= 8;
}

/* RFC 8446 5.1: handshake (22) or application data (23), legacy version 3.x. */
static int tls_starts(const uint8_t *p, size_t n)
{
    return n >= 5 && (p[0] == 22 || p[0] == 23) && p[1] == 3 && p[2] <= 4;
}

static int has_alpn_turn(const uint8_t *p, size_t n)
{
    static const char alpn[] = "stun.turn"; /* RFC 7443 */
    const size_t k = sizeof(alpn) - 1;

    for (size_t i = 0; i + k <= n; i++)
        if (p[i] == 's' && memcmp(p + i, alpn, k) == 0)
            return 1;
    return 0;
}

/* One whole frame: the media inside goes to the analyzer. */
static void deliver(struct pc_analyzer *a, uint32_t udp_index, const uint8_t *p, size_t len,
                    int64_t t_ns, pc_tcpframe_media_fn media)
{
    struct skey k;
    struct pc_turn_indication ti;
    const uint8_t *data;
    size_t n;

    pc_stream_key(&k, udp_index);
    if ((p[0] & 0xC0) == 0) {
        if (pc_turn_indication(p, len, &ti) != 0)
            return; /* another STUN message: Allocate, ChannelBind, Refresh ... */
        pc_stream_key_indication(&k, &ti);
        media(a, &k, 1, ti.data, ti.data_len, t_ns);
        return;
    }
    if (pc_turn_channel_data(p, len, &k.channel, &data, &n) == 0) {
        k.via = VIA_CHANNEL;
        media(a, &k, 1, data, n, t_ns);
    }
}

/* Cut whole frames off the front of f->buf; a byte stream that stops making sense is dropped. */
static void frames(struct pc_analyzer *a, struct tflow *f, uint32_t udp_index, int64_t t_ns,
                   pc_tcpframe_media_fn media)
{
    size_t off = 0, len;

    while (f->n - off >= 4) {
        const uint8_t *p = f->buf + off;

        if (!stun_at(p, f->n - off, &len) && !channel_at(p, f->n - off, &len)) {
            if ((p[0] & 0xC0) == 0 && f->n - off < 20)
                break;     /* perhaps a STUN header not yet whole */
            f->synced = 0; /* lost the frames: wait for a segment that starts one */
            f->n = 0;
            return;
        }
        if (len > f->n - off)
            break;
        deliver(a, udp_index, p, len, t_ns, media);
        f->frames++;
        off += len;
    }
    memmove(f->buf, f->buf + off, f->n - off);
    f->n -= off;
}

static struct tflow *tflow_of(struct pc_analyzer *a, long i)
{
    struct pc_tcpframes *t = a->tcpframes;

    if (t == NULL && (t = a->tcpframes = calloc(1, sizeof(*t))) == NULL) {
        a->oom = 1;
        return NULL;
    }
    if ((size_t)i >= t->n) {
        if (pc_grow((void **)&t->f, &t->cap, (size_t)i + 1, sizeof(*t->f)) < 0) {
            a->oom = 1;
            return NULL;
        }
        memset(t->f + t->n, 0, ((size_t)i + 1 - t->n) * sizeof(*t->f));
        t->n = (size_t)i + 1;
    }
    return &t->f[i];
}

void pc_tcpframe_segment(struct pc_analyzer *a, long tcp_index, const struct flowkey *fk,
                         const struct pc_pkt *pk, int64_t t_ns, pc_tcpframe_flow_fn flow,
                         pc_tcpframe_media_fn media)
{
    struct tflow *f = tflow_of(a, tcp_index);
    const uint8_t *p = pk->payload;
    size_t n = pk->payload_len;
    uint32_t seq = pk->tcp_seq;
    long ui;

    if (f == NULL || f->mode == MODE_OTHER || n == 0)
        return;
    if (f->mode == MODE_UNKNOWN) {
        if (tls_starts(p, n)) {
            f->mode = MODE_TLS;
            f->turns = fk->sport == 5349 || fk->dport == 5349 || has_alpn_turn(p, n);
        } else {
            f->mode = frame_starts(p, n) ? MODE_TURN : MODE_OTHER;
        }
    }
    if (f->mode == MODE_TLS) {
        f->tls_bytes += pk->wire_len;
        if (!f->turns && p[0] == 22)
            f->turns = has_alpn_turn(p, n);
        return;
    }
    if (f->mode != MODE_TURN)
        return;
    if (f->synced && (int32_t)(seq - f->next_seq) < 0) { /* a resend, or part of one */
        uint32_t old = f->next_seq - seq;

        if (old >= n)
            return;
        p += old;
        n -= old;
        seq = f->next_seq;
    }
    if (f->synced && seq != f->next_seq) { /* bytes missing from the capture */
        f->synced = 0;
        f->n = 0;
    }
    if (!f->synced) {
        if (!frame_starts(p, n))
            return;
        f->synced = 1;
        f->n = 0;
    }
    f->next_seq = seq + (uint32_t)n;
    if (pc_grow((void **)&f->buf, &f->cap, f->n + n, 1) < 0) {
        a->oom = 1;
        f->synced = 0;
        f->n = 0;
        return;
    }
    memcpy(f->buf + f->n, p, n);
    f->n += n;
    if ((ui = flow(a, fk, 1)) < 0) {
        a->untracked++;
        f->n = 0;
        return;
    }
    frames(a, f, (uint32_t)ui, t_ns, media);
    if (n < pk->wire_len || f->n > PC_TCPFRAME_MAX) { /* cut by the snap length, or not TURN */
        f->synced = 0;
        f->n = 0;
    }
}

/* Was addr seen with STUN or RTCP on UDP, or TURN framing on TCP (a TURN server's other ways)? */
static int stun_server(const struct pc_analyzer *a, const uint8_t *addr, uint8_t family)
{
    const struct pc_tcpframes *t = a->tcpframes;

    for (size_t i = 0; t != NULL && i < t->n && i < a->n_tcp; i++) {
        const struct flowkey *k = &a->tcp[i].k;

        if (t->f[i].mode == MODE_TURN && t->f[i].frames > 0 && k->family == family &&
            (memcmp(k->src, addr, 16) == 0 || memcmp(k->dst, addr, 16) == 0))
            return 1;
    }
    for (size_t i = 0; i < a->n_udp; i++) {
        const struct udpflow *u = &a->udp[i];

        if (u->k.proto == 17 && u->context && u->k.family == family &&
            (memcmp(u->k.src, addr, 16) == 0 || memcmp(u->k.dst, addr, 16) == 0))
            return 1;
    }
    return 0;
}

static void address(const struct flowkey *k, int src, char *buf, size_t cap)
{
    const uint8_t *ad = src ? k->src : k->dst;
    unsigned port = src ? k->sport : k->dport;

    if (k->family == 4)
        pc_strfmt(buf, cap, "%u.%u.%u.%u:%u", ad[0], ad[1], ad[2], ad[3], port);
    else
        pc_strfmt(buf, cap, "[%x:%x:%x:%x:%x:%x:%x:%x]:%u", be16(ad), be16(ad + 2), be16(ad + 4),
                  be16(ad + 6), be16(ad + 8), be16(ad + 10), be16(ad + 12), be16(ad + 14), port);
}

void pc_tcpframe_report(const struct pc_analyzer *a, struct pc_report *r)
{
    const struct pc_tcpframes *t = a->tcpframes;
    struct pc_probe_result *p;
    char src[64], dst[64];
    size_t first = 0, n = 0;
    uint64_t bytes = 0;

    for (size_t i = 0; t != NULL && i < t->n && i < a->n_tcp; i++) {
        const struct tflow *f = &t->f[i];
        const struct flowkey *k = &a->tcp[i].k;

        /* the server's side: the lower port, or 443 and 5349 */
        if (f->mode != MODE_TLS ||
            !(f->turns || stun_server(a, k->dport < k->sport ? k->dst : k->src, k->family)))
            continue;
        if (n++ == 0)
            first = i;
        bytes += f->tls_bytes;
    }
    if (n == 0 || (p = pc_report_probe(r, "relay-tls")) == NULL)
        return;
    address(&a->tcp[first].k, 1, src, sizeof(src));
    address(&a->tcp[first].k, 0, dst, sizeof(dst));
    pc_strfmt(p->method, sizeof(p->method), "%zu TCP flow%s of TURN over TLS (TURNS), %llu bytes",
              n, n == 1 ? "" : "s", (unsigned long long)bytes);
    pc_report_subject(r, p, dst);
    pc_report_finish(r, p, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_MEDIA_IN_TLS),
                     "media relayed over TURN inside TLS (TURNS, TCP %s to %s%s) could not be "
                     "seen: TLS encrypts it, so no loss, jitter or gap of it was measured",
                     src, dst, n > 1 ? " and others" : "");
}
