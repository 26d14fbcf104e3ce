/*
 * test_tcpinfo.c - the TCP counters seam on a real loopback connection:
 * 1000 bytes one way, then each end's counts (received on one side,
 * acknowledged on the other, nothing the other way), no retransmission,
 * and an RTT in milliseconds no longer than the whole exchange took. On
 * a system without TCP_INFO: "cannot say", every field unknown.
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/err.h"
#include "probe/tcpinfo.h"

#define BYTES 1000

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * PC_NS_PER_S + ts.tv_nsec;
}

static void unknown(const struct pc_tcpinfo *ti)
{
    CHECK(ti->bytes_received == -1 && ti->bytes_acked == -1 && ti->retransmits == -1);
    CHECK(isnan(ti->rtt_ms));
}

/* Not a TCP socket, or none: "cannot say". */
static void not_tcp(void)
{
    struct pc_tcpinfo ti;
    int u = socket(AF_INET, SOCK_DGRAM, 0);

    CHECK(pc_tcpinfo_read(-1, &ti) == PC_EIO);
    unknown(&ti);
    CHECK(u >= 0 && pc_tcpinfo_read(u, &ti) == PC_EIO);
    unknown(&ti);
    close(u);
}

static void loopback(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t alen = sizeof(a);
    char buf[BYTES];
    struct pc_tcpinfo c0, s0, tc, ts;
    int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), s = -1;
    size_t got = 0;
    int up;
    int64_t t0 = now_ns(), took_ns;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(buf, 'x', sizeof(buf));
    up = l >= 0 && c >= 0 && bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 1) == 0 &&
         getsockname(l, (struct sockaddr *)&a, &alen) == 0 &&
         connect(c, (struct sockaddr *)&a, sizeof(a)) == 0 && (s = accept(l, NULL, NULL)) >= 0;
    CHECK(up); /* a loopback TCP connection */
    if (!up)
        goto out;
#if defined(__linux__)
    /* Before the data: Linux counts the SYN as one byte acknowledged. */
    CHECK(pc_tcpinfo_read(c, &c0) == 0 && pc_tcpinfo_read(s, &s0) == 0);
    CHECK(send(c, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf));
    while (got < BYTES) {
        ssize_t k = recv(s, buf, sizeof(buf), 0);

        if (k <= 0)
            break;
        got += (size_t)k;
    }
    CHECK(got == BYTES);
    /* The acknowledgement may come a moment after the data. */
    for (int i = 0; i < 2000; i++) {
        if (pc_tcpinfo_read(c, &tc) != 0 || tc.bytes_acked - c0.bytes_acked >= BYTES)
            break;
        nanosleep(&(struct timespec){.tv_nsec = PC_NS_PER_MS}, NULL);
    }
    took_ns = now_ns() - t0;
    CHECK(pc_tcpinfo_read(c, &tc) == 0 && pc_tcpinfo_read(s, &ts) == 0);
    CHECK(tc.bytes_acked - c0.bytes_acked == BYTES);
    CHECK(tc.bytes_received - c0.bytes_received == 0);
    CHECK(ts.bytes_received - s0.bytes_received == BYTES);
    CHECK(ts.bytes_acked - s0.bytes_acked == 0);
    CHECK(tc.retransmits == 0 && ts.retransmits == 0);
    /* The smoothed RTT: more than nothing, less than the whole exchange took. */
    CHECK(tc.rtt_ms > 0 && tc.rtt_ms <= pc_ns_to_ms(took_ns));
#else
    (void)c0, (void)s0, (void)ts, (void)got, (void)t0, (void)took_ns;
    CHECK(pc_tcpinfo_read(c, &tc) == PC_EIO);
    unknown(&tc);
#endif
out:
    if (s >= 0)
        close(s);
    close(c);
    close(l);
}

int main(void)
{
    not_tcp();
    loopback();
    return check_done();
}
