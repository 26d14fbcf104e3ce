/*
 * test_stun_etiquette.c - what precall asks of public STUN servers: the
 * SOFTWARE attribute of every request (RFC 8489 14.14), the policy table and
 * the pacing it gives (the stream only to an operator documented as
 * unlimited, at most 2 requests a second to the others over all their
 * addresses), and when a primary server's loss is the server's own (both
 * sides of the interval test).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/stun.h"
#include "probe/stunpolicy.h"
#include "probe/stunsock.h"
#include "probe/stunstats.h"

/* Decode a copy of exactly len bytes (so a read past the end is ASan's). */
static int decode(const uint8_t *bytes, size_t len, struct pc_stun_msg *msg)
{
    uint8_t *copy = malloc(len);
    struct pc_err err = {0};
    int rc;

    if (copy == NULL)
        return PC_ENOMEM;
    memcpy(copy, bytes, len);
    rc = pc_stun_decode(copy, len, msg, &err);
    free(copy);
    return rc;
}

static void test_software(void)
{
    struct pc_stun_txid tx = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};
    uint8_t buf[PC_STUN_REQUEST_MAX], plain[PC_STUN_REQUEST_MAX];
    struct pc_stun_msg msg;
    char longer[PC_STUN_SOFTWARE_MAX + 2];
    size_t len = 0, plen = 0;

    /* 13 bytes of text: 3 zero bytes of padding; the length says 13 (RFC 8489 14). */
    CHECK(pc_stun_encode_request(buf, sizeof(buf), &tx, "precall/1.2.3", 1, &len) == 0);
    CHECK(len == 20 + 4 + 16 + 8);
    CHECK(buf[2] == 0 && buf[3] == 28); /* attributes: SOFTWARE 20, FINGERPRINT 8 */
    CHECK(buf[20] == 0x80 && buf[21] == 0x22 && buf[22] == 0 && buf[23] == 13);
    CHECK(memcmp(buf + 24, "precall/1.2.3", 13) == 0);
    CHECK(buf[37] == 0 && buf[38] == 0 && buf[39] == 0);
    CHECK(buf[40] == 0x80 && buf[41] == 0x28); /* FINGERPRINT last */
    CHECK(decode(buf, len, &msg) == 0);
    CHECK(strcmp(msg.software, "precall/1.2.3") == 0);
    CHECK(msg.has_fingerprint == 1 && msg.cls == PC_STUN_REQUEST);
    CHECK(memcmp(msg.txid.b, tx.b, 12) == 0);

    /* 12 bytes: no padding */
    CHECK(pc_stun_encode_request(buf, sizeof(buf), &tx, "precall/1.20", 0, &len) == 0);
    CHECK(len == 20 + 4 + 12);
    CHECK(buf[3] == 16 && buf[23] == 12);
    CHECK(decode(buf, len, &msg) == 0 && strcmp(msg.software, "precall/1.20") == 0);
    CHECK(msg.has_fingerprint == 0);

    /* 1 byte: 3 of padding */
    CHECK(pc_stun_encode_request(buf, sizeof(buf), &tx, "p", 1, &len) == 0);
    CHECK(len == 20 + 8 + 8 && buf[23] == 1 && buf[25] == 0 && buf[26] == 0 && buf[27] == 0);
    CHECK(decode(buf, len, &msg) == 0 && strcmp(msg.software, "p") == 0);

    /* NULL or "": the request without SOFTWARE, byte for byte */
    CHECK(pc_stun_encode_binding_request(plain, sizeof(plain), &tx, 1, &plen) == 0);
    CHECK(pc_stun_encode_request(buf, sizeof(buf), &tx, NULL, 1, &len) == 0);
    CHECK(len == plen && len == 28 && memcmp(buf, plain, len) == 0);
    CHECK(pc_stun_encode_request(buf, sizeof(buf), &tx, "", 1, &len) == 0);
    CHECK(len == plen && memcmp(buf, plain, len) == 0);

    /* too small a buffer, by one byte; the longest text; one byte more */
    CHECK(pc_stun_encode_request(buf, 47, &tx, "precall/1.2.3", 1, &len) == PC_EINVAL);
    CHECK(pc_stun_encode_request(buf, 48, &tx, "precall/1.2.3", 1, &len) == 0);
    memset(longer, 'v', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    CHECK(pc_stun_encode_request(buf, sizeof(buf), &tx, longer, 1, &len) == PC_EINVAL);
    longer[PC_STUN_SOFTWARE_MAX] = '\0';
    CHECK(pc_stun_encode_request(buf, sizeof(buf), &tx, longer, 1, &len) == 0);
    CHECK(len == 20 + 4 + PC_STUN_SOFTWARE_MAX + 8 && len <= PC_STUN_REQUEST_MAX);
    CHECK(decode(buf, len, &msg) == 0 && msg.has_fingerprint == 1);

    /* what the sockets send */
    CHECK(strncmp(pc_stunsock_software(), "precall/", 8) == 0);
    CHECK(strlen(pc_stunsock_software()) > 8);
    CHECK(pc_stun_encode_request(buf, sizeof(buf), &tx, pc_stunsock_software(), 1, &len) == 0);
    CHECK(decode(buf, len, &msg) == 0 && strcmp(msg.software, pc_stunsock_software()) == 0);
}

