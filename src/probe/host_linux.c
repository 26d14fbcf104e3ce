/*
 * host_linux.c - the host's facts from /proc and /sys (see host.h).
 *
 * Default route: /proc/net/route (IPv4) and /proc/net/ipv6_route, the
 * up, non-reject route to 0/0 (::/0) with the lowest metric. Its kind from
 * /sys/class/net/IF: wireless/ or phy80211 (Wi-Fi), uevent DEVTYPE (wwan,
 * wireguard, vlan, bridge), tun_flags (tun/tap) and type (ARPHRD_*). Wi-Fi
 * signal and link quality from /proc/net/wireless (the wireless-extensions
 * view that cfg80211 keeps); the transmit bit rate from the ioctl
 * SIOCGIWRATE (cfg80211's wext compatibility answers it from the station's
 * tx bitrate; drivers without wext, such as Wi-Fi 7 multi-link ones, refuse
 * it and the rate is simply not measured).
 * Battery from /sys/class/power_supply (system batteries, not a mouse's),
 * processors from /sys/devices/system/cpu/online, load from /proc/loadavg,
 * memory from /proc/meminfo. Every file is read under root, so a fixture
 * tree stands in for the machine in tests.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/wireless.h>

#include "precall/buf.h"
#include "precall/utf8.h"
#include "probe/host.h"

#define RTF_UP     0x0001
#define RTF_REJECT 0x0200

/* ARPHRD_* numbers (linux/if_arp.h) */
#define ARPHRD_ETHER    1
#define ARPHRD_PPP      512
#define ARPHRD_TUNNEL   768
#define ARPHRD_TUNNEL6  769
#define ARPHRD_SIT      776
#define ARPHRD_IPGRE    778
#define ARPHRD_RAWIP    519
#define ARPHRD_NONE     65534
#define ARPHRD_LOOPBACK 772

int pc_host_supported(void)
{
    return 1;
}

