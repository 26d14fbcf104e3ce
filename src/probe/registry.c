/* registry.c - the probes of 'check', in the order their phases run. */
#include <string.h>

#include "precall/probe.h"

static const struct pc_probe *const registry[] = {
    &pc_probe_dns,
    &pc_probe_udp,
};

const struct pc_probe *pc_probe_get(size_t i)
{
    return i < sizeof(registry) / sizeof(registry[0]) ? registry[i] : NULL;
}

const struct pc_probe *pc_probe_find(const char *name)
{
    const struct pc_probe *p;

    for (size_t i = 0; (p = pc_probe_get(i)) != NULL; i++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}
