/* speedhttp.c - libcurl set-up and failure reading for the speed-test server (see speedhttp.h). */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precall/buf.h"
#include "precall/cause.h"
#include "precall/clock.h"
#include "probe/speedhttp.h"
#include "probe/traffic_own.h"

#ifndef PRECALL_VERSION
#define PRECALL_VERSION "0"
#endif

const char *pc_speed_base(const struct pc_config *cfg)
{
    return cfg->server != NULL && cfg->server[0] != '\0' ? cfg->server : PC_DEFAULT_SERVER;
}

void pc_speed_host(const struct pc_config *cfg, char *buf, size_t cap)
{
    CURLU *u = curl_url();
    char *host = NULL;

    snprintf(buf, cap, "%s", pc_speed_base(cfg));
    if (u != NULL && curl_url_set(u, CURLUPART_URL, pc_speed_base(cfg), 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
        snprintf(buf, cap, "%s", host);
    curl_free(host);
    curl_url_cleanup(u);
}

int pc_speed_public(const struct pc_config *cfg)
{
    struct pc_config def = {0};
    char host[256], public_host[256];

    pc_speed_host(cfg, host, sizeof(host));
    pc_speed_host(&def, public_host, sizeof(public_host));
    return strcasecmp(host, public_host) == 0;
}

int pc_speed_url(const struct pc_config *cfg, const char *path, long long bytes, char *buf,
                 size_t cap)
{
    CURLU *u = curl_url();
    char *base_path = NULL, *url = NULL, joined[512], query[40];
    size_t n;
    int rc = -1;

    assert(bytes < PC_SPEED_BYTES_MAX);
    if (u == NULL || curl_url_set(u, CURLUPART_URL, pc_speed_base(cfg), 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &base_path, 0) != CURLUE_OK)
        goto out;
    n = strlen(base_path);
    while (n > 0 && base_path[n - 1] == '/')
        n--;
    if (pc_strfmt(joined, sizeof(joined), "%.*s%s", (int)n, base_path, path) != 0)
        goto out;
    snprintf(query, sizeof(query), "bytes=%lld", bytes);
    if (curl_url_set(u, CURLUPART_PATH, joined, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_QUERY, bytes >= 0 ? query : NULL, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK)
        goto out;
    rc = pc_strfmt(buf, cap, "%s", url) == 0 ? 0 : -1;
out:
    curl_free(base_path);
    curl_free(url);
    curl_url_cleanup(u);
    return rc;
}

int pc_speed_plain(const struct pc_config *cfg)
{
    return strncmp(pc_speed_base(cfg), "http://", 7) == 0;
}

/* The check's cookie jar: one share for every handle of the process (one check), in memory. */
static pthread_mutex_t share_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t share_once = PTHREAD_ONCE_INIT;
static CURLSH *share;

static void lock(CURL *h, curl_lock_data data, curl_lock_access access, void *user)
{
    (void)h, (void)data, (void)access, (void)user;
    pthread_mutex_lock(&share_lock);
}

static void unlock(CURL *h, curl_lock_data data, void *user)
{
    (void)h, (void)data, (void)user;
    pthread_mutex_unlock(&share_lock);
}

static void share_init(void)
{
    share = curl_share_init();
    if (share != NULL &&
        (curl_share_setopt(share, CURLSHOPT_LOCKFUNC, lock) != CURLSHE_OK ||
         curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, unlock) != CURLSHE_OK ||
         curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE) != CURLSHE_OK)) {
        curl_share_cleanup(share);
        share = NULL;
    }
}

int pc_speed_setup(CURL *h, const struct pc_config *cfg, const char *url, char *errbuf)
{
    CURLcode rc = CURLE_OK;

    errbuf[0] = '\0';
#define SET(opt, v)                                                                                \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(h, opt, v);                                                      \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_NOSIGNAL, 1L);
    /* One TCP connection per transfer, and nginx's early answer to an upload. */
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, (long)PC_SPEED_REDIRECTS_MAX);
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    /* Who asks, honestly: no browser User-Agent, no Origin, no Referer. */
    SET(CURLOPT_USERAGENT, "precall/" PRECALL_VERSION " (+" PC_PROJECT_URL ")");
    SET(CURLOPT_AUTOREFERER, 0L);
    /* Cookies the server sets come back on the check's later requests, as a browser's would;
       "" turns the engine on without reading a file, and nothing is written. */
    SET(CURLOPT_COOKIEFILE, "");
    pthread_once(&share_once, share_init);
    if (share != NULL)
        SET(CURLOPT_SHARE, share);
    /* Uncompressed: the server's random bytes are what is counted. */
    SET(CURLOPT_ACCEPT_ENCODING, NULL);
    if (cfg->cacert != NULL)
        SET(CURLOPT_CAINFO, cfg->cacert);
    /* Each connection's local port is known to the traffic probe before its first packet. */
    SET(CURLOPT_OPENSOCKETFUNCTION, pc_traffic_curl_socket);
    if (cfg->family == 4)
        SET(CURLOPT_IPRESOLVE, (long)CURL_IPRESOLVE_V4);
    else if (cfg->family == 6)
        SET(CURLOPT_IPRESOLVE, (long)CURL_IPRESOLVE_V6);
#undef SET
    return rc == CURLE_OK ? 0 : -1;
}

