/*
 * instream.h - a capture read once, from any stream: a file, a FIFO, a pipe,
 * standard input. The first bytes are read here (to tell pcap from pcapng)
 * and handed on to the reader again, so nothing is reopened; a stream that
 * stays silent for the idle limit ends with an error instead of a hang.
 * A stream compressed with gzip (RFC 1952: .pcap.gz, .pcapng.gz, several
 * members one after the other too) is inflated with zlib on the way, so
 * the head and the FILE are the capture itself. Not a public interface.
 */
#ifndef PRECALL_ANALYZE_INSTREAM_H
#define PRECALL_ANALYZE_INSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PC_INSTREAM_HEAD 4

/*
 * A FILE reading fd (which it owns and closes) from its start. head gets
 * the first bytes (*head_n of them, fewer at the end of a short stream),
 * which the FILE still yields; *gzipped is set to 1 when the stream was
 * gzip (head and FILE are then the inflated bytes). A read that waits
 * longer than idle_ns (0: no limit) fails with ETIMEDOUT and sets
 * *timed_out (caller-owned, kept after the FILE is closed). Compressed
 * data that is corrupt fails the read with EBADMSG; a gzip stream cut
 * short ends where its data ends (the capture reader then finds the cut).
 * NULL (fd closed, errno set) on failure.
 */
FILE *pc_instream_open(int fd, int64_t idle_ns, int *timed_out, uint8_t head[PC_INSTREAM_HEAD],
                       size_t *head_n, int *gzipped);

#endif
