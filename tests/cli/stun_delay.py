#!/usr/bin/python3
"""A STUN server on loopback whose answers come late: each Binding Request
(RFC 8489 section 6.3.1) is answered with XOR-MAPPED-ADDRESS (section 14.2)
DELAY_MS milliseconds (the first argument, default 30) after it arrived, so
a check through it measures a round trip of about that. Binds 127.0.0.1 on
a free port, prints the port on stdout, serves until killed."""
import heapq
import select
import socket
import struct
import sys
import time

COOKIE = 0x2112A442
DELAY = (float(sys.argv[1]) if len(sys.argv) > 1 else 30.0) / 1000.0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
sys.stdout.close()
due = []  # (time, sequence, packet, address)
seq = 0
while True:
    wait = max(0.0, due[0][0] - time.monotonic()) if due else None
    if select.select([s], [], [], wait)[0]:
        data, (host, port) = s.recvfrom(2048)
        if len(data) >= 20 and data[0:2] == b"\x00\x01" and struct.unpack("!I", data[4:8])[0] == COOKIE:
            addr = struct.unpack("!I", socket.inet_aton(host))[0] ^ COOKIE
            attr = struct.pack("!HHBBHI", 0x0020, 8, 0, 1, port ^ (COOKIE >> 16), addr)
            answer = struct.pack("!HHI", 0x0101, len(attr), COOKIE) + data[8:20] + attr
            seq += 1
            heapq.heappush(due, (time.monotonic() + DELAY, seq, answer, (host, port)))
    while due and due[0][0] <= time.monotonic():
        _, _, answer, to = heapq.heappop(due)
        s.sendto(answer, to)
