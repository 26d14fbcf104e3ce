/*
 * tcpinfo_linux.c - a TCP connection's counters from Linux's TCP_INFO (see
 * tcpinfo.h). The byte counts came with Linux 4.1; an older kernel fills
 * in a shorter struct, and a field past its end stays unknown.
 */
#include <linux/tcp.h> /* struct tcp_info with tcpi_bytes_acked/_received */
#include <math.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "precall/err.h"
#include "probe/tcpinfo.h"

/* Did the kernel fill in the field that ends at offset + size? */
#define FILLED(len, field)                                                                         \
    ((len) >= offsetof(struct tcp_info, field) + sizeof(((struct tcp_info *)0)->field))

int pc_tcpinfo_read(int fd, struct pc_tcpinfo *out)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);

    out->bytes_received = out->bytes_acked = out->retransmits = -1;
    out->rtt_ms = NAN;
    memset(&ti, 0, sizeof(ti));
    if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
        return PC_EIO;
    if (FILLED(len, tcpi_rtt))
        out->rtt_ms = ti.tcpi_rtt / 1000.0; /* microseconds */
    if (FILLED(len, tcpi_total_retrans))
        out->retransmits = (long long)ti.tcpi_total_retrans;
    if (FILLED(len, tcpi_bytes_acked))
        out->bytes_acked = (long long)ti.tcpi_bytes_acked;
    if (FILLED(len, tcpi_bytes_received))
        out->bytes_received = (long long)ti.tcpi_bytes_received;
    return 0;
}