static void test_policy(void)
{
    const struct pc_stun_policy *cf = pc_stun_policy_find("stun.cloudflare.com");
    const struct pc_stun_policy *g = pc_stun_policy_find("stun.l.google.com");
    const long long ms = 1000000LL;

    CHECK(cf != NULL && cf->unlimited == 1 && strstr(cf->source, "Cloudflare") != NULL);
    CHECK(g != NULL && g->unlimited == 0);
    CHECK(pc_stun_policy_find("STUN.Cloudflare.COM") == cf);
    CHECK(pc_stun_policy_find("stun1.l.google.com") != NULL);
    CHECK(pc_stun_policy_find("stun.example.org") == NULL);
    CHECK(pc_stun_policy_find("stun.cloudflare.com.example") == NULL);
    CHECK(pc_stun_policy_find(NULL) == NULL);

    /* not public, or unlimited: as asked (the stream's 10 ms) */
    CHECK(pc_stun_policy_interval_ns(10 * ms, 0, 0, 1) == 10 * ms);
    CHECK(pc_stun_policy_interval_ns(10 * ms, 1, 1, 1) == 10 * ms);
    CHECK(pc_stun_policy_interval_ns(10 * ms, 1, 1, 2) == 10 * ms);
    /* limited: one per 550 ms (under 2 a second) over all the server's addresses */
    CHECK(pc_stun_policy_interval_ns(10 * ms, 1, 0, 1) == 550 * ms);
    CHECK(pc_stun_policy_interval_ns(100 * ms, 1, 0, 2) == 1100 * ms);
    CHECK(pc_stun_policy_interval_ns(50 * ms, 1, 0, 0) == 550 * ms);
    CHECK(pc_stun_policy_interval_ns(549 * ms, 1, 0, 1) == 550 * ms);
    CHECK(pc_stun_policy_interval_ns(551 * ms, 1, 0, 1) == 551 * ms); /* slower stays slower */
    CHECK(PC_STUN_PUBLIC_PER_S == 2 && PC_STUN_STREAM_PER_S == 100);
    CHECK(PC_STUN_PUBLIC_GAP_NS > PC_NS_PER_S / PC_STUN_PUBLIC_PER_S);
    CHECK(PC_STUN_PUBLIC_REQUESTS_MAX == 1600);
}

static struct pc_stun_stats loss(unsigned long sent, double pct, double low, double high)
{
    struct pc_stun_stats st;

    memset(&st, 0, sizeof(st));
    st.sent = sent;
    st.loss_pct = pct;
    st.loss_low_pct = low;
    st.loss_high_pct = high;
    return st;
}

static void test_server_loss(void)
{
    /* a throttled primary (half lost of 500) against a clean comparison (0 of 50) */
    struct pc_stun_stats a = loss(500, 50.0, 45.6, 54.4), b = loss(50, 0.0, 0.0, 7.1);

    CHECK(pc_stun_stats_server_loss(&a, &b) == 1);
    CHECK(pc_stun_stats_server_loss(&b, &a) == 0);
    /* the intervals touch: not clearly more */
    b.loss_high_pct = 45.6;
    CHECK(pc_stun_stats_server_loss(&a, &b) == 0);
    b.loss_high_pct = 45.5;
    CHECK(pc_stun_stats_server_loss(&a, &b) == 1);
    /* more loss at the primary, but within the comparison's uncertainty */
    a = loss(500, 10.0, 7.7, 12.9);
    b = loss(20, 5.0, 0.9, 23.6);
    CHECK(pc_stun_stats_server_loss(&a, &b) == 0);
    /* too few requests decided on either side */
    a = loss(500, 50.0, 45.6, 54.4);
    b = loss(PC_SERVER_LOSS_MIN_SENT - 1, 0.0, 0.0, 16.8);
    CHECK(pc_stun_stats_server_loss(&a, &b) == 0);
    b.sent = PC_SERVER_LOSS_MIN_SENT;
    CHECK(pc_stun_stats_server_loss(&a, &b) == 1);
    a.sent = PC_SERVER_LOSS_MIN_SENT - 1;
    CHECK(pc_stun_stats_server_loss(&a, &b) == 0);
    /* no figures (NAN) never blame the server */
    a = loss(500, NAN, NAN, NAN);
    CHECK(pc_stun_stats_server_loss(&a, &b) == 0);
}

int main(void)
{
    test_software();
    test_policy();
    test_server_loss();
    return check_done();
}
