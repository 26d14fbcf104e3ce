#!/usr/bin/env python3
"""rtpcall.py - one end of a benchmark call (bench/predict.sh).

Runs in one namespace. ffmpeg there sends its RTP (and RTCP) to loopback,
port P + 10000; this program stamps each packet on the shared clock
(CLOCK_REALTIME: both namespaces run on this machine) and sends it on to the
peer, port P, from a socket bound to port P. What the peer sends to port P
is what the application gets after the network (its drops, queues, delay):
each datagram is logged with the kernel's receive time and written into a
pcap (raw IPv4, the real addresses and ports) for 'precall analyze'.

  rtpcall.py --self IP --peer IP --ports 5004,5005,5006,5007 \
             --sent SENT.tsv --recv RECV.tsv --pcap RECV.pcap [--ready FILE]

SENT.tsv and RECV.tsv: one line per RTP packet (RTCP is forwarded and
captured but not logged): t_ns port ssrc seq rtp_ts marker key len, where
key is 1 for a packet carrying an H.264 IDR or SPS NAL unit (RFC 6184:
single NAL, STAP-A, FU-A start). Stops on SIGTERM or SIGINT.
"""
import argparse
import select
import signal
import socket
import struct
import sys
import time

LOCAL_OFFSET = 10000
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; not in every Python


def rtp_fields(d):
    """(ssrc, seq, ts, marker, key) of an RTP packet, or None (RTCP, junk)."""
    if len(d) < 12 or d[0] >> 6 != 2:
        return None
    pt = d[1] & 0x7F
    if 72 <= pt <= 76:  # RTCP SR/RR/SDES/BYE/APP (RFC 5761 4)
        return None
    seq, ts, ssrc = struct.unpack("!HII", d[2:12])
    off = 12 + 4 * (d[0] & 0x0F)
    if d[0] & 0x10 and len(d) >= off + 4:
        off += 4 + 4 * struct.unpack("!H", d[off + 2:off + 4])[0]
    key = 0
    if pt >= 96 and len(d) > off + 1:
        t = d[off] & 0x1F
        if t == 28 and d[off + 1] & 0x80:  # FU-A start fragment
            t = d[off + 1] & 0x1F
        elif t == 24 and len(d) > off + 3:  # STAP-A: first aggregated unit
            t = d[off + 3] & 0x1F
        key = 1 if t in (5, 7) else 0
    return ssrc, seq, ts, (d[1] >> 7) & 1, key


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


class Pcap:
    """A pcap file of raw IPv4 packets (LINKTYPE_RAW 101), ns resolution."""

    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 101))
        self.ident = 0

    def write(self, t_ns, src, sport, dst, dport, payload):
        self.ident = (self.ident + 1) & 0xFFFF
        udp_len = 8 + len(payload)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, self.ident, 0, 64, 17, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        udp = struct.pack("!HHHH", sport, dport, udp_len, 0)
        pkt = ip + udp + payload
        self.f.write(struct.pack("<IIII", t_ns // 10**9, t_ns % 10**9, len(pkt), len(pkt)))
        self.f.write(pkt)

    def close(self):
        self.f.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--self", dest="me", required=True)
    ap.add_argument("--peer", required=True)
    ap.add_argument("--ports", required=True)
    ap.add_argument("--sent", required=True)
    ap.add_argument("--recv", required=True)
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--ready")
    a = ap.parse_args()
    ports = [int(p) for p in a.ports.split(",")]
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    net, local = {}, {}
    for p in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        s.bind(("0.0.0.0", p))
        net[s.fileno()] = (s, p)
        ls = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        ls.bind(("127.0.0.1", p + LOCAL_OFFSET))
        local[ls.fileno()] = (ls, s, p)
    sent = open(a.sent, "w")
    recv = open(a.recv, "w")
    pcap = Pcap(a.pcap)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("ready\n")
    poll = select.poll()
    for fd in list(net) + list(local):
        poll.register(fd, select.POLLIN)
    while not stop:
        try:
            evs = poll.poll(200)
        except InterruptedError:
            continue
        for fd, _ in evs:
            if fd in local:
                ls, s, p = local[fd]
                try:
                    d = ls.recv(65535)
                except BlockingIOError:
                    continue
                t = time.clock_gettime_ns(time.CLOCK_REALTIME)
                try:
                    s.sendto(d, (a.peer, p))
                except OSError:
                    pass  # a full queue or no route: the network lost it
                f = rtp_fields(d)
                if f:
                    sent.write("%d %d %d %d %d %d %d %d\n" % ((t, p) + f + (len(d),)))
            else:
                s, p = net[fd]
                try:
                    d, anc, _, addr = s.recvmsg(65535, 64)
                except BlockingIOError:
                    continue
                t = None
                for lvl, typ, data in anc:
                    if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                        sec, ns = struct.unpack("qq", data[:16])
                        t = sec * 10**9 + ns
                if t is None:
                    t = time.clock_gettime_ns(time.CLOCK_REALTIME)
                pcap.write(t, addr[0], addr[1], a.me, p, d)
                f = rtp_fields(d)
                if f:
                    recv.write("%d %d %d %d %d %d %d %d\n" % ((t, p) + f + (len(d),)))
    sent.close()
    recv.close()
    pcap.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
