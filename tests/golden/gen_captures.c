/*
 * gen_captures.c - writes the captures of the golden tests: pcap files
 * through libpcap's pcap_dump, and one pcapng file written block by block
 * (libpcap reads pcapng but does not write it). Every capture is made
 * from fixed numbers, so the expected output never changes by itself.
 *
 *   gen_captures DIR
 */
#define _DEFAULT_SOURCE /* libpcap's headers use u_int, u_char */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE_S 1705327380LL /* 2024-01-15 14:03:00 UTC */
#define MS     1000000LL

static const uint8_t A4[4] = {198, 18, 0, 1}, B4[4] = {198, 18, 0, 2}, T4[4] = {198, 18, 0, 3};
static const uint8_t A6[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t B6[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

struct out {
    pcap_t *dead;
    pcap_dumper_t *d;
    int dlt;
    FILE *ng; /* pcapng instead */
};

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xFFFF);
}

static size_t rtp(uint8_t *p, int marker, unsigned pt, uint16_t seq, uint32_t ts, uint32_t ssrc,
                  size_t payload)
{
    p[0] = 0x80;
    p[1] = (uint8_t)((marker ? 0x80 : 0) | pt);
    put16(p + 2, seq);
    put32(p + 4, ts);
    put32(p + 8, ssrc);
    memset(p + 12, 0xD5, payload);
    return 12 + payload;
}

/* link + IP + UDP around a payload; family 4 or 6 (6 with a hop-by-hop header). */
static size_t frame(uint8_t *f, int dlt, int family, const uint8_t *src, const uint8_t *dst,
                    unsigned sport, unsigned dport, const uint8_t *pl, size_t n)
{
    size_t l = 0, ip;
    unsigned et = family == 4 ? 0x0800 : 0x86DD;

    switch (dlt) {
    case DLT_EN10MB:
        memset(f, 0x02, 12);
        put16(f + 12, et);
        l = 14;
        break;
    case 1000: /* Ethernet with an 802.1Q tag */
        memset(f, 0x02, 12);
        put16(f + 12, 0x8100);
        put16(f + 14, 42);
        put16(f + 16, et);
        l = 18;
        break;
    case DLT_LINUX_SLL:
        memset(f, 0, 16);
        put16(f + 2, 1);
        put16(f + 4, 6);
        put16(f + 14, et);
        l = 16;
        break;
    case DLT_LINUX_SLL2:
        memset(f, 0, 20);
        put16(f, et);
        put32(f + 4, 2);
        put16(f + 8, 1);
        f[11] = 6;
        l = 20;
        break;
    case DLT_NULL:
        f[0] = family == 4 ? 2 : 30, f[1] = f[2] = f[3] = 0; /* little-endian host */
        l = 4;
        break;
    default: /* raw */
        break;
    }
    ip = l;
    if (family == 4) {
        memset(f + ip, 0, 20);
        f[ip] = 0x45;
        put16(f + ip + 2, (unsigned)(20 + 8 + n));
        f[ip + 8] = 64;
        f[ip + 9] = 17;
        memcpy(f + ip + 12, src, 4);
        memcpy(f + ip + 16, dst, 4);
        l += 20;
    } else {
        memset(f + ip, 0, 48);
        f[ip] = 0x60;
        put16(f + ip + 4, (unsigned)(8 + 8 + n));
        f[ip + 6] = 0; /* hop-by-hop, then UDP */
        f[ip + 7] = 64;
        memcpy(f + ip + 8, src, 16);
        memcpy(f + ip + 24, dst, 16);
        f[ip + 40] = 17;
        f[ip + 41] = 0;
        f[ip + 42] = 1; /* PadN */
        f[ip + 43] = 4;
        l += 48;
    }
    put16(f + l, sport);
    put16(f + l + 2, dport);
    put16(f + l + 4, (unsigned)(8 + n));
    put16(f + l + 6, 0);
    memcpy(f + l + 8, pl, n);
    return l + 8 + n;
}

static void ng_block(FILE *f, uint32_t type, const uint8_t *body, size_t n)
{
    uint8_t h[8], pad[4] = {0};
    uint32_t total = (uint32_t)(12 + ((n + 3) & ~3u));

    memcpy(h, &type, 4);
    memcpy(h + 4, &total, 4);
    fwrite(h, 1, 8, f);
    fwrite(body, 1, n, f);
    fwrite(pad, 1, ((n + 3) & ~3u) - n, f);
    fwrite(&total, 4, 1, f);
}

static void emit(struct out *o, int64_t t_ns, const uint8_t *f, size_t n)
{
    if (o->ng != NULL) { /* Enhanced Packet Block, microsecond resolution (the default) */
        uint8_t b[2048];
        uint64_t us = (uint64_t)(t_ns / 1000);
        uint32_t w[5] = {0, (uint32_t)(us >> 32), (uint32_t)us, (uint32_t)n, (uint32_t)n};

        memcpy(b, w, 20);
        memcpy(b + 20, f, n);
        ng_block(o->ng, 6, b, 20 + n);
        return;
    }
    {
        struct pcap_pkthdr h;

        h.ts.tv_sec = (time_t)(t_ns / 1000000000);
        h.ts.tv_usec = (suseconds_t)(t_ns % 1000000000 / 1000);
        h.caplen = h.len = (bpf_u_int32)n;
        pcap_dump((u_char *)o->d, &h, f);
    }
}

