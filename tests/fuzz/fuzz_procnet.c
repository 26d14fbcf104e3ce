/*
 * fuzz_procnet.c - libFuzzer harness for the traffic probe's /proc/net
 * socket-table parser (src/probe/traffic_proc.c): arbitrary bytes as the
 * text of each of the four tables. Accepted when some line is a socket.
 * Checks what the parser promises: the count it returns is the entries it
 * added, each with the protocol and family asked for, the unused bytes of
 * an IPv4 address zero; the flow match never answers a socket of another
 * protocol.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe/traffic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pc_fuzz_accepts(const uint8_t *data, size_t size);

static int accepted;

static void one(const char *text, size_t size, int proto, int family)
{
    struct pc_socktab t = {0};
    static const uint8_t zero[16];
    int n = pc_socktab_parse(&t, text, size, proto, family);

    if (n < 0)
        abort(); /* only out of memory, which a fuzzer's inputs do not reach */
    if ((size_t)n != t.n)
        abort();
    for (size_t i = 0; i < t.n; i++) {
        const struct pc_sock *s = &t.v[i];

        if (s->proto != proto || s->family != family)
            abort();
        if (family == 4 &&
            (memcmp(s->local + 4, zero, 12) != 0 || memcmp(s->remote + 4, zero, 12) != 0))
            abort();
    }
    if (t.n > 0) {
        const struct pc_sock *s = &t.v[0];
        const struct pc_sock *m =
            pc_socktab_match(&t, proto, family, s->local, s->local_port, s->remote, s->remote_port);

        if (m == NULL || m->proto != proto)
            abort();
        if (pc_socktab_match(&t, proto == 6 ? 17 : 6, family, s->local, s->local_port, s->remote,
                             s->remote_port) != NULL)
            abort();
        accepted = 1;
    }
    pc_socktab_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly size bytes, not NUL-terminated: any read past it is the sanitizer's */
    char *p = malloc(size > 0 ? size : 1);

    if (p == NULL)
        return 0;
    if (size > 0)
        memcpy(p, data, size);
    accepted = 0;
    one(p, size, 6, 4);
    one(p, size, 6, 6);
    one(p, size, 17, 4);
    one(p, size, 17, 6);
    free(p);
    return 0;
}

int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
    return accepted;
}
