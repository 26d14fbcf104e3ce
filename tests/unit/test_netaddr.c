/* test_netaddr.c - --stun host specs: names, IPv4 and IPv6 literals, ports. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <string.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/netaddr.h"

struct split_case {
    const char *spec;
    int rc;
    const char *host;
    int port;
};

static const struct split_case cases[] = {
    {"stun.example.org", 0, "stun.example.org", 3478},
    {"stun.example.org:19302", 0, "stun.example.org", 19302},
    {"198.18.1.2", 0, "198.18.1.2", 3478},
    {"198.18.1.2:5000", 0, "198.18.1.2", 5000},
    {"2001:2::1", 0, "2001:2::1", 3478},
    {"[2001:2::1]", 0, "2001:2::1", 3478},
    {"[2001:2::1]:3479", 0, "2001:2::1", 3479},
    {"::1", 0, "::1", 3478},
    {"", PC_EINVAL, NULL, 0},
    {"host:", PC_EINVAL, NULL, 0},
    {"host:0", PC_EINVAL, NULL, 0},
    {"host:65536", PC_EINVAL, NULL, 0},
    {"host:12ab", PC_EINVAL, NULL, 0},
    {"[2001:2::1", PC_EINVAL, NULL, 0},
    {"[2001:2::1]x", PC_EINVAL, NULL, 0},
    {"[]:3478", PC_EINVAL, NULL, 0},
    {":3478", PC_EINVAL, NULL, 0},
    {"host: 80", PC_EINVAL, NULL, 0},
    {"host:+80", PC_EINVAL, NULL, 0},
    {"ho st", PC_EINVAL, NULL, 0},
    {" host", PC_EINVAL, NULL, 0},
    {"host\t", PC_EINVAL, NULL, 0},
    {"[2001:2::1]: 80", PC_EINVAL, NULL, 0},
};

int main(void)
{
    struct pc_hostport hp;
    struct pc_err err = {0};
    struct sockaddr_storage ss;
    socklen_t len;
    char buf[64];
    int port;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = pc_netaddr_split(cases[i].spec, 3478, &hp, &err);

        CHECK(rc == cases[i].rc);
        if (rc == 0 && cases[i].rc == 0) {
            CHECK(strcmp(hp.host, cases[i].host) == 0);
            CHECK(hp.port == cases[i].port);
        }
    }
    CHECK(pc_netaddr_is_literal("198.18.0.1"));
    CHECK(pc_netaddr_is_literal("2001:2::1"));
    CHECK(!pc_netaddr_is_literal("stun.example.org"));

    /* Numeric hosts resolve without any lookup on the network. */
    CHECK(pc_netaddr_resolve("198.18.1.2", 3478, 0, pc_clock_now_ns() + PC_NS_PER_S, NULL, &ss,
                             &len, &err) == 0);
    pc_netaddr_format((struct sockaddr *)&ss, buf, sizeof(buf), &port);
    CHECK(strcmp(buf, "198.18.1.2") == 0 && port == 3478);
    CHECK(pc_netaddr_resolve("2001:2::5", 9, 6, pc_clock_now_ns() + PC_NS_PER_S, NULL, &ss, &len,
                             &err) == 0);
    pc_netaddr_format((struct sockaddr *)&ss, buf, sizeof(buf), &port);
    CHECK(strcmp(buf, "2001:2::5") == 0 && port == 9 && ss.ss_family == AF_INET6);
    /* An IPv4 literal cannot satisfy -6. */
    CHECK(pc_netaddr_resolve("198.18.1.2", 3478, 6, pc_clock_now_ns() + PC_NS_PER_S, NULL, &ss,
                             &len, &err) < 0);
    /* A deadline already past fails at once with a timeout or the lookup's own answer. */
    CHECK(pc_netaddr_resolve("198.18.1.2", 3478, 0, pc_clock_now_ns() - 1, NULL, &ss, &len, &err) <=
          0);
    /* A cancelled wait ends at once (the numeric lookup may also win the race). */
    {
        atomic_int stop = 1;
        int rc = pc_netaddr_resolve("198.18.1.2", 3478, 0, pc_clock_now_ns() + PC_NS_PER_S, &stop,
                                    &ss, &len, &err);

        CHECK(rc == 0 || rc == PC_EINTR);
    }
    return check_done();
}
