/*
 * test_turn.c - the TURN codec (src/proto/turn.c): MESSAGE-INTEGRITY checked
 * against the RFC 5769 vectors, requests built and read back, the long-term
 * key and REST credentials against values computed apart (Python's hashlib
 * and hmac), TURN attributes, ChannelData and the framing on a stream.
 */
#include <string.h>

#include "check.h"
#include "precall/turn.h"

/* The RFC 5769 vectors (as in test_stun.c); their short-term password is the key. */
/* clang-format off */

/* Section 2.1: sample request (SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME,
 * MESSAGE-INTEGRITY, FINGERPRINT). */
static const uint8_t rfc5769_request[] = {
    0x00, 0x01, 0x00, 0x58, /* Binding Request, length 88 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01, /* transaction ID */
    0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae,
    0x80, 0x22, 0x00, 0x10, /* SOFTWARE, 16 bytes */
    0x53, 0x54, 0x55, 0x4e, /* "STUN test client" */
    0x20, 0x74, 0x65, 0x73,
    0x74, 0x20, 0x63, 0x6c,
    0x69, 0x65, 0x6e, 0x74,
    0x00, 0x24, 0x00, 0x04, /* PRIORITY */
    0x6e, 0x00, 0x01, 0xff,
    0x80, 0x29, 0x00, 0x08, /* ICE-CONTROLLED */
    0x93, 0x2f, 0xf9, 0xb1,
    0x51, 0x26, 0x3b, 0x36,
    0x00, 0x06, 0x00, 0x09, /* USERNAME, 9 bytes and 3 of padding */
    0x65, 0x76, 0x74, 0x6a,
    0x3a, 0x68, 0x36, 0x76,
    0x59, 0x20, 0x20, 0x20,
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY */
    0x9a, 0xea, 0xa7, 0x0c,
    0xbf, 0xd8, 0xcb, 0x56,
    0x78, 0x1e, 0xf2, 0xb5,
    0xb2, 0xd3, 0xf2, 0x49,
    0xc1, 0xb5, 0x71, 0xa2,
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT */
    0xe5, 0x7a, 0x3b, 0xcf,
};

/* Section 2.2: sample IPv4 response, mapped to 192.0.2.1:32853. */
static const uint8_t rfc5769_ipv4[] = {
    0x01, 0x01, 0x00, 0x3c, /* Binding Success Response, length 60 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01, /* transaction ID */
    0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae,
    0x80, 0x22, 0x00, 0x0b, /* SOFTWARE, 11 bytes and a byte of padding */
    0x74, 0x65, 0x73, 0x74, /* "test vector" */
    0x20, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x20,
    0x00, 0x20, 0x00, 0x08, /* XOR-MAPPED-ADDRESS */
    0x00, 0x01, 0xa1, 0x47, /* IPv4, XORed port */
    0xe1, 0x12, 0xa6, 0x43, /* XORed address */
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY */
    0x2b, 0x91, 0xf5, 0x99,
    0xfd, 0x9e, 0x90, 0xc3,
    0x8c, 0x74, 0x89, 0xf9,
    0x2a, 0xf9, 0xba, 0x53,
    0xf0, 0x6b, 0xe7, 0xd7,
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT */
    0xc0, 0x7d, 0x4c, 0x96,
};

/* Section 2.3: sample IPv6 response, mapped to
 * [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
static const uint8_t rfc5769_ipv6[] = {
    0x01, 0x01, 0x00, 0x48, /* Binding Success Response, length 72 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01, /* transaction ID */
    0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae,
    0x80, 0x22, 0x00, 0x0b, /* SOFTWARE, 11 bytes and a byte of padding */
    0x74, 0x65, 0x73, 0x74, /* "test vector" */
    0x20, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x20,
    0x00, 0x20, 0x00, 0x14, /* XOR-MAPPED-ADDRESS */
    0x00, 0x02, 0xa1, 0x47, /* IPv6, XORed port */
    0x01, 0x13, 0xa9, 0xfa, /* XORed address */
    0xa5, 0xd3, 0xf1, 0x79,
    0xbc, 0x25, 0xf4, 0xb5,
    0xbe, 0xd2, 0xb9, 0xd9,
    0x00, 0x08, 0x00, 0x14, /* MESSAGE-INTEGRITY */
    0xa3, 0x82, 0x95, 0x4e,
    0x4b, 0xe6, 0x7b, 0xf1,
    0x17, 0x84, 0xc9, 0x7c,
    0x82, 0x92, 0xc2, 0x75,
    0xbf, 0xe3, 0xed, 0x41,
    0x80, 0x28, 0x00, 0x04, /* FINGERPRINT */
    0xc8, 0xfb, 0x0b, 0x4c,
};

