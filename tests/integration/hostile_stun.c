/*
 * hostile_stun.c - test fixture: a STUN server that buries each genuine answer
 * in garbage, to check that a client keeps only what it should (RFC 8489).
 *
 * For every well-formed Binding Request (RFC 8489 section 5: 20-byte header,
 * top two bits zero, magic cookie 0x2112A442, length a multiple of 4 that
 * matches the datagram) received on --listen, it sends back, in this order:
 *
 *   before the genuine answer (every malformed one below carries the right
 *   transaction ID but the wrong mapped address --wrong-addr, so a client
 *   that accepts one of them reports a wrong public address)
 *     garbage         7 random bytes, too short for a header
 *     truncated       an answer cut inside its header (12 bytes) and one cut
 *                     inside the XOR-MAPPED-ADDRESS value
 *     bad_cookie      an answer with the magic cookie changed
 *     attr_overrun    an answer whose XOR-MAPPED-ADDRESS length runs past the
 *                     end of the message (header length matches the datagram)
 *     len_mismatch    an answer whose header length says 4 more bytes than
 *                     the datagram holds
 *     unknown_tid     FLOOD/2 Binding Success Responses with random
 *                     transaction IDs (wrong mapped address)
 *     wrong_source    from a second socket (another port): the right
 *                     transaction ID but a wrong mapped address (--wrong-addr)
 *   genuine           Binding Success Response: SOFTWARE (5 bytes, padded)
 *                     then XOR-MAPPED-ADDRESS of the request's source
 *   after it
 *     duplicate       the genuine answer again
 *     request_echo    the request sent back (request class, same ID)
 *     unknown_tid     FLOOD - FLOOD/2 more random-ID responses (mapped to the
 *                     request's true source)
 *
 * Other modes (--mode) answer each request with one datagram instead:
 *   rfc3489           an RFC 3489-era server (section 11.2): a Binding
 *                     Response that echoes all 16 bytes of the transaction ID
 *                     (cookie included) and carries MAPPED-ADDRESS of the
 *                     request's source, SOURCE-ADDRESS and CHANGED-ADDRESS
 *                     (comprehension-required, unknown to RFC 8489), and no
 *                     FINGERPRINT; counted as "genuine"
 *   garbage           7 random bytes, nothing else; counted as "garbage"
 *   copies            the genuine answer, then --copies N more copies of it
 *                     (default 50), as a looping network or a broken middlebox
 *                     delivers them; counted as "genuine" and "duplicate"
 *
 * --rate-limit N: a server that throttles: of the requests arriving in each
 * second (on the monotonic clock, from the first request), those after the
 * Nth are dropped without an answer and counted as "dropped".
 *
 * It also records, as a request recorder: how many requests carried a
 * SOFTWARE attribute (RFC 8489 14.14) and the text of the last one, and the
 * most requests that arrived within any one second ("max_per_s").
 *
 * Counts every kind it sent and prints them (JSON) at exit: SIGTERM, SIGINT
 * or --duration-s. The counts go to --report FILE if given, else to stdout.
 * One thread; everything is on the stack or static.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
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
#include "precall/clock.h"
#include "precall/netaddr.h"
#include "precall/stun.h"

#define BINDING_REQUEST  0x0001
#define BINDING_SUCCESS  0x0101
#define ATTR_MAPPED      0x0001
#define ATTR_SOURCE_ADDR 0x0004 /* RFC 3489 11.2.2 */
#define ATTR_CHANGED     0x0005 /* RFC 3489 11.2.3 */
#define ATTR_XOR_MAPPED  0x0020
#define ATTR_SOFTWARE    0x8022
#define MAX_MSG          1500

enum kind {
    K_GARBAGE,
    K_TRUNCATED,
    K_BAD_COOKIE,
    K_ATTR_OVERRUN,
    K_LEN_MISMATCH,
    K_UNKNOWN_TID,
    K_WRONG_SOURCE,
    K_GENUINE,
    K_DUPLICATE,
    K_REQUEST_ECHO,
    K_COUNT
};

