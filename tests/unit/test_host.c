/*
 * test_host.c - the host reader (probe/host.h) on the fixture trees of
 * tests/fixtures/sysroot: the default route's interface and kind, MTU,
 * Wi-Fi signal and quality, battery, processors, load and memory, each
 * with its exact value; and what it says when a file is missing. The Wi-Fi
 * bit rate through a double of the SIOCGIWRATE operations (and the real
 * ioctl on lo, which is not wireless); the system probe's
 * wifi_bitrate_mbps through the runner.
 */
#include <errno.h>
#include <linux/wireless.h>
#include <math.h>
#include <string.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/runner.h"
#include "probe/host.h"

/*
 * The wireless-extensions double: SIOCGIWRATE answers with a rate,
 * SIOCGIWESSID with ssid_len bytes of ssid (0: not associated), or either
 * fails with an errno.
 */
struct fake_wext {
    int socket_errno, ioctl_errno, essid_errno;
    int32_t value; /* bit/s */
    int disabled;
    const char *ssid;
    size_t ssid_len;
    int sockets, closes, ioctls, rate_ioctls, essid_ioctls;
    unsigned long request;
    char ifname[IFNAMSIZ];
    size_t essid_room; /* the length precall offered */
};

static int fw_socket(void *u)
{
    struct fake_wext *f = u;

    if (f->socket_errno) {
        errno = f->socket_errno;
        return -1;
    }
    f->sockets++;
    return 42;
}

static int fw_ioctl(void *u, int fd, unsigned long request, void *arg)
{
    struct fake_wext *f = u;
    struct iwreq *req = arg;

    CHECK(fd == 42);
    f->ioctls++;
    f->request = request;
    memcpy(f->ifname, req->ifr_name, IFNAMSIZ);
    if (f->ioctl_errno) {
        errno = f->ioctl_errno;
        return -1;
    }
    if (request == SIOCGIWESSID) {
        f->essid_ioctls++;
        f->essid_room = req->u.essid.length;
        if (f->essid_errno) {
            errno = f->essid_errno;
            return -1;
        }
        /* as cfg80211: at most the room given, and the length; no terminating NUL */
        req->u.essid.length =
            (uint16_t)(f->ssid_len < req->u.essid.length ? f->ssid_len : req->u.essid.length);
        memcpy(req->u.essid.pointer, f->ssid != NULL ? f->ssid : "", req->u.essid.length);
        req->u.essid.flags = f->ssid_len > 0;
        return 0;
    }
    CHECK(request == SIOCGIWRATE);
    f->rate_ioctls++;
    req->u.bitrate.value = f->value;
    req->u.bitrate.fixed = 0;
    req->u.bitrate.disabled = (uint8_t)f->disabled;
    return 0;
}

static int fw_close(void *u, int fd)
{
    struct fake_wext *f = u;

    CHECK(fd == 42);
    f->closes++;
    return 0;
}

static struct pc_wext_ops fw_ops(struct fake_wext *f)
{
    struct pc_wext_ops ops = {f, fw_socket, fw_ioctl, fw_close};

    return ops;
}

static void read_with(const char *name, const struct pc_wext_ops *wext, int family,
                      struct pc_host *h)
{
    char root[512];
    struct pc_err err = {0};

    snprintf(root, sizeof(root), "%s/%s", PRECALL_SYSROOTS, name);
    CHECK(pc_host_read(root, wext, family, h, &err) == 0);
}

static void read_case(const char *name, int family, struct pc_host *h)
{
    read_with(name, NULL, family, h);
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
    /* A fixture tree without a double: the kernel is not asked about its interface. */
    CHECK(isnan(h.wifi_bitrate_mbps));
    CHECK(strstr(h.wifi_bitrate_why, "not asked") != NULL);
}

