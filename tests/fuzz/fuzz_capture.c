/*
 * fuzz_capture.c - libFuzzer harness for the capture analyser: arbitrary
 * bytes as a capture file (through libpcap, pcap or pcapng), every frame
 * through the decoder and the stream analysis, then the report written
 * and freed. The outcome for the corpus replay: accepted when the file was
 * read to its end, refused when libpcap or the analyser called it damaged.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "precall/analyze.h"
#include "precall/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pc_fuzz_accepts(const uint8_t *data, size_t size);

static int accepted; /* the outcome of the last input */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_analyze_opts opts = {{0}};
    struct pc_analyzer *a;
    struct pc_report *r;
    struct pc_err err = {0};
    char path[64];
    int fd = memfd_create("capture", 0), rc;

    if (fd < 0 || write(fd, data, size) != (ssize_t)size)
        abort();
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    opts.clock_hz[96] = 90000;
    a = pc_analyzer_new(&opts);
    r = pc_report_new();
    if (a == NULL || r == NULL)
        abort();
    rc = pc_analyzer_read_file(a, path, &err);
    if (rc != 0 && rc != PC_EDATA)
        abort();
    if (rc != 0 && err.msg[0] == '\0')
        abort();
    accepted = rc == 0;
    pc_analyzer_report(a, r);
    pc_report_free(r);
    pc_analyzer_free(a);
    close(fd);
    return 0;
}

int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
    return accepted;
}
