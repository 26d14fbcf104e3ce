/*
 * stun.c - STUN message codec (RFC 8489): encodes a Binding Request and
 * decodes any STUN message into a struct pc_stun_msg.
 *
 * Pure functions on caller-owned buffers: no allocation, no I/O, no state.
 * The decoder reads the untrusted datagram only through struct pc_reader
 * (proto/reader.h), so it cannot read past buf + len whatever the lengths in
 * the message say. Section numbers below are those of RFC 8489.
 */
#include <string.h>

#include "precall/stun.h"
#include "proto/reader.h"

/* Attribute types this codec understands (section 18.3). */
#define ATTR_MAPPED_ADDRESS        0x0001
#define ATTR_MESSAGE_INTEGRITY     0x0008
#define ATTR_ERROR_CODE            0x0009
#define ATTR_MESSAGE_INTEGRITY_256 0x001C
#define ATTR_XOR_MAPPED_ADDRESS    0x0020
#define ATTR_SOFTWARE              0x8022
#define ATTR_FINGERPRINT           0x8028

/* Types below 0x8000 are comprehension-required, the rest optional (14). */
#define ATTR_OPTIONAL_MIN 0x8000

#define ATTR_HEADER_BYTES  4
#define FINGERPRINT_BYTES  8           /* attribute header and CRC (14.7) */
#define FINGERPRINT_XOR    0x5354554Eu /* "STUN" (14.7) */
#define INTEGRITY_BYTES    20          /* HMAC-SHA1 (14.5) */
#define INTEGRITY_256_MIN  16          /* truncated HMAC-SHA256 (14.6) */
#define INTEGRITY_256_MAX  32
#define TYPE_TOP_BITS_MASK 0xC000 /* the two most significant bits of a message are zero (5) */

/* Address families in (XOR-)MAPPED-ADDRESS (14.1). */
#define FAMILY_IPV4 0x01
#define FAMILY_IPV6 0x02

/*
 * CRC-32 as FINGERPRINT wants it (14.7: the CRC of ITU-T V.42, which is the
 * ISO-HDLC / zlib one): reflected polynomial 0xEDB88320, initial value and
 * final XOR all ones. Bit at a time, without a table: STUN messages are short.
 */
static uint32_t crc32_iso_hdlc(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;

    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ ((crc & 1u) ? 0xEDB88320u : 0u);
    }
    return ~crc;
}

/*
 * The message type (5, figure 3) interleaves the 12 method bits M11..M0 with
 * the two class bits: from the most significant end M11..M7 C1 M6..M4 C0
 * M3..M0, below the two zero bits.
 */
static unsigned message_type(unsigned method, unsigned cls)
{
    return (method & 0x000F) | (method & 0x0070) << 1 | (method & 0x0F80) << 2 | (cls & 1u) << 4 |
           (cls & 2u) << 7;
}

static unsigned type_method(unsigned type)
{
    return (type & 0x000F) | (type & 0x00E0) >> 1 | (type & 0x3E00) >> 2;
}

static unsigned type_class(unsigned type)
{
    return (type >> 4 & 1u) | (type >> 7 & 2u);
}