static void wifi_bitrate(void)
{
    struct pc_host h;
    struct fake_wext f = {.value = 866700000};
    struct pc_wext_ops ops = fw_ops(&f);

    /* The rate in bit/s, as cfg80211 gives it (100 kbit/s x 100000), in Mbit/s. */
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(f.rate_ioctls == 1 && f.essid_ioctls == 1 && f.ioctls == 2);
    CHECK(strcmp(f.ifname, "wlp2s0") == 0);
    CHECK(f.sockets == 2 && f.closes == 2); /* a socket for each ioctl, each closed */
    CHECK(h.wifi_ssid[0] == '\0');          /* not associated (length 0): not known */
    CHECK(h.wifi_bitrate_mbps == 866.7);
    CHECK(strcmp(h.wifi_bitrate_why, "SIOCGIWRATE") == 0);
    CHECK(h.wifi_signal_dbm == -79); /* the rest as before */
    f = (struct fake_wext){.value = 6500000};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(h.wifi_bitrate_mbps == 6.5);

    /* A driver without wireless extensions: not measured, and why. */
    f = (struct fake_wext){.ioctl_errno = EOPNOTSUPP};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(isnan(h.wifi_bitrate_mbps));
    CHECK(strstr(h.wifi_bitrate_why, "SIOCGIWRATE: ") == h.wifi_bitrate_why);
    CHECK(strstr(h.wifi_bitrate_why, strerror(EOPNOTSUPP)) != NULL);
    CHECK(f.sockets == 2 && f.closes == 2);
    CHECK(h.wifi_ssid[0] == '\0');
    /* Not associated: a disabled or zero rate is no measurement. */
    f = (struct fake_wext){.value = 54000000, .disabled = 1};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(isnan(h.wifi_bitrate_mbps));
    CHECK(strcmp(h.wifi_bitrate_why, "SIOCGIWRATE: no rate") == 0);
    f = (struct fake_wext){.value = 0};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(isnan(h.wifi_bitrate_mbps));
    f = (struct fake_wext){.value = -1};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(isnan(h.wifi_bitrate_mbps));
    /* 2401.9 Mbit/s (Wi-Fi 6, 160 MHz, 2 streams) overflows the signed field as cfg80211
     * fills it: read back as unsigned. */
    f = (struct fake_wext){.value = (int32_t)UINT32_C(2401900000)};
    CHECK(f.value < 0);
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(h.wifi_bitrate_mbps == 2401.9);
    f = (struct fake_wext){.value = -100000}; /* negative but not a wrapped rate */
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(isnan(h.wifi_bitrate_mbps));
    /* No socket: nothing asked, nothing to close. */
    f = (struct fake_wext){.socket_errno = EMFILE, .value = 54000000};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(isnan(h.wifi_bitrate_mbps) && f.ioctls == 0 && f.closes == 0);
    CHECK(strstr(h.wifi_bitrate_why, "socket") != NULL);

    /* Not Wi-Fi: the kernel is not asked at all. */
    f = (struct fake_wext){.value = 54000000};
    read_with("wired-laptop", &ops, 0, &h);
    read_with("vpn-small-desktop", &ops, 0, &h);
    read_with("no-route", &ops, 0, &h);
    CHECK(f.sockets == 0 && f.ioctls == 0);
    CHECK(isnan(h.wifi_bitrate_mbps) && h.wifi_bitrate_why[0] == '\0');
}

/* The Wi-Fi network's name: as given, at most 32 bytes, made printable. */
static void wifi_ssid(void)
{
    struct pc_host h;
    struct fake_wext f = {.value = 54000000, .ssid = "Clinic Guest", .ssid_len = 12};
    struct pc_wext_ops ops = fw_ops(&f);
    static const char full[] = "0123456789abcdef0123456789ABCDEF"; /* 32 bytes, the most */

    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(strcmp(h.wifi_ssid, "Clinic Guest") == 0);
    CHECK(f.essid_room == 32);
    f = (struct fake_wext){.value = 54000000, .ssid = full, .ssid_len = 32};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(strcmp(h.wifi_ssid, full) == 0);
    /* A driver that says more than the room: cut to 32 */
    f = (struct fake_wext){
        .value = 54000000, .ssid = "0123456789abcdef0123456789ABCDEFxyz", .ssid_len = 35};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(strcmp(h.wifi_ssid, full) == 0);
    /* Bytes that are not printable UTF-8 (an escape sequence, a lone 0xff) become '?'. */
    f = (struct fake_wext){.value = 54000000, .ssid = "Home\x1b[2J\xffNet", .ssid_len = 12};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(strcmp(h.wifi_ssid, "Home?[2J?Net") == 0);
    /* UTF-8 stays as it is. */
    f = (struct fake_wext){.value = 54000000, .ssid = "Praxis M\xc3\xbcller", .ssid_len = 15};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(strcmp(h.wifi_ssid, "Praxis M\xc3\xbcller") == 0);
    /* Refused: not known, and the bit rate is still read. */
    f = (struct fake_wext){
        .value = 54000000, .ssid = "x", .ssid_len = 1, .essid_errno = EOPNOTSUPP};
    read_with("wifi-weak-battery-low", &ops, 0, &h);
    CHECK(h.wifi_ssid[0] == '\0' && h.wifi_bitrate_mbps == 54);
    /* Not Wi-Fi: not asked. */
    f = (struct fake_wext){.ssid = "x", .ssid_len = 1};
    read_with("wired-laptop", &ops, 0, &h);
    CHECK(f.essid_ioctls == 0 && h.wifi_ssid[0] == '\0');
}

