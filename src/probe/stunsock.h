/*
 * stunsock.h - a UDP socket for STUN probes with kernel receive timestamps
 * and ICMP error reports.
 *
 * Sends Binding Requests and receives datagrams with their arrival time on
 * the monotonic clock: from SO_TIMESTAMPNS where the kernel supplies it (so
 * RTT leaves out our own scheduling delay), from the clock otherwise. With
 * IP_RECVERR / IPV6_RECVERR on (Linux), ICMP errors about datagrams we sent
 * (port unreachable, ...) are read from the socket's error queue and handed
 * to the caller as reports. The socket is non-blocking; every wait is
 * bounded by the caller's deadline. The caller owns the struct.
 */
#ifndef PRECALL_PROBE_STUNSOCK_H
#define PRECALL_PROBE_STUNSOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "precall/err.h"
#include "precall/stun.h"

struct pc_stunsock {
    int fd;
    int family;    /* AF_INET or AF_INET6 */
    int kernel_ts; /* SO_TIMESTAMPNS is on */
    int recverr;   /* IP_RECVERR / IPV6_RECVERR is on */
};

/* An error report from the socket's error queue (Linux sock_extended_err). */
struct pc_stunsock_icmp {
    struct sockaddr_storage dst;      /* where the datagram that failed was going */
    struct sockaddr_storage offender; /* who reported it; ss_family 0 if unknown */
    int from_icmp;                    /* the report came from an ICMP or ICMPv6 message */
    int type, code;                   /* ICMP(v6) type and code */
    int port_unreachable;             /* ICMP type 3 code 3, ICMPv6 type 1 code 4 */
    int sys_errno;                    /* the errno the kernel maps it to */
};

/* What pc_stunsock_recv found. */
#define PC_STUNSOCK_TIMEOUT  0
#define PC_STUNSOCK_DATAGRAM 1
#define PC_STUNSOCK_REPORT   2

/* The SOFTWARE attribute of every request, "precall/VERSION" (RFC 8489 14.14
 * asks every client to send one). */
const char *pc_stunsock_software(void);

int pc_stunsock_open(struct pc_stunsock *s, int family, struct pc_err *err);
void pc_stunsock_close(struct pc_stunsock *s);

/*
 * Send a Binding Request with transaction ID tx, SOFTWARE (pc_stunsock_software())
 * and FINGERPRINT to dst; *sent_ns gets the
 * send time. Returns 0, or PC_EIO with errno kept in *sys_errno (EAGAIN when
 * the send buffer is full, EPERM when a firewall rule drops it, ...). An
 * error left pending by an earlier ICMP report is not taken for this send's.
 */
int pc_stunsock_send(struct pc_stunsock *s, const struct sockaddr *dst, socklen_t dlen,
                     const struct pc_stun_txid *tx, int64_t *sent_ns, int *sys_errno);

/*
 * Wait until until_ns at most for one datagram or error report; with until_ns
 * already past, only look at what is waiting. Returns PC_STUNSOCK_DATAGRAM
 * and fills buf, *len, from and *rx_ns; PC_STUNSOCK_REPORT and fills *icmp;
 * PC_STUNSOCK_TIMEOUT; or PC_EIO when the socket itself fails (*sys_errno).
 */
int pc_stunsock_recv(struct pc_stunsock *s, int64_t until_ns, uint8_t *buf, size_t cap, size_t *len,
                     struct sockaddr_storage *from, int64_t *rx_ns, struct pc_stunsock_icmp *icmp,
                     int *sys_errno);

#endif
