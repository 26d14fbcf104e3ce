#!/usr/bin/env python3
"""Write the seed corpus of fuzz_turn (tests/fuzz/corpus/turn): TURN answers
and ChannelData built here by hand (RFC 8656), independently of the C codec.
ok-* must be accepted as a stream of well-formed frames, bad-* refused.
Run: python3 tests/fuzz/make_turn_corpus.py tests/fuzz/corpus/turn"""
import hashlib, hmac, os, struct, sys, zlib

COOKIE = 0x2112A442
TX = bytes(range(1, 13))
KEY = b"precall-fuzz-key"


def attr(t, v):
    return struct.pack("!HH", t, len(v)) + v + b"\0" * ((4 - len(v) % 4) % 4)


def xaddr(ip4, port):
    a = bytes(x ^ y for x, y in zip(bytes(ip4), struct.pack("!I", COOKIE)))
    return struct.pack("!BBH", 0, 1, port ^ (COOKIE >> 16)) + a


def msg(mtype, attrs, key=None, fp=False):
    body = b"".join(attrs)
    if key:
        hdr = struct.pack("!HHI", mtype, len(body) + 24, COOKIE) + TX
        body += attr(0x0008, hmac.new(key, hdr + body, hashlib.sha1).digest())
    if fp:
        hdr = struct.pack("!HHI", mtype, len(body) + 8, COOKIE) + TX
        body += attr(0x8028, struct.pack("!I", (zlib.crc32(hdr + body) ^ 0x5354554E) & 0xFFFFFFFF))
    return struct.pack("!HHI", mtype, len(body), COOKIE) + TX + body


def msg256(mtype, attrs, key, mac_len=32, fp=False):
    """With MESSAGE-INTEGRITY-SHA256 (RFC 8489 14.6) of mac_len bytes, then FINGERPRINT."""
    body = b"".join(attrs)
    hdr = struct.pack("!HHI", mtype, len(body) + 4 + mac_len, COOKIE) + TX
    body += attr(0x001C, hmac.new(key, hdr + body, hashlib.sha256).digest()[:mac_len] +
                 b"\0" * max(0, mac_len - 32))
    if fp:
        hdr = struct.pack("!HHI", mtype, len(body) + 8, COOKIE) + TX
        body += attr(0x8028, struct.pack("!I", (zlib.crc32(hdr + body) ^ 0x5354554E) & 0xFFFFFFFF))
    return struct.pack("!HHI", mtype, len(body), COOKIE) + TX + body


def channel(ch, data, pad=True):
    b = struct.pack("!HH", ch, len(data)) + data
    return b + b"\0" * ((4 - len(b) % 4) % 4) if pad else b


def main(out):
    os.makedirs(out, exist_ok=True)
    err401 = msg(0x0113, [attr(0x0009, b"\0\0\x04\x01Unauthorized"), attr(0x0014, b"precall.test"),
                          attr(0x0015, b"0123456789abcdef")])
    ok = msg(0x0103, [attr(0x0016, xaddr([198, 18, 1, 9], 49152)),
                      attr(0x0020, xaddr([198, 18, 0, 2], 40000)),
                      attr(0x000D, struct.pack("!I", 600))], key=KEY, fp=True)
    data_ind = msg(0x0017, [attr(0x0012, xaddr([198, 18, 1, 9], 50000)), attr(0x0013, b"hello")])
    seeds = {
        "ok-allocate_401": err401,
        "ok-allocate_success": ok,
        "ok-data_indication": data_ind,
        "ok-channel_data": channel(0x4000, b"x" * 37),
        "ok-stream_mixed": ok + channel(0x4001, b"abc") + err401,
        "ok-stale_nonce": msg(0x0113, [attr(0x0009, b"\0\0\x04\x26Stale Nonce"),
                                       attr(0x0014, b"r"), attr(0x0015, b"n2")]),
        "bad-channel_reserved": channel(0x5000, b"abc"),
        "bad-channel_short": channel(0x4000, b"abcdef", pad=False)[:7],
        "bad-truncated_stun": ok[:-4],
        "bad-stream_tail": ok + b"\x40\x00",
        "bad-junk": b"\x80\x01\x02\x03\x04\x05",
        # RFC 8489 9.2: the nonce cookie and PASSWORD-ALGORITHMS (SHA-256, MD5).
        "ok-allocate_401_sha256": msg(0x0113, [
            attr(0x0009, b"\0\0\x04\x01Unauthorized"), attr(0x0014, b"precall.test"),
            attr(0x0015, b"obMatJos2AAACprecall"), attr(0x8002, struct.pack("!HHHH", 2, 0, 1, 0))]),
        "ok-allocate_success_sha256": msg256(0x0103, [
            attr(0x0016, xaddr([198, 18, 1, 9], 49152)), attr(0x001D, struct.pack("!HH", 2, 0)),
            attr(0x000D, struct.pack("!I", 600))], KEY + KEY, fp=True),
        "ok-integrity256_truncated_16": msg256(0x0103, [attr(0x000D, struct.pack("!I", 600))],
                                               KEY + KEY, mac_len=16),
        "ok-algorithms_cut": msg(0x0113, [attr(0x0015, b"obMatJos2AAAC"),
                                          attr(0x8002, struct.pack("!HHH", 2, 4, 1))]),
        "bad-integrity256_length_12": msg256(0x0103, [], KEY + KEY, mac_len=12),
        "bad-integrity256_length_36": msg256(0x0103, [], KEY + KEY, mac_len=36),
    }
    for name, b in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(b)


if __name__ == "__main__":
    main(sys.argv[1])