static int contains(const char *s, const char *what)
{
    return s != NULL && strstr(s, what) != NULL;
}

enum pc_status pc_speed_status(const struct pc_speed_failure *f)
{
    return strcmp(f->cause, pc_cause_id(PC_CAUSE_SERVER_REFUSED)) == 0 ||
                   strcmp(f->cause, pc_cause_id(PC_CAUSE_SERVER_FAULTY)) == 0 ||
                   strcmp(f->cause, pc_cause_id(PC_CAUSE_PROXY_FAILED)) == 0
               ? PC_STATUS_SKIPPED
               : PC_STATUS_FAILED;
}

/*
 * The proxy libcurl takes from the environment for the server's scheme
 * (https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY; http_proxy for http://),
 * unless no_proxy names "*" or the server's host: its host and port, and the
 * variable, into buf (never a user name or password). 0 when there is none.
 */
static int env_proxy(const struct pc_config *cfg, char *buf, size_t cap)
{
    static const char *const https_vars[] = {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                                             NULL};
    static const char *const http_vars[] = {"http_proxy", "all_proxy", "ALL_PROXY", NULL};
    const char *const *vars = pc_speed_plain(cfg) ? http_vars : https_vars;
    const char *no = getenv("no_proxy") != NULL ? getenv("no_proxy") : getenv("NO_PROXY");
    char host[256];
    CURLU *u;
    char *ph = NULL, *pp = NULL;
    int found = 0;

    pc_speed_host(cfg, host, sizeof(host));
    if (no != NULL && (strcmp(no, "*") == 0 || strstr(no, host) != NULL))
        return 0;
    for (size_t i = 0; vars[i] != NULL && !found; i++) {
        const char *v = getenv(vars[i]);

        if (v == NULL || v[0] == '\0')
            continue;
        found = 1;
        snprintf(buf, cap, "set in %s", vars[i]);
        u = curl_url();
        if (u != NULL &&
            curl_url_set(u, CURLUPART_URL, v, CURLU_GUESS_SCHEME | CURLU_DEFAULT_PORT) ==
                CURLUE_OK &&
            curl_url_get(u, CURLUPART_HOST, &ph, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_PORT, &pp, CURLU_DEFAULT_PORT) == CURLUE_OK)
            pc_strfmt(buf, cap, "%s:%s (set in %s)", ph, pp, vars[i]);
        curl_free(ph);
        curl_free(pp);
        curl_url_cleanup(u);
    }
    return found;
}

/* An answer of 300 or more: a refusal (403, 429, 503 ...) or a fault of the server. */
static int http_status(CURL *h, long status, struct pc_speed_failure *f)
{
    curl_off_t after = -1;

    f->status = status;
    if (status == 429 || status == 503) {
        f->retryable = 1;
        if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0)
            f->retry_ns = (int64_t)(after > 3600 ? 3600 : after) * PC_NS_PER_S;
    }
    if (status == 401 || status == 403 || status == 429 || status == 451 || status == 503) {
        f->cause = pc_cause_id(PC_CAUSE_SERVER_REFUSED);
        snprintf(f->reason, sizeof(f->reason), "the speed-test server refused the test: HTTP %ld",
                 status);
        return 1;
    }
    f->cause = pc_cause_id(PC_CAUSE_SERVER_FAULTY);
    snprintf(f->reason, sizeof(f->reason), "the speed-test server answered HTTP %ld%s", status,
             status < 400 ? " (a redirect it was not allowed to follow)" : "");
    return 1;
}

