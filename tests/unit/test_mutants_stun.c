/*
 * test_mutants_stun.c - the STUN figures, session matching, bounds-checked
 * reader and codec cases that tests/mutation/run.sh found untested: exact
 * RTT percentiles, PDV and jitter in send order, the loss interval over the
 * requests sent, burst windows of exactly the minimum size, other kinds of
 * request kept apart, answers that name a request never sent or carry
 * another session's prefix, the reader's sticky failure and exact bounds.
 * (In a file of its own so that it does not collide with work on
 * test_stun.c, test_session.c and test_stats.c.) No packet is sent.
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precall/stats.h"
#include "precall/stun.h"
#include "probe/stunsession.h"
#include "probe/stunstats.h"
#include "proto/reader.h"

#define MS 1000000LL

/* Requests every gap_ms to server 0; rtt_ms[i] < 0: never answered. */
static void fake_requests(struct pc_stun_session *s, const double *rtt_ms, size_t n, int gap_ms,
                          enum pc_req_kind kind)
{
    memset(s, 0, sizeof(*s));
    s->timeout_ns = 1000 * MS;
    s->highest_answered = -1;
    s->reqs = calloc(n, sizeof(*s->reqs));
    s->n_reqs = s->cap_reqs = n;
    for (size_t i = 0; i < n; i++) {
        s->reqs[i].sent_ns = (int64_t)i * gap_ms * MS;
        s->reqs[i].kind = (uint8_t)kind;
        s->reqs[i].answers = rtt_ms[i] >= 0;
        s->reqs[i].rtt_ns = rtt_ms[i] >= 0 ? (int64_t)(rtt_ms[i] * MS) : -1;
    }
}

/* Ten answered requests and one lost: every figure to the last digit. */
static void exact_figures(void)
{
    const double rtt[] = {10, 30, 20, 50, 40, -1, 15, 35, 25, 45, 100};
    struct pc_stun_session s;
    struct pc_stun_stats st;

    fake_requests(&s, rtt, 11, 20, PC_REQ_STREAM);
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_STREAM, 10000 * MS, &st) == 0);
    CHECK(st.sent == 11 && st.answered == 10 && st.lost == 1 && st.n_rtt == 10);
    CHECK_NEAR(st.loss_pct, 100.0 / 11, 1e-9);
    /* Wilson 95 % for 1 lost of 11 sent (not of 10 answered: 1.788 to 40.415). */
    CHECK_NEAR(st.loss_low_pct, 1.623217, 1e-5);
    CHECK_NEAR(st.loss_high_pct, 37.735844, 1e-5);
    /* R-7 percentiles of 10 15 20 25 30 35 40 45 50 100. */
    CHECK_NEAR(st.rtt_min_ms, 10, 1e-9);
    CHECK_NEAR(st.rtt_median_ms, 32.5, 1e-9);
    CHECK_NEAR(st.rtt_p90_ms, 55, 1e-9);
    CHECK_NEAR(st.rtt_p99_ms, 95.5, 1e-9);
    CHECK_NEAR(st.rtt_max_ms, 100, 1e-9);
    /* PDV = p95 - min = 77.5 - 10. */
    CHECK_NEAR(st.pdv_p95_ms, 67.5, 1e-9);
    /* Jitter over consecutive answers in send order: 200 / 9 (sorted would give 10). */
    CHECK_NEAR(st.jitter_ms, 200.0 / 9, 1e-9);
    CHECK_NEAR(st.jitter_rfc3550_ms, 10.264990, 1e-5);
    /* The RTTs stay in send order with their send times. */
    CHECK(st.rtt_ms[0] == 10 && st.rtt_ms[5] == 15 && st.rtt_t_ns[5] == 120 * MS);
    pc_stun_stats_free(&st);
    free(s.reqs);
}

/* All lost or none lost: the interval ends exactly at 100 % or 0 %, where the
   closed form alone is off by an ulp (n = 10: 0.9999999999999999; n = 3: 5.6e-17). */
