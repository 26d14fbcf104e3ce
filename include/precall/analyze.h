/*
 * analyze.h - packet captures in, RTP streams and TCP flows out.
 *
 * An analyzer reads frames in one pass (from capture files through libpcap,
 * or from a live capture), finds the RTP streams on any UDP port (by
 * header heuristics, RTCP and STUN on the same 5-tuple, inside TURN
 * ChannelData and Send/Data indications), keeps RFC 3550 statistics and a
 * per-second timeline per stream and the retransmission rate per TCP flow,
 * and writes them into a report as scopes: one STREAM scope per stream,
 * one FLOW scope per TCP flow and one FILE scope per input file.
 *
 * Memory grows with the number of flows and streams and with the length
 * of the capture in seconds (the timeline), never with its packet count.
 * The analyzer owns everything it keeps; pc_analyzer_free() releases it.
 */
#ifndef PRECALL_ANALYZE_H
#define PRECALL_ANALYZE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "precall/err.h"
#include "precall/report.h"

#define PC_RTP_PT_COUNT 128

struct pc_analyze_opts {
    unsigned clock_hz[PC_RTP_PT_COUNT]; /* --clock-rate PT=HZ; 0: not given */
};

struct pc_analyzer;

struct pc_analyzer *pc_analyzer_new(const struct pc_analyze_opts *o);
void pc_analyzer_free(struct pc_analyzer *a);

/*
 * One captured frame of link type dlt (a DLT_* of pcap.h), caplen bytes at
 * p, captured at t_ns (nanoseconds since the epoch). Any bytes are safe.
 * Frames of one file come in file order (see the clock jumps below).
 */
void pc_analyzer_frame(struct pc_analyzer *a, int dlt, int64_t t_ns, const uint8_t *p,
                       size_t caplen);

/*
 * Read a capture (pcap or pcapng) to its end as the next part of the
 * session: a file, a FIFO, a pipe, or "-" for standard input, each read
 * once from its start (never reopened). 0 when it was read whole;
 * PC_ANALYZE_SAME (a warning, nothing read) when it is the same file (device
 * and inode) as an earlier input, which err names; PC_ENOENT when it cannot
 * be opened, or nothing arrived on a stream for idle_ns (0: wait for ever);
 * PC_EDATA when it is empty, not a capture, damaged, or a stream that fell
 * silent for idle_ns part-way: err then names the file and the packet
 * ("FILE: packet 12: truncated ..."), and the packets before are kept.
 */
#define PC_ANALYZE_SAME 1
int pc_analyzer_read_input(struct pc_analyzer *a, const char *path, int64_t idle_ns,
                           struct pc_err *err);
/* The same without an idle limit. */
int pc_analyzer_read_file(struct pc_analyzer *a, const char *path, struct pc_err *err);

/*
 * Read from an open pcap_t (a live capture) until stop is set, the
 * deadline (monotonic ns, 0 for none) passes, or it fails; driven by
 * precall's clock (poll on the capture's descriptor), so it ends by the
 * deadline whether packets arrive or not. tap (unless NULL) sees every
 * frame first (a struct pcap_pkthdr * and its bytes): the -w file.
 */
int pc_analyzer_read_live(struct pc_analyzer *a, void *pcap, const char *name, atomic_int *stop,
                          int64_t deadline_ns,
                          void (*tap)(void *user, const void *pkthdr, const uint8_t *data),
                          void *tap_user, struct pc_err *err);

/*
 * Clock jumps: a step between two frames of one capture file backwards by
 * more than PC_CLOCK_JUMP_BACK_NS or forwards by more than
 * PC_CLOCK_JUMP_FWD_NS is the capturing computer's clock being set, not
 * time passing. The frames after it are taken to follow the one before
 * without a gap, no gap or jitter is measured across it, and the file's
 * report says where it was.
 */
#define PC_CLOCK_JUMP_BACK_NS (10 * 1000000000LL)
#define PC_CLOCK_JUMP_FWD_NS  (3600 * 1000000000LL)

/* Frames read so far, over every file. */
uint64_t pc_analyzer_frames(const struct pc_analyzer *a);

/*
 * Write what was found into the report: its start (the capture's first
 * second) and length, one scope per file, stream and flow, and the
 * "analyze" result ("no-rtp" when no stream was found).
 */
void pc_analyzer_report(struct pc_analyzer *a, struct pc_report *r);

#endif
