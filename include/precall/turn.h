/*
 * turn.h - TURN message codec (RFC 8656, RFC 5766), pure functions on byte
 * buffers: requests with the long-term credential mechanism, the TURN
 * attributes of answers, ChannelData and the framing of both on a stream.
 *
 * No sockets, no I/O, no allocation: the caller owns every buffer, and a
 * decoded message points into the buffer it was decoded from (data, realm,
 * nonce), so it is valid as long as that buffer is. Untrusted bytes are read
 * only through bounds-checked readers. HMAC-SHA1, MD5 and SHA-256 come from
 * OpenSSL's libcrypto, never written here.
 */
#ifndef PRECALL_TURN_H
#define PRECALL_TURN_H

#include <stddef.h>
#include <stdint.h>

#include "precall/err.h"
#include "precall/stun.h"

/* Methods (RFC 8656 17). */
#define PC_TURN_ALLOCATE          0x003
#define PC_TURN_REFRESH           0x004
#define PC_TURN_SEND              0x006
#define PC_TURN_DATA              0x007
#define PC_TURN_CREATE_PERMISSION 0x008
#define PC_TURN_CHANNEL_BIND      0x009

/* Attributes (RFC 8656 18, RFC 8489 18.3). */
#define PC_TURN_ATTR_USERNAME                 0x0006
#define PC_TURN_ATTR_MESSAGE_INTEGRITY        0x0008
#define PC_TURN_ATTR_ERROR_CODE               0x0009
#define PC_TURN_ATTR_CHANNEL_NUMBER           0x000C
#define PC_TURN_ATTR_LIFETIME                 0x000D
#define PC_TURN_ATTR_XOR_PEER_ADDRESS         0x0012
#define PC_TURN_ATTR_DATA                     0x0013
#define PC_TURN_ATTR_REALM                    0x0014
#define PC_TURN_ATTR_NONCE                    0x0015
#define PC_TURN_ATTR_XOR_RELAYED_ADDRESS      0x0016
#define PC_TURN_ATTR_REQUESTED_TRANSPORT      0x0019
#define PC_TURN_ATTR_MESSAGE_INTEGRITY_SHA256 0x001C
#define PC_TURN_ATTR_XOR_MAPPED_ADDRESS       0x0020
#define PC_TURN_ATTR_PASSWORD_ALGORITHM       0x001D
#define PC_TURN_ATTR_REQUESTED_ADDRESS_FAMILY 0x0017 /* RFC 8656 18.8 (RFC 6156) */
#define PC_TURN_FAMILY_IPV6                   0x02   /* its family byte for IPv6 */
#define PC_TURN_ATTR_PASSWORD_ALGORITHMS      0x8002

/* Password algorithms (RFC 8489 18.5) and the nonce cookie that offers them (9.2). */
#define PC_TURN_ALG_MD5      0x0001
#define PC_TURN_ALG_SHA256   0x0002
#define PC_TURN_NONCE_COOKIE "obMatJos2" /* then 4 characters: the security features */
#define PC_TURN_KEY_MAX      32          /* the SHA-256 key (RFC 8489 9.2.2) */
#define PC_TURN_ALGS_MAX     256         /* PASSWORD-ALGORITHMS echoed back, bytes */

#define PC_TURN_PROTO_UDP     17     /* REQUESTED-TRANSPORT (RFC 8656 18.7) */
#define PC_TURN_CHANNEL_MIN   0x4000 /* channel numbers (RFC 8656 12) */
#define PC_TURN_CHANNEL_MAX   0x4FFF
#define PC_TURN_REALM_MAX     763  /* bytes (RFC 8489 14.9) */
#define PC_TURN_NONCE_MAX     763  /* bytes (RFC 8489 14.10) */
#define PC_TURN_KEY_BYTES     16   /* MD5 (RFC 8489 9.2.2) */
#define PC_TURN_MSG_MAX       4096 /* the longest message checked for integrity */
#define PC_TURN_DEFAULT_PORT  3478
#define PC_TURNS_DEFAULT_PORT 5349

