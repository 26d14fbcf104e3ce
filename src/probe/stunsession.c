/* stunsession.c - paced STUN requests matched to answers (see stunsession.h). */
#define _GNU_SOURCE /* getrandom */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "precall/buf.h"
#include "precall/clock.h"
#include "precall/netaddr.h"
#include "probe/stunsession.h"

/* Datagrams or reports one socket may deliver to one service() call, so that
 * a flood cannot hold up the caller's event loop. */
#define SERVICE_READS_MAX 64
/* Longest single poll() in pump(); a far deadline is reached in several. */
#define PUMP_POLL_MAX_MS 1000

static const char *const ignore_names[PC_IGNORE__COUNT] = {
    "malformed",      "no_cookie",  "bad_fingerprint", "not_response",
    "error_response", "unknown_id", "wrong_source",
};

const char *pc_stun_session_ignore_name(enum pc_ignore why)
{
    return (unsigned)why < PC_IGNORE__COUNT ? ignore_names[why] : "?";
}

int pc_stun_session_init(struct pc_stun_session *s, int64_t timeout_ns, struct pc_err *err)
{
    memset(s, 0, sizeof(*s));
    s->timeout_ns = timeout_ns;
    s->highest_answered = -1;
    for (size_t i = 0; i < 2; i++)
        s->socks[i].fd = -1;
    if (getrandom(s->prefix, sizeof(s->prefix), 0) != (ssize_t)sizeof(s->prefix)) {
        /* No entropy source: fall back to the clock; IDs stay unique by sequence. */
        int64_t t = pc_clock_now_ns() ^ (int64_t)time(NULL);

        memcpy(s->prefix, &t, sizeof(s->prefix));
    }
    (void)err;
    return 0;
}

void pc_stun_session_free(struct pc_stun_session *s)
{
    for (size_t i = 0; i < s->n_socks; i++)
        pc_stunsock_close(&s->socks[i]);
    free(s->reqs);
    s->reqs = NULL;
    s->n_reqs = s->cap_reqs = 0;
}

int pc_stun_session_add_server(struct pc_stun_session *s, const struct sockaddr *addr,
                               socklen_t len, struct pc_err *err)
{
    struct pc_stun_server *srv;
    size_t k;
    int rc;

    if (s->n_servers >= PC_SESSION_SERVERS_MAX)
        return pc_err_set(err, PC_EINVAL, "too many STUN servers");
    if (len > sizeof(srv->addr))
        return pc_err_set(err, PC_EINVAL, "STUN server address too long");
    for (k = 0; k < s->n_socks; k++)
        if (s->socks[k].family == addr->sa_family)
            break;
    if (k == s->n_socks) {
        rc = pc_stunsock_open(&s->socks[k], addr->sa_family, err);
        if (rc < 0)
            return rc;
        s->n_socks++;
    }
    srv = &s->servers[s->n_servers];
    memset(srv, 0, sizeof(*srv));
    memcpy(&srv->addr, addr, len);
    srv->len = len;
    srv->sock = (int)k;
    return (int)s->n_servers++;
}

static void make_txid(const struct pc_stun_session *s, size_t seq, struct pc_stun_txid *tx)
{
    uint32_t v = (uint32_t)seq;

    memcpy(tx->b, s->prefix, 8);
    tx->b[8] = (uint8_t)(v >> 24);
    tx->b[9] = (uint8_t)(v >> 16);
    tx->b[10] = (uint8_t)(v >> 8);
    tx->b[11] = (uint8_t)v;
}

int pc_stun_session_send(struct pc_stun_session *s, size_t server, enum pc_req_kind kind)
{
    struct pc_stun_server *srv;
    struct pc_stun_req *r;
    struct pc_stun_txid tx;
    int64_t sent = 0;
    int e = 0, rc;

    if (server >= s->n_servers)
        return PC_EINVAL;
    srv = &s->servers[server];
    if (pc_grow((void **)&s->reqs, &s->cap_reqs, s->n_reqs + 1, sizeof(*s->reqs)) < 0)
        return PC_ENOMEM;
    make_txid(s, s->n_reqs, &tx);
    rc = pc_stunsock_send(&s->socks[srv->sock], (const struct sockaddr *)&srv->addr, srv->len, &tx,
                          &sent, &e);
    r = &s->reqs[s->n_reqs++];
    memset(r, 0, sizeof(*r));
    r->sent_ns = sent;
    r->rtt_ns = -1;
    r->server = (uint8_t)server;
    r->kind = (uint8_t)kind;
    srv->sent++;
    if (rc < 0) {
        /* Never sent, so never answered: it counts as sent and lost. */
        r->send_failed = 1;
        srv->send_failed++;
        srv->send_errno = e;
        return PC_EIO;
    }
    return 0;
}

