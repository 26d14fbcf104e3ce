"""rtp_send.py HOST PORT SECONDS [PAYLOAD_BYTES]: send 20 ms PCMU RTP packets
(PT 0, 50 a second) over UDP for SECONDS, then stop. Test traffic for
'precall capture' on loopback."""
import socket
import struct
import sys
import time

host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
size = int(sys.argv[4]) if len(sys.argv) > 4 else 160
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
start = time.monotonic()
i = 0
while True:
    due = start + i * 0.02
    if due - start >= seconds:
        break
    time.sleep(max(0.0, due - time.monotonic()))
    hdr = struct.pack("!BBHII", 0x80, 0, (5000 + i) & 0xFFFF, 160 * i, 0x5EED0001)
    try:
        s.sendto(hdr + b"\xd5" * size, (host, port))
    except OSError:
        pass
    i += 1
