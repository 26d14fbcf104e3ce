/*
 * decode.c - link layer, IP and transport headers (see decode.h).
 *
 * Link types: Ethernet with 802.1Q/802.1ad tags (IEEE 802.1Q 9.3), Linux
 * cooked SLL and SLL2, raw IP, BSD loopback (DLT_NULL, host byte order;
 * DLT_LOOP, network byte order). IPv4 (RFC 791 3.1), IPv6 (RFC 8200 4:
 * extension headers walked), UDP (RFC 768), TCP (RFC 9293 3.1).
 */
#define _DEFAULT_SOURCE /* libpcap's headers use the BSD types u_int, u_char */
#include <pcap/pcap.h>
#include <string.h>

#include "analyze/decode.h"
#include "proto/reader.h"

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86DD
#define EXT_MAX  16 /* IPv6 extension headers walked before giving up */

static enum pc_decode_result transport(struct pc_reader *r, int proto, size_t ip_payload_wire,
                                       struct pc_pkt *out)
{
    out->proto = proto;
    if (proto == 17) {
        uint16_t len;

        out->sport = pc_reader_u16(r);
        out->dport = pc_reader_u16(r);
        len = pc_reader_u16(r);
        pc_reader_u16(r);
        if (r->bad)
            return PC_DECODE_SHORT;
        out->wire_len = len >= 8 ? len - 8u : 0;
        out->payload = r->p + r->off;
        out->payload_len = pc_reader_left(r);
        if (out->payload_len > out->wire_len)
            out->payload_len = out->wire_len;
        return PC_DECODE_OK;
    }
    if (proto == 6) {
        uint8_t off;

        out->sport = pc_reader_u16(r);
        out->dport = pc_reader_u16(r);
        out->tcp_seq = pc_reader_u32(r);
        pc_reader_u32(r);
        off = pc_reader_u8(r) >> 4;
        out->tcp_flags = pc_reader_u8(r);
        if (r->bad || off < 5 || pc_reader_skip(r, 4u * off - 14u) < 0)
            return PC_DECODE_SHORT;
        out->wire_len = ip_payload_wire > 4u * off ? ip_payload_wire - 4u * off : 0;
        out->payload = r->p + r->off;
        out->payload_len = pc_reader_left(r);
        if (out->payload_len > out->wire_len)
            out->payload_len = out->wire_len;
        return PC_DECODE_OK;
    }
    return PC_DECODE_OTHER;
}

static enum pc_decode_result ipv4(struct pc_reader *r, struct pc_pkt *out)
{
    struct pc_reader body;
    uint8_t vihl = pc_reader_u8(r), proto;
    uint16_t total, frag;
    size_t hlen = 4u * (vihl & 0x0F);

    pc_reader_u8(r);
    total = pc_reader_u16(r);
    pc_reader_u16(r);
    frag = pc_reader_u16(r);
    pc_reader_u8(r);
    proto = pc_reader_u8(r);
    pc_reader_u16(r);
    pc_reader_bytes(r, out->src, 4);
    pc_reader_bytes(r, out->dst, 4);
    if (r->bad || (vihl >> 4) != 4 || hlen < 20 || total < hlen || pc_reader_skip(r, hlen - 20))
        return PC_DECODE_SHORT;
    out->family = 4;
    if ((frag & 0x3FFF) != 0) /* more fragments, or an offset */
        return PC_DECODE_FRAGMENT;
    /* The frame may be cut (snap length) or padded (Ethernet minimum). */
    pc_reader_init(&body, r->p + r->off,
                   pc_reader_left(r) < total - hlen ? pc_reader_left(r) : total - hlen);
    return transport(&body, proto, total - hlen, out);
}

static enum pc_decode_result ipv6(struct pc_reader *r, struct pc_pkt *out)
{
    struct pc_reader body;
    uint32_t vtf = pc_reader_u32(r);
    uint16_t plen = pc_reader_u16(r);
    uint8_t next = pc_reader_u8(r);
    size_t used = 0;