static void wilson_pins(void)
{
    double lo, hi;

    pc_stats_wilson95(10, 10, &lo, &hi);
    CHECK(hi == 1.0);
    pc_stats_wilson95(27, 27, &lo, &hi);
    CHECK(hi == 1.0);
    pc_stats_wilson95(0, 3, &lo, &hi);
    CHECK(lo == 0.0);
    pc_stats_wilson95(0, 7, &lo, &hi);
    CHECK(lo == 0.0);
}

/* Requests of another kind (discovery, the NAT test) to the same server stay apart. */
static void kinds_apart(void)
{
    const double rtt[] = {10, 10, 500, -1, 10};
    struct pc_stun_session s;
    struct pc_stun_stats st;

    fake_requests(&s, rtt, 5, 20, PC_REQ_STREAM);
    s.reqs[2].kind = s.reqs[3].kind = PC_REQ_DISCOVERY;
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_STREAM, 10000 * MS, &st) == 0);
    CHECK(st.sent == 3 && st.lost == 0 && st.n_rtt == 3);
    CHECK_NEAR(st.rtt_max_ms, 10, 1e-9);
    CHECK_NEAR(st.loss_pct, 0, 1e-12);
    pc_stun_stats_free(&st);
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_DISCOVERY, 10000 * MS, &st) == 0);
    CHECK(st.sent == 2 && st.lost == 1);
    pc_stun_stats_free(&st);
    free(s.reqs);
}

/* Probes every 40 ms: a 200 ms window holds exactly PC_BURST_MIN_PROBES of them. */
static void burst_of_minimum_size(void)
{
    double rtt[20];
    struct pc_stun_session s;
    struct pc_stun_stats st;

    for (size_t i = 0; i < 20; i++)
        rtt[i] = 20;
    rtt[19] = -1; /* the last one lost: only the windows starting at 15.. hold it */
    fake_requests(&s, rtt, 20, 40, PC_REQ_STREAM);
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_STREAM, 10000 * MS, &st) == 0);
    CHECK(st.lost == 1);
    CHECK_NEAR(st.burst_loss_pct, 100.0 / PC_BURST_MIN_PROBES, 1e-9);
    pc_stun_stats_free(&st);
    free(s.reqs);
}

/* A Binding Success Response to request seq; extra: an unknown
   comprehension-required attribute after XOR-MAPPED-ADDRESS. */
static size_t answer(const uint8_t *prefix, uint32_t seq, int extra, uint8_t *b)
{
    size_t len = extra ? 40 : 32;

    memset(b, 0, len);
    b[0] = 0x01, b[1] = 0x01, b[3] = (uint8_t)(len - 20);
    b[4] = 0x21, b[5] = 0x12, b[6] = 0xA4, b[7] = 0x42;
    memcpy(b + 8, prefix, 8);
    b[16] = (uint8_t)(seq >> 24), b[17] = (uint8_t)(seq >> 16);
    b[18] = (uint8_t)(seq >> 8), b[19] = (uint8_t)seq;
    b[20] = 0x00, b[21] = 0x20, b[23] = 8; /* XOR-MAPPED-ADDRESS 198.18.0.2:40000 */
    b[25] = 0x01;
    b[26] = (uint8_t)((40000 ^ 0x2112) >> 8), b[27] = (uint8_t)(40000 ^ 0x2112);
    b[28] = 198 ^ 0x21, b[29] = 18 ^ 0x12, b[30] = 0 ^ 0xA4, b[31] = 2 ^ 0x42;
    if (extra)
        b[32] = 0x00, b[33] = 0x30, b[35] = 4; /* type 0x0030, unknown, required */
    return len;
}