/* A Binding Request: header (5), then SOFTWARE (14.14) and FINGERPRINT (14.7), each optional. */
int pc_stun_encode_request(uint8_t *buf, size_t cap, const struct pc_stun_txid *tx,
                           const char *software, int fingerprint, size_t *len)
{
    size_t sw = software != NULL ? strlen(software) : 0;
    size_t sw_bytes = sw > 0 ? ATTR_HEADER_BYTES + (sw + 3) / 4 * 4 : 0; /* padded to 4 (14) */
    size_t need = PC_STUN_HEADER_BYTES + sw_bytes + (fingerprint ? FINGERPRINT_BYTES : 0);
    size_t off = PC_STUN_HEADER_BYTES;

    if (buf == NULL || tx == NULL || len == NULL || sw > PC_STUN_SOFTWARE_MAX || cap < need)
        return PC_EINVAL;
    pc_put16(buf, message_type(PC_STUN_METHOD_BINDING, PC_STUN_REQUEST));
    pc_put16(buf + 2, (unsigned)(need - PC_STUN_HEADER_BYTES)); /* attributes only (5) */
    pc_put32(buf + 4, PC_STUN_MAGIC);
    memcpy(buf + 8, tx->b, sizeof(tx->b));
    if (sw > 0) {
        /* 14.14: the length is the text's, without the padding, which is zero bytes. */
        pc_put16(buf + off, ATTR_SOFTWARE);
        pc_put16(buf + off + 2, (unsigned)sw);
        memset(buf + off + ATTR_HEADER_BYTES, 0, sw_bytes - ATTR_HEADER_BYTES);
        memcpy(buf + off + ATTR_HEADER_BYTES, software, sw);
        off += sw_bytes;
    }
    if (fingerprint) {
        /* 14.7: the CRC covers the message up to the attribute, with the
         * length field already counting the FINGERPRINT (set just above). */
        pc_put16(buf + off, ATTR_FINGERPRINT);
        pc_put16(buf + off + 2, FINGERPRINT_BYTES - ATTR_HEADER_BYTES);
        pc_put32(buf + off + 4, crc32_iso_hdlc(buf, off) ^ FINGERPRINT_XOR);
    }
    *len = need;
    return 0;
}

int pc_stun_encode_binding_request(uint8_t *buf, size_t cap, const struct pc_stun_txid *tx,
                                   int fingerprint, size_t *len)
{
    return pc_stun_encode_request(buf, cap, tx, NULL, fingerprint, len);
}

/*
 * Copy a UTF-8 text value (SOFTWARE 14.14, ERROR-CODE reason 14.8) into dst
 * of cap bytes: truncated at a character boundary if longer, NUL-terminated,
 * with control characters (NUL included) replaced by '?' so that a hostile
 * server cannot write escape sequences to a terminal through the report.
 */
static void copy_text(struct pc_reader *v, char *dst, size_t cap)
{
    size_t n = pc_reader_left(v);
    size_t take = n < cap - 1 ? n : cap - 1;

    pc_reader_bytes(v, dst, take);
    if (take < n && (pc_reader_u8(v) & 0xC0) == 0x80) {
        /* the cut fell inside a multi-byte character: drop its start too */
        while (take > 0 && ((uint8_t)dst[take - 1] & 0xC0) == 0x80)
            take--;
        if (take > 0 && (uint8_t)dst[take - 1] >= 0xC0)
            take--;
    }
    dst[take] = '\0';
    for (size_t i = 0; i < take; i++) {
        uint8_t c = (uint8_t)dst[i];
        if (c < 0x20 || c == 0x7F)
            dst[i] = '?';
    }
}

/*
 * MAPPED-ADDRESS (14.1) and XOR-MAPPED-ADDRESS (14.2): a reserved byte, the
 * family, the port and 4 or 16 address bytes. In the XOR form the port is
 * XORed with the top half of the magic cookie, an IPv4 address with the
 * cookie, an IPv6 address with the cookie followed by the transaction ID.
 * Returns 0, or 1 when the value is not a usable address (too short, an
 * unknown family, a length that does not fit the family): the attribute is
 * then unusable, the message is not rejected for it.
 */
static int decode_address(struct pc_reader *v, int xored, const struct pc_stun_txid *tx,
                          struct pc_stun_addr *a)
{
    size_t alen = pc_reader_left(v), want;
    uint8_t key[16];
    unsigned family;

