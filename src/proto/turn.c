/*
 * turn.c - TURN message codec (RFC 8656; RFC 8489 for the STUN framing and
 * the long-term credential mechanism): builds requests in a caller's
 * buffer, decodes the TURN attributes of answers, ChannelData and stream
 * framing. Pure functions; untrusted bytes are read only through struct
 * pc_reader. HMAC and digests are libcrypto's.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

#include "precall/netaddr.h"
#include "precall/turn.h"
#include "proto/reader.h"

#define HEADER           PC_STUN_HEADER_BYTES
#define INTEGRITY_LEN    20 /* HMAC-SHA1 (RFC 8489 14.5) */
#define INTEGRITY256_LEN 32 /* HMAC-SHA256 (RFC 8489 14.6), as precall sends it */
#define INTEGRITY256_MIN 16 /* 14.6: truncated to no fewer than 16 bytes, a multiple of 4 */
#define FAMILY_IPV4      0x01
#define FAMILY_IPV6      0x02
#define FINGERPRINT_XR   0x5354554Eu

void pc_turn_begin(struct pc_turn_builder *b, uint8_t *buf, size_t cap, uint16_t method,
                   enum pc_stun_class cls, const struct pc_stun_txid *tx)
{
    unsigned c = (unsigned)cls;
    /* RFC 8489 5: method bits M0-M11 interleaved with class bits C0 (bit 4) and C1 (bit 8). */
    unsigned type = (method & 0x000Fu) | ((method & 0x0070u) << 1) | ((method & 0x0F80u) << 2) |
                    ((c & 1u) << 4) | ((c & 2u) << 7);

    b->buf = buf;
    b->cap = cap;
    b->len = 0;
    b->bad = 0;
    if (cap < HEADER) {
        b->bad = 1;
        return;
    }
    pc_put16(buf, type);
    pc_put16(buf + 2, 0);
    pc_put32(buf + 4, PC_STUN_MAGIC);
    memcpy(buf + 8, tx->b, sizeof(tx->b));
    b->len = HEADER;
}

/* Reserve an attribute of n value bytes (padded): its value's start, or NULL. */
static uint8_t *attr(struct pc_turn_builder *b, uint16_t type, size_t n)
{
    size_t padded = (n + 3) & ~(size_t)3;
    uint8_t *v;

    if (b->bad || n > 0xFFFF || padded + 4 > b->cap - b->len) {
        b->bad = 1;
        return NULL;
    }
    pc_put16(b->buf + b->len, type);
    pc_put16(b->buf + b->len + 2, (unsigned)n);
    v = b->buf + b->len + 4;
    memset(v, 0, padded);
    b->len += 4 + padded;
    pc_put16(b->buf + 2, (unsigned)(b->len - HEADER));
    return v;
}

void pc_turn_put_bytes(struct pc_turn_builder *b, uint16_t type, const void *v, size_t n)
{
    uint8_t *p = attr(b, type, n);

    if (p && n)
        memcpy(p, v, n);
}

void pc_turn_put_u32(struct pc_turn_builder *b, uint16_t type, uint32_t v)
{
    uint8_t *p = attr(b, type, 4);

    if (p)
        pc_put32(p, v);
}

void pc_turn_put_xaddr(struct pc_turn_builder *b, uint16_t type, const struct pc_stun_addr *a)
{
    size_t alen = a->family == 6 ? 16 : 4;
    uint8_t *p;
    uint8_t mask[16];

    if (a->family != 4 && a->family != 6) {
        b->bad = 1;
        return;
    }
    p = attr(b, type, 4 + alen);
    if (!p)
        return;
    pc_put32(mask, PC_STUN_MAGIC);
    memcpy(mask + 4, b->buf + 8, 12); /* RFC 8489 14.2: cookie, then the transaction ID */
    p[1] = a->family == 6 ? FAMILY_IPV6 : FAMILY_IPV4;
    pc_put16(p + 2, a->port ^ (PC_STUN_MAGIC >> 16));
    for (size_t i = 0; i < alen; i++)
        p[4 + i] = a->addr[i] ^ mask[i];
}

static uint32_t crc32_v42(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;

    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ ((crc & 1u) ? 0xEDB88320u : 0u);
    }
    return ~crc;
}

int pc_turn_finish(struct pc_turn_builder *b, const uint8_t *key, size_t keylen, int fingerprint,
                   size_t *len)
{
    return pc_turn_finish_alg(b, key, keylen, PC_TURN_ALG_MD5, fingerprint, len);
}

