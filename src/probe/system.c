/*
 * system.c - the 'system' probe: the host a call runs on.
 *
 * The interface of the default route and its kind (wired, Wi-Fi, cellular,
 * VPN or tunnel), its MTU, Wi-Fi signal, link quality and bit rate, battery,
 * processor count and load, memory. The facts come from host.h's reader
 * (Linux: /proc and /sys under cfg->sysroot); elsewhere the probe is
 * skipped with "not supported on this system". It takes a few
 * milliseconds and never waits.
 */
#include <math.h>
#include <stdio.h>

#include "precall/buf.h"
#include "precall/cause.h"
#include "precall/probe.h"
#include "probe/host.h"

static void set(struct pc_probe_ctx *ctx, enum pc_metric m, double v)
{
    if (!isnan(v))
        pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, m, v);
}

static int run(struct pc_probe_ctx *ctx)
{
    struct pc_host h;
    struct pc_err err = {0};
    struct pc_report *r = ctx->report;

    if (!pc_host_supported() ||
        pc_host_read(ctx->cfg->sysroot, ctx->cfg->wext, ctx->cfg->family, &h, &err) < 0) {
        pc_probe_finish(ctx, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NOT_SUPPORTED),
                        "skipped: not supported on this system");
        return 0;
    }
    pc_strfmt(ctx->result->method, sizeof(ctx->result->method),
              "/proc/net/route and ipv6_route (default route), /sys/class/net (kind%s%s, MTU), "
              "/proc/net/wireless (signal, quality)%s%s%s%s, "
              "/sys/class/power_supply, /sys/devices/system/cpu/online, /proc/loadavg, "
              "/proc/meminfo%s%s",
              h.kind_why[0] ? ": " : "", h.kind_why, h.wifi_bitrate_why[0] ? ", " : "",
              h.wifi_bitrate_why, h.wifi_bitrate_why[0] ? " (bit rate)" : "",
              h.wifi_ssid[0] ? ", SIOCGIWESSID (network name)" : "",
              h.missing[0] ? "; could not read: " : "", h.missing);
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_KIND, h.kind);
    if (h.iface[0])
        pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_INTERFACE, h.iface);
    if (h.mtu > 0)
        set(ctx, PC_M_MTU_BYTES, h.mtu);
    set(ctx, PC_M_LINK_SPEED_MBPS, h.link_speed_mbps);
    set(ctx, PC_M_WIFI_SIGNAL_DBM, h.wifi_signal_dbm);
    set(ctx, PC_M_WIFI_QUALITY_PCT, h.wifi_quality_pct);
    set(ctx, PC_M_WIFI_BITRATE_MBPS, h.wifi_bitrate_mbps);
    if (h.wifi_ssid[0])
        pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_WIFI_SSID, h.wifi_ssid);
    if (!isnan(h.wifi_signal_dbm))
        pc_probe_figure(ctx, PC_SCOPE_RUN_ID, PC_M_WIFI_SIGNAL_DBM, h.wifi_signal_dbm);
    set(ctx, PC_M_BATTERY_PCT, h.battery_pct);
    if (h.on_battery >= 0)
        set(ctx, PC_M_ON_BATTERY, h.on_battery);
    if (h.cpu_count > 0)
        set(ctx, PC_M_CPU_COUNT, h.cpu_count);
    if (h.cpu_count > 0 && !isnan(h.load1))
        set(ctx, PC_M_CPU_LOAD_PCT, h.load1 / h.cpu_count * 100.0);
    if (!isnan(h.mem_total_mib))
        set(ctx, PC_M_MEMORY_TOTAL_MIB, floor(h.mem_total_mib));
    if (!isnan(h.mem_avail_mib))
        set(ctx, PC_M_MEMORY_AVAILABLE_MIB, floor(h.mem_avail_mib));
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s%s%s",
                    h.iface[0] ? "default route via " : "no default route", h.iface,
                    h.missing[0] ? "; some facts could not be read" : "");
    return 0;
}

const struct pc_probe pc_probe_system = {
    .name = "system",
    .summary = "route interface and its kind, Wi-Fi signal, battery, processor, memory",
    .activity = "Looking at this computer",
    .phase = 0,
    .overlap = 1,
    .budget_share = 0.02,
    .run = run,
};
