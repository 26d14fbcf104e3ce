/*
 * test_sipframe.c - SIP messages put back together from TCP segments
 * (src/analyze/sipframe.c): a message cut anywhere into two or three
 * segments comes out whole and once; several in one segment come out one
 * by one; resends are trimmed; a gap drops the flow's bytes until the next
 * message starts a segment; the bounds (bytes per flow, flows at once).
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/sipframe.h"
#include "check.h"

static const char invite[] = "INVITE sip:bob@example.org SIP/2.0\r\n"
                             "Via: SIP/2.0/TCP 198.18.0.1:5060\r\n"
                             "Content-Type: application/sdp\r\n"
                             "Content-Length: 58\r\n"
                             "\r\n"
                             "v=0\r\n"
                             "c=IN IP4 198.18.0.1\r\n"
                             "m=audio 40000 RTP/AVP 0\r\n"
                             "a=x:y\r\n";
static const char ok200[] = "SIP/2.0 200 OK\r\n"
                            "l : 4\r\n"
                            "\r\n"
                            "abcd";

struct got {
    int n;
    size_t len[8];
    char msg[8][512];
};

static void on_msg(void *ctx, const uint8_t *p, size_t n)
{
    struct got *g = ctx;

    if (g->n < 8 && n < sizeof(g->msg[0])) {
        memcpy(g->msg[g->n], p, n);
        g->msg[g->n][n] = 0;
        g->len[g->n] = n;
    }
    g->n++;
}

static void seg(struct pc_sipframe **t, uint32_t key, uint32_t seq, const char *p, size_t n,
                struct got *g)
{
    CHECK(pc_sipframe_segment(t, &key, sizeof(key), seq, (const uint8_t *)p, n, n, on_msg, g) == 0);
}

static void split_anywhere(void)
{
    const size_t n = strlen(invite);

    CHECK(n == 181);
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j < n; j += 17) {
            struct pc_sipframe *t = NULL;
            struct got g = {0};

            seg(&t, 1, 1000, invite, i, &g);
            if (j > i)
                seg(&t, 1, 1000 + (uint32_t)i, invite + i, j - i, &g);
            CHECK(g.n == 0);
            seg(&t, 1, 1000 + (uint32_t)j, invite + j, n - j, &g);
            CHECK(g.n == 1 && g.len[0] == n && strcmp(g.msg[0], invite) == 0);
            CHECK(pc_sipframe_held(t) == 0);
            pc_sipframe_free(t);
        }
    }
}

static void several_in_one(void)
{
    struct pc_sipframe *t = NULL;
    struct got g = {0};
    char both[512];
    size_t a = strlen(invite), b = strlen(ok200);

    /* a keep-alive (RFC 5626) between them, and the 200 OK's first bytes held for later */
    memcpy(both, invite, a);
    memcpy(both + a, "\r\n\r\n", 4);
    memcpy(both + a + 4, ok200, b);
    seg(&t, 7, 1, both, a + 4 + b - 2, &g);
    CHECK(g.n == 1 && strcmp(g.msg[0], invite) == 0);
    CHECK(pc_sipframe_held(t) == b - 2);
    seg(&t, 7, 1 + (uint32_t)(a + 4 + b - 2), ok200 + b - 2, 2, &g);
    CHECK(g.n == 2 && g.len[1] == b && strcmp(g.msg[1], ok200) == 0);
    pc_sipframe_free(t);
}

static void resend_and_gap(void)
{
    struct pc_sipframe *t = NULL;
    struct got g = {0};
    const uint32_t s0 = 0xFFFFFFF0u; /* the sequence numbers wrap within the message */

    seg(&t, 2, s0, invite, 100, &g);
    seg(&t, 2, s0, invite, 100, &g);           /* resent whole: nothing new */
    seg(&t, 2, s0 + 8, invite + 8, 112, &g);   /* resent from before the wrap: 20 bytes new */
    seg(&t, 2, s0 + 50, invite + 50, 100, &g); /* resent in part: 30 bytes new */
    seg(&t, 2, s0 + 150, invite + 150, 31, &g);
    CHECK(g.n == 1 && strcmp(g.msg[0], invite) == 0);

    /* a gap: the message being built is dropped, the flow too, until a segment starts one */
    seg(&t, 2, s0 + 181, invite, 100, &g);
    seg(&t, 2, s0 + 181 + 101, invite + 101, 80, &g);
    CHECK(g.n == 1 && pc_sipframe_flows(t) == 0);
    seg(&t, 2, s0 + 400, ok200, strlen(ok200), &g);
    CHECK(g.n == 2 && strcmp(g.msg[1], ok200) == 0);
    pc_sipframe_free(t);
}