int pc_turn_finish_alg(struct pc_turn_builder *b, const uint8_t *key, size_t keylen, int alg,
                       int fingerprint, size_t *len)
{
    if (alg != PC_TURN_ALG_MD5 && alg != PC_TURN_ALG_SHA256)
        return PC_EINVAL;
    if (key) {
        int sha256 = alg == PC_TURN_ALG_SHA256;
        size_t at = b->len, want = sha256 ? INTEGRITY256_LEN : INTEGRITY_LEN;
        uint8_t *mi =
            attr(b, sha256 ? PC_TURN_ATTR_MESSAGE_INTEGRITY_SHA256 : PC_TURN_ATTR_MESSAGE_INTEGRITY,
                 want);
        unsigned int maclen = 0;

        if (!mi)
            return PC_EINVAL;
        /* 14.5, 14.6: the header's length already counts this attribute; HMAC over what
         * precedes it (HMAC-SHA1, or HMAC-SHA256 for MESSAGE-INTEGRITY-SHA256). */
        if (!HMAC(sha256 ? EVP_sha256() : EVP_sha1(), key, (int)keylen, b->buf, at, mi, &maclen) ||
            maclen != want)
            return PC_EINVAL;
    }
    if (fingerprint) {
        size_t at = b->len;
        uint8_t *fp = attr(b, 0x8028, 4);

        if (!fp)
            return PC_EINVAL;
        pc_put32(fp, crc32_v42(b->buf, at) ^ FINGERPRINT_XR);
    }
    if (b->bad)
        return PC_EINVAL;
    *len = b->len;
    return 0;
}

static int read_xaddr(struct pc_reader *v, const uint8_t *txid, struct pc_stun_addr *a)
{
    uint8_t mask[16];
    unsigned fam;
    size_t alen;

    pc_reader_u8(v);
    fam = pc_reader_u8(v);
    if (fam != FAMILY_IPV4 && fam != FAMILY_IPV6)
        return -1;
    alen = fam == FAMILY_IPV6 ? 16 : 4;
    a->family = fam == FAMILY_IPV6 ? 6 : 4;
    a->port = (uint16_t)(pc_reader_u16(v) ^ (PC_STUN_MAGIC >> 16));
    if (pc_reader_bytes(v, a->addr, alen) < 0 || pc_reader_left(v) != 0)
        return -1;
    pc_put32(mask, PC_STUN_MAGIC);
    memcpy(mask + 4, txid, 12);
    for (size_t i = 0; i < alen; i++)
        a->addr[i] ^= mask[i];
    return 0;
}

/*
 * PASSWORD-ALGORITHMS (RFC 8489 14.11): algorithm (16 bits), parameters'
 * length (16 bits), the parameters padded to 4 bytes, again and again to the
 * attribute's end. The whole value, when every entry is whole.
 */
static int read_algorithms(struct pc_reader *v, struct pc_turn_msg *m)
{
    const uint8_t *start = v->p + v->off;
    size_t n = pc_reader_left(v);
    int sha256 = 0;

    if (n == 0 || n > PC_TURN_ALGS_MAX)
        return -1;
    while (pc_reader_left(v) > 0) {
        uint16_t alg, plen;

        if (pc_reader_left(v) < 4)
            return -1;
        alg = pc_reader_u16(v);
        plen = pc_reader_u16(v);
        if (pc_reader_skip(v, ((size_t)plen + 3) & ~(size_t)3) < 0)
            return -1;
        sha256 |= alg == PC_TURN_ALG_SHA256 && plen == 0;
    }
    m->algorithms = start;
    m->algorithms_len = n;
    m->offers_sha256 = sha256;
    return 0;
}

