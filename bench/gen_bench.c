/*
 * gen_bench.c - large synthetic captures for bench/analyze_speed.sh.
 *
 *   gen_bench FILE PACKETS STREAMS SECONDS
 *
 * Writes a pcap (Ethernet, IPv4, UDP) of PACKETS RTP packets (PCMU-sized:
 * 12-byte header, 160 bytes of payload) spread evenly over STREAMS streams
 * (distinct ports and SSRCs, PT 0 at 8 kHz) and SECONDS seconds, interleaved,
 * each packet's arrival time moved by up to +-2 ms and every 97th packet of
 * a stream missing, so the analysis does its whole work (loss, jitter,
 * timeline). The file is written with stdio in the pcap format of
 * pcap-savefile(5); nothing is read.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAYLOAD 160
#define HDRS    (14 + 20 + 8 + 12)

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

static int parse(const char *s, unsigned long long lo, unsigned long long hi,
                 unsigned long long *out)
{
    char *end;

    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno == 0 && *end == '\0' && end != s && *out >= lo && *out <= hi ? 0 : -1;
}

/* RFC 791 header checksum */
static void ip_checksum(uint8_t *ip)
{
    uint32_t sum = 0;

    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    put16(ip + 10, ~sum & 0xFFFF);
}

int main(int argc, char **argv)
{
    unsigned long long packets, streams, seconds;
    uint8_t rec[16 + HDRS + PAYLOAD];
    uint8_t *f = rec + 16, *ip = f + 14, *udp = ip + 20, *rtp = udp + 8;
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    FILE *out;

    if (argc != 5 || parse(argv[2], 1, 100000000, &packets) < 0 ||
        parse(argv[3], 1, 1000, &streams) < 0 || parse(argv[4], 1, 1000000, &seconds) < 0) {
        fprintf(stderr, "usage: gen_bench FILE PACKETS(1..1e8) STREAMS(1..1000) SECONDS\n");
        return 64;
    }
    out = fopen(argv[1], "wb");
    if (out == NULL) {
        fprintf(stderr, "gen_bench: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    {
        /* host byte order, as pcap-savefile(5) allows; nanosecond magic */
        uint8_t gh[24] = {0};
        uint32_t magic = 0xA1B23C4D, snaplen = 65535, link = 1; /* LINKTYPE_ETHERNET */
        uint16_t major = 2, minor = 4;

        memcpy(gh, &magic, 4);
        memcpy(gh + 4, &major, 2);
        memcpy(gh + 6, &minor, 2);
        memcpy(gh + 16, &snaplen, 4);
        memcpy(gh + 20, &link, 4);
        if (fwrite(gh, 1, sizeof(gh), out) != sizeof(gh))
            return 1;
    }
    memset(rec, 0, sizeof(rec));
    memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
    ip[0] = 0x45;
    put16(ip + 2, 20 + 8 + 12 + PAYLOAD);
    ip[8] = 64;
    ip[9] = 17;
    put32(ip + 12, 0xC6120002); /* 198.18.0.2 -> 198.18.1.2 */
    put32(ip + 16, 0xC6120102);
    put16(udp + 4, 8 + 12 + PAYLOAD);
    rtp[0] = 0x80;
    memset(rtp + 12, 0xFF, PAYLOAD);
    {
        uint32_t hl = HDRS + PAYLOAD;
        const uint64_t per = (packets + streams - 1) / streams;
        const uint64_t step_ns = seconds * 1000000000ull / per;
        const uint64_t t0 = 1700000000ull * 1000000000ull;
        uint64_t written = 0;

        for (uint64_t i = 0; written < packets; i++) {
            for (uint64_t s = 0; s < streams && written < packets; s++) {
                uint64_t t = t0 + i * step_ns + s * (step_ns / streams);
                uint32_t sec, nsec;

                rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
                if (i % 97 == 96)
                    continue; /* lost */
                written++;
                t = t + 2000000 + rng % 4000000 - 2000000;
                sec = (uint32_t)(t / 1000000000ull);
                nsec = (uint32_t)(t % 1000000000ull);
                memcpy(rec, &sec, 4);
                memcpy(rec + 4, &nsec, 4);
                memcpy(rec + 8, &hl, 4);
                memcpy(rec + 12, &hl, 4);
                put16(ip + 4, (unsigned)(i & 0xFFFF));
                put16(ip + 10, 0);
                ip_checksum(ip);
                put16(udp, (unsigned)(40000 + 2 * s));
                put16(udp + 2, (unsigned)(50000 + 2 * s));
                put16(rtp + 2, (unsigned)(i & 0xFFFF));
                put32(rtp + 4, (uint32_t)(i * step_ns * 8 / 1000000)); /* 8 kHz clock */
                put32(rtp + 8, (uint32_t)(0x5EED0000u + s));
                if (fwrite(rec, 1, 16 + hl, out) != 16 + hl) {
                    fprintf(stderr, "gen_bench: %s: write failed\n", argv[1]);
                    return 1;
                }
            }
        }
    }
    if (fclose(out) != 0) {
        fprintf(stderr, "gen_bench: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    return 0;
}
