/*
 * test_session.c - matching STUN answers to requests: the right answer is
 * timed once; duplicates, reordering, unknown IDs, wrong sources and broken
 * messages are counted (by reason, and per server) and never trusted;
 * answers from RFC 3489-era servers count. Most requests are recorded by
 * hand, so no packet is sent; the socket tests (send failure, a receive that
 * keeps failing, ICMP port unreachable, pacing) use loopback only.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "precall/clock.h"
#include "probe/stunsession.h"
#include "probe/stunstats.h"

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

static void matching(void)
{
    struct pc_stun_session s;
    struct pc_err err = {0};
    const struct sockaddr *from = (const struct sockaddr *)&server;
    uint8_t b[64];
    size_t len;

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
    CHECK(s.ignored_by[PC_IGNORE_WRONG_SOURCE] == 1 && s.ignored_by[PC_IGNORE_UNKNOWN_ID] == 2);
    CHECK(s.ignored_by[PC_IGNORE_COOKIE] == 1 && s.ignored_by[PC_IGNORE_MALFORMED] == 1);
    CHECK(s.ignored_by[PC_IGNORE_NOT_RESPONSE] == 1);
    /* the five that came from the server's own address count against it */
    CHECK(s.servers[0].unusable == 5);
    CHECK(strstr(s.servers[0].unusable_reason, "not a Binding response") != NULL);

    CHECK(pc_stun_session_all_answered(&s, 0, PC_REQ_STREAM));
    pc_stun_session_free(&s);
}

/* The same answer twice: one request answered once, one duplicate. */
static void duplicate(void)
{
    struct pc_stun_session s;
    struct pc_stun_stats st;
    struct pc_err err = {0};
    const struct sockaddr *from = (const struct sockaddr *)&server;
    uint8_t b[64];
    size_t len;

    CHECK(pc_stun_session_init(&s, 1000000000, &err) == 0);
    CHECK(pc_stun_session_add_server(&s, from, sizeof(server), &err) == 0);
    record(&s, 1);
    len = answer(&s, 0, b);
    CHECK(pc_stun_session_accept(&s, b, len, from, 25000000) == 1);
    CHECK(pc_stun_session_accept(&s, b, len, from, 26000000) == 0);
    CHECK(s.servers[0].answered == 1);
    CHECK(s.ignored == 0 && s.servers[0].unusable == 0);
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_STREAM, 5000000000LL, &st) == 0);
    CHECK(st.sent == 1 && st.answered == 1 && st.duplicates == 1 && st.lost == 0);
    pc_stun_stats_free(&st);
    pc_stun_session_free(&s);
}

/* Put a STUN header (type, attribute length) with our ID for seq into b. */
static void header(const struct pc_stun_session *s, uint32_t seq, uint16_t type, uint16_t alen,
                   uint8_t *b)
{
    b[0] = (uint8_t)(type >> 8), b[1] = (uint8_t)type;
    b[2] = (uint8_t)(alen >> 8), b[3] = (uint8_t)alen;
    b[4] = 0x21, b[5] = 0x12, b[6] = 0xA4, b[7] = 0x42;
    memcpy(b + 8, s->prefix, 8);
    b[16] = (uint8_t)(seq >> 24), b[17] = (uint8_t)(seq >> 16);
    b[18] = (uint8_t)(seq >> 8), b[19] = (uint8_t)seq;
}

/*
 * An RFC 3489-era server: MAPPED-ADDRESS, SOURCE-ADDRESS and CHANGED-ADDRESS
 * (comprehension-required, unknown to RFC 8489), no FINGERPRINT. Its answer
 * echoes our 16 bytes of ID, cookie included. It is an answer.
 */