int pc_turn_decode(const uint8_t *buf, size_t len, struct pc_turn_msg *m, struct pc_err *err)
{
    struct pc_reader r;
    int rc;

    memset(m, 0, sizeof(*m));
    rc = pc_stun_decode(buf, len, &m->stun, err);
    if (rc < 0)
        return rc;
    /* The framing is sound (pc_stun_decode): walk the message's attributes (its header's
     * length, not what follows it in the datagram) for the TURN ones. */
    pc_reader_init(&r, buf, HEADER + ((size_t)buf[2] << 8 | buf[3]));
    pc_reader_skip(&r, HEADER);
    while (pc_reader_left(&r) >= 4) {
        size_t at = r.off;
        uint16_t type = pc_reader_u16(&r);
        uint16_t alen = pc_reader_u16(&r);
        struct pc_reader v;

        if (pc_reader_sub(&r, alen, &v) < 0)
            break;
        pc_reader_skip(&r, (size_t)((4 - alen % 4) % 4));
        if (type == PC_TURN_ATTR_MESSAGE_INTEGRITY_SHA256) {
            /* 14.6: up to 32 bytes, at least 16, a multiple of 4 */
            if (alen < INTEGRITY256_MIN || alen > INTEGRITY256_LEN || alen % 4 != 0)
                return pc_err_set(err, PC_EDATA,
                                  "STUN: MESSAGE-INTEGRITY-SHA256 of %u bytes, not 16 to 32",
                                  (unsigned)alen);
            m->integrity256_off = at;
            break; /* 14.6: only FINGERPRINT may follow */
        }
        if (m->integrity_off)
            continue; /* 14.5: after MESSAGE-INTEGRITY only the SHA-256 one and FINGERPRINT */
        if (type == PC_TURN_ATTR_MESSAGE_INTEGRITY) {
            if (alen != 20) /* an HMAC-SHA1 (RFC 8489 14.5) */
                return pc_err_set(err, PC_EDATA, "STUN: MESSAGE-INTEGRITY of %u bytes, not 20",
                                  (unsigned)alen);
            m->integrity_off = at;
            continue;
        }
        switch (type) {
        case PC_TURN_ATTR_PASSWORD_ALGORITHMS:
            if (!m->algorithms) {
                if (read_algorithms(&v, m) < 0)
                    m->bad_turn_attributes++;
            }
            break;
        case PC_TURN_ATTR_PASSWORD_ALGORITHM:
            if (!m->has_algorithm) {
                if (alen >= 4) {
                    m->algorithm = pc_reader_u16(&v);
                    m->has_algorithm = pc_reader_u16(&v) == alen - 4u; /* its parameters */
                }
                m->bad_turn_attributes += !m->has_algorithm;
            }
            break;
        case PC_TURN_ATTR_XOR_RELAYED_ADDRESS:
            if (!m->has_relayed) {
                if (read_xaddr(&v, buf + 8, &m->relayed) == 0)
                    m->has_relayed = 1;
                else
                    m->bad_turn_attributes++;
            }
            break;
        case PC_TURN_ATTR_XOR_PEER_ADDRESS:
            if (!m->has_peer) {
                if (read_xaddr(&v, buf + 8, &m->peer) == 0)
                    m->has_peer = 1;
                else
                    m->bad_turn_attributes++;
            }
            break;
        case PC_TURN_ATTR_LIFETIME:
            if (!m->has_lifetime) {
                if (alen == 4) {
                    m->lifetime_s = pc_reader_u32(&v);
                    m->has_lifetime = 1;
                } else {
                    m->bad_turn_attributes++;
                }
            }
            break;
        case PC_TURN_ATTR_REALM:
            if (!m->realm) {
                if (alen <= PC_TURN_REALM_MAX) {
                    m->realm = v.p;
                    m->realm_len = alen;
                } else {
                    m->bad_turn_attributes++;
                }
            }
            break;
        case PC_TURN_ATTR_NONCE:
            if (!m->nonce) {
                if (alen <= PC_TURN_NONCE_MAX) {
                    m->nonce = v.p;
                    m->nonce_len = alen;
                } else {
                    m->bad_turn_attributes++;
                }
            }
            break;
        case PC_TURN_ATTR_DATA:
            if (!m->data) {
                m->data = v.p;
                m->data_len = alen;
            }
            break;
        default:
            break;
        }
    }
    return 0;
}

int pc_turn_integrity_ok(const uint8_t *buf, size_t len, const struct pc_turn_msg *m,
                         const uint8_t *key, size_t keylen)
{
    uint8_t copy[PC_TURN_MSG_MAX];
    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    size_t at = m->integrity_off;

    if (at < HEADER || at + 4 + INTEGRITY_LEN > len)
        return -1;
    if (((unsigned)buf[at + 2] << 8 | buf[at + 3]) != INTEGRITY_LEN || at > sizeof(copy))
        return 0;
    /* 14.5: the length field as if MESSAGE-INTEGRITY were the last attribute. */
    memcpy(copy, buf, at);
    pc_put16(copy + 2, (unsigned)(at + 4 + INTEGRITY_LEN - HEADER));
    if (!HMAC(EVP_sha1(), key, (int)keylen, copy, at, mac, &maclen) || maclen != INTEGRITY_LEN)
        return 0;
    return memcmp(mac, buf + at + 4, INTEGRITY_LEN) == 0;
}

