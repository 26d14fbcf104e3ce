/*
 * test_session.c - matching STUN answers to requests: the right answer is
 * timed once; duplicates, reordering, unknown IDs, wrong sources and broken
 * messages are counted and never trusted. Requests are recorded by hand, so
 * no packet is sent.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "probe/stunsession.h"

static struct sockaddr_in server, stranger;

/* A Binding Success Response for request seq with XOR-MAPPED-ADDRESS 198.18.0.2:40000. */
static size_t answer(const struct pc_stun_session *s, uint32_t seq, uint8_t *b)
{
    const uint8_t ip[4] = {198, 18, 0, 2};
    uint16_t port = 40000 ^ 0x2112;

    memset(b, 0, 32);
    b[0] = 0x01, b[1] = 0x01, b[3] = 12;
    b[4] = 0x21, b[5] = 0x12, b[6] = 0xA4, b[7] = 0x42;
    memcpy(b + 8, s->prefix, 8);
    b[16] = (uint8_t)(seq >> 24), b[17] = (uint8_t)(seq >> 16);
    b[18] = (uint8_t)(seq >> 8), b[19] = (uint8_t)seq;
    b[20] = 0x00, b[21] = 0x20, b[23] = 8; /* XOR-MAPPED-ADDRESS, 8 bytes */
    b[25] = 0x01;
    b[26] = (uint8_t)(port >> 8), b[27] = (uint8_t)port;
    for (int i = 0; i < 4; i++)
        b[28 + i] = ip[i] ^ b[4 + i];
    return 32;
}

static void record(struct pc_stun_session *s, size_t n)
{
    s->reqs = calloc(n, sizeof(*s->reqs));
    s->n_reqs = s->cap_reqs = n;
    for (size_t i = 0; i < n; i++) {
        s->reqs[i].sent_ns = (int64_t)i * 10000000;
        s->reqs[i].rtt_ns = -1;
        s->reqs[i].kind = PC_REQ_STREAM;
    }
    s->servers[0].sent = (unsigned)n;
}

int main(void)
{
    struct pc_stun_session s;
    struct pc_err err = {0};
    const struct sockaddr *from = (const struct sockaddr *)&server;
    uint8_t b[64];
    size_t len;

    server.sin_family = stranger.sin_family = AF_INET;
    server.sin_port = htons(3478);
    stranger.sin_port = htons(3479);
    inet_pton(AF_INET, "198.18.1.2", &server.sin_addr);
    inet_pton(AF_INET, "198.18.1.2", &stranger.sin_addr);
    CHECK(pc_stun_session_init(&s, 1000000000, &err) == 0);
    CHECK(pc_stun_session_add_server(&s, from, sizeof(server), &err) == 0);
    record(&s, 4);

    len = answer(&s, 0, b);
    pc_stun_session_accept(&s, b, len, from, 25000000);
    CHECK(s.reqs[0].answers == 1 && s.reqs[0].rtt_ns == 25000000);
    CHECK(s.servers[0].has_mapped && s.servers[0].mapped.port == 40000);
    CHECK(s.servers[0].mapped.addr[0] == 198 && s.servers[0].mapped.addr[3] == 2);

    /* A duplicate is counted and does not change the timing. */
    pc_stun_session_accept(&s, b, len, from, 90000000);
    CHECK(s.reqs[0].answers == 2 && s.reqs[0].rtt_ns == 25000000);

    /* The right ID from the wrong port is ignored. */
    len = answer(&s, 1, b);
    pc_stun_session_accept(&s, b, len, (const struct sockaddr *)&stranger, 30000000);
    CHECK(s.reqs[1].answers == 0 && s.ignored == 1);

    /* Request 2 answered before request 1: 1 is reordered. */
    len = answer(&s, 2, b);
    pc_stun_session_accept(&s, b, len, from, 40000000);
    len = answer(&s, 1, b);
    pc_stun_session_accept(&s, b, len, from, 45000000);
    CHECK(s.reqs[1].reordered == 1 && s.reqs[2].reordered == 0);

    /* An answer later than the timeout is late. */
    len = answer(&s, 3, b);
    pc_stun_session_accept(&s, b, len, from, 30000000 + 1500000000LL);
    CHECK(s.reqs[3].late == 1);

    /* Unknown IDs (another prefix, a sequence never sent), a wrong cookie, a
       truncated message and a request are all ignored. */
    len = answer(&s, 3, b);
    b[8] ^= 0xFF;
    pc_stun_session_accept(&s, b, len, from, 1);
    len = answer(&s, 99, b);
    pc_stun_session_accept(&s, b, len, from, 1);
    len = answer(&s, 0, b);
    b[4] = 0;
    pc_stun_session_accept(&s, b, len, from, 1);
    len = answer(&s, 0, b);
    pc_stun_session_accept(&s, b, len - 3, from, 1);
    len = answer(&s, 0, b);
    b[1] = 0x01, b[0] = 0x00; /* a Binding Request */
    pc_stun_session_accept(&s, b, len, from, 1);
    CHECK(s.ignored == 6);
    CHECK(s.reqs[0].answers == 2);

    CHECK(pc_stun_session_all_answered(&s, 0, PC_REQ_STREAM));
    pc_stun_session_free(&s);
    return check_done();
}