static void rfc3489_server(void)
{
    static const uint8_t attrs[] = {
        0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x9c, 0x40, 198, 18, 0, 2, /* MAPPED 198.18.0.2:40000 */
        0x00, 0x04, 0x00, 0x08, 0x00, 0x01, 0x0d, 0x96, 198, 18, 1, 2, /* SOURCE-ADDRESS */
        0x00, 0x05, 0x00, 0x08, 0x00, 0x01, 0x0d, 0x97, 198, 18, 1, 3, /* CHANGED-ADDRESS */
    };
    struct pc_stun_session s;
    struct pc_err err = {0};
    const struct sockaddr *from = (const struct sockaddr *)&server;
    uint8_t b[64];

    CHECK(pc_stun_session_init(&s, 1000000000, &err) == 0);
    CHECK(pc_stun_session_add_server(&s, from, sizeof(server), &err) == 0);
    record(&s, 2);
    header(&s, 0, 0x0101, sizeof(attrs), b);
    memcpy(b + 20, attrs, sizeof(attrs));
    CHECK(pc_stun_session_accept(&s, b, 20 + sizeof(attrs), from, 30000000) == 1);
    CHECK(s.reqs[0].answers == 1 && s.reqs[0].rtt_ns == 30000000);
    CHECK(s.servers[0].answered == 1 && s.ignored == 0);
    CHECK(s.servers[0].has_mapped && s.servers[0].mapped.port == 40000);
    CHECK(s.servers[0].mapped.addr[0] == 198 && s.servers[0].mapped.addr[3] == 2);

    /* An answer whose only address is unusable still answers; no mapping from it. */
    memset(b, 0, sizeof(b));
    header(&s, 1, 0x0101, 12, b);
    memcpy(b + 20, "\x00\x20\x00\x08\x00\x07\x00\x00\x01\x02\x03\x04", 12); /* family 7 */
    s.servers[0].has_mapped = 0;
    CHECK(pc_stun_session_accept(&s, b, 32, from, 40000000) == 1);
    CHECK(s.servers[0].answered == 2 && s.servers[0].has_mapped == 0);
    pc_stun_session_free(&s);
}

/* Answers that are not: bad FINGERPRINT, an error response, an unknown ID. */
static void unusable(void)
{
    struct pc_stun_session s;
    struct pc_err err = {0};
    const struct sockaddr *from = (const struct sockaddr *)&server;
    uint8_t b[64];
    size_t len;

    CHECK(pc_stun_session_init(&s, 1000000000, &err) == 0);
    CHECK(pc_stun_session_add_server(&s, from, sizeof(server), &err) == 0);
    record(&s, 2);

    /* the good answer of request 0, with a FINGERPRINT of zeros appended */
    len = answer(&s, 0, b);
    memcpy(b + len, "\x80\x28\x00\x04\x00\x00\x00\x00", 8);
    b[3] = (uint8_t)(b[3] + 8);
    CHECK(pc_stun_session_accept(&s, b, len + 8, from, 1000) == 0);
    CHECK(s.ignored_by[PC_IGNORE_FINGERPRINT] == 1 && s.reqs[0].answers == 0);
    CHECK(s.servers[0].unusable == 1);
    CHECK(strstr(s.servers[0].unusable_reason, "FINGERPRINT") != NULL);

    /* a Binding Error Response to request 1 */
    memset(b, 0, sizeof(b));
    header(&s, 1, 0x0111, 12, b);
    memcpy(b + 20,
           "\x00\x09\x00\x08\x00\x00\x04\x00"
           "Bad!",
           12); /* 400 "Bad!" */
    CHECK(pc_stun_session_accept(&s, b, 32, from, 1000) == 0);
    CHECK(s.ignored_by[PC_IGNORE_ERROR] == 1 && s.reqs[1].answers == 0);
    CHECK(strstr(s.servers[0].unusable_reason, "400 Bad!") != NULL);

    /* an ID never sent, from the server: unusable for it; from a stranger: not */
    len = answer(&s, 7, b);
    CHECK(pc_stun_session_accept(&s, b, len, from, 1000) == 0);
    CHECK(pc_stun_session_accept(&s, b, len, (const struct sockaddr *)&stranger, 1000) == 0);
    CHECK(s.ignored_by[PC_IGNORE_UNKNOWN_ID] == 2 && s.servers[0].unusable == 3);
    CHECK(s.ignored == 4 && s.servers[0].answered == 0);
    pc_stun_session_free(&s);
}

static _Atomic int64_t fake_now;

