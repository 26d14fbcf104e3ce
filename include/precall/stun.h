/*
 * stun.h - STUN message codec (RFC 8489), pure functions on byte buffers.
 *
 * No sockets, no I/O, no allocation: the caller owns every buffer. The
 * decoder reads untrusted bytes only through bounds-checked readers and
 * never reads past buf + len. A message whose framing is broken (header,
 * attribute lengths, FINGERPRINT) is rejected with PC_EDATA, a one-line
 * reason in err and the kind of fault in msg->fault; an attribute whose
 * value cannot be decoded (an address of an unknown family, say) only makes
 * that attribute unusable, so that an answer from an older or sloppy server
 * still proves that it arrived.
 */
#ifndef PRECALL_STUN_H
#define PRECALL_STUN_H

#include <stddef.h>
#include <stdint.h>

#include "precall/err.h"

#define PC_STUN_HEADER_BYTES   20
#define PC_STUN_MAGIC          0x2112A442u
#define PC_STUN_METHOD_BINDING 0x001
#define PC_STUN_SOFTWARE_MAX   96   /* bytes of SOFTWARE text we send at most (14.14 allows 763) */
#define PC_STUN_REQUEST_MAX    128  /* bytes an encoded Binding Request needs at most */
#define PC_STUN_DEFAULT_PORT   3478 /* RFC 8489 18.5: "stun" over UDP */

enum pc_stun_class {
    PC_STUN_REQUEST = 0,
    PC_STUN_INDICATION = 1,
    PC_STUN_SUCCESS = 2,
    PC_STUN_ERROR = 3
};

/* Why pc_stun_decode rejected a message. */
enum pc_stun_fault {
    PC_STUN_FAULT_NONE = 0,
    PC_STUN_FAULT_HEADER,     /* shorter than a header, top bits, length field */
    PC_STUN_FAULT_COOKIE,     /* not the magic cookie: not an RFC 8489 answer to us */
    PC_STUN_FAULT_ATTRIBUTE,  /* an attribute or its padding runs past the end */
    PC_STUN_FAULT_FINGERPRINT /* FINGERPRINT wrong, of the wrong size, or not last */
};

struct pc_stun_txid {
    uint8_t b[12];
};

/* A transport address; family is 4 or 6, addr holds 4 or 16 bytes in network order. */
struct pc_stun_addr {
    int family;
    uint16_t port;
    uint8_t addr[16];
};

struct pc_stun_msg {
    uint16_t method; /* 12-bit method, e.g. PC_STUN_METHOD_BINDING */
    enum pc_stun_class cls;
    struct pc_stun_txid txid;
    int has_mapped;      /* a mapped address was found */
    int mapped_from_xor; /* ... from XOR-MAPPED-ADDRESS (else MAPPED-ADDRESS) */
    struct pc_stun_addr mapped;
    int has_error_code;       /* ERROR-CODE attribute present */
    int error_code;           /* class*100 + number, e.g. 420 */
    char error_reason[128];   /* NUL-terminated, truncated if longer (see below) */
    int has_fingerprint;      /* FINGERPRINT attribute present and valid */
    int has_integrity;        /* MESSAGE-INTEGRITY(-SHA256) present (not verified) */
    char software[128];       /* SOFTWARE attribute, NUL-terminated, "" if absent */
    int unknown_required;     /* count of unknown comprehension-required attributes */
    int bad_attributes;       /* known attributes whose value could not be decoded */
    enum pc_stun_fault fault; /* why the message was rejected; NONE when decoded */
};
/*
 * Text fields (software, error_reason) are cut at a UTF-8 character boundary
 * and have control characters replaced by '?', so they are safe to print.
 * Of repeated attributes only the first usable one counts; the mapped
 * address comes from a XOR-MAPPED-ADDRESS that decodes, else from a
 * MAPPED-ADDRESS that decodes (the RFC 3489 form). Attributes after
 * MESSAGE-INTEGRITY(-SHA256) are ignored (RFC 8489 14.5, 14.6), and so are
 * not counted in unknown_required or bad_attributes. On failure *msg is left
 * zeroed except for msg->fault.
 */

/*
 * Encode a Binding Request with transaction ID tx into buf (capacity cap).
 * With fingerprint != 0 a FINGERPRINT attribute is appended (RFC 8489 14.7).
 * On success stores the length in *len and returns 0; PC_EINVAL if cap is
 * too small.
 */
int pc_stun_encode_binding_request(uint8_t *buf, size_t cap, const struct pc_stun_txid *tx,
                                   int fingerprint, size_t *len);

/*
 * The same with a SOFTWARE attribute (RFC 8489 14.14) before the FINGERPRINT
 * when software is not NULL or "": the client's name and version, which the
 * RFC asks every client to send. PC_EINVAL also when software is longer than
 * PC_STUN_SOFTWARE_MAX bytes.
 */
int pc_stun_encode_request(uint8_t *buf, size_t cap, const struct pc_stun_txid *tx,
                           const char *software, int fingerprint, size_t *len);

/*
 * Decode one STUN message of exactly len bytes. Returns 0 and fills msg, or
 * PC_EDATA with the reason in err and its kind in msg->fault: shorter than a
 * header, top bits not zero, wrong magic cookie, length field not matching
 * len or not a multiple of 4, an attribute running past the end, a
 * FINGERPRINT that is wrong, of the wrong size or not the last attribute.
 * An RFC 3489 server echoes all 16 bytes of our transaction ID, magic cookie
 * included, so its answers pass the cookie test.
 */
int pc_stun_decode(const uint8_t *buf, size_t len, struct pc_stun_msg *msg, struct pc_err *err);

/* Quick test: could these bytes be a STUN message (header shape and cookie)? */
int pc_stun_looks_like(const uint8_t *buf, size_t len);

#endif