    if (alen < 4)
        return 1;
    (void)pc_reader_u8(v); /* reserved, ignored */
    family = pc_reader_u8(v);
    a->port = pc_reader_u16(v);
    if (family == FAMILY_IPV4) {
        a->family = 4;
        want = 4;
    } else if (family == FAMILY_IPV6) {
        a->family = 6;
        want = 16;
    } else {
        return 1;
    }
    if (alen != 4 + want || pc_reader_bytes(v, a->addr, want) < 0)
        return 1;
    if (xored) {
        a->port ^= (uint16_t)(PC_STUN_MAGIC >> 16);
        pc_put32(key, PC_STUN_MAGIC);
        memcpy(key + 4, tx->b, sizeof(tx->b));
        for (size_t i = 0; i < want; i++)
            a->addr[i] ^= key[i];
    }
    return 0;
}

/*
 * ERROR-CODE (14.8): 21 reserved bits, the class (hundreds digit, 3 to 6) in
 * 3 bits, the number (0 to 99) in 8 bits, then a UTF-8 reason phrase. A value
 * too short or out of range is an unusable attribute.
 */
static void decode_error_code(struct pc_reader *v, struct pc_stun_msg *msg)
{
    uint32_t word;
    unsigned cls, number;

    if (pc_reader_left(v) < 4) {
        msg->bad_attributes++;
        return;
    }
    word = pc_reader_u32(v);
    cls = word >> 8 & 0x7;
    number = word & 0xFF;
    if (cls < 3 || cls > 6 || number > 99) {
        msg->bad_attributes++;
        return;
    }
    if (msg->has_error_code)
        return; /* only the first occurrence counts (14) */
    msg->has_error_code = 1;
    msg->error_code = (int)(cls * 100 + number);
    copy_text(v, msg->error_reason, sizeof(msg->error_reason));
}

/*
 * FINGERPRINT (14.7): the CRC-32 of the message up to (not including) this
 * attribute, XORed with 0x5354554e. It must be the last attribute, so the
 * length field in the received header is already the one the sender used.
 * at is the offset of the attribute header; r is the message reader, after it.
 */
static int check_fingerprint(const struct pc_reader *r, size_t at, struct pc_reader *v,
                             struct pc_stun_msg *msg, struct pc_err *err)
{
    uint32_t got, want;

    msg->fault = PC_STUN_FAULT_FINGERPRINT;
    if (pc_reader_left(v) != FINGERPRINT_BYTES - ATTR_HEADER_BYTES)
        return pc_err_set(err, PC_EDATA, "STUN FINGERPRINT: %zu bytes, need 4", pc_reader_left(v));
    if (pc_reader_left(r) != 0)
        return pc_err_set(err, PC_EDATA, "STUN FINGERPRINT is not the last attribute");
    got = pc_reader_u32(v);
    /* bytes 0..at were all read through r already, so at <= r->len */
    want = crc32_iso_hdlc(r->p, at) ^ FINGERPRINT_XOR;
    if (got != want)
        return pc_err_set(err, PC_EDATA, "STUN FINGERPRINT mismatch: 0x%08x, expected 0x%08x",
                          (unsigned)got, (unsigned)want);
    msg->fault = PC_STUN_FAULT_NONE;
    msg->has_fingerprint = 1;
    return 0;
}

/* Where an attribute stands relative to MESSAGE-INTEGRITY(-SHA256) (14.5, 14.6). */
enum integrity_stage {
    BEFORE_INTEGRITY,
    AFTER_INTEGRITY,    /* only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT still count */
    AFTER_INTEGRITY_256 /* only FINGERPRINT still counts */
};

/* What the attribute walk remembers between attributes. */
struct walk {
    enum integrity_stage stage;
    int seen_software; /* only the first SOFTWARE counts (14), even if empty */
};

/*
 * One attribute of type type, value in v, header at offset at of message r.
 * Fails only for a bad FINGERPRINT; a value that cannot be decoded is
 * counted in bad_attributes and otherwise ignored.
 */
static int decode_attribute(const struct pc_reader *r, size_t at, unsigned type,
                            struct pc_reader *v, struct walk *w, struct pc_stun_msg *msg,
                            struct pc_err *err)
{
    struct pc_stun_addr a;
    size_t alen = pc_reader_left(v);

