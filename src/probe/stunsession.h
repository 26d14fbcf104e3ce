/*
 * stunsession.h - paced STUN probing of one or more servers from one socket
 * per address family, every request matched to its answer.
 *
 * A session owns its sockets and its record of every request sent. Each
 * transaction ID is 8 random bytes fixed for the session plus a 4-byte
 * sequence number, so an answer is matched in O(1); answers with an unknown
 * ID, from an address other than the server's, or malformed are counted as
 * ignored and never trusted. The 'udp' probe drives it now; a loaded-latency
 * probe can run the same stream beside a bandwidth test.
 */
#ifndef PRECALL_PROBE_STUNSESSION_H
#define PRECALL_PROBE_STUNSESSION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "precall/err.h"
#include "precall/stun.h"
#include "probe/stunsock.h"

#define PC_SESSION_SERVERS_MAX 4

enum pc_req_kind { PC_REQ_DISCOVERY, PC_REQ_STREAM };

struct pc_stun_req {
    int64_t sent_ns;
    int64_t rtt_ns;   /* first answer; -1 while unanswered */
    uint16_t answers; /* more than one: duplicates */
    uint8_t server;
    uint8_t kind;      /* enum pc_req_kind */
    uint8_t late;      /* first answer came after the timeout */
    uint8_t reordered; /* answered after a later request of its stream */
};

struct pc_stun_server {
    struct sockaddr_storage addr;
    socklen_t len;
    int sock; /* index into the session's sockets */
    unsigned sent, answered;
    int has_mapped;
    struct pc_stun_addr mapped;
    int send_errno; /* last sendto() error, 0 if none */
};

struct pc_stun_session {
    struct pc_stunsock socks[2];
    size_t n_socks;
    struct pc_stun_server servers[PC_SESSION_SERVERS_MAX];
    size_t n_servers;
    struct pc_stun_req *reqs;
    size_t n_reqs, cap_reqs;
    uint8_t prefix[8];
    int64_t timeout_ns;    /* an answer later than this is late, the request lost */
    long highest_answered; /* highest stream request index answered, for reordering */
    unsigned long ignored; /* malformed, unknown ID, wrong source */
};

/* timeout_ns: how long a request may wait for its answer. */
int pc_stun_session_init(struct pc_stun_session *s, int64_t timeout_ns, struct pc_err *err);
void pc_stun_session_free(struct pc_stun_session *s);

/* Add a resolved server; returns its index or a negative PC_E*. */
int pc_stun_session_add_server(struct pc_stun_session *s, const struct sockaddr *addr,
                               socklen_t len, struct pc_err *err);

/* Send one request of kind to server i. 0, PC_EIO (see servers[i].send_errno), PC_ENOMEM. */
int pc_stun_session_send(struct pc_stun_session *s, size_t server, enum pc_req_kind kind);

/* Receive and match answers until until_ns. Returns how many valid answers arrived. */
int pc_stun_session_pump(struct pc_stun_session *s, int64_t until_ns);

/* Feed one received datagram (exposed for tests). */
void pc_stun_session_accept(struct pc_stun_session *s, const uint8_t *buf, size_t len,
                            const struct sockaddr *from, int64_t rx_ns);

/* 1 when every request of kind to server has an answer (or none was sent). */
int pc_stun_session_all_answered(const struct pc_stun_session *s, size_t server,
                                 enum pc_req_kind kind);

#endif
