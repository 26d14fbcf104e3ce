/*
 * pcapng.h - a bounded reader of pcapng files (draft-ietf-opsawg-pcapng),
 * for what libpcap refuses: a section whose interfaces have different link
 * types (a file made with mergecap from captures of an Ethernet card and a
 * Linux "any" device). Each packet comes with its own interface's link type
 * and time resolution. pcap files and live captures stay with libpcap.
 *
 * The reader owns its block buffer and interface table; the FILE is the
 * caller's. A packet's data points into the buffer until the next call.
 * Not a public interface.
 */
#ifndef PRECALL_ANALYZE_PCAPNG_H
#define PRECALL_ANALYZE_PCAPNG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PC_PCAPNG_BLOCK_MAX  (16u << 20) /* bytes in one block, as libpcap's limit */
#define PC_PCAPNG_IFACES_MAX 4096        /* interfaces in one section */

struct pc_pcapng_iface {
    int dlt;
    uint32_t snaplen;
    uint64_t units;   /* timestamp units per second (if_tsresol; 10^6 unless said) */
    int64_t offset_s; /* if_tsoffset, seconds added to every timestamp */
};

struct pc_pcapng {
    FILE *fp;
    int swap; /* the section's byte order is not this machine's */
    struct pc_pcapng_iface *ifs;
    size_t n_ifs, cap_ifs;
    uint8_t *buf;
    size_t cap_buf;
    uint64_t blocks;
    int dlts[8]; /* the distinct link types of all sections, the first 8 */
    size_t n_dlts;
    char err[160]; /* why the last call failed */
};

struct pc_pcapng_pkt {
    int dlt;
    uint32_t iface;
    int64_t t_ns; /* clamped to [0, INT64_MAX / 2] */
    const uint8_t *data;
    size_t caplen, wirelen;
};

/* A reader of fp from its start (the Section Header Block). */
void pc_pcapng_init(struct pc_pcapng *r, FILE *fp);
/* Free what the reader holds (not the FILE); NULL is fine. */
void pc_pcapng_free(struct pc_pcapng *r);
/*
 * The next packet: 1 with *pkt filled, 0 at the clean end of the file, -1
 * when the file is damaged or cut short (r->err says how).
 */
int pc_pcapng_next(struct pc_pcapng *r, struct pc_pcapng_pkt *pkt);

#endif
