/*
 * turnconn.h - one connection to a TURN relay: a connected UDP socket, a
 * TCP stream or TLS on TCP (OpenSSL, the certificate always verified: the
 * system's CAs or --cacert, and the host name). Sends whole messages and
 * receives one message at a time: a datagram, or one frame of the stream
 * (STUN message or padded ChannelData, RFC 8656 12.5). Every wait is bounded
 * by the caller's deadline. The caller owns the struct; pc_turnconn_close
 * releases what it holds and accepts a closed one.
 */
#ifndef PRECALL_PROBE_TURNCONN_H
#define PRECALL_PROBE_TURNCONN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "precall/err.h"
#include "precall/turn.h"

#define PC_TURNCONN_BUF 8192

struct pc_turnconn {
    int fd;
    enum pc_turn_transport transport;
    void *ssl, *ssl_ctx; /* SSL *, SSL_CTX * */
    uint8_t rbuf[PC_TURNCONN_BUF];
    size_t rlen;
    atomic_int *cancel;
    int kernel_ts; /* UDP: arrival times from SO_TIMESTAMPNS */
};

/* Why a connection failed: the cause a probe reports. */
enum pc_turnconn_fail {
    PC_TURNCONN_OK = 0,
    PC_TURNCONN_UNREACHABLE, /* refused, no route, ICMP unreachable */
    PC_TURNCONN_TIMEOUT,     /* nothing answered by the deadline */
    PC_TURNCONN_TLS,         /* the TLS handshake failed (certificate, protocol) */
    PC_TURNCONN_CLOSED,      /* the relay closed the stream, or sent what is not a frame */
    PC_TURNCONN_STOPPED      /* cancelled */
};

/*
 * Connect to dst (TCP: the handshake; TLS: also the TLS handshake, host
 * verified against host); until_ns bounds it. 0, or a negative PC_E* with
 * the reason in err and its kind in *fail.
 */
int pc_turnconn_open(struct pc_turnconn *c, enum pc_turn_transport t, const struct sockaddr *dst,
                     socklen_t dlen, const char *host, const char *cacert, int64_t until_ns,
                     atomic_int *cancel, enum pc_turnconn_fail *fail, struct pc_err *err);
void pc_turnconn_close(struct pc_turnconn *c);

/* Send one message: 0, or PC_EIO (*fail says why). */
int pc_turnconn_send(struct pc_turnconn *c, const uint8_t *msg, size_t len,
                     enum pc_turnconn_fail *fail);

/*
 * Receive one message into buf (cap bytes), waiting until until_ns at most:
 * 1 with *len and *rx_ns, 0 at the deadline, PC_EIO (*fail says why).
 */
int pc_turnconn_recv(struct pc_turnconn *c, int64_t until_ns, uint8_t *buf, size_t cap, size_t *len,
                     int64_t *rx_ns, enum pc_turnconn_fail *fail);

/* What pc_turnconn_recv can read without waiting (a frame already buffered). */
int pc_turnconn_pending(const struct pc_turnconn *c);

#endif