static int sys_socket(void *user)
{
    (void)user;
    return socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

static int sys_ioctl(void *user, int fd, unsigned long request, void *arg)
{
    (void)user;
    return ioctl(fd, request, arg);
}

static int sys_close(void *user, int fd)
{
    (void)user;
    return close(fd);
}

static const struct pc_wext_ops system_wext = {NULL, sys_socket, sys_ioctl, sys_close};

const struct pc_wext_ops *pc_wext_system(void)
{
    return &system_wext;
}

static void path(char *buf, size_t cap, const char *root, const char *rel)
{
    snprintf(buf, cap, "%s%s", root, rel);
}

/* The first line of a small file, without its newline; -1 when it cannot be read. */
static int read_line(const char *root, const char *rel, char *buf, size_t cap)
{
    char p[512];
    FILE *f;

    path(p, sizeof(p), root, rel);
    if ((f = fopen(p, "re")) == NULL)
        return -1;
    if (fgets(buf, (int)cap, f) == NULL) {
        fclose(f);
        return -1;
    }
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

static int read_long(const char *root, const char *rel, long *out)
{
    char buf[64], *end;

    if (read_line(root, rel, buf, sizeof(buf)) < 0)
        return -1;
    errno = 0;
    *out = strtol(buf, &end, 10);
    return errno != 0 || end == buf ? -1 : 0;
}

static int exists(const char *root, const char *rel)
{
    char p[512];
    struct stat st;

    path(p, sizeof(p), root, rel);
    return stat(p, &st) == 0;
}

static void note(struct pc_host *h, const char *what)
{
    size_t n = strlen(h->missing);

    snprintf(h->missing + n, sizeof(h->missing) - n, "%s%s", n ? ", " : "", what);
}

/* IPv4 default route: Destination and Mask 0, up, lowest metric. */
static int route4(const char *root, char *iface, size_t cap, long *metric)
{
    char p[512], line[512];
    FILE *f;
    int found = 0;

    path(p, sizeof(p), root, "/proc/net/route");
    if ((f = fopen(p, "re")) == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        char ifn[32];
        unsigned long dst, gw, flags, mask;
        long refcnt, use, m;

        if (sscanf(line, "%31s %lx %lx %lx %ld %ld %ld %lx", ifn, &dst, &gw, &flags, &refcnt, &use,
                   &m, &mask) != 8)
            continue; /* the header */
        if (dst != 0 || mask != 0 || !(flags & RTF_UP) || (flags & RTF_REJECT))
            continue;
        if (!found || m < *metric) {
            snprintf(iface, cap, "%s", ifn);
            *metric = m;
            found = 1;
        }
    }
    fclose(f);
    return found;
}

/* IPv6 default route: ::/0, up, not a reject route, not on lo. */
static int route6(const char *root, char *iface, size_t cap, long *metric)
{
    char p[512], line[512];
    FILE *f;
    int found = 0;

    path(p, sizeof(p), root, "/proc/net/ipv6_route");
    if ((f = fopen(p, "re")) == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        char dst[40], src[40], gw[40], ifn[32];
        unsigned dlen, slen;
        unsigned long m, ref, use, flags;

        if (sscanf(line, "%39s %x %39s %x %39s %lx %lx %lx %lx %31s", dst, &dlen, src, &slen, gw,
                   &m, &ref, &use, &flags, ifn) != 10)
            continue;
        if (dlen != 0 || strspn(dst, "0") != strlen(dst) || !(flags & RTF_UP) ||
            (flags & RTF_REJECT) || strcmp(ifn, "lo") == 0)
            continue;
        if (!found || (long)m < *metric) {
            snprintf(iface, cap, "%s", ifn);
            *metric = (long)m;
            found = 1;
        }
    }
    fclose(f);
    return found;
}

/* DEVTYPE= of /sys/class/net/IF/uevent, "" when none. */
static void devtype(const char *root, const char *ifn, char *out, size_t cap)
{
    char p[512], rel[128], line[256];
    FILE *f;

    out[0] = '\0';
    snprintf(rel, sizeof(rel), "/sys/class/net/%s/uevent", ifn);
    path(p, sizeof(p), root, rel);
    if ((f = fopen(p, "re")) == NULL)
        return;
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "DEVTYPE=", 8) == 0) {
            line[strcspn(line, "\n")] = '\0';
            pc_strfmt(out, cap, "%s", line + 8);
        }
    fclose(f);
}

static void kind(const char *root, struct pc_host *h)
{
    char rel[128], dt[32];
    long type = -1;

    snprintf(rel, sizeof(rel), "/sys/class/net/%s/type", h->iface);
    read_long(root, rel, &type);
    devtype(root, h->iface, dt, sizeof(dt));
    snprintf(rel, sizeof(rel), "/sys/class/net/%s/wireless", h->iface);
    if (exists(root, rel)) {
        snprintf(h->kind, sizeof(h->kind), "wifi");
        snprintf(h->kind_why, sizeof(h->kind_why), "sysfs wireless/");
        return;
    }
    snprintf(rel, sizeof(rel), "/sys/class/net/%s/phy80211", h->iface);
    if (exists(root, rel) || strcmp(dt, "wlan") == 0) {
        snprintf(h->kind, sizeof(h->kind), "wifi");
        snprintf(h->kind_why, sizeof(h->kind_why), "%s", dt[0] ? "DEVTYPE=wlan" : "sysfs phy80211");
        return;
    }
    snprintf(rel, sizeof(rel), "/sys/class/net/%s/tun_flags", h->iface);
    if (strcmp(dt, "wwan") == 0 || type == ARPHRD_RAWIP) {
        snprintf(h->kind, sizeof(h->kind), "cellular");
    } else if (strcmp(dt, "wireguard") == 0 || exists(root, rel) || type == ARPHRD_NONE ||
               type == ARPHRD_PPP || type == ARPHRD_TUNNEL || type == ARPHRD_TUNNEL6 ||
               type == ARPHRD_SIT || type == ARPHRD_IPGRE) {
        snprintf(h->kind, sizeof(h->kind), "vpn");
    } else if (type == ARPHRD_ETHER && strcmp(dt, "bridge") != 0) {
        snprintf(h->kind, sizeof(h->kind), "wired");
    } else {
        snprintf(h->kind, sizeof(h->kind), "other");
    }
    snprintf(h->kind_why, sizeof(h->kind_why), "type %ld%s%s%s", type, dt[0] ? ", DEVTYPE=" : "",
             dt, exists(root, rel) ? ", tun_flags" : "");
}

