/*
 * netaddr.h - host specs, bounded name resolution and address formatting.
 *
 * getaddrinfo() has no timeout of its own, so pc_netaddr_resolve() runs it
 * on a helper thread and waits at most until the deadline; a lookup that
 * is still running then is abandoned (its thread frees its own memory).
 */
#ifndef PRECALL_NETADDR_H
#define PRECALL_NETADDR_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/socket.h>

#include "precall/err.h"

struct pc_hostport {
    char host[256];
    int port;
};

/* Split "host", "host:port", "[v6]:port" or a bare IPv6 literal. PC_EINVAL if malformed. */
int pc_netaddr_split(const char *spec, int default_port, struct pc_hostport *out,
                     struct pc_err *err);

/* 1 when host is a numeric IPv4 or IPv6 address. */
int pc_netaddr_is_literal(const char *host);

/*
 * Resolve host:port for UDP, family 0, 4 or 6, waiting until deadline_ns at
 * most, or until *cancel becomes non-zero (cancel may be NULL). On failure
 * returns, with the reason in err: PC_ENOENT when the resolver answered that
 * the name has no address (of that family), PC_ETIMEDOUT, PC_EINTR, or
 * PC_EIO for anything else (no resolver reachable, say).
 */
int pc_netaddr_resolve(const char *host, int port, int family, int64_t deadline_ns,
                       atomic_int *cancel, struct sockaddr_storage *out, socklen_t *outlen,
                       struct pc_err *err);

/* Numeric address of sa into buf (no port); *port gets the port if not NULL. */
void pc_netaddr_format(const struct sockaddr *sa, char *buf, size_t cap, int *port);

/* 1 when the two addresses (and ports) are equal. */
int pc_netaddr_equal(const struct sockaddr *a, const struct sockaddr *b);

/* 1 when this machine has a route towards the internet for the family (sends nothing). */
int pc_netaddr_has_default_route(int family);

#endif