/* A request or indication being built in a caller's buffer. */
struct pc_turn_builder {
    uint8_t *buf;
    size_t cap, len;
    int bad; /* an attribute did not fit: finish fails */
};

/* Start a message of method and class with transaction ID tx. */
void pc_turn_begin(struct pc_turn_builder *b, uint8_t *buf, size_t cap, uint16_t method,
                   enum pc_stun_class cls, const struct pc_stun_txid *tx);
/* Append an attribute: raw bytes (padded to 4), a 32-bit value, an XOR address (RFC 8489 14.2). */
void pc_turn_put_bytes(struct pc_turn_builder *b, uint16_t type, const void *v, size_t n);
void pc_turn_put_u32(struct pc_turn_builder *b, uint16_t type, uint32_t v);
void pc_turn_put_xaddr(struct pc_turn_builder *b, uint16_t type, const struct pc_stun_addr *a);
/*
 * Finish: with key (keylen bytes) not NULL, MESSAGE-INTEGRITY (HMAC-SHA1,
 * RFC 8489 14.5) over the message; with fingerprint, then FINGERPRINT.
 * 0 and *len, or PC_EINVAL when something did not fit.
 */
int pc_turn_finish(struct pc_turn_builder *b, const uint8_t *key, size_t keylen, int fingerprint,
                   size_t *len);
/*
 * The same with the integrity of password algorithm alg: PC_TURN_ALG_SHA256
 * appends MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, 32 bytes, RFC 8489 14.6)
 * instead of MESSAGE-INTEGRITY. PC_EINVAL for another algorithm.
 */
int pc_turn_finish_alg(struct pc_turn_builder *b, const uint8_t *key, size_t keylen, int alg,
                       int fingerprint, size_t *len);

/* A decoded TURN message. Pointers point into the decoded buffer. */
struct pc_turn_msg {
    struct pc_stun_msg stun; /* header, ERROR-CODE, XOR-MAPPED-ADDRESS, SOFTWARE */
    int has_relayed;
    struct pc_stun_addr relayed; /* XOR-RELAYED-ADDRESS */
    int has_peer;
    struct pc_stun_addr peer; /* XOR-PEER-ADDRESS (Data indication) */
    int has_lifetime;
    uint32_t lifetime_s;
    const uint8_t *realm, *nonce, *data; /* NULL when absent */
    size_t realm_len, nonce_len, data_len;
    size_t integrity_off;      /* offset of MESSAGE-INTEGRITY, 0 if absent */
    int bad_turn_attributes;   /* TURN attributes whose value could not be decoded */
    size_t integrity256_off;   /* offset of MESSAGE-INTEGRITY-SHA256, 0 if absent */
    const uint8_t *algorithms; /* PASSWORD-ALGORITHMS' value, well formed, NULL when absent */
    size_t algorithms_len;
    int offers_sha256;  /* it lists SHA-256 (with no parameters) */
    int has_algorithm;  /* PASSWORD-ALGORITHM, */
    uint16_t algorithm; /* its algorithm */
};

/*
 * Decode one STUN-framed TURN message of exactly len bytes: PC_EDATA with the
 * reason in err for what pc_stun_decode rejects; otherwise 0 and the TURN
 * attributes before MESSAGE-INTEGRITY (first usable of each counts).
 */
int pc_turn_decode(const uint8_t *buf, size_t len, struct pc_turn_msg *m, struct pc_err *err);

/*
 * Check the MESSAGE-INTEGRITY of a decoded message with key: 1 it matches,
 * 0 it does not (or the message is longer than PC_TURN_MSG_MAX), -1 the
 * message has none.
 */
int pc_turn_integrity_ok(const uint8_t *buf, size_t len, const struct pc_turn_msg *m,
                         const uint8_t *key, size_t keylen);

