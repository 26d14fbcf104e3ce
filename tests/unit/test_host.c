/*
 * test_host.c - the host reader (probe/host.h) on the fixture trees of
 * tests/fixtures/sysroot: the default route's interface and kind, MTU,
 * Wi-Fi signal and quality, battery, processors, load and memory, each
 * with its exact value; and what it says when a file is missing.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "probe/host.h"

static void read_case(const char *name, int family, struct pc_host *h)
{
    char root[512];
    struct pc_err err = {0};

    snprintf(root, sizeof(root), "%s/%s", PRECALL_SYSROOTS, name);
    CHECK(pc_host_read(root, family, h, &err) == 0);
}

static void wired_laptop(void)
{
    struct pc_host h;

    read_case("wired-laptop", 0, &h);
    CHECK(h.route_family == 4);
    CHECK(strcmp(h.iface, "enp0s31f6") == 0);
    CHECK(strcmp(h.kind, "wired") == 0);
    CHECK(h.mtu == 1500);
    CHECK(h.link_speed_mbps == 1000);
    CHECK(isnan(h.wifi_signal_dbm) && isnan(h.wifi_quality_pct));
    /* The mouse's battery (scope Device) is not the computer's. */
    CHECK(h.battery_present == 1 && h.battery_pct == 85 && h.on_battery == 0);
    CHECK(h.cpu_count == 8);
    CHECK(h.load1 == 0.52);
    CHECK_NEAR(h.mem_total_mib, 16213424 / 1024.0, 1e-9);
    CHECK(h.mem_avail_mib == 12288);
    CHECK(h.missing[0] == '\0');
}

static void wifi_weak(void)
{
    struct pc_host h;

    read_case("wifi-weak-battery-low", 0, &h);
    CHECK(strcmp(h.iface, "wlp2s0") == 0);
    CHECK(strcmp(h.kind, "wifi") == 0);
    CHECK(h.wifi_signal_dbm == -79);
    CHECK(h.wifi_quality_pct == 30);
    CHECK(isnan(h.link_speed_mbps));
    CHECK(h.battery_present && h.battery_pct == 12 && h.on_battery == 1);
    CHECK(h.cpu_count == 4 && h.load1 == 4.8);
    CHECK(h.mem_avail_mib == 1024);
}

static void vpn(void)
{
    struct pc_host h;

    /* Two default routes: the VPN's has the lower metric. */
    read_case("vpn-small-desktop", 0, &h);
    CHECK(strcmp(h.iface, "wg0") == 0);
    CHECK(strcmp(h.kind, "vpn") == 0);
    CHECK(strstr(h.kind_why, "DEVTYPE=wireguard") != NULL);
    CHECK(h.mtu == 1420);
    CHECK(isnan(h.wifi_signal_dbm)); /* the route does not use the Wi-Fi directly */
    CHECK(h.battery_present == 0 && isnan(h.battery_pct) && h.on_battery == -1);
    CHECK(h.cpu_count == 1);
    CHECK(h.mem_total_mib == 1980);
}

static void cellular(void)
{
    struct pc_host h;

    read_case("cellular-v6", 0, &h);
    CHECK(h.route_family == 6);
    CHECK(strcmp(h.iface, "wwan0") == 0); /* the reject route on lo is not a way out */
    CHECK(strcmp(h.kind, "cellular") == 0);
    /* No mains adapter: the battery's own status says it is discharging. */
    CHECK(h.battery_pct == 55 && h.on_battery == 1);
    CHECK(h.cpu_count == 4); /* "0-1,3-4" */
    CHECK_NEAR(h.mem_total_mib, 3891.199, 0.001);
    /* -4: no IPv4 default route. */
    read_case("cellular-v6", 4, &h);
    CHECK(h.route_family == 0 && strcmp(h.kind, "none") == 0);
}

static void no_route_and_missing(void)
{
    struct pc_host h;

    read_case("no-route", 0, &h);
    CHECK(h.route_family == 0);
    CHECK(strcmp(h.kind, "none") == 0 && h.iface[0] == '\0');
    CHECK(h.battery_present == 0);
    CHECK(h.cpu_count == 2);
    /* A tree with nothing in it: every fact unknown, and the reader says which files. */
    read_case("nonexistent", 0, &h);
    CHECK(h.cpu_count == 0 && isnan(h.load1) && isnan(h.mem_total_mib));
    CHECK(strstr(h.missing, "/proc/net/route") != NULL);
    CHECK(strstr(h.missing, "/proc/meminfo") != NULL);
}

int main(void)
{
    CHECK(pc_host_supported());
    wired_laptop();
    wifi_weak();
    vpn();
    cellular();
    no_route_and_missing();
    return check_done();
}
