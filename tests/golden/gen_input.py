#!/usr/bin/env python3
"""gen_input.py DIR - the captures of the input-side golden tests
(tests/golden/input.sh), crafted byte by byte, with fixed times:

  mixed.pcapng     one section, three interfaces of different link types
                   (Ethernet, Linux cooked SLL at ns resolution, raw IP at
                   2^-20 s) with one G.711 stream each, interleaved; the
                   Ethernet stream loses one packet
  mixed.pcapng.gz  the same, gzip-compressed
  loss.pcap.gz     a pcap (Ethernet, us) of one stream losing 2 of 60,
                   compressed in two gzip members
  cut.pcap.gz      loss.pcap's gzip cut in the middle
  turn-tcp.pcap    video RTP relayed over TURN on TCP port 3478: a Data
                   indication stream and a ChannelData stream (padded to 4
                   bytes on TCP), frames split across segments and several
                   in one segment, a segment sent twice and one that overlaps
                   (nothing lost), a segment missing from the capture while a
                   frame was half read (3 packets lost); TLS flows: TURNS on 443
                   to the TURN server, on port 5349, with the ALPN stun.turn,
                   and a web page on 443 (not TURNS)
  sip.pcap         a call signalled by SIP: the INVITE over UDP offers Opus
                   (PT 111, 48 kHz) and telephone-event, the 200 OK over TCP
                   answers Opus and VP8 video (PT 96, 90 kHz); 1.5 s of media
                   each (too short for a fit to the timestamps), one unsignalled
                   stream of dynamic PT 98 beside them, and one from the offered
                   port to a server whose answer is not in the capture (its
                   rate from the sender's own offer)
"""
import gzip
import struct
import sys

T0 = 1704067200  # 2024-01-01T00:00:00Z


def csum_ip(h):
    s = 0
    for i in range(0, len(h), 2):
        s += h[i] << 8 | h[i + 1]
    while s > 0xFFFF:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(src, dst, proto, payload):
    h = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                              bytes(src), bytes(dst)))
    struct.pack_into("!H", h, 10, csum_ip(h))
    return bytes(h) + payload


def udp(src, dst, sport, dport, payload):
    return ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


def tcp(src, dst, sport, dport, seq, flags, payload):
    return ipv4(src, dst, 6,
                struct.pack("!HHIIBBHHH", sport, dport, seq, 1, 5 << 4, flags, 65535, 0, 0) + payload)


def eth(ip):
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip


def sll(ip):  # Linux cooked v1: packet type, ARPHRD, address length, 8 address bytes, protocol
    return struct.pack("!HHH8sH", 0, 1, 6, b"\x02\x00\x00\x00\x00\x01\x00\x00", 0x0800) + ip


def rtp(pt, seq, ts, ssrc, payload_len, marker=0):
    return struct.pack("!BBHII", 0x80, (marker << 7) | pt, seq & 0xFFFF, ts & 0xFFFFFFFF,
                       ssrc) + b"\xd5" * payload_len


# --- pcap ----------------------------------------------------------------