int pc_turn_integrity256_ok(const uint8_t *buf, size_t len, const struct pc_turn_msg *m,
                            const uint8_t *key, size_t keylen)
{
    uint8_t copy[PC_TURN_MSG_MAX];
    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    size_t at = m->integrity256_off, n;

    if (at < HEADER || at + 4 > len)
        return -1;
    n = (size_t)buf[at + 2] << 8 | buf[at + 3];
    if (n < INTEGRITY256_MIN || n > INTEGRITY256_LEN || n % 4 != 0 || at + 4 + n > len ||
        at > sizeof(copy))
        return 0;
    /* 14.6: the length field as if MESSAGE-INTEGRITY-SHA256 were the last attribute. */
    memcpy(copy, buf, at);
    pc_put16(copy + 2, (unsigned)(at + 4 + n - HEADER));
    if (!HMAC(EVP_sha256(), key, (int)keylen, copy, at, mac, &maclen) || maclen != INTEGRITY256_LEN)
        return 0;
    return memcmp(mac, buf + at + 4, n) == 0; /* a truncated one: its leading bytes */
}

int pc_turn_offers_sha256(const struct pc_turn_msg *m)
{
    size_t c = sizeof(PC_TURN_NONCE_COOKIE) - 1;

    return m->offers_sha256 && m->nonce != NULL && m->nonce_len >= c + 4 &&
           memcmp(m->nonce, PC_TURN_NONCE_COOKIE, c) == 0;
}

int pc_turn_longterm_key_alg(const char *user, const uint8_t *realm, size_t realm_len,
                             const char *password, int alg, uint8_t key[PC_TURN_KEY_MAX],
                             size_t *keylen)
{
    const EVP_MD *md = alg == PC_TURN_ALG_SHA256 ? EVP_sha256()
                       : alg == PC_TURN_ALG_MD5  ? EVP_md5()
                                                 : NULL;
    EVP_MD_CTX *c;
    unsigned int n = 0;
    int ok;

    if (md == NULL)
        return PC_EINVAL;
    c = EVP_MD_CTX_new();
    if (!c)
        return PC_ENOMEM;
    ok = EVP_DigestInit_ex(c, md, NULL) && EVP_DigestUpdate(c, user, strlen(user)) &&
         EVP_DigestUpdate(c, ":", 1) && EVP_DigestUpdate(c, realm, realm_len) &&
         EVP_DigestUpdate(c, ":", 1) && EVP_DigestUpdate(c, password, strlen(password)) &&
         EVP_DigestFinal_ex(c, key, &n) && n == (unsigned)EVP_MD_size(md);
    EVP_MD_CTX_free(c);
    *keylen = n;
    return ok ? 0 : PC_EINTERNAL;
}

int pc_turn_longterm_key(const char *user, const uint8_t *realm, size_t realm_len,
                         const char *password, uint8_t key[PC_TURN_KEY_BYTES])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned int n = 0;
    int ok;

    if (!c)
        return PC_ENOMEM;
    ok = EVP_DigestInit_ex(c, EVP_md5(), NULL) && EVP_DigestUpdate(c, user, strlen(user)) &&
         EVP_DigestUpdate(c, ":", 1) && EVP_DigestUpdate(c, realm, realm_len) &&
         EVP_DigestUpdate(c, ":", 1) && EVP_DigestUpdate(c, password, strlen(password)) &&
         EVP_DigestFinal_ex(c, key, &n) && n == PC_TURN_KEY_BYTES;
    EVP_MD_CTX_free(c);
    return ok ? 0 : PC_EINTERNAL;
}

int pc_turn_rest_credentials(const char *secret, size_t secret_len, const char *name,
                             long long expiry_unix, char *user, size_t user_cap, char *password,
                             size_t password_cap)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    int n;

    n = name && *name ? snprintf(user, user_cap, "%lld:%s", expiry_unix, name)
                      : snprintf(user, user_cap, "%lld", expiry_unix);
    if (n < 0 || (size_t)n >= user_cap)
        return PC_EINVAL;
    if (!HMAC(EVP_sha1(), secret, (int)secret_len, (const uint8_t *)user, (size_t)n, mac, &maclen))
        return PC_EINTERNAL;
    if (password_cap < 4 * ((maclen + 2) / 3) + 1)
        return PC_EINVAL;
    EVP_EncodeBlock((unsigned char *)password, mac, (int)maclen);
    return 0;
}

