/*
 * fuzz_stun.c - libFuzzer harness for the STUN decoder (src/proto/stun.c).
 *
 * Feeds arbitrary bytes to pc_stun_decode and pc_stun_looks_like and checks
 * the promises of stun.h that a sanitizer alone would not: a message that
 * decodes passes the header test, its strings are NUL-terminated and its
 * fields are in range. Built with -fsanitize=fuzzer under PRECALL_FUZZ, and
 * always with replay_main.c so ctest replays the corpus; pc_fuzz_accepts
 * gives the replay the decoder's verdict, checked against the "ok-"/"bad-"
 * prefix of each seed's name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precall/stun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pc_fuzz_accepts(const uint8_t *data, size_t size);

/* 1 when the decoder accepts the message, 0 when it rejects it. */
int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    struct pc_stun_msg msg;

    return pc_stun_decode(data, size, &msg, NULL) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_stun_msg msg;
    struct pc_err err = {0};
    int looks = pc_stun_looks_like(data, size);
    int rc = pc_stun_decode(data, size, &msg, &err);

    if (rc != 0 && rc != PC_EDATA)
        abort();
    if (rc == 0) {
        if (!looks)
            abort();
        if (memchr(msg.software, '\0', sizeof(msg.software)) == NULL ||
            memchr(msg.error_reason, '\0', sizeof(msg.error_reason)) == NULL)
            abort();
        if ((unsigned)msg.cls > PC_STUN_ERROR || msg.method > 0xFFF)
            abort();
        if (msg.has_mapped && msg.mapped.family != 4 && msg.mapped.family != 6)
            abort();
        if (msg.has_error_code && (msg.error_code < 300 || msg.error_code > 699))
            abort();
        if (msg.fault != PC_STUN_FAULT_NONE)
            abort();
    } else if (memchr(err.msg, '\0', sizeof(err.msg)) == NULL || err.msg[0] == '\0' ||
               msg.fault == PC_STUN_FAULT_NONE || msg.has_mapped) {
        abort();
    }
    return 0;
}
