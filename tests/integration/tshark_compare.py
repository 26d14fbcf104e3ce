#!/usr/bin/env python3
"""Compare 'precall analyze --json' with Wireshark's tshark on one capture.

usage: tshark_compare.py TSHARK_STREAMS_TXT TSHARK_FIELDS_TSV PRECALL_JSON

TSHARK_STREAMS_TXT is the output of
    tshark -q -o rtp.heuristic_rtp:TRUE -z rtp,streams -r FILE
TSHARK_FIELDS_TSV the output of
    tshark -o rtp.heuristic_rtp:TRUE -Y rtp -T fields -e ip.src -e udp.srcport
           -e ip.dst -e udp.dstport -e rtp.ssrc -e rtp.seq -e rtp.timestamp
           [-e rtp.marker -e frame.time_epoch] -r FILE

With the last two fields, a stream with a marked packet right after another
marked one (every packet of ffmpeg's Opus, video of one packet a frame) has
its largest gap compared with one computed from tshark's packet times by
precall's rule (such packets start no talkspurt and count), and its jitter
is not compared (tshark leaves those packets out).

Per stream (source, destination, SSRC), both must find the same streams and
agree exactly on packets, lost and sequence errors; max delta and max jitter
must agree within 0.01 ms wherever tshark computes them (tshark prints a min
jitter of -1 when it does not know the clock rate of a dynamic payload type).

tshark 4.0's rtp,streams table has no count of sequence errors, only a
"Problems?" mark for a stream with any; the count is taken from tshark's own
dissection of every RTP packet instead (sequence numbers and timestamps in
capture order), by Wireshark's rule (ui/tap-rtp-analysis.c): a packet whose
number is not the last one + 1 (65535 -> 0 included) is an error; a packet
whose timestamp is not behind the last in-time one becomes the last when it
is ahead (or more than 0xFF00 behind: a wrap with the packets around it lost);
a packet behind the last one + 1 (late or duplicated) never does. A stream with
sequence errors must also carry tshark's "Problems?" mark.

Lost: tshark counts from the first to the last packet in capture order and
adds a wrap-around whenever a packet below the first one arrives in time
(ui/tap-rtp-analysis.c), so when the network reorders the first packets of
a stream (or the last), its figure is off by 65536s or by the reordered
ones. RFC 3550 A.3 counts from the lowest to the highest number. Where the
first packet has the lowest number and the last the highest, the two
definitions meet and tshark's figure must equal precall's; elsewhere precall
is held to A.3 over tshark's own per-packet dissection, and both figures are
printed.

Prints one line per stream and figure; exits 1 on any disagreement.
"""
import json
import re
import sys

TOL_MS = 0.01


def parse_streams(text):
    """The rows of tshark's rtp,streams table, robust to the payload column's spaces."""
    rows = []
    in_table = False
    for line in text.splitlines():
        if "Src IP addr" in line and "SSRC" in line:
            in_table = True
            continue
        if not in_table:
            continue
        if line.startswith("====="):
            break
        tok = line.split()
        if not tok:
            continue
        problem = tok[-1] == "X"
        if problem:
            tok = tok[:-1]
        # start end src sport dst dport ssrc PAYLOAD... pkts lost (pct%) 6 figures
        if len(tok) < 7 + 1 + 9 or not re.fullmatch(r"\(-?[0-9.]+%\)", tok[-7]):
            raise ValueError("unexpected tshark row: %r" % line)
        rows.append({
            "key": (tok[2], int(tok[3]), tok[4], int(tok[5]), int(tok[6], 16)),
            "payload": " ".join(tok[7:-9]),
            "packets": int(tok[-9]),
            "lost": int(tok[-8]),
            "min_delta": float(tok[-6]),
            "max_delta": float(tok[-4]),
            "min_jitter": float(tok[-3]),
            "max_jitter": float(tok[-1]),
            "problem": problem,
        })
    if not in_table:
        raise ValueError("no rtp,streams table in tshark's output")
    return rows


def seq_errors(tsv):
    """Sequence errors per stream from tshark's per-packet fields, and per
    stream (first, last, lowest, highest) extended sequence numbers."""
    last = {}
    last_ts = {}
    errors = {}
    ends = {}
    marks = {}  # per stream: [marker of the last packet, its time, a marked run seen, max gap]
    for line in tsv.splitlines():
        f = line.split("\t")
        if len(f) < 7 or not f[5] or not f[6]:
            continue
        # a packet inside another (ICMP quoting RTP) has two values per field
        if "," in f[5]:
            continue
        key = (f[0], int(f[1]), f[2], int(f[3]), int(f[4], 16))
        seq, ts = int(f[5]), int(f[6])
        if len(f) >= 9 and f[7] and f[8]:
            # precall's rule: a marked packet starts a talkspurt (left out of the
            # largest gap) only when the packet before it was not marked too
            marker, t = f[7] in ("1", "True"), float(f[8])
            mk = marks.get(key)
            if mk is None:
                marks[key] = [marker, t, False, 0.0]
            else:
                if not (marker and not mk[0]):
                    mk[3] = max(mk[3], (t - mk[1]) * 1e3)
                mk[2] = mk[2] or (marker and mk[0])
                mk[0], mk[1] = marker, t
        errors.setdefault(key, 0)
        if key not in ends:
            ends[key] = [seq + 65536] * 4
        else:  # extend by the nearest value to the highest number so far
            e = ends[key]
            ext = e[3] + ((seq - e[3] + 32768) & 0xFFFF) - 32768
            e[1], e[2], e[3] = ext, min(e[2], ext), max(e[3], ext)
        if key not in last:
            last[key], last_ts[key] = seq, ts
            continue
        prev = last[key]
        d = (ts - last_ts[key]) & 0xFFFFFFFF
        in_time = d < 0x80000000
        if in_time:
            last_ts[key] = ts
        if in_time and seq == (prev + 1) & 0xFFFF:
            last[key] = seq
        elif in_time and (prev + 1 < seq or prev - seq > 0xFF00):
            errors[key] += 1
            last[key] = seq
        elif prev + 1 > seq:
            errors[key] += 1
    return errors, ends, marks


