/*
 * test_stun.c - the STUN codec (RFC 8489) against the RFC 5769 test vectors,
 * hand-made good and malformed messages, encode/decode round trips and
 * every truncation of the vectors.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precall/stun.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The RFC 5769 test vectors, laid out as in the RFC: one 32-bit word a line.
 * Their FINGERPRINT checks that every byte before it was typed right.
 */
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

static const struct pc_stun_txid rfc5769_txid = {
    {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae}};

struct vector {
    const char *name;
    const uint8_t *bytes;
    size_t len;
    enum pc_stun_class cls;
    const char *software;
    const char *mapped; /* textual address, NULL if none */
    int family;
    uint16_t port;
    int unknown_required; /* 2.1 carries PRIORITY and USERNAME, unknown to the codec */
};

static const struct vector vectors[] = {
    {"rfc5769 2.1 request", rfc5769_request, sizeof(rfc5769_request), PC_STUN_REQUEST,
     "STUN test client", NULL, 0, 0, 2},
    {"rfc5769 2.2 ipv4 response", rfc5769_ipv4, sizeof(rfc5769_ipv4), PC_STUN_SUCCESS,
     "test vector", "192.0.2.1", 4, 32853, 0},
    {"rfc5769 2.3 ipv6 response", rfc5769_ipv6, sizeof(rfc5769_ipv6), PC_STUN_SUCCESS,
     "test vector", "2001:db8:1234:5678:11:2233:4455:6677", 6, 32853, 0},
};

static int addr_is(const struct pc_stun_addr *a, const char *text)
{
    uint8_t want[16];

    if (a->family == 4)
        return inet_pton(AF_INET, text, want) == 1 && memcmp(a->addr, want, 4) == 0;
    if (a->family == 6)
        return inet_pton(AF_INET6, text, want) == 1 && memcmp(a->addr, want, 16) == 0;
    return 0;
}

/* Decode len bytes from a heap copy of exactly that size, so that ASan sees
 * any read past the end. */
static int decode_exact(const uint8_t *bytes, size_t len, struct pc_stun_msg *msg,
                        struct pc_err *err)
{
    uint8_t *copy = malloc(len > 0 ? len : 1);
    int rc;

    if (copy == NULL)
        return PC_ENOMEM;
    if (len > 0)
        memcpy(copy, bytes, len);
    rc = pc_stun_decode(copy, len, msg, err);
    free(copy);
    return rc;
}

static void test_vectors(void)
{
    for (size_t i = 0; i < N_ELEMS(vectors); i++) {
        const struct vector *v = &vectors[i];
        struct pc_stun_msg msg;
        struct pc_err err = {0};
        int rc = decode_exact(v->bytes, v->len, &msg, &err);

        if (rc != 0)
            fprintf(stderr, "%s: %s\n", v->name, err.msg);
        CHECK(rc == 0);
        CHECK(pc_stun_looks_like(v->bytes, v->len));
        CHECK(msg.cls == v->cls);
        CHECK(msg.method == PC_STUN_METHOD_BINDING);
        CHECK(memcmp(msg.txid.b, rfc5769_txid.b, 12) == 0);
        CHECK(strcmp(msg.software, v->software) == 0);
        CHECK(msg.has_fingerprint == 1);
        CHECK(msg.has_integrity == 1);
        CHECK(msg.has_error_code == 0);
        CHECK(msg.unknown_required == v->unknown_required);
        CHECK(msg.has_mapped == (v->mapped != NULL));
        if (v->mapped != NULL) {
            CHECK(msg.mapped_from_xor == 1);
            CHECK(msg.mapped.family == v->family);
            CHECK(msg.mapped.port == v->port);
            CHECK(addr_is(&msg.mapped, v->mapped));
        }
    }
}

/* Every proper prefix of a vector is rejected; with the length field patched
 * to match, a prefix is walked attribute by attribute without a crash and
 * never claims a fingerprint. */
static void test_truncations(void)
{
    for (size_t i = 0; i < N_ELEMS(vectors); i++) {
        const struct vector *v = &vectors[i];
        int rejected = 0, patched_fp = 0;

        for (size_t cut = 0; cut < v->len; cut++) {
            struct pc_stun_msg msg;
            uint8_t buf[256];

            if (decode_exact(v->bytes, cut, &msg, NULL) == PC_EDATA)
                rejected++;
            CHECK(!pc_stun_looks_like(v->bytes, cut));
            if (cut >= PC_STUN_HEADER_BYTES) {
                memcpy(buf, v->bytes, cut);
                buf[2] = (uint8_t)((cut - PC_STUN_HEADER_BYTES) >> 8);
                buf[3] = (uint8_t)(cut - PC_STUN_HEADER_BYTES);
                if (decode_exact(buf, cut, &msg, NULL) == 0 && msg.has_fingerprint)
                    patched_fp++;
            }
        }
        CHECK(rejected == (int)v->len);
        CHECK(patched_fp == 0);
    }
}