static int open_out(struct out *o, const char *dir, const char *name, int dlt)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    memset(o, 0, sizeof(*o));
    o->dlt = dlt;
    if (strstr(name, ".pcapng") != NULL) {
        uint8_t shb[16] = {0}, idb[8] = {0};
        uint32_t magic = 0x1A2B3C4D;
        uint16_t v1 = 1, link = DLT_EN10MB;
        uint32_t snap = 65535;
        int64_t len = -1;

        o->ng = fopen(path, "wb");
        if (o->ng == NULL)
            return -1;
        memcpy(shb, &magic, 4);
        memcpy(shb + 4, &v1, 2);
        memcpy(shb + 8, &len, 8);
        ng_block(o->ng, 0x0A0D0D0A, shb, 16);
        memcpy(idb, &link, 2);
        memcpy(idb + 4, &snap, 4);
        ng_block(o->ng, 1, idb, 8);
        return 0;
    }
    o->dead = pcap_open_dead(dlt == 1000 ? DLT_EN10MB : dlt, 65535);
    o->d = pcap_dump_open(o->dead, path);
    return o->d ? 0 : -1;
}

static void close_out(struct out *o)
{
    if (o->ng)
        fclose(o->ng);
    if (o->d)
        pcap_dump_close(o->d);
    if (o->dead)
        pcap_close(o->dead);
}

/* one RTP packet of a v4 or v6 stream from A to B */
static void send_rtp(struct out *o, int family, int64_t t, int marker, unsigned pt, uint16_t seq,
                     uint32_t ts, uint32_t ssrc, size_t payload, unsigned sport, unsigned dport)
{
    uint8_t pl[1500], f[1600];
    size_t n = rtp(pl, marker, pt, seq, ts, ssrc, payload);

    emit(o, t, f,
         frame(f, o->dlt, family, family == 4 ? A4 : A6, family == 4 ? B4 : B6, sport, dport, pl,
               n));
}

static int64_t t0(void)
{
    return BASE_S * 1000000000LL + 250 * MS;
}

/* 10 s of 20 ms PCMU: 30 % lost from 14:03:04 to 14:03:06, and every 100th packet. */
static void loss(const char *dir)
{
    struct out o;

    open_out(&o, dir, "loss.pcap", DLT_EN10MB);
    for (int i = 0; i < 500; i++) {
        int64_t t = t0() + i * 20 * MS;
        int64_t sec = (t / 1000000000) - BASE_S;

        if ((sec == 4 || sec == 5) && i % 10 < 3)
            continue;
        if (i % 100 == 50)
            continue;
        send_rtp(&o, 4, t, i == 0, 0, (uint16_t)(1000 + i), 160u * i, 0x11223344, 160, 40000, 5004);
    }
    close_out(&o);
}

/*
 * 4 s of 20 ms PCMU, no loss, whose capturing clock jumps: packet 100 is
 * stamped 1970-01-01 (a clock not yet set), and from packet 150 on the clock
 * is 2 hours ahead (set by hand). Three jumps: back at 100, forward at 101
 * and at 150; nothing is measured across them, the start stays in 2024.
 */
static void clockjump(const char *dir)
{
    struct out o;

    open_out(&o, dir, "clockjump.pcap", DLT_EN10MB);
    for (int i = 0; i < 200; i++) {
        int64_t t = t0() + i * 20 * MS;

        if (i == 99)
            t = 5 * MS;
        else if (i >= 149)
            t += 7200 * 1000 * MS;
        send_rtp(&o, 4, t, i == 0, 0, (uint16_t)(3000 + i), 160u * i, 0x0c10c100, 160, 40010, 5020);
    }
    close_out(&o);
}

/*
 * 3 s of 20 ms PCMU whose first 25 packets are stamped in 1970 (the clock
 * not yet set) before the clock is set to the real time: the report starts
 * on the clock it was set to, 2024, and the stream is whole.
 */
static void clockset(const char *dir)
{
    struct out o;

    open_out(&o, dir, "clockset.pcap", DLT_EN10MB);
    for (int i = 0; i < 150; i++) {
        int64_t t = i < 25 ? 42000 * MS + i * 20 * MS : t0() + i * 20 * MS;

        send_rtp(&o, 4, t, i == 0, 0, (uint16_t)(7000 + i), 160u * i, 0x0c10c5e7, 160, 40012, 5022);
    }
    close_out(&o);
}