static void not_sip(void)
{
    struct pc_sipframe *t = NULL;
    struct got g = {0};
    static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    static const char bad_len[] = "SIP/2.0 200 OK\r\nContent-Length: many\r\n\r\n";

    seg(&t, 3, 1, http, strlen(http), &g);
    CHECK(t == NULL && g.n == 0);
    seg(&t, 3, 1, bad_len, strlen(bad_len), &g);
    CHECK(g.n == 0 && pc_sipframe_flows(t) == 0);
    /* a message followed by bytes that are not SIP: the message, then the flow is dropped */
    {
        char buf[256];
        size_t n = strlen(ok200);

        memcpy(buf, ok200, n);
        memcpy(buf + n, "GET / HTTP/1.1\r\n", 16);
        seg(&t, 3, 500, buf, n + 16, &g);
        CHECK(g.n == 1 && pc_sipframe_flows(t) == 0 && pc_sipframe_held(t) == 0);
    }
    /* cut by the snap length: what was captured of it is not held */
    {
        uint32_t key = 4;

        CHECK(pc_sipframe_segment(&t, &key, sizeof(key), 1, (const uint8_t *)invite, 100, 181,
                                  on_msg, &g) == 0);
        CHECK(g.n == 1 && pc_sipframe_flows(t) == 0);
    }
    pc_sipframe_free(t);
}

/* A message of total bytes: a start line, Content-Length, the body of 'b'. */
static char *big(size_t total, size_t *n)
{
    char head[128];
    int h = 0;
    size_t body = 0;
    char *m;

    for (int pass = 0; pass < 3; pass++) { /* the header's length depends on the body's */
        h = snprintf(head, sizeof(head), "SIP/2.0 200 OK\r\nContent-Length: %zu\r\n\r\n", body);
        body = total - (size_t)h;
    }
    m = malloc(total);
    memcpy(m, head, (size_t)h);
    memset(m + h, 'b', body);
    *n = total;
    return m;
}

static void bounds(void)
{
    struct pc_sipframe *t = NULL;
    struct got g = {0};
    size_t n;
    char *m = big(PC_SIPFRAME_BUF_MAX, &n);

    /* exactly the most a flow holds: comes out, in segments of 1400 */
    for (size_t off = 0; off < n; off += 1400)
        seg(&t, 5, (uint32_t)off, m + off, n - off < 1400 ? n - off : 1400, &g);
    CHECK(g.n == 1 && g.len[0] == 0); /* too long for the test's copy: counted only */
    free(m);
    m = big(PC_SIPFRAME_BUF_MAX + 1, &n);
    for (size_t off = 0; off < n; off += 1400)
        seg(&t, 6, (uint32_t)off, m + off, n - off < 1400 ? n - off : 1400, &g);
    CHECK(g.n == 1 && pc_sipframe_flows(t) == 1); /* flow 6 dropped; flow 5 still followed */
    free(m);
    pc_sipframe_free(t);

    /* flows at once: the first PC_SIPFRAME_FLOWS_MAX, holding half a message each */
    t = NULL;
    for (uint32_t k = 0; k < PC_SIPFRAME_FLOWS_MAX + 1; k++)
        seg(&t, 100 + k, 1, invite, 100, &g);
    CHECK(pc_sipframe_flows(t) == PC_SIPFRAME_FLOWS_MAX);
    CHECK(pc_sipframe_held(t) == 100u * PC_SIPFRAME_FLOWS_MAX);
    seg(&t, 100 + PC_SIPFRAME_FLOWS_MAX, 101, invite + 100, 81, &g); /* never started */
    seg(&t, 100 + PC_SIPFRAME_FLOWS_MAX - 1, 101, invite + 100, 81, &g);
    CHECK(g.n == 2 && strcmp(g.msg[1], invite) == 0);
    pc_sipframe_free(t);
}

int main(void)
{
    split_anywhere();
    several_in_one();
    resend_and_gap();
    not_sip();
    bounds();
    return check_done();
}