static const char *const kind_names[K_COUNT] = {
    "garbage",     "truncated",    "bad_cookie", "attr_overrun", "len_mismatch",
    "unknown_tid", "wrong_source", "genuine",    "duplicate",    "request_echo",
};

static uint64_t sent[K_COUNT];
static int enabled[K_COUNT]; /* --kinds: which kinds to send (all by default) */
static uint64_t send_errors, requests, ignored_in, dropped, with_software;
static char software[128]; /* the last SOFTWARE text seen, printable ASCII only */
#define MAX_TIMES (1u << 18)
static int64_t req_ns[MAX_TIMES]; /* arrival of each request (the first MAX_TIMES) */
static volatile sig_atomic_t stop;
static uint64_t rng_state = 0x243F6A8885A308D3ull;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(rng_next() >> 56);
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void die(const char *what)
{
    fprintf(stderr, "hostile_stun: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* Header: type, length, cookie, transaction ID (RFC 8489 section 5). */
static void put_header(unsigned char *m, unsigned type, unsigned len, uint32_t cookie,
                       const unsigned char *tid)
{
    put16(m, type);
    put16(m + 2, len);
    put32(m + 4, cookie);
    memcpy(m + 8, tid, 12);
}

/* XOR-MAPPED-ADDRESS value (RFC 8489 section 14.2) for addr; returns the
 * value length (8 or 20) written at v. */
static size_t xor_mapped_value(unsigned char *v, const struct sockaddr_storage *addr,
                               const unsigned char *tid)
{
    unsigned char key[16];
    put32(key, PC_STUN_MAGIC);
    memcpy(key + 4, tid, 12);
    v[0] = 0;
    if (addr->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)addr;
        v[1] = 0x02;
        put16(v + 2, ntohs(a->sin6_port) ^ (PC_STUN_MAGIC >> 16));
        for (int i = 0; i < 16; i++)
            v[4 + i] = a->sin6_addr.s6_addr[i] ^ key[i];
        return 20;
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)addr;
        const unsigned char *b = (const unsigned char *)&a->sin_addr.s_addr;
        v[1] = 0x01;
        put16(v + 2, ntohs(a->sin_port) ^ (PC_STUN_MAGIC >> 16));
        for (int i = 0; i < 4; i++)
            v[4 + i] = b[i] ^ key[i];
        return 8;
    }
}

/* A complete Binding Success Response: SOFTWARE "hstun" (5 bytes + 3 of
 * padding) then XOR-MAPPED-ADDRESS. Returns its length. */
static size_t build_success(unsigned char *m, const unsigned char *tid,
                            const struct sockaddr_storage *mapped)
{
    size_t off = PC_STUN_HEADER_BYTES, vl;
    put16(m + off, ATTR_SOFTWARE);
    put16(m + off + 2, 5);
    memcpy(m + off + 4, "hstun\0\0\0", 8);
    off += 12;
    vl = xor_mapped_value(m + off + 4, mapped, tid);
    put16(m + off, ATTR_XOR_MAPPED);
    put16(m + off + 2, (unsigned)vl);
    off += 4 + vl;
    put_header(m, BINDING_SUCCESS, (unsigned)(off - PC_STUN_HEADER_BYTES), PC_STUN_MAGIC, tid);
    return off;
}

/* An RFC 3489 address attribute (11.2.1) of type at m: 12 bytes for IPv4,
 * 24 for IPv6 (RFC 3489 had IPv6 in its format only); port overrides the
 * address's own when not 0. Returns the bytes written. */