/* clang-format on */

static const char rfc5769_password[] = "VOkJxbRl1RmTxUk/WvJxBt";

static void test_vectors(void)
{
    const struct {
        const uint8_t *b;
        size_t n;
    } v[] = {{rfc5769_request, sizeof(rfc5769_request)},
             {rfc5769_ipv4, sizeof(rfc5769_ipv4)},
             {rfc5769_ipv6, sizeof(rfc5769_ipv6)}};
    const uint8_t *key = (const uint8_t *)rfc5769_password;
    size_t kl = strlen(rfc5769_password);

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct pc_turn_msg m;
        uint8_t copy[128];

        CHECK(pc_turn_decode(v[i].b, v[i].n, &m, NULL) == 0);
        CHECK(m.integrity_off == v[i].n - 32); /* MI, then FINGERPRINT (8 bytes) */
        CHECK(pc_turn_integrity_ok(v[i].b, v[i].n, &m, key, kl) == 1);
        CHECK(pc_turn_integrity_ok(v[i].b, v[i].n, &m, key, kl - 1) == 0);
        /* One byte changed before the MI: the HMAC no longer matches. */
        memcpy(copy, v[i].b, v[i].n);
        copy[25] ^= 1;
        CHECK(pc_turn_integrity_ok(copy, v[i].n, &m, key, kl) == 0);
    }
}

static void test_key_and_rest(void)
{
    /* python3: hashlib.md5(b"alice:precall.test:s3cret pass") */
    static const uint8_t want[16] = {0x96, 0x33, 0x19, 0x15, 0x31, 0x47, 0x03, 0x41,
                                     0xf6, 0xe3, 0xd6, 0xd9, 0xcc, 0x03, 0xfc, 0x89};
    uint8_t key[16];
    char user[64], pass[64];

    CHECK(pc_turn_longterm_key("alice", (const uint8_t *)"precall.test", 12, "s3cret pass", key) ==
          0);
    CHECK(memcmp(key, want, 16) == 0);
    /* python3: base64(hmac.new(b"northwind", b"1700000000:precall", sha1)) */
    CHECK(pc_turn_rest_credentials("northwind", 9, "precall", 1700000000LL, user, sizeof(user),
                                   pass, sizeof(pass)) == 0);
    CHECK(strcmp(user, "1700000000:precall") == 0);
    CHECK(strcmp(pass, "1iXwTOI8jS/UkUEymEeeDoIuZmQ=") == 0);
    CHECK(pc_turn_rest_credentials("northwind", 9, "precall", 1700000000LL, user, 18, pass,
                                   sizeof(pass)) == PC_EINVAL);
    CHECK(pc_turn_rest_credentials("northwind", 9, "precall", 1700000000LL, user, sizeof(user),
                                   pass, 28) == PC_EINVAL);
    CHECK(pc_turn_rest_credentials("northwind", 9, "precall", 1700000000LL, user, sizeof(user),
                                   pass, 29) == 0);
}

