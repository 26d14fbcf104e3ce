/*
 * stunsock.c - UDP socket with kernel receive timestamps (Linux
 * SO_TIMESTAMPNS) and ICMP error reports from the error queue (IP_RECVERR,
 * IPV6_RECVERR; see ip(7), ipv6(7)).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "precall/clock.h"
#include "probe/stunsock.h"
#include "probe/traffic_own.h"

/* Polls in a row that said "ready" with nothing to read before recv gives up. */
#define SPURIOUS_WAKEUPS_MAX 1000
/* Longest single poll(); a far deadline is reached in several. */
#define POLL_MAX_MS 1000

int pc_stunsock_open(struct pc_stunsock *s, int family, struct pc_err *err)
{
    int on = 1;

    memset(s, 0, sizeof(*s));
    s->family = family;
    s->fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s->fd < 0)
        return pc_err_set(err, PC_EIO, "cannot open a UDP socket: %s", strerror(errno));
    /* Its port, taken now, is known to the traffic probe before the first datagram. */
    pc_traffic_own_fd(s->fd);
#ifdef SO_TIMESTAMPNS
    s->kernel_ts = setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) == 0;
#endif
    /* Without it an unconnected UDP socket never hears of ICMP errors. */
    if (family == AF_INET6)
        s->recverr = setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on)) == 0;
    else
        s->recverr = setsockopt(s->fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) == 0;
    return 0;
}

void pc_stunsock_close(struct pc_stunsock *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

/*
 * Errors the kernel keeps on the socket after an ICMP report (sk_err) and
 * returns from the next send or receive: they concern an earlier datagram.
 */
static int async_errno(int e)
{
    return e == ECONNREFUSED || e == EHOSTUNREACH || e == ENETUNREACH || e == EHOSTDOWN ||
           e == ENETDOWN || e == EPROTO || e == EMSGSIZE;
}

#ifndef PRECALL_VERSION
#define PRECALL_VERSION "0"
#endif

const char *pc_stunsock_software(void)
{
    return "precall/" PRECALL_VERSION;
}

int pc_stunsock_send(struct pc_stunsock *s, const struct sockaddr *dst, socklen_t dlen,
                     const struct pc_stun_txid *tx, int64_t *sent_ns, int *sys_errno)
{
    uint8_t buf[PC_STUN_REQUEST_MAX];
    size_t len;
    ssize_t n;

    if (pc_stun_encode_request(buf, sizeof(buf), tx, pc_stunsock_software(), 1, &len) < 0)
        return PC_EINVAL;
    *sent_ns = pc_clock_now_ns();
    do
        n = sendto(s->fd, buf, len, 0, dst, dlen);
    while (n < 0 && errno == EINTR);
    /* A pending error from an ICMP report is returned instead of sending,
       and cleared: try once more, so it is not counted against this request.
       A real failure (no route) fails again. */
    if (n < 0 && async_errno(errno))
        n = sendto(s->fd, buf, len, 0, dst, dlen);
    if (n < 0) {
        *sys_errno = errno;
        return PC_EIO;
    }
    return 0;
}

/* The sock_extended_err of an IP_RECVERR / IPV6_RECVERR message, and the
 * offender's address that follows it in the same control message. */
static void parse_extended_err(const struct cmsghdr *cm, struct pc_stunsock_icmp *icmp)
{
    const unsigned char *data = CMSG_DATA(cm);
    size_t have = cm->cmsg_len - (size_t)(data - (const unsigned char *)cm);
    struct sock_extended_err ee;
    sa_family_t fam;

    if (have < sizeof(ee))
        return;
    memcpy(&ee, data, sizeof(ee));
    icmp->sys_errno = (int)ee.ee_errno;
    icmp->type = ee.ee_type;
    icmp->code = ee.ee_code;
    icmp->from_icmp = ee.ee_origin == SO_EE_ORIGIN_ICMP || ee.ee_origin == SO_EE_ORIGIN_ICMP6;
    icmp->port_unreachable =
        (ee.ee_origin == SO_EE_ORIGIN_ICMP && ee.ee_type == 3 && ee.ee_code == 3) ||
        (ee.ee_origin == SO_EE_ORIGIN_ICMP6 && ee.ee_type == 1 && ee.ee_code == 4);
    /* SO_EE_OFFENDER: a sockaddr right after the struct, AF_UNSPEC if unknown */
    data += sizeof(ee);
    have -= sizeof(ee);
    if (have < sizeof(fam))
        return;
    memcpy(&fam, data, sizeof(fam));
    if (fam == AF_INET && have >= sizeof(struct sockaddr_in))
        memcpy(&icmp->offender, data, sizeof(struct sockaddr_in));
    else if (fam == AF_INET6 && have >= sizeof(struct sockaddr_in6))
        memcpy(&icmp->offender, data, sizeof(struct sockaddr_in6));
}

/* One report from the error queue: 1, 0 when it is empty, -1 on error. */
static int read_error_queue(struct pc_stunsock *s, struct pc_stunsock_icmp *icmp)
{
    union {
        char buf[512];
        struct cmsghdr align;
    } control;
    uint8_t payload[64];
    struct iovec iov = {payload, sizeof(payload)};
    struct msghdr msg = {0};
    struct cmsghdr *cm;
    ssize_t n;

    memset(icmp, 0, sizeof(*icmp));
    msg.msg_name = &icmp->dst;
    msg.msg_namelen = sizeof(icmp->dst);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    do
        n = recvmsg(s->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
        if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR) ||
            (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_RECVERR))
            parse_extended_err(cm, icmp);
    return 1;
}

