/*
 * stunsock.h - a UDP socket for STUN probes with kernel receive timestamps.
 *
 * Sends Binding Requests and receives datagrams with their arrival time on
 * the monotonic clock: from SO_TIMESTAMPNS where the kernel supplies it (so
 * RTT leaves out our own scheduling delay), from the clock otherwise. Every
 * wait is bounded by the caller's deadline.
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
};

int pc_stunsock_open(struct pc_stunsock *s, int family, struct pc_err *err);
void pc_stunsock_close(struct pc_stunsock *s);

/*
 * Send a Binding Request with transaction ID tx to dst; *sent_ns gets the
 * send time. Returns 0, or PC_EIO with errno kept in *sys_errno.
 */
int pc_stunsock_send(struct pc_stunsock *s, const struct sockaddr *dst, socklen_t dlen,
                     const struct pc_stun_txid *tx, int64_t *sent_ns, int *sys_errno);

/*
 * Wait until until_ns at most for one datagram. Returns 1 and fills buf,
 * *len, from and *rx_ns when one arrived; 0 on timeout; PC_EIO on error.
 */
int pc_stunsock_recv(struct pc_stunsock *s, int64_t until_ns, uint8_t *buf, size_t cap, size_t *len,
                     struct sockaddr_storage *from, int64_t *rx_ns);

#endif
