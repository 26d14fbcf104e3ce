/*
 * fuzz_turn.c - libFuzzer harness for the TURN codec (src/proto/turn.c).
 *
 * The input is read as a TURN stream (RFC 8656 12.5: STUN messages and
 * padded ChannelData back to back, as over TCP and TLS): each frame that
 * pc_turn_frame_len finds is decoded with pc_turn_decode (and its
 * MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 checked with fixed keys) or
 * pc_turn_channel_decode.
 * It checks what a sanitizer alone would not: pointers of a decoded message
 * lie inside the frame, a channel number is in range. pc_fuzz_accepts: the
 * whole input is well-formed frames (the "ok-"/"bad-" seeds of corpus/turn,
 * made by make_turn_corpus.py).
 */
#include <stdint.h>
#include <stdlib.h>

#include "precall/turn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pc_fuzz_accepts(const uint8_t *data, size_t size);

static const uint8_t key[16] = "precall-fuzz-key";
static const uint8_t key256[32] = "precall-fuzz-keyprecall-fuzz-key"; /* the SHA-256 key's size */

static int inside(const uint8_t *p, size_t n, const uint8_t *f, size_t flen)
{
    return p >= f && n <= flen && p + n <= f + flen;
}

/* 1 decoded, 0 refused; aborts on a broken promise. */
static int one_frame(const uint8_t *f, size_t n)
{
    struct pc_turn_msg m;
    const uint8_t *d;
    size_t dn;
    uint16_t ch;

    if (pc_turn_is_channel(f, n)) {
        if (pc_turn_channel_decode(f, n, &ch, &d, &dn) != 0)
            return 0;
        if (ch < PC_TURN_CHANNEL_MIN || ch > PC_TURN_CHANNEL_MAX || !inside(d, dn, f, n))
            abort();
        return 1;
    }
    if (pc_turn_decode(f, n, &m, NULL) != 0)
        return 0;
    if ((m.realm && !inside(m.realm, m.realm_len, f, n)) ||
        (m.nonce && !inside(m.nonce, m.nonce_len, f, n)) ||
        (m.data && !inside(m.data, m.data_len, f, n)) || m.realm_len > PC_TURN_REALM_MAX ||
        m.nonce_len > PC_TURN_NONCE_MAX || (m.integrity_off && m.integrity_off + 24 > n))
        abort();
    if (m.has_relayed && m.relayed.family != 4 && m.relayed.family != 6)
        abort();
    if (pc_turn_integrity_ok(f, n, &m, key, sizeof(key)) > 1)
        abort();
    if ((m.integrity256_off && m.integrity256_off + 4 + 16 > n) ||
        (m.algorithms &&
         (!inside(m.algorithms, m.algorithms_len, f, n) || m.algorithms_len > PC_TURN_ALGS_MAX)))
        abort();
    if (pc_turn_integrity256_ok(f, n, &m, key256, sizeof(key256)) > 1)
        abort();
    return 1;
}

int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    size_t off = 0;

    if (size == 0)
        return 0;
    while (off < size) {
        size_t frame = 0;

        if (pc_turn_frame_len(data + off, size - off, &frame) != 1 || frame > size - off ||
            !one_frame(data + off, frame))
            return 0;
        off += frame;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t off = 0;

    /* Every frame the stream holds, and the whole input as one datagram. */
    while (off < size) {
        size_t frame = 0;
        int rc = pc_turn_frame_len(data + off, size - off, &frame);

        if (rc != 1 && rc != 0 && rc != PC_EDATA)
            abort();
        if (rc != 1 || frame > size - off)
            break;
        if (frame == 0)
            abort();
        one_frame(data + off, frame);
        off += frame;
    }
    one_frame(data, size);
    return 0;
}