/* VLAN-tagged: duplicates and reordering, no loss. */
static void dupreorder(const char *dir)
{
    struct out o;

    open_out(&o, dir, "dupreorder.pcap", 1000);
    for (int i = 0; i < 250; i++) {
        int k = i;
        int64_t t = t0() + i * 20 * MS;

        if (i % 50 == 10)
            k = i + 1; /* swap with the next */
        else if (i % 50 == 11)
            k = i - 1;
        send_rtp(&o, 4, t, 0, 8, (uint16_t)(7 + k), 160u * k, 0xCAFE0001, 160, 40002, 5006);
        if (i % 40 == 20)
            send_rtp(&o, 4, t + MS, 0, 8, (uint16_t)(7 + k), 160u * k, 0xCAFE0001, 160, 40002,
                     5006);
    }
    close_out(&o);
}

/*
 * The network reorders a stream's very first packets (as a jitter buffer in
 * the path may): arrival 2, 0, 3, 1, then 0 again (a duplicate), then in
 * order. Every packet counts, the held ones included: 101 packets, none lost.
 */
static void reorderstart(const char *dir)
{
    static const int first[5] = {2, 0, 3, 1, 0};
    struct out o;

    open_out(&o, dir, "reorderstart.pcap", 1000);
    for (int i = 0; i < 101; i++) {
        int k = i < 5 ? first[i] : i - 1;

        send_rtp(&o, 4, t0() + i * 20 * MS, 0, 0, (uint16_t)(300 + k), 160u * k, 0xFEEDBEEF, 160,
                 40010, 5014);
    }
    close_out(&o);
}

/* Linux SLL: arrival alternately 8 ms early and late; a 600 ms freeze at 14:03:03. */
static void jitter(const char *dir)
{
    struct out o;
    int64_t shift = 0;

    open_out(&o, dir, "jitter.pcap", DLT_LINUX_SLL);
    for (int i = 0; i < 300; i++) {
        int64_t t = t0() + i * 20 * MS + (i % 2 ? 8 : -8) * MS + shift;

        if (i == 150)
            shift = 600 * MS, t += shift;
        send_rtp(&o, 4, t, 0, 0, (uint16_t)(500 + i), 160u * i, 0x0BADF00D, 160, 40004, 5008);
    }
    close_out(&o);
}

/* raw IP: the sequence number wraps; three packets lost across the wrap. */
static void wrap(const char *dir)
{
    struct out o;

    open_out(&o, dir, "wrap.pcap", DLT_RAW);
    for (int i = 0; i < 200; i++) {
        uint16_t seq = (uint16_t)(65436 + i);

        if (seq == 65535 || seq == 0 || seq == 1)
            continue;
        send_rtp(&o, 4, t0() + i * 20 * MS, 0, 9, seq, 0xFFFFF000u + 320u * i, 0x5EED5EED, 160,
                 40006, 5010);
    }
    close_out(&o);
}

static size_t rtcp_sr(uint8_t *p, uint32_t ssrc, uint64_t ntp, uint32_t ts, uint32_t about,
                      uint8_t fraction, uint32_t jitter)
{
    p[0] = 0x81;
    p[1] = 200;
    put16(p + 2, 12);
    put32(p + 4, ssrc);
    put32(p + 8, (uint32_t)(ntp >> 32));
    put32(p + 12, (uint32_t)ntp);
    put32(p + 16, ts);
    put32(p + 20, 100);
    put32(p + 24, 10000);
    put32(p + 28, about);
    put32(p + 32, (uint32_t)fraction << 24 | 3);
    put32(p + 36, 1000);
    put32(p + 40, jitter);
    put32(p + 44, 0);
    put32(p + 48, 0);
    return 52;
}

/*
 * SLL2, IPv6 with a hop-by-hop header: audio (Opus, PT 111) and video (PT 96,
 * 90 kHz learned from RTCP sender reports) sent; the far end's video RTP
 * and receiver view arrive multiplexed on the same ports (RFC 5761).
 */
static void multi(const char *dir)
{
    struct out o;
    uint8_t pl[1500], f[1600];
    int vseq = 0;

    open_out(&o, dir, "multi.pcap", DLT_LINUX_SLL2);
    for (int i = 0; i < 400; i++) { /* 8 s */
        int64_t t = t0() + i * 20 * MS;

        send_rtp(&o, 6, t, 0, 111, (uint16_t)(100 + i), 960u * i, 0xA0D10001, 80, 50000, 50002);
        if (i % 2 == 0) { /* video: 25 fps, 2 packets a frame */
            for (int k = 0; k < 2; k++, vseq++)
                if (!(i >= 200 && i < 210))
                    send_rtp(&o, 6, t + k * MS, k == 1, 96, (uint16_t)(9000 + vseq),
                             3600u * (unsigned)(i / 2), 0x71DE0001, 1000, 50000, 50002);
        }
        if (i % 100 == 0) { /* RTCP SR every 2 s, muxed */
            uint64_t ntp = (uint64_t)(3914316180ULL + (uint64_t)i / 50) << 32;
            size_t n = rtcp_sr(pl, 0x71DE0001, ntp, 3600u * (unsigned)(i / 2), 0xFA000001,
                               (uint8_t)(i == 200 ? 64 : 0), 450);

            emit(&o, t + 2 * MS, f, frame(f, o.dlt, 6, A6, B6, 50000, 50002, pl, n));
        }
        if (i % 2 == 1) { /* the far end's video, received */
            size_t n =
                rtp(pl, 0, 96, (uint16_t)(20 + i / 2), 3600u * (unsigned)(i / 2), 0xFA000001, 900);

            emit(&o, t + 30 * MS, f, frame(f, o.dlt, 6, B6, A6, 50002, 50000, pl, n));
        }
    }
    close_out(&o);
}

