/*
 * test_turn.c - the TURN codec (src/proto/turn.c): MESSAGE-INTEGRITY checked
 * against the RFC 5769 vectors, requests built and read back, the long-term
 * key and REST credentials against values computed apart (Python's hashlib
 * and hmac), TURN attributes, ChannelData and the framing on a stream.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
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

/*
 * RFC 8489 Appendix B.1: user "<U+30DE><U+30C8><U+30EA><U+30C3><U+30AF><U+30B9>" (UTF-8),
 * password "TheMatrIX" (after OpaqueString), realm "example.org", nonce
 * "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA", transaction 78ad3433 c6ad72c0 29da412e.
 * The RFC prints the message with a length of 0x9c for 136 bytes of attributes; its
 * MESSAGE-INTEGRITY-SHA256 (e4686c8f...) is the HMAC over the header as printed. The
 * message as it must be (what the RFC's errata give, checked here with Python's hashlib
 * and hmac): PASSWORD-ALGORITHM SHA-256 before the integrity, length 0x90, and the HMAC
 * b5c7bf00... over it. Both HMACs are checked; the codec builds the second byte for byte.
 */
static const char b1_user[] =
    "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9";
static const char b1_nonce[] = "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA";

/* clang-format off */
static const uint8_t b1_key[32] = { /* SHA-256 of user:realm:password (9.2.2) */
    0xdd, 0x29, 0x5a, 0x61, 0x3b, 0x90, 0x58, 0xc3, 0xc2, 0x3d, 0x6d, 0xc7, 0x16, 0x5b, 0xda, 0x07,
    0x23, 0x04, 0xd9, 0x89, 0xc9, 0xd0, 0xaf, 0x3a, 0x8c, 0x7e, 0x18, 0x4b, 0x4f, 0x9b, 0xb4, 0xa1};
static const uint8_t b1_userhash[32] = {
    0x4a, 0x3c, 0xf3, 0x8f, 0xef, 0x69, 0x92, 0xbd, 0xa9, 0x52, 0xc6, 0x78, 0x04, 0x17, 0xda, 0x0f,
    0x24, 0x81, 0x94, 0x15, 0x56, 0x9e, 0x60, 0xb2, 0x05, 0xc4, 0x6e, 0x41, 0x40, 0x7f, 0x17, 0x04};
static const uint8_t b1_printed_mac[32] = {
    0xe4, 0x68, 0x6c, 0x8f, 0x0e, 0xde, 0xb5, 0x90, 0x13, 0xe0, 0x70, 0x90, 0x01, 0x0a, 0x93, 0xef,
    0xcc, 0xbc, 0xcc, 0x54, 0x4c, 0x0a, 0x45, 0xd9, 0xf8, 0x30, 0xaa, 0x6d, 0x6f, 0x73, 0x5a, 0x01};
static const uint8_t b1_fixed[164] = {
    0x00, 0x01, 0x00, 0x90, 0x21, 0x12, 0xa4, 0x42, /* Binding request, length 144, cookie */
    0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e,
    0x00, 0x1e, 0x00, 0x20, /* USERHASH */
    0x4a, 0x3c, 0xf3, 0x8f, 0xef, 0x69, 0x92, 0xbd, 0xa9, 0x52, 0xc6, 0x78, 0x04, 0x17, 0xda, 0x0f,
    0x24, 0x81, 0x94, 0x15, 0x56, 0x9e, 0x60, 0xb2, 0x05, 0xc4, 0x6e, 0x41, 0x40, 0x7f, 0x17, 0x04,
    0x00, 0x15, 0x00, 0x29, /* NONCE, 41 bytes and 3 of padding */
    0x6f, 0x62, 0x4d, 0x61, 0x74, 0x4a, 0x6f, 0x73, 0x32, 0x41, 0x41, 0x41, 0x43, 0x66, 0x2f, 0x2f,
    0x34, 0x39, 0x39, 0x6b, 0x39, 0x35, 0x34, 0x64, 0x36, 0x4f, 0x4c, 0x33, 0x34, 0x6f, 0x4c, 0x39,
    0x46, 0x53, 0x54, 0x76, 0x79, 0x36, 0x34, 0x73, 0x41, 0x00, 0x00, 0x00,
    0x00, 0x14, 0x00, 0x0b, /* REALM, 11 bytes and 1 of padding */
    0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x00,
    0x00, 0x1d, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, /* PASSWORD-ALGORITHM SHA-256 */
    0x00, 0x1c, 0x00, 0x20, /* MESSAGE-INTEGRITY-SHA256 */
    0xb5, 0xc7, 0xbf, 0x00, 0x5b, 0x6c, 0x52, 0xa2, 0x1c, 0x51, 0xc5, 0xe8, 0x92, 0xf8, 0x19, 0x24,
    0x13, 0x62, 0x96, 0xcb, 0x92, 0x7c, 0x43, 0x14, 0x93, 0x09, 0x27, 0x8c, 0xc6, 0x51, 0x8e, 0x65};