    pc_reader_u8(r);
    pc_reader_bytes(r, out->src, 16);
    pc_reader_bytes(r, out->dst, 16);
    if (r->bad || (vtf >> 28) != 6)
        return PC_DECODE_SHORT;
    out->family = 6;
    pc_reader_init(&body, r->p + r->off, pc_reader_left(r) < plen ? pc_reader_left(r) : plen);
    for (int i = 0; i < EXT_MAX; i++) {
        uint8_t nh, len;
        size_t n;

        switch (next) {
        case 0:  /* hop-by-hop options */
        case 43: /* routing */
        case 60: /* destination options */
        case 51: /* authentication header (RFC 4302 2.2: length in 4-octet units, minus 2) */
            nh = pc_reader_u8(&body);
            len = pc_reader_u8(&body);
            n = next == 51 ? 4u * (len + 2u) : 8u * (len + 1u);
            if (pc_reader_skip(&body, n - 2) < 0)
                return PC_DECODE_SHORT;
            used += n;
            next = nh;
            continue;
        case 44: { /* fragment: an atomic one (offset 0, no more) is read through */
            uint16_t off;

            nh = pc_reader_u8(&body);
            pc_reader_u8(&body);
            off = pc_reader_u16(&body);
            pc_reader_u32(&body);
            if (body.bad)
                return PC_DECODE_SHORT;
            if ((off & 0xFFF9) != 0)
                return PC_DECODE_FRAGMENT;
            used += 8;
            next = nh;
            continue;
        }
        default:
            return transport(&body, next, plen > used ? plen - used : 0, out);
        }
    }
    return PC_DECODE_OTHER;
}

static enum pc_decode_result ip(struct pc_reader *r, struct pc_pkt *out)
{
    uint8_t v = r->off < r->len ? r->p[r->off] >> 4 : 0;

    if (v == 4)
        return ipv4(r, out);
    if (v == 6)
        return ipv6(r, out);
    return r->off < r->len ? PC_DECODE_OTHER : PC_DECODE_SHORT;
}

static enum pc_decode_result by_ethertype(struct pc_reader *r, uint16_t type, struct pc_pkt *out)
{
    if (type == ETH_IPV4)
        return ipv4(r, out);
    if (type == ETH_IPV6)
        return ipv6(r, out);
    return PC_DECODE_OTHER;
}

/* BSD loopback: the address family, AF_INET 2; AF_INET6 is 10, 24, 28 or 30 by system. */
static enum pc_decode_result loopback(struct pc_reader *r, int host_order, struct pc_pkt *out)
{
    uint32_t af = pc_reader_u32(r);

    if (host_order) /* written in the capturing host's order: take the small reading */
        af = af > 0xFFFF ? __builtin_bswap32(af) : af;
    if (r->bad)
        return PC_DECODE_SHORT;
    if (af == 2)
        return ipv4(r, out);
    if (af == 10 || af == 24 || af == 28 || af == 30)
        return ipv6(r, out);
    return PC_DECODE_OTHER;
}

enum pc_decode_result pc_decode_frame(int dlt, const uint8_t *p, size_t caplen, struct pc_pkt *out)
{
    struct pc_reader r;
    uint16_t type;

    memset(out, 0, sizeof(*out));
    pc_reader_init(&r, p, caplen);
    switch (dlt) {
    case DLT_EN10MB:
        pc_reader_skip(&r, 12);
        type = pc_reader_u16(&r);
        /* 802.1Q, 802.1ad and the older QinQ value: tag control, then the next type */
        for (int i = 0; i < 4 && (type == 0x8100 || type == 0x88A8 || type == 0x9100); i++) {
            pc_reader_u16(&r);
            type = pc_reader_u16(&r);
        }
        return r.bad ? PC_DECODE_SHORT : by_ethertype(&r, type, out);
    case DLT_LINUX_SLL: /* packet type, ARPHRD, address length, 8 address bytes, protocol */
        pc_reader_skip(&r, 14);
        type = pc_reader_u16(&r);
        return r.bad ? PC_DECODE_SHORT : by_ethertype(&r, type, out);
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2: /* protocol, reserved, interface, ARPHRD, type, length, 8 address */
        type = pc_reader_u16(&r);
        pc_reader_skip(&r, 18);
        return r.bad ? PC_DECODE_SHORT : by_ethertype(&r, type, out);
#endif
    case DLT_RAW:
#ifdef DLT_IPV4
    case DLT_IPV4:
    case DLT_IPV6:
#endif
        return ip(&r, out);
    case DLT_NULL:
        return loopback(&r, 1, out);
    case DLT_LOOP:
        return loopback(&r, 0, out);
    default:
        return PC_DECODE_OTHER;
    }
}
