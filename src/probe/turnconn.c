/*
 * turnconn.c - a connection to a TURN relay over UDP, TCP or TLS (see
 * turnconn.h). Non-blocking sockets and poll(); TLS through OpenSSL with
 * verification always on.
 */
#define _GNU_SOURCE /* SO_TIMESTAMPNS */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "precall/clock.h"
#include "precall/netaddr.h"
#include "probe/turnconn.h"

#define POLL_SLICE_MS 50 /* wake this often to notice a cancel */

static int unreachable(int e)
{
    return e == ECONNREFUSED || e == EHOSTUNREACH || e == ENETUNREACH || e == EPERM ||
           e == EACCES || e == ENETDOWN || e == EHOSTDOWN || e == ECONNRESET;
}

/* Wait for events on fd until until_ns: >0 ready, 0 deadline or cancel. */
static int wait_fd(struct pc_turnconn *c, short events, int64_t until_ns)
{
    for (;;) {
        int64_t left = until_ns - pc_clock_now_ns();
        struct pollfd p = {.fd = c->fd, .events = events};
        int ms, rc;

        if (left <= 0 || (c->cancel && atomic_load(c->cancel)))
            return 0;
        ms = (int)((left + PC_NS_PER_MS - 1) / PC_NS_PER_MS);
        rc = poll(&p, 1, ms < POLL_SLICE_MS ? ms : POLL_SLICE_MS);
        if (rc > 0)
            return 1;
        if (rc < 0 && errno != EINTR)
            return 1; /* let the read or write say what is wrong */
    }
}

static int tls_fail(enum pc_turnconn_fail *fail, struct pc_err *err, const char *what, SSL *ssl)
{
    unsigned long e = ERR_get_error();
    long vr = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    char buf[256] = "";

    *fail = PC_TURNCONN_TLS;
    if (vr != X509_V_OK)
        return pc_err_set(err, PC_EIO, "%s: certificate not trusted: %s", what,
                          X509_verify_cert_error_string(vr));
    if (e)
        ERR_error_string_n(e, buf, sizeof(buf));
    ERR_clear_error();
    return pc_err_set(err, PC_EIO, "%s: %s", what, buf[0] ? buf : "handshake failed");
}

static int tls_open(struct pc_turnconn *c, const char *host, const char *cacert, int64_t until_ns,
                    enum pc_turnconn_fail *fail, struct pc_err *err)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl;

    if (!ctx)
        return tls_fail(fail, err, "TLS", NULL);
    c->ssl_ctx = ctx;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (cacert ? SSL_CTX_load_verify_locations(ctx, cacert, NULL) != 1
               : SSL_CTX_set_default_verify_paths(ctx) != 1)
        return tls_fail(fail, err, "TLS: cannot load the trusted certificates", NULL);
    ssl = SSL_new(ctx);
    if (!ssl)
        return tls_fail(fail, err, "TLS", NULL);
    c->ssl = ssl;
    SSL_set_fd(ssl, c->fd);
    if (pc_netaddr_is_literal(host)) {
        /* An address: the certificate must name it (subjectAltName IP), no SNI. */
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) != 1)
            return tls_fail(fail, err, "TLS: address", ssl);
    } else {
        SSL_set_tlsext_host_name(ssl, host);
        if (SSL_set1_host(ssl, host) != 1)
            return tls_fail(fail, err, "TLS: host name", ssl);
    }
    for (;;) {
        int rc = SSL_connect(ssl), e;

        if (rc == 1)
            return 0;
        e = SSL_get_error(ssl, rc);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            if (!wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, until_ns)) {
                *fail = PC_TURNCONN_TIMEOUT;
                return pc_err_set(err, PC_ETIMEDOUT, "TLS handshake: no answer in time");
            }
            continue;
        }
        if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
            *fail = PC_TURNCONN_TLS;
            return pc_err_set(err, PC_EIO, "TLS handshake: the relay closed the connection");
        }
        return tls_fail(fail, err, "TLS handshake", ssl);
    }
}

int pc_turnconn_open(struct pc_turnconn *c, enum pc_turn_transport t, const struct sockaddr *dst,
                     socklen_t dlen, const char *host, const char *cacert, int64_t until_ns,
                     atomic_int *cancel, enum pc_turnconn_fail *fail, struct pc_err *err)
{
    int stream = t != PC_TURN_UDP;
    int fl;

    memset(c, 0, sizeof(*c));
    c->transport = t;
    c->cancel = cancel;
    *fail = PC_TURNCONN_OK;
    c->fd = socket(dst->sa_family, stream ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (c->fd < 0) {
        *fail = PC_TURNCONN_UNREACHABLE;
        return pc_err_set(err, PC_EIO, "socket: %s", strerror(errno));
    }
    if (stream) { /* media in small frames: no Nagle delay (RFC 6062's clients do the same) */
        int on = 1;

        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    }
#ifdef SO_TIMESTAMPNS
    if (!stream) { /* arrival times from the kernel: our own wake-up left out of the round trip */
        int on = 1;

        c->kernel_ts = setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) == 0;
    }
#endif
    fl = fcntl(c->fd, F_GETFL);
    fcntl(c->fd, F_SETFL, fl | O_NONBLOCK);
    if (connect(c->fd, dst, dlen) < 0) {
        int e = errno, soerr = 0;
        socklen_t sl = sizeof(soerr);

        if (e != EINPROGRESS) {
            *fail = PC_TURNCONN_UNREACHABLE;
            return pc_err_set(err, PC_EIO, "connect: %s", strerror(e));
        }
        if (!wait_fd(c, POLLOUT, until_ns)) {
            *fail = cancel && atomic_load(cancel) ? PC_TURNCONN_STOPPED : PC_TURNCONN_TIMEOUT;
            return pc_err_set(err, PC_ETIMEDOUT, "connect: no answer in time");
        }
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
        if (soerr) {
            *fail = unreachable(soerr) ? PC_TURNCONN_UNREACHABLE : PC_TURNCONN_CLOSED;
            return pc_err_set(err, PC_EIO, "connect: %s", strerror(soerr));
        }
    }
    if (t == PC_TURN_TLS)
        return tls_open(c, host, cacert, until_ns, fail, err);
    return 0;
}

