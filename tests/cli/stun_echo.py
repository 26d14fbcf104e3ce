#!/usr/bin/python3
"""A minimal STUN server on loopback for the CLI tests: answers every
Binding Request (RFC 8489 section 6.3.1) with a success response carrying
XOR-MAPPED-ADDRESS (section 14.2), until killed. Binds 127.0.0.1 on a free
port and prints the port on stdout. An optional argument N adds N to the
port it reports, as a NAT that maps each destination to a new port would."""
import socket
import struct
import sys

COOKIE = 0x2112A442
SHIFT = int(sys.argv[1]) if len(sys.argv) > 1 else 0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
sys.stdout.close()
while True:
    data, (host, port) = s.recvfrom(2048)
    if len(data) < 20 or data[0:2] != b"\x00\x01" or struct.unpack("!I", data[4:8])[0] != COOKIE:
        continue
    txid = data[8:20]
    addr = struct.unpack("!I", socket.inet_aton(host))[0] ^ COOKIE
    attr = struct.pack("!HHBBHI", 0x0020, 8, 0, 1, ((port + SHIFT) & 0xFFFF) ^ (COOKIE >> 16), addr)
    s.sendto(struct.pack("!HHI", 0x0101, len(attr), COOKIE) + txid + attr, (host, port))