int pc_speed_failed(CURL *h, CURLcode rc, const char *errbuf, const struct pc_config *cfg,
                    struct pc_speed_failure *f)
{
    long status = 0, os_errno = 0;
    curl_off_t conn = 0, tls = 0, got = 0, want = -1;
    const char *msg = errbuf != NULL && errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);

    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &conn);
    curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &tls);
    curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
    curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &want);
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    memset(f, 0, sizeof(*f));
    f->reached = conn > 0;
    f->status = status;
    /* Once the server was reached, whatever goes wrong is the server's doing. */
    f->cause = pc_cause_id(f->reached ? PC_CAUSE_SERVER_FAULTY : PC_CAUSE_SERVER_ERROR);
    switch (rc) {
    case CURLE_OK:
        return status < 300 ? 0 : http_status(h, status, f);
    case CURLE_COULDNT_RESOLVE_PROXY:
        f->cause = pc_cause_id(PC_CAUSE_PROXY_FAILED);
        if (!env_proxy(cfg, f->proxy, sizeof(f->proxy)))
            snprintf(f->proxy, sizeof(f->proxy), "of this computer's settings");
        snprintf(f->reason, sizeof(f->reason), "the name of the proxy %s did not resolve: %s",
                 f->proxy, msg);
        return 1;
    case CURLE_COULDNT_RESOLVE_HOST:
        f->cause = pc_cause_id(PC_CAUSE_SERVER_UNREACHABLE);
        snprintf(f->reason, sizeof(f->reason),
                 "the name of the speed-test server did not resolve: %s", msg);
        return 1;
    case CURLE_COULDNT_CONNECT:
        if (!f->reached && env_proxy(cfg, f->proxy, sizeof(f->proxy))) {
            f->cause = pc_cause_id(PC_CAUSE_PROXY_FAILED);
            snprintf(f->reason, sizeof(f->reason),
                     "the proxy %s did not answer, so the speed-test server was not reached",
                     f->proxy);
            return 1;
        }
        if (os_errno == ECONNREFUSED) {
            /* A reset is an answer: the computer is online, nothing listens on that port. */
            f->reached = 1;
            f->cause = pc_cause_id(PC_CAUSE_SERVER_FAULTY);
            snprintf(f->reason, sizeof(f->reason),
                     "the speed-test server refused the connection: nothing listens on its port "
                     "(%s)",
                     msg);
            return 1;
        }
        f->cause = pc_cause_id(PC_CAUSE_SERVER_UNREACHABLE);
        snprintf(f->reason, sizeof(f->reason), "no connection to the speed-test server: %s", msg);
        return 1;
    case CURLE_OPERATION_TIMEDOUT:
        if (!f->reached)
            f->cause = pc_cause_id(PC_CAUSE_SERVER_UNREACHABLE);
        snprintf(f->reason, sizeof(f->reason), "%s",
                 !f->reached ? "the speed-test server did not answer (no connection in time)"
                 : status == 0
                     ? "the speed-test server accepted the connection but never answered"
                     : "the speed-test server stopped sending in the middle of the transfer");
        return 1;
    case CURLE_PEER_FAILED_VERIFICATION:
        f->cause = pc_cause_id(PC_CAUSE_TLS_FAILED);
        snprintf(f->reason, sizeof(f->reason),
                 "the speed-test server's certificate could not be verified%s (%s)",
                 cfg->cacert != NULL ? " with the CA of --cacert" : "", msg);
        return 1;
    case CURLE_SSL_CACERT_BADFILE:
        f->cause = pc_cause_id(PC_CAUSE_TLS_FAILED);
        snprintf(f->reason, sizeof(f->reason), "the certificate file of --cacert is unusable (%s)",
                 msg);
        return 1;
    case CURLE_SSL_CONNECT_ERROR:
        /* OpenSSL's words for a peer that answered TLS with plain text. */
        if (contains(msg, "wrong version number") || contains(msg, "packet length too long") ||
            contains(msg, "record layer failure")) {
            f->reached = 1; /* it answered, in plain text */
            f->cause = pc_cause_id(PC_CAUSE_SERVER_FAULTY);
            snprintf(f->reason, sizeof(f->reason),
                     "the speed-test server does not speak TLS on its HTTPS port (plain HTTP?): "
                     "%s",
                     msg);
            return 1;
        }
        f->cause = pc_cause_id(PC_CAUSE_TLS_FAILED);
        snprintf(f->reason, sizeof(f->reason),
                 "the TLS handshake with the speed-test server failed: %s", msg);
        return 1;
    case CURLE_TOO_MANY_REDIRECTS:
        snprintf(f->reason, sizeof(f->reason),
                 "the speed-test server redirects in a loop (more than %d redirects)",
                 PC_SPEED_REDIRECTS_MAX);
        return 1;
    case CURLE_PARTIAL_FILE:
        snprintf(f->reason, sizeof(f->reason),
                 "the speed-test server closed the connection early, after %lld of %lld bytes",
                 (long long)got, (long long)want);
        return 1;
    case CURLE_GOT_NOTHING:
        snprintf(f->reason, sizeof(f->reason),
                 "the speed-test server closed the connection without answering");
        return 1;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        /* A reset of an established TLS connection before any answer: how a server refuses. */
        if (tls > 0 && status == 0) {
            f->cause = pc_cause_id(PC_CAUSE_SERVER_REFUSED);
            snprintf(f->reason, sizeof(f->reason),
                     "the speed-test server refused the test: it reset the connection before "
                     "answering (%s)",
                     msg);
            return 1;
        }
        snprintf(f->reason, sizeof(f->reason),
                 "the connection to the speed-test server broke during the transfer: %s", msg);
        return 1;
    default:
        snprintf(f->reason, sizeof(f->reason), "the transfer from the speed-test server failed: %s",
                 msg);
        return 1;
    }
}