void pc_turnconn_close(struct pc_turnconn *c)
{
    if (c->ssl)
        SSL_free(c->ssl);
    if (c->ssl_ctx)
        SSL_CTX_free(c->ssl_ctx);
    if (c->fd > 0)
        close(c->fd);
    c->ssl = c->ssl_ctx = NULL;
    c->fd = -1;
}

int pc_turnconn_send(struct pc_turnconn *c, const uint8_t *msg, size_t len,
                     enum pc_turnconn_fail *fail)
{
    size_t off = 0;
    int64_t until = pc_clock_now_ns() + 2 * PC_NS_PER_S; /* a full send buffer drains by then */

    while (off < len) {
        ssize_t n;
        int e;

        if (c->ssl) {
            int rc = SSL_write(c->ssl, msg + off, (int)(len - off));

            if (rc > 0) {
                off += (size_t)rc;
                continue;
            }
            e = SSL_get_error(c->ssl, rc);
            if ((e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) &&
                wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, until))
                continue;
            *fail = PC_TURNCONN_CLOSED;
            return PC_EIO;
        }
        n = send(c->fd, msg + off, len - off, MSG_NOSIGNAL);
        if (n >= 0) {
            off += (size_t)n;
            continue;
        }
        e = errno;
        if (e == EINTR)
            continue;
        if (e == EAGAIN || e == EWOULDBLOCK) {
            if (c->transport == PC_TURN_UDP)
                return 0; /* a datagram the kernel had no room for: lost, as on the wire */
            if (wait_fd(c, POLLOUT, until))
                continue;
        }
        *fail = unreachable(e) ? PC_TURNCONN_UNREACHABLE : PC_TURNCONN_CLOSED;
        errno = e;
        return PC_EIO;
    }
    return 0;
}

/* One datagram with its arrival time. */
static ssize_t recv_dgram(struct pc_turnconn *c, uint8_t *buf, size_t cap, int64_t *rx_ns)
{
    union {
        char b[CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {.iov_base = buf, .iov_len = cap};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b)};
    ssize_t n = recvmsg(c->fd, &mh, 0);

    *rx_ns = pc_clock_now_ns();
#ifdef SCM_TIMESTAMPNS
    for (struct cmsghdr *cm = n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; cm; cm = CMSG_NXTHDR(&mh, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;

            memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
            *rx_ns = pc_clock_from_realtime(&ts);
        }
#endif
    return n;
}

/* A whole frame at the start of rbuf: its length, 0 when more is needed, -1 when not a frame. */
static long buffered_frame(const struct pc_turnconn *c)
{
    size_t frame = 0;
    int rc = pc_turn_frame_len(c->rbuf, c->rlen, &frame);

    if (rc < 0 || (rc == 1 && frame > sizeof(c->rbuf)))
        return -1;
    return rc == 1 && frame <= c->rlen ? (long)frame : 0;
}

int pc_turnconn_pending(const struct pc_turnconn *c)
{
    return c->transport != PC_TURN_UDP && buffered_frame(c) > 0;
}

int pc_turnconn_recv(struct pc_turnconn *c, int64_t until_ns, uint8_t *buf, size_t cap, size_t *len,
                     int64_t *rx_ns, enum pc_turnconn_fail *fail)
{
    for (;;) {
        ssize_t n;

        if (c->transport != PC_TURN_UDP) {
            long f = buffered_frame(c);

            if (f < 0) {
                *fail = PC_TURNCONN_CLOSED;
                return PC_EIO;
            }
            if (f > 0) {
                size_t take = (size_t)f < cap ? (size_t)f : cap;

                memcpy(buf, c->rbuf, take);
                memmove(c->rbuf, c->rbuf + f, c->rlen - (size_t)f);
                c->rlen -= (size_t)f;
                *len = take;
                *rx_ns = pc_clock_now_ns();
                return 1;
            }
        }
        if (c->ssl) {
            int rc = SSL_read(c->ssl, c->rbuf + c->rlen, (int)(sizeof(c->rbuf) - c->rlen)), e;

            if (rc > 0) {
                c->rlen += (size_t)rc;
                continue;
            }
            e = SSL_get_error(c->ssl, rc);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                if (!wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, until_ns))
                    return 0;
                continue;
            }
            *fail = PC_TURNCONN_CLOSED;
            return PC_EIO;
        }
        if (c->transport == PC_TURN_UDP)
            n = recv_dgram(c, buf, cap, rx_ns);
        else
            n = recv(c->fd, c->rbuf + c->rlen, sizeof(c->rbuf) - c->rlen, 0);
        if (n > 0 && c->transport == PC_TURN_UDP) {
            *len = (size_t)n;
            return 1;
        }
        if (n > 0) {
            c->rlen += (size_t)n;
            continue;
        }
        if (n == 0 && c->transport != PC_TURN_UDP) {
            *fail = PC_TURNCONN_CLOSED;
            return PC_EIO;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            *fail = unreachable(errno) ? PC_TURNCONN_UNREACHABLE : PC_TURNCONN_CLOSED;
            return PC_EIO;
        }
        if (!wait_fd(c, POLLIN, until_ns))
            return 0;
    }
}
