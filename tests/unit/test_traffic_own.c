/*
 * test_traffic_own.c - precall's own sockets as the traffic probe leaves
 * them out: the registry of own ports (both sides of a word of bits, TCP
 * apart from UDP), which flows are left out, the windows the probe counts
 * in while the runner's phases go by, and, on loopback, that a STUN socket
 * and a libcurl connection (set up as every speed-test connection is) are
 * registered before their first packet: the listening end checks the
 * connecting port when it accepts, before anything is read, so a short
 * connection that opens and closes between two looks at /proc is not
 * counted. The runner part runs fake probes of phases 0 to 3 and one that
 * overlaps them and notes the phases it sees.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/runner.h"
#include "probe/speedhttp.h"
#include "probe/stunsock.h"
#include "probe/traffic.h"
#include "probe/traffic_own.h"

static void registry(void)
{
    struct pc_own_port own[8];
    size_t n = 0;

    CHECK(!pc_traffic_own_has(6, 40000));
    pc_traffic_own_add(6, 40000);
    CHECK(pc_traffic_own_has(6, 40000));
    CHECK(!pc_traffic_own_has(17, 40000)); /* TCP apart from UDP */
    CHECK(!pc_traffic_own_has(6, 39999) && !pc_traffic_own_has(6, 40001));
    /* the ends of a 64-bit word, and of the port range */
    pc_traffic_own_add(17, 63);
    pc_traffic_own_add(17, 64);
    pc_traffic_own_add(17, 65535);
    CHECK(pc_traffic_own_has(17, 63) && pc_traffic_own_has(17, 64) &&
          pc_traffic_own_has(17, 65535));
    CHECK(!pc_traffic_own_has(17, 62) && !pc_traffic_own_has(17, 65) &&
          !pc_traffic_own_has(17, 65534));
    /* port 0 is no socket's; other protocols are never registered */
    pc_traffic_own_add(17, 0);
    CHECK(!pc_traffic_own_has(17, 0));
    pc_traffic_own_add(1, 5000);
    CHECK(!pc_traffic_own_has(1, 5000) && !pc_traffic_own_has(6, 5000) &&
          !pc_traffic_own_has(17, 5000));

    /* collected for the BPF filter, each once */
    CHECK(pc_traffic_own_collect(own, &n, 8) == 4);
    CHECK(n == 4 && own[0].proto == 6 && own[0].port == 40000 && own[1].proto == 17 &&
          own[1].port == 63 && own[2].port == 64 && own[3].port == 65535);
    CHECK(pc_traffic_own_collect(own, &n, 8) == 0 && n == 4);
    /* the list is full: what does not fit is left for the count's own check */
    n = 3;
    CHECK(pc_traffic_own_collect(own, &n, 3) == 0 && n == 3);
}

static void left_out(void)
{
    struct pc_own_port own[1] = {{17, 50000}};

    /* registered, on this computer's end */
    CHECK(pc_traffic_left_out(6, 1, 40000, NULL, 0) == 1);
    /* between two other devices (shared medium): never precall's */
    CHECK(pc_traffic_left_out(6, 0, 40000, NULL, 0) == 0);
    /* seen in /proc only */
    CHECK(pc_traffic_left_out(17, 1, 50000, own, 1) == 1);
    CHECK(pc_traffic_left_out(6, 1, 50000, own, 1) == 0);
    CHECK(pc_traffic_left_out(17, 1, 50001, own, 1) == 0);
    CHECK(pc_traffic_left_out(17, 0, 50000, own, 1) == 0);
}

