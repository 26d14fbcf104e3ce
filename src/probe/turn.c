/*
 * turn.c - the relay check ('turn' probe): for each --turn relay, an
 * allocation with the long-term credential mechanism (RFC 8656, RFC 8489 9.2)
 * over the URI's transport, then the path through the relay: two
 * allocations of this computer that send to each other through channels
 * (CreatePermission, ChannelBind), at an audio stream's rate and in a short
 * burst at an SD video rate. A relay reached over IPv6 is asked for an IPv6
 * relayed address (REQUESTED-ADDRESS-FAMILY). Each relay and transport is a scope of its own
 * (kind server, for comparison); the run scope says whether a relay worked
 * and the best relay's round trip. Credentials are never printed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "precall/buf.h"
#include "precall/cause.h"
#include "precall/clock.h"
#include "precall/netaddr.h"
#include "precall/probe.h"
#include "precall/stats.h"
#include "precall/turn.h"
#include "probe/stunsock.h"
#include "probe/turnconn.h"

#define RTO_NS         (250 * PC_NS_PER_MS)  /* first retransmission over UDP (RFC 8489 6.2.1) */
#define STEP_NS        (5 * PC_NS_PER_S)     /* one request's answer, at most */
#define STALE_MAX      3                     /* 438 answers in a row before giving up */
#define AUDIO_EVERY_NS (20 * PC_NS_PER_MS)   /* 50 packets a second, as an audio stream */
#define AUDIO_BYTES    172                   /* 160 bytes of G.711 and an RTP header */
#define AUDIO_MAX      500                   /* packets of the audio stream at most */
#define VIDEO_BYTES    1200                  /* an SD video packet */
#define VIDEO_EVERY_NS (6400 * 1000LL)       /* 1200 bytes every 6.4 ms: 1.5 Mbit/s */
#define VIDEO_NS       (500 * PC_NS_PER_MS)  /* the burst's length */
#define DRAIN_NS       (300 * PC_NS_PER_MS)  /* late echoes counted after the last send */
#define AUDIO_MIN_NS   (1000 * PC_NS_PER_MS) /* the audio stream before a video burst */
#define CHANNEL        0x4000
#define REST_NAME      "precall"
#define REST_LIFE_S    86400

enum outcome {
    OUT_OK = 0,
    OUT_ERROR,     /* an error response: code in s->error */
    OUT_TIMEOUT,   /* no answer by the deadline */
    OUT_CONN,      /* the connection failed: s->fail */
    OUT_INTEGRITY, /* an answer whose MESSAGE-INTEGRITY is wrong or missing */
    OUT_NONCE,     /* the nonce kept changing */
    OUT_STOPPED    /* cancelled or past the deadline */
};

struct alloc {
    struct pc_turnconn conn;
    const char *user, *password;
    uint8_t key[PC_TURN_KEY_MAX];
    size_t key_len;
    int have_key;
    int alg; /* PC_TURN_ALG_MD5, or PC_TURN_ALG_SHA256 when the relay offered it */
    uint8_t algorithms[PC_TURN_ALGS_MAX]; /* its PASSWORD-ALGORITHMS, echoed (RFC 8489 9.2.4) */
    size_t algorithms_len;
    uint8_t realm[PC_TURN_REALM_MAX], nonce[PC_TURN_NONCE_MAX];
    size_t realm_len, nonce_len;
    struct pc_stun_addr relayed;
    int error;
    char error_reason[128];
    enum pc_turnconn_fail fail;
    int open;
    int allocated; /* the relay granted it: released with a Refresh of lifetime 0 */
    int family6;   /* the relay is reached over IPv6: an IPv6 relayed address is asked for */
};

struct creds {
    char user[300];
    char password[300];
    int rest;
};

static void new_txid(struct pc_stun_txid *tx)
{
    static _Atomic unsigned long counter;
    unsigned long n = atomic_fetch_add(&counter, 1) + 1;
    int64_t t = pc_clock_now_ns();

    for (int i = 0; i < 12; i++)
        tx->b[i] =
            (uint8_t)((i < 8 ? (uint64_t)t >> (8 * i) : n >> (8 * (i - 8))) ^ (uint8_t)rand());
}

static int stopped(const struct pc_probe_ctx *ctx)
{
    return pc_probe_should_stop(ctx);
}

