/*
 * rtcp_peer.c - test fixture: the two ends of an RTP call with RTCP on one
 * port (RFC 5761), for the round trip 'precall analyze' reads from RTCP.
 *
 *   rtcp_peer send --to ADDR:PORT --seconds N
 *       PCMU (PT 0, 8 kHz) every 20 ms with SSRC 0x5E4D0001, and a sender
 *       report (RFC 3550 6.4.1) every 500 ms with the wall clock as its NTP
 *       time. What comes back is read and dropped.
 *   rtcp_peer answer --listen ADDR:PORT --hold-ms H --ready FILE
 *       For each sender report, a receiver report 6.4.2 after H ms, whose
 *       block names it (LSR: the middle 32 bits of its NTP time) and says
 *       how long it was held (DLSR, in 1/65536 s, from CLOCK_MONOTONIC at
 *       receipt and at sending): RFC 3550's own round trip, A - LSR - DLSR,
 *       is then the network's alone. Runs until SIGTERM.
 *
 * Linux-specific (poll on one socket). One process, one thread; owns what
 * it allocates (nothing).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"

#define SENDER_SSRC   0x5E4D0001u
#define ANSWERER_SSRC 0x5E4D0002u
#define NTP_UNIX      2208988800ULL /* seconds from 1900 to 1970 */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static int64_t mono_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static uint64_t ntp_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    return ((uint64_t)t.tv_sec + NTP_UNIX) << 32 | (((uint64_t)t.tv_nsec << 32) / 1000000000u);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int run_send(int fd, int seconds)
{
    uint8_t b[1500];
    int64_t start = mono_ns();
    uint32_t sent = 0, octets = 0;

    for (int i = 0; i < seconds * 50 && !stop; i++) {
        int64_t due = start + (int64_t)i * 20000000;
        struct timespec ts = {.tv_sec = (time_t)(due / 1000000000), .tv_nsec = due % 1000000000};

        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        b[0] = 0x80;
        b[1] = i == 0 ? 0x80 : 0x00; /* PT 0, marker on the first */
        b[2] = (uint8_t)(i >> 8);
        b[3] = (uint8_t)i;
        put32(b + 4, 160u * (uint32_t)i);
        put32(b + 8, SENDER_SSRC);
        memset(b + 12, 0xFF, 160);
        if (send(fd, b, 172, 0) == 172)
            sent++, octets += 160;
        if (i % 25 == 12) { /* SR without report blocks */
            uint64_t ntp = ntp_now();

            b[0] = 0x80;
            b[1] = 200;
            b[2] = 0;
            b[3] = 6;
            put32(b + 4, SENDER_SSRC);
            put32(b + 8, (uint32_t)(ntp >> 32));
            put32(b + 12, (uint32_t)ntp);
            put32(b + 16, 160u * (uint32_t)i);
            put32(b + 20, sent);
            put32(b + 24, octets);
            if (send(fd, b, 28, 0) != 28)
                perror("rtcp_peer: send SR");
        }
        while (recv(fd, b, sizeof(b), MSG_DONTWAIT) > 0)
            ; /* the answers: the capture reads them */
    }
    return 0;
}

struct held {
    int64_t rx_ns;
    uint32_t lsr;
};

static int run_answer(int fd, int hold_ms, const char *ready)
{
    struct held q[64];
    int nq = 0;
    struct sockaddr_storage peer;
    socklen_t plen = 0;
    FILE *f = fopen(ready, "w");

    if (f == NULL || fputs("ready\n", f) < 0 || fclose(f) != 0) {
        perror(ready);
        return 1;
    }
    while (!stop) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int64_t now = mono_ns(), wait_ms = 100;
        uint8_t b[1500];

        if (nq > 0) {
            int64_t due = q[0].rx_ns + (int64_t)hold_ms * 1000000;

            wait_ms = due <= now ? 0 : (due - now) / 1000000 + 1;
        }
        if (poll(&p, 1, (int)wait_ms) > 0) {
            struct sockaddr_storage from;
            socklen_t flen = sizeof(from);
            ssize_t n = recvfrom(fd, b, sizeof(b), 0, (struct sockaddr *)&from, &flen);
            int64_t rx = mono_ns();

            /* an SR from the sender (6.4.1): keep it for its answer */
            if (n >= 28 && (b[0] >> 6) == 2 && b[1] == 200 && nq < 64) {
                q[nq].rx_ns = rx;
                q[nq].lsr = get32(b + 8) << 16 | get32(b + 12) >> 16;
                nq++;
                peer = from;
                plen = flen;
            }
        }
        now = mono_ns();
        while (nq > 0 && now >= q[0].rx_ns + (int64_t)hold_ms * 1000000) {
            uint32_t dlsr = (uint32_t)(((now - q[0].rx_ns) * 65536) / 1000000000);

            b[0] = 0x81; /* V=2, one block */
            b[1] = 201;
            b[2] = 0;
            b[3] = 7;
            put32(b + 4, ANSWERER_SSRC);
            put32(b + 8, SENDER_SSRC);
            memset(b + 12, 0, 12); /* loss, highest sequence, jitter: not the point */
            put32(b + 24, q[0].lsr);
            put32(b + 28, dlsr);
            if (sendto(fd, b, 32, 0, (struct sockaddr *)&peer, plen) != 32)
                perror("rtcp_peer: send RR");
            memmove(q, q + 1, (size_t)(nq - 1) * sizeof(q[0]));
            nq--;
            now = mono_ns();
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *to = NULL, *listen_at = NULL, *ready = NULL;
    int seconds = 6, hold_ms = 50, fd;
    struct sockaddr_storage ss;
    socklen_t len;
    struct sigaction sa = {.sa_handler = on_term};

    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--to") == 0)
            to = argv[i + 1];
        else if (strcmp(argv[i], "--listen") == 0)
            listen_at = argv[i + 1];
        else if (strcmp(argv[i], "--ready") == 0)
            ready = argv[i + 1];
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = (int)strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--hold-ms") == 0)
            hold_ms = (int)strtol(argv[i + 1], NULL, 10);
    }
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    if (argc > 1 && strcmp(argv[1], "send") == 0 && to != NULL && seconds > 0) {
        len = fixture_parse_addr("rtcp_peer", to, &ss);
        fd = socket(ss.ss_family, SOCK_DGRAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) < 0) {
            perror("rtcp_peer: connect");
            return 1;
        }
        return run_send(fd, seconds);
    }
    if (argc > 1 && strcmp(argv[1], "answer") == 0 && listen_at != NULL && ready != NULL &&
        hold_ms >= 0) {
        len = fixture_parse_addr("rtcp_peer", listen_at, &ss);
        fd = socket(ss.ss_family, SOCK_DGRAM, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0) {
            perror("rtcp_peer: bind");
            return 1;
        }
        return run_answer(fd, hold_ms, ready);
    }
    fprintf(stderr, "usage: rtcp_peer send --to ADDR:PORT [--seconds N]\n"
                    "       rtcp_peer answer --listen ADDR:PORT --ready FILE [--hold-ms H]\n");
    return 64;
}
