/* push.c - --push: the OpenMetrics report to a Prometheus Pushgateway (see push.h). */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/push.h"
#include "cli/cli.h"
#include "precall/buf.h"
#include "precall/render.h"
#include "precall/utf8.h"

#ifndef PRECALL_VERSION
#define PRECALL_VERSION "0"
#endif

int pc_push_check_url(const char *url, struct pc_err *err)
{
    CURLU *u = curl_url();
    char *part = NULL;
    int rc = 0;

    if (u == NULL)
        return pc_err_set(err, PC_ENOMEM, "--push: out of memory");
    if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
        rc = pc_err_set(err, PC_EINVAL, "--push: expected an http:// or https:// URL");
    } else if (strpbrk(url, " \t\r\n") != NULL) {
        rc = pc_err_set(err, PC_EINVAL, "--push: the URL has a space in it");
    } else if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        rc = pc_err_set(err, PC_EINVAL, "--push: not a usable URL");
    } else if (curl_url_get(u, CURLUPART_HOST, &part, 0) != CURLUE_OK || part == NULL ||
               part[0] == '\0') {
        rc = pc_err_set(err, PC_EINVAL, "--push: the URL has no host name");
    } else {
        curl_free(part);
        part = NULL;
        if (curl_url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_OK && part != NULL)
            rc = pc_err_set(err, PC_EINVAL, "--push: a query (?...) is not accepted");
        else if (curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK && part != NULL)
            rc = pc_err_set(err, PC_EINVAL, "--push: a fragment (#...) is not accepted");
    }
    curl_free(part);
    curl_url_cleanup(u);
    return rc;
}

/* Can the value stand as a path segment as it is? */
static int plain(const char *s)
{
    return s[0] != '\0' &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
               strlen(s);
}

/* RFC 4648 section 5: base64 with the URL and file name safe alphabet, padded. */
static void base64url(const char *in, char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const unsigned char *s = (const unsigned char *)in;
    size_t n = strlen(in), k = 0;

    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);

        out[k++] = abc[v >> 18 & 63];
        out[k++] = abc[v >> 12 & 63];
        out[k++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
        out[k++] = i + 2 < n ? abc[v & 63] : '=';
    }
    out[k] = '\0';
}

int pc_push_target(const char *url, const char *job, const char *instance, char *out, size_t cap,
                   struct pc_err *err)
{
    char enc[4 * (PC_PUSH_INSTANCE_MAX + 2) / 3 + 4];
    size_t n = strlen(url);
    int w;

    if (strlen(instance) > PC_PUSH_INSTANCE_MAX)
        return pc_err_set(err, PC_EINVAL, "--push-instance: longer than %d bytes",
                          PC_PUSH_INSTANCE_MAX);
    if (n > 0 && url[n - 1] == '/')
        n--;
    if (plain(instance)) {
        w = snprintf(out, cap, "%.*s/metrics/job/%s/instance/%s", (int)n, url, job, instance);
    } else {
        base64url(instance, enc);
        w = snprintf(out, cap, "%.*s/metrics/job/%s/instance@base64/%s", (int)n, url, job, enc);
    }
    if (w < 0 || (size_t)w >= cap)
        return pc_err_set(err, PC_EINVAL, "--push: the URL is too long");
    return 0;
}

/* The answer's first line, kept for the error message. */
struct answer {
    char text[160];
    size_t len;
};

static size_t keep(char *data, size_t size, size_t n, void *user)
{
    struct answer *a = user;
    size_t room = sizeof(a->text) - 1 - a->len, take = size * n < room ? size * n : room;

    memcpy(a->text + a->len, data, take);
    a->len += take;
    a->text[a->len] = '\0';
    return size * n;
}

/* "host:port" of the URL, for messages that must not repeat a password. */
static void where(const char *url, char *buf, size_t cap)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL;

    snprintf(buf, cap, "the Pushgateway");
    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
        pc_strfmt(buf, cap, "the Pushgateway at %s:%s", host, port);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
}

int pc_push_send(const char *url, const char *instance, const char *cacert, const char *body,
                 size_t len, struct pc_err *err)
{
    char target[2048], errbuf[CURL_ERROR_SIZE] = "", at[200];
    struct curl_slist *headers = NULL;
    struct answer answer = {0};
    long status = 0;
    CURLcode cc;
    CURL *c;
    int rc;

    rc = pc_push_target(url, "precall", instance, target, sizeof(target), err);
    if (rc < 0)
        return rc;
    where(url, at, sizeof(at));
    c = curl_easy_init();
    headers = curl_slist_append(NULL, "Content-Type: text/plain; version=0.0.4; charset=utf-8");
    if (c == NULL || headers == NULL) {
        curl_slist_free_all(headers);
        curl_easy_cleanup(c);
        return pc_err_set(err, PC_ENOMEM, "--push: out of memory");
    }
    curl_easy_setopt(c, CURLOPT_URL, target);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (cacert != NULL)
        curl_easy_setopt(c, CURLOPT_CAINFO, cacert);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, PC_PUSH_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, PC_PUSH_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "precall/" PRECALL_VERSION);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT"); /* the group's metrics, replaced */
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK) {
        rc = pc_err_set(err, PC_EIO, "--push: cannot reach %s: %s", at,
                        errbuf[0] ? errbuf : curl_easy_strerror(cc));
    } else if (status < 200 || status > 299) {
        answer.text[strcspn(answer.text, "\r\n")] = '\0';
        pc_utf8_sanitize(answer.text);
        rc = pc_err_set(err, PC_EIO, "--push: %s answered HTTP %ld%s%s", at, status,
                        answer.text[0] ? ": " : "", answer.text);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return rc;
}

int pc_cli_push(const struct pc_cli *cli, const struct pc_report *r, int status)
{
    struct pc_render_opts ro = {0, 0, 0, PRECALL_VERSION};
    struct pc_buf body = {0};
    struct pc_err err = {0};
    char host[PC_PUSH_INSTANCE_MAX + 1] = "";
    const char *instance = cli->push_instance;

    if (cli->push == NULL)
        return status;
    if (instance == NULL) {
        if (gethostname(host, sizeof(host) - 1) < 0 || host[0] == '\0')
            snprintf(host, sizeof(host), "unknown");
        instance = host;
    }
    pc_render_openmetrics(r, &ro, &body);
    if (body.failed) {
        pc_cli_error("--push: out of memory");
        status = PC_EXIT_IOERR;
    } else if (pc_push_send(cli->push, instance, cli->cfg.cacert, body.data, body.len, &err) < 0) {
        pc_cli_error("%s", err.msg);
        status = PC_EXIT_IOERR;
    }
    pc_buf_free(&body);
    return status;
}