/* A session with one server at 127.0.0.1:port. */
static void loopback_session(struct pc_stun_session *s, uint16_t port)
{
    struct sockaddr_in a = {0};
    struct pc_err err = {0};

    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(pc_stun_session_init(s, 1000000000, &err) == 0);
    CHECK(pc_stun_session_add_server(s, (const struct sockaddr *)&a, sizeof(a), &err) == 0);
}

/* A UDP socket bound to 127.0.0.1 on a port of the kernel's choosing. */
static int loopback_socket(uint16_t *port)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
    CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* A request sendto() refuses is recorded: sent, lost, send_failed. */
static void send_failure(void)
{
    struct pc_stun_session s;
    struct pc_stun_stats st;

    loopback_session(&s, 9);
    pc_stunsock_close(&s.socks[0]); /* every send now fails (EBADF) */
    CHECK(pc_stun_session_send(&s, 0, PC_REQ_STREAM) == PC_EIO);
    CHECK(pc_stun_session_send(&s, 0, PC_REQ_STREAM) == PC_EIO);
    CHECK(s.n_reqs == 2 && s.reqs[0].send_failed && s.reqs[1].send_failed);
    CHECK(s.servers[0].sent == 2 && s.servers[0].send_failed == 2);
    CHECK(s.servers[0].send_errno != 0);
    /* nothing to wait for: a refused request is never answered */
    CHECK(pc_stun_session_all_answered(&s, 0, PC_REQ_STREAM));
    CHECK(pc_stun_stats_compute(&s, 0, PC_REQ_STREAM, pc_clock_now_ns(), &st) == 0);
    CHECK(st.sent == 2 && st.lost == 2 && st.send_failed == 2 && st.answered == 0);
    CHECK_NEAR(st.loss_pct, 100, 1e-9);
    pc_stun_stats_free(&st);
    pc_stun_session_free(&s);
}

/*
 * A receive that fails every time must not make pump() spin: with the clock
 * frozen, a pump that retried until its deadline would never return (the
 * alarm then kills the test).
 */
static void no_spin(void)
{
    struct pc_stun_session s;

    loopback_session(&s, 9);
    pc_stunsock_close(&s.socks[0]); /* recvmsg() now fails (EBADF) */
    fake_now = 1000;
    pc_clock_set_fake(&fake_now);
    alarm(10);
    CHECK(pc_stun_session_pump(&s, fake_now + 50 * PC_NS_PER_MS) == 0);
    CHECK(pc_stun_session_service(&s, fake_now) == 0);
    alarm(0);
    pc_clock_set_fake(NULL);
    CHECK(s.recv_errors >= 1 && s.recv_errors <= 2);
    pc_stun_session_free(&s);
}

/* Requests to a loopback port where nothing listens come back as ICMP port
 * unreachable, counted against the server; pump reads them without spinning. */
static void port_unreachable(void)
{
    struct pc_stun_session s;
    uint16_t port;
    int fd = loopback_socket(&port);

    close(fd); /* the port is now closed */
    loopback_session(&s, port);
    for (int i = 0; i < 3; i++) {
        CHECK(pc_stun_session_send(&s, 0, PC_REQ_DISCOVERY) == 0);
        CHECK(pc_stun_session_pump(&s, pc_clock_now_ns() + 20 * PC_NS_PER_MS) == 0);
    }
    CHECK(s.servers[0].port_unreachable == 3);
    CHECK(s.servers[0].send_failed == 0); /* a pending ICMP error is not a send failure */
    CHECK(s.icmp_reports == 3 && s.servers[0].answered == 0);
    pc_stun_session_free(&s);
}