/* Build the request of method with its attributes, signed when a key is known. */
static int build(struct alloc *a, uint16_t method, const struct pc_stun_addr *peer,
                 const struct pc_stun_txid *tx, uint8_t *buf, size_t cap, size_t *len)
{
    struct pc_turn_builder b;

    pc_turn_begin(&b, buf, cap, method, PC_STUN_REQUEST, tx);
    pc_turn_put_bytes(&b, 0x8022, pc_stunsock_software(), strlen(pc_stunsock_software()));
    if (method == PC_TURN_ALLOCATE)
        pc_turn_put_u32(&b, PC_TURN_ATTR_REQUESTED_TRANSPORT, (uint32_t)PC_TURN_PROTO_UDP << 24);
    if (method == PC_TURN_ALLOCATE && a->family6) /* RFC 8656 18.8; else IPv4 (RFC 6156 4.2) */
        pc_turn_put_u32(&b, PC_TURN_ATTR_REQUESTED_ADDRESS_FAMILY,
                        (uint32_t)PC_TURN_FAMILY_IPV6 << 24);
    if (method == PC_TURN_REFRESH)
        pc_turn_put_u32(&b, PC_TURN_ATTR_LIFETIME, 0);
    if (method == PC_TURN_CHANNEL_BIND)
        pc_turn_put_u32(&b, PC_TURN_ATTR_CHANNEL_NUMBER, (uint32_t)CHANNEL << 16);
    if (peer)
        pc_turn_put_xaddr(&b, PC_TURN_ATTR_XOR_PEER_ADDRESS, peer);
    if (a->have_key) {
        pc_turn_put_bytes(&b, PC_TURN_ATTR_USERNAME, a->user, strlen(a->user));
        pc_turn_put_bytes(&b, PC_TURN_ATTR_REALM, a->realm, a->realm_len);
        pc_turn_put_bytes(&b, PC_TURN_ATTR_NONCE, a->nonce, a->nonce_len);
        if (a->alg == PC_TURN_ALG_SHA256) { /* 9.2.4: the list as offered, and the choice */
            pc_turn_put_bytes(&b, PC_TURN_ATTR_PASSWORD_ALGORITHMS, a->algorithms,
                              a->algorithms_len);
            pc_turn_put_u32(&b, PC_TURN_ATTR_PASSWORD_ALGORITHM,
                            (uint32_t)PC_TURN_ALG_SHA256 << 16);
        }
    }
    return pc_turn_finish_alg(&b, a->have_key ? a->key : NULL, a->key_len,
                              a->have_key ? a->alg : PC_TURN_ALG_MD5, 1, len);
}

/*
 * Take the realm and nonce of an answer, and its password algorithm: SHA-256
 * when the relay offers it as RFC 8489 9.2 says (the nonce cookie and
 * PASSWORD-ALGORITHMS), MD5 otherwise. A new realm or algorithm means a new key.
 */
static int take_nonce(struct alloc *a, const struct pc_turn_msg *m)
{
    int alg = pc_turn_offers_sha256(m) ? PC_TURN_ALG_SHA256 : PC_TURN_ALG_MD5;

    if (!m->nonce || !m->realm || m->nonce_len == 0)
        return -1;
    memcpy(a->nonce, m->nonce, m->nonce_len);
    a->nonce_len = m->nonce_len;
    if (alg == PC_TURN_ALG_SHA256) {
        memcpy(a->algorithms, m->algorithms, m->algorithms_len);
        a->algorithms_len = m->algorithms_len;
    }
    if (!a->have_key || alg != a->alg || m->realm_len != a->realm_len ||
        memcmp(m->realm, a->realm, a->realm_len)) {
        memcpy(a->realm, m->realm, m->realm_len);
        a->realm_len = m->realm_len;
        a->alg = alg;
        if (pc_turn_longterm_key_alg(a->user, a->realm, a->realm_len, a->password, alg, a->key,
                                     &a->key_len) < 0)
            return -1;
    }
    a->have_key = 1;
    return 0;
}

/*
 * The integrity of an answer to a signed request: MESSAGE-INTEGRITY-SHA256
 * when the request carried it (RFC 8489 9.2.5), MESSAGE-INTEGRITY otherwise.
 */
static int answer_signed(const struct alloc *a, const uint8_t *rx, size_t n,
                         const struct pc_turn_msg *m)
{
    if (a->alg == PC_TURN_ALG_SHA256)
        return pc_turn_integrity256_ok(rx, n, m, a->key, a->key_len) == 1;
    return pc_turn_integrity_ok(rx, n, m, a->key, a->key_len) == 1;
}

/*
 * One request and its answer, retransmitted over UDP; 401 and 438 answered
 * with the realm and nonce they bring. Non-matching frames (ChannelData, Data
 * indications, stray answers) are skipped. The answer goes into m (pointing
 * into rx).
 */
