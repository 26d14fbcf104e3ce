/* traffic_own.c - precall's own sockets, registered as they are made (see traffic_own.h). */
#include <netinet/in.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/traffic.h"
#include "probe/traffic_own.h"

#define WORD_BITS 64
#define WORDS     (65536 / WORD_BITS)

/* bit p of [0]: TCP port p is precall's; of [1]: UDP port p */
static _Atomic uint64_t own_bits[2][WORDS];

static int slot(int proto)
{
    return proto == 6 ? 0 : proto == 17 ? 1 : -1;
}

void pc_traffic_own_add(int proto, uint16_t port)
{
    int s = slot(proto);

    if (s >= 0 && port != 0)
        atomic_fetch_or(&own_bits[s][port / WORD_BITS], (uint64_t)1 << (port % WORD_BITS));
}

int pc_traffic_own_has(int proto, uint16_t port)
{
    int s = slot(proto);

    if (s < 0 || port == 0)
        return 0;
    return (atomic_load(&own_bits[s][port / WORD_BITS]) >> (port % WORD_BITS)) & 1;
}

/* The local port of fd, 0 while it has none, -1 on error; *family gets its family. */
static int local_port(int fd, int *family)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    memset(&ss, 0, sizeof(ss));
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    *family = ss.ss_family;
    if (ss.ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)(const void *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)(const void *)&ss)->sin6_port);
    return -1;
}

int pc_traffic_own_fd(int fd)
{
    int type = 0, family = 0, port;
    socklen_t tl = sizeof(type);

    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 ||
        (type != SOCK_STREAM && type != SOCK_DGRAM))
        return -1;
    port = local_port(fd, &family);
    if (port == 0) {
        /* the ephemeral port connect or the first send would take, taken now */
        struct sockaddr_storage any;
        socklen_t len;

        memset(&any, 0, sizeof(any));
        any.ss_family = (sa_family_t)family;
        if (family == AF_INET)
            len = sizeof(struct sockaddr_in);
        else if (family == AF_INET6)
            len = sizeof(struct sockaddr_in6);
        else
            return -1;
        if (bind(fd, (const struct sockaddr *)&any, len) < 0)
            return -1;
        port = local_port(fd, &family);
    }
    if (port <= 0)
        return -1;
    pc_traffic_own_add(type == SOCK_STREAM ? 6 : 17, (uint16_t)port);
    return port;
}

curl_socket_t pc_traffic_curl_socket(void *user, curlsocktype purpose, struct curl_sockaddr *a)
{
    int fd;

    (void)user;
    fd = socket(a->family, a->socktype, a->protocol);
    if (fd < 0)
        return CURL_SOCKET_BAD;
    if (purpose == CURLSOCKTYPE_IPCXN && (a->family == AF_INET || a->family == AF_INET6))
        pc_traffic_own_fd(fd);
    return fd;
}

size_t pc_traffic_own_collect(struct pc_own_port *own, size_t *n_own, size_t cap)
{
    size_t added = 0;

    for (int s = 0; s < 2; s++) {
        for (size_t w = 0; w < WORDS; w++) {
            uint64_t bits = atomic_load(&own_bits[s][w]);

            for (unsigned b = 0; bits != 0 && b < WORD_BITS; b++) {
                uint16_t port = (uint16_t)(w * WORD_BITS + b);
                int proto = s == 0 ? 6 : 17;

                if (!((bits >> b) & 1))
                    continue;
                bits &= ~((uint64_t)1 << b);
                if (pc_traffic_is_own(proto, port, own, *n_own) || *n_own >= cap)
                    continue;
                own[*n_own].proto = proto;
                own[*n_own].port = port;
                (*n_own)++;
                added++;
            }
        }
    }
    return added;
}