static void windows(void)
{
    unsigned both = 1u << 0 | 1u << 1 | 1u << 2 | 1u << 3;

    /* udp (phase 1) and bandwidth (phase 2) both run: idle, then the speed test, then done */
    CHECK(pc_traffic_window_of(both, -1) == -1);
    CHECK(pc_traffic_window_of(both, 0) == -1);
    CHECK(pc_traffic_window_of(both, 1) == PC_TRAFFIC_IDLE);
    CHECK(pc_traffic_window_of(both, 2) == PC_TRAFFIC_SPEED);
    CHECK(pc_traffic_window_of(both, 3) == -2); /* the relay's phase: it has stopped */
    CHECK(pc_traffic_window_of(both, PC_PHASES_DONE) == -2);
    /* --skip bandwidth: done after the idle phase, not waiting for the relay's */
    CHECK(pc_traffic_window_of(1u << 0 | 1u << 1 | 1u << 3, 1) == PC_TRAFFIC_IDLE);
    CHECK(pc_traffic_window_of(1u << 0 | 1u << 1 | 1u << 3, 2) == -2);
    CHECK(pc_traffic_window_of(1u << 0 | 1u << 1 | 1u << 3, 3) == -2);
    /* --skip udp: only the speed test */
    CHECK(pc_traffic_window_of(1u << 0 | 1u << 2, 0) == -1);
    CHECK(pc_traffic_window_of(1u << 0 | 1u << 2, 2) == PC_TRAFFIC_SPEED);
    CHECK(pc_traffic_window_of(1u << 0 | 1u << 2, PC_PHASES_DONE) == -2);
    /* neither: nothing to watch (the probe takes a window of its own) */
    CHECK(pc_traffic_window_of(1u << 0 | 1u << 3, -1) == -2);
    CHECK(pc_traffic_window_of(0, -1) == -2);
}

/* --- on loopback ------------------------------------------------------- */

struct server {
    int fd;
    uint16_t port;
    int accepted;
    int registered_at_accept; /* the peer's port was registered when it connected */
};

static void *serve(void *arg)
{
    struct server *s = arg;
    struct sockaddr_in peer;
    socklen_t len = sizeof(peer);
    int c = accept(s->fd, (struct sockaddr *)&peer, &len);
    char buf[2048];
    static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close"
                                 "\r\n\r\nok";

    if (c < 0)
        return NULL;
    s->accepted = 1;
    /* before anything is read: the connection exists, its port must be known already */
    s->registered_at_accept = pc_traffic_own_has(6, ntohs(peer.sin_port));
    if (read(c, buf, sizeof(buf)) > 0 && write(c, answer, sizeof(answer) - 1) < 0)
        s->accepted = 2;
    close(c);
    return NULL;
}

static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