static enum outcome transact(struct pc_probe_ctx *ctx, struct alloc *a, uint16_t method,
                             const struct pc_stun_addr *peer, int64_t until, struct pc_turn_msg *m,
                             uint8_t *rx, size_t rxcap)
{
    int stale = 0, unauth = 0;

    for (;;) {
        uint8_t req[1024];
        size_t reqlen = 0;
        struct pc_stun_txid tx;
        int64_t rto = RTO_NS, next;
        int signed_req = a->have_key;
        size_t n = 0;

        new_txid(&tx);
        if (build(a, method, peer, &tx, req, sizeof(req), &reqlen) < 0)
            return OUT_CONN;
        if (pc_turnconn_send(&a->conn, req, reqlen, &a->fail) < 0)
            return OUT_CONN;
        next = a->conn.transport == PC_TURN_UDP ? pc_clock_now_ns() + rto : until;
        for (;;) {
            int64_t rx_ns;
            int64_t wait = next < until ? next : until;
            int rc;

            if (stopped(ctx))
                return OUT_STOPPED;
            rc = pc_turnconn_recv(&a->conn, wait, rx, rxcap, &n, &rx_ns, &a->fail);
            if (rc < 0)
                return OUT_CONN;
            if (rc == 0) {
                if (pc_clock_now_ns() >= until)
                    return OUT_TIMEOUT;
                rto *= 2; /* UDP: send again, waiting twice as long */
                if (pc_turnconn_send(&a->conn, req, reqlen, &a->fail) < 0)
                    return OUT_CONN;
                next = pc_clock_now_ns() + rto;
                continue;
            }
            if (pc_turn_is_channel(rx, n) || pc_turn_decode(rx, n, m, NULL) < 0 ||
                memcmp(m->stun.txid.b, tx.b, 12) != 0 || m->stun.method != method ||
                (m->stun.cls != PC_STUN_SUCCESS && m->stun.cls != PC_STUN_ERROR))
                continue;
            break;
        }
        if (m->stun.cls == PC_STUN_SUCCESS) {
            if (signed_req && !answer_signed(a, rx, n, m))
                return OUT_INTEGRITY;
            return OUT_OK;
        }
        a->error = m->stun.has_error_code ? m->stun.error_code : 0;
        pc_strfmt(a->error_reason, sizeof(a->error_reason), "%s", m->stun.error_reason);
        if (a->error == 401 && !signed_req && !unauth) {
            unauth = 1;
            if (take_nonce(a, m) < 0)
                return OUT_ERROR;
            continue;
        }
        if (a->error == 438) {
            if (++stale > STALE_MAX)
                return OUT_NONCE;
            if (take_nonce(a, m) < 0)
                return OUT_ERROR;
            continue;
        }
        return OUT_ERROR;
    }
}

/* What a relay's check found, for its scope and the run. */
struct relay_result {
    int allocated;
    double allocate_ms;
    char relayed[80];
    enum outcome out;
    int error;
    char error_reason[128];
    enum pc_turnconn_fail fail;
    char detail[200];
    int path_ok;
    double rtt_ms, jitter_ms, loss_pct, video_loss_pct;
    size_t sent, received;
};

static void addr_text(const struct pc_stun_addr *a, char *buf, size_t cap)
{
    char ip[INET6_ADDRSTRLEN] = "?";

    inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->addr, ip, sizeof(ip));
    if (a->family == 6)
        pc_strfmt(buf, cap, "[%s]:%u", ip, a->port);
    else
        pc_strfmt(buf, cap, "%s:%u", ip, a->port);
}

static enum outcome allocate(struct pc_probe_ctx *ctx, struct alloc *a, const struct pc_turn_uri *u,
                             const struct sockaddr *dst, socklen_t dlen, const struct creds *cr,
                             int64_t until)
{
    struct pc_turn_msg m;
    uint8_t rx[PC_TURNCONN_BUF];
    struct pc_err err = {0};
    enum outcome o;

    memset(a, 0, sizeof(*a));
    a->conn.fd = -1;
    a->user = cr->user;
    a->password = cr->password;
    a->family6 = dst->sa_family == AF_INET6;
    if (pc_turnconn_open(&a->conn, u->transport, dst, dlen, u->host, ctx->cfg->cacert, until,
                         ctx->cancel, &a->fail, &err) < 0) {
        pc_strfmt(a->error_reason, sizeof(a->error_reason), "%s", err.msg);
        pc_turnconn_close(&a->conn);
        return a->fail == PC_TURNCONN_TIMEOUT   ? OUT_TIMEOUT
               : a->fail == PC_TURNCONN_STOPPED ? OUT_STOPPED
                                                : OUT_CONN;
    }
    a->open = 1;
    o = transact(ctx, a, PC_TURN_ALLOCATE, NULL, until, &m, rx, sizeof(rx));
    if (o == OUT_OK) {
        if (!m.has_relayed)
            return OUT_INTEGRITY; /* a success without its one result: not a working relay */
        a->relayed = m.relayed;
        a->allocated = 1;
    }
    return o;
}

