#!/usr/bin/python3
"""Send one STUN Binding Request to HOST PORT; exit 0 if a success answer
comes back within TIMEOUT seconds. Used to wait for a test server."""
import os
import socket
import struct
import sys

host, port = sys.argv[1], int(sys.argv[2])
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
txid = os.urandom(12)
req = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + txid
family = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.settimeout(timeout)
try:
    s.sendto(req, (host, port))
    data, _ = s.recvfrom(2048)
except OSError:
    sys.exit(1)
sys.exit(0 if len(data) >= 20 and data[0:2] == b"\x01\x01" and data[8:20] == txid else 1)
