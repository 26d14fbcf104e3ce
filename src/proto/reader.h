/*
 * reader.h - a bounds-checked big-endian reader for untrusted bytes.
 *
 * Every read checks that the bytes exist; a read past the end returns 0 and
 * sets `bad`, which stays set, so a parser reads a whole structure and then
 * checks once (the idea of tcpdump's GET_* macros). The reader never owns
 * the buffer and never reads outside p[0..len).
 */
#ifndef PRECALL_PROTO_READER_H
#define PRECALL_PROTO_READER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pc_reader {
    const uint8_t *p;
    size_t len;
    size_t off;
    int bad;
};

static inline void pc_reader_init(struct pc_reader *r, const uint8_t *p, size_t len)
{
    r->p = p;
    r->len = len;
    r->off = 0;
    r->bad = 0;
}

static inline size_t pc_reader_left(const struct pc_reader *r)
{
    return r->bad ? 0 : r->len - r->off;
}

/* 1 when n more bytes are there; sets bad otherwise. */
static inline int pc_reader_has(struct pc_reader *r, size_t n)
{
    if (r->bad || n > r->len - r->off) {
        r->bad = 1;
        return 0;
    }
    return 1;
}

static inline uint8_t pc_reader_u8(struct pc_reader *r)
{
    if (!pc_reader_has(r, 1))
        return 0;
    return r->p[r->off++];
}

static inline uint16_t pc_reader_u16(struct pc_reader *r)
{
    uint16_t v;

    if (!pc_reader_has(r, 2))
        return 0;
    v = (uint16_t)(r->p[r->off] << 8 | r->p[r->off + 1]);
    r->off += 2;
    return v;
}

static inline uint32_t pc_reader_u32(struct pc_reader *r)
{
    uint32_t v;

    if (!pc_reader_has(r, 4))
        return 0;
    v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
        (uint32_t)r->p[r->off + 2] << 8 | r->p[r->off + 3];
    r->off += 4;
    return v;
}

/* Copy n bytes into dst: 0, or -1 (and bad set, dst zeroed) when they are not there. */
static inline int pc_reader_bytes(struct pc_reader *r, void *dst, size_t n)
{
    if (!pc_reader_has(r, n)) {
        memset(dst, 0, n);
        return -1;
    }
    memcpy(dst, r->p + r->off, n);
    r->off += n;
    return 0;
}

/* Skip n bytes: 0, or -1 when they are not there. */
static inline int pc_reader_skip(struct pc_reader *r, size_t n)
{
    if (!pc_reader_has(r, n))
        return -1;
    r->off += n;
    return 0;
}

/* A sub-reader over the next n bytes, which the parent skips: 0, or -1. */
static inline int pc_reader_sub(struct pc_reader *r, size_t n, struct pc_reader *sub)
{
    if (!pc_reader_has(r, n)) {
        pc_reader_init(sub, r->p, 0);
        sub->bad = 1;
        return -1;
    }
    pc_reader_init(sub, r->p + r->off, n);
    r->off += n;
    return 0;
}

/* The writer's side: big-endian stores into bytes the caller has sized. */
static inline void pc_put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void pc_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
