/*
 * tcpframe.h - media relayed over TURN on TCP (RFC 6062, RFC 8656 on a
 * stream transport): the byte stream of a TCP flow is put back in order
 * and cut into STUN messages and ChannelData frames (padded to 4 bytes on
 * TCP, RFC 8656 12.5); the RTP or RTCP inside a Send or Data indication or
 * a ChannelData frame goes to the analyzer's media path as if it came over
 * UDP. A TCP flow that is TLS (TURN over TLS, TURNS) carries media that
 * cannot be seen: it is counted, and the report says so.
 *
 * The analyzer owns one struct pc_tcpframes (a->tcpframes), freed with it.
 * Not a public interface.
 */
#ifndef PRECALL_ANALYZE_TCPFRAME_H
#define PRECALL_ANALYZE_TCPFRAME_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/analyzer.h"
#include "analyze/decode.h"
#include "precall/report.h"

#define PC_TCPFRAME_MAX (4 + 65535 + 3) /* the longest frame: a ChannelData with padding */

/* streams.c's media path: RTP or RTCP in p[0..n) for stream key k; 1 RTP, 2 RTCP, 0 neither. */
typedef int (*pc_tcpframe_media_fn)(struct pc_analyzer *a, struct skey *k, int context,
                                    const uint8_t *p, size_t n, int64_t t_ns);
/* streams.c's flow table: the index of flow key k (created), or -1. */
typedef long (*pc_tcpframe_flow_fn)(struct pc_analyzer *a, const struct flowkey *k, int create);

/*
 * One TCP segment with data of the TCP flow tcp_index (a->tcp), whose key
 * is fk. Called for every data segment, resends included.
 */
void pc_tcpframe_segment(struct pc_analyzer *a, long tcp_index, const struct flowkey *fk,
                         const struct pc_pkt *pk, int64_t t_ns, pc_tcpframe_flow_fn flow,
                         pc_tcpframe_media_fn media);

/*
 * Into the report: for each TLS flow that is TURNS (port 5349, the ALPN
 * "stun.turn" of RFC 7443, or a server also seen answering STUN), the
 * result "relay-tls" (skipped) saying that the media inside could not be
 * seen, and why.
 */
void pc_tcpframe_report(const struct pc_analyzer *a, struct pc_report *r);

void pc_tcpframe_free(struct pc_tcpframes *t);

#endif
