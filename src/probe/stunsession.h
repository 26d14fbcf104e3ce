/*
 * stunsession.h - paced STUN probing of one or more servers from one socket
 * per address family, every request matched to its answer.
 *
 * A session owns its sockets and its record of every request, including the
 * ones sendto() refused (sent and lost, flagged send_failed). Each
 * transaction ID is 8 random bytes fixed for the session plus a 4-byte
 * sequence number, so an answer is matched in O(1). A datagram counts as an
 * answer when it is a Binding Success Response with one of our IDs, from
 * the address that request went to, and decodes (a FINGERPRINT, if present,
 * must be right); attributes the codec does not know or cannot decode do
 * not matter, so RFC 3489-era servers count. Everything else is ignored,
 * never trusted, and counted by reason, and per server when it came from
 * that server's address. ICMP port unreachable reports from a server are
 * counted per server.
 *
 * Two ways to drive it: the 'udp' probe calls send() and pump() (which
 * blocks until a deadline); another probe's event loop polls the fds of
 * pc_stun_session_fds(), sets rates with pc_stun_session_pace() and calls
 * pc_stun_session_service(), which never blocks.
 */
#ifndef PRECALL_PROBE_STUNSESSION_H
#define PRECALL_PROBE_STUNSESSION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "precall/err.h"
#include "precall/stun.h"
#include "probe/stunsock.h"

#define PC_SESSION_SERVERS_MAX 8 /* PC_STUN_SERVERS_MAX names, in two families */
#define PC_SESSION_REASON_MAX  160

enum pc_req_kind { PC_REQ_DISCOVERY, PC_REQ_STREAM, PC_REQ__COUNT };

/* Why a received datagram was not taken as an answer. */
enum pc_ignore {
    PC_IGNORE_MALFORMED,    /* not a STUN message: too short, bad header or attribute lengths */
    PC_IGNORE_COOKIE,       /* no magic cookie where we sent one: not an answer to us */
    PC_IGNORE_FINGERPRINT,  /* a FINGERPRINT that is wrong */
    PC_IGNORE_NOT_RESPONSE, /* a request or indication, or not the Binding method */
    PC_IGNORE_ERROR,        /* a Binding Error Response */
    PC_IGNORE_UNKNOWN_ID,   /* a transaction ID we never sent */
    PC_IGNORE_WRONG_SOURCE, /* one of our IDs, from an address other than its server's */
    PC_IGNORE__COUNT
};

struct pc_stun_req {
    int64_t sent_ns;
    int64_t rtt_ns;   /* first answer; -1 while unanswered */
    uint16_t answers; /* more than one: duplicates */
    uint8_t server;
    uint8_t kind;        /* enum pc_req_kind */
    uint8_t late;        /* first answer came after the timeout */
    uint8_t reordered;   /* answered after a later request of its stream */
    uint8_t send_failed; /* sendto() refused it: sent and lost, never answered */
};

struct pc_stun_server {
    struct sockaddr_storage addr;
    socklen_t len;
    int sock; /* index into the session's sockets */
    unsigned sent, answered;
    unsigned send_failed; /* requests sendto() refused (in sent, never answered) */
    int send_errno;       /* last sendto() error, 0 if none */
    unsigned unusable;    /* datagrams from this server's address not taken as answers */
    char unusable_reason[PC_SESSION_REASON_MAX]; /* the latest one's reason, "" if none */
    unsigned port_unreachable; /* ICMP port unreachable from the server for our requests */
    int has_mapped;
    struct pc_stun_addr mapped;
    int64_t pace_ns[PC_REQ__COUNT]; /* pc_stun_session_pace interval, 0 if not paced */
    int64_t next_ns[PC_REQ__COUNT]; /* when service() sends the next paced request */
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
    unsigned long ignored; /* datagrams not taken as answers, all reasons */
    unsigned long ignored_by[PC_IGNORE__COUNT];
    unsigned long icmp_reports; /* error-queue reports read, about any server */
    unsigned long recv_errors;  /* receive calls that failed on the socket itself */
    int recv_errno;             /* the last one's errno */
};

/* timeout_ns: how long a request may wait for its answer. */
int pc_stun_session_init(struct pc_stun_session *s, int64_t timeout_ns, struct pc_err *err);
void pc_stun_session_free(struct pc_stun_session *s);

/* Add a resolved server; returns its index or a negative PC_E*. */
int pc_stun_session_add_server(struct pc_stun_session *s, const struct sockaddr *addr,
                               socklen_t len, struct pc_err *err);

/*
 * Send one request of kind to server i. 0; PC_EIO when sendto() refused it
 * (the request is still recorded, flagged send_failed, and counted in the
 * server's sent and send_failed; errno in servers[i].send_errno); PC_ENOMEM.
 */
int pc_stun_session_send(struct pc_stun_session *s, size_t server, enum pc_req_kind kind);

/*
 * Receive and match answers until until_ns. Returns how many requests got
 * their first answer. Never spins: a socket whose receive fails is left
 * alone for the rest of the call, and when all have failed the call sleeps
 * until until_ns and returns.
 */
int pc_stun_session_pump(struct pc_stun_session *s, int64_t until_ns);

/* The sockets to poll for input (POLLIN) from another event loop; returns
 * how many were stored in fds (at most cap). */
size_t pc_stun_session_fds(const struct pc_stun_session *s, int *fds, size_t cap);

/*
 * Have service() send requests of kind to server at one per interval_ns
 * (0 stops). The first goes out at the next service() call. After a stall
 * (service() called late) one request goes out and the rhythm restarts from
 * then: never a burst to catch up. 0, or PC_EINVAL.
 */
int pc_stun_session_pace(struct pc_stun_session *s, size_t server, enum pc_req_kind kind,
                         int64_t interval_ns);

/*
 * Without blocking: read what is waiting on the sockets (a bounded number of
 * datagrams per call), then send the paced requests due at now_ns. Returns
 * how many requests got their first answer, or PC_ENOMEM.
 */
int pc_stun_session_service(struct pc_stun_session *s, int64_t now_ns);

/* When service() next has a paced request to send; INT64_MAX if none. */
int64_t pc_stun_session_next_due(const struct pc_stun_session *s);

/* Feed one received datagram (exposed for tests). Returns 1 when it was the
 * first answer to one of our requests, else 0. */
int pc_stun_session_accept(struct pc_stun_session *s, const uint8_t *buf, size_t len,
                           const struct sockaddr *from, int64_t rx_ns);

/* Feed one error-queue report (exposed for tests). */
void pc_stun_session_report(struct pc_stun_session *s, const struct pc_stunsock_icmp *icmp);

/* 1 when no request of kind to server is still waiting for its answer:
 * each has one, or was never sent (send_failed), or none was sent. */
int pc_stun_session_all_answered(const struct pc_stun_session *s, size_t server,
                                 enum pc_req_kind kind);

/* A short name of an ignore reason ("malformed", "unknown_id", ...). */
const char *pc_stun_session_ignore_name(enum pc_ignore why);

#endif
