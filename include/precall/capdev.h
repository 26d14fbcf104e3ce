/*
 * capdev.h - opening a live capture, the only privileged work of precall.
 *
 * pc_capdev_open() opens the interface with libpcap and sets the filter
 * (UDP, and TCP port 443), with whatever privileges the process has.
 * pc_capdev_drop() then gives up every privilege: root becomes the invoking
 * user (the real user of a setuid binary, the user behind sudo) or, when
 * root itself ran precall, nobody; a process with file capabilities drops
 * them. The -w file is opened as the invoking user: after the drop, or
 * before it when that user is root itself (whom nobody must not stand in
 * for). The caller owns the struct and closes it with pc_capdev_close().
 */
#ifndef PRECALL_CAPDEV_H
#define PRECALL_CAPDEV_H

#include <stdint.h>

#include "precall/err.h"

#define PC_CAPDEV_FILTER "udp or (tcp port 443)"

struct pc_capdev {
    void *pcap;             /* pcap_t *, activated and filtered */
    void *dumper;           /* pcap_dumper_t * of the -w file, NULL without one */
    const char *write_path; /* the -w file, NULL without one */
    int write_errno;        /* the first failed write to it (writing then stops), 0 if none */
};

/*
 * 0, or PC_EPERM (no permission to capture: err says what to do), PC_ENOENT
 * (no such interface), PC_EIO (anything else). d is zeroed first.
 */
int pc_capdev_open(const char *iface, struct pc_capdev *d, struct pc_err *err);

/*
 * Does pc_capdev_drop() make this process someone other than the user who
 * ran it (root itself, who becomes nobody)? Whatever must be written as
 * that user (the -o report) is then written by a helper kept from before.
 */
int pc_capdev_drop_changes_user(void);

/*
 * Give up privileges and open write_path (NULL: none) as the invoking user.
 * PC_EIO with "cannot create FILE: REASON" (write_errno set) when the file
 * cannot be created, "could not drop privileges" when they cannot be
 * dropped (write_errno 0). Nothing is created where that user could not.
 */
int pc_capdev_drop(struct pc_capdev *d, const char *write_path, struct pc_err *err);

/* Write one captured frame (a struct pcap_pkthdr * and its bytes) to the -w file, if any. */
void pc_capdev_dump(struct pc_capdev *d, const void *pkthdr, const uint8_t *data);

/*
 * Close the capture and the -w file. 0, or PC_EIO with "cannot write FILE:
 * REASON" when a write, the flush or the sync of the file failed.
 */
int pc_capdev_close(struct pc_capdev *d, struct pc_err *err);

#endif