static void release(struct pc_probe_ctx *ctx, struct alloc *a)
{
    if (a->open && a->allocated) {
        struct pc_turn_msg m;
        uint8_t rx[PC_TURNCONN_BUF];
        int64_t until = pc_clock_now_ns() + 300 * PC_NS_PER_MS;

        if (until > ctx->deadline_ns)
            until = ctx->deadline_ns;
        transact(ctx, a, PC_TURN_REFRESH, NULL, until, &m, rx, sizeof(rx)); /* lifetime 0 */
    }
    if (a->open)
        pc_turnconn_close(&a->conn);
    a->open = 0;
}

/* Permission and channel from a towards peer. */
static enum outcome bind_to(struct pc_probe_ctx *ctx, struct alloc *a,
                            const struct pc_stun_addr *peer, int64_t until)
{
    struct pc_turn_msg m;
    uint8_t rx[PC_TURNCONN_BUF];
    enum outcome o = transact(ctx, a, PC_TURN_CREATE_PERMISSION, peer, until, &m, rx, sizeof(rx));

    if (o != OUT_OK)
        return o;
    return transact(ctx, a, PC_TURN_CHANNEL_BIND, peer, until, &m, rx, sizeof(rx));
}

struct stream_stats {
    size_t sent, received;
    double *rtt_ms; /* half the loop, per received packet in order of arrival */
    size_t n_rtt;
};

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Send packets of size bytes every every_ns from a to b through the relay
 * until end_ns; b echoes each back through its channel; a counts the loops.
 * Each packet carries its sequence number; its send time stays here.
 */
static void stream(struct pc_probe_ctx *ctx, struct alloc *a, struct alloc *b, size_t size,
                   int64_t every_ns, int64_t end_ns, int64_t *sent_at, size_t max,
                   struct stream_stats *st)
{
    int pad = a->conn.transport != PC_TURN_UDP;
    int64_t next = pc_clock_now_ns(), drain_end = end_ns + DRAIN_NS;
    uint8_t payload[VIDEO_BYTES], out[VIDEO_BYTES + 8], rx[PC_TURNCONN_BUF];
    unsigned char *seen = calloc(max, 1);

    if (drain_end > ctx->deadline_ns)
        drain_end = ctx->deadline_ns;
    memset(payload, 0x5a, sizeof(payload));
    while (!stopped(ctx) && seen) {
        int64_t now = pc_clock_now_ns(), until;
        struct pollfd p[2] = {{.fd = a->conn.fd, .events = POLLIN},
                              {.fd = b->conn.fd, .events = POLLIN}};
        int ms;

        if (now >= drain_end || (now >= end_ns && st->received >= st->sent))
            break;
        if (now >= next && now < end_ns && st->sent < max) {
            size_t len = 0;

            put_u32(payload, (uint32_t)st->sent);
            if (pc_turn_channel_encode(out, sizeof(out), CHANNEL, payload, size, pad, &len) == 0) {
                sent_at[st->sent] = pc_clock_now_ns();
                if (pc_turnconn_send(&a->conn, out, len, &a->fail) < 0)
                    break;
                st->sent++;
            }
            next += every_ns;
            continue;
        }
        until = now < end_ns && st->sent < max ? next : drain_end;
        ms = (int)((until - now + PC_NS_PER_MS - 1) / PC_NS_PER_MS);
        if (!pc_turnconn_pending(&a->conn) && !pc_turnconn_pending(&b->conn) &&
            poll(p, 2, ms > 50 ? 50 : ms) <= 0)
            continue;
        /* b: echo what arrives back to a. */
        while (pc_turnconn_pending(&b->conn) || (p[1].revents & POLLIN)) {
            size_t n = 0, dn = 0, len = 0;
            int64_t rx_ns;
            const uint8_t *d;
            uint16_t ch;

            p[1].revents = 0;
            if (pc_turnconn_recv(&b->conn, 0, rx, sizeof(rx), &n, &rx_ns, &b->fail) != 1)
                break;
            if (pc_turn_channel_decode(rx, n, &ch, &d, &dn) != 0 || ch != CHANNEL || dn < 12)
                continue;
            /* Back to a, with how long b held it (arrival to echo) in bytes 4..11. */
            if (pc_turn_channel_encode(out, sizeof(out), CHANNEL, d, dn, pad, &len) == 0) {
                int64_t held = pc_clock_now_ns() - rx_ns;

                put_u32(out + 8, (uint32_t)((uint64_t)held >> 32));
                put_u32(out + 12, (uint32_t)held);
                pc_turnconn_send(&b->conn, out, len, &b->fail);
            }
        }
        /* a: the loops come home. */
        while (pc_turnconn_pending(&a->conn) || (p[0].revents & POLLIN)) {
            size_t n = 0, dn = 0;
            int64_t rx_ns;
            const uint8_t *d;
            uint16_t ch;
            uint32_t seq;
            int64_t held;

            p[0].revents = 0;
            if (pc_turnconn_recv(&a->conn, 0, rx, sizeof(rx), &n, &rx_ns, &a->fail) != 1)
                break;
            if (pc_turn_channel_decode(rx, n, &ch, &d, &dn) != 0 || ch != CHANNEL || dn < 12)
                continue;
            seq = get_u32(d);
            held = (int64_t)((uint64_t)get_u32(d + 4) << 32 | get_u32(d + 8));
            if (seq >= st->sent || seen[seq])
                continue;
            seen[seq] = 1;
            st->received++;
            if (st->rtt_ms) {
                int64_t loop = rx_ns - sent_at[seq];

                if (held > 0 && held < loop)
                    loop -= held; /* b's own time to echo is no part of the path */
                st->rtt_ms[st->n_rtt++] = pc_ns_to_ms(loop) / 2;
            }
        }
    }
    free(seen);
}