/* BSD loopback: a STUN Binding request, then RTP inside ChannelData and Data indications. */
static void turn(const char *dir)
{
    struct out o;
    uint8_t pl[1500], f[1600], in[1500];
    static const uint8_t bind[20] = {0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42, 1,  2,
                                     3, 4, 5, 6, 7,    8,    9,    10,   11, 12};

    open_out(&o, dir, "turn.pcap", DLT_NULL);
    emit(&o, t0() - 50 * MS, f, frame(f, o.dlt, 4, A4, T4, 40010, 3478, bind, sizeof(bind)));
    for (int i = 0; i < 250; i++) {
        int64_t t = t0() + i * 20 * MS;
        size_t n = rtp(in, 0, 0, (uint16_t)(300 + i), 160u * i, 0xC0FFEE01, 160);

        /* client to TURN server: ChannelData 0x4001, padded to 4 */
        put16(pl, 0x4001);
        put16(pl + 2, (unsigned)n);
        memcpy(pl + 4, in, n);
        if (i != 100)
            emit(&o, t, f, frame(f, o.dlt, 4, A4, T4, 40010, 3478, pl, 4 + ((n + 3) & ~3u)));
        /* TURN server to client: Data indication from peer 198.18.0.2:5004 */
        n = rtp(in, 0, 8, (uint16_t)(700 + i), 160u * i, 0xC0FFEE02, 160);
        memset(pl, 0, 48);
        put16(pl, 0x0017);
        put16(pl + 2, (unsigned)(12 + 4 + ((n + 3) & ~3u)));
        put32(pl + 4, 0x2112A442);
        memset(pl + 8, 0x33, 12);
        put16(pl + 20, 0x0012);
        put16(pl + 22, 8);
        pl[25] = 1;
        put16(pl + 26, 5004 ^ 0x2112);
        pl[28] = 198 ^ 0x21, pl[29] = 18 ^ 0x12, pl[30] = 0 ^ 0xA4, pl[31] = 2 ^ 0x42;
        put16(pl + 32, 0x0013);
        put16(pl + 34, (unsigned)n);
        memcpy(pl + 36, in, n);
        memset(pl + 36 + n, 0, 3);
        emit(&o, t + 5 * MS, f, frame(f, o.dlt, 4, T4, A4, 3478, 40010, pl, 36 + ((n + 3) & ~3u)));
    }
    close_out(&o);
}

/* pcapng: one PCMU stream with steady 5 % loss. */
static void ng(const char *dir)
{
    struct out o;

    open_out(&o, dir, "steady.pcapng", DLT_EN10MB);
    for (int i = 0; i < 200; i++)
        if (i % 20 != 7)
            send_rtp(&o, 4, t0() + i * 20 * MS, 0, 0, (uint16_t)(40 + i), 160u * i, 0x00000042, 160,
                     40020, 5020);
    close_out(&o);
}

/* TCP port 443 only, with retransmissions: no RTP at all. */
static void tcp(const char *dir)
{
    struct out o;
    uint8_t f[1600];

    open_out(&o, dir, "tcp.pcap", DLT_EN10MB);
    for (int i = 0; i < 40; i++) {
        uint32_t seq = 1000 + 1000u * (uint32_t)(i % 7 == 3 ? i - 1 : i);
        size_t l = 14;

        memset(f, 0x02, 12);
        put16(f + 12, 0x0800);
        memset(f + l, 0, 40);
        f[l] = 0x45;
        put16(f + l + 2, 40 + 1000);
        f[l + 8] = 64;
        f[l + 9] = 6;
        memcpy(f + l + 12, A4, 4);
        memcpy(f + l + 16, B4, 4);
        put16(f + l + 20, 41000);
        put16(f + l + 22, 443);
        put32(f + l + 24, seq);
        f[l + 32] = 0x50;
        f[l + 33] = 0x18;
        memset(f + l + 40, 0x17, 1000);
        emit(&o, t0() + i * 10 * MS, f, l + 40 + 1000);
    }
    close_out(&o);
}

/* An SR with one report block (RFC 3550 6.4.1) whose LSR and DLSR are given. */
static size_t rtcp_sr_block(uint8_t *p, uint32_t ssrc, uint64_t ntp, uint32_t ts, uint32_t about,
                            uint32_t lsr, uint32_t dlsr)
{
    size_t n = rtcp_sr(p, ssrc, ntp, ts, about, 0, 0);

    put32(p + 44, lsr);
    put32(p + 48, dlsr);
    return n;
}

