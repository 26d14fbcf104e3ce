/* speedhttp.c - libcurl set-up and failure reading for the speed-test server (see speedhttp.h). */
#include <stdio.h>
#include <string.h>

#include "precall/cause.h"
#include "probe/speedhttp.h"

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

int pc_speed_url(const struct pc_config *cfg, const char *path, long long bytes, char *buf,
                 size_t cap)
{
    const char *base = pc_speed_base(cfg);
    size_t n = strlen(base);
    int len;

    while (n > 0 && base[n - 1] == '/')
        n--;
    if (bytes >= 0)
        len = snprintf(buf, cap, "%.*s%s?bytes=%lld", (int)n, base, path, bytes);
    else
        len = snprintf(buf, cap, "%.*s%s", (int)n, base, path);
    return len < 0 || (size_t)len >= cap ? -1 : 0;
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
    SET(CURLOPT_USERAGENT, "precall/" PRECALL_VERSION);
    /* Uncompressed: the server's random bytes are what is counted. */
    SET(CURLOPT_ACCEPT_ENCODING, NULL);
    if (cfg->cacert != NULL)
        SET(CURLOPT_CAINFO, cfg->cacert);
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

int pc_speed_failed(CURL *h, CURLcode rc, const char *errbuf, const struct pc_config *cfg,
                    struct pc_speed_failure *f)
{
    long status = 0;
    curl_off_t conn = 0, got = 0, want = -1;
    const char *msg = errbuf != NULL && errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);

    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &conn);
    curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
    curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &want);
    f->reached = conn > 0;
    f->cause = pc_cause_id(PC_CAUSE_SERVER_ERROR);
    switch (rc) {
    case CURLE_OK:
        if (status < 300)
            return 0;
        snprintf(f->reason, sizeof(f->reason), "the speed-test server answered HTTP %ld%s", status,
                 status < 400 ? " (a redirect it was not allowed to follow)" : "");
        return 1;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        f->cause = pc_cause_id(PC_CAUSE_SERVER_UNREACHABLE);
        snprintf(f->reason, sizeof(f->reason),
                 "the name of the speed-test server did not resolve: %s", msg);
        return 1;
    case CURLE_COULDNT_CONNECT:
        f->cause = pc_cause_id(PC_CAUSE_SERVER_UNREACHABLE);
        snprintf(f->reason, sizeof(f->reason), "no connection to the speed-test server: %s", msg);
        return 1;
    case CURLE_OPERATION_TIMEDOUT:
        f->cause = f->reached ? pc_cause_id(PC_CAUSE_SERVER_STOPPED)
                              : pc_cause_id(PC_CAUSE_SERVER_UNREACHABLE);
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
        f->cause = pc_cause_id(PC_CAUSE_SERVER_STOPPED);
        snprintf(f->reason, sizeof(f->reason),
                 "the connection to the speed-test server broke during the transfer: %s", msg);
        return 1;
    default:
        snprintf(f->reason, sizeof(f->reason), "the transfer from the speed-test server failed: %s",
                 msg);
        return 1;
    }
}