/* The interface's line of /proc/net/wireless: link quality and signal level. */
static void wireless(const char *root, struct pc_host *h)
{
    char p[512], line[256];
    FILE *f;
    size_t n = strlen(h->iface);

    path(p, sizeof(p), root, "/proc/net/wireless");
    if ((f = fopen(p, "re")) == NULL) {
        note(h, "/proc/net/wireless");
        return;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        const char *s = line + strspn(line, " ");
        unsigned status;
        double link, level;

        if (strncmp(s, h->iface, n) != 0 || s[n] != ':')
            continue;
        if (sscanf(s + n + 1, "%x %lf %lf", &status, &link, &level) != 3)
            break;
        /* cfg80211 reports the level in dBm and the quality out of 70. */
        if (level > 0 && level < 256)
            level -= 256; /* old drivers: an unsigned byte */
        if (level < 0 && level >= -120)
            h->wifi_signal_dbm = level;
        if (link >= 0 && link <= 70)
            h->wifi_quality_pct = link / 70.0 * 100.0;
        break;
    }
    fclose(f);
}

/*
 * The transmit bit rate of the Wi-Fi link: SIOCGIWRATE fills a struct
 * iw_param (linux/wireless.h) with the rate in bit/s, a signed 32-bit
 * value. cfg80211 computes it as 100000 x the rate in 100 kbit/s in
 * unsigned arithmetic, so rates from 2147.5 Mbit/s up arrive wrapped to a
 * negative value that is still a multiple of 100000 as an unsigned number:
 * those are read back as unsigned. Any other negative value, zero, or a
 * rate marked disabled (not associated) is not a measurement.
 */
static void bitrate(const struct pc_wext_ops *ops, struct pc_host *h)
{
    struct iwreq req;
    int fd, rc, e;
    uint32_t bps;

    if (strlen(h->iface) >= IFNAMSIZ) {
        snprintf(h->wifi_bitrate_why, sizeof(h->wifi_bitrate_why), "SIOCGIWRATE: name too long");
        return;
    }
    if ((fd = ops->socket(ops->user)) < 0) {
        snprintf(h->wifi_bitrate_why, sizeof(h->wifi_bitrate_why), "SIOCGIWRATE: socket: %s",
                 strerror(errno));
        return;
    }
    memset(&req, 0, sizeof(req));
    memcpy(req.ifr_name, h->iface, strlen(h->iface) + 1);
    rc = ops->ioctl(ops->user, fd, SIOCGIWRATE, &req);
    e = errno;
    ops->close(ops->user, fd);
    if (rc < 0) {
        snprintf(h->wifi_bitrate_why, sizeof(h->wifi_bitrate_why), "SIOCGIWRATE: %s", strerror(e));
        return;
    }
    bps = (uint32_t)req.u.bitrate.value;
    if (req.u.bitrate.disabled || bps == 0 || (req.u.bitrate.value < 0 && bps % 100000 != 0)) {
        snprintf(h->wifi_bitrate_why, sizeof(h->wifi_bitrate_why), "SIOCGIWRATE: no rate");
        return;
    }
    h->wifi_bitrate_mbps = (double)bps / 1e6;
    snprintf(h->wifi_bitrate_why, sizeof(h->wifi_bitrate_why), "SIOCGIWRATE");
}

/*
 * The name (SSID) of the Wi-Fi network the link is associated with:
 * SIOCGIWESSID copies up to IW_ESSID_MAX_SIZE (32) bytes into the buffer
 * it is given and sets their length; a length of 0 (not associated) or a
 * failure leaves it unknown. An SSID is any 32 bytes: made valid, printable
 * UTF-8 ('?' for the rest) before it enters the report.
 */