/* The real operations: lo has no wireless extensions, so the kernel refuses
 * (ENOTTY here; EOPNOTSUPP from cfg80211 when not associated). */
static void wext_system(void)
{
    const struct pc_wext_ops *ops = pc_wext_system();
    struct iwreq req;
    int fd;

    CHECK(ops != NULL);
    if (ops == NULL)
        return;
    CHECK((fd = ops->socket(ops->user)) >= 0);
    memset(&req, 0, sizeof(req));
    memcpy(req.ifr_name, "lo", 3);
    CHECK(ops->ioctl(ops->user, fd, SIOCGIWRATE, &req) == -1);
    CHECK(errno == ENOTTY || errno == EOPNOTSUPP || errno == ENODEV || errno == EINVAL);
    memset(&req, 0, sizeof(req));
    memcpy(req.ifr_name, "lo", 3);
    CHECK(ops->ioctl(ops->user, fd, SIOCGIWESSID, &req) == -1);
    CHECK(errno == ENOTTY || errno == EOPNOTSUPP || errno == ENODEV || errno == EINVAL);
    CHECK(ops->close(ops->user, fd) == 0);
}

/* The system probe reports the rate as wifi_bitrate_mbps of the run. */
static void system_probe(void)
{
    static const struct pc_probe *const probes[] = {&pc_probe_system};
    struct fake_wext f = {.value = 144400000, .ssid = "HomeNet-5G", .ssid_len = 10};
    struct pc_wext_ops ops = fw_ops(&f);
    char root[512];
    struct pc_config cfg = {.budget_ns = PC_NS_PER_S, .timeout_ns = 5 * PC_NS_PER_S};
    struct pc_run run = {probes, 1, 1u, &cfg, NULL, NULL};
    struct pc_report *r = pc_report_new();
    const struct pc_value *v;
    const struct pc_probe_result *res;

    snprintf(root, sizeof(root), "%s/%s", PRECALL_SYSROOTS, "wifi-weak-battery-low");
    cfg.sysroot = root;
    cfg.wext = &ops;
    CHECK(pc_runner_run(&run, r) == 0);
    v = pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_WIFI_BITRATE_MBPS);
    CHECK(v != NULL && v->set && v->num == 144.4);
    CHECK((res = pc_report_probe_find(r, "system")) != NULL);
    if (res != NULL)
        CHECK(strstr(res->method, "SIOCGIWRATE (bit rate), SIOCGIWESSID (network name)") != NULL);
    v = pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_WIFI_SSID);
    CHECK(v != NULL && v->set && v->text != NULL && strcmp(v->text, "HomeNet-5G") == 0);
    pc_report_free(r);

    /* Wired: not measured. */
    r = pc_report_new();
    snprintf(root, sizeof(root), "%s/%s", PRECALL_SYSROOTS, "wired-laptop");
    CHECK(pc_runner_run(&run, r) == 0);
    v = pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_WIFI_BITRATE_MBPS);
    CHECK(v == NULL || !v->set);
    v = pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_WIFI_SSID);
    CHECK(v == NULL || !v->set);
    pc_report_free(r);
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
    wifi_bitrate();
    wifi_ssid();
    wext_system();
    system_probe();
    vpn();
    cellular();
    no_route_and_missing();
    return check_done();
}