/*
 * Check the MESSAGE-INTEGRITY-SHA256 (RFC 8489 14.6) of a decoded message with
 * key: 1 it matches, 0 it does not (or the message is longer than
 * PC_TURN_MSG_MAX), -1 the message has none.
 */
int pc_turn_integrity256_ok(const uint8_t *buf, size_t len, const struct pc_turn_msg *m,
                            const uint8_t *key, size_t keylen);

/*
 * Does the answer (a 401 or 438) offer SHA-256 as RFC 8489 9.2 says: a NONCE
 * that starts with the security-feature cookie "obMatJos2" and its four
 * characters, and PASSWORD-ALGORITHMS listing SHA-256? 1 or 0.
 */
int pc_turn_offers_sha256(const struct pc_turn_msg *m);

/*
 * The long-term key of password algorithm alg (RFC 8489 9.2.2): MD5 (16
 * bytes) or SHA-256 (32 bytes) of user ":" realm ":" password. 0 and *keylen,
 * PC_EINVAL for another algorithm.
 */
int pc_turn_longterm_key_alg(const char *user, const uint8_t *realm, size_t realm_len,
                             const char *password, int alg, uint8_t key[PC_TURN_KEY_MAX],
                             size_t *keylen);

/* The long-term key MD5(user ":" realm ":" password) (RFC 8489 9.2.2); realm as received. */
int pc_turn_longterm_key(const char *user, const uint8_t *realm, size_t realm_len,
                         const char *password, uint8_t key[PC_TURN_KEY_BYTES]);

/*
 * TURN REST credentials from a shared secret (coturn's use-auth-secret, the
 * draft-uberti-behave-turn-rest scheme): user = "EXPIRY:name" (EXPIRY in
 * seconds since the epoch), password = base64(HMAC-SHA1(secret, user)).
 * PC_EINVAL when a buffer is too small.
 */
int pc_turn_rest_credentials(const char *secret, size_t secret_len, const char *name,
                             long long expiry_unix, char *user, size_t user_cap, char *password,
                             size_t password_cap);

/* ChannelData (RFC 8656 12.4): is the first byte of buf that of a channel message? */
int pc_turn_is_channel(const uint8_t *buf, size_t len);
/*
 * Encode ChannelData with channel ch and n bytes of data; with pad the
 * message is padded to a multiple of 4 (over TCP and TLS, 12.5). 0 and
 * *len, or PC_EINVAL.
 */
int pc_turn_channel_encode(uint8_t *buf, size_t cap, uint16_t ch, const void *data, size_t n,
                           int pad, size_t *len);
/* Decode ChannelData: 0 with the channel and its data (pointing into buf), or PC_EDATA. */
int pc_turn_channel_decode(const uint8_t *buf, size_t len, uint16_t *ch, const uint8_t **data,
                           size_t *n);

/*
 * On a stream (TURN over TCP or TLS, RFC 8656 12.5): how many bytes the
 * frame at the start of buf takes, STUN message or padded ChannelData.
 * 1 with *frame when avail holds its length field, 0 when more bytes are
 * needed to tell, PC_EDATA when the bytes are neither.
 */
int pc_turn_frame_len(const uint8_t *buf, size_t avail, size_t *frame);

/* A relay's URI (RFC 7065): turn:host[:port][?transport=udp|tcp],
 * turns:host[:port][?transport=tcp]. */
enum pc_turn_transport { PC_TURN_UDP = 0, PC_TURN_TCP, PC_TURN_TLS };

struct pc_turn_uri {
    enum pc_turn_transport transport;
    char host[256];
    int port;
};

/* "udp", "tcp", "tls" */
const char *pc_turn_transport_name(enum pc_turn_transport t);

/*
 * Parse a relay URI. Default ports: 3478 for turn:, 5349 for turns:
 * (RFC 7065 3). PC_EINVAL with a one-line reason in err.
 */
int pc_turn_uri_parse(const char *uri, struct pc_turn_uri *out, struct pc_err *err);

#endif