static size_t plain_address(unsigned char *m, unsigned type, const struct sockaddr_storage *a,
                            unsigned port)
{
    m[4] = 0;
    if (a->ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)a;
        put16(m, type);
        put16(m + 2, 20);
        m[5] = 0x02;
        put16(m + 6, port ? port : ntohs(v6->sin6_port));
        memcpy(m + 8, &v6->sin6_addr, 16);
        return 24;
    }
    put16(m, type);
    put16(m + 2, 8);
    m[5] = 0x01;
    put16(m + 6, port ? port : ntohs(((const struct sockaddr_in *)a)->sin_port));
    memcpy(m + 8, &((const struct sockaddr_in *)a)->sin_addr, 4);
    return 12;
}

/* The answer of an RFC 3489 server to req (section 11): the 16 bytes after
 * the type and length echoed, MAPPED-ADDRESS, SOURCE-ADDRESS and
 * CHANGED-ADDRESS (here and port + 1), no FINGERPRINT. */
static size_t build_rfc3489(unsigned char *m, const unsigned char *req,
                            const struct sockaddr_storage *from,
                            const struct sockaddr_storage *here)
{
    size_t off = PC_STUN_HEADER_BYTES;
    unsigned port = here->ss_family == AF_INET6
                        ? ntohs(((const struct sockaddr_in6 *)here)->sin6_port)
                        : ntohs(((const struct sockaddr_in *)here)->sin_port);

    off += plain_address(m + off, ATTR_MAPPED, from, 0);
    off += plain_address(m + off, ATTR_SOURCE_ADDR, here, 0);
    off += plain_address(m + off, ATTR_CHANGED, here, (port + 1) & 0xFFFF);
    put16(m, BINDING_SUCCESS);
    put16(m + 2, (unsigned)(off - PC_STUN_HEADER_BYTES));
    memcpy(m + 4, req + 4, 16);
    return off;
}

static void send_kind(int fd, enum kind k, const void *buf, size_t len,
                      const struct sockaddr_storage *to, socklen_t to_len)
{
    if (!enabled[k])
        return;
    if (sendto(fd, buf, len, 0, (const struct sockaddr *)to, to_len) < 0)
        send_errors++;
    else
        sent[k]++;
}

/* The header checks of RFC 8489 section 5 (the core's), and the type. */
static int valid_binding_request(const unsigned char *m, size_t n)
{
    return pc_stun_looks_like(m, n) && ((unsigned)m[0] << 8 | m[1]) == BINDING_REQUEST;
}

static void answer(int fd, int wrong_fd, const unsigned char *req, size_t req_len,
                   const struct sockaddr_storage *from, socklen_t from_len,
                   const struct sockaddr_storage *wrong_mapped, int flood)
{
    const unsigned char *tid = req + 8;
    unsigned char good[MAX_MSG], bad[MAX_MSG], m[MAX_MSG], rtid[12];
    size_t glen = build_success(good, tid, from), n;
    /* Every malformed message carries the right transaction ID but the
     * wrong mapped address: a client that accepts any of them reports the
     * wrong public address, which the test sees. */
    size_t blen = build_success(bad, tid, wrong_mapped);
    int i;

    /* garbage: too short to be STUN at all */
    rng_fill(m, 7);
    send_kind(fd, K_GARBAGE, m, 7, from, from_len);

    /* truncated inside the header, and inside the XOR-MAPPED-ADDRESS value */
    send_kind(fd, K_TRUNCATED, bad, 12, from, from_len);
    send_kind(fd, K_TRUNCATED, bad, blen - 3, from, from_len);

    /* wrong magic cookie */
    memcpy(m, bad, blen);
    put32(m + 4, PC_STUN_MAGIC ^ 0x00010000u);
    send_kind(fd, K_BAD_COOKIE, m, blen, from, from_len);

    /* attribute length running past the end; header length is consistent */
    memcpy(m, bad, blen);
    put16(m + 32 + 2, 40);
    send_kind(fd, K_ATTR_OVERRUN, m, blen, from, from_len);

    /* header length larger than the datagram */
    memcpy(m, bad, blen);
    put16(m + 2, (unsigned)(blen - PC_STUN_HEADER_BYTES + 4));
    send_kind(fd, K_LEN_MISMATCH, m, blen, from, from_len);

    /* responses to transactions nobody started, mapped to a wrong address */
    for (i = 0; i < flood / 2; i++) {
        rng_fill(rtid, sizeof(rtid));
        n = build_success(m, rtid, wrong_mapped);
        send_kind(fd, K_UNKNOWN_TID, m, n, from, from_len);
    }

    /* the right transaction ID, a wrong address, from the wrong port */
    send_kind(wrong_fd, K_WRONG_SOURCE, bad, blen, from, from_len);

    /* the one genuine answer, then its duplicate */
    send_kind(fd, K_GENUINE, good, glen, from, from_len);
    send_kind(fd, K_DUPLICATE, good, glen, from, from_len);

    /* the request itself, reflected */
    send_kind(fd, K_REQUEST_ECHO, req, req_len, from, from_len);

    /* more unknown transactions, these mapped to the true address */
    for (; i < flood; i++) {
        rng_fill(rtid, sizeof(rtid));
        n = build_success(m, rtid, from);
        send_kind(fd, K_UNKNOWN_TID, m, n, from, from_len);
    }
}

