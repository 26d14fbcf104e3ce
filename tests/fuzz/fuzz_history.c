/*
 * fuzz_history.c - libFuzzer harness for the history file's parser
 * (src/core/history.c): arbitrary bytes as a history file. Accepted when at
 * least one line reads as a check. Checks what the parser promises: every
 * text field terminated within its buffer, a known tier, figures finite or
 * NaN, and each entry written back as a line reads again as the same entry.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precall/history.h"
#include "precall/tier.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pc_fuzz_accepts(const uint8_t *data, size_t size);

static int accepted;

#define TERMINATED(a) (memchr((a), 0, sizeof(a)) != NULL)

static void check(const struct pc_history_entry *e)
{
    struct pc_history again = {0};
    struct pc_buf b = {0};

    if (!TERMINATED(e->started_at) || !TERMINATED(e->command) || !TERMINATED(e->tier) ||
        !TERMINATED(e->status) || !TERMINATED(e->net.interface) || !TERMINATED(e->net.link_kind) ||
        !TERMINATED(e->net.wifi_ssid) || !TERMINATED(e->net.public_prefix) ||
        pc_tier_parse(e->tier) < 0 || e->exit_code < 0 || e->exit_code > 255)
        abort();
    for (int f = 0; f < PC_HFIG__COUNT; f++)
        if (isinf(e->fig[f]))
            abort();
    pc_history_line(e, &b);
    if (b.failed)
        return; /* out of memory */
    if (pc_history_parse(b.data, b.len, &again) == 0 &&
        (again.n != 1 || strcmp(again.e[0].started_at, e->started_at) != 0 ||
         !pc_history_net_same(&again.e[0].net, &e->net)))
        abort();
    pc_history_free(&again);
    pc_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_history h = {0};
    /* a copy of exactly size bytes: any read past the end is the sanitizer's to see */
    char *p = malloc(size > 0 ? size : 1);

    if (p == NULL)
        return 0;
    if (size > 0)
        memcpy(p, data, size);
    accepted = 0;
    if (pc_history_parse(p, size, &h) == 0) {
        for (size_t i = 0; i < h.n; i++)
            check(&h.e[i]);
        accepted = h.n > 0;
    }
    pc_history_free(&h);
    free(p);
    return 0;
}

int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
    return accepted;
}