static long find_request(const struct pc_stun_session *s, const struct pc_stun_txid *tx)
{
    uint32_t seq;

    if (memcmp(tx->b, s->prefix, 8) != 0)
        return -1;
    seq =
        (uint32_t)tx->b[8] << 24 | (uint32_t)tx->b[9] << 16 | (uint32_t)tx->b[10] << 8 | tx->b[11];
    return seq < s->n_reqs ? (long)seq : -1;
}

/* The server whose address (and port) from is, or -1. */
static long server_at(const struct pc_stun_session *s, const struct sockaddr *from)
{
    for (size_t i = 0; i < s->n_servers; i++)
        if (pc_netaddr_equal(from, (const struct sockaddr *)&s->servers[i].addr))
            return (long)i;
    return -1;
}

/* A datagram not taken as an answer: count it, and against the server it came from. */
static int ignore(struct pc_stun_session *s, long from_server, enum pc_ignore why, const char *what,
                  const char *detail)
{
    s->ignored++;
    s->ignored_by[why]++;
    if (from_server >= 0) {
        struct pc_stun_server *srv = &s->servers[from_server];

        srv->unusable++;
        pc_strfmt(srv->unusable_reason, sizeof(srv->unusable_reason), "%s%s%s", what,
                  detail[0] ? ": " : "", detail);
    }
    return 0;
}

int pc_stun_session_accept(struct pc_stun_session *s, const uint8_t *buf, size_t len,
                           const struct sockaddr *from, int64_t rx_ns)
{
    struct pc_stun_msg msg;
    struct pc_stun_server *srv;
    struct pc_stun_req *r;
    struct pc_err err = {0};
    long idx, at = server_at(s, from);
    char detail[PC_SESSION_REASON_MAX];

    if (pc_stun_decode(buf, len, &msg, &err) < 0) {
        if (msg.fault == PC_STUN_FAULT_FINGERPRINT)
            return ignore(s, at, PC_IGNORE_FINGERPRINT, "bad FINGERPRINT", err.msg);
        if (msg.fault == PC_STUN_FAULT_COOKIE)
            return ignore(s, at, PC_IGNORE_COOKIE, "not an answer to our request", err.msg);
        return ignore(s, at, PC_IGNORE_MALFORMED, "not a STUN message", err.msg);
    }
    if (msg.method != PC_STUN_METHOD_BINDING ||
        (msg.cls != PC_STUN_SUCCESS && msg.cls != PC_STUN_ERROR)) {
        snprintf(detail, sizeof(detail), "method 0x%03x, class %d", (unsigned)msg.method,
                 (int)msg.cls);
        return ignore(s, at, PC_IGNORE_NOT_RESPONSE, "not a Binding response", detail);
    }
    if ((idx = find_request(s, &msg.txid)) < 0)
        return ignore(s, at, PC_IGNORE_UNKNOWN_ID, "an unknown transaction ID", "");
    r = &s->reqs[idx];
    srv = &s->servers[r->server];
    if (!pc_netaddr_equal(from, (const struct sockaddr *)&srv->addr))
        return ignore(s, at, PC_IGNORE_WRONG_SOURCE, "an answer to a request sent elsewhere", "");
    if (msg.cls == PC_STUN_ERROR) {
        snprintf(detail, sizeof(detail), "%d %s", msg.has_error_code ? msg.error_code : 0,
                 msg.error_reason);
        return ignore(s, at, PC_IGNORE_ERROR, "a Binding error response", detail);
    }
    /*
     * The right ID from the right address: the request was answered, even
     * if some attributes are unknown (RFC 3489's SOURCE-ADDRESS,
     * CHANGED-ADDRESS; RFC 8489 7.3.3 would discard the response) or cannot
     * be decoded. Only a usable mapped address is kept.
     */
    if (r->answers++ > 0)
        return 0; /* a duplicate: counted, its timing ignored */
    r->rtt_ns = rx_ns - r->sent_ns;
    r->late = r->rtt_ns > s->timeout_ns;
    srv->answered++;
    if (!srv->has_mapped && msg.has_mapped) {
        srv->has_mapped = 1;
        srv->mapped = msg.mapped;
    }
    if (r->kind == PC_REQ_STREAM) {
        if (idx < s->highest_answered)
            r->reordered = 1;
        else
            s->highest_answered = idx;
    }
    return 1;
}

/* Same host, ports aside. */
static int same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return 0;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    if (a->ss_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                      &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
    return 0;
}

void pc_stun_session_report(struct pc_stun_session *s, const struct pc_stunsock_icmp *icmp)
{
    long at;

    s->icmp_reports++;
    if (!icmp->port_unreachable)
        return;
    /* Our datagram to the server's port came back from the server itself:
       nothing listens there. From a router it would be a firewall's word. */
    at = server_at(s, (const struct sockaddr *)&icmp->dst);
    if (at >= 0 && same_host(&icmp->offender, &s->servers[at].addr))
        s->servers[at].port_unreachable++;
}

/*
 * Read what socket k has waiting, without blocking: at most max datagrams or
 * reports. Adds the number of first answers to *got; -1 when the socket
 * failed, else 0.
 */