/* Any changed byte before the FINGERPRINT value, or in it, is caught. */
static void test_corrupt_fingerprint(void)
{
    for (size_t i = 0; i < N_ELEMS(vectors); i++) {
        const struct vector *v = &vectors[i];
        size_t where[] = {v->len - 1, v->len - 4, 24, 9};
        uint8_t buf[256];
        struct pc_stun_msg msg;
        struct pc_err err = {0};

        for (size_t k = 0; k < N_ELEMS(where); k++) {
            memcpy(buf, v->bytes, v->len);
            buf[where[k]] ^= 0x01;
            CHECK(decode_exact(buf, v->len, &msg, &err) == PC_EDATA);
            CHECK(err.code == PC_EDATA);
            CHECK(msg.has_fingerprint == 0);
            CHECK(msg.fault == PC_STUN_FAULT_FINGERPRINT);
        }
        /* an attribute after FINGERPRINT (14.7: it must be the last) */
        memcpy(buf, v->bytes, v->len);
        memcpy(buf + v->len, "\x80\x22\x00\x00", 4);
        buf[3] = (uint8_t)(buf[3] + 4);
        CHECK(decode_exact(buf, v->len + 4, &msg, &err) == PC_EDATA);
        CHECK(msg.fault == PC_STUN_FAULT_FINGERPRINT);
    }
}

static void test_encode(void)
{
    /* the FINGERPRINT value is zlib.crc32(first 20 bytes) ^ 0x5354554e */
    static const uint8_t golden[] = {
        0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
        0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x80, 0x28, 0x00, 0x04, 0x5b, 0x20, 0xf9, 0xcc,
    };
    struct pc_stun_txid tx = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};
    uint8_t buf[PC_STUN_REQUEST_MAX];
    struct pc_stun_msg msg;
    struct pc_err err = {0};
    size_t len = 0;

    for (int fp = 0; fp <= 1; fp++) {
        CHECK(pc_stun_encode_binding_request(buf, sizeof(buf), &tx, fp, &len) == 0);
        CHECK(len == (fp ? 28u : 20u));
        CHECK(pc_stun_looks_like(buf, len));
        CHECK(decode_exact(buf, len, &msg, &err) == 0);
        CHECK(msg.cls == PC_STUN_REQUEST);
        CHECK(msg.method == PC_STUN_METHOD_BINDING);
        CHECK(memcmp(msg.txid.b, tx.b, 12) == 0);
        CHECK(msg.has_fingerprint == fp);
        CHECK(msg.has_mapped == 0 && msg.unknown_required == 0 && msg.software[0] == '\0');
        /* too small a buffer */
        CHECK(pc_stun_encode_binding_request(buf, len - 1, &tx, fp, &len) == PC_EINVAL);
    }
    CHECK(pc_stun_encode_binding_request(buf, sizeof(buf), &tx, 1, &len) == 0);
    CHECK(len == sizeof(golden) && memcmp(buf, golden, sizeof(golden)) == 0);
    CHECK(pc_stun_encode_binding_request(buf, sizeof(buf), &tx, 0, &len) == 0);
    CHECK(len == 20 && buf[2] == 0 && buf[3] == 0 && memcmp(buf + 4, golden + 4, 16) == 0);
    CHECK(pc_stun_encode_binding_request(NULL, 64, &tx, 0, &len) == PC_EINVAL);
    CHECK(pc_stun_encode_binding_request(buf, 64, NULL, 0, &len) == PC_EINVAL);
}

/*
 * Hand-made messages, all with the RFC 5769 transaction ID; one attribute
 * header or value word a line.
 */
/* clang-format off */
#define TXID     0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae
#define COOKIE   0x21, 0x12, 0xa4, 0x42
#define HEADER(t0, t1, length) t0, t1, 0x00, length, COOKIE, TXID
/* XOR-MAPPED-ADDRESS 192.0.2.1:32853, as in RFC 5769 2.2 */
#define XOR_V4   0x00, 0x20, 0x00, 0x08, \
                 0x00, 0x01, 0xa1, 0x47, \
                 0xe1, 0x12, 0xa6, 0x43
