/*
 * stunpolicy.h - how politely the udp probe uses public STUN servers.
 *
 * Public servers are precall's defaults and any host in the table below,
 * however it was given. A public server's operator decides what a client may
 * send it: only an operator who documents unlimited use gets the stream of
 * PC_STUN_STREAM_PER_S requests a second; every other public server is used
 * for discovery and the NAT mapping comparison only, at no more than
 * PC_STUN_PUBLIC_PER_S requests a second for all its addresses together. All
 * requests to public servers in one check stop at PC_STUN_PUBLIC_REQUESTS_MAX,
 * whatever --duration says. Servers the user runs (--stun with another host)
 * are not limited. Static data; nothing to free.
 */
#ifndef PRECALL_PROBE_STUNPOLICY_H
#define PRECALL_PROBE_STUNPOLICY_H

#include <stddef.h>

#define PC_STUN_STREAM_PER_S 100 /* the stream to the primary server */
#define PC_STUN_PUBLIC_PER_S 2   /* a public server without a documented unlimited policy */
/* The shortest gap between two requests to such a server: a little more than
 * 1 s / PC_STUN_PUBLIC_PER_S, so that network jitter cannot bunch three
 * requests into one second at the server. */
#define PC_STUN_PUBLIC_GAP_NS 550000000LL
/* 16 s of the stream: the 15 s of section 2's speed-test cap and a second of
 * discovery and comparison. */
#define PC_STUN_PUBLIC_REQUESTS_MAX 1600

struct pc_stun_policy {
    const char *host;   /* "stun.cloudflare.com" (compared without case) */
    int unlimited;      /* the operator documents unlimited use: it may take the stream */
    const char *source; /* where the operator says so, or says nothing */
};

/* The policy of a known public host, or NULL (not a public server we know). */
const struct pc_stun_policy *pc_stun_policy_find(const char *host);

/*
 * The interval between two requests to one address of a server, given the
 * interval asked for (the stream's, the comparison's or discovery's), whether
 * the server is public and documents unlimited use, and how many of the
 * server's addresses are probed at that pace: a limited public server gets
 * one request per PC_STUN_PUBLIC_GAP_NS at most over all its addresses.
 */
long long pc_stun_policy_interval_ns(long long asked_ns, int is_public, int unlimited,
                                     size_t n_addresses);

#endif