/* The path through the relay: a and b allocated on the same relay. */
static void path(struct pc_probe_ctx *ctx, struct alloc *a, struct alloc *b, int64_t end,
                 struct relay_result *res)
{
    int64_t *sent_at = calloc(AUDIO_MAX + 200, sizeof(int64_t));
    double *rtt = calloc(AUDIO_MAX, sizeof(double));
    struct stream_stats audio = {.rtt_ms = rtt}, video = {0};
    int64_t audio_end, step = pc_clock_now_ns() + STEP_NS;
    int video_fits;
    enum outcome o;

    if (!sent_at || !rtt)
        goto out;
    if (step > end)
        step = end;
    o = bind_to(ctx, a, &b->relayed, step);
    if (o == OUT_OK)
        o = bind_to(ctx, b, &a->relayed, step);
    if (o != OUT_OK) {
        struct alloc *f = a->error ? a : b;

        res->out = o;
        res->error = f->error;
        pc_strfmt(res->error_reason, sizeof(res->error_reason), "%s", f->error_reason);
        pc_strfmt(res->detail, sizeof(res->detail), "the relay refused a permission or channel%s%s",
                  f->error ? ": " : "", f->error ? f->error_reason : "");
        goto out;
    }
    /* Audio for the window less the video burst (when there is time for it) and the drains. */
    video_fits = end - pc_clock_now_ns() >= VIDEO_NS + 2 * DRAIN_NS + AUDIO_MIN_NS;
    audio_end = end - DRAIN_NS - (video_fits ? VIDEO_NS + DRAIN_NS : 0);
    if (audio_end - pc_clock_now_ns() > AUDIO_MAX * AUDIO_EVERY_NS)
        audio_end = pc_clock_now_ns() + AUDIO_MAX * AUDIO_EVERY_NS;
    pc_probe_phase(ctx, "relay audio");
    stream(ctx, a, b, AUDIO_BYTES, AUDIO_EVERY_NS, audio_end, sent_at, AUDIO_MAX, &audio);
    if (audio.sent == 0)
        goto out;
    res->path_ok = 1;
    res->sent = audio.sent;
    res->received = audio.received;
    res->loss_pct = 100.0 * (double)(audio.sent - audio.received) / (double)audio.sent;
    if (audio.n_rtt > 0) {
        double *sorted;

        res->jitter_ms = pc_stats_mean_abs_delta(rtt, audio.n_rtt);
        sorted = pc_stats_sorted_copy(rtt, audio.n_rtt);
        res->rtt_ms = sorted ? pc_stats_percentile(sorted, audio.n_rtt, 50) : NAN;
        free(sorted);
    }
    if (stopped(ctx) || !video_fits || pc_clock_now_ns() + VIDEO_NS > end)
        goto out;
    pc_probe_phase(ctx, "relay video burst");
    stream(ctx, a, b, VIDEO_BYTES, VIDEO_EVERY_NS, pc_clock_now_ns() + VIDEO_NS, sent_at,
           AUDIO_MAX + 200, &video);
    if (video.sent > 0)
        res->video_loss_pct = 100.0 * (double)(video.sent - video.received) / (double)video.sent;
    else
        res->video_loss_pct = NAN;
out:
    free(sent_at);
    free(rtt);
}

static const char *error_words(int code)
{
    switch (code) {
    case 401:
        return "wrong user name or password";
    case 403:
        return "forbidden";
    case 437:
        return "allocation mismatch";
    case 441:
        return "wrong credentials";
    case 442:
        return "unsupported transport protocol";
    case 486:
        return "allocation quota reached";
    case 508:
        return "insufficient capacity";
    default:
        return "error";
    }
}

