/*
 * test_reader.c - the bounds-checked reader of src/proto/reader.h, at its
 * edges: every read succeeds when it ends exactly at the end of the buffer
 * and is refused (bad set, nothing consumed past the end) when it would end
 * one byte past it, without relying on a sanitizer to notice. The buffers
 * are heap copies of exactly their size, so a sanitizer build sees any
 * stray read as well.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "proto/reader.h"

static const uint8_t bytes[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

/* A reader over a heap copy of the first len bytes, positioned at off. */
static uint8_t *reader_at(struct pc_reader *r, size_t len, size_t off)
{
    uint8_t *copy = malloc(len ? len : 1);

    memcpy(copy, bytes, len);
    pc_reader_init(r, copy, len);
    r->off = off;
    return copy;
}

/* Which read to try, of how many bytes. */
enum op { OP_HAS, OP_U8, OP_U16, OP_U32, OP_BYTES, OP_SKIP, OP_SUB };

static const char *const op_names[] = {"has", "u8", "u16", "u32", "bytes", "skip", "sub"};

/* Run op of n bytes on r; 1 when it succeeded (by its own return value). */
static int run(enum op op, size_t n, struct pc_reader *r, uint32_t *value, struct pc_reader *sub)
{
    uint8_t dst[8] = {0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA};

    *value = 0xFFFFFFFFu;
    switch (op) {
    case OP_HAS:
        return pc_reader_has(r, n);
    case OP_U8:
        *value = pc_reader_u8(r);
        return !r->bad;
    case OP_U16:
        *value = pc_reader_u16(r);
        return !r->bad;
    case OP_U32:
        *value = pc_reader_u32(r);
        return !r->bad;
    case OP_BYTES: {
        int rc = pc_reader_bytes(r, dst, n);

        *value = dst[0];
        if (rc < 0) /* refused: the destination is zeroed, not left as it was */
            for (size_t i = 0; i < n; i++)
                CHECK(dst[i] == 0);
        return rc == 0;
    }
    case OP_SKIP:
        return pc_reader_skip(r, n) == 0;
    case OP_SUB:
        return pc_reader_sub(r, n, sub) == 0;
    }
    return 0;
}

/*
 * For each op and each starting offset: with exactly n bytes left it
 * succeeds and ends at the end; with n - 1 left (one byte short, the read
 * would end one byte past the end) it is refused, sets bad, leaves off and
 * reads as 0.
 */
static void edges(void)
{
    static const struct {
        enum op op;
        size_t n;
    } ops[] = {
        {OP_HAS, 1},   {OP_HAS, 4},  {OP_U8, 1},   {OP_U16, 2}, {OP_U32, 4}, {OP_BYTES, 1},
        {OP_BYTES, 3}, {OP_SKIP, 1}, {OP_SKIP, 5}, {OP_SUB, 1}, {OP_SUB, 6},
    };

    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        enum op op = ops[i].op;
        size_t n = ops[i].n;

        for (size_t off = 0; off <= 2; off++) {
            struct pc_reader r, sub;
            uint32_t v;
            uint8_t *buf;
            int ok;

            /* exactly at the end */
            buf = reader_at(&r, off + n, off);
            ok = run(op, n, &r, &v, &sub);
            if (!ok)
                fprintf(stderr, "%s(%zu) at offset %zu of %zu refused\n", op_names[op], n, off,
                        off + n);
            CHECK(ok && !r.bad);
            CHECK(op == OP_HAS || (r.off == r.len && pc_reader_left(&r) == 0));
            if (op == OP_U8)
                CHECK(v == bytes[off]);
            if (op == OP_U16)
                CHECK(v == ((uint32_t)bytes[off] << 8 | bytes[off + 1]));
            if (op == OP_U32)
                CHECK(v == ((uint32_t)bytes[off] << 24 | (uint32_t)bytes[off + 1] << 16 |
                            (uint32_t)bytes[off + 2] << 8 | bytes[off + 3]));
            if (op == OP_BYTES)
                CHECK(v == bytes[off]);
            if (op == OP_SUB)
                CHECK(sub.len == n && sub.p == buf + off && !sub.bad && pc_reader_left(&sub) == n);
            free(buf);

            /* one byte short */
            buf = reader_at(&r, off + n - 1, off);
            ok = run(op, n, &r, &v, &sub);
            if (ok)
                fprintf(stderr, "%s(%zu) at offset %zu of %zu allowed\n", op_names[op], n, off,
                        off + n - 1);
            CHECK(!ok && r.bad);
            CHECK(r.off == off && pc_reader_left(&r) == 0);
            if (op == OP_U8 || op == OP_U16 || op == OP_U32)
                CHECK(v == 0);
            if (op == OP_SUB)
                CHECK(sub.bad && sub.len == 0 && pc_reader_left(&sub) == 0);
            /* once bad, always bad: even a zero-length read is refused */
            CHECK(!pc_reader_has(&r, 0) && pc_reader_u8(&r) == 0);
            free(buf);
        }
    }
}

/* Sizes that would overflow an off + n comparison are refused too. */
static void huge(void)
{
    struct pc_reader r;
    uint8_t *buf = reader_at(&r, 4, 2);
    struct pc_reader sub;

    CHECK(!pc_reader_has(&r, (size_t)-1) && r.bad);
    pc_reader_init(&r, buf, 4);
    r.off = 2;
    CHECK(pc_reader_skip(&r, (size_t)-2) < 0 && r.off == 2);
    pc_reader_init(&r, buf, 4);
    CHECK(pc_reader_sub(&r, (size_t)-1, &sub) < 0 && sub.len == 0);
    free(buf);
}

/* An empty buffer: reads of nothing succeed, reads of anything fail. */
static void empty(void)
{
    struct pc_reader r;
    uint8_t *buf = reader_at(&r, 0, 0);

    CHECK(pc_reader_has(&r, 0) && pc_reader_left(&r) == 0);
    CHECK(pc_reader_skip(&r, 0) == 0 && !r.bad);
    CHECK(pc_reader_u8(&r) == 0 && r.bad);
    free(buf);
}

int main(void)
{
    edges();
    huge();
    empty();
    return check_done();
}
