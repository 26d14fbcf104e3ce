#!/usr/bin/python3
"""Write the seed corpus of the STUN fuzz harness (tests/fuzz/corpus/stun/).

Each seed is a small file of raw bytes: the RFC 5769 test vectors, cut and
damaged copies of them, hand-made messages for every attribute the decoder
knows (RFC 8489 section 14), answers of RFC 3489-era servers, and some
deterministic junk. Each name carries the outcome the decoder must give,
checked by the corpus replay (replay_main.c): "ok-" decodes, "bad-" is
rejected. The expectations are written here by hand, from the RFCs, never
taken from the decoder. The output is committed; run this again (with
/usr/bin/python3) only to change the seeds; it removes the old seeds first.

usage: make_stun_corpus.py [OUTDIR]
"""
import os
import random
import struct
import sys
import zlib

COOKIE = 0x2112A442
TXID = bytes.fromhex("b7e7a701bc34d686fa87dfae")

# RFC 5769 sections 2.1, 2.2 and 2.3.
RFC5769_REQUEST = bytes.fromhex(
    "000100582112a442b7e7a701bc34d686fa87dfae"
    "802200105354554e207465737420636c69656e74"
    "002400046e0001ff80290008932ff9b151263b36"
    "000600096576746a3a683676592020200008001"
    "49aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
    "80280004e57a3bcf")
RFC5769_IPV4 = bytes.fromhex(
    "0101003c2112a442b7e7a701bc34d686fa87dfae"
    "8022000b7465737420766563746f722000200008"
    "0001a147e112a643000800142b91f599fd9e90c3"
    "8c7489f92af9ba53f06be7d780280004c07d4c96")
RFC5769_IPV6 = bytes.fromhex(
    "010100482112a442b7e7a701bc34d686fa87dfae"
    "8022000b7465737420766563746f722000200014"
    "0002a1470113a9faa5d3f179bc25f4b5bed2b9d9"
    "00080014a382954e4be67bf11784c97c8292c275"
    "bfe3ed4180280004c8fb0b4c")


def attr(atype, value):
    """One attribute, padded to a multiple of 4 (RFC 8489 section 14)."""
    pad = b"\0" * (-len(value) % 4)
    return struct.pack("!HH", atype, len(value)) + value + pad


def message(mtype, attrs=b"", fingerprint=False, cookie=COOKIE, length=None):
    """A message with a correct length field unless length is given."""
    if fingerprint:
        head = struct.pack("!HHI", mtype, len(attrs) + 8, cookie) + TXID
        crc = zlib.crc32(head + attrs) ^ 0x5354554E
        attrs += attr(0x8028, struct.pack("!I", crc))
    if length is None:
        length = len(attrs)
    return struct.pack("!HHI", mtype, length, cookie) + TXID + attrs


def xor_v4(ip, port):
    addr = bytes(a ^ b for a, b in zip(ip, struct.pack("!I", COOKIE)))
    return struct.pack("!BBH", 0, 1, port ^ (COOKIE >> 16)) + addr


def xor_v6(ip, port):
    key = struct.pack("!I", COOKIE) + TXID
    addr = bytes(a ^ b for a, b in zip(ip, key))
    return struct.pack("!BBH", 0, 2, port ^ (COOKIE >> 16)) + addr


