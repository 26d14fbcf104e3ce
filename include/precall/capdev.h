/*
 * capdev.h - opening a live capture, the only privileged work of precall.
 *
 * pc_capdev_open() opens the interface with libpcap, sets the filter (UDP,
 * and TCP port 443), opens the -w file if asked, and then gives up every
 * privilege before it returns: root becomes the invoking user (setuid or
 * sudo) or nobody, and a process with file capabilities drops them. The
 * caller owns the returned handles and closes them with pc_capdev_close().
 */
#ifndef PRECALL_CAPDEV_H
#define PRECALL_CAPDEV_H

#include "precall/err.h"

#define PC_CAPDEV_FILTER "udp or (tcp port 443)"

/*
 * 0, or PC_EPERM (no permission to capture: err says what to do), PC_ENOENT
 * (no such interface), PC_EIO (anything else, or privileges could not be
 * dropped).
 */
int pc_capdev_open(const char *iface, const char *write_path, void **pcap, void **dumper,
                   struct pc_err *err);
void pc_capdev_close(void *pcap, void *dumper);

#endif
