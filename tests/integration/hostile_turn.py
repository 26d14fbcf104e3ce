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
  noperm      a working allocation (MESSAGE-INTEGRITY with the long-term key
              of --user and --password, realm precall.test), but every
              CreatePermission answered 403
  sha256      a relay of RFC 8489 9.2: its 401 offers SHA-256 (the nonce cookie
              obMatJos2 and PASSWORD-ALGORITHMS SHA-256, MD5); a signed request
              is taken only with a right MESSAGE-INTEGRITY-SHA256 (the SHA-256
              key), PASSWORD-ALGORITHM SHA-256 and the list echoed as offered
              (else 401 again); its answers carry MESSAGE-INTEGRITY-SHA256
              alone; the allocation works, CreatePermission answered 403 (as
              noperm). Writes FILE.sha256 ("ok") once a request verified.
  sha256bad   the same 401, then a success whose MESSAGE-INTEGRITY-SHA256 is
              wrong
  md5cookie   PASSWORD-ALGORITHMS with SHA-256 but a nonce without the cookie:
              the MD5 way is expected (otherwise as noperm, with MD5)
Counts what it received in FILE.count (one number) on each request.
"""
import argparse, hashlib, hmac, socket, struct

COOKIE = 0x2112A442


def attr(t, v):
    return struct.pack("!HH", t, len(v)) + v + b"\0" * ((4 - len(v) % 4) % 4)


def answer(req, mtype, attrs):
    body = b"".join(attrs)
    return struct.pack("!HHI", mtype, len(body), COOKIE) + req[8:20] + body


def error(req, code, reason, nonce, extra=()):
    method = struct.unpack("!H", req[0:2])[0] & 0x3EEF
    e = struct.pack("!HBB", 0, code // 100, code % 100) + reason
    return answer(req, method | 0x0110, [attr(0x0009, e), attr(0x0014, b"precall.test"),
                                         attr(0x0015, nonce)] + list(extra))


def signed_answer(req, mtype, attrs, key):
    body = b"".join(attrs)
    hdr = struct.pack("!HHI", mtype, len(body) + 24, COOKIE) + req[8:20]
    mac = hmac.new(key, hdr + body, hashlib.sha1).digest()
    return hdr + body + attr(0x0008, mac)


def attrs_of(req):
    i, out = 20, []
    while i + 4 <= len(req):
        t, l = struct.unpack("!HH", req[i:i + 4])
        out.append((i, t, req[i + 4:i + 4 + l]))
        i += 4 + ((l + 3) & ~3)
    return out


def signed(req):
    return any(t in (0x0008, 0x001C) for _, t, _ in attrs_of(req))


ALGS = struct.pack("!HHHH", 0x0002, 0, 0x0001, 0)  # PASSWORD-ALGORITHMS: SHA-256, MD5
COOKIE_NONCE = b"obMatJos2AAACprecall-%04d"


def signed256_answer(req, mtype, attrs, key, bad=False):
    body = b"".join(attrs)
    hdr = struct.pack("!HHI", mtype, len(body) + 36, COOKIE) + req[8:20]
    mac = hmac.new(key, hdr + body, hashlib.sha256).digest()
    if bad:
        mac = bytes([mac[0] ^ 1]) + mac[1:]
    return hdr + body + attr(0x001C, mac)


def sha256_ok(req, key):
    """MESSAGE-INTEGRITY-SHA256 right, PASSWORD-ALGORITHM SHA-256, the list echoed."""
    a = attrs_of(req)
    mi = [(i, v) for i, t, v in a if t == 0x001C]
    algs = [v for _, t, v in a if t == 0x8002]
    alg = [v for _, t, v in a if t == 0x001D]
    if not mi or algs != [ALGS] or alg != [struct.pack("!HH", 2, 0)]:
        return False
    at, v = mi[0]
    hdr = req[0:2] + struct.pack("!H", at + 4 + len(v) - 20) + req[4:20]
    return hmac.compare_digest(hmac.new(key, hdr + req[20:at], hashlib.sha256).digest(), v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--mode", required=True,
                    choices=["silent", "endless401", "stale", "badmi", "noperm", "sha256",
                             "sha256bad", "md5cookie"])
    ap.add_argument("--user", default="")
    ap.add_argument("--password", default="")
    ap.add_argument("--ready", required=True)
    a = ap.parse_args()
    host, port = a.listen.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, int(port)))
    open(a.ready, "w").write("ready\n")
    n = 0
    key = hashlib.md5(("%s:precall.test:%s" % (a.user, a.password)).encode()).digest()
    key256 = hashlib.sha256(("%s:precall.test:%s" % (a.user, a.password)).encode()).digest()
    ports = {}
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
        if a.mode in ("sha256", "sha256bad", "md5cookie"):
            method = struct.unpack("!H", req[0:2])[0] & 0x3EEF
            offer = [attr(0x8002, ALGS)]
            nonce = (b"nonce-%08d" % n) if a.mode == "md5cookie" else COOKIE_NONCE % n
            if not signed(req):
                s.sendto(error(req, 401, b"Unauthorized", nonce, offer), peer)
                continue
            if a.mode == "md5cookie":
                sign = lambda m, at: signed_answer(req, m, at, key)
            else:
                if not sha256_ok(req, key256):
                    s.sendto(error(req, 401, b"Unauthorized", nonce, offer), peer)
                    continue
                open(a.ready + ".sha256", "w").write("ok\n")
                sign = lambda m, at: signed256_answer(req, m, at, key256, a.mode == "sha256bad")
            if method == 0x0003:
                port = ports.setdefault(peer, 50000 + len(ports))
                relayed = struct.pack("!BBH", 0, 1, port ^ 0x2112) + bytes(
                    x ^ y for x, y in zip(socket.inet_aton(host), struct.pack("!I", COOKIE)))
                s.sendto(sign(0x0103, [attr(0x0016, relayed), attr(0x000D, struct.pack("!I", 600))]),
                         peer)
            elif method == 0x0008:
                e = struct.pack("!HBB", 0, 4, 3) + b"Forbidden"
                s.sendto(sign(0x0118, [attr(0x0009, e)]), peer)
            else:
                s.sendto(sign(method | 0x0100, []), peer)
            continue
        if a.mode == "endless401" or not signed(req):
            s.sendto(error(req, 401, b"Unauthorized", nonce), peer)
        elif a.mode == "stale":
            s.sendto(error(req, 438, b"Stale Nonce", nonce), peer)
        elif a.mode == "noperm":
            method = struct.unpack("!H", req[0:2])[0] & 0x3EEF
            if method == 0x0003:  # Allocate: a relayed port per client port
                port = ports.setdefault(peer, 50000 + len(ports))
                relayed = struct.pack("!BBH", 0, 1, port ^ 0x2112) + bytes(
                    x ^ y for x, y in zip(socket.inet_aton(host), struct.pack("!I", COOKIE)))
                s.sendto(signed_answer(req, 0x0103, [attr(0x0016, relayed),
                                                     attr(0x000D, struct.pack("!I", 600))], key), peer)
            elif method == 0x0008:  # CreatePermission: refused
                e = struct.pack("!HBB", 0, 4, 3) + b"Forbidden"
                s.sendto(signed_answer(req, 0x0118, [attr(0x0009, e)], key), peer)
            else:  # Refresh and the rest: fine
                s.sendto(signed_answer(req, method | 0x0100, [], key), peer)
        elif a.mode == "badmi":
            method = struct.unpack("!H", req[0:2])[0] & 0x3EEF
            relayed = struct.pack("!BBH", 0, 1, 50000 ^ 0x2112) + bytes(
                x ^ y for x, y in zip(bytes([127, 0, 0, 1]), struct.pack("!I", COOKIE)))
            s.sendto(answer(req, method | 0x0100, [attr(0x0016, relayed), attr(0x0008, b"\0" * 20)]),
                     peer)


if __name__ == "__main__":
    main()
