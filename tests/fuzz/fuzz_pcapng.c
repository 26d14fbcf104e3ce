/*
 * fuzz_pcapng.c - libFuzzer harness for the pcapng block reader
 * (src/analyze/pcapng.c): arbitrary bytes as a pcapng file, every packet
 * read to the end. Accepted when the file is read to its clean end, refused
 * when the reader calls it damaged (which must then say why).
 */
#define _GNU_SOURCE /* fmemopen */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyze/pcapng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pc_fuzz_accepts(const uint8_t *data, size_t size);

static int accepted;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t none[1];
    FILE *fp = fmemopen((void *)(size > 0 ? data : none), size > 0 ? size : 1, "rb");
    struct pc_pcapng r;
    struct pc_pcapng_pkt pkt;
    unsigned sum = 0;
    int rc;

    if (fp == NULL)
        abort();
    if (size == 0)
        fgetc(fp); /* fmemopen wants a size of at least 1: read the stand-in away */
    pc_pcapng_init(&r, fp);
    while ((rc = pc_pcapng_next(&r, &pkt)) == 1) {
        if (pkt.t_ns < 0 || (pkt.caplen > 0 && pkt.data == NULL))
            abort();
        for (size_t i = 0; i < pkt.caplen; i++) /* every byte handed out is readable */
            sum += pkt.data[i];
    }
    if (rc < 0 && r.err[0] == '\0')
        abort();
    accepted = rc == 0;
    pc_pcapng_free(&r);
    fclose(fp);
    return (int)(sum & 0);
}

int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
    return accepted;
}