static int drain(struct pc_stun_session *s, size_t k, int max, int *got)
{
    uint8_t buf[1500];

    for (int i = 0; i < max; i++) {
        struct sockaddr_storage from;
        struct pc_stunsock_icmp icmp;
        int64_t rx = 0;
        size_t len = 0;
        int e = 0;
        int rc = pc_stunsock_recv(&s->socks[k], INT64_MIN, buf, sizeof(buf), &len, &from, &rx,
                                  &icmp, &e);

        if (rc == PC_STUNSOCK_DATAGRAM)
            *got += pc_stun_session_accept(s, buf, len, (const struct sockaddr *)&from, rx);
        else if (rc == PC_STUNSOCK_REPORT)
            pc_stun_session_report(s, &icmp);
        else if (rc == PC_STUNSOCK_TIMEOUT)
            return 0;
        else {
            s->recv_errors++;
            s->recv_errno = e;
            return -1;
        }
    }
    return 0;
}

int pc_stun_session_pump(struct pc_stun_session *s, int64_t until_ns)
{
    int failed[2] = {0, 0};
    int got = 0;

    for (;;) {
        struct pollfd pfd[2];
        nfds_t n = 0;
        int64_t now, wait_ms;

        for (size_t k = 0; k < s->n_socks; k++)
            if (!failed[k] && drain(s, k, SERVICE_READS_MAX, &got) < 0)
                failed[k] = 1;
        for (size_t k = 0; k < s->n_socks; k++) {
            if (failed[k])
                continue;
            pfd[n].fd = s->socks[k].fd;
            pfd[n].events = POLLIN;
            pfd[n].revents = 0;
            n++;
        }
        now = pc_clock_now_ns();
        if (now >= until_ns)
            return got;
        wait_ms = (until_ns - now + PC_NS_PER_MS - 1) / PC_NS_PER_MS;
        if (n == 0) {
            /* Nothing left to read from: wait out the time, once, and stop. */
            poll(NULL, 0, (int)(wait_ms < PUMP_POLL_MAX_MS ? wait_ms : PUMP_POLL_MAX_MS));
            return got;
        }
        if (poll(pfd, n, (int)(wait_ms < PUMP_POLL_MAX_MS ? wait_ms : PUMP_POLL_MAX_MS)) < 0 &&
            errno != EINTR) {
            s->recv_errors++;
            s->recv_errno = errno;
            return got;
        }
    }
}

size_t pc_stun_session_fds(const struct pc_stun_session *s, int *fds, size_t cap)
{
    size_t n = 0;

    for (size_t k = 0; k < s->n_socks && n < cap; k++)
        fds[n++] = s->socks[k].fd;
    return n;
}

int pc_stun_session_pace(struct pc_stun_session *s, size_t server, enum pc_req_kind kind,
                         int64_t interval_ns)
{
    if (server >= s->n_servers || (unsigned)kind >= PC_REQ__COUNT || interval_ns < 0)
        return PC_EINVAL;
    s->servers[server].pace_ns[kind] = interval_ns;
    s->servers[server].next_ns[kind] = INT64_MIN; /* due at once */
    return 0;
}

int pc_stun_session_service(struct pc_stun_session *s, int64_t now_ns)
{
    int got = 0;

    for (size_t k = 0; k < s->n_socks; k++)
        (void)drain(s, k, SERVICE_READS_MAX, &got);
    for (size_t i = 0; i < s->n_servers; i++) {
        struct pc_stun_server *srv = &s->servers[i];

        for (int kind = 0; kind < PC_REQ__COUNT; kind++) {
            int64_t iv = srv->pace_ns[kind];

            if (iv <= 0 || now_ns < srv->next_ns[kind])
                continue;
            if (pc_stun_session_send(s, i, (enum pc_req_kind)kind) == PC_ENOMEM)
                return PC_ENOMEM;
            /* One request per call at most; after a stall the rhythm
               restarts from now instead of catching up in a burst. */
            if (srv->next_ns[kind] == INT64_MIN || srv->next_ns[kind] + iv <= now_ns)
                srv->next_ns[kind] = now_ns + iv;
            else
                srv->next_ns[kind] += iv;
        }
    }
    return got;
}

int64_t pc_stun_session_next_due(const struct pc_stun_session *s)
{
    int64_t due = INT64_MAX;

    for (size_t i = 0; i < s->n_servers; i++)
        for (int kind = 0; kind < PC_REQ__COUNT; kind++)
            if (s->servers[i].pace_ns[kind] > 0 && s->servers[i].next_ns[kind] < due)
                due = s->servers[i].next_ns[kind];
    return due;
}

int pc_stun_session_all_answered(const struct pc_stun_session *s, size_t server,
                                 enum pc_req_kind kind)
{
    for (size_t i = 0; i < s->n_reqs; i++) {
        const struct pc_stun_req *r = &s->reqs[i];

        if (r->server == server && r->kind == kind && r->answers == 0 && !r->send_failed)
            return 0;
    }
    return 1;
}