/*
 * 10 s of PCMU both ways, captured at A, and RTCP on the next port up: A
 * sends a sender report each second (with a block on B's stream from the
 * second on); B's report on A's stream comes back 375 ms after A's, naming
 * it (LSR) and holding it 250 ms (DLSR 16384/65536 s): 62.5 ms each way, a
 * round trip of exactly 125 ms. A answers B's sender report in its next one,
 * 625 ms later (DLSR 40960): the leg from A's side is 0. Both streams: 125 ms.
 */
static void rtcprtt(const char *dir)
{
    struct out o;
    uint8_t pl[1500], f[1600];
    uint32_t lsr_b = 0;

    open_out(&o, dir, "rtcprtt.pcap", DLT_EN10MB);
    for (int i = 0; i < 500; i++) {
        int64_t t = t0() + i * 20 * MS;
        size_t n;

        send_rtp(&o, 4, t, i == 0, 0, (uint16_t)(300 + i), 160u * i, 0xA11CE001, 160, 5004, 5004);
        n = rtp(pl, i == 0, 0, (uint16_t)(7000 + i), 9000u + 160u * i, 0xB0B0B002, 160);
        emit(&o, t + 5 * MS, f, frame(f, o.dlt, 4, B4, A4, 5004, 5004, pl, n));
        if (i % 50 == 25) { /* A's sender report, then B's answer 375 ms later */
            uint64_t ntp_a = (uint64_t)(3914316180ULL + (uint64_t)i / 50) << 32 | 0x80000000u;
            uint64_t ntp_b = (uint64_t)(3914316190ULL + (uint64_t)i / 50) << 32 | 0x40000000u;

            n = rtcp_sr_block(pl, 0xA11CE001, ntp_a, 160u * i, 0xB0B0B002, lsr_b,
                              lsr_b ? 40960 : 0);
            emit(&o, t + 10 * MS, f, frame(f, o.dlt, 4, A4, B4, 5005, 5005, pl, n));
            n = rtcp_sr_block(pl, 0xB0B0B002, ntp_b, 9000u + 160u * i, 0xA11CE001,
                              (uint32_t)(ntp_a >> 16), 16384);
            emit(&o, t + 10 * MS + 375 * MS, f, frame(f, o.dlt, 4, B4, A4, 5005, 5005, pl, n));
            lsr_b = (uint32_t)(ntp_b >> 16);
        }
    }
    close_out(&o);
}

/*
 * 4 s of Opus from ffmpeg (PT 111, 48 kHz, 20 ms): every packet carries the
 * marker bit. At 2 s the network holds the packets for 120 ms and lets them
 * through together: a gap of 140 ms between packets 99 and 100.
 */
static void allmarker(const char *dir)
{
    struct out o;

    open_out(&o, dir, "allmarker.pcap", DLT_EN10MB);
    for (int i = 0; i < 200; i++) {
        int64_t t = t0() + i * 20 * MS;

        if (i >= 100 && i < 106)
            t = t0() + 2120 * MS + (i - 100) * MS / 10;
        send_rtp(&o, 4, t, 1, 111, (uint16_t)(40 + i), 960u * i, 0x0FF5E7A1, 80, 6000, 6002);
    }
    close_out(&o);
}

/*
 * 6 s of PCMU whose sender stops in silence without marking the restart:
 * after packet 100 it sends nothing for 600 ms, its timestamp advancing by
 * the silence (a raw gap of 620 ms, explained); at packet 200 the network
 * holds five packets 150 ms and lets them through together (a gap of 170
 * ms where the timestamps explain 20: a dropout of 150 ms).
 */
static void silence(const char *dir)
{
    struct out o;

    open_out(&o, dir, "silence.pcap", DLT_EN10MB);
    for (int i = 0; i < 300; i++) {
        int64_t t = t0() + i * 20 * MS + (i >= 100 ? 600 * MS : 0);
        uint32_t ts = 160u * (unsigned)i + (i >= 100 ? 4800u : 0);

        if (i >= 200 && i < 205)
            t = t0() + 200 * 20 * MS + 600 * MS + 150 * MS + (i - 200) * MS / 10;
        send_rtp(&o, 4, t, i == 0, 0, (uint16_t)(500 + i), ts, 0x5113CE00, 160, 40020, 5030);
    }
    close_out(&o);
}

/* An RTP packet whose payload is padding alone (RFC 3550 5.1: the last octet counts it). */
static void send_padding(struct out *o, int64_t t, unsigned pt, uint16_t seq, uint32_t ts,
                         uint32_t ssrc, size_t pad, unsigned sport, unsigned dport)
{
    uint8_t pl[1500], f[1600];
    size_t n = rtp(pl, 0, pt, seq, ts, ssrc, pad);

    pl[0] |= 0x20;
    pl[n - 1] = (uint8_t)pad;
    emit(o, t, f, frame(f, o->dlt, 4, A4, B4, sport, dport, pl, n));
}

