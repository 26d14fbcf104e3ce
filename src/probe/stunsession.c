/* stunsession.c - paced STUN requests matched to answers (see stunsession.h). */
#define _GNU_SOURCE /* getrandom */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "precall/clock.h"
#include "precall/netaddr.h"
#include "probe/stunsession.h"

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
    struct pc_stun_server *srv = &s->servers[server];
    struct pc_stun_req *r;
    struct pc_stun_txid tx;
    int64_t sent;
    int e = 0;

    if (s->n_reqs == s->cap_reqs) {
        size_t cap = s->cap_reqs ? s->cap_reqs * 2 : 512;
        struct pc_stun_req *n = realloc(s->reqs, cap * sizeof(*n));

        if (n == NULL)
            return PC_ENOMEM;
        s->reqs = n;
        s->cap_reqs = cap;
    }
    make_txid(s, s->n_reqs, &tx);
    if (pc_stunsock_send(&s->socks[srv->sock], (const struct sockaddr *)&srv->addr, srv->len, &tx,
                         &sent, &e) < 0) {
        srv->send_errno = e;
        return PC_EIO;
    }
    r = &s->reqs[s->n_reqs++];
    memset(r, 0, sizeof(*r));
    r->sent_ns = sent;
    r->rtt_ns = -1;
    r->server = (uint8_t)server;
    r->kind = (uint8_t)kind;
    srv->sent++;
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

void pc_stun_session_accept(struct pc_stun_session *s, const uint8_t *buf, size_t len,
                            const struct sockaddr *from, int64_t rx_ns)
{
    struct pc_stun_msg msg;
    struct pc_stun_server *srv;
    struct pc_stun_req *r;
    long idx;

    /* RFC 8489 7.3.3: a success response with an unknown comprehension-required
       attribute is discarded, as is anything that is not an answer to us. */
    if (pc_stun_decode(buf, len, &msg, NULL) < 0 || msg.cls != PC_STUN_SUCCESS ||
        msg.method != PC_STUN_METHOD_BINDING || msg.unknown_required > 0 ||
        (idx = find_request(s, &msg.txid)) < 0) {
        s->ignored++;
        return;
    }
    r = &s->reqs[idx];
    srv = &s->servers[r->server];
    if (!pc_netaddr_equal(from, (const struct sockaddr *)&srv->addr)) {
        s->ignored++;
        return;
    }
    if (r->answers++ > 0)
        return; /* a duplicate: counted, its timing ignored */
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
}

int pc_stun_session_pump(struct pc_stun_session *s, int64_t until_ns)
{
    uint8_t buf[1500];
    int got = 0;

    for (;;) {
        int any = 0;

        for (size_t k = 0; k < s->n_socks; k++) {
            struct sockaddr_storage from;
            int64_t rx;
            size_t len;
            /* With two sockets, wait on the last one only; poll the others. */
            int64_t wait = k + 1 == s->n_socks ? until_ns : 0;
            int rc = pc_stunsock_recv(&s->socks[k], wait, buf, sizeof(buf), &len, &from, &rx);
            unsigned long before;

            if (rc <= 0)
                continue;
            any = 1;
            before = s->ignored;
            pc_stun_session_accept(s, buf, len, (const struct sockaddr *)&from, rx);
            got += s->ignored == before;
        }
        if (!any && pc_clock_now_ns() >= until_ns)
            return got;
    }
}

int pc_stun_session_all_answered(const struct pc_stun_session *s, size_t server,
                                 enum pc_req_kind kind)
{
    for (size_t i = 0; i < s->n_reqs; i++)
        if (s->reqs[i].server == server && s->reqs[i].kind == kind && s->reqs[i].answers == 0)
            return 0;
    return 1;
}
