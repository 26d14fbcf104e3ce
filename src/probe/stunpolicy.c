/* stunpolicy.c - the public STUN servers' published policies (see stunpolicy.h). */
#include <strings.h>

#include "probe/stunpolicy.h"

static const struct pc_stun_policy policies[] = {
    /* Cloudflare's Realtime TURN documentation (developers.cloudflare.com/realtime/turn/)
     * describes its STUN service at stun.cloudflare.com:3478 as free and unlimited. */
    {"stun.cloudflare.com", 1,
     "Cloudflare Realtime TURN documentation: the STUN service is free and unlimited"},
    /* Google publishes no terms or rate policy for its STUN servers. */
    {"stun.l.google.com", 0, "none published"},
    {"stun1.l.google.com", 0, "none published"},
    {"stun2.l.google.com", 0, "none published"},
    {"stun3.l.google.com", 0, "none published"},
    {"stun4.l.google.com", 0, "none published"},
};

const struct pc_stun_policy *pc_stun_policy_find(const char *host)
{
    if (host == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
        if (strcasecmp(policies[i].host, host) == 0)
            return &policies[i];
    return NULL;
}

long long pc_stun_policy_interval_ns(long long asked_ns, int is_public, int unlimited,
                                     size_t n_addresses)
{
    long long floor_ns;

    if (!is_public || unlimited)
        return asked_ns;
    floor_ns = PC_STUN_PUBLIC_GAP_NS * (long long)(n_addresses > 0 ? n_addresses : 1);
    return asked_ns > floor_ns ? asked_ns : floor_ns;
}