/* MAPPED-ADDRESS 198.51.100.7:3478 */
#define MAPPED_1 0x00, 0x01, 0x00, 0x08, \
                 0x00, 0x01, 0x0d, 0x96, \
                 0xc6, 0x33, 0x64, 0x07

static const uint8_t error_420[] = {
    HEADER(0x01, 0x11, 28),         /* Binding Error Response */
    0x00, 0x09, 0x00, 0x15,         /* ERROR-CODE, 4 + 17 bytes */
    0x00, 0x00, 0x04, 0x14,         /* class 4, number 20 */
    'U', 'n', 'k', 'n', 'o', 'w', 'n', ' ', 'A', 't', 't', 'r', 'i', 'b', 'u', 't', 'e',
    0x00, 0x00, 0x00,               /* padding */
};
static const uint8_t mapped_only[] = {HEADER(0x01, 0x01, 12), MAPPED_1};
static const uint8_t mapped_then_xor[] = {HEADER(0x01, 0x01, 24), MAPPED_1, XOR_V4};
static const uint8_t xor_then_mapped[] = {HEADER(0x01, 0x01, 24), XOR_V4, MAPPED_1};
static const uint8_t unknown_attrs[] = {
    HEADER(0x01, 0x01, 28),
    XOR_V4,
    0x00, 0x2a, 0x00, 0x04,         /* unknown, comprehension-required */
    0xde, 0xad, 0xbe, 0xef,
    0x80, 0x2b, 0x00, 0x01,         /* unknown, optional */
    0x55, 0x00, 0x00, 0x00,
};
static const uint8_t after_integrity[] = {
    HEADER(0x01, 0x01, 36),
    0x00, 0x08, 0x00, 0x14,         /* MESSAGE-INTEGRITY */
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    XOR_V4,                         /* to be ignored (RFC 8489 14.5) */
};
static const uint8_t software_ctrl[] = {
    HEADER(0x01, 0x01, 12),
    0x80, 0x22, 0x00, 0x07,         /* SOFTWARE "a\033[2J\0z" */
    'a', 0x1b, '[', '2',
    'J', 0x00, 'z', 0x00,
};
static const uint8_t two_software[] = {
    HEADER(0x01, 0x01, 16),
    0x80, 0x22, 0x00, 0x00,         /* SOFTWARE "": the first one counts */
    0x80, 0x22, 0x00, 0x01,         /* SOFTWARE "b" */
    'b', 0x00, 0x00, 0x00,
    0x80, 0x22, 0x00, 0x00,
};
static const uint8_t binding_indication[] = {HEADER(0x00, 0x11, 0)};
static const uint8_t all_method_bits[] = {HEADER(0x3e, 0xef, 0)};
static const uint8_t allocate_error[] = {HEADER(0x01, 0x13, 0)};