/*
 * The SOFTWARE attribute of a request of n bytes (RFC 8489 14.14), parsed
 * here on its own (not with precall's codec, which it checks): copied into
 * software[] with anything but printable ASCII as '?'. Returns 1 if found.
 */
static int find_software(const unsigned char *m, size_t n)
{
    size_t off = PC_STUN_HEADER_BYTES;

    while (off + 4 <= n) {
        unsigned type = (unsigned)m[off] << 8 | m[off + 1];
        size_t len = (size_t)m[off + 2] << 8 | m[off + 3];

        if (off + 4 + len > n)
            return 0;
        if (type == ATTR_SOFTWARE) {
            size_t k = 0;

            for (; k < len && k + 1 < sizeof(software); k++) {
                unsigned char c = m[off + 4 + k];
                software[k] = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? (char)c : '?';
            }
            software[k] = '\0';
            return 1;
        }
        off += 4 + (len + 3) / 4 * 4;
    }
    return 0;
}

/* The most requests that arrived within any window of one second. */
static uint64_t max_per_second(void)
{
    uint64_t n = requests < MAX_TIMES ? requests : MAX_TIMES, best = 0;

    for (uint64_t i = 0, lo = 0; i < n; i++) {
        while (req_ns[i] - req_ns[lo] >= PC_NS_PER_S)
            lo++;
        if (i - lo + 1 > best)
            best = i - lo + 1;
    }
    return best;
}

static void write_counts(FILE *f, const char *listen, unsigned wrong_port)
{
    uint64_t total = 0;
    fprintf(f, "{\n  \"fixture\": \"hostile_stun\",\n  \"listen\": \"%s\",\n", listen);
    fprintf(f, "  \"wrong_source_port\": %u,\n", wrong_port);
    fprintf(f, "  \"requests\": %" PRIu64 ",\n  \"ignored_in\": %" PRIu64 ",\n", requests,
            ignored_in);
    fprintf(f, "  \"dropped\": %" PRIu64 ",\n  \"with_software\": %" PRIu64 ",\n", dropped,
            with_software);
    fprintf(f, "  \"software\": \"%s\",\n  \"max_per_s\": %" PRIu64 ",\n", software,
            max_per_second());
    fprintf(f, "  \"send_errors\": %" PRIu64 ",\n  \"sent\": {\n", send_errors);
    for (int k = 0; k < K_COUNT; k++) {
        total += sent[k];
        fprintf(f, "    \"%s\": %" PRIu64 ",\n", kind_names[k], sent[k]);
    }
    fprintf(f, "    \"total\": %" PRIu64 "\n  }\n}\n", total);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: hostile_stun --listen ADDR:PORT [--wrong-port PORT] [--flood N]\n"
               "                    [--wrong-addr ADDR:PORT] [--duration-s T]\n"
               "                    [--report FILE] [--ready FILE] [--kinds LIST]\n"
               "                    [--mode hostile|rfc3489|garbage|copies] [--copies N]\n"
               "                    [--rate-limit N]\n"
               "Answers each STUN Binding Request with garbage around one genuine\n"
               "answer; --wrong-port is the second socket's port (default: any),\n"
               "--wrong-addr the address it claims (default 192.0.2.66:4242),\n"
               "--flood the random-ID responses per request (default 20), --kinds a\n"
               "comma-separated subset of what to send (default: all kinds; for\n"
               "narrowing down a client's failure). --mode rfc3489 answers as an\n"
               "RFC 3489 server would, --mode garbage with 7 random bytes only,\n"
               "--mode copies with the genuine answer and --copies N copies of it.\n"
               "--rate-limit N drops the requests after the Nth of each second.\n");
}