/* One datagram, if one is waiting: 1, 0 (none), or -1 with errno set. */
static int read_datagram(struct pc_stunsock *s, uint8_t *buf, size_t cap, size_t *len,
                         struct sockaddr_storage *from, int64_t *rx_ns)
{
    union {
        char buf[CMSG_SPACE(sizeof(struct timespec)) * 2];
        struct cmsghdr align;
    } control;
    struct iovec iov = {buf, cap};
    struct msghdr msg = {0};
    struct cmsghdr *cm;
    ssize_t n;

    msg.msg_name = from;
    msg.msg_namelen = sizeof(*from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    *len = (size_t)n;
    *rx_ns = pc_clock_now_ns();
    for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
#ifdef SCM_TIMESTAMPNS
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;

            memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
            *rx_ns = pc_clock_from_realtime(&ts);
        }
#endif
    }
    return 1;
}

int pc_stunsock_recv(struct pc_stunsock *s, int64_t until_ns, uint8_t *buf, size_t cap, size_t *len,
                     struct sockaddr_storage *from, int64_t *rx_ns, struct pc_stunsock_icmp *icmp,
                     int *sys_errno)
{
    int spurious = 0;

    for (;;) {
        struct pollfd pfd = {s->fd, POLLIN, 0};
        int64_t now, wait_ms;
        int rc = read_datagram(s, buf, cap, len, from, rx_ns);

        if (rc > 0)
            return PC_STUNSOCK_DATAGRAM;
        if (rc < 0 && errno == EINTR)
            continue;
        /* A pending ICMP error (sk_err) comes back from recvmsg once, and
           is cleared by it; the details are on the error queue. Other
           errors belong to the socket itself. */
        if (rc < 0 && !async_errno(errno)) {
            *sys_errno = errno;
            return PC_EIO;
        }
        if (s->recverr) {
            rc = read_error_queue(s, icmp);
            if (rc > 0)
                return PC_STUNSOCK_REPORT;
            if (rc < 0) {
                *sys_errno = errno;
                return PC_EIO;
            }
        }
        now = pc_clock_now_ns();
        if (now >= until_ns)
            return PC_STUNSOCK_TIMEOUT;
        wait_ms = (until_ns - now + PC_NS_PER_MS - 1) / PC_NS_PER_MS;
        rc = poll(&pfd, 1, (int)(wait_ms < POLL_MAX_MS ? wait_ms : POLL_MAX_MS));
        if (rc < 0 && errno != EINTR) {
            *sys_errno = errno;
            return PC_EIO;
        }
        if (rc > 0 && (pfd.revents & POLLNVAL)) {
            *sys_errno = EBADF;
            return PC_EIO;
        }
        /* Ready, yet nothing came of it, again and again: stop, never spin. */
        if (rc > 0 && ++spurious > SPURIOUS_WAKEUPS_MAX) {
            *sys_errno = EBUSY;
            return PC_EIO;
        }
    }
}
