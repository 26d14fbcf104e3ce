#!/usr/bin/env python3
"""hostile_turn.py - a broken TURN relay over UDP for integration.turn_hostile.

  --listen ADDR:PORT --mode MODE --ready FILE

Modes:
  silent      reads every request and never answers (an allocation that
              never answers)
  endless401  answers every request with 401 and a fresh nonce, whatever
              credentials it carries
  stale       answers the unauthenticated request with 401, then every
              signed one with 438 and a fresh nonce (a nonce that keeps
              changing)
  badmi       401, then a success whose MESSAGE-INTEGRITY is wrong
Counts what it received in FILE.count (one number) on each request.
"""
import argparse, os, socket, struct

COOKIE = 0x2112A442


def attr(t, v):
    return struct.pack("!HH", t, len(v)) + v + b"\0" * ((4 - len(v) % 4) % 4)


def answer(req, mtype, attrs):
    body = b"".join(attrs)
    return struct.pack("!HHI", mtype, len(body), COOKIE) + req[8:20] + body


def error(req, code, reason, nonce):
    method = struct.unpack("!H", req[0:2])[0] & 0x3EEF
    e = struct.pack("!HBB", 0, code // 100, code % 100) + reason
    return answer(req, method | 0x0110, [attr(0x0009, e), attr(0x0014, b"precall.test"),
                                         attr(0x0015, nonce)])


def signed(req):
    i = 20
    while i + 4 <= len(req):
        t, l = struct.unpack("!HH", req[i:i + 4])
        if t == 0x0008:
            return True
        i += 4 + ((l + 3) & ~3)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--mode", required=True, choices=["silent", "endless401", "stale", "badmi"])
    ap.add_argument("--ready", required=True)
    a = ap.parse_args()
    host, port = a.listen.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, int(port)))
    open(a.ready, "w").write("ready\n")
    n = 0
    while True:
        req, peer = s.recvfrom(4096)
        if len(req) < 20:
            continue
        n += 1
        with open(a.ready + ".count", "w") as f:
            f.write("%d\n" % n)
        nonce = b"nonce-%08d" % n
        if a.mode == "silent":
            continue
        if a.mode == "endless401" or not signed(req):
            s.sendto(error(req, 401, b"Unauthorized", nonce), peer)
        elif a.mode == "stale":
            s.sendto(error(req, 438, b"Stale Nonce", nonce), peer)
        elif a.mode == "badmi":
            method = struct.unpack("!H", req[0:2])[0] & 0x3EEF
            relayed = struct.pack("!BBH", 0, 1, 50000 ^ 0x2112) + bytes(
                x ^ y for x, y in zip(bytes([127, 0, 0, 1]), struct.pack("!I", COOKIE)))
            s.sendto(answer(req, method | 0x0100, [attr(0x0016, relayed), attr(0x0008, b"\0" * 20)]),
                     peer)


if __name__ == "__main__":
    main()
