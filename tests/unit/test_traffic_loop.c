/*
 * test_traffic_loop.c - the traffic probe end to end on loopback (as root):
 * precall's own short connections are not counted, another program's are.
 *
 * The probe captures on "lo" (a fixture sysroot says the default route is
 * there, and has no /proc/self/fd: the probe cannot find precall's sockets
 * in /proc, so only the ports the probes register as they make their
 * sockets can leave them out). A fake probe of the idle phase makes 20
 * short connections as the speed test makes its own (pc_speed_setup),
 * each open and closed within milliseconds, far inside the probe's 100 ms
 * refresh, to a loopback server that answers 64 KiB; then one connection
 * of sockets no probe made, which moves 256 KiB. Loopback shows both ends
 * as this computer's: a packet counts under its destination's port, so the
 * 64 KiB answers go under the clients' ports (which only their
 * registration, when libcurl made the socket, leaves out) and the requests
 * under the server's (not precall's here: counted, a few hundred bytes
 * each). Expected: the unregistered connection's 256 KiB the biggest flow,
 * and no flow on a port of libcurl's.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/runner.h"
#include "probe/speedhttp.h"
#include "probe/traffic.h"
#include "probe/traffic_own.h"

#define SHORT_CONNS  20
#define ANSWER_BYTES 65536
#define OTHER_BYTES  262144

static int listen_on(uint16_t *port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0)
        return -1;
    *port = ntohs(a.sin_port);
    return fd;
}

static int http_fd, other_fd;
static uint16_t http_port, other_port, other_client_port;
static long curl_ports[SHORT_CONNS];
static char body[OTHER_BYTES];

/* The speed-test server: SHORT_CONNS connections, each one answer of ANSWER_BYTES, then close. */
static void *serve_http(void *arg)
{
    char req[2048], head[128];

    (void)arg;
    for (int i = 0; i < SHORT_CONNS; i++) {
        int c = accept(http_fd, NULL, NULL);
        int n;

        if (c < 0)
            break;
        n = snprintf(head, sizeof(head),
                     "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
                     ANSWER_BYTES);
        if (read(c, req, sizeof(req)) > 0 && write(c, head, (size_t)n) == n &&
            write(c, body, ANSWER_BYTES) < 0)
            perror("write");
        close(c);
    }
    return NULL;
}

static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static int run_conns(struct pc_probe_ctx *ctx)
{
    struct pc_config cfg;
    char url[64], errbuf[CURL_ERROR_SIZE];
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int ok = 0, c, s;
    size_t got = 0;
    char buf[16384];

    nap_ms(500); /* the capture opens beside it */
    memset(&cfg, 0, sizeof(cfg));
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/__down?bytes=%d", http_port, ANSWER_BYTES);
    for (int i = 0; i < SHORT_CONNS; i++) {
        CURL *h = curl_easy_init();

        if (h != NULL && pc_speed_setup(h, &cfg, url, errbuf) == 0) {
            curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
            curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
            curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
            ok += curl_easy_perform(h) == CURLE_OK;
            curl_easy_getinfo(h, CURLINFO_LOCAL_PORT, &curl_ports[i]);
        }
        curl_easy_cleanup(h);
    }
    /* another program's connection: sockets no probe made */
    a.sin_port = htons(other_port);
    c = socket(AF_INET, SOCK_STREAM, 0);
    if (c >= 0 && connect(c, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(c, (struct sockaddr *)&a, &len) == 0 &&
        (s = accept(other_fd, NULL, NULL)) >= 0) {
        other_client_port = ntohs(a.sin_port);
        if (write(s, body, OTHER_BYTES) != OTHER_BYTES)
            perror("write");
        close(s);
        for (ssize_t n; (n = read(c, buf, sizeof(buf))) > 0;)
            got += (size_t)n;
    }
    if (c >= 0)
        close(c);
    nap_ms(300); /* the last packets reach the capture */
    pc_probe_finish(ctx, ok == SHORT_CONNS && got == OTHER_BYTES ? PC_STATUS_OK : PC_STATUS_FAILED,
                    "", "%d of %d connections, %zu bytes", ok, SHORT_CONNS, got);
    return 0;
}

static int write_fixture(char *dir)
{
    char p[256];
    FILE *f;

    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(p, sizeof(p), "%s/proc", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/proc/net", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/proc/net/route", dir);
    if ((f = fopen(p, "w")) == NULL)
        return -1;
    fprintf(f, "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n"
               "lo\t00000000\t0100007F\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");
    return fclose(f);
}

int main(void)
{
    static const struct pc_probe conns = {"conns", "", "", 1, 0.5, run_conns, 0, NULL, 0, NULL};
    const struct pc_probe *const list[] = {&conns, &pc_probe_traffic};
    char dir[] = "/tmp/pc-traffic-loop.XXXXXX", cmd[64];
    struct pc_config cfg;
    struct pc_run run;
    struct pc_report *r;
    const struct pc_probe_result *res;
    pthread_t th;
    double flows = -1, down = -1;
    int n_flows = 0;

    if (geteuid() != 0) {
        printf("not root: no capture, nothing checked\n");
        return 0;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    memset(body, 'x', sizeof(body));
    CHECK(write_fixture(dir) == 0);
    CHECK((http_fd = listen_on(&http_port)) >= 0 && (other_fd = listen_on(&other_port)) >= 0);
    CHECK(pthread_create(&th, NULL, serve_http, NULL) == 0);
    memset(&cfg, 0, sizeof(cfg));
    cfg.sysroot = dir;
    cfg.budget_ns = 10 * PC_NS_PER_S;
    cfg.timeout_ns = 20 * PC_NS_PER_S;
    run = (struct pc_run){.probes = list, .n_probes = 2, .mask = 3, .cfg = &cfg};
    r = pc_report_new();
    CHECK(r != NULL);
    pc_runner_run(&run, r);
    pthread_join(th, NULL);

    res = pc_report_probe_find(r, "conns");
    CHECK(res != NULL && res->status == PC_STATUS_OK);
    if (res != NULL)
        printf("conns: %s\n", res->reason);
    res = pc_report_probe_find(r, "traffic");
    CHECK(res != NULL && res->status == PC_STATUS_OK);
    if (res != NULL)
        printf("traffic: %s\n", res->reason);
    pc_report_get_copy(r, PC_SCOPE_RUN_ID, PC_M_OTHER_FLOWS, &flows, NULL, 0);
    pc_report_get_copy(r, PC_SCOPE_RUN_ID, PC_M_OTHER_DOWN_MBPS, &down, NULL, 0);
    CHECK(flows >= 2 && down > 0);
    /* the flows in the order of their bytes: the unregistered connection's data first */
    for (size_t i = 0; i < r->n_scopes; i++) {
        double port = -1;

        if (r->scopes[i]->kind != PC_SCOPE_OTHER_FLOW)
            continue;
        pc_report_get_copy(r, i, PC_M_OTHER_FLOW_LOCAL_PORT, &port, NULL, 0);
        printf("other flow %s, local port %.0f\n", r->scopes[i]->id, port);
        if (n_flows++ == 0)
            CHECK(port == other_client_port);
        for (int k = 0; k < SHORT_CONNS; k++)
            CHECK(curl_ports[k] > 0 && port != (double)curl_ports[k]);
    }
    CHECK(n_flows >= 2);
    pc_report_free(r);
    close(http_fd);
    close(other_fd);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    curl_global_cleanup();
    return check_done();
}
