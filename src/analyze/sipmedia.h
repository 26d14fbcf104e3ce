/*
 * sipmedia.h - what the signalling in a capture says about its media: the
 * SIP messages over UDP and TCP (over TCP put back together from their
 * segments, sipframe.c; their SDP bodies, sdp.c) are kept as a
 * table of (address, port, payload type) -> codec, clock rate and kind;
 * a stream that goes to an address and port the SDP offered takes its
 * clock rate from there (before the static payload types, RTCP and the
 * timestamps: the signalled rate is what the sender uses).
 *
 * The analyzer owns the table (a->sipmedia), freed with it. Bounded: at
 * most PC_SIPMEDIA_MAX entries; a newer offer for the same address, port
 * and payload type replaces the older. Not a public interface.
 */
#ifndef PRECALL_ANALYZE_SIPMEDIA_H
#define PRECALL_ANALYZE_SIPMEDIA_H

#include "analyze/analyzer.h"
#include "analyze/decode.h"

#define PC_SIPMEDIA_MAX 4096

struct pc_sipmedia_entry {
    uint8_t family, pt;
    uint16_t port;
    uint8_t addr[16];
    unsigned rate;
    char name[24];
    char kind[12];
};

/* A decoded UDP or TCP packet: a SIP message with SDP is added to the table. */
void pc_sipmedia_packet(struct pc_analyzer *a, const struct pc_pkt *pk);

/* The signalled entry for a stream (its destination, or its source: either side's offer), or NULL.
 */
const struct pc_sipmedia_entry *pc_sipmedia_find(const struct pc_analyzer *a,
                                                 const struct stream *s);

/* The signalled clock rate of a stream, 0 when none. */
unsigned pc_sipmedia_rate(const struct pc_analyzer *a, const struct stream *s);

void pc_sipmedia_free(struct pc_sipmedia *t);

#endif