/* Malformed: each must give PC_EDATA. */
static const uint8_t bad_overrun[] = {
    HEADER(0x01, 0x01, 12),
    0x00, 0x20, 0x00, 0x10,         /* XOR-MAPPED-ADDRESS of 16 bytes, 8 there */
    0x00, 0x01, 0xa1, 0x47,
    0xe1, 0x12, 0xa6, 0x43,
};
static const uint8_t bad_pad_overrun[] = {
    HEADER(0x01, 0x01, 8),
    0x80, 0x22, 0x00, 0x05,         /* SOFTWARE of 5 bytes: padding missing */
    'a', 'b', 'c', 'd',
};
static const uint8_t bad_cookie[] = {
    0x01, 0x01, 0x00, 0x0c,
    0x21, 0x12, 0xa4, 0x43,         /* cookie off by one */
    TXID,
    XOR_V4,
};
static const uint8_t bad_len_mod4[] = {HEADER(0x01, 0x01, 2), 0x00, 0x00};
static const uint8_t bad_len_short[] = {HEADER(0x01, 0x01, 16), XOR_V4};
static const uint8_t bad_len_long[] = {HEADER(0x01, 0x01, 8), XOR_V4};
static const uint8_t bad_top_bits[] = {HEADER(0x41, 0x01, 12), XOR_V4};
static const uint8_t bad_family[] = {
    HEADER(0x01, 0x01, 12),
    0x00, 0x20, 0x00, 0x08,
    0x00, 0x03, 0xa1, 0x47,         /* family 3 */
    0xe1, 0x12, 0xa6, 0x43,
};
static const uint8_t bad_v4_len[] = {
    HEADER(0x01, 0x01, 16),
    0x00, 0x20, 0x00, 0x0c,         /* IPv4 in 12 bytes */
    0x00, 0x01, 0xa1, 0x47,
    0xe1, 0x12, 0xa6, 0x43,
    0x00, 0x00, 0x00, 0x00,
};
static const uint8_t bad_v6_len[] = {
    HEADER(0x01, 0x01, 12),
    0x00, 0x20, 0x00, 0x08,         /* IPv6 in 8 bytes */
    0x00, 0x02, 0xa1, 0x47,
    0xe1, 0x12, 0xa6, 0x43,
};
static const uint8_t bad_addr_short[] = {
    HEADER(0x01, 0x01, 8),
    0x00, 0x01, 0x00, 0x02,         /* MAPPED-ADDRESS of 2 bytes */
    0x00, 0x01, 0x00, 0x00,
};
static const uint8_t bad_integrity_len[] = {
    HEADER(0x01, 0x01, 20),
    0x00, 0x08, 0x00, 0x10,         /* MESSAGE-INTEGRITY of 16 bytes */
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};
static const uint8_t bad_integrity256_len[] = {
    HEADER(0x01, 0x01, 16),
    0x00, 0x1c, 0x00, 0x0c,         /* MESSAGE-INTEGRITY-SHA256 of 12 bytes */
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
};
static const uint8_t bad_error_short[] = {
    HEADER(0x01, 0x11, 8),
    0x00, 0x09, 0x00, 0x03,         /* ERROR-CODE of 3 bytes */
    0x00, 0x04, 0x14, 0x00,
};
static const uint8_t bad_error_class[] = {
    HEADER(0x01, 0x11, 8),
    0x00, 0x09, 0x00, 0x04,
    0x00, 0x00, 0x07, 0x14,         /* class 7 */
};
static const uint8_t bad_error_number[] = {
    HEADER(0x01, 0x11, 8),
    0x00, 0x09, 0x00, 0x04,
    0x00, 0x00, 0x04, 0x64,         /* number 100 */
};
static const uint8_t bad_fp_len[] = {
    HEADER(0x01, 0x01, 12),
    0x80, 0x28, 0x00, 0x08,         /* FINGERPRINT of 8 bytes */
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};

/* RFC 3489 era (section 11.2): MAPPED-ADDRESS, SOURCE-ADDRESS (0x0004) and
 * CHANGED-ADDRESS (0x0005), no FINGERPRINT. The cookie field holds what we
 * sent, since such a server echoes all 16 bytes of the transaction ID. */
static const uint8_t rfc3489_answer[] = {
    HEADER(0x01, 0x01, 36),
    MAPPED_1,
    0x00, 0x04, 0x00, 0x08,         /* SOURCE-ADDRESS 198.51.100.1:3478 */
    0x00, 0x01, 0x0d, 0x96,
    0xc6, 0x33, 0x64, 0x01,
    0x00, 0x05, 0x00, 0x08,         /* CHANGED-ADDRESS 198.51.100.2:3479 */
    0x00, 0x01, 0x0d, 0x97,
    0xc6, 0x33, 0x64, 0x02,
};
/* A XOR-MAPPED-ADDRESS of an unknown family, then a good MAPPED-ADDRESS. */
static const uint8_t bad_xor_good_mapped[] = {
    HEADER(0x01, 0x01, 24),
    0x00, 0x20, 0x00, 0x08,
    0x00, 0x03, 0xa1, 0x47,         /* family 3 */
    0xe1, 0x12, 0xa6, 0x43,
    MAPPED_1,
};

struct bad_case {
    const char *name;
    const uint8_t *bytes;
    size_t len;
    enum pc_stun_fault fault;
};

#define BAD(a, f) {#a, a, sizeof(a), f}
#define UNUSABLE(a) {#a, a, sizeof(a), PC_STUN_FAULT_NONE}

/* Broken framing: each must give PC_EDATA and this fault. */
static const struct bad_case bad_cases[] = {
    BAD(bad_overrun, PC_STUN_FAULT_ATTRIBUTE),
    BAD(bad_pad_overrun, PC_STUN_FAULT_ATTRIBUTE),
    BAD(bad_cookie, PC_STUN_FAULT_COOKIE),
    BAD(bad_len_mod4, PC_STUN_FAULT_HEADER),
    BAD(bad_len_short, PC_STUN_FAULT_HEADER),
    BAD(bad_len_long, PC_STUN_FAULT_HEADER),
    BAD(bad_top_bits, PC_STUN_FAULT_HEADER),
    BAD(bad_fp_len, PC_STUN_FAULT_FINGERPRINT),
};