def seeds():
    """name -> (expected outcome "ok" or "bad", bytes)."""
    rng = random.Random(8489)
    v4 = bytes([203, 0, 113, 9])
    v6 = bytes.fromhex("20010db8000000000000000000000042")
    mapped_v4 = attr(0x0001, b"\0\1\x0d\x96" + v4)
    # RFC 3489 section 11.2: SOURCE-ADDRESS (0x0004) and CHANGED-ADDRESS
    # (0x0005), comprehension-required and unknown to RFC 8489.
    old_attrs = (mapped_v4 + attr(0x0004, b"\0\1\x0d\x96" + bytes([198, 51, 100, 1]))
                 + attr(0x0005, b"\0\1\x0d\x97" + bytes([198, 51, 100, 2])))
    rfc3489 = message(0x0101, old_attrs)
    bad_fp = message(0x0101, attr(0x0020, xor_v4(v4, 7)), True)
    out = {
        "rfc5769_request": ("ok", RFC5769_REQUEST),
        "rfc5769_ipv4": ("ok", RFC5769_IPV4),
        "rfc5769_ipv6": ("ok", RFC5769_IPV6),
        "trunc_in_header": ("bad", RFC5769_IPV4[:12]),
        "trunc_in_xor_mapped": ("bad", RFC5769_IPV4[:40]),
        "trunc_ipv6_in_integrity": ("bad", RFC5769_IPV6[:70]),
        "empty": ("bad", b""),
        "binding_request": ("ok", message(0x0001)),
        "binding_request_fp": ("ok", message(0x0001, fingerprint=True)),
        "success_xor_v4_fp": ("ok", message(0x0101, attr(0x0020, xor_v4(v4, 54321)), True)),
        "success_xor_v6": ("ok", message(0x0101, attr(0x0020, xor_v6(v6, 3478)))),
        "success_mapped_v4": ("ok", message(0x0101, mapped_v4)),
        "success_mapped_v6": ("ok", message(0x0101, attr(0x0001, b"\0\2\x0d\x96" + v6))),
        "mapped_then_xor": ("ok", message(0x0101, mapped_v4 + attr(0x0020, xor_v4(v4, 1)))),
        "error_420": ("ok", message(
            0x0111, attr(0x0009, b"\0\0\x04\x14Unknown Attribute") + attr(0x000A, b"\x00\x2a"))),
        "unknown_required": ("ok", message(0x0101, attr(0x002A, b"\xde\xad") + attr(0x802B, b"x"))),
        "integrity_256_then_attrs": ("ok", message(
            0x0101, attr(0x001C, bytes(32)) + attr(0x0020, xor_v4(v4, 2)), True)),
        "software_long_utf8": ("ok", message(0x0101, attr(0x8022, "é".encode() * 100))),
        # RFC 3489-era answers: MAPPED-ADDRESS, the two old attributes, no
        # FINGERPRINT; the cookie field holds what the client sent (echoed).
        "rfc3489_answer": ("ok", rfc3489),
        "rfc3489_mapped_only": ("ok", message(0x0101, mapped_v4)),
        "rfc3489_with_fingerprint": ("ok", message(0x0101, old_attrs, True)),
        # An address value that cannot be decoded makes only that attribute
        # unusable; a good MAPPED-ADDRESS after it still counts.
        "xor_family_unknown": ("ok", message(0x0101, attr(0x0020, b"\0\3\0\0" + v4))),
        "xor_family_unknown_then_mapped": ("ok", message(
            0x0101, attr(0x0020, b"\0\3\0\0" + v4) + mapped_v4)),
        "error_code_out_of_range": ("ok", message(0x0111, attr(0x0009, b"\0\0\x07\x14"))),
        # Rejected: broken framing, no cookie, a wrong FINGERPRINT.
        "cookie": ("bad", message(0x0101, attr(0x0020, xor_v4(v4, 3)), cookie=0x2112A443)),
        "rfc3489_cookie_not_echoed": ("bad", message(0x0101, old_attrs, cookie=0x5A5A5A5A)),
        "top_bits": ("bad", message(0xC101, attr(0x0020, xor_v4(v4, 4)))),
        "len_not_mod4": ("bad", message(0x0101, b"\0\0", length=2)),
        "len_mismatch": ("bad", message(0x0101, attr(0x0020, xor_v4(v4, 5)), length=16)),
        "attr_overrun": ("bad", message(0x0101, struct.pack("!HH", 0x0020, 0x40) + xor_v4(v4, 6))),
        "pad_overrun": ("bad", message(0x0101, struct.pack("!HH", 0x8022, 5) + b"abcd")),
        "fingerprint": ("bad", RFC5769_IPV4[:-1] + bytes([RFC5769_IPV4[-1] ^ 1])),
        "fingerprint_xor_answer": ("bad", bad_fp[:-4] + bytes(4)),
        "fingerprint_rfc3489_answer": ("bad", message(0x0101, old_attrs, True)[:-1] + b"\x00"),
        "fingerprint_not_last": ("bad", message(
            0x0101, RFC5769_IPV4[20:] + attr(0x8022, b"late"))),
    }
    out["junk_short"] = ("bad", bytes(rng.randrange(256) for _ in range(7)))
    # a random type and length around the cookie: the length cannot match
    out["junk_cookie"] = ("bad", bytes(rng.randrange(256) for _ in range(4))
                          + struct.pack("!I", COOKIE) + bytes(rng.randrange(256) for _ in range(40)))
    out["junk_long"] = ("bad", bytes(rng.randrange(256) for _ in range(200)))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus", "stun")
    os.makedirs(outdir, exist_ok=True)
    for old in os.listdir(outdir):
        if not old.startswith("."):
            os.remove(os.path.join(outdir, old))
    for name, (expect, data) in sorted(seeds().items()):
        with open(os.path.join(outdir, "%s-%s" % (expect, name)), "wb") as f:
            f.write(data)
    print("%d seeds in %s" % (len(seeds()), outdir))


if __name__ == "__main__":
    main()