def pcap(frames, link=1):
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link)]
    for t_us, data in frames:
        out.append(struct.pack("<IIII", t_us // 1000000, t_us % 1000000, len(data), len(data)) + data)
    return b"".join(out)


# --- pcapng --------------------------------------------------------------

def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def shb():
    return block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def idb(link, tsresol=None, tsoffset=None):
    opts = b""
    if tsresol is not None:
        opts += struct.pack("<HH", 9, 1) + bytes([tsresol]) + b"\0\0\0"
    if tsoffset is not None:
        opts += struct.pack("<HHq", 14, 8, tsoffset)
    if opts:
        opts += struct.pack("<HH", 0, 0)
    return block(1, struct.pack("<HHI", link, 0, 0) + opts)


def epb(iface, ts, data):
    return block(6, struct.pack("<IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data)) + data)


A = [10, 0, 0, 5]
B = [192, 0, 2, 7]
C = [10, 0, 0, 6]
D = [198, 51, 100, 9]


def mixed():
    """Three interfaces: 0 Ethernet (us), 1 SLL (ns), 2 raw IPv4 (2^-20 s, its times
    written an hour early with if_tsoffset 3600 s)."""
    blocks = [shb(), idb(1), idb(113, 9), idb(101, 0x80 | 20, 3600)]
    pkts = []
    for i in range(120):  # 2.4 s: long enough to judge (100 packets over 1 s)
        t_ns = (T0 + 1) * 10**9 + i * 20 * 10**6
        if i != 17:  # lost on the Ethernet interface
            pkts.append((t_ns, 0, eth(udp(A, B, 40000, 50000, rtp(0, 100 + i, 1000 + 160 * i, 0x1111, 160)))))
        pkts.append((t_ns + 5 * 10**6 + 123, 1,
                     sll(udp(B, A, 50000, 40000, rtp(8, 200 + i, 5000 + 160 * i, 0x2222, 160)))))
        pkts.append((t_ns + 9 * 10**6, 2, udp(C, D, 42000, 52000, rtp(0, 300 + i, 9000 + 160 * i, 0x3333, 160))))
    pkts.sort(key=lambda p: p[0])
    for t_ns, iface, data in pkts:
        if iface == 0:
            ts = t_ns // 1000
        elif iface == 1:
            ts = t_ns
        else:
            ts = (t_ns - 3600 * 10**9) * 2**20 // 10**9
        blocks.append(epb(iface, ts, data))
    return b"".join(blocks)


def loss():
    frames = []
    for i in range(160):  # 3.2 s, 2 of 160 lost: 1.25 %
        if i in (20, 41):
            continue
        t_us = (T0 + 2) * 10**6 + i * 20000
        frames.append((t_us, eth(udp(A, B, 40002, 50002, rtp(0, 7 + i, 160 * i, 0x4444, 160)))))
    return pcap(frames)


# --- TURN over TCP (RFC 8656 11.4 Data indication, 12 ChannelData; RFC 6062) --

def stun_attr(atype, value):
    return struct.pack("!HH", atype, len(value)) + value + b"\0" * (-len(value) % 4)


def data_indication(peer, port, payload, tid):
    cookie = 0x2112A442
    xaddr = struct.pack("!BBH4s", 0, 1, port ^ (cookie >> 16),
                        bytes(a ^ b for a, b in zip(peer, struct.pack("!I", cookie))))
    attrs = stun_attr(0x0012, xaddr) + stun_attr(0x0013, payload)
    return struct.pack("!HHI12s", 0x0017, len(attrs), cookie, tid) + attrs


def channel_data(channel, payload):
    return struct.pack("!HH", channel, len(payload)) + payload + b"\0" * (-len(payload) % 4)


def turn_tcp():
    cli, srv, peer = [10, 0, 0, 5], [203, 0, 113, 3], [198, 51, 100, 20]
    frames = []
    t = (T0 + 3) * 10**6
    seq_up, seq_dn = 1000, 5000
    # the relayed connection: client 51000 <-> TURN server 3478
    frames.append((t, eth(tcp(cli, srv, 51000, 3478, seq_up, 0x02, b""))))
    frames.append((t + 100, eth(tcp(srv, cli, 3478, 51000, seq_dn, 0x12, b""))))
    seq_up += 1
    seq_dn += 1
    down = b""
    up = b""
    for i in range(120):  # 4 s of video each way
        # video from the peer, in Data indications (server to client), 90 kHz, 33 ms apart
        down_frame = data_indication(peer, 62000, rtp(96, 10 + i, 3000 * i, 0x5555, 301), bytes(12))
        # video from the client, in ChannelData (client to server); 301-byte payloads pad to 4
        up_frame = channel_data(0x4001, rtp(97, 500 + i, 3000 * i, 0x6666, 301 + (i % 3)))
        down += down_frame
        up += up_frame
        # the byte streams go out in segments that do not follow frame boundaries
        if i % 4 == 3 or i == 119:
            for stream, src, dst, sp, dp in ((down, srv, cli, 3478, 51000), (up, cli, srv, 51000, 3478)):
                cut = len(stream) // 3 + 1
                base = seq_dn if src == srv else seq_up
                segs = [(base, stream[:cut]), (base + cut, stream[cut:])]
                if src == srv and i == 11:  # the first part sent again, the second overlapping it
                    segs = [segs[0], segs[0], (base + cut - 10, stream[cut - 10:])]
                if src == srv and i == 23:  # the second part missing from the capture
                    segs = [segs[0]]
                for seq, part in segs:
                    t += 1000
                    frames.append((t, eth(tcp(src, dst, sp, dp, seq, 0x18, part))))
                if src == srv:
                    seq_dn += len(stream)
                else:
                    seq_up += len(stream)
            down, up = b"", b""
        t += 33000
    # TLS: TURNS on 443 to the TURN server above, TURNS on 5349, TURNS with the ALPN
    # stun.turn (RFC 7443) on 443, and a web page on 443 (ALPN h2): not TURNS
    for sport, server, port, alpn in ((52000, srv, 443, b""), (52001, [203, 0, 113, 50], 5349, b""),
                                      (52002, [203, 0, 113, 60], 443, b"\x09stun.turn\x02h2"),
                                      (52003, [93, 184, 216, 34], 443, b"\x02h2")):
        tls_seq = 9000
        frames.append((t, eth(tcp(cli, server, sport, port, tls_seq, 0x02, b""))))
        tls_seq += 1
        for i in range(5):
            if i == 0:
                hello = (bytes(60) + b"\x00\x10" + struct.pack("!HH", len(alpn) + 2, len(alpn)) + alpn +
                         b"\x00\x2b\x00\x03\x02\x03\x04")  # then supported_versions
                rec = b"\x16\x03\x01" + struct.pack("!H", len(hello)) + hello
            else:
                rec = b"\x17\x03\x03" + struct.pack("!H", 200) + bytes(200)
            t += 20000
            frames.append((t, eth(tcp(cli, server, sport, port, tls_seq, 0x18, rec))))
            tls_seq += len(rec)
    return pcap(frames)


def sip_msg(first, sdp):
    body = "".join(line + "\r\n" for line in sdp)
    head = [first, "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1", "Call-ID: 1@10.0.0.5",
            "CSeq: 1 INVITE", "Content-Type: application/sdp", f"Content-Length: {len(body)}"]
    return ("".join(h + "\r\n" for h in head) + "\r\n" + body).encode()


def sip():
    me, far, other = [10, 0, 0, 5], [192, 0, 2, 7], [198, 51, 100, 30]
    t = (T0 + 4) * 10**6
    frames = []
    invite = sip_msg("INVITE sip:therapist@example.org SIP/2.0",
                     ["v=0", "o=- 1 1 IN IP4 10.0.0.5", "s=-", "c=IN IP4 10.0.0.5", "t=0 0",
                      "m=audio 40010 RTP/AVP 111 101", "a=rtpmap:111 opus/48000/2",
                      "a=rtpmap:101 telephone-event/8000"])
    frames.append((t, eth(udp(me, far, 5060, 5060, invite))))
    ok = sip_msg("SIP/2.0 200 OK",
                 ["v=0", "o=- 2 2 IN IP4 192.0.2.7", "s=-", "c=IN IP4 192.0.2.7", "t=0 0",
                  "m=audio 50010 RTP/AVP 111", "a=rtpmap:111 opus/48000/2",
                  "m=video 50012 RTP/AVPF 96", "a=rtpmap:96 VP8/90000"])
    frames.append((t + 1000, eth(tcp(far, me, 5061, 52100, 7000, 0x02, b""))))
    frames.append((t + 2000, eth(tcp(far, me, 5061, 52100, 7001, 0x18, ok))))
    t += 10000
    for i in range(210):  # 4.2 s: the video (every other tick) has 105 packets
        wobble = 2000 if i % 2 else 0  # every other packet 2 ms late
        frames.append((t + i * 20000 + wobble,
                       eth(udp(me, far, 40010, 50010, rtp(111, 1 + i, 960 * i, 0x7777, 80)))))
        frames.append((t + i * 20000 + 500,
                       eth(udp(far, me, 50010, 40010, rtp(111, 901 + i, 4800 + 960 * i, 0x8888, 80)))))
        if i % 2 == 0:
            frames.append((t + i * 20000 + 700, eth(udp(me, far, 40012, 50012,
                                                         rtp(96, 50 + i // 2, 3600 * (i // 2), 0x9999, 900)))))
        frames.append((t + i * 20000 + 900,
                       eth(udp(other, me, 41000, 40020, rtp(98, 70 + i, 320 * i, 0xAAAA, 80)))))
        # the offered port also sends to a media server whose own SDP is not in the capture
        frames.append((t + i * 20000 + 1100 + (1500 if i % 3 == 0 else 0),
                       eth(udp(me, [203, 0, 113, 9], 40010, 60000, rtp(111, 400 + i, 960 * i, 0xBBBB, 80)))))
    frames.sort(key=lambda f: f[0])
    return pcap(frames)


def main():
    d = sys.argv[1]
    m = mixed()
    open(f"{d}/mixed.pcapng", "wb").write(m)
    open(f"{d}/mixed.pcapng.gz", "wb").write(gzip.compress(m, mtime=0))
    l = loss()
    open(f"{d}/loss-plain.pcap", "wb").write(l)
    half = len(l) // 2
    gz = gzip.compress(l[:half], mtime=0) + gzip.compress(l[half:], mtime=0)
    open(f"{d}/loss.pcap.gz", "wb").write(gz)
    whole = gzip.compress(l, mtime=0)
    open(f"{d}/cut.pcap.gz", "wb").write(whole[: len(whole) // 2])
    open(f"{d}/turn-tcp.pcap", "wb").write(turn_tcp())
    open(f"{d}/sip.pcap", "wb").write(sip())


if __name__ == "__main__":
    main()
