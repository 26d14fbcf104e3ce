/*
 * cmd_devices.c - 'precall devices': the cameras, microphones and speakers
 * and the host, on their own and quickly: the 'devices' and 'system'
 * probes of the registry through the same runner, scoring and renderers as
 * 'check'. The verdict covers only these (no network was checked), and its
 * headline says so: "Devices: ready for HD video".
 */
#include <string.h>

#include "cli/cli.h"

int pc_cmd_devices(struct pc_cli *cli)
{
    static const struct pc_probe *const probes[] = {&pc_probe_devices, &pc_probe_system};
    struct pc_run run = {.probes = probes, .n_probes = 2, .mask = 3u};

    return pc_cli_run_report(cli, &run, "devices", "Devices");
}
