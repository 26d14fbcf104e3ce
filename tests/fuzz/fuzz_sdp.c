/*
 * fuzz_sdp.c - libFuzzer harness for the SIP/SDP parser (src/analyze/sdp.c):
 * arbitrary bytes as a SIP message, and as an SDP body alone. Accepted when
 * the message is SIP with an SDP body holding at least one m= line. Checks
 * what the parser promises: its counts within bounds, names terminated.
 *
 * The same bytes also go through the reassembly of SIP over TCP
 * (src/analyze/sipframe.c) as one TCP flow: once in one segment, once cut
 * into segments whose lengths the input's own bytes choose (some sent
 * twice, overlapping), and once with a byte missing (a gap). Every message
 * handed over is parsed as SIP with SDP; the first message of the cut flow
 * must be the first of the whole one; nothing is held beyond the bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/sdp.h"
#include "analyze/sipframe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pc_fuzz_accepts(const uint8_t *data, size_t size);

static int accepted;

static void check(const struct pc_sdp *s)
{
    if (s->n_media < 0 || s->n_media > PC_SDP_MEDIA_MAX)
        abort();
    for (int i = 0; i < s->n_media; i++) {
        const struct pc_sdp_media *m = &s->media[i];

        if (m->n_pt < 0 || m->n_pt > PC_SDP_PT_MAX || memchr(m->kind, 0, sizeof(m->kind)) == NULL ||
            (m->family != 0 && m->family != 4 && m->family != 6))
            abort();
        for (int k = 0; k < m->n_pt; k++)
            if (m->pt[k].pt > 127 || memchr(m->pt[k].name, 0, sizeof(m->pt[k].name)) == NULL)
                abort();
    }
}

struct first {
    int n;
    uint64_t hash; /* FNV-1a of the first message */
    size_t len;
};

static void on_msg(void *ctx, const uint8_t *p, size_t n)
{
    struct first *f = ctx;
    struct pc_sdp s;

    if (f->n++ == 0) {
        f->hash = 14695981039346656037u;
        for (size_t i = 0; i < n; i++)
            f->hash = (f->hash ^ p[i]) * 1099511628211u;
        f->len = n;
    }
    pc_sip_sdp_parse(p, n, &s);
    check(&s);
}

static void segment(struct pc_sipframe **t, uint32_t key, uint32_t seq, const uint8_t *p, size_t n,
                    struct first *f)
{
    pc_sipframe_segment(t, &key, sizeof(key), seq, p, n, n, on_msg, f);
    if (pc_sipframe_flows(*t) > PC_SIPFRAME_FLOWS_MAX ||
        pc_sipframe_held(*t) > (size_t)PC_SIPFRAME_BUF_MAX * PC_SIPFRAME_FLOWS_MAX)
        abort();
}

static void reassemble(const uint8_t *p, size_t size)
{
    struct pc_sipframe *t = NULL;
    struct first whole = {0}, cut = {0}, gap = {0};
    const uint32_t isn = 0xFFFFFFF0u; /* the sequence numbers wrap early */
    size_t off = 0, k = 0;

    segment(&t, 1, isn, p, size, &whole);
    while (off < size) {
        size_t n = 1 + p[(k * 7) % size] % 97, back = p[(k * 13 + 1) % size] % 5 == 0 ? n / 2 : 0;

        if (n > size - off)
            n = size - off;
        /* now and then part of what came before comes again in front of the new bytes */
        segment(&t, 2, isn + (uint32_t)(off - (back < off ? back : 0)),
                p + off - (back < off ? back : 0), n + (back < off ? back : 0), &cut);
        off += n;
        k++;
    }
    if (size >= 2) {
        size_t hole = 1 + p[0] % (size - 1);

        segment(&t, 3, isn, p, hole, &gap);
        if (hole + 1 < size)
            segment(&t, 3, isn + (uint32_t)hole + 1, p + hole + 1, size - hole - 1, &gap);
    }
    /* the first message does not depend on where the segments were cut */
    if (size <= PC_SIPFRAME_BUF_MAX && whole.n > 0 &&
        (cut.n == 0 || cut.hash != whole.hash || cut.len != whole.len))
        abort();
    pc_sipframe_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_sdp s;
    /* a copy of exactly size bytes: any read past the end is the sanitizer's to see */
    uint8_t *p = malloc(size > 0 ? size : 1);

    if (p == NULL)
        abort();
    memcpy(p, data, size);
    accepted = pc_sip_sdp_parse(p, size, &s) == 0;
    if (accepted && s.n_media == 0)
        abort();
    check(&s);
    pc_sdp_parse(p, size, &s);
    check(&s);
    if (size > 0)
        reassemble(p, size);
    free(p);
    return 0;
}

int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
    return accepted;
}
