/*
 * tcpinfo_other.c - systems where precall does not read a TCP connection's
 * counters (see tcpinfo.h): every field unknown, and the bandwidth probe
 * counts the bytes libcurl delivered or sent instead.
 *
 * What such a system could give: FreeBSD's TCP_INFO has the RTT
 * (tcpi_rtt) and retransmitted segments (tcpi_snd_rexmitpack) but no byte
 * counts; macOS's TCP_CONNECTION_INFO has bytes sent, received and
 * retransmitted. Neither is read here until it can be built and tested.
 */
#include <math.h>

#include "precall/err.h"
#include "probe/tcpinfo.h"

int pc_tcpinfo_read(int fd, struct pc_tcpinfo *out)
{
    (void)fd;
    out->bytes_received = out->bytes_acked = out->retransmits = -1;
    out->rtt_ms = NAN;
    return PC_EIO;
}