/* The cause and a reason for a relay that did not allocate or carry media. */
static enum pc_cause relay_cause(const struct relay_result *r, char *why, size_t cap)
{
    switch (r->out) {
    case OUT_ERROR:
        pc_strfmt(why, cap, "answered %d (%s)", r->error, error_words(r->error));
        return r->error == 401 || r->error == 441 ? PC_CAUSE_RELAY_CREDENTIALS
                                                  : PC_CAUSE_RELAY_REFUSED;
    case OUT_TIMEOUT:
        pc_strfmt(why, cap, "did not answer in time%s%s", r->error_reason[0] ? ": " : "",
                  r->error_reason);
        return PC_CAUSE_RELAY_UNREACHABLE;
    case OUT_CONN:
        pc_strfmt(why, cap, "%s", r->error_reason[0] ? r->error_reason : "connection failed");
        return r->fail == PC_TURNCONN_TLS      ? PC_CAUSE_RELAY_TLS
               : r->fail == PC_TURNCONN_CLOSED ? PC_CAUSE_RELAY_FAULTY
                                               : PC_CAUSE_RELAY_UNREACHABLE;
    case OUT_INTEGRITY:
        pc_strfmt(why, cap, "answered with a wrong or missing MESSAGE-INTEGRITY");
        return PC_CAUSE_RELAY_FAULTY;
    case OUT_NONCE:
        pc_strfmt(why, cap, "the nonce kept changing (%d stale-nonce answers)", STALE_MAX + 1);
        return PC_CAUSE_RELAY_FAULTY;
    case OUT_STOPPED:
        pc_strfmt(why, cap, "stopped before it answered");
        return PC_CAUSE_RELAY_UNREACHABLE;
    default:
        why[0] = '\0';
        return PC_CAUSE_NONE;
    }
}

static void from_alloc(struct relay_result *r, enum outcome o, const struct alloc *a)
{
    r->out = o;
    r->error = a->error;
    r->fail = a->fail;
    pc_strfmt(r->error_reason, sizeof(r->error_reason), "%s", a->error_reason);
}

static int credentials(const struct pc_config *cfg, struct creds *cr)
{
    memset(cr, 0, sizeof(*cr));
    if (cfg->turn_secret) {
        cr->rest = 1;
        return pc_turn_rest_credentials(cfg->turn_secret, strlen(cfg->turn_secret), REST_NAME,
                                        (long long)time(NULL) + REST_LIFE_S, cr->user,
                                        sizeof(cr->user), cr->password, sizeof(cr->password));
    }
    if (!cfg->turn_user || !cfg->turn_password)
        return PC_EINVAL;
    if (pc_strfmt(cr->user, sizeof(cr->user), "%s", cfg->turn_user) != 0 ||
        pc_strfmt(cr->password, sizeof(cr->password), "%s", cfg->turn_password) != 0)
        return PC_EINVAL;
    return 0;
}

static void check_relay(struct pc_probe_ctx *ctx, const char *spec, const struct creds *cr,
                        int64_t end, struct relay_result *res, struct pc_target *tg)
{
    struct pc_turn_uri u;
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    struct pc_err err = {0};
    struct alloc a, b;
    int64_t t0, step;
    enum outcome o;

    memset(res, 0, sizeof(*res));
    res->rtt_ms = res->jitter_ms = res->loss_pct = res->video_loss_pct = NAN;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    if (pc_turn_uri_parse(spec, &u, &err) < 0 ||
        pc_netaddr_resolve(u.host, u.port, ctx->cfg->family, end, ctx->cancel, &ss, &sl, &err) <
            0) {
        res->out = OUT_CONN;
        res->fail = PC_TURNCONN_UNREACHABLE;
        pc_strfmt(res->error_reason, sizeof(res->error_reason), "%s", err.msg);
        return;
    }
    pc_netaddr_format((struct sockaddr *)&ss, tg->address, sizeof(tg->address), NULL);
    pc_probe_phase(ctx, "relay allocation");
    t0 = pc_clock_now_ns();
    step = t0 + STEP_NS < end ? t0 + STEP_NS : end;
    o = allocate(ctx, &a, &u, (struct sockaddr *)&ss, sl, cr, step);
    if (o != OUT_OK) {
        from_alloc(res, o, &a);
        goto out;
    }
    res->allocated = 1;
    res->out = OUT_OK;
    res->allocate_ms = pc_ns_to_ms(pc_clock_now_ns() - t0);
    addr_text(&a.relayed, res->relayed, sizeof(res->relayed));
    step = pc_clock_now_ns() + STEP_NS < end ? pc_clock_now_ns() + STEP_NS : end;
    o = allocate(ctx, &b, &u, (struct sockaddr *)&ss, sl, cr, step);
    if (o != OUT_OK) {
        char why[200];

        from_alloc(res, o, &b);
        relay_cause(res, why, sizeof(why));
        pc_strfmt(res->detail, sizeof(res->detail), "a second allocation failed: %s", why);
        goto out;
    }
    path(ctx, &a, &b, end, res);
out:
    release(ctx, &a);
    release(ctx, &b);
}

