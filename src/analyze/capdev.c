/*
 * capdev.c - open a capture device, then drop privileges (see precall/capdev.h).
 *
 * Everything that needs root or CAP_NET_RAW/CAP_NET_ADMIN happens here and
 * before the drop: activating the device. The -w file is the invoking
 * user's: created after the drop, or before it when root itself ran us.
 * Linux-specific (capset, setresuid).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <net/if.h>
#include <linux/capability.h>
#include <pcap/pcap.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "precall/capdev.h"

#define SNAPLEN    65535
#define TIMEOUT_MS 100

static int parse_id(const char *s, unsigned long *out)
{
    char *end;

    if (s == NULL || *s == '\0')
        return -1;
    *out = strtoul(s, &end, 10);
    return *end == '\0' && *out > 0 ? 0 : -1;
}

/* Whom root becomes: the real user of a setuid binary, the user behind sudo, or nobody. */
static int target_ids(uid_t *uid, gid_t *gid)
{
    const struct passwd *pw;
    unsigned long u, g;

    if (getuid() != 0) {
        *uid = getuid();
        *gid = getgid();
        return 0;
    }
    if (parse_id(getenv("SUDO_UID"), &u) == 0 && parse_id(getenv("SUDO_GID"), &g) == 0) {
        *uid = (uid_t)u;
        *gid = (gid_t)g;
        return 0;
    }
    pw = getpwnam("nobody");
    if (pw == NULL)
        return -1;
    *uid = pw->pw_uid;
    *gid = pw->pw_gid;
    return 0;
}

static int drop_privileges(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    uid_t uid;
    gid_t gid;

    if (geteuid() == 0 || getuid() == 0) {
        if (target_ids(&uid, &gid) < 0 || setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
            setresuid(uid, uid, uid) < 0)
            return -1;
        if (setuid(0) == 0) /* must not be able to come back */
            return -1;
    }
    /* file capabilities (or what is left of root's): none from here on */
    memset(d, 0, sizeof(d));
    return syscall(SYS_capset, &h, d) == 0 ? 0 : -1;
}

/* Is there an interface (or libpcap pseudo-device, "any") of this name? */
static int iface_exists(const char *iface)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_if_t *all = NULL;
    int found = 0;

    if (if_nametoindex(iface) != 0)
        return 1;
    if (pcap_findalldevs(&all, errbuf) < 0)
        return 1; /* cannot tell: do not claim it is missing */
    for (const pcap_if_t *i = all; i != NULL && !found; i = i->next)
        found = strcmp(i->name, iface) == 0;
    pcap_freealldevs(all);
    return found;
}

int pc_capdev_open(const char *iface, struct pc_capdev *d, struct pc_err *err)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    struct bpf_program prog;
    pcap_t *p;
    int rc;

    memset(d, 0, sizeof(*d));
    p = pcap_create(iface, errbuf);
    if (p == NULL)
        return pc_err_set(err, PC_EIO, "cannot capture on %s: %s", iface, errbuf);
    pcap_set_snaplen(p, SNAPLEN);
    pcap_set_promisc(p, 0);
    pcap_set_timeout(p, TIMEOUT_MS);
    pcap_set_immediate_mode(p, 1);
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
    rc = pcap_activate(p);
    /* Without the permission libpcap cannot even look for the device: look here. */
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE ||
        ((rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED) &&
         !iface_exists(iface))) {
        pcap_close(p);
        return pc_err_set(err, PC_ENOENT, "no network interface named %s", iface);
    }
    if (rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED) {
        pcap_close(p);
        return pc_err_set(err, PC_EPERM,
                          "no permission to capture on %s: run as root, or grant CAP_NET_RAW "
                          "and CAP_NET_ADMIN (setcap cap_net_raw,cap_net_admin=eip "
                          "/path/to/precall)",
                          iface);
    }
    if (rc < 0) {
        pc_err_set(err, PC_EIO, "cannot capture on %s: %s", iface, pcap_geterr(p));
        pcap_close(p);
        return PC_EIO;
    }
    if (pcap_compile(p, &prog, PC_CAPDEV_FILTER, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
        pcap_setfilter(p, &prog) < 0) {
        pc_err_set(err, PC_EIO, "cannot filter on %s: %s", iface, pcap_geterr(p));
        pcap_close(p);
        return PC_EIO;
    }
    pcap_freecode(&prog);
    d->pcap = p;
    return 0;
}

int pc_capdev_drop_changes_user(void)
{
    unsigned long u, g;

    /* root itself ran precall (no sudo, not setuid): it becomes nobody, not the user */
    return getuid() == 0 &&
           !(parse_id(getenv("SUDO_UID"), &u) == 0 && parse_id(getenv("SUDO_GID"), &g) == 0);
}

/* Create the -w file (as whoever this process is now) and write the pcap header. */
static int open_dump(struct pc_capdev *d, const char *path, struct pc_err *err)
{
    FILE *fp = fopen(path, "wb");

    d->write_path = path;
    if (fp == NULL) {
        d->write_errno = errno;
        return pc_err_set(err, PC_EIO, "cannot create %s: %s", path, strerror(errno));
    }
    d->dumper = pcap_dump_fopen(d->pcap, fp);
    if (d->dumper == NULL) {
        fclose(fp);
        d->write_errno = EIO;
        return pc_err_set(err, PC_EIO, "cannot write %s: %s", path, pcap_geterr(d->pcap));
    }
    return 0;
}

int pc_capdev_drop(struct pc_capdev *d, const char *write_path, struct pc_err *err)
{
    int before = write_path != NULL && pc_capdev_drop_changes_user();

    if (before && open_dump(d, write_path, err) < 0)
        return PC_EIO;
    if (drop_privileges() < 0)
        return pc_err_set(err, PC_EIO, "could not drop privileges after opening the interface");
    if (write_path != NULL && !before && open_dump(d, write_path, err) < 0)
        return PC_EIO;
    return 0;
}

void pc_capdev_dump(struct pc_capdev *d, const void *pkthdr, const uint8_t *data)
{
    FILE *fp;

    if (d->dumper == NULL || d->write_errno != 0)
        return;
    errno = 0;
    pcap_dump((u_char *)d->dumper, pkthdr, data);
    fp = pcap_dump_file(d->dumper);
    if (ferror(fp))
        d->write_errno = errno != 0 ? errno : EIO;
}

int pc_capdev_close(struct pc_capdev *d, struct pc_err *err)
{
    int e = d->write_errno;

    if (d->dumper != NULL) {
        FILE *fp = pcap_dump_file(d->dumper);

        errno = 0;
        if (e == 0 && (pcap_dump_flush(d->dumper) < 0 || ferror(fp)))
            e = errno != 0 ? errno : EIO;
        /* A delayed error (a full disk behind a cache, NFS) shows at the sync. */
        if (e == 0 && fsync(fileno(fp)) < 0 && errno != EINVAL && errno != EROFS &&
            errno != ENOTSUP)
            e = errno;
        pcap_dump_close(d->dumper);
        d->dumper = NULL;
    }
    if (d->pcap != NULL)
        pcap_close(d->pcap);
    d->pcap = NULL;
    if (e != 0)
        return pc_err_set(err, PC_EIO, "cannot write %s: %s", d->write_path, strerror(e));
    return 0;
}