int pc_turn_is_channel(const uint8_t *buf, size_t len)
{
    return len >= 1 && (buf[0] & 0xC0) == 0x40; /* RFC 8656 12: 0x4000 through 0x4FFF... */
}

int pc_turn_channel_encode(uint8_t *buf, size_t cap, uint16_t ch, const void *data, size_t n,
                           int pad, size_t *len)
{
    size_t total = 4 + n;

    if (pad)
        total = (total + 3) & ~(size_t)3;
    if (ch < PC_TURN_CHANNEL_MIN || ch > PC_TURN_CHANNEL_MAX || n > 0xFFFF || total > cap)
        return PC_EINVAL;
    pc_put16(buf, ch);
    pc_put16(buf + 2, (unsigned)n);
    if (n)
        memcpy(buf + 4, data, n);
    memset(buf + 4 + n, 0, total - 4 - n);
    *len = total;
    return 0;
}

int pc_turn_channel_decode(const uint8_t *buf, size_t len, uint16_t *ch, const uint8_t **data,
                           size_t *n)
{
    struct pc_reader r;
    uint16_t c, l;

    pc_reader_init(&r, buf, len);
    c = pc_reader_u16(&r);
    l = pc_reader_u16(&r);
    /* 12.4: a number outside the channel range is not ChannelData; padding may follow. */
    if (r.bad || c < PC_TURN_CHANNEL_MIN || c > PC_TURN_CHANNEL_MAX || l > pc_reader_left(&r))
        return PC_EDATA;
    *ch = c;
    *data = buf + 4;
    *n = l;
    return 0;
}

int pc_turn_frame_len(const uint8_t *buf, size_t avail, size_t *frame)
{
    unsigned len;

    if (avail < 4)
        return 0;
    len = (unsigned)buf[2] << 8 | buf[3];
    if ((buf[0] & 0xC0) == 0) { /* a STUN message: header and its length (RFC 8489 6.2.2) */
        if (len % 4)
            return PC_EDATA;
        *frame = HEADER + len;
        return 1;
    }
    if (pc_turn_is_channel(buf, avail) && ((unsigned)buf[0] << 8 | buf[1]) <= PC_TURN_CHANNEL_MAX) {
        *frame = (4 + len + 3) & ~(size_t)3; /* 12.5: padded to 4 on a stream */
        return 1;
    }
    return PC_EDATA;
}

const char *pc_turn_transport_name(enum pc_turn_transport t)
{
    return t == PC_TURN_TLS ? "tls" : t == PC_TURN_TCP ? "tcp" : "udp";
}

int pc_turn_uri_parse(const char *uri, struct pc_turn_uri *out, struct pc_err *err)
{
    char hostport[300];
    const char *rest, *query;
    struct pc_hostport hp;
    char q[PC_ERR_QUOTE_BUF];
    size_t n;
    int secure, rc;

    memset(out, 0, sizeof(*out));
    if (strncmp(uri, "turn:", 5) == 0) {
        secure = 0;
        rest = uri + 5;
    } else if (strncmp(uri, "turns:", 6) == 0) {
        secure = 1;
        rest = uri + 6;
    } else {
        return pc_err_set(err, PC_EINVAL, "'%s': expected turn:HOST[:PORT] or turns:HOST[:PORT]",
                          pc_err_quote(uri, q));
    }
    query = strchr(rest, '?');
    n = query ? (size_t)(query - rest) : strlen(rest);
    if (n == 0 || n >= sizeof(hostport))
        return pc_err_set(err, PC_EINVAL, "'%s': no host", pc_err_quote(uri, q));
    memcpy(hostport, rest, n);
    hostport[n] = '\0';
    rc =
        pc_netaddr_split(hostport, secure ? PC_TURNS_DEFAULT_PORT : PC_TURN_DEFAULT_PORT, &hp, err);
    if (rc < 0)
        return rc;
    out->transport = secure ? PC_TURN_TLS : PC_TURN_UDP;
    if (query) {
        if (strcmp(query, "?transport=tcp") == 0)
            out->transport = secure ? PC_TURN_TLS : PC_TURN_TCP;
        else if (strcmp(query, "?transport=udp") == 0 && !secure)
            out->transport = PC_TURN_UDP;
        else
            return pc_err_set(err, PC_EINVAL,
                              "'%s': expected ?transport=udp or ?transport=tcp (turns: only tcp)",
                              pc_err_quote(uri, q));
    }
    memcpy(out->host, hp.host, sizeof(out->host));
    out->port = hp.port;
    return 0;
}