/*
 * Streams on both sides of the least a verdict needs (100 packets over
 * 1000 ms): 100 packets over 1980 ms and 99 over 1960 ms; 101 packets over
 * exactly 1000 ms and 200 over 995 ms. Bandwidth probes: 30 packets of
 * padding alone on SSRC 0 with timestamp 0. A media stream of 150 packets
 * with 5 padding packets among them (counted apart, the stream judged).
 * Streams of 3 and of 2 packets (listed, too short to judge) and a single
 * RTP-looking packet (not a stream).
 */
static void judge(const char *dir)
{
    struct out o;

    open_out(&o, dir, "judge.pcap", DLT_EN10MB);
    for (int h = 0; h < 6400; h++) { /* in half milliseconds, so that the frames stay in order */
        int64_t t = t0() + h * MS / 2;
        int i;

        if (h % 40 == 0 && (i = h / 40) < 100)
            send_rtp(&o, 4, t, i == 0, 0, (uint16_t)(100 + i), 160u * i, 0x10000100, 160, 40100,
                     5100);
        if (h % 40 == 2 && (i = h / 40) < 99)
            send_rtp(&o, 4, t, i == 0, 0, (uint16_t)(200 + i), 160u * i, 0x10000099, 160, 40102,
                     5102);
        if (h % 20 == 4 && (i = h / 20) < 101)
            send_rtp(&o, 4, t, i == 0, 8, (uint16_t)(300 + i), 80u * i, 0x10000101, 80, 40104,
                     5104);
        if (h % 10 == 3 && (i = h / 10) < 200)
            send_rtp(&o, 4, t, i == 0, 8, (uint16_t)(400 + i), 40u * i, 0x10000200, 40, 40106,
                     5106);
        if (h % 2 == 0 && h >= 8 && (i = (h - 8) / 2) < 30)
            send_padding(&o, t, 99, (uint16_t)(600 + i), 0, 0, 240, 40108, 5108);
        if (h % 40 == 6 && (i = h / 40) < 150) /* its number: one more after each padding */
            send_rtp(&o, 4, t, i == 0, 0, (uint16_t)(900 + i + (i + 19) / 30), 160u * i, 0x10000150,
                     160, 40110, 5110);
        if (h % 40 == 16 && (i = h / 40) < 150 && i % 30 == 10)
            send_padding(&o, t, 0, (uint16_t)(900 + i + (i + 19) / 30 + 1), 160u * i, 0x10000150,
                         200, 40110, 5110);
        if (h % 40 == 18 && (i = h / 40) < 3) /* the end of a call: 3 packets, listed */
            send_rtp(&o, 4, t, i == 0, 0, (uint16_t)(700 + i), 160u * i, 0x10000003, 160, 40112,
                     5112);
        if (h % 40 == 22 && (i = h / 40) < 2) /* 2 packets */
            send_rtp(&o, 4, t, i == 0, 8, (uint16_t)(800 + i), 160u * i, 0x10000002, 160, 40114,
                     5114);
        if (h == 24) /* 1 packet: not a stream */
            send_rtp(&o, 4, t, 1, 0, 1000, 0, 0x10000001, 160, 40116, 5116);
    }
    close_out(&o);
}

/*
 * 8 s of PCMU with RFC 4733 telephone events inside its SSRC: at 2 s a key
 * press, five event packets (PT 101, every 50 ms, the timestamp of the
 * event's start) between the audio's. At 5 s the sender restarts its
 * timestamps at 0 with the same SSRC and numbers going on: a new segment.
 */
static void segments(const char *dir)
{
    struct out o;
    uint16_t seq = 7000;
    uint8_t pl[1500], f[1600];

    open_out(&o, dir, "segments.pcap", DLT_EN10MB);
    for (int i = 0; i < 400; i++) {
        int64_t t = t0() + i * 20 * MS;
        uint32_t ts = i < 250 ? 48000u + 160u * (unsigned)i : 160u * (unsigned)(i - 250);

        send_rtp(&o, 4, t, i == 0, 0, seq++, ts, 0xD7F00001, 160, 40030, 5040);
        if (i >= 100 && i < 125 && (i - 100) % 5 == 2) { /* 10 ms after an audio packet */
            size_t n = rtp(pl, i == 102, 101, seq++, 48000u + 160u * 100u, 0xD7F00001, 4);

            pl[12] = 5; /* event: the key 5; end bit, volume, duration as a sender writes them */
            pl[13] = (uint8_t)(i == 122 ? 0x8A : 0x0A);
            pl[14] = 0;
            pl[15] = (uint8_t)(160 * ((i - 100) / 5 + 1) / 4);
            emit(&o, t + 10 * MS, f, frame(f, o.dlt, 4, A4, B4, 40030, 5040, pl, n));
        }
    }
    close_out(&o);
}

/*
 * 5 s of a dynamic payload type (PT 100, 20 ms) whose timestamps step by
 * 137 a packet (6850 Hz, no rate of the list): no rate is known, so its
 * jitter is not checked and the verdict is partial.
 */
