/*
 * capdev.c - open a capture device, then drop privileges (see precall/capdev.h).
 *
 * Everything that needs root or CAP_NET_RAW/CAP_NET_ADMIN happens here and
 * before the drop: activating the device and opening the output file.
 * Linux-specific (capset, setresuid).
 */
#define _GNU_SOURCE
#include <grp.h>
#include <linux/capability.h>
#include <pcap/pcap.h>
#include <pwd.h>
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

int pc_capdev_open(const char *iface, const char *write_path, void **pcap, void **dumper,
                   struct pc_err *err)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    struct bpf_program prog;
    pcap_dumper_t *dump = NULL;
    pcap_t *p;
    int rc;

    *pcap = NULL;
    *dumper = NULL;
    p = pcap_create(iface, errbuf);
    if (p == NULL)
        return pc_err_set(err, PC_EIO, "cannot capture on %s: %s", iface, errbuf);
    pcap_set_snaplen(p, SNAPLEN);
    pcap_set_promisc(p, 0);
    pcap_set_timeout(p, TIMEOUT_MS);
    pcap_set_immediate_mode(p, 1);
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
    rc = pcap_activate(p);
    if (rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED) {
        pcap_close(p);
        return pc_err_set(err, PC_EPERM,
                          "no permission to capture on %s: run as root, or grant CAP_NET_RAW "
                          "and CAP_NET_ADMIN (setcap cap_net_raw,cap_net_admin=eip "
                          "/path/to/precall)",
                          iface);
    }
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE) {
        pcap_close(p);
        return pc_err_set(err, PC_ENOENT, "no network interface named %s", iface);
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
    if (write_path != NULL && (dump = pcap_dump_open(p, write_path)) == NULL) {
        pc_err_set(err, PC_EIO, "cannot write %s: %s", write_path, pcap_geterr(p));
        pcap_close(p);
        return PC_EIO;
    }
    if (drop_privileges() < 0) {
        if (dump != NULL)
            pcap_dump_close(dump);
        pcap_close(p);
        return pc_err_set(err, PC_EIO, "could not drop privileges after opening %s", iface);
    }
    *pcap = p;
    *dumper = dump;
    return 0;
}

void pc_capdev_close(void *pcap, void *dumper)
{
    if (dumper != NULL)
        pcap_dump_close(dumper);
    if (pcap != NULL)
        pcap_close(pcap);
}
