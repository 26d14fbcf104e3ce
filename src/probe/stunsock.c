/* stunsock.c - UDP socket with kernel receive timestamps (Linux SO_TIMESTAMPNS). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "precall/clock.h"
#include "probe/stunsock.h"

int pc_stunsock_open(struct pc_stunsock *s, int family, struct pc_err *err)
{
    int on = 1;

    memset(s, 0, sizeof(*s));
    s->family = family;
    s->fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s->fd < 0)
        return pc_err_set(err, PC_EIO, "cannot open a UDP socket: %s", strerror(errno));
#ifdef SO_TIMESTAMPNS
    s->kernel_ts = setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) == 0;
#else
    (void)on;
#endif
    return 0;
}

void pc_stunsock_close(struct pc_stunsock *s)
{
    if (s->fd > 0)
        close(s->fd);
    s->fd = -1;
}

int pc_stunsock_send(struct pc_stunsock *s, const struct sockaddr *dst, socklen_t dlen,
                     const struct pc_stun_txid *tx, int64_t *sent_ns, int *sys_errno)
{
    uint8_t buf[PC_STUN_REQUEST_MAX];
    size_t len;
    ssize_t n;

    if (pc_stun_encode_binding_request(buf, sizeof(buf), tx, 1, &len) < 0)
        return PC_EINVAL;
    *sent_ns = pc_clock_now_ns();
    n = sendto(s->fd, buf, len, 0, dst, dlen);
    if (n < 0) {
        *sys_errno = errno;
        return PC_EIO;
    }
    return 0;
}

/* Kernel arrival time (CLOCK_REALTIME) moved onto the monotonic clock. */
static int64_t kernel_rx_ns(const struct timespec *rt)
{
    struct timespec now_rt;
    int64_t now_mono = pc_clock_now_ns(), now_real, rx_real;

    clock_gettime(CLOCK_REALTIME, &now_rt);
    now_real = (int64_t)now_rt.tv_sec * PC_NS_PER_S + now_rt.tv_nsec;
    rx_real = (int64_t)rt->tv_sec * PC_NS_PER_S + rt->tv_nsec;
    if (rx_real > now_real || now_real - rx_real > PC_NS_PER_S)
        return now_mono; /* clock stepped: trust our own reading */
    return now_mono - (now_real - rx_real);
}

int pc_stunsock_recv(struct pc_stunsock *s, int64_t until_ns, uint8_t *buf, size_t cap, size_t *len,
                     struct sockaddr_storage *from, int64_t *rx_ns)
{
    for (;;) {
        union {
            char buf[CMSG_SPACE(sizeof(struct timespec)) * 2];
            struct cmsghdr align;
        } control;
        struct iovec iov = {buf, cap};
        struct msghdr msg = {0};
        struct cmsghdr *cm;
        struct pollfd pfd = {s->fd, POLLIN, 0};
        int64_t now = pc_clock_now_ns();
        ssize_t n;
        int rc;

        msg.msg_name = from;
        msg.msg_namelen = sizeof(*from);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof(control.buf);
        n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
        if (n >= 0) {
            *len = (size_t)n;
            *rx_ns = pc_clock_now_ns();
            for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
#ifdef SCM_TIMESTAMPNS
                if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
                    struct timespec ts;

                    memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
                    *rx_ns = kernel_rx_ns(&ts);
                }
#endif
            }
            return 1;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            /* ICMP errors (port unreachable) surface here; they are not answers. */
            if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH)
                continue;
            return PC_EIO;
        }
        if (now >= until_ns)
            return 0;
        rc = poll(&pfd, 1, (int)((until_ns - now + PC_NS_PER_MS - 1) / PC_NS_PER_MS));
        if (rc < 0 && errno != EINTR)
            return PC_EIO;
        if (rc == 0 && pc_clock_now_ns() >= until_ns)
            return 0;
    }
}