    /* 14.5, 14.6: attributes after the integrity attributes are ignored */
    if ((w->stage == AFTER_INTEGRITY && type != ATTR_MESSAGE_INTEGRITY_256 &&
         type != ATTR_FINGERPRINT) ||
        (w->stage == AFTER_INTEGRITY_256 && type != ATTR_FINGERPRINT))
        return 0;

    switch (type) {
    case ATTR_MAPPED_ADDRESS: /* 14.1; a usable XOR-MAPPED-ADDRESS wins if both are there */
        memset(&a, 0, sizeof(a));
        if (decode_address(v, 0, &msg->txid, &a) != 0)
            msg->bad_attributes++;
        else if (!msg->has_mapped) {
            msg->mapped = a;
            msg->has_mapped = 1;
        }
        return 0;
    case ATTR_XOR_MAPPED_ADDRESS: /* 14.2 */
        memset(&a, 0, sizeof(a));
        if (decode_address(v, 1, &msg->txid, &a) != 0)
            msg->bad_attributes++;
        else if (!msg->mapped_from_xor) {
            msg->mapped = a;
            msg->has_mapped = 1;
            msg->mapped_from_xor = 1;
        }
        return 0;
    case ATTR_ERROR_CODE: /* 14.8 */
        decode_error_code(v, msg);
        return 0;
    case ATTR_SOFTWARE: /* 14.14 */
        if (!w->seen_software)
            copy_text(v, msg->software, sizeof(msg->software));
        w->seen_software = 1;
        return 0;
    case ATTR_MESSAGE_INTEGRITY: /* 14.5: noted, not verified (no credentials here) */
        /* Of the wrong size it is unusable, but what follows is still
           ignored: nothing after an integrity attribute is trusted. */
        if (alen != INTEGRITY_BYTES)
            msg->bad_attributes++;
        else
            msg->has_integrity = 1;
        w->stage = AFTER_INTEGRITY;
        return 0;
    case ATTR_MESSAGE_INTEGRITY_256: /* 14.6: 16 to 32 bytes, a multiple of 4 */
        if (alen < INTEGRITY_256_MIN || alen > INTEGRITY_256_MAX || alen % 4 != 0)
            msg->bad_attributes++;
        else
            msg->has_integrity = 1;
        w->stage = AFTER_INTEGRITY_256;
        return 0;
    case ATTR_FINGERPRINT: /* 14.7 */
        return check_fingerprint(r, at, v, msg, err);
    default:
        /* 14: an unknown comprehension-required attribute is the caller's
         * business (RFC 8489 7.3.3 has a client discard such a response;
         * precall still takes it as proof of an answer); optional ones are
         * ignored. RFC 3489 servers send SOURCE-ADDRESS (0x0004) and
         * CHANGED-ADDRESS (0x0005), which land here. */
        if (type < ATTR_OPTIONAL_MIN)
            msg->unknown_required++;
        return 0;
    }
}

/*
 * The attributes (14): each a 16-bit type, a 16-bit value length and the
 * value, padded to a multiple of 4 bytes with padding not counted in the
 * length. The padding, like the value, must lie inside the message.
 */