static void essid(const struct pc_wext_ops *ops, struct pc_host *h)
{
    char name[IW_ESSID_MAX_SIZE + 1];
    struct iwreq req;
    int fd, rc;

    if (strlen(h->iface) >= IFNAMSIZ || (fd = ops->socket(ops->user)) < 0)
        return;
    memset(&req, 0, sizeof(req));
    memset(name, 0, sizeof(name));
    memcpy(req.ifr_name, h->iface, strlen(h->iface) + 1);
    req.u.essid.pointer = name;
    req.u.essid.length = IW_ESSID_MAX_SIZE;
    rc = ops->ioctl(ops->user, fd, SIOCGIWESSID, &req);
    ops->close(ops->user, fd);
    if (rc < 0 || req.u.essid.length == 0)
        return;
    name[req.u.essid.length < IW_ESSID_MAX_SIZE ? req.u.essid.length : IW_ESSID_MAX_SIZE] = '\0';
    pc_utf8_sanitize(name);
    snprintf(h->wifi_ssid, sizeof(h->wifi_ssid), "%s", name);
}

/* System batteries (scope is not "Device") and mains adapters. */
static void battery(const char *root, struct pc_host *h)
{
    char p[512];
    DIR *d;
    struct dirent *e;
    double sum = 0;
    int n = 0, discharging = 0, charging = 0, mains = 0, mains_online = 0;

    path(p, sizeof(p), root, "/sys/class/power_supply");
    if ((d = opendir(p)) == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char rel[300], buf[64];
        long v;

        if (e->d_name[0] == '.')
            continue;
        snprintf(rel, sizeof(rel), "/sys/class/power_supply/%s/type", e->d_name);
        if (read_line(root, rel, buf, sizeof(buf)) < 0)
            continue;
        if (strcmp(buf, "Mains") == 0) {
            mains++;
            snprintf(rel, sizeof(rel), "/sys/class/power_supply/%s/online", e->d_name);
            mains_online += read_long(root, rel, &v) == 0 && v == 1;
            continue;
        }
        if (strcmp(buf, "Battery") != 0)
            continue;
        snprintf(rel, sizeof(rel), "/sys/class/power_supply/%s/scope", e->d_name);
        if (read_line(root, rel, buf, sizeof(buf)) == 0 && strcmp(buf, "Device") == 0)
            continue; /* a mouse's or a headset's battery */
        snprintf(rel, sizeof(rel), "/sys/class/power_supply/%s/present", e->d_name);
        if (read_long(root, rel, &v) == 0 && v == 0)
            continue;
        h->battery_present = 1;
        snprintf(rel, sizeof(rel), "/sys/class/power_supply/%s/capacity", e->d_name);
        if (read_long(root, rel, &v) == 0 && v >= 0 && v <= 100) {
            sum += (double)v;
            n++;
        }
        snprintf(rel, sizeof(rel), "/sys/class/power_supply/%s/status", e->d_name);
        if (read_line(root, rel, buf, sizeof(buf)) == 0) {
            discharging += strcmp(buf, "Discharging") == 0;
            charging += strcmp(buf, "Discharging") != 0 && strcmp(buf, "Unknown") != 0;
        }
    }
    closedir(d);
    if (n > 0)
        h->battery_pct = sum / n;
    if (h->battery_present) {
        if (mains > 0)
            h->on_battery = mains_online == 0;
        else if (discharging || charging)
            h->on_battery = discharging > 0 && charging == 0;
    }
}

/* "0-3,6,8-9" -> 7 */
static int count_cpus(const char *list)
{
    int n = 0;
    const char *s = list;

    while (*s != '\0') {
        char *end;
        long a = strtol(s, &end, 10), b;

        if (end == s)
            return -1;
        b = a;
        if (*end == '-') {
            s = end + 1;
            b = strtol(s, &end, 10);
            if (end == s || b < a)
                return -1;
        }
        n += (int)(b - a + 1);
        s = end;
        if (*s == ',')
            s++;
        else if (*s != '\0')
            return -1;
    }
    return n;
}