/*
 * The loop's loss as the loss of one crossing of the path to the relay: a
 * loop crosses it four times (a up, down to b, b up, down to a), so under
 * independent loss the loop loses 1 - (1 - l)^4 of what one crossing loses l.
 */
static double oneway_loss_pct(double loop_pct)
{
    double l = loop_pct / 100.0;

    if (!(l > 0))
        return 0.0;
    if (l >= 1)
        return 100.0;
    return 100.0 * (1.0 - pow(1.0 - l, 0.25));
}

static void report_relay(struct pc_probe_ctx *ctx, const char *spec, const struct pc_turn_uri *u,
                         const struct relay_result *r)
{
    char label[400];
    struct pc_report *rep = ctx->report;
    int sc;

    pc_strfmt(label, sizeof(label), "TURN relay %s port %d over %s", u->host, u->port,
              u->transport == PC_TURN_TLS   ? "TLS"
              : u->transport == PC_TURN_TCP ? "TCP"
                                            : "UDP");
    sc = pc_report_scope(rep, PC_SCOPE_SERVER, spec, label);
    if (sc < 0)
        return;
    pc_report_scope_compare(rep, (size_t)sc);
    pc_report_set_num(rep, (size_t)sc, PC_M_RELAY_REACHABLE, r->allocated);
    pc_report_set_text(rep, (size_t)sc, PC_M_RELAY_TRANSPORT, pc_turn_transport_name(u->transport));
    if (r->allocated) {
        pc_report_set_num(rep, (size_t)sc, PC_M_RELAY_ALLOCATE_MS, r->allocate_ms);
        pc_report_set_text(rep, (size_t)sc, PC_M_RELAY_ADDRESS, r->relayed);
    }
    if (!r->allocated || !r->path_ok) {
        char why[200];
        enum pc_cause c = relay_cause(r, why, sizeof(why));

        pc_report_set_text(rep, (size_t)sc, PC_M_RELAY_ERROR,
                           pc_cause_id(c == PC_CAUSE_NONE ? PC_CAUSE_RELAY_FAULTY : c));
    }
    if (r->path_ok) {
        if (!isnan(r->rtt_ms))
            pc_report_set_num(rep, (size_t)sc, PC_M_RELAY_RTT_MS, r->rtt_ms);
        if (!isnan(r->jitter_ms))
            pc_report_set_num(rep, (size_t)sc, PC_M_RELAY_JITTER_MS, r->jitter_ms);
        pc_report_set_num(rep, (size_t)sc, PC_M_RELAY_LOSS_PCT, r->loss_pct);
        pc_report_set_num(rep, (size_t)sc, PC_M_RELAY_LOSS_ONEWAY_PCT,
                          oneway_loss_pct(r->loss_pct));
        if (!isnan(r->video_loss_pct))
            pc_report_set_num(rep, (size_t)sc, PC_M_RELAY_VIDEO_LOSS_PCT, r->video_loss_pct);
    }
}

