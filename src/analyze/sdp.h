/*
 * sdp.h - the media a SIP message offers or answers, from its SDP body:
 * per media description (RFC 4566 5.14 m=) its kind, address (c=, the
 * media's own or the session's) and port, and per payload type the codec
 * and clock rate of a=rtpmap (6), the static ones of RFC 3551 included
 * when listed without rtpmap. Telephone-event (RFC 4733), RED (RFC 2198),
 * FEC (ulpfec, flexfec) and RTX (RFC 4588) are named by their encoding
 * names, as any other codec.
 *
 * Pure and bounded: reads at most the bytes given, keeps at most
 * PC_SDP_MEDIA_MAX media and PC_SDP_PT_MAX payload types each, and never
 * allocates. Not a public interface.
 */
#ifndef PRECALL_ANALYZE_SDP_H
#define PRECALL_ANALYZE_SDP_H

#include <stddef.h>
#include <stdint.h>

#define PC_SDP_MEDIA_MAX 8
#define PC_SDP_PT_MAX    32

struct pc_sdp_pt {
    uint8_t pt;
    unsigned rate; /* Hz, 0 when not said */
    char name[24]; /* "opus", "telephone-event", "red", "ulpfec", "rtx"; "" when not said */
};

struct pc_sdp_media {
    char kind[12]; /* "audio", "video", "image", "text", "application" */
    int family;    /* 4 or 6; 0 without an address */
    uint8_t addr[16];
    uint16_t port;
    int n_pt;
    struct pc_sdp_pt pt[PC_SDP_PT_MAX];
};

struct pc_sdp {
    int n_media;
    struct pc_sdp_media media[PC_SDP_MEDIA_MAX];
};

/*
 * A SIP message (RFC 3261 7: a request or a status line, header fields,
 * an empty line, the body) whose body is SDP (Content-Type application/sdp,
 * or the compact form c:). 0 with *out filled, or PC_EDATA (*out emptied)
 * when it is not SIP with SDP.
 */
int pc_sip_sdp_parse(const uint8_t *p, size_t n, struct pc_sdp *out);

/* An SDP body alone (RFC 4566). 0, or PC_EDATA when it holds no m= line. */
int pc_sdp_parse(const uint8_t *p, size_t n, struct pc_sdp *out);

#endif