static void cpu_mem(const char *root, struct pc_host *h)
{
    char buf[256], p[512], line[256];
    FILE *f;

    if (read_line(root, "/sys/devices/system/cpu/online", buf, sizeof(buf)) == 0)
        h->cpu_count = count_cpus(buf);
    if (h->cpu_count <= 0) {
        long n = root[0] == '\0' ? sysconf(_SC_NPROCESSORS_ONLN) : -1;

        h->cpu_count = n > 0 ? (int)n : 0;
        if (h->cpu_count == 0)
            note(h, "processor count");
    }
    if (read_line(root, "/proc/loadavg", buf, sizeof(buf)) == 0) {
        char *end;
        double v = strtod(buf, &end);

        if (end != buf && v >= 0)
            h->load1 = v;
    }
    if (isnan(h->load1))
        note(h, "/proc/loadavg");
    path(p, sizeof(p), root, "/proc/meminfo");
    if ((f = fopen(p, "re")) != NULL) {
        while (fgets(line, sizeof(line), f) != NULL) {
            double kb;

            if (sscanf(line, "MemTotal: %lf kB", &kb) == 1)
                h->mem_total_mib = kb / 1024.0;
            else if (sscanf(line, "MemAvailable: %lf kB", &kb) == 1)
                h->mem_avail_mib = kb / 1024.0;
        }
        fclose(f);
    }
    if (isnan(h->mem_total_mib))
        note(h, "/proc/meminfo");
}

int pc_host_read(const char *root, const struct pc_wext_ops *wext, int family, struct pc_host *h,
                 struct pc_err *err)
{
    long m4 = 0, m6 = 0;
    char if4[32] = "", if6[32] = "", rel[128];
    int r4 = 0, r6 = 0;
    long v;

    (void)err;
    if (root == NULL || strcmp(root, "/") == 0)
        root = "";
    if (wext == NULL && root[0] == '\0')
        wext = pc_wext_system();
    memset(h, 0, sizeof(*h));
    h->link_speed_mbps = h->wifi_signal_dbm = h->wifi_quality_pct = h->wifi_bitrate_mbps = NAN;
    h->battery_pct = h->load1 = h->mem_total_mib = h->mem_avail_mib = NAN;
    h->on_battery = -1;
    if (family != 6 && (r4 = route4(root, if4, sizeof(if4), &m4)) < 0)
        note(h, "/proc/net/route");
    if (family != 4 && (r6 = route6(root, if6, sizeof(if6), &m6)) < 0)
        note(h, "/proc/net/ipv6_route");
    if (r4 > 0) {
        h->route_family = 4;
        snprintf(h->iface, sizeof(h->iface), "%s", if4);
    } else if (r6 > 0) {
        h->route_family = 6;
        snprintf(h->iface, sizeof(h->iface), "%s", if6);
    }
    if (h->route_family == 0) {
        snprintf(h->kind, sizeof(h->kind), "none");
    } else {
        kind(root, h);
        snprintf(rel, sizeof(rel), "/sys/class/net/%s/mtu", h->iface);
        if (read_long(root, rel, &v) == 0 && v > 0)
            h->mtu = (int)v;
        snprintf(rel, sizeof(rel), "/sys/class/net/%s/speed", h->iface);
        if (strcmp(h->kind, "wired") == 0 && read_long(root, rel, &v) == 0 && v > 0)
            h->link_speed_mbps = (double)v;
        if (strcmp(h->kind, "wifi") == 0) {
            wireless(root, h);
            if (wext != NULL) {
                bitrate(wext, h);
                essid(wext, h);
            } else
                snprintf(h->wifi_bitrate_why, sizeof(h->wifi_bitrate_why),
                         "SIOCGIWRATE: not asked (a fixture tree)");
        }
    }
    battery(root, h);
    cpu_mem(root, h);
    return 0;
}