/* clang-format on */

static void test_rfc8489_b1(void)
{
    struct pc_stun_txid tx = {
        {0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e}};
    uint8_t key[PC_TURN_KEY_MAX], buf[256], mac[EVP_MAX_MD_SIZE], printed[156];
    size_t kl = 0, len = 0;
    unsigned int ml = 0;
    struct pc_turn_builder b;
    struct pc_turn_msg m;

    CHECK(pc_turn_longterm_key_alg(b1_user, (const uint8_t *)"example.org", 11, "TheMatrIX",
                                   PC_TURN_ALG_SHA256, key, &kl) == 0);
    CHECK(kl == 32 && memcmp(key, b1_key, 32) == 0);
    /* The MD5 algorithm is the long-term key of old. */
    {
        uint8_t md5[16];

        CHECK(pc_turn_longterm_key_alg(b1_user, (const uint8_t *)"example.org", 11, "TheMatrIX",
                                       PC_TURN_ALG_MD5, key, &kl) == 0 &&
              kl == 16);
        CHECK(pc_turn_longterm_key(b1_user, (const uint8_t *)"example.org", 11, "TheMatrIX", md5) ==
              0);
        CHECK(memcmp(key, md5, 16) == 0);
        CHECK(pc_turn_longterm_key_alg("a", (const uint8_t *)"r", 1, "p", 3, key, &kl) ==
              PC_EINVAL);
    }

    /* Built by the codec: the message byte for byte. */
    pc_turn_begin(&b, buf, sizeof(buf), 0x001, PC_STUN_REQUEST, &tx);
    pc_turn_put_bytes(&b, 0x001E, b1_userhash, sizeof(b1_userhash));
    pc_turn_put_bytes(&b, PC_TURN_ATTR_NONCE, b1_nonce, strlen(b1_nonce));
    pc_turn_put_bytes(&b, PC_TURN_ATTR_REALM, "example.org", 11);
    pc_turn_put_u32(&b, PC_TURN_ATTR_PASSWORD_ALGORITHM, (uint32_t)PC_TURN_ALG_SHA256 << 16);
    CHECK(pc_turn_finish_alg(&b, b1_key, 32, PC_TURN_ALG_SHA256, 0, &len) == 0);
    CHECK(len == sizeof(b1_fixed) && memcmp(buf, b1_fixed, sizeof(b1_fixed)) == 0);

    /* Read back and verified; any other key or byte fails. */
    CHECK(pc_turn_decode(b1_fixed, sizeof(b1_fixed), &m, NULL) == 0);
    CHECK(m.integrity256_off == sizeof(b1_fixed) - 36 && m.integrity_off == 0);
    CHECK(m.has_algorithm && m.algorithm == PC_TURN_ALG_SHA256);
    CHECK(m.realm_len == 11 && m.nonce_len == 41);
    CHECK(pc_turn_integrity256_ok(b1_fixed, sizeof(b1_fixed), &m, b1_key, 32) == 1);
    CHECK(pc_turn_integrity_ok(b1_fixed, sizeof(b1_fixed), &m, b1_key, 32) == -1);
    memcpy(key, b1_key, 32);
    key[31] ^= 1;
    CHECK(pc_turn_integrity256_ok(b1_fixed, sizeof(b1_fixed), &m, key, 32) == 0);
    memcpy(buf, b1_fixed, sizeof(b1_fixed));
    buf[60] ^= 0x20; /* the nonce */
    CHECK(pc_turn_integrity256_ok(buf, sizeof(b1_fixed), &m, b1_key, 32) == 0);

    /* The message as the RFC prints it: its HMAC is over the header as printed (0x9c). */
    memcpy(printed, b1_fixed, 120);            /* header .. REALM */
    printed[3] = 0x9c;                         /* the printed length */
    memcpy(printed + 120, b1_fixed + 128, 4);  /* MESSAGE-INTEGRITY-SHA256's header */
    memcpy(printed + 124, b1_printed_mac, 32); /* the printed value */
    CHECK(HMAC(EVP_sha256(), b1_key, 32, printed, 120, mac, &ml) != NULL && ml == 32);
    CHECK(memcmp(mac, b1_printed_mac, 32) == 0);
}

