#!/usr/bin/env python3
"""nxdomain.py ADDR [PORT] [READY_FILE]: a DNS server (UDP) that answers
every query with RCODE 3 (NXDOMAIN, RFC 1035 section 4.1.1): "no such name".

It echoes the query's ID, opcode, RD bit and question section, sets QR and
RA, and carries no answer, authority or additional records. Datagrams too
short to be a DNS header are ignored. Writes READY_FILE once bound; counts
the queries it answered in READY_FILE.count at exit (SIGTERM)."""
import signal
import socket
import struct
import sys


def question_end(msg, qdcount):
    """Offset just past the question section, or None if it is malformed."""
    i = 12
    for _ in range(qdcount):
        while True:
            if i >= len(msg):
                return None
            n = msg[i]
            if n & 0xC0:  # a pointer: two bytes, then the name ends
                i += 2
                break
            i += 1 + n
            if n == 0:
                break
        i += 4  # QTYPE, QCLASS
        if i > len(msg):
            return None
    return i


def main():
    addr = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 53
    ready = sys.argv[3] if len(sys.argv) > 3 else ""
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, port))
    count = 0

    def stop(*_):
        if ready:
            with open(ready + ".count", "w") as fh:
                fh.write("%d\n" % count)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    if ready:
        with open(ready, "w") as fh:
            fh.write("ready\n")
    while True:
        msg, peer = s.recvfrom(4096)
        if len(msg) < 12 or msg[2] & 0x80:  # too short, or itself a response
            continue
        qid, flags, qd = struct.unpack("!HHH", msg[:6])
        end = question_end(msg, qd)
        if end is None:
            qd, end = 0, 12
        rflags = 0x8000 | (flags & 0x7800) | (flags & 0x0100) | 0x0080 | 3
        reply = struct.pack("!HHHHHH", qid, rflags, qd, 0, 0, 0) + msg[12:end]
        s.sendto(reply, peer)
        count += 1


if __name__ == "__main__":
    main()
