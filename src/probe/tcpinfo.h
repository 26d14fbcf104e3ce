/*
 * tcpinfo.h - the kernel's counters of one TCP connection, behind a seam:
 * tcpinfo_linux.c reads them from TCP_INFO, tcpinfo_other.c stands for the
 * systems where precall does not read them (CMakeLists.txt picks one by
 * system, as it does the host and camera files).
 *
 * Counting at the TCP level keeps 100 ms windows smooth: the application
 * sees a download in whole TLS records (16 KiB, more than a window at
 * 1 Mbit/s), an upload in whole buffers, and a server answers an upload
 * before it has read it; the kernel counts the bytes as they arrive and as
 * the peer acknowledges them. The caller owns the socket and the record.
 */
#ifndef PRECALL_PROBE_TCPINFO_H
#define PRECALL_PROBE_TCPINFO_H

struct pc_tcpinfo {
    long long bytes_received; /* payload bytes received; -1 when the system does not say */
    long long bytes_acked;    /* payload bytes sent and acknowledged by the peer; -1 likewise */
    long long retransmits;    /* segments retransmitted over the connection's life; -1 likewise */
    double rtt_ms;            /* the kernel's smoothed round-trip time; NAN likewise */
};

/*
 * Read the counters of the TCP socket fd. 0: read (a field the system does
 * not give is -1 or NAN); PC_EIO: not a TCP socket, or the system cannot
 * say (then every field is -1 or NAN).
 */
int pc_tcpinfo_read(int fd, struct pc_tcpinfo *out);

#endif
