/*
 * transfers.h - the load of the bandwidth probe: several parallel HTTP/1.1
 * transfers to the speed-test server in one direction, through the libcurl
 * multi interface, each on its own TCP connection (GET /__down?bytes=N, or
 * POST /__up of incompressible bytes made once); a transfer that completes
 * is asked again on the same connection.
 *
 * The bytes moved are counted at the TCP level where the system says
 * (tcpinfo.h): received for a download, acknowledged by the server for an
 * upload (the server answers an upload before it has read it); elsewhere
 * the bytes libcurl delivered or sent.
 *
 * A transfer answered 429 or 503 is asked again after the server's
 * Retry-After (at most PC_XFER_RETRIES times a stream, and only while the
 * wait is at most PC_XFER_WAIT_MAX_NS); one that fails while other streams
 * of the set have moved bytes is asked again on a new connection (at most
 * PC_XFER_RETRIES times a set: a server that fails them all is faulty), so
 * one stream does not fail a direction. The set
 * fails, with a reason and a cause in fail, when a stream fails before any
 * byte moved, or a stream runs out of retries.
 *
 * The caller owns the struct and the upload data; pc_xfers_free() releases
 * what the set opened. Per-byte work is a counter add (download) or a
 * memcpy from the upload data (upload).
 */
#ifndef PRECALL_PROBE_TRANSFERS_H
#define PRECALL_PROBE_TRANSFERS_H

#include <curl/curl.h>
#include <stddef.h>

#include "precall/clock.h"
#include "precall/probe.h"
#include "probe/speedhttp.h"
#include "probe/throughput.h"

#define PC_XFER_STREAMS_MAX 8
#define PC_XFER_BLOB_BYTES  (1 << 20) /* the upload data: random bytes, made once */
#define PC_XFER_RETRIES     2
#define PC_XFER_WAIT_MAX_NS (2 * PC_NS_PER_S) /* longer Retry-After waits refuse the test */

#define PC_XFER_CONNS_MAX 16

enum pc_xfer_dir { PC_XFER_DOWN, PC_XFER_UP };

/* A connection of the set and the TCP count some stream has already counted on it. */
struct pc_xfer_conn {
    int fd; /* -1: a free slot */
    long long counted;
};

struct pc_xfers;

struct pc_xfer_stream {
    CURL *h;
    struct pc_xfers *set;
    long long asked;      /* bytes of the current request (down) or body (up) */
    long long got;        /* bytes of the current transfer received (down) or read (up) */
    long long done_bytes; /* bytes of this stream's finished transfers */
    int active;
    int retries;      /* requests asked again after a 429 or 503 */
    int cut;          /* its answer was cut after the headers (a refusal, on_header) */
    int answered;     /* the server said yes (2xx) to one of its requests: its bytes count */
    int64_t first_ns; /* the current answer's first byte (0: none yet) */
    int64_t wait_ns;  /* waiting for the server's Retry-After until then (0: not waiting) */
    int fd;           /* its connection's socket, -1 before one */
    struct pc_tput_count tcp; /* bytes counted at the TCP level, all connections */
    int tcp_seen;             /* the kernel gave counts: use them only */
    long long app_total;      /* downloads: bytes the application received */
    char errbuf[CURL_ERROR_SIZE];
};

struct pc_xfers {
    enum pc_xfer_dir dir;
    const struct pc_config *cfg;
    CURLM *m;
    struct pc_xfer_stream st[PC_XFER_STREAMS_MAX];
    size_t n;
    char url[1024];
    const unsigned char *blob;
    struct curl_slist *headers; /* uploads: the content type, no "Expect: 100-continue" */
    struct pc_xfer_conn conns[PC_XFER_CONNS_MAX];
    char peer[64]; /* the server's address and port once closed, "" unknown */
    int peer_port;
    struct pc_speed_failure fail;
    int failed;
    int recoveries; /* failed transfers asked again while the others measured */
    int answered;   /* a stream got a 2xx answer */
    int refused;    /* a transfer was refused (refusal says how) */
    struct pc_speed_failure refusal;
};

/* PC_XFER_BLOB_BYTES of random upload data (the caller frees it), or NULL. */
unsigned char *pc_xfer_blob(void);

/* Start n (<= PC_XFER_STREAMS_MAX) transfers in direction d; -1 with fail set. */
int pc_xfers_start(struct pc_xfers *x, const struct pc_config *cfg, enum pc_xfer_dir d, size_t n,
                   const unsigned char *blob);

/* Wait up to timeout_ms for curl's sockets and fds (read), move data, take finished transfers. */
void pc_xfers_pump(struct pc_xfers *x, const int *fds, size_t nfds, int timeout_ms);

/* The bytes moved so far by all transfers. */
long long pc_xfers_bytes(struct pc_xfers *x);

/* Fail the set: cause, whether the server was reached, reason; or, when transfers were
   refused and none was answered yet, with the refusal. */
void pc_xfers_fail(struct pc_xfers *x, const char *cause, int reached, const char *reason);

/* Close the connections (the link is idle again); the counts and the peer stay. */
void pc_xfers_close(struct pc_xfers *x);

void pc_xfers_free(struct pc_xfers *x);

#endif
