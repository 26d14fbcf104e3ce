/*
 * decode.h - link layer, IP and transport headers of one captured frame.
 *
 * Pure: reads the frame's bytes through the bounds-checked reader and
 * fills a struct pc_pkt whose payload points into the frame.
 */
#ifndef PRECALL_ANALYZE_DECODE_H
#define PRECALL_ANALYZE_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum pc_decode_result {
    PC_DECODE_OK,       /* UDP or TCP, fields filled */
    PC_DECODE_OTHER,    /* another protocol, or a link type not read */
    PC_DECODE_FRAGMENT, /* an IP fragment: counted, not reassembled */
    PC_DECODE_SHORT     /* headers cut short (snap length or damage) */
};

struct pc_pkt {
    int family; /* 4 or 6 */
    uint8_t src[16], dst[16];
    int proto; /* 6 TCP, 17 UDP */
    uint16_t sport, dport;
    const uint8_t *payload; /* transport payload as captured */
    size_t payload_len;     /* captured bytes of it */
    size_t wire_len;        /* its length as sent (from the IP and UDP headers) */
    uint32_t tcp_seq;
    uint8_t tcp_flags;
};

enum pc_decode_result pc_decode_frame(int dlt, const uint8_t *p, size_t caplen, struct pc_pkt *out);

#endif
