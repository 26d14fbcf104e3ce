/* registry.c - the probes of 'check', in the order their phases run. */
#include "precall/probe.h"

static const struct pc_probe *const registry[] = {
    &pc_probe_dns,       &pc_probe_devices, /* devices and system overlap: they run beside the
                                               network phases */
    &pc_probe_system,    &pc_probe_http,    &pc_probe_udp,
    &pc_probe_traffic,                   /* phase 1: beside the idle UDP stream */
    &pc_probe_bandwidth, &pc_probe_turn, /* phase 3: after the speed test, and only with --turn */
};

const struct pc_probe *const *pc_probe_registry(size_t *n)
{
    *n = sizeof(registry) / sizeof(registry[0]);
    return registry;
}

const struct pc_probe *pc_probe_get(size_t i)
{
    return i < sizeof(registry) / sizeof(registry[0]) ? registry[i] : NULL;
}