static void test_request_roundtrip(void)
{
    struct pc_stun_txid tx = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};
    struct pc_stun_addr peer = {4, 49152, {198, 18, 1, 9}};
    struct pc_stun_addr peer6 = {6, 3478, {0x20, 0x01, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2}};
    struct pc_turn_builder b;
    struct pc_turn_msg m;
    uint8_t buf[256];
    uint8_t key[16] = {7};
    size_t len = 0;

    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_CREATE_PERMISSION, PC_STUN_SUCCESS, &tx);
    CHECK(buf[0] == 0x01 && buf[1] == 0x08); /* CreatePermission success: 0x0108 */
    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_ERROR, &tx);
    CHECK(buf[0] == 0x01 && buf[1] == 0x13); /* Allocate error: 0x0113 */
    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_DATA, PC_STUN_INDICATION, &tx);
    CHECK(buf[0] == 0x00 && buf[1] == 0x17); /* Data indication: 0x0017 */

    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
    CHECK(buf[0] == 0x00 && buf[1] == 0x03);
    pc_turn_put_u32(&b, PC_TURN_ATTR_REQUESTED_TRANSPORT, PC_TURN_PROTO_UDP << 24);
    pc_turn_put_xaddr(&b, PC_TURN_ATTR_XOR_RELAYED_ADDRESS, &peer);
    pc_turn_put_xaddr(&b, PC_TURN_ATTR_XOR_PEER_ADDRESS, &peer6);
    pc_turn_put_u32(&b, PC_TURN_ATTR_LIFETIME, 600);
    pc_turn_put_bytes(&b, PC_TURN_ATTR_REALM, "precall.test", 12);
    pc_turn_put_bytes(&b, PC_TURN_ATTR_NONCE, "abcde", 5);
    pc_turn_put_bytes(&b, PC_TURN_ATTR_DATA, "hi", 2);
    CHECK(pc_turn_finish(&b, key, sizeof(key), 1, &len) == 0);
    CHECK(len == 20 + 8 + 12 + 24 + 8 + 16 + 12 + 8 + 24 + 8);
    CHECK(pc_turn_decode(buf, len, &m, NULL) == 0);
    CHECK(m.stun.has_fingerprint);
    CHECK(m.stun.method == PC_TURN_ALLOCATE && m.stun.cls == PC_STUN_REQUEST);
    CHECK(m.has_relayed && m.relayed.family == 4 && m.relayed.port == 49152);
    CHECK(memcmp(m.relayed.addr, peer.addr, 4) == 0);
    CHECK(m.has_peer && m.peer.family == 6 && m.peer.port == 3478);
    CHECK(memcmp(m.peer.addr, peer6.addr, 16) == 0);
    CHECK(m.has_lifetime && m.lifetime_s == 600);
    CHECK(m.realm_len == 12 && memcmp(m.realm, "precall.test", 12) == 0);
    CHECK(m.nonce_len == 5 && memcmp(m.nonce, "abcde", 5) == 0);
    CHECK(m.data_len == 2 && memcmp(m.data, "hi", 2) == 0);
    CHECK(m.integrity_off == len - 32);
    CHECK(pc_turn_integrity_ok(buf, len, &m, key, sizeof(key)) == 1);
    key[0] = 8;
    CHECK(pc_turn_integrity_ok(buf, len, &m, key, sizeof(key)) == 0);

    /* Without a key: no MESSAGE-INTEGRITY to check. */
    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_REFRESH, PC_STUN_REQUEST, &tx);
    pc_turn_put_u32(&b, PC_TURN_ATTR_LIFETIME, 0);
    CHECK(pc_turn_finish(&b, NULL, 0, 0, &len) == 0 && len == 28);
    CHECK(pc_turn_decode(buf, len, &m, NULL) == 0);
    CHECK(pc_turn_integrity_ok(buf, len, &m, key, sizeof(key)) == -1);

    /* Too small a buffer: finish fails, nothing is written past cap. */
    pc_turn_begin(&b, buf, 31, PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
    pc_turn_put_u32(&b, PC_TURN_ATTR_LIFETIME, 1);
    CHECK(pc_turn_finish(&b, NULL, 0, 0, &len) == 0 && len == 28);
    pc_turn_put_u32(&b, PC_TURN_ATTR_LIFETIME, 1);
    CHECK(pc_turn_finish(&b, NULL, 0, 0, &len) == PC_EINVAL);
    pc_turn_begin(&b, buf, 48, PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
    CHECK(pc_turn_finish(&b, key, sizeof(key), 0, &len) == 0 && len == 44);
    pc_turn_begin(&b, buf, 43, PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
    CHECK(pc_turn_finish(&b, key, sizeof(key), 0, &len) == PC_EINVAL);
}

static void test_bad_attributes(void)
{
    /* An Allocate success whose XOR-RELAYED-ADDRESS has an unknown family and
     * a LIFETIME of 2 bytes: decoded, both counted as bad. */
    static const uint8_t msg[] = {
        0x01, 0x03, 0x00, 0x14, 0x21, 0x12, 0xa4, 0x42, 1,    2,    3,    4, 5, 6, 7, 8, 9,
        10,   11,   12,   0x00, 0x16, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 1, 2, 3, 4, /* family 3 */
        0x00, 0x0d, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, /* LIFETIME of 2 bytes */
    };
    struct pc_turn_msg m;

    CHECK(pc_turn_decode(msg, sizeof(msg), &m, NULL) == 0);
    CHECK(!m.has_relayed && !m.has_lifetime);
    CHECK(m.bad_turn_attributes == 2);
    CHECK(pc_turn_decode(msg, sizeof(msg) - 4, &m, NULL) == PC_EDATA);
}

static void test_channel(void)
{
    uint8_t buf[64];
    const uint8_t *d;
    size_t len = 0, n = 0, frame = 0;
    uint16_t ch = 0;

    CHECK(pc_turn_channel_encode(buf, sizeof(buf), 0x4000, "abcde", 5, 0, &len) == 0 && len == 9);
    CHECK(buf[0] == 0x40 && buf[1] == 0x00 && buf[2] == 0 && buf[3] == 5);
    CHECK(pc_turn_channel_decode(buf, len, &ch, &d, &n) == 0 && ch == 0x4000 && n == 5);
    CHECK(memcmp(d, "abcde", 5) == 0);
    CHECK(pc_turn_channel_decode(buf, len - 1, &ch, &d, &n) == PC_EDATA);
    CHECK(pc_turn_channel_encode(buf, sizeof(buf), 0x4FFF, "abcde", 5, 1, &len) == 0 && len == 12);
    CHECK(pc_turn_frame_len(buf, 4, &frame) == 1 && frame == 12);
    CHECK(pc_turn_frame_len(buf, 3, &frame) == 0);
    CHECK(pc_turn_channel_encode(buf, sizeof(buf), 0x3FFF, "a", 1, 0, &len) == PC_EINVAL);
    CHECK(pc_turn_channel_encode(buf, sizeof(buf), 0x5000, "a", 1, 0, &len) == PC_EINVAL);
    CHECK(pc_turn_channel_encode(buf, 8, 0x4000, "abcde", 5, 0, &len) == PC_EINVAL);
    CHECK(pc_turn_channel_encode(buf, 9, 0x4000, "abcde", 5, 0, &len) == 0);
    buf[0] = 0x50; /* reserved range */
    CHECK(pc_turn_channel_decode(buf, 9, &ch, &d, &n) == PC_EDATA);
    CHECK(pc_turn_frame_len(buf, 9, &frame) == PC_EDATA);
    buf[0] = 0x80;
    CHECK(pc_turn_frame_len(buf, 9, &frame) == PC_EDATA);
    /* A STUN header on a stream: 20 bytes and its length. */
    CHECK(pc_turn_frame_len(rfc5769_ipv4, 4, &frame) == 1 && frame == sizeof(rfc5769_ipv4));
    buf[0] = 0x01, buf[1] = 0x01, buf[2] = 0x00, buf[3] = 0x3d; /* length not a multiple of 4 */
    CHECK(pc_turn_frame_len(buf, 4, &frame) == PC_EDATA);
}

static void test_limits(void)
{
    /* A 401 with a REALM of exactly 763 bytes (RFC 8489 14.9's most) is usable; 764 is not. */
    struct pc_stun_txid tx = {{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2}};
    struct pc_stun_addr relayed = {4, 50000, {198, 18, 1, 6}};
    static uint8_t realm[764], buf[1200];
    struct pc_turn_builder b;
    struct pc_turn_msg m;
    size_t len = 0;

    memset(realm, 'r', sizeof(realm));
    for (size_t n = 762; n <= 764; n++) {
        pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_ERROR, &tx);
        pc_turn_put_bytes(&b, PC_TURN_ATTR_REALM, realm, n);
        pc_turn_put_bytes(&b, PC_TURN_ATTR_NONCE, "n", 1);
        CHECK(pc_turn_finish(&b, NULL, 0, 0, &len) == 0);
        CHECK(pc_turn_decode(buf, len, &m, NULL) == 0);
        CHECK(n <= 763 ? m.realm != NULL && m.realm_len == n : m.realm == NULL);
        CHECK(m.bad_turn_attributes == (n <= 763 ? 0 : 1));
    }
    /* An XOR-RELAYED-ADDRESS of IPv4 with 4 bytes too many is not an address. */
    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_SUCCESS, &tx);
    pc_turn_put_xaddr(&b, PC_TURN_ATTR_XOR_RELAYED_ADDRESS, &relayed);
    CHECK(pc_turn_finish(&b, NULL, 0, 0, &len) == 0 && len == 32);
    CHECK(pc_turn_decode(buf, len, &m, NULL) == 0 && m.has_relayed && m.relayed.port == 50000);
    {
        uint8_t v[12];

        memcpy(v, buf + 24, 8); /* the value just encoded: IPv4, port and address */
        memset(v + 8, 0, 4);    /* and 4 bytes more than IPv4 has */
        pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_SUCCESS, &tx);
        pc_turn_put_bytes(&b, PC_TURN_ATTR_XOR_RELAYED_ADDRESS, v, 8);
        CHECK(pc_turn_finish(&b, NULL, 0, 0, &len) == 0);
        CHECK(pc_turn_decode(buf, len, &m, NULL) == 0 && m.has_relayed && m.relayed.port == 50000);
        pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_SUCCESS, &tx);
        pc_turn_put_bytes(&b, PC_TURN_ATTR_XOR_RELAYED_ADDRESS, v, sizeof(v));
        CHECK(pc_turn_finish(&b, NULL, 0, 0, &len) == 0);
        CHECK(pc_turn_decode(buf, len, &m, NULL) == 0);
        CHECK(!m.has_relayed && m.bad_turn_attributes == 1);
    }
}

