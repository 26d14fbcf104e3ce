/*
 * host.h - facts about this computer that a call depends on: the interface
 * the default route uses and its kind, Wi-Fi signal, battery, processor and
 * memory. pc_host_read() fills a plain value; nothing in it needs freeing.
 *
 * The Linux reader (host_linux.c) takes everything from /proc and /sys
 * under root ("/" normally; a fixture tree in tests), and the Wi-Fi bit
 * rate and network name from the kernel's wireless-extensions ioctls
 * SIOCGIWRATE and SIOCGIWESSID (which
 * cfg80211 answers for most drivers) through a small operations table
 * (struct pc_wext_ops) so that a test double can answer it; elsewhere
 * (host_other.c) it says "not supported on this system".
 */
#ifndef PRECALL_PROBE_HOST_H
#define PRECALL_PROBE_HOST_H

#include "precall/err.h"

/*
 * How the reader reaches the wireless extensions. Its functions behave like
 * the system calls: -1 with errno set on failure. socket() opens the
 * datagram socket the ioctl is made on; ioctl() receives SIOCGIWRATE or
 * SIOCGIWESSID with a struct iwreq (linux/wireless.h) naming the interface.
 */
struct pc_wext_ops {
    void *user;
    int (*socket)(void *user);
    int (*ioctl)(void *user, int fd, unsigned long request, void *arg);
    int (*close)(void *user, int fd);
};

/* The system's (socket(2), ioctl(2), close(2)); NULL where there is none. */
const struct pc_wext_ops *pc_wext_system(void);

struct pc_host {
    int route_family;          /* 4 or 6: the default route found; 0: none */
    char iface[32];            /* its interface, "" without a default route */
    char kind[16];             /* "wired", "wifi", "cellular", "vpn", "other", "none" */
    char kind_why[96];         /* how the kind was told: "sysfs wireless/", "DEVTYPE=wwan", ... */
    int mtu;                   /* 0: unknown */
    double link_speed_mbps;    /* NAN: unknown (Wi-Fi, or the driver does not say) */
    double wifi_signal_dbm;    /* NAN: not Wi-Fi or not offered */
    double wifi_quality_pct;   /* NAN: not offered */
    double wifi_bitrate_mbps;  /* NAN: not Wi-Fi or not offered (transmit rate) */
    char wifi_bitrate_why[96]; /* how it was read, or why not: "SIOCGIWRATE: ..." */
    char wifi_ssid[33]; /* the Wi-Fi network's name (SIOCGIWESSID), made printable; "": not known */
    int battery_present;
    double battery_pct; /* NAN: no battery or no capacity */
    int on_battery;     /* 1 discharging, 0 on mains, -1 unknown */
    int cpu_count;
    double load1;         /* NAN: unknown */
    double mem_total_mib; /* NAN: unknown */
    double mem_avail_mib; /* NAN: unknown */
    char missing[200];    /* what could not be read, for the probe's method line */
};

/*
 * Read the host's facts from the tree at root (NULL or "" is "/"). family
 * 4 or 6 restricts the default route looked for; 0 prefers IPv4. wext
 * answers the Wi-Fi bit rate; NULL is the system's when root is "/" and
 * none for a fixture tree (its interface names are not this machine's).
 * Returns 0, or PC_EIO with "not supported on this system" where there is
 * no reader for this system.
 */
int pc_host_read(const char *root, const struct pc_wext_ops *wext, int family, struct pc_host *h,
                 struct pc_err *err);

/* Is there a reader for this system? */
int pc_host_supported(void);

#endif
