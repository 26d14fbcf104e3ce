/*
 * loaded.c - latency while the link is busy (see loaded.h).
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "precall/clock.h"
#include "probe/loaded.h"
#include "probe/stunstats.h"

#define REPLY_TIMEOUT_NS (1000 * PC_NS_PER_MS)

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

void pc_loaded_start(struct pc_loaded *ld, struct pc_probe_ctx *ctx, int p)
{
    struct sockaddr_storage ss;
    struct pc_err err = {0};
    socklen_t len;

    if (!pc_probe_shared(ctx, PC_SHARE_STUN_SERVER, &ss, sizeof(ss)))
        return;
    if (pc_stun_session_init(&ld->s[p], REPLY_TIMEOUT_NS, &err) < 0)
        return;
    len = ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (pc_stun_session_add_server(&ld->s[p], (struct sockaddr *)&ss, len, &err) < 0) {
        pc_stun_session_free(&ld->s[p]);
        return;
    }
    pc_stun_session_pace(&ld->s[p], 0, PC_REQ_STREAM, PC_LOADED_EVERY_NS);
    ld->on[p] = 1;
}

void pc_loaded_stop(struct pc_loaded *ld, int p)
{
    if (ld->on[p])
        pc_stun_session_pace(&ld->s[p], 0, PC_REQ_STREAM, 0);
}

void pc_loaded_service(struct pc_loaded *ld, int64_t now_ns)
{
    for (int i = 0; i < PC_LOADED_PHASES; i++)
        if (ld->on[i])
            pc_stun_session_service(&ld->s[i], now_ns);
}

int64_t pc_loaded_next_due(const struct pc_loaded *ld)
{
    int64_t due = INT64_MAX;

    for (int i = 0; i < PC_LOADED_PHASES; i++)
        if (ld->on[i])
            due = min64(due, pc_stun_session_next_due(&ld->s[i]));
    return due;
}

size_t pc_loaded_fds(const struct pc_loaded *ld, int *fds, size_t cap)
{
    size_t n = 0;

    for (int i = 0; i < PC_LOADED_PHASES && n < cap; i++)
        if (ld->on[i])
            n += pc_stun_session_fds(&ld->s[i], fds + n, cap - n);
    return n;
}

void pc_loaded_drain(struct pc_loaded *ld, struct pc_probe_ctx *ctx, int64_t end_ns)
{
    for (int i = 0; i < PC_LOADED_PHASES; i++)
        pc_loaded_stop(ld, i);
    while (!pc_probe_interrupted(ctx) && pc_clock_now_ns() < end_ns) {
        int waiting = 0;

        for (int i = 0; i < PC_LOADED_PHASES; i++)
            if (ld->on[i] && !pc_stun_session_all_answered(&ld->s[i], 0, PC_REQ_STREAM))
                waiting = 1;
        if (!waiting)
            break;
        for (int i = 0; i < PC_LOADED_PHASES; i++)
            if (ld->on[i])
                pc_stun_session_pump(&ld->s[i],
                                     min64(pc_clock_now_ns() + 10 * PC_NS_PER_MS, end_ns));
    }
}

void pc_loaded_report(const struct pc_loaded *ld, struct pc_report *r, int p, size_t scope,
                      int64_t now_ns)
{
    struct pc_stun_stats st;

    if (!ld->on[p] || pc_stun_stats_compute(&ld->s[p], 0, PC_REQ_STREAM, now_ns, &st) < 0)
        return;
    pc_report_set_num(r, scope, PC_M_UDP_REACHABLE, st.answered > 0);
    pc_stun_stats_report(r, scope, &st);
    pc_stun_stats_free(&st);
}

void pc_loaded_free(struct pc_loaded *ld)
{
    for (int i = 0; i < PC_LOADED_PHASES; i++) {
        if (ld->on[i])
            pc_stun_session_free(&ld->s[i]);
        ld->on[i] = 0;
    }
}