/* A value that cannot be decoded: the message decodes, the attribute is
 * counted in bad_attributes and yields nothing. */
static const struct bad_case unusable_cases[] = {
    UNUSABLE(bad_family),        UNUSABLE(bad_v4_len),           UNUSABLE(bad_v6_len),
    UNUSABLE(bad_addr_short),    UNUSABLE(bad_integrity_len),    UNUSABLE(bad_integrity256_len),
    UNUSABLE(bad_error_short),   UNUSABLE(bad_error_class),      UNUSABLE(bad_error_number),
};
/* clang-format on */

static void test_malformed(void)
{
    for (size_t i = 0; i < N_ELEMS(bad_cases); i++) {
        const struct bad_case *c = &bad_cases[i];
        struct pc_stun_msg msg;
        struct pc_err err = {0};
        int rc = decode_exact(c->bytes, c->len, &msg, &err);

        if (rc != PC_EDATA || msg.fault != c->fault)
            fprintf(stderr, "%s: rc %d fault %d\n", c->name, rc, (int)msg.fault);
        CHECK(rc == PC_EDATA);
        CHECK(msg.fault == c->fault);
        CHECK(err.code == PC_EDATA && err.msg[0] != '\0');
        CHECK(msg.has_mapped == 0); /* nothing half-decoded is left behind */
    }
    for (size_t i = 0; i < N_ELEMS(unusable_cases); i++) {
        const struct bad_case *c = &unusable_cases[i];
        struct pc_stun_msg msg;
        int rc = decode_exact(c->bytes, c->len, &msg, NULL);

        if (rc != 0 || msg.bad_attributes != 1)
            fprintf(stderr, "%s: rc %d, %d bad attributes\n", c->name, rc, msg.bad_attributes);
        CHECK(rc == 0 && msg.fault == PC_STUN_FAULT_NONE);
        CHECK(msg.bad_attributes == 1);
        CHECK(msg.has_mapped == 0 && msg.has_error_code == 0 && msg.has_integrity == 0);
    }
    /* header-level shape, as pc_stun_looks_like sees it */
    CHECK(!pc_stun_looks_like(bad_cookie, sizeof(bad_cookie)));
    CHECK(!pc_stun_looks_like(bad_len_mod4, sizeof(bad_len_mod4)));
    CHECK(!pc_stun_looks_like(bad_len_short, sizeof(bad_len_short)));
    CHECK(!pc_stun_looks_like(bad_top_bits, sizeof(bad_top_bits)));
    CHECK(pc_stun_looks_like(bad_overrun, sizeof(bad_overrun))); /* header is fine */
    CHECK(!pc_stun_looks_like(NULL, 0));
    CHECK(pc_stun_decode(NULL, 0, NULL, NULL) == PC_EINVAL);
}

