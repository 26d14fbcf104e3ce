/*
 * traffic.h - the 'traffic' probe's parts: the socket tables of /proc/net,
 * which process owns a socket, and the privileged capture opening.
 *
 * The parser reads the text of /proc/net/{tcp,tcp6,udp,udp6} (untrusted in
 * the sense that it is only ever read through bounds checks: a short,
 * garbled or truncated line is skipped, never trusted). The caller owns the
 * table (pc_socktab_free releases it; NULL is fine). Nothing here reads a
 * packet's payload.
 */
#ifndef PRECALL_PROBE_TRAFFIC_H
#define PRECALL_PROBE_TRAFFIC_H

#include <stddef.h>
#include <stdint.h>

#include "precall/err.h"

/* One socket of /proc/net/{tcp,tcp6,udp,udp6}. */
struct pc_sock {
    int proto;  /* 6 TCP, 17 UDP */
    int family; /* 4 or 6 */
    uint8_t local[16], remote[16];
    uint16_t local_port, remote_port;
    unsigned long inode;
};

struct pc_socktab {
    struct pc_sock *v;
    size_t n, cap;
};

/*
 * Append the sockets of one /proc/net table's text (len bytes, need not be
 * NUL-terminated) to t. proto 6 or 17, family 4 or 6 as the file's name
 * says. Returns how many lines were taken, or PC_ENOMEM.
 */
int pc_socktab_parse(struct pc_socktab *t, const char *text, size_t len, int proto, int family);

/* Read the four tables under sysroot (NULL: "/"); tables that cannot be read are left out. */
int pc_socktab_read(struct pc_socktab *t, const char *sysroot);

void pc_socktab_free(struct pc_socktab *t);

/* A local port of one of precall's own sockets. */
struct pc_own_port {
    int proto; /* 6 TCP, 17 UDP */
    uint16_t port;
};

/*
 * Add to own[] (*n_own of them, at most cap) the local ports of the sockets
 * of t whose inode is one of inodes[n] (this process's, pc_sock_own_inodes):
 * the set only grows, each (protocol, port) once. Returns how many were new.
 */
size_t pc_traffic_own_ports(const struct pc_socktab *t, const unsigned long *inodes, size_t n,
                            struct pc_own_port *own, size_t *n_own, size_t cap);

/* Is (proto, local port) one of precall's own? */
int pc_traffic_is_own(int proto, uint16_t local_port, const struct pc_own_port *own, size_t n_own);

/*
 * The BPF filter of everything but precall's own sockets:
 * "(ip or ip6) and not (udp port 40000 or tcp port 50000)". When the
 * ports do not all fit in cap, the filter is "(ip or ip6)" alone (the flows
 * on them are left out at the end all the same).
 */
void pc_traffic_filter(const struct pc_own_port *own, size_t n_own, char *buf, size_t cap);

/* The windows the probe counts in: the idle phase (udp's), the speed test (bandwidth's). */
enum { PC_TRAFFIC_IDLE, PC_TRAFFIC_SPEED, PC_TRAFFIC_WINDOWS };

/*
 * The window packets count in while phase now runs, with the phases of
 * planned (bit p: phase p runs; see pc_probe_phases): PC_TRAFFIC_IDLE during
 * the udp probe's, PC_TRAFFIC_SPEED during the bandwidth probe's, -1 before
 * and between them, -2 once the last of them that runs is over (or when
 * neither runs).
 */
int pc_traffic_window_of(unsigned planned, int now);

/*
 * Is the flow precall's own, to be left out? Only a flow with an end on
 * this computer (ours_end) can be: its local port registered by a probe
 * (traffic_own.h) or among own[n_own] (seen in /proc).
 */
int pc_traffic_left_out(int proto, int ours_end, uint16_t local_port, const struct pc_own_port *own,
                        size_t n_own);

/* bytes counted over a window of window_ns as Mbit/s (0 for an empty window). */
double pc_traffic_mbps(uint64_t bytes, int64_t window_ns);

/*
 * The socket of a flow seen on the wire: the connected socket with exactly
 * these two ends, else the one bound to the local port (address or
 * wildcard) with no remote end. NULL when none.
 */
const struct pc_sock *pc_socktab_match(const struct pc_socktab *t, int proto, int family,
                                       const uint8_t *local, uint16_t local_port,
                                       const uint8_t *remote, uint16_t remote_port);

/*
 * The process holding socket inode under sysroot's /proc: its pid, and its
 * name (comm) into name. 1 found, 0 not (no permission to look, or gone).
 */
int pc_sock_owner(const char *sysroot, unsigned long inode, int *pid, char *name, size_t cap);

/*
 * The socket inodes this process holds (from /proc/self/fd): up to cap of
 * them into out; returns how many.
 */
size_t pc_sock_own_inodes(const char *sysroot, unsigned long *out, size_t cap);

/*
 * Open a live capture on iface for headers only (snap length snaplen), with
 * the given BPF filter; *pcap gets the pcap_t *. PC_EPERM (err: the one-line
 * hint), PC_ENOENT (no such interface) or PC_EIO.
 */
int pc_traffic_open(const char *iface, int snaplen, const char *filter, void **pcap,
                    struct pc_err *err);

/*
 * Give up, for the calling thread only, every privilege: root becomes
 * nobody, capabilities none. The rest of the process keeps its own (the
 * probe's /proc lookups and the report's -o file). 0, or -1.
 */
int pc_traffic_drop_thread(void);

#endif