static int decode_attributes(struct pc_reader *r, struct pc_stun_msg *msg, struct pc_err *err)
{
    struct walk w = {BEFORE_INTEGRITY, 0};

    while (pc_reader_left(r) > 0) {
        struct pc_reader v;
        size_t at = r->off;
        unsigned type = pc_reader_u16(r);
        size_t alen = pc_reader_u16(r);
        size_t pad = (4 - alen % 4) % 4;
        int rc;

        msg->fault = PC_STUN_FAULT_ATTRIBUTE;
        if (r->bad)
            return pc_err_set(err, PC_EDATA, "STUN attribute header at offset %zu cut short", at);
        if (msg->has_fingerprint) { /* cannot happen: check_fingerprint wants the end */
            msg->fault = PC_STUN_FAULT_FINGERPRINT;
            return pc_err_set(err, PC_EDATA, "STUN attribute 0x%04x after FINGERPRINT", type);
        }
        if (pc_reader_sub(r, alen, &v) < 0 || pc_reader_skip(r, pad) < 0)
            return pc_err_set(err, PC_EDATA,
                              "STUN attribute 0x%04x at offset %zu: length %zu runs past the end",
                              type, at, alen);
        msg->fault = PC_STUN_FAULT_NONE;
        if ((rc = decode_attribute(r, at, type, &v, &w, msg, err)) < 0)
            return rc;
    }
    return 0;
}

/*
 * The header (5): two zero bits, the 14-bit message type, the length of the
 * attributes (a multiple of 4, the header not counted), the magic cookie and
 * the 96-bit transaction ID.
 */
int pc_stun_decode(const uint8_t *buf, size_t len, struct pc_stun_msg *msg, struct pc_err *err)
{
    struct pc_reader r;
    unsigned type, mlen;
    uint32_t cookie;
    enum pc_stun_fault fault = PC_STUN_FAULT_HEADER;
    int rc;

    if (msg == NULL)
        return pc_err_set(err, PC_EINVAL, "STUN decode: no message to fill");
    memset(msg, 0, sizeof(*msg));
    pc_reader_init(&r, buf, len);
    type = pc_reader_u16(&r);
    mlen = pc_reader_u16(&r);
    cookie = pc_reader_u32(&r);
    pc_reader_bytes(&r, msg->txid.b, sizeof(msg->txid.b));
    if (r.bad)
        rc = pc_err_set(err, PC_EDATA, "STUN message of %zu bytes, shorter than its header", len);
    else if (type & TYPE_TOP_BITS_MASK)
        rc = pc_err_set(err, PC_EDATA, "STUN message type 0x%04x: top bits not zero", type);
    else if (cookie != PC_STUN_MAGIC)
        rc = pc_err_set(err, PC_EDATA, "STUN magic cookie 0x%08x, expected 0x%08x",
                        (unsigned)cookie, (unsigned)PC_STUN_MAGIC);
    else if (mlen % 4 != 0)
        rc = pc_err_set(err, PC_EDATA, "STUN length %u is not a multiple of 4", mlen);
    else if (mlen != len - PC_STUN_HEADER_BYTES)
        rc = pc_err_set(err, PC_EDATA, "STUN length %u, but %zu attribute bytes received", mlen,
                        len - PC_STUN_HEADER_BYTES);
    else
        rc = 0;
    if (rc < 0 && !r.bad && !(type & TYPE_TOP_BITS_MASK) && cookie != PC_STUN_MAGIC)
        fault = PC_STUN_FAULT_COOKIE;
    if (rc == 0) {
        msg->method = (uint16_t)type_method(type);
        msg->cls = (enum pc_stun_class)type_class(type);
        rc = decode_attributes(&r, msg, err);
        fault = msg->fault;
    }
    if (rc < 0) {
        memset(msg, 0, sizeof(*msg));
        msg->fault = fault;
    }
    return rc;
}

/* The header checks of pc_stun_decode (5), without looking at attributes. */
int pc_stun_looks_like(const uint8_t *buf, size_t len)
{
    struct pc_reader r;
    unsigned type, mlen;
    uint32_t cookie;

    pc_reader_init(&r, buf, len);
    type = pc_reader_u16(&r);
    mlen = pc_reader_u16(&r);
    cookie = pc_reader_u32(&r);
    if (r.bad || len < PC_STUN_HEADER_BYTES)
        return 0;
    return (type & TYPE_TOP_BITS_MASK) == 0 && cookie == PC_STUN_MAGIC && mlen % 4 == 0 &&
           mlen == len - PC_STUN_HEADER_BYTES;
}
