/*
 * fixture.h - what the integration-test fixtures (impair, hostile_stun)
 * share: reading a numeric ADDR:PORT or [V6]:PORT argument through the
 * core's own address functions. Header-only; each fixture is one program.
 */
#ifndef PRECALL_TEST_FIXTURE_H
#define PRECALL_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "precall/clock.h"
#include "precall/netaddr.h"

/* Numeric ADDR:PORT or [V6]:PORT into ss; prog's message and exit 64 if s is not one. */
static inline socklen_t fixture_parse_addr(const char *prog, const char *s,
                                           struct sockaddr_storage *ss)
{
    struct pc_hostport hp;
    struct pc_err err = {0};
    socklen_t len = 0;
    int64_t deadline = pc_clock_now_ns() + PC_NS_PER_S; /* numeric: no lookup to wait for */

    /* A port is required: pc_netaddr_split leaves the default 0 when none is given. */
    if (pc_netaddr_split(s, 0, &hp, &err) < 0 || hp.port == 0 || !pc_netaddr_is_literal(hp.host) ||
        pc_netaddr_resolve(hp.host, hp.port, 0, deadline, NULL, ss, &len, &err) < 0) {
        fprintf(stderr, "%s: '%s' is not a numeric ADDR:PORT%s%s\n", prog, s,
                err.msg[0] ? ": " : "", err.msg);
        exit(64);
    }
    return len;
}

#endif