static void noclock(const char *dir)
{
    struct out o;

    open_out(&o, dir, "noclock.pcap", DLT_EN10MB);
    for (int i = 0; i < 250; i++)
        send_rtp(&o, 4, t0() + i * 20 * MS, i == 0, 100, (uint16_t)(7000 + i), 137u * i, 0x0c0c0c0c,
                 120, 40000, 5004);
    close_out(&o);
}

/* Ethernet + IPv4 + TCP (no options) around a payload. */
static size_t tcp_frame(uint8_t *f, const uint8_t *src, const uint8_t *dst, unsigned sport,
                        unsigned dport, uint32_t seq, unsigned flags, const void *pl, size_t n)
{
    const size_t l = 14;

    memset(f, 0x02, 12);
    put16(f + 12, 0x0800);
    memset(f + l, 0, 40);
    f[l] = 0x45;
    put16(f + l + 2, (unsigned)(40 + n));
    f[l + 8] = 64;
    f[l + 9] = 6;
    memcpy(f + l + 12, src, 4);
    memcpy(f + l + 16, dst, 4);
    put16(f + l + 20, sport);
    put16(f + l + 22, dport);
    put32(f + l + 24, seq);
    f[l + 32] = 0x50;
    f[l + 33] = (uint8_t)flags;
    put16(f + l + 34, 65535); /* window */
    memcpy(f + l + 40, pl, n);
    return l + 40 + n;
}

/* The bytes of s from offset a to b as one TCP segment of the flow, sequence number isn + a. */
static void tcp_part(struct out *o, int64_t t, const uint8_t *src, const uint8_t *dst,
                     unsigned sport, unsigned dport, uint32_t isn, const char *s, size_t a,
                     size_t b)
{
    uint8_t f[1600];

    emit(o, t, f, tcp_frame(f, src, dst, sport, dport, isn + (uint32_t)a, 0x18, s + a, b - a));
}

/*
 * A call signalled by SIP over TCP whose SDP the segments cut: the INVITE
 * (198.18.0.1 to .2, port 5060) in three segments, the SDP split between
 * the first and second and the second and third (the second sent twice,
 * the second time together with the third's first bytes); the answer's
 * segments carry a 100 Trying and the 200 OK's first half, then its rest.
 * Both SDPs use the dynamic payload type 96 for Opus (m=audio) and for VP8
 * (m=video), told apart by the ports of their m= lines. The media: 1.9 s
 * of 10 ms packets, too short for a clock rate fitted to the timestamps,
 * so the rates and kinds come only from the SDP. With sdp=0 the same
 * media without the signalling (sipsplit-nosdp.pcap).
 */
