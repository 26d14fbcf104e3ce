/*
 * traffic_cap.c - the traffic probe's privileged work: open the capture,
 * then the capturing thread gives up its privileges (see traffic.h).
 *
 * Unlike 'precall capture', which drops privileges for the whole process
 * (src/analyze/capdev.c), 'check' goes on after this probe: the report's
 * -o file is the user's, and the probe's own socket-owner lookup in /proc
 * needs to see the user's processes. So only the thread that reads the
 * wire (the one that handles untrusted bytes) drops, through the raw
 * system calls, which act on the calling thread alone (glibc's wrappers
 * would change every thread). Linux-specific.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <linux/capability.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <pwd.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe/traffic.h"

#define TIMEOUT_MS 100

int pc_traffic_open(const char *iface, int snaplen, const char *filter, void **pcap,
                    struct pc_err *err)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    struct bpf_program prog;
    pcap_t *p;
    int rc;

    *pcap = NULL;
    if (if_nametoindex(iface) == 0)
        return pc_err_set(err, PC_ENOENT, "no network interface named %s", iface);
    p = pcap_create(iface, errbuf);
    if (p == NULL)
        return pc_err_set(err, PC_EIO, "cannot capture on %s: %s", iface, errbuf);
    pcap_set_snaplen(p, snaplen);
    pcap_set_promisc(p, 0);
    pcap_set_timeout(p, TIMEOUT_MS);
    pcap_set_immediate_mode(p, 1);
    rc = pcap_activate(p);
    if (rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED) {
        pcap_close(p);
        return pc_err_set(err, PC_EPERM,
                          "needs capture permission (run as root or grant CAP_NET_RAW)");
    }
    if (rc < 0) {
        pc_err_set(err, PC_EIO, "cannot capture on %s: %s", iface, pcap_geterr(p));
        pcap_close(p);
        return PC_EIO;
    }
    if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
        pcap_setfilter(p, &prog) < 0) {
        pc_err_set(err, PC_EIO, "cannot filter on %s: %s", iface, pcap_geterr(p));
        pcap_close(p);
        return PC_EIO;
    }
    pcap_freecode(&prog);
    *pcap = p;
    return 0;
}

int pc_traffic_drop_thread(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];

    if (geteuid() == 0 || getuid() == 0) {
        const struct passwd *pw = getpwnam("nobody");

        if (pw == NULL || syscall(SYS_setgroups, 0, NULL) < 0 ||
            syscall(SYS_setresgid, pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
            syscall(SYS_setresuid, pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
            return -1;
        if (syscall(SYS_setresuid, 0, 0, 0) == 0) /* must not be able to come back */
            return -1;
    }
    memset(d, 0, sizeof(d));
    return syscall(SYS_capset, &h, d) == 0 ? 0 : -1;
}
