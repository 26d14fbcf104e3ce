/*
 * fuzz_sdp.c - libFuzzer harness for the SIP/SDP parser (src/analyze/sdp.c):
 * arbitrary bytes as a SIP message, and as an SDP body alone. Accepted when
 * the message is SIP with an SDP body holding at least one m= line. Checks
 * what the parser promises: its counts within bounds, names terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/sdp.h"

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
    free(p);
    return 0;
}

int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
    return accepted;
}