/* A 401 with a nonce and PASSWORD-ALGORITHMS of the given bytes. */
static size_t challenge(uint8_t *buf, size_t cap, const char *nonce, const void *algs, size_t n)
{
    struct pc_stun_txid tx = {{9}};
    struct pc_turn_builder b;
    size_t len = 0;

    pc_turn_begin(&b, buf, cap, PC_TURN_ALLOCATE, PC_STUN_ERROR, &tx);
    pc_turn_put_bytes(&b, PC_TURN_ATTR_REALM, "precall.test", 12);
    pc_turn_put_bytes(&b, PC_TURN_ATTR_NONCE, nonce, strlen(nonce));
    if (algs)
        pc_turn_put_bytes(&b, PC_TURN_ATTR_PASSWORD_ALGORITHMS, algs, n);
    return pc_turn_finish(&b, NULL, 0, 0, &len) == 0 ? len : 0;
}

static void test_password_algorithms(void)
{
    static const uint8_t both[] = {0, 2, 0, 0, 0, 1, 0, 0}; /* SHA-256, MD5 */
    static const uint8_t md5[] = {0, 1, 0, 0};
    static const uint8_t sha_params[] = {0, 2, 0, 4, 1, 2, 3, 4}; /* SHA-256 with parameters */
    static const uint8_t cut[] = {0, 2, 0, 4, 1, 2};              /* its parameters cut */
    static const uint8_t short_entry[] = {0, 1, 0, 0, 0, 2};      /* half an entry */
    uint8_t algs[260] = {0}, buf[1024];
    struct pc_turn_msg m;
    size_t n;

    n = challenge(buf, sizeof(buf), "obMatJos2AAACxyz", both, sizeof(both));
    CHECK(n > 0 && pc_turn_decode(buf, n, &m, NULL) == 0);
    CHECK(m.offers_sha256 && m.algorithms_len == 8 && memcmp(m.algorithms, both, 8) == 0);
    CHECK(m.bad_turn_attributes == 0 && pc_turn_offers_sha256(&m) == 1);
    /* The cookie and its four characters, no fewer: 13 bytes offer, 12 do not. */
    n = challenge(buf, sizeof(buf), "obMatJos2AAAC", both, sizeof(both));
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && pc_turn_offers_sha256(&m) == 1);
    n = challenge(buf, sizeof(buf), "obMatJos2AAA", both, sizeof(both));
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && pc_turn_offers_sha256(&m) == 0);
    /* No cookie: SHA-256 listed, not offered (RFC 8489 9.2: MD5 then). */
    n = challenge(buf, sizeof(buf), "nonce-00000001", both, sizeof(both));
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && m.offers_sha256 &&
          pc_turn_offers_sha256(&m) == 0);
    n = challenge(buf, sizeof(buf), "xbMatJos2AAACxyz", both, sizeof(both));
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && pc_turn_offers_sha256(&m) == 0);
    /* The cookie without the attribute, or with MD5 alone, or SHA-256 with parameters. */
    n = challenge(buf, sizeof(buf), "obMatJos2AAACxyz", NULL, 0);
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && !m.algorithms && !pc_turn_offers_sha256(&m));
    n = challenge(buf, sizeof(buf), "obMatJos2AAACxyz", md5, sizeof(md5));
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && m.algorithms_len == 4 &&
          !pc_turn_offers_sha256(&m));
    n = challenge(buf, sizeof(buf), "obMatJos2AAACxyz", sha_params, sizeof(sha_params));
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && m.algorithms_len == 8 && !m.offers_sha256);
    /* Malformed lists: not taken, counted, the rest of the message read. */
    n = challenge(buf, sizeof(buf), "obMatJos2AAACxyz", cut, sizeof(cut));
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && !m.algorithms && m.bad_turn_attributes == 1);
    CHECK(m.nonce_len == 16 && !pc_turn_offers_sha256(&m));
    n = challenge(buf, sizeof(buf), "obMatJos2AAACxyz", short_entry, sizeof(short_entry));
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && !m.algorithms && m.bad_turn_attributes == 1);
    /* At most PC_TURN_ALGS_MAX bytes: 256 taken, 260 not. */
    algs[1] = 2;
    n = challenge(buf, sizeof(buf), "obMatJos2AAACxyz", algs, PC_TURN_ALGS_MAX);
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && m.algorithms_len == PC_TURN_ALGS_MAX &&
          m.offers_sha256);
    n = challenge(buf, sizeof(buf), "obMatJos2AAACxyz", algs, PC_TURN_ALGS_MAX + 4);
    CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && !m.algorithms && m.bad_turn_attributes == 1);
    /* PASSWORD-ALGORITHM: whole, or counted as bad. */
    {
        struct pc_stun_txid tx = {{3}};
        struct pc_turn_builder b;

        pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
        pc_turn_put_bytes(&b, PC_TURN_ATTR_PASSWORD_ALGORITHM, "\0\2\0", 3);
        CHECK(pc_turn_finish(&b, NULL, 0, 0, &n) == 0);
        CHECK(pc_turn_decode(buf, n, &m, NULL) == 0 && !m.has_algorithm &&
              m.bad_turn_attributes == 1);
    }
}

