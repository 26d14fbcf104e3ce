/*
 * test_traffic_proc.c - the traffic probe's pure parts (probe/traffic.h):
 * the /proc/net socket tables parsed from fixture text with exact values,
 * damaged lines skipped; which socket a flow belongs to; which process
 * holds a socket inode, on a fixture /proc of symbolic links; precall's own
 * ports and the BPF filter that leaves them out; the rate over the window.
 * The tables are those of a little-endian machine (the kernel prints each
 * address word in host order); elsewhere the address checks are skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "probe/traffic.h"

/* /proc/net/tcp: a listener on 127.0.0.1:631, two connections from
   198.18.0.2 to 198.18.1.2:5201 (local ports 57358 and 57360). */
static const char tcp4[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode\n"
    "   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
    "0 23456 1 0000000000000000 100 0 0 10 0\n"
    "   1: 020012C6:E00E 020112C6:1451 01 00000000:00000000 02:00000A2B 00000000     0        "
    "7 98765 2 0000000000000000 20 4 30 10 -1\n"
    "   2: 020012C6:E010 020112C6:1451 01 00000000:00000000 02:00000A2B 00000000     0        "
    "7 98766 2 0000000000000000 20 4 30 10 -1\n";

/* /proc/net/tcp6: a listener on [::]:8080, a connection [2001:2::2]:40000 -> [2001:2:0:1::2]:443 */
static const char tcp6[] =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000  1000        0 111 1 0000000000000000 100 0 0 10 0\n"
    "   1: 02000120000000000000000002000000:9C40 02000120010000000000000002000000:01BB 01 "
    "00000000:00000000 00:00000000 00000000  1000        0 112 1 0000000000000000 20 4 30 10 "
    "-1\n"
    "   2: 0000000000000000FFFF0000020012C6:1451 0000000000000000FFFF0000090012C6:B000 01 "
    "00000000:00000000 00:00000000 00000000     0        0 113 1 0000000000000000 20 4 30 10 "
    "-1\n";

/* /proc/net/udp: 0.0.0.0:3478 bound, unconnected; a line cut short; damaged lines. */
static const char udp4[] =
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode ref pointer drops\n"
    "  123: 00000000:0D96 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        "
    "0 4444 2 0000000000000000 0\n"
    "  124: 0000000:0D97 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000 0 4445\n"
    "  125: 00000000:0D9G 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000 0 4446\n"
    "  126: 00000000:0D98 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000 0 44x7\n"
    "  127: 00000000:0D99 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000\n"
    "  128 00000000:0D9A 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000 0 4448\n"
    "  129: 00000000:0D9B 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000 0 4449";

static const uint8_t v4_client[16] = {198, 18, 0, 2}, v4_server[16] = {198, 18, 1, 2};
static const uint8_t v4_lo[16] = {127, 0, 0, 1};
static const uint8_t v6_client[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t v6_server[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2};

static int little_endian(void)
{
    const uint16_t one = 1;

    return *(const uint8_t *)&one == 1;
}

static void test_parse(void)
{
    struct pc_socktab t = {0};
    const struct pc_sock *s;

    CHECK(pc_socktab_parse(&t, tcp4, strlen(tcp4), 6, 4) == 3);
    CHECK(pc_socktab_parse(&t, tcp6, strlen(tcp6), 6, 6) == 3);
    /* the last line has no newline and is whole; the damaged ones are skipped */
    CHECK(pc_socktab_parse(&t, udp4, strlen(udp4), 17, 4) == 2);
    CHECK(t.n == 8);
    s = &t.v[0];
    CHECK(s->proto == 6 && s->family == 4 && s->local_port == 631 && s->remote_port == 0 &&
          s->inode == 23456);
    s = &t.v[1];
    CHECK(s->local_port == 57358 && s->remote_port == 5201 && s->inode == 98765);
    CHECK(t.v[2].local_port == 57360 && t.v[2].inode == 98766);
    s = &t.v[3];
    CHECK(s->family == 6 && s->local_port == 8080 && s->inode == 111);
    s = &t.v[4];
    CHECK(s->family == 6 && s->local_port == 40000 && s->remote_port == 443 && s->inode == 112);
    CHECK(t.v[5].family == 6 && t.v[5].local_port == 5201 && t.v[5].remote_port == 45056 &&
          t.v[5].inode == 113);
    CHECK(t.v[6].proto == 17 && t.v[6].local_port == 3478 && t.v[6].inode == 4444);
    CHECK(t.v[7].proto == 17 && t.v[7].local_port == 3483 && t.v[7].inode == 4449);
    if (little_endian()) {
        CHECK(memcmp(t.v[0].local, v4_lo, 4) == 0);
        CHECK(memcmp(t.v[1].local, v4_client, 4) == 0);
        CHECK(memcmp(t.v[1].remote, v4_server, 4) == 0);
        CHECK(memcmp(t.v[4].local, v6_client, 16) == 0);
        CHECK(memcmp(t.v[4].remote, v6_server, 16) == 0);
    }
    /* a length that cuts the text: only whole lines before the cut count */
    {
        struct pc_socktab u = {0};
        size_t cut = (size_t)(strstr(tcp4, "   2:") - tcp4) + 20;

        CHECK(pc_socktab_parse(&u, tcp4, cut, 6, 4) == 2);
        CHECK(pc_socktab_parse(&u, "", 0, 6, 4) == 0);
        CHECK(pc_socktab_parse(&u, "\n\n\n", 3, 6, 4) == 0);
        pc_socktab_free(&u);
    }
    pc_socktab_free(&t);
    pc_socktab_free(NULL);
}

static void test_match(void)
{
    struct pc_socktab t = {0};
    const struct pc_sock *s;
    const uint8_t other[16] = {198, 18, 0, 9};

    pc_socktab_parse(&t, tcp4, strlen(tcp4), 6, 4);
    pc_socktab_parse(&t, tcp6, strlen(tcp6), 6, 6);
    pc_socktab_parse(&t, udp4, strlen(udp4), 17, 4);
    if (!little_endian()) {
        pc_socktab_free(&t);
        return;
    }
    /* each of two connections to one server port: its own socket */
    s = pc_socktab_match(&t, 6, 4, v4_client, 57358, v4_server, 5201);
    CHECK(s != NULL && s->inode == 98765);
    s = pc_socktab_match(&t, 6, 4, v4_client, 57360, v4_server, 5201);
    CHECK(s != NULL && s->inode == 98766);
    /* the far port or address differs: not that connection */
    CHECK(pc_socktab_match(&t, 6, 4, v4_client, 57358, v4_server, 5202) == NULL);
    CHECK(pc_socktab_match(&t, 6, 4, v4_client, 57358, other, 5201) == NULL);
    /* an unconnected UDP socket bound to the wildcard: by its port */
    s = pc_socktab_match(&t, 17, 4, v4_client, 3478, other, 9999);
    CHECK(s != NULL && s->inode == 4444);
    CHECK(pc_socktab_match(&t, 6, 4, v4_client, 3478, other, 9999) == NULL); /* not TCP */
    /* a listener takes connections to its port (accepted ones have their own line) */
    s = pc_socktab_match(&t, 6, 6, v6_client, 8080, v6_server, 5555);
    CHECK(s != NULL && s->inode == 111);
    s = pc_socktab_match(&t, 6, 6, v6_client, 40000, v6_server, 443);
    CHECK(s != NULL && s->inode == 112);
    /* an IPv4 connection held by an IPv6 socket (v4-mapped), a server on port 5201 */
    s = pc_socktab_match(&t, 6, 4, v4_client, 5201, other, 45056);
    CHECK(s != NULL && s->inode == 113);
    CHECK(pc_socktab_match(&t, 6, 4, v4_client, 5201, other, 45057) == NULL);
    CHECK(pc_socktab_match(&t, 6, 4, v4_server, 5201, other, 45056) == NULL);
    pc_socktab_free(&t);
}

static char root[] = "/tmp/precall-traffic-proc.XXXXXX";

static void mkdirs(const char *rel)
{
    char path[512], *p;

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    for (p = path + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    mkdir(path, 0755);
}

/* /proc/PID/fd/FD -> socket:[INODE] (a link to nothing, as the kernel's are) and its comm */
static void fake_fd(const char *pid, const char *fd, const char *target, const char *comm)
{
    char path[512], link[512];
    FILE *fp;

    snprintf(path, sizeof(path), "proc/%s/fd", pid);
    mkdirs(path);
    snprintf(link, sizeof(link), "%s/proc/%s/fd/%s", root, pid, fd);
    CHECK(symlink(target, link) == 0);
    snprintf(path, sizeof(path), "%s/proc/%s/comm", root, pid);
    fp = fopen(path, "w");
    if (fp != NULL) {
        fprintf(fp, "%s\n", comm);
        fclose(fp);
    }
}

static void test_owner(void)
{
    char name[64];
    int pid = 0;
    unsigned long own[8];

    CHECK(mkdtemp(root) != NULL);
    fake_fd("100", "0", "/dev/null", "iperf3");
    fake_fd("100", "3", "socket:[98765]", "iperf3");
    fake_fd("200", "4", "socket:[111]", "steam");
    fake_fd("200", "5", "pipe:[111]", "steam");
    fake_fd("self", "7", "socket:[4444]", "precall");
    fake_fd("self", "8", "anon_inode:[eventpoll]", "precall");
    fake_fd("self", "9", "socket:[98766]", "precall");
    mkdirs("proc/net");

    CHECK(pc_sock_owner(root, 98765, &pid, name, sizeof(name)) == 1);
    CHECK(pid == 100 && strcmp(name, "iperf3") == 0);
    CHECK(pc_sock_owner(root, 111, &pid, name, sizeof(name)) == 1);
    CHECK(pid == 200 && strcmp(name, "steam") == 0);
    /* nobody holds 9876 (a prefix of 98765) nor 4444 in a numbered process */
    CHECK(pc_sock_owner(root, 9876, &pid, name, sizeof(name)) == 0);
    CHECK(pc_sock_owner(root, 987650, &pid, name, sizeof(name)) == 0);
    CHECK(pc_sock_owner(root, 4444, &pid, name, sizeof(name)) == 0);
    /* precall's own: sockets only */
    CHECK(pc_sock_own_inodes(root, own, 8) == 2);
    CHECK((own[0] == 4444 && own[1] == 98766) || (own[0] == 98766 && own[1] == 4444));
    CHECK(pc_sock_own_inodes(root, own, 1) == 1);
    CHECK(pc_sock_own_inodes("/nonexistent-root", own, 8) == 0);
    CHECK(pc_sock_owner("/nonexistent-root", 98765, &pid, name, sizeof(name)) == 0);
}

static void write_file(const char *rel, const char *text)
{
    char path[512];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    fp = fopen(path, "w");
    if (fp != NULL) {
        fputs(text, fp);
        fclose(fp);
    }
}

static void test_own_ports(void)
{
    struct pc_socktab t = {0};
    struct pc_own_port own[4];
    size_t n_own = 0;
    unsigned long inodes[] = {4444, 98766};
    char f[256];

    write_file("proc/net/tcp", tcp4);
    write_file("proc/net/udp", udp4);
    CHECK(pc_socktab_read(&t, root) == 0);
    CHECK(t.n == 5); /* tcp6 and udp6 missing: left out */
    CHECK(pc_traffic_own_ports(&t, inodes, 2, own, &n_own, 4) == 2);
    CHECK(n_own == 2);
    CHECK(pc_traffic_is_own(17, 3478, own, n_own) == 1);
    CHECK(pc_traffic_is_own(6, 57360, own, n_own) == 1);
    CHECK(pc_traffic_is_own(6, 3478, own, n_own) == 0);  /* the protocol counts */
    CHECK(pc_traffic_is_own(6, 57358, own, n_own) == 0); /* iperf3's, not ours */
    /* the set only grows, each port once */
    CHECK(pc_traffic_own_ports(&t, inodes, 2, own, &n_own, 4) == 0 && n_own == 2);
    /* one inode at a time: each is found, the last as well as the first */
    n_own = 0;
    CHECK(pc_traffic_own_ports(&t, inodes + 1, 1, own, &n_own, 4) == 1);
    CHECK(n_own == 1 && own[0].proto == 6 && own[0].port == 57360);
    /* full: no more */
    CHECK(pc_traffic_own_ports(&t, inodes, 2, own, &n_own, 1) == 0 && n_own == 1);

    n_own = 0;
    pc_traffic_own_ports(&t, inodes, 2, own, &n_own, 4);
    pc_traffic_filter(own, n_own, f, sizeof(f));
    CHECK(strcmp(f, "(ip or ip6) and not (tcp port 57360 or udp port 3478)") == 0 ||
          strcmp(f, "(ip or ip6) and not (udp port 3478 or tcp port 57360)") == 0);
    {
        char want[64];

        pc_traffic_filter(own, 1, f, sizeof(f));
        snprintf(want, sizeof(want), "(ip or ip6) and not (%s port %u)",
                 own[0].proto == 6 ? "tcp" : "udp", own[0].port);
        CHECK(strcmp(f, want) == 0);
    }
    pc_traffic_filter(own, 0, f, sizeof(f));
    CHECK(strcmp(f, "(ip or ip6)") == 0);
    /* too small for the ports: everything (the flows are left out later) */
    pc_traffic_filter(own, n_own, f, 30);
    CHECK(strcmp(f, "(ip or ip6)") == 0);
    pc_socktab_free(&t);
}

static void test_rate(void)
{
    /* 1,000,000 bytes in 2 s: 4 Mbit/s; in 500 ms: 16 */
    CHECK_NEAR(pc_traffic_mbps(1000000, 2000000000), 4.0, 1e-9);
    CHECK_NEAR(pc_traffic_mbps(1000000, 500000000), 16.0, 1e-9);
    CHECK_NEAR(pc_traffic_mbps(0, 2000000000), 0.0, 0);
    CHECK_NEAR(pc_traffic_mbps(1000, 0), 0.0, 0);
}

int main(void)
{
    char cmd[600];

    test_parse();
    test_match();
    test_owner();
    test_own_ports();
    test_rate();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    if (strncmp(root, "/tmp/precall-traffic-proc.", 26) == 0 && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    return check_done();
}