static void curl_connection(void)
{
    struct server s = {.fd = socket(AF_INET, SOCK_STREAM, 0)};
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    struct pc_config cfg;
    char url[64], errbuf[CURL_ERROR_SIZE];
    pthread_t th;
    CURL *h;

    memset(&cfg, 0, sizeof(cfg));
    CHECK(s.fd >= 0 && bind(s.fd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(s.fd, 1) == 0);
    CHECK(getsockname(s.fd, (struct sockaddr *)&a, &len) == 0);
    s.port = ntohs(a.sin_port);
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/__down?bytes=2", s.port);
    CHECK(pthread_create(&th, NULL, serve, &s) == 0);
    h = curl_easy_init();
    CHECK(h != NULL && pc_speed_setup(h, &cfg, url, errbuf) == 0);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    CHECK(curl_easy_perform(h) == CURLE_OK);
    curl_easy_cleanup(h);
    pthread_join(th, NULL);
    close(s.fd);
    CHECK(s.accepted == 1);
    CHECK(s.registered_at_accept == 1);
}

static void stun_socket(void)
{
    struct pc_stunsock s;
    struct pc_err err = {0};
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int sp[2];

    CHECK(pc_stunsock_open(&s, AF_INET, &err) == 0);
    /* a port of its own before the first datagram, and registered */
    CHECK(getsockname(s.fd, (struct sockaddr *)&a, &len) == 0 && a.sin_port != 0);
    CHECK(pc_traffic_own_has(17, ntohs(a.sin_port)));
    /* a socket already bound keeps its port */
    CHECK(pc_traffic_own_fd(s.fd) == ntohs(a.sin_port));
    pc_stunsock_close(&s);
    /* IPv6 too (bound with the IPv6 address length) */
    if (pc_stunsock_open(&s, AF_INET6, &err) == 0) {
        struct sockaddr_in6 a6;

        len = sizeof(a6);
        CHECK(getsockname(s.fd, (struct sockaddr *)&a6, &len) == 0 && a6.sin6_port != 0);
        CHECK(pc_traffic_own_has(17, ntohs(a6.sin6_port)));
        pc_stunsock_close(&s);
    } else {
        printf("no IPv6 socket here: the IPv6 registration is not checked\n");
    }
    /* not an IP socket: nothing registered */
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
    CHECK(pc_traffic_own_fd(sp[0]) == -1);
    close(sp[0]);
    close(sp[1]);
}

/* --- the runner's phases, as an overlapping probe sees them ------------- */

static int seen[8];
static int n_seen;
static unsigned seen_planned;

static void nap(void)
{
    struct timespec ts = {0, 2 * 1000000L};

    nanosleep(&ts, NULL);
}

static int run_phase(struct pc_probe_ctx *ctx)
{
    for (int i = 0; i < 100; i++) /* 200 ms: the watcher looks every 2 ms */
        nap();
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
    return 0;
}

static int run_watch(struct pc_probe_ctx *ctx)
{
    int now = -1;

    seen_planned = pc_probe_phases(ctx, &now);
    while (now != PC_PHASES_DONE && !pc_probe_should_stop(ctx)) {
        nap();
        pc_probe_phases(ctx, &now);
        if (now >= 0 && now != PC_PHASES_DONE && (n_seen == 0 || seen[n_seen - 1] != now) &&
            n_seen < 8)
            seen[n_seen++] = now;
    }
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
    return 0;
}

static void runner_phases(void)
{
    static const struct pc_probe p0 = {"p0", "", "", 0, 0.1, run_phase, 0, NULL, 0, NULL},
                                 p1 = {"p1", "", "", 1, 0.3, run_phase, 0, NULL, 0, NULL},
                                 p2 = {"p2", "", "", 2, 0.5, run_phase, 0, NULL, 0, NULL},
                                 p3 = {"p3", "", "", 3, 0.3, run_phase, 0, NULL, 0, NULL},
                                 w = {"watch", "", "", 1, 0.3, run_watch, 0, NULL, 1, NULL};
    const struct pc_probe *const list[] = {&p0, &w, &p1, &p2, &p3};
    struct pc_config cfg;
    struct pc_run run;
    struct pc_report *r;
    unsigned mask = 0;
    struct pc_err err = {0};

    memset(&cfg, 0, sizeof(cfg));
    cfg.budget_ns = 10 * PC_NS_PER_S;
    cfg.timeout_ns = 20 * PC_NS_PER_S;
    CHECK(pc_runner_select(list, 5, NULL, "p2", &mask, &err) == 0);
    /* the overlapping probe takes no share: p0, p1 and p3 */
    CHECK_NEAR(pc_runner_shares(list, 5, mask), 0.7, 1e-9);
    run = (struct pc_run){.probes = list, .n_probes = 5, .mask = mask, .cfg = &cfg};
    r = pc_report_new();
    CHECK(r != NULL);
    pc_runner_run(&run, r);
    /* p2 left out: not planned; the overlapping probe's own phase is no phase of its own */
    CHECK(seen_planned == (1u << 0 | 1u << 1 | 1u << 3));
    CHECK(n_seen == 3 && seen[0] == 0 && seen[1] == 1 && seen[2] == 3);
    pc_report_free(r);

    /* p1 and p2 left out (--skip udp,bandwidth): the overlapping probe's phase 1 is not
       planned, though it is its own: it has nothing to watch there */
    n_seen = 0;
    CHECK(pc_runner_select(list, 5, NULL, "p1,p2", &mask, &err) == 0);
    run.mask = mask;
    r = pc_report_new();
    CHECK(r != NULL);
    pc_runner_run(&run, r);
    CHECK(seen_planned == (1u << 0 | 1u << 3));
    CHECK(n_seen == 2 && seen[0] == 0 && seen[1] == 3);
    pc_report_free(r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    registry();
    left_out();
    windows();
    stun_socket();
    curl_connection();
    runner_phases();
    curl_global_cleanup();
    return check_done();
}