static void test_good(void)
{
    struct pc_stun_msg msg;
    struct pc_err err = {0};

    CHECK(decode_exact(error_420, sizeof(error_420), &msg, &err) == 0);
    CHECK(msg.cls == PC_STUN_ERROR && msg.method == PC_STUN_METHOD_BINDING);
    CHECK(msg.has_error_code == 1 && msg.error_code == 420);
    CHECK(strcmp(msg.error_reason, "Unknown Attribute") == 0);
    CHECK(msg.has_mapped == 0 && msg.has_fingerprint == 0);

    CHECK(decode_exact(mapped_only, sizeof(mapped_only), &msg, &err) == 0);
    CHECK(msg.has_mapped == 1 && msg.mapped_from_xor == 0);
    CHECK(msg.mapped.family == 4 && msg.mapped.port == 3478);
    CHECK(addr_is(&msg.mapped, "198.51.100.7"));

    /* XOR-MAPPED-ADDRESS wins whatever the order */
    CHECK(decode_exact(mapped_then_xor, sizeof(mapped_then_xor), &msg, &err) == 0);
    CHECK(msg.mapped_from_xor == 1 && msg.mapped.port == 32853);
    CHECK(addr_is(&msg.mapped, "192.0.2.1"));
    CHECK(decode_exact(xor_then_mapped, sizeof(xor_then_mapped), &msg, &err) == 0);
    CHECK(msg.mapped_from_xor == 1 && msg.mapped.port == 32853);
    CHECK(addr_is(&msg.mapped, "192.0.2.1"));

    CHECK(decode_exact(unknown_attrs, sizeof(unknown_attrs), &msg, &err) == 0);
    CHECK(msg.unknown_required == 1 && msg.has_mapped == 1);

    /* an RFC 3489 answer decodes; its two old attributes are unknown */
    CHECK(decode_exact(rfc3489_answer, sizeof(rfc3489_answer), &msg, &err) == 0);
    CHECK(msg.cls == PC_STUN_SUCCESS && msg.unknown_required == 2 && msg.bad_attributes == 0);
    CHECK(msg.has_mapped == 1 && msg.mapped_from_xor == 0 && msg.has_fingerprint == 0);
    CHECK(msg.mapped.port == 3478 && addr_is(&msg.mapped, "198.51.100.7"));

    /* an unusable XOR-MAPPED-ADDRESS falls back to MAPPED-ADDRESS */
    CHECK(decode_exact(bad_xor_good_mapped, sizeof(bad_xor_good_mapped), &msg, &err) == 0);
    CHECK(msg.bad_attributes == 1 && msg.has_mapped == 1 && msg.mapped_from_xor == 0);
    CHECK(msg.mapped.port == 3478 && addr_is(&msg.mapped, "198.51.100.7"));

    /* RFC 8489 14.5: what follows MESSAGE-INTEGRITY is ignored */
    CHECK(decode_exact(after_integrity, sizeof(after_integrity), &msg, &err) == 0);
    CHECK(msg.has_integrity == 1 && msg.has_mapped == 0);

    /* control characters in text are neutralised */
    CHECK(decode_exact(software_ctrl, sizeof(software_ctrl), &msg, &err) == 0);
    CHECK(strcmp(msg.software, "a?[2J?z") == 0);

    CHECK(decode_exact(two_software, sizeof(two_software), &msg, &err) == 0);
    CHECK(msg.software[0] == '\0');
}

/* A long SOFTWARE value is cut to fit, at a character boundary. */
static void test_long_text(void)
{
    uint8_t buf[PC_STUN_HEADER_BYTES + 4 + 200];
    struct pc_stun_msg msg;
    struct pc_err err = {0};

    memcpy(buf, binding_indication, PC_STUN_HEADER_BYTES);
    buf[0] = 0x01; /* success response */
    buf[1] = 0x01;
    buf[2] = 0;
    buf[3] = 204;
    memcpy(buf + 20, "\x80\x22\x00\xc8", 4);
    memset(buf + 24, 'x', 200);
    CHECK(decode_exact(buf, sizeof(buf), &msg, &err) == 0);
    CHECK(strlen(msg.software) == sizeof(msg.software) - 1);
    /* a two-byte character (U+00E9) straddling the cut is dropped whole */
    buf[24 + 126] = 0xc3;
    buf[24 + 127] = 0xa9;
    CHECK(decode_exact(buf, sizeof(buf), &msg, &err) == 0);
    CHECK(strlen(msg.software) == 126);
}

struct type_case {
    const uint8_t *bytes;
    size_t len;
    unsigned method;
    enum pc_stun_class cls;
};

static void test_types(void)
{
    static const struct type_case cases[] = {
        {rfc5769_request, sizeof(rfc5769_request), 0x001, PC_STUN_REQUEST},
        {binding_indication, sizeof(binding_indication), 0x001, PC_STUN_INDICATION},
        {rfc5769_ipv4, sizeof(rfc5769_ipv4), 0x001, PC_STUN_SUCCESS},
        {error_420, sizeof(error_420), 0x001, PC_STUN_ERROR},
        {allocate_error, sizeof(allocate_error), 0x003, PC_STUN_ERROR},
        {all_method_bits, sizeof(all_method_bits), 0xFFF, PC_STUN_REQUEST},
    };

    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        struct pc_stun_msg msg;

        CHECK(decode_exact(cases[i].bytes, cases[i].len, &msg, NULL) == 0);
        CHECK(msg.method == cases[i].method);
        CHECK(msg.cls == cases[i].cls);
    }
}

int main(void)
{
    test_vectors();
    test_truncations();
    test_corrupt_fingerprint();
    test_encode();
    test_malformed();
    test_good();
    test_long_text();
    test_types();
    return check_done();
}