static void parse_kinds(const char *list)
{
    const char *p = list;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        int k;
        for (k = 0; k < K_COUNT; k++)
            if (strlen(kind_names[k]) == n && strncmp(p, kind_names[k], n) == 0)
                break;
        if (k == K_COUNT) {
            fprintf(stderr, "hostile_stun: --kinds: unknown kind '%.*s'\n", (int)n, p);
            exit(64);
        }
        enabled[k] = 1;
        p += n;
        if (*p == ',')
            p++;
    }
}

static long parse_long(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "hostile_stun: %s: '%s' not in [%ld, %ld]\n", opt, s, lo, hi);
        exit(64);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *listen = NULL, *report = NULL, *ready = NULL, *wrong = "192.0.2.66:4242";
    long wrong_port = 0, flood = 20, duration_s = 0, copies = 50, rate_limit = 0;
    int64_t window_ns = 0;
    long in_window = 0;
    struct sockaddr_storage laddr, waddr, wrong_mapped;
    socklen_t llen;
    int fd, wfd;
    struct sigaction sa;
    time_t end = 0;
    unsigned actual_wrong_port;
    const char *kinds = NULL, *mode = "hostile";

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (v == NULL) {
            usage(stderr);
            return 64;
        }
        i++;
        if (strcmp(a, "--listen") == 0)
            listen = v;
        else if (strcmp(a, "--report") == 0)
            report = v;
        else if (strcmp(a, "--ready") == 0)
            ready = v;
        else if (strcmp(a, "--wrong-addr") == 0)
            wrong = v;
        else if (strcmp(a, "--wrong-port") == 0)
            wrong_port = parse_long(a, v, 0, 65535);
        else if (strcmp(a, "--flood") == 0)
            flood = parse_long(a, v, 0, 1000);
        else if (strcmp(a, "--duration-s") == 0)
            duration_s = parse_long(a, v, 0, 86400);
        else if (strcmp(a, "--kinds") == 0)
            kinds = v;
        else if (strcmp(a, "--mode") == 0)
            mode = v;
        else if (strcmp(a, "--copies") == 0)
            copies = parse_long(a, v, 0, 1000);
        else if (strcmp(a, "--rate-limit") == 0)
            rate_limit = parse_long(a, v, 1, 1000000);
        else {
            usage(stderr);
            return 64;
        }
    }
    if (listen == NULL || (strcmp(mode, "hostile") != 0 && strcmp(mode, "rfc3489") != 0 &&
                           strcmp(mode, "garbage") != 0 && strcmp(mode, "copies") != 0)) {
        usage(stderr);
        return 64;
    }
    for (int k = 0; k < K_COUNT; k++)
        enabled[k] = kinds == NULL;
    if (kinds != NULL)
        parse_kinds(kinds);
    llen = fixture_parse_addr("hostile_stun", listen, &laddr);
    fixture_parse_addr("hostile_stun", wrong, &wrong_mapped);

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    fd = socket(laddr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    if (bind(fd, (struct sockaddr *)&laddr, llen) < 0)
        die("bind --listen");
    wfd = socket(laddr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (wfd < 0)
        die("socket");
    waddr = laddr;
    if (waddr.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&waddr)->sin6_port = htons((uint16_t)wrong_port);
    else
        ((struct sockaddr_in *)&waddr)->sin_port = htons((uint16_t)wrong_port);
    if (bind(wfd, (struct sockaddr *)&waddr, llen) < 0)
        die("bind wrong-source socket");
    {
        socklen_t wl = sizeof(waddr);
        getsockname(wfd, (struct sockaddr *)&waddr, &wl);
        actual_wrong_port = waddr.ss_family == AF_INET6
                                ? ntohs(((struct sockaddr_in6 *)&waddr)->sin6_port)
                                : ntohs(((struct sockaddr_in *)&waddr)->sin_port);
    }
    {
        int buf = 4 << 20;
        (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
    }
    if (ready != NULL) {
        FILE *f = fopen(ready, "w");
        if (f == NULL)
            die("--ready");
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
    rng_state ^= (uint64_t)getpid() << 17;
    if (duration_s > 0)
        end = time(NULL) + duration_s;
    fprintf(stderr, "hostile_stun: listening on %s, wrong source port %u, flood %ld\n", listen,
            actual_wrong_port, flood);

    while (!stop) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        unsigned char buf[MAX_MSG];
        struct sockaddr_storage from;
        socklen_t from_len = sizeof(from);
        ssize_t n;
        int r;

        if (end != 0 && time(NULL) >= end)
            break;
        r = poll(&p, 1, 200);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            die("poll");
        }
        if (r == 0)
            continue;
        n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == ECONNREFUSED)
                continue;
            die("recvfrom");
        }
        if (!valid_binding_request(buf, (size_t)n)) {
            ignored_in++;
            continue;
        }
        if (requests < MAX_TIMES)
            req_ns[requests] = pc_clock_now_ns();
        requests++;
        with_software += (uint64_t)find_software(buf, (size_t)n);
        if (rate_limit > 0) {
            int64_t now = pc_clock_now_ns();

            if (window_ns == 0 || now - window_ns >= PC_NS_PER_S) {
                window_ns = window_ns == 0
                                ? now
                                : window_ns + (now - window_ns) / PC_NS_PER_S * PC_NS_PER_S;
                in_window = 0;
            }
            if (++in_window > rate_limit) {
                dropped++;
                continue;
            }
        }
        if (strcmp(mode, "rfc3489") == 0) {
            unsigned char m[MAX_MSG];
            size_t len = build_rfc3489(m, buf, &from, &laddr);

            send_kind(fd, K_GENUINE, m, len, &from, from_len);
        } else if (strcmp(mode, "garbage") == 0) {
            unsigned char m[7];

            rng_fill(m, sizeof(m));
            send_kind(fd, K_GARBAGE, m, sizeof(m), &from, from_len);
        } else if (strcmp(mode, "copies") == 0) {
            unsigned char m[MAX_MSG];
            size_t len = build_success(m, buf + 8, &from);

            send_kind(fd, K_GENUINE, m, len, &from, from_len);
            for (long c = 0; c < copies; c++)
                send_kind(fd, K_DUPLICATE, m, len, &from, from_len);
        } else {
            answer(fd, wfd, buf, (size_t)n, &from, from_len, &wrong_mapped, (int)flood);
        }
    }

    if (report != NULL) {
        FILE *f = fopen(report, "w");
        if (f == NULL)
            die("--report");
        write_counts(f, listen, actual_wrong_port);
        fclose(f);
    } else {
        write_counts(stdout, listen, actual_wrong_port);
    }
    fprintf(stderr, "hostile_stun: %" PRIu64 " requests answered, %" PRIu64 " ignored\n", requests,
            ignored_in);
    return 0;
}