static void session_matching(void)
{
    struct pc_stun_session s;
    struct pc_err err = {0};
    struct sockaddr_in server = {0};
    const struct sockaddr *from = (const struct sockaddr *)&server;
    uint8_t b[64], prefix[8];
    size_t len;

    server.sin_family = AF_INET;
    server.sin_port = htons(3478);
    inet_pton(AF_INET, "198.18.1.2", &server.sin_addr);
    CHECK(pc_stun_session_init(&s, 1000 * MS, &err) == 0);
    CHECK(pc_stun_session_add_server(&s, from, sizeof(server), &err) == 0);
    s.reqs = calloc(4, sizeof(*s.reqs));
    s.n_reqs = s.cap_reqs = 4;
    for (size_t i = 0; i < 4; i++) {
        s.reqs[i].sent_ns = (int64_t)i * 10 * MS;
        s.reqs[i].rtt_ns = -1;
        s.reqs[i].kind = PC_REQ_STREAM;
    }
    s.reqs[0].kind = s.reqs[1].kind = PC_REQ_DISCOVERY;

    /* The next sequence number, never sent (n_reqs itself), is no request of ours. */
    len = answer(s.prefix, 4, 0, b);
    pc_stun_session_accept(&s, b, len, from, 50 * MS);
    CHECK(s.ignored == 1);

    /* Another session's prefix that differs only in its second half. */
    memcpy(prefix, s.prefix, 8);
    prefix[5] ^= 0x5A;
    len = answer(prefix, 2, 0, b);
    pc_stun_session_accept(&s, b, len, from, 50 * MS);
    CHECK(s.ignored == 2 && s.reqs[2].answers == 0);

    /* An unknown comprehension-required attribute (an RFC 3489-era server)
       does not void the answer: the right ID from the right source proves
       UDP works and gives an RTT (issue "Report v2", item 7). */
    len = answer(s.prefix, 3, 1, b);
    pc_stun_session_accept(&s, b, len, from, 50 * MS);
    CHECK(s.ignored == 2 && s.reqs[3].answers == 1 && s.reqs[3].rtt_ns == 20 * MS);

    /* Discovery answers out of order are not stream reordering, and do not
       move the stream's high-water mark. */
    len = answer(s.prefix, 1, 0, b);
    pc_stun_session_accept(&s, b, len, from, 60 * MS);
    len = answer(s.prefix, 0, 0, b);
    pc_stun_session_accept(&s, b, len, from, 61 * MS);
    CHECK(s.reqs[0].answers == 1 && s.reqs[0].reordered == 0);
    /* Stream request 2 answered after stream request 3: reordered. */
    len = answer(s.prefix, 2, 0, b);
    pc_stun_session_accept(&s, b, len, from, 62 * MS);
    CHECK(s.reqs[2].answers == 1 && s.reqs[2].reordered == 1);
    CHECK(s.reqs[2].rtt_ns == 42 * MS && s.servers[0].answered == 4);
    CHECK(s.ignored == 2);
    pc_stun_session_free(&s);
}

/* CRC-32 (ISO-HDLC), as RFC 8489 14.7 wants it, to build test messages. */
static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;

    while (n-- > 0) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = c & 1u ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

/* FINGERPRINT must be the last attribute (14.7): one before SOFTWARE is refused as such. */
static void fingerprint_not_last(void)
{
    uint8_t b[36] = {0x01, 0x01, 0x00, 16, 0x21, 0x12, 0xA4, 0x42, 1,    2,    3,    4,
                     5,    6,    7,    8,  9,    10,   11,   12,   0x80, 0x28, 0x00, 4,
                     0,    0,    0,    0,  0x80, 0x22, 0x00, 4,    't',  'e',  's',  't'};
    struct pc_stun_msg msg;
    struct pc_err err = {0};
    uint32_t fp = crc32(b, 20) ^ 0x5354554Eu;

    b[24] = (uint8_t)(fp >> 24), b[25] = (uint8_t)(fp >> 16);
    b[26] = (uint8_t)(fp >> 8), b[27] = (uint8_t)fp;
    CHECK(pc_stun_decode(b, sizeof(b), &msg, &err) == PC_EDATA);
    CHECK(strcmp(err.msg, "STUN FINGERPRINT is not the last attribute") == 0);
    CHECK(!msg.has_fingerprint && msg.software[0] == '\0');
    /* The same FINGERPRINT as the last attribute is accepted. */
    b[3] = 8;
    fp = crc32(b, 20) ^ 0x5354554Eu;
    b[24] = (uint8_t)(fp >> 24), b[25] = (uint8_t)(fp >> 16);
    b[26] = (uint8_t)(fp >> 8), b[27] = (uint8_t)fp;
    CHECK(pc_stun_decode(b, 28, &msg, &err) == 0 && msg.has_fingerprint);
}