static void sipsplit_one(const char *dir, const char *name, int sdp)
{
    static const char invite[] = "INVITE sip:therapist@example.org SIP/2.0\r\n"
                                 "Via: SIP/2.0/TCP 198.18.0.1:5060;branch=z9hG4bK7\r\n"
                                 "Call-ID: split@198.18.0.1\r\n"
                                 "CSeq: 1 INVITE\r\n"
                                 "Content-Type: application/sdp\r\n"
                                 "Content-Length: 206\r\n"
                                 "\r\n"
                                 "v=0\r\n"
                                 "o=- 1 1 IN IP4 198.18.0.1\r\n"
                                 "s=-\r\n"
                                 "c=IN IP4 198.18.0.1\r\n"
                                 "t=0 0\r\n"
                                 "m=audio 40000 RTP/AVP 96 101\r\n"
                                 "a=rtpmap:96 opus/48000/2\r\n"
                                 "a=rtpmap:101 telephone-event/8000\r\n"
                                 "m=video 40002 RTP/AVPF 96\r\n"
                                 "a=rtpmap:96 VP8/90000\r\n";
    static const char answer[] = "SIP/2.0 100 Trying\r\n"
                                 "Via: SIP/2.0/TCP 198.18.0.1:5060;branch=z9hG4bK7\r\n"
                                 "Call-ID: split@198.18.0.1\r\n"
                                 "CSeq: 1 INVITE\r\n"
                                 "Content-Length: 0\r\n"
                                 "\r\n"
                                 "SIP/2.0 200 OK\r\n"
                                 "Via: SIP/2.0/TCP 198.18.0.1:5060;branch=z9hG4bK7\r\n"
                                 "Call-ID: split@198.18.0.1\r\n"
                                 "CSeq: 1 INVITE\r\n"
                                 "Content-Type: application/sdp\r\n"
                                 "l: 167\r\n"
                                 "\r\n"
                                 "v=0\r\n"
                                 "o=- 2 2 IN IP4 198.18.0.2\r\n"
                                 "s=-\r\n"
                                 "c=IN IP4 198.18.0.2\r\n"
                                 "t=0 0\r\n"
                                 "m=audio 50000 RTP/AVP 96\r\n"
                                 "a=rtpmap:96 opus/48000/2\r\n"
                                 "m=video 50002 RTP/AVPF 96\r\n"
                                 "a=rtpmap:96 VP8/90000\r\n";
    const size_t ni = sizeof(invite) - 1, na = sizeof(answer) - 1;
    const size_t i1 = (size_t)(strstr(invite, "c=IN") - invite) + 5; /* in the c= line */
    const size_t i2 = (size_t)(strstr(invite, "a=rtpmap:96 opus") - invite) + 14;
    const size_t a1 = (size_t)(strstr(answer, "m=audio") - answer) - 3; /* before m=audio */
    const uint32_t isn_a = 0xFFFFFF00u, isn_b = 77000; /* A's numbers wrap inside the INVITE */
    struct out o;
    uint8_t f[1600];
    int64_t t = t0() - 300 * MS;

    open_out(&o, dir, name, DLT_EN10MB);
    if (sdp) {
        emit(&o, t, f, tcp_frame(f, A4, B4, 5060, 5060, isn_a - 1, 0x02, "", 0));
        emit(&o, t + MS, f, tcp_frame(f, B4, A4, 5060, 5060, isn_b - 1, 0x12, "", 0));
        tcp_part(&o, t + 2 * MS, A4, B4, 5060, 5060, isn_a, invite, 0, i1);
        tcp_part(&o, t + 3 * MS, A4, B4, 5060, 5060, isn_a, invite, i1, i2);
        tcp_part(&o, t + 40 * MS, A4, B4, 5060, 5060, isn_a, invite, i1, ni); /* resent, more */
        tcp_part(&o, t + 60 * MS, B4, A4, 5060, 5060, isn_b, answer, 0, a1);
        tcp_part(&o, t + 61 * MS, B4, A4, 5060, 5060, isn_b, answer, a1, na);
    }
    for (int i = 0; i < 190; i++) {
        int64_t at = t0() + i * 10 * MS;

        send_rtp(&o, 4, at, i == 0, 96, (uint16_t)(100 + i), 480u * i, 0x5A000001, 60, 40000,
                 50000);
        send_rtp(&o, 4, at + 2 * MS, i == 0, 96, (uint16_t)(900 + i), 900u * i, 0x5A000002, 900,
                 40002, 50002);
    }
    close_out(&o);
}

static void sipsplit(const char *dir)
{
    sipsplit_one(dir, "sipsplit.pcap", 1);
    sipsplit_one(dir, "sipsplit-nosdp.pcap", 0);
}

/*
 * Both legs of a relayed stream, captured at the relay: 10 s of PCMU from
 * the far end (198.18.0.2:5004) to the relay's address for it
 * (198.18.0.3:49152), plain RTP, and the relay forwarding each packet 1 ms
 * later to the client (198.18.0.1:40010) as ChannelData 0x4001 from port
 * 3478. lose1: every packet i with i % 25 == 7 is lost before the relay
 * (neither leg has it); lose2: every i % 25 == 13 is lost after it (only
 * the first leg has it). 20 of 500 each: 4 %.
 */
static void relayed(const char *dir, const char *name, int lose1, int lose2)
{
    struct out o;
    uint8_t pl[1500], f[1600], in[1500];
    static const uint8_t bind[20] = {0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42, 9,  8,
                                     7, 6, 5, 4, 3,    2,    1,    0,    11, 12};

    open_out(&o, dir, name, DLT_EN10MB);
    emit(&o, t0() - 50 * MS, f, frame(f, o.dlt, 4, A4, T4, 40010, 3478, bind, sizeof(bind)));
    for (int i = 0; i < 500; i++) {
        int64_t t = t0() + i * 20 * MS;
        size_t n = rtp(in, i == 0, 0, (uint16_t)(5000 + i), 160u * i, 0x7E1A0001, 160);

        if (lose1 && i % 25 == 7)
            continue;
        emit(&o, t, f, frame(f, o.dlt, 4, B4, T4, 5004, 49152, in, n));
        if (lose2 && i % 25 == 13)
            continue;
        put16(pl, 0x4001);
        put16(pl + 2, (unsigned)n);
        memcpy(pl + 4, in, n);
        emit(&o, t + MS, f, frame(f, o.dlt, 4, T4, A4, 3478, 40010, pl, 4 + n));
    }
    close_out(&o);
}

static void relay_legs(const char *dir)
{
    relayed(dir, "relay-far.pcap", 1, 0);
    relayed(dir, "relay-last.pcap", 0, 1);
    relayed(dir, "relay-both.pcap", 1, 1);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";

    loss(dir);
    dupreorder(dir);
    reorderstart(dir);
    jitter(dir);
    wrap(dir);
    multi(dir);
    turn(dir);
    ng(dir);
    tcp(dir);
    clockjump(dir);
    clockset(dir);
    rtcprtt(dir);
    allmarker(dir);
    silence(dir);
    judge(dir);
    segments(dir);
    noclock(dir);
    sipsplit(dir);
    relay_legs(dir);
    return 0;
}