static int run(struct pc_probe_ctx *ctx)
{
    const struct pc_config *cfg = ctx->cfg;
    struct relay_result res[PC_TURN_SERVERS_MAX];
    struct pc_turn_uri uris[PC_TURN_SERVERS_MAX];
    struct creds cr;
    int64_t start = pc_clock_now_ns(), end = pc_probe_window_end(ctx), share;
    int best = -1, first_fail = -1, any = 0;
    const struct pc_probe_result *udp;

    if (cfg->n_turn == 0) {
        pc_probe_finish(ctx, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NO_RELAY),
                        "no relay given: --turn URI");
        return 0;
    }
    if (credentials(cfg, &cr) < 0) {
        pc_probe_finish(ctx, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NO_RELAY),
                        "no credentials for the relay (PRECALL_TURN_USER and "
                        "PRECALL_TURN_PASSWORD, --turn-credentials or --turn-secret-file)");
        return 0;
    }
    share = (end - start) / (int64_t)cfg->n_turn;
    for (size_t i = 0; i < cfg->n_turn && i < PC_TURN_SERVERS_MAX; i++) {
        struct pc_target tg = {0};
        struct pc_err err = {0};
        char why[200] = "";
        int64_t rend = i + 1 == cfg->n_turn ? end : pc_clock_now_ns() + share;

        if (stopped(ctx))
            break;
        if (pc_turn_uri_parse(cfg->turn[i], &uris[i], &err) < 0)
            continue; /* the CLI checked it */
        pc_strfmt(tg.role, sizeof(tg.role), "turn");
        pc_strfmt(tg.host, sizeof(tg.host), "%s", uris[i].host);
        tg.port = uris[i].port;
        check_relay(ctx, cfg->turn[i], &cr, rend, &res[i], &tg);
        any++;
        report_relay(ctx, cfg->turn[i], &uris[i], &res[i]);
        if (res[i].allocated && res[i].path_ok)
            pc_strfmt(tg.detail, sizeof(tg.detail),
                      "%s: allocated %s in %.1f ms; through the relay %.1f ms, loss %.1f %%",
                      pc_turn_transport_name(uris[i].transport), res[i].relayed, res[i].allocate_ms,
                      res[i].rtt_ms, res[i].loss_pct);
        else if (res[i].allocated)
            pc_strfmt(tg.detail, sizeof(tg.detail), "%s: allocated %s in %.1f ms; %s",
                      pc_turn_transport_name(uris[i].transport), res[i].relayed, res[i].allocate_ms,
                      res[i].detail);
        else {
            relay_cause(&res[i], why, sizeof(why));
            pc_strfmt(tg.detail, sizeof(tg.detail), "%s: %s",
                      pc_turn_transport_name(uris[i].transport), why);
        }
        pc_report_add_target(ctx->report, ctx->result, &tg);
        if (res[i].allocated && res[i].path_ok &&
            (best < 0 || (!isnan(res[i].rtt_ms) && res[i].rtt_ms < res[best].rtt_ms)))
            best = (int)i;
        if (!(res[i].allocated && res[i].path_ok) && first_fail < 0)
            first_fail = (int)i;
        /*
         * A relay that answered at all (an allocation, an error response) is a server on the
         * internet that answered: when the udp probe ran (in an earlier phase) and found none
         * (UDP blocked), the run is online after all. Alone (--only turn) it judges nothing
         * of the connection.
         */
        if ((res[i].allocated || res[i].out == OUT_ERROR || res[i].out == OUT_NONCE ||
             res[i].out == OUT_INTEGRITY) &&
            (udp = pc_report_probe_find(ctx->report, "udp")) != NULL &&
            (udp->status == PC_STATUS_OK || udp->status == PC_STATUS_FAILED))
            pc_report_mark_online(ctx->report, 1);
    }
    if (any == 0) {
        pc_probe_finish(ctx, PC_STATUS_INTERRUPTED, pc_cause_id(PC_CAUSE_INTERRUPTED),
                        "stopped before a relay was checked");
        return 0;
    }
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_RELAY_REACHABLE, best >= 0);
    if (best >= 0) {
        const struct relay_result *r = &res[best];

        if (r->path_ok && !isnan(r->rtt_ms))
            pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_RELAY_RTT_MS, r->rtt_ms);
        if (r->path_ok && !isnan(r->jitter_ms))
            pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_RELAY_JITTER_MS, r->jitter_ms);
        if (r->path_ok) {
            pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_RELAY_LOSS_PCT, r->loss_pct);
            pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_RELAY_LOSS_ONEWAY_PCT,
                              oneway_loss_pct(r->loss_pct));
        }
        pc_report_set_text(ctx->report, PC_SCOPE_RUN_ID, PC_M_RELAY_TRANSPORT,
                           pc_turn_transport_name(uris[best].transport));
        pc_probe_finish(ctx, PC_STATUS_OK, "", "%s relay %s allocated%s",
                        pc_turn_transport_name(uris[best].transport), uris[best].host,
                        r->path_ok ? "; media passed through it" : "");
        return 0;
    }
    {
        char why[200];
        int f = first_fail >= 0 ? first_fail : 0;
        enum pc_cause c = relay_cause(&res[f], why, sizeof(why));

        if (res[f].allocated) { /* allocated, but media did not pass */
            c = c == PC_CAUSE_NONE ? PC_CAUSE_RELAY_FAULTY : c;
            pc_strfmt(why, sizeof(why), "allocated, but %s",
                      res[f].detail[0] ? res[f].detail : "no media passed through it");
        }

        pc_report_subject(ctx->report, ctx->result, uris[f].host);
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(c), "no relay worked: %s over %s %s",
                        uris[f].host, pc_turn_transport_name(uris[f].transport), why);
    }
    return 0;
}

/* Without --turn there is no relay to check: said in its own words, not "not selected". */
static const char *idle(const struct pc_config *cfg, const char **cause)
{
    if (cfg->n_turn > 0)
        return NULL;
    *cause = pc_cause_id(PC_CAUSE_NO_RELAY);
    return "no relay given: --turn URI";
}

const struct pc_probe pc_probe_turn = {
    .name = "turn",
    .summary = "allocation on each --turn relay and the path of media through it",
    .activity = "checking the relay",
    .phase = 3, /* after the speed test: its bursts disturb no other measurement */
    .budget_share = 0.3,
    .run = run,
    .min_window_ns = 1500 * PC_NS_PER_MS,
    .min_what = "the relay check",
    .idle = idle,
};
