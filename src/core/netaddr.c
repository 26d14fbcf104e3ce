/* netaddr.c - host specs, bounded resolution, formatting (see precall/netaddr.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "precall/clock.h"
#include "precall/netaddr.h"

int pc_netaddr_split(const char *spec, int default_port, struct pc_hostport *out,
                     struct pc_err *err)
{
    const char *host = spec, *colon, *port = NULL;
    char q[PC_ERR_QUOTE_BUF];
    size_t hlen;

    if (spec == NULL || spec[0] == '\0')
        return pc_err_set(err, PC_EINVAL, "empty host");
    for (const char *c = spec; *c != '\0'; c++) {
        if (*c == ' ' || (*c >= '\t' && *c <= '\r'))
            return pc_err_set(err, PC_EINVAL, "'%s': white space in a host or port",
                              pc_err_quote(spec, q));
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return pc_err_set(err, PC_EINVAL, "'%s': a control character in a host name",
                              pc_err_quote(spec, q));
    }
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');

        if (close == NULL)
            return pc_err_set(err, PC_EINVAL, "'%s': missing ']'", pc_err_quote(spec, q));
        host = spec + 1;
        hlen = (size_t)(close - host);
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return pc_err_set(err, PC_EINVAL, "'%s': expected ':PORT' after ']'",
                              pc_err_quote(spec, q));
    } else {
        colon = strchr(spec, ':');
        if (colon != NULL && strchr(colon + 1, ':') == NULL) {
            hlen = (size_t)(colon - spec);
            port = colon + 1;
        } else {
            hlen = strlen(spec); /* no port, or a bare IPv6 literal */
        }
    }
    if (hlen == 0 || hlen >= sizeof(out->host))
        return pc_err_set(err, PC_EINVAL, "'%s': bad host name", pc_err_quote(spec, q));
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    out->port = default_port;
    if (port != NULL) {
        char *end;
        long v;

        errno = 0;
        v = strtol(port, &end, 10);
        if (!(*port >= '0' && *port <= '9') || *end != '\0' || errno != 0 || v < 1 || v > 65535)
            return pc_err_set(err, PC_EINVAL, "'%s': port must be 1 to 65535",
                              pc_err_quote(spec, q));
        out->port = (int)v;
    }
    return 0;
}

int pc_netaddr_is_literal(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];

    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* One lookup, shared by the caller and the helper thread; the last one out frees it. */
struct lookup {
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int refs;
    int done;
    int rc;
    char host[256];
    char port[8];
    int family;
    struct addrinfo *res;
};

static void lookup_release(struct lookup *lk)
{
    int last;

    pthread_mutex_lock(&lk->lock);
    last = --lk->refs == 0;
    pthread_mutex_unlock(&lk->lock);
    if (!last)
        return;
    if (lk->res != NULL)
        freeaddrinfo(lk->res);
    pthread_cond_destroy(&lk->done_cond);
    pthread_mutex_destroy(&lk->lock);
    free(lk);
}

static void *lookup_main(void *arg)
{
    struct lookup *lk = arg;
    struct addrinfo hints = {0}, *res = NULL;
    int rc;

    hints.ai_family = lk->family == 4 ? AF_INET : lk->family == 6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    rc = getaddrinfo(lk->host, lk->port, &hints, &res);
    pthread_mutex_lock(&lk->lock);
    lk->rc = rc;
    lk->res = res;
    lk->done = 1;
    pthread_cond_signal(&lk->done_cond);
    pthread_mutex_unlock(&lk->lock);
    lookup_release(lk);
    return NULL;
}

static struct lookup *lookup_new(const char *host, int port, int family)
{
    struct lookup *lk = calloc(1, sizeof(*lk));
    pthread_condattr_t ca;

    if (lk == NULL)
        return NULL;
    pthread_mutex_init(&lk->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&lk->done_cond, &ca);
    pthread_condattr_destroy(&ca);
    lk->refs = 2;
    lk->family = family;
    snprintf(lk->host, sizeof(lk->host), "%s", host);
    snprintf(lk->port, sizeof(lk->port), "%d", port);
    return lk;
}