/* A server's SOFTWARE text: DEL and C0 controls become '?' like ESC (14.14). */
static void software_controls(void)
{
    uint8_t b[28] = {0x01, 0x01, 0x00, 8,  0x21, 0x12, 0xA4, 0x42, 1,    2, 3,   4,    5,    6,
                     7,    8,    9,    10, 11,   12,   0x80, 0x22, 0x00, 4, 'a', 0x7F, 0x1B, 'b'};
    struct pc_stun_msg msg;

    CHECK(pc_stun_decode(b, sizeof(b), &msg, NULL) == 0);
    CHECK(strcmp(msg.software, "a??b") == 0);
}

/* Types from 0x8000 up are comprehension-optional (14): only 0x7FFF counts as unknown. */
static void optional_boundary(void)
{
    uint8_t b[36] = {0x01, 0x01, 0x00, 16, 0x21, 0x12, 0xA4, 0x42, 1,    2,    3,    4,
                     5,    6,    7,    8,  9,    10,   11,   12,   0x7F, 0xFF, 0x00, 4,
                     0,    0,    0,    0,  0x80, 0x00, 0x00, 4,    0,    0,    0,    0};
    struct pc_stun_msg msg;

    CHECK(pc_stun_decode(b, sizeof(b), &msg, NULL) == 0);
    CHECK(msg.unknown_required == 1);
}

/* The reader: exact bounds, and a failure that stays. */
static void reader(void)
{
    const uint8_t p[6] = {1, 2, 3, 4, 5, 6};
    struct pc_reader r;
    uint8_t out[4] = {9, 9, 9, 9};

    pc_reader_init(&r, p, 3);
    CHECK(pc_reader_u32(&r) == 0 && r.bad); /* one byte short */
    CHECK(pc_reader_left(&r) == 0);
    /* Once bad, always bad: a smaller read that would fit fails too. */
    CHECK(pc_reader_u16(&r) == 0 && pc_reader_u8(&r) == 0 && r.bad);

    pc_reader_init(&r, p, 6);
    CHECK(pc_reader_u32(&r) == 0x01020304u && pc_reader_u16(&r) == 0x0506 && !r.bad);
    CHECK(pc_reader_left(&r) == 0);
    CHECK(pc_reader_u8(&r) == 0 && r.bad); /* nothing left at all */

    pc_reader_init(&r, p, 5);
    CHECK(pc_reader_skip(&r, 2) == 0);
    CHECK(pc_reader_bytes(&r, out, 4) == -1 && r.bad); /* 3 left, 4 wanted */
    CHECK(out[0] == 0 && out[3] == 0);

    pc_reader_init(&r, p, 6);
    {
        struct pc_reader sub;

        CHECK(pc_reader_skip(&r, 1) == 0);
        CHECK(pc_reader_sub(&r, 6, &sub) == -1 && sub.bad && r.bad); /* 5 left */
    }
}

int main(void)
{
    exact_figures();
    wilson_pins();
    kinds_apart();
    burst_of_minimum_size();
    session_matching();
    fingerprint_not_last();
    software_controls();
    optional_boundary();
    reader();
    return check_done();
}