/* A message with MESSAGE-INTEGRITY-SHA256 of mac_len bytes (HMAC-SHA256 with key, cut). */
static size_t with_mi256(uint8_t *buf, size_t mac_len, const uint8_t *key, size_t kl)
{
    struct pc_stun_txid tx = {{5}};
    struct pc_turn_builder b;
    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned int ml = 0;
    size_t len = 0, at;

    pc_turn_begin(&b, buf, 512, PC_TURN_ALLOCATE, PC_STUN_SUCCESS, &tx);
    pc_turn_put_u32(&b, PC_TURN_ATTR_LIFETIME, 600);
    pc_turn_finish(&b, NULL, 0, 0, &len);
    at = len;
    buf[2] = 0;
    buf[3] = (uint8_t)(at + 4 + mac_len - 20);
    HMAC(EVP_sha256(), key, (int)kl, buf, at, mac, &ml);
    buf[at] = 0x00;
    buf[at + 1] = 0x1c;
    buf[at + 2] = 0;
    buf[at + 3] = (uint8_t)mac_len;
    memcpy(buf + at + 4, mac, mac_len);
    return at + 4 + mac_len;
}

static void test_integrity_sha256(void)
{
    uint8_t key[32] = {1, 2, 3}, buf[512];
    struct pc_turn_builder b;
    struct pc_stun_txid tx = {{7}};
    struct pc_turn_msg m;
    struct pc_err err = {0};
    size_t len = 0, n;

    /* Built with FINGERPRINT after it: verified as if it were the last attribute. */
    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
    pc_turn_put_bytes(&b, PC_TURN_ATTR_REALM, "precall.test", 12);
    CHECK(pc_turn_finish_alg(&b, key, sizeof(key), PC_TURN_ALG_SHA256, 1, &len) == 0);
    CHECK(len == 20 + 16 + 36 + 8);
    CHECK(pc_turn_decode(buf, len, &m, NULL) == 0 && m.stun.has_fingerprint);
    CHECK(m.integrity256_off == 36 && m.integrity_off == 0);
    CHECK(pc_turn_integrity256_ok(buf, len, &m, key, sizeof(key)) == 1);
    key[31] = 9; /* another key (one short of it would pad alike: HMAC pads with zeros) */
    CHECK(pc_turn_integrity256_ok(buf, len, &m, key, sizeof(key)) == 0);
    key[31] = 0;
    /* An algorithm that is neither: refused. */
    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
    CHECK(pc_turn_finish_alg(&b, key, sizeof(key), 3, 0, &len) == PC_EINVAL);
    /* Room for the attribute exactly (20 + 36), and one byte less. */
    pc_turn_begin(&b, buf, 56, PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
    CHECK(pc_turn_finish_alg(&b, key, sizeof(key), PC_TURN_ALG_SHA256, 0, &len) == 0 && len == 56);
    pc_turn_begin(&b, buf, 55, PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
    CHECK(pc_turn_finish_alg(&b, key, sizeof(key), PC_TURN_ALG_SHA256, 0, &len) == PC_EINVAL);
    /* None: -1. */
    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_REQUEST, &tx);
    CHECK(pc_turn_finish(&b, key, 16, 0, &len) == 0);
    CHECK(pc_turn_decode(buf, len, &m, NULL) == 0 && m.integrity_off == 20);
    CHECK(pc_turn_integrity256_ok(buf, len, &m, key, sizeof(key)) == -1);

    /* Truncated (14.6): 16 to 32 bytes in steps of 4 verify; other lengths are malformed. */
    for (size_t l = 0; l <= 36; l += 2) {
        int fine = l >= 16 && l <= 32 && l % 4 == 0;

        n = with_mi256(buf, l, key, sizeof(key));
        CHECK((pc_turn_decode(buf, n, &m, &err) == 0) == fine);
        if (fine) {
            CHECK(m.integrity256_off == 28);
            CHECK(pc_turn_integrity256_ok(buf, n, &m, key, sizeof(key)) == 1);
            buf[n - 1] ^= 1;
            CHECK(pc_turn_integrity256_ok(buf, n, &m, key, sizeof(key)) == 0);
        }
    }
    CHECK(strstr(err.msg, "MESSAGE-INTEGRITY-SHA256 of 36 bytes") != NULL);
    /* Cut short of its value: the message is malformed. */
    n = with_mi256(buf, 32, key, sizeof(key));
    CHECK(pc_turn_decode(buf, n - 4, &m, NULL) < 0);

    /* Both integrities (MI first, 14.6): both found; attributes between them are not taken. */
    pc_turn_begin(&b, buf, sizeof(buf), PC_TURN_ALLOCATE, PC_STUN_SUCCESS, &tx);
    pc_turn_put_u32(&b, PC_TURN_ATTR_LIFETIME, 600);
    CHECK(pc_turn_finish(&b, key, 16, 0, &len) == 0);
    pc_turn_put_bytes(&b, PC_TURN_ATTR_REALM, "after", 5);
    CHECK(pc_turn_finish_alg(&b, key, sizeof(key), PC_TURN_ALG_SHA256, 0, &len) == 0);
    CHECK(pc_turn_decode(buf, len, &m, NULL) == 0);
    CHECK(m.integrity_off == 28 && m.integrity256_off == 28 + 24 + 12);
    CHECK(m.realm == NULL && m.has_lifetime);
    CHECK(pc_turn_integrity256_ok(buf, len, &m, key, sizeof(key)) == 1);
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
    test_rfc8489_b1();
    test_password_algorithms();
    test_integrity_sha256();
    return check_done();
}
