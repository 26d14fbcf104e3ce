/*
 * speedhttp.h - what the http and bandwidth probes share about talking to
 * the speed-test server with libcurl.
 *
 * One way to set up an easy handle (HTTP/1.1, TLS verification always on,
 * --cacert, proxies from the environment as curl takes them, redirects only
 * to https, no signals), the URLs of the two endpoints, and one reading of
 * a failed transfer: a reason for people and a cause identifier (an advice
 * id). Nothing here owns a handle; the caller does.
 */
#ifndef PRECALL_PROBE_SPEEDHTTP_H
#define PRECALL_PROBE_SPEEDHTTP_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

#include "precall/probe.h"

#define PC_SPEED_REDIRECTS_MAX 5

/* No request asks for this many bytes or more (public servers refuse them to non-browsers). */
#define PC_SPEED_BYTES_MAX 100000000LL

/* Where a server's operator learns what precall is (the User-Agent names it). */
#ifndef PC_PROJECT_URL
#define PC_PROJECT_URL "https://github.com/precall/precall"
#endif

/*
 * Caps of a check against the public default server (its host, however it
 * was given), whatever --duration says: a check is a test, not a load
 * generator. ndt7 runs 10 s a direction, librespeed-cli 15 s.
 */
#define PC_SPEED_PUBLIC_DIR_MAX_NS (15LL * 1000000000LL) /* per direction */
#define PC_SPEED_PUBLIC_BYTES_MAX  1000000000LL          /* one check (0.4 a direction) */

/* The http probe shares its struct pc_speed_failure under this key when it failed. */
#define PC_SHARE_SPEED_FAILURE "speed-failure"

/* Why a transfer failed, as the probes report it. */
struct pc_speed_failure {
    const char *cause; /* pc_cause_id(): server-unreachable, tls-failed, server-error,
                          server-refused, server-faulty */
    char reason[300];
    int reached;      /* the server's host answered (a connection was made, or refused) */
    long status;      /* the HTTP answer, 0 for none */
    int retryable;    /* 429 or 503: may be asked again after retry_ns */
    int64_t retry_ns; /* the server's Retry-After (0: none given) */
    char proxy[128];  /* proxy-failed: the proxy's host and port, and the variable that set it */
};

/* The server's base URL: --server, or the public default. */
const char *pc_speed_base(const struct pc_config *cfg);

/* "host" of the base URL (for the headline and advice), into buf. */
void pc_speed_host(const struct pc_config *cfg, char *buf, size_t cap);

/*
 * The base URL with path appended to its own path (+ "?bytes=N" when bytes
 * >= 0), built with libcurl's URL API, into buf; 0, or -1 when it does not
 * fit or the base is not a URL. bytes stays below PC_SPEED_BYTES_MAX (asserted).
 */
/* Is the speed-test server the public default (same host)? Then the caps above hold. */
int pc_speed_public(const struct pc_config *cfg);

int pc_speed_url(const struct pc_config *cfg, const char *path, long long bytes, char *buf,
                 size_t cap);

/*
 * Common options of every handle: url, HTTP/1.1, verification on, --cacert,
 * https-only redirects (at most PC_SPEED_REDIRECTS_MAX), no signals, the
 * User-Agent precall/VERSION (+PC_PROJECT_URL) and no other identifying
 * header, the check's in-memory cookie jar (shared by all its handles), the
 * error buffer (CURL_ERROR_SIZE bytes, owned by the caller). 0, or -1 when
 * libcurl refused an option.
 */
int pc_speed_setup(CURL *h, const struct pc_config *cfg, const char *url, char *errbuf);

/*
 * Read a finished transfer: rc its result, status the HTTP answer (0 if
 * none), errbuf libcurl's message. Returns 1 and fills f when it failed
 * (including an answer of 300 or more); 0 when it succeeded.
 */
int pc_speed_failed(CURL *h, CURLcode rc, const char *errbuf, const struct pc_config *cfg,
                    struct pc_speed_failure *f);

/*
 * How a probe ends on this failure: skipped for the server's refusal or
 * fault (server-refused, server-faulty: the speed checks are left out, as
 * with --skip, and the verdict stands on the rest) and for a proxy of the
 * environment that did not answer (proxy-failed), failed otherwise.
 */
enum pc_status pc_speed_status(const struct pc_speed_failure *f);

/* The base URL is plain http:// (for diagnostics; never HTTPS reachability). */
int pc_speed_plain(const struct pc_config *cfg);

#endif