/* Answer the request waiting on fd (our STUN server on loopback). */
static void serve_one(int fd)
{
    uint8_t req[PC_STUN_REQUEST_MAX], b[64];
    struct sockaddr_storage from;
    socklen_t flen = sizeof(from);
    struct pollfd p = {fd, POLLIN, 0};
    /* header, SOFTWARE padded to 4 bytes, FINGERPRINT */
    ssize_t want = 20 + 4 + (ssize_t)(strlen(pc_stunsock_software()) + 3) / 4 * 4 + 8;

    CHECK(poll(&p, 1, 1000) == 1);
    CHECK(recvfrom(fd, req, sizeof(req), 0, (struct sockaddr *)&from, &flen) == want);
    memset(b, 0, sizeof(b));
    memcpy(b, "\x01\x01\x00\x0c", 4);
    memcpy(b + 4, req + 4, 16);
    memcpy(b + 20, "\x00\x01\x00\x08\x00\x01\x9c\x40\x7f\x00\x00\x01", 12);
    CHECK(sendto(fd, b, 32, 0, (struct sockaddr *)&from, flen) == 32);
}

/* pace() and service() on the fake clock: one request per interval, none
 * early, no burst after a stall; answers read through service(). */
static void pacing(void)
{
    struct pc_stun_session s;
    uint16_t port;
    int fd = loopback_socket(&port), fds[2];
    const int64_t ms = PC_NS_PER_MS;
    struct pollfd p;

    loopback_session(&s, port);
    CHECK(pc_stun_session_fds(&s, fds, 2) == 1 && fds[0] == s.socks[0].fd);
    CHECK(pc_stun_session_next_due(&s) == INT64_MAX);
    CHECK(pc_stun_session_pace(&s, 0, PC_REQ_STREAM, 10 * ms) == 0);
    CHECK(pc_stun_session_pace(&s, 1, PC_REQ_STREAM, 10 * ms) == PC_EINVAL);
    fake_now = 0;
    pc_clock_set_fake(&fake_now);
    CHECK(pc_stun_session_service(&s, fake_now) == 0 && s.n_reqs == 1);
    serve_one(fd);
    p.fd = fds[0], p.events = POLLIN, p.revents = 0;
    CHECK(poll(&p, 1, 1000) == 1);
    fake_now = 5 * ms;
    CHECK(pc_stun_session_service(&s, fake_now) == 1 && s.n_reqs == 1);
    CHECK(s.servers[0].answered == 1 && s.servers[0].has_mapped);
    CHECK(pc_stun_session_next_due(&s) == 10 * ms);
    fake_now = 10 * ms;
    pc_stun_session_service(&s, fake_now);
    CHECK(s.n_reqs == 2);
    fake_now = 23 * ms; /* a little late: sent, and the rhythm kept (next at 30) */
    pc_stun_session_service(&s, fake_now);
    CHECK(s.n_reqs == 3 && pc_stun_session_next_due(&s) == 30 * ms);
    fake_now = 100 * ms; /* a stall: one request, not seven */
    pc_stun_session_service(&s, fake_now);
    pc_stun_session_service(&s, fake_now);
    CHECK(s.n_reqs == 4);
    fake_now = 105 * ms;
    pc_stun_session_service(&s, fake_now);
    CHECK(s.n_reqs == 4 && pc_stun_session_next_due(&s) == 110 * ms);
    fake_now = 110 * ms;
    pc_stun_session_service(&s, fake_now);
    CHECK(s.n_reqs == 5);
    for (size_t i = 0; i < s.n_reqs; i++)
        CHECK(s.reqs[i].kind == PC_REQ_STREAM && s.reqs[i].server == 0);
    CHECK(pc_stun_session_pace(&s, 0, PC_REQ_STREAM, 0) == 0); /* stop */
    fake_now = 200 * ms;
    pc_stun_session_service(&s, fake_now);
    CHECK(s.n_reqs == 5 && pc_stun_session_next_due(&s) == INT64_MAX);
    pc_clock_set_fake(NULL);
    close(fd);
    pc_stun_session_free(&s);
}

int main(void)
{
    server.sin_family = stranger.sin_family = AF_INET;
    server.sin_port = htons(3478);
    stranger.sin_port = htons(3479);
    inet_pton(AF_INET, "198.18.1.2", &server.sin_addr);
    inet_pton(AF_INET, "198.18.1.2", &stranger.sin_addr);
    matching();
    duplicate();
    rfc3489_server();
    unusable();
    send_failure();
    no_spin();
    port_unreachable();
    pacing();
    return check_done();
}