#define RESOLVE_SLICE_NS (50 * PC_NS_PER_MS) /* how often a wait looks at cancel */

int pc_netaddr_resolve(const char *host, int port, int family, int64_t deadline_ns,
                       atomic_int *cancel, struct sockaddr_storage *out, socklen_t *outlen,
                       struct pc_err *err)
{
    struct lookup *lk = lookup_new(host, port, family);
    pthread_attr_t attr;
    pthread_t th;
    int rc = 0;

    if (lk == NULL)
        return pc_err_set(err, PC_ENOMEM, "out of memory");
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&th, &attr, lookup_main, lk) != 0) {
        pthread_attr_destroy(&attr);
        lk->refs = 1;
        lookup_release(lk);
        return pc_err_set(err, PC_EIO, "%s: cannot start the lookup", host);
    }
    pthread_attr_destroy(&attr);
    pthread_mutex_lock(&lk->lock);
    while (!lk->done && !(cancel != NULL && atomic_load(cancel))) {
        int64_t now = pc_clock_now_ns(), until = now + RESOLVE_SLICE_NS;
        struct timespec ts;

        if (now >= deadline_ns)
            break;
        if (until > deadline_ns)
            until = deadline_ns;
        ts.tv_sec = (time_t)(until / PC_NS_PER_S);
        ts.tv_nsec = (long)(until % PC_NS_PER_S);
        pthread_cond_timedwait(&lk->done_cond, &lk->lock, &ts);
    }
    if (!lk->done && cancel != NULL && atomic_load(cancel))
        rc = pc_err_set(err, PC_EINTR, "%s: name lookup interrupted", host);
    else if (!lk->done)
        rc = pc_err_set(err, PC_ETIMEDOUT, "%s: name lookup timed out", host);
    else if (lk->rc == EAI_NONAME)
        rc = pc_err_set(err, PC_ENOENT, "%s: %s", host, gai_strerror(lk->rc));
    else if (lk->rc != 0)
        rc = pc_err_set(err, PC_EIO, "%s: %s", host, gai_strerror(lk->rc));
    else if (lk->res == NULL || lk->res->ai_addrlen > sizeof(*out))
        rc = pc_err_set(err, PC_EIO, "%s: no usable address", host);
    else {
        memcpy(out, lk->res->ai_addr, lk->res->ai_addrlen);
        *outlen = lk->res->ai_addrlen;
        rc = 0;
    }
    pthread_mutex_unlock(&lk->lock);
    lookup_release(lk);
    return rc;
}

void pc_netaddr_format(const struct sockaddr *sa, char *buf, size_t cap, int *port)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

        inet_ntop(AF_INET, &in->sin_addr, buf, (socklen_t)cap);
        if (port != NULL)
            *port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

        inet_ntop(AF_INET6, &in6->sin6_addr, buf, (socklen_t)cap);
        if (port != NULL)
            *port = ntohs(in6->sin6_port);
    } else {
        snprintf(buf, cap, "?");
        if (port != NULL)
            *port = 0;
    }
}

int pc_netaddr_equal(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return 0;
    if (a->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->sa_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

        return x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
    }
    return 0;
}

int pc_netaddr_has_default_route(int family)
{
    /* connect() on a UDP socket only looks up the route; no packet is sent.
       The targets are documentation addresses (RFC 5737, RFC 3849). */
    struct sockaddr_storage ss = {0};
    socklen_t len;
    int fd, ok;

    if (family == 6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(9);
        inet_pton(AF_INET6, "2001:db8::1", &in6->sin6_addr);
        len = sizeof(*in6);
    } else {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;

        in->sin_family = AF_INET;
        in->sin_port = htons(9);
        inet_pton(AF_INET, "198.51.100.1", &in->sin_addr);
        len = sizeof(*in);
    }
    fd = socket(ss.ss_family, SOCK_DGRAM, 0);
    if (fd < 0)
        return 0;
    ok = connect(fd, (struct sockaddr *)&ss, len) == 0;
    close(fd);
    return ok;
}