static void test_uri(void)
{
    static const struct {
        const char *uri;
        int ok;
        enum pc_turn_transport t;
        const char *host;
        int port;
    } v[] = {
        {"turn:relay.example", 1, PC_TURN_UDP, "relay.example", 3478},
        {"turn:relay.example:3479", 1, PC_TURN_UDP, "relay.example", 3479},
        {"turn:relay.example?transport=udp", 1, PC_TURN_UDP, "relay.example", 3478},
        {"turn:relay.example:80?transport=tcp", 1, PC_TURN_TCP, "relay.example", 80},
        {"turns:relay.example", 1, PC_TURN_TLS, "relay.example", 5349},
        {"turns:relay.example:443", 1, PC_TURN_TLS, "relay.example", 443},
        {"turns:relay.example?transport=tcp", 1, PC_TURN_TLS, "relay.example", 5349},
        {"turn:[2001:db8::1]:3478", 1, PC_TURN_UDP, "2001:db8::1", 3478},
        {"turn:198.18.1.6", 1, PC_TURN_UDP, "198.18.1.6", 3478},
        {"turns:relay.example?transport=udp", 0, PC_TURN_UDP, "", 0},
        {"turn:relay.example?transport=sctp", 0, PC_TURN_UDP, "", 0},
        {"turn:relay.example:0", 0, PC_TURN_UDP, "", 0},
        {"turn:relay.example:65536", 0, PC_TURN_UDP, "", 0},
        {"turn:", 0, PC_TURN_UDP, "", 0},
        {"stun:relay.example", 0, PC_TURN_UDP, "", 0},
        {"relay.example", 0, PC_TURN_UDP, "", 0},
    };

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct pc_turn_uri u;
        struct pc_err err = {0};
        int rc = pc_turn_uri_parse(v[i].uri, &u, &err);

        if ((rc == 0) != v[i].ok)
            fprintf(stderr, "uri %s: rc %d (%s)\n", v[i].uri, rc, err.msg);
        CHECK((rc == 0) == v[i].ok);
        if (rc != 0 || !v[i].ok) {
            CHECK(rc != 0 ? err.msg[0] != '\0' : 1);
            continue;
        }
        CHECK(u.transport == v[i].t);
        CHECK(strcmp(u.host, v[i].host) == 0);
        CHECK(u.port == v[i].port);
    }
    CHECK(strcmp(pc_turn_transport_name(PC_TURN_TLS), "tls") == 0);
    CHECK(strcmp(pc_turn_transport_name(PC_TURN_TCP), "tcp") == 0);
    CHECK(strcmp(pc_turn_transport_name(PC_TURN_UDP), "udp") == 0);
}

int main(void)
{
    test_limits();
    test_uri();
    test_vectors();
    test_key_and_rest();
    test_request_roundtrip();
    test_bad_attributes();
    test_channel();
    return check_done();
}