def precall_streams(doc):
    out = {}
    for s in doc.get("scopes", []):
        if s.get("kind") != "stream":
            continue
        m = s["metrics"]
        sa, sp = m["stream_source"].rsplit(":", 1)
        da, dp = m["stream_destination"].rsplit(":", 1)
        out[(sa, int(sp), da, int(dp), int(m["stream_ssrc"], 16))] = m
    return out


def main():
    ts = parse_streams(open(sys.argv[1]).read())
    errs, ends, marks = seq_errors(open(sys.argv[2]).read())
    pc = precall_streams(json.load(open(sys.argv[3])))
    bad = 0

    def check(name, key, ok, detail):
        nonlocal bad
        print("%s %s:%d>%s:%d/0x%08x %s: %s" % ("ok  " if ok else "FAIL", *key, name, detail))
        if not ok:
            bad += 1

    tkeys = {r["key"] for r in ts}
    for k in sorted(set(pc) - tkeys):
        check("stream", k, False, "found by precall, not by tshark")
    for k in sorted(tkeys - set(pc)):
        check("stream", k, False, "found by tshark, not by precall")
    if not ts:
        print("FAIL: tshark found no RTP stream")
        bad += 1
    for r in ts:
        k = r["key"]
        m = pc.get(k)
        if m is None:
            continue
        check("packets", k, m["stream_packets"] == r["packets"],
              "precall %s tshark %s" % (m["stream_packets"], r["packets"]))
        first, last, low, high = ends.get(k, [0, 0, 0, 0])
        if first == low and last == high:
            check("lost", k, m["stream_lost"] == r["lost"],
                  "precall %s tshark %s" % (m["stream_lost"], r["lost"]))
        else:
            a3 = high - low + 1 - r["packets"]
            check("lost", k, m["stream_lost"] == a3,
                  "precall %s, RFC 3550 A.3 over tshark's packets %s (tshark's table: %s, "
                  "its first/last packet %d/%d are not its lowest/highest %d/%d)"
                  % (m["stream_lost"], a3, r["lost"], first & 0xFFFF, last & 0xFFFF,
                     low & 0xFFFF, high & 0xFFFF))
        e = errs.get(k)
        check("sequence errors", k, e is not None and m["stream_seq_errors"] == e,
              "precall %s tshark %s (Problems? %s)"
              % (m["stream_seq_errors"], e, "X" if r["problem"] else "-"))
        if e:
            check("problem mark", k, r["problem"], "tshark marks the stream with sequence errors")
        left_out = (m.get("stream_padding_packets") or 0) + (m.get("stream_other_pt_packets") or 0)
        if left_out or (m.get("stream_segments") or 1) > 1:
            print("     %s:%d>%s:%d/0x%08x max delta and jitter: not compared (precall leaves "
                  "out %d padding or other payload packets and measures nothing across its %d "
                  "segments' starts; tshark does)" % (*k, left_out, m.get("stream_segments") or 1))
            continue
        mk = marks.get(k)
        if mk is not None and mk[2]:
            # marked packets after marked ones: tshark leaves them out, precall counts them
            g = m.get("stream_gap_max_ms")
            check("max delta", k, g is not None and abs(g - mk[3]) <= TOL_MS,
                  "precall %s, from tshark's packet times with marked runs counted %.3f ms "
                  "(tshark's table, without them: %.3f ms)" % (g, mk[3], r["max_delta"]))
            print("     %s:%d>%s:%d/0x%08x max jitter: not compared (tshark leaves out the "
                  "marked packets precall counts)" % k)
            continue
        if r["min_delta"] >= 0:
            g = m.get("stream_gap_max_ms")
            check("max delta", k, g is not None and abs(g - r["max_delta"]) <= TOL_MS,
                  "precall %s tshark %.3f ms" % (g, r["max_delta"]))
        if r["min_jitter"] >= 0:
            j = m.get("stream_jitter_max_ms")
            check("max jitter", k, j is not None and abs(j - r["max_jitter"]) <= TOL_MS,
                  "precall %s tshark %.3f ms (clock %s Hz)"
                  % (j, r["max_jitter"], m.get("stream_clock_hz")))
        else:
            print("     %s:%d>%s:%d/0x%08x max jitter: not computed by tshark (payload %s)"
                  % (*k, r["payload"]))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
