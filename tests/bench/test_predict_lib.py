#!/usr/bin/env python3
"""unit.predict_lib: the scoring of bench/predict.sh's calls and its summary
(bench/predict_lib.py) on hand-made call logs with exact expected values:
frozen frames (a lost packet freezes its frame and every frame after it up to
the next keyframe, or with a keyframe request up to one round trip plus
100 ms), the one-way delay limit on both sides of 400 ms, the call
reaching its tier only when analyze rates it at least there, and the
summary's agreement and over/under counts.

  test_predict_lib.py SOURCE_ROOT
"""
import contextlib
import io
import json
import os
import sys
import tempfile

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "bench"))
import predict_lib  # noqa: E402

CALLS = os.path.join(ROOT, "data", "bench", "calls.json")
FAILED = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def write_log(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(" ".join(str(x) for x in r) + "\n")


def analyze(path, tier):
    with open(path, "w") as f:
        json.dump({"verdict": {"tier": tier, "limited_by": [] if tier == "hd" else ["stream_loss_pct"]},
                   "scopes": []}, f)


def make_call(d, delay_ns=10_000_000, lose=(), tier="hd", key_frames=(0, 3)):
    """Six video frames of two packets (keyframes at key_frames) and ten audio
    packets each way; packets in 'lose' ((port, seq)) do not arrive."""
    os.makedirs(d, exist_ok=True)
    t0 = 1_700_000_000_000_000_000
    sent = []
    seq = 0
    for f in range(6):
        for k in range(2):
            sent.append((t0 + f * 33_333_333 + k, 5004, 111, seq, f * 3000, k, 1 if f in key_frames else 0, 1200))
            seq += 1
    for a in range(10):
        sent.append((t0 + a * 20_000_000, 5006, 222, a, a * 160, 0, 0, 172))
    recv = [(r[0] + delay_ns,) + r[1:] for r in sent if (r[1], r[3]) not in lose]
    for side_sent, side_recv in (("c.sent", "s.recv"), ("s.sent", "c.recv")):
        write_log(os.path.join(d, side_sent), sent)
        write_log(os.path.join(d, side_recv), recv)
    analyze(os.path.join(d, "s.analyze.json"), tier)
    analyze(os.path.join(d, "c.analyze.json"), tier)


def score(d, cid="hd"):
    with contextlib.redirect_stdout(io.StringIO()):
        predict_lib.score(CALLS, cid, d)
    with open(os.path.join(d, "score.json")) as f:
        return json.load(f)


with tempfile.TemporaryDirectory() as tmp:
    # A clean call: nothing frozen, the one-way delay exact.
    d = os.path.join(tmp, "clean")
    make_call(d)
    s = score(d)
    check(s["reached"] and s["why_not"] == [], "clean call reaches HD")
    check(s["up"]["video"]["frozen_frames"] == 0 and s["up"]["video"]["frames"] == 6, "clean: 6 frames, none frozen")
    check(s["up"]["audio"]["owd_ms"] == {"p50": 10.0, "p95": 10.0, "max": 10.0}, "clean: one-way delay 10.0 ms")

    # One packet of frame 1 lost: frames 1 and 2 frozen (2 depends on 1), frame
    # 3 is a keyframe: 2 of 6 frames, 33.33 %, longest 2 frames = 67 ms at 30 fps.
    d = os.path.join(tmp, "lost")
    make_call(d, lose={(5004, 3)})
    s = score(d)
    v = s["down"]["video"]
    check(v["frozen_frames"] == 2 and v["frozen_pct"] == 33.33, "lost packet: frames 1 and 2 frozen (%s)" % v["frozen_frames"])
    check(v["longest_freeze_ms"] == 67.0, "lost packet: longest freeze 67 ms (%s)" % v["longest_freeze_ms"])
    check(v["loss_pct"] == 8.33 and v["received"] == 11, "lost packet: 1 of 12 video packets lost")
    check(not s["reached"] and "down: 33.33 % of frames frozen" in s["why_not"], "lost packet: HD missed on frozen frames")

    # The same loss, but frame 2 is a keyframe: only frame 1 is frozen.
    d = os.path.join(tmp, "lost-key")
    make_call(d, lose={(5004, 3)}, key_frames=(0, 2))
    check(score(d)["up"]["video"]["frozen_frames"] == 1, "lost packet before a keyframe: one frame frozen")

    # One keyframe only (frame 0), frame 1 damaged: plain RTP freezes frames
    # 1 to 5; a receiver asking for a keyframe shows whole frames again one
    # round trip (2 x 10 ms) plus 100 ms after frame 1 (33.3 ms), i.e. from
    # 153.3 ms: frame 5 (166.7 ms) is shown, frames 1 to 4 are frozen.
    d = os.path.join(tmp, "pli")
    make_call(d, lose={(5004, 2)}, key_frames=(0,))
    v = score(d)["up"]["video"]
    check(v["frozen_frames_plain"] == 5 and v["longest_freeze_ms_plain"] == 167.0,
          "one keyframe, frame 1 damaged: plain RTP freezes 5 frames (%s)" % v["frozen_frames_plain"])
    check(v["frozen_frames"] == 4 and v["frozen_pct"] == 66.67 and v["longest_freeze_ms"] == 133.0,
          "one keyframe, frame 1 damaged: with a keyframe request 4 frames frozen (%s)" % v["frozen_frames"])

    # G.114's 400 ms: reached at exactly 400, missed just above.
    d = os.path.join(tmp, "owd400")
    make_call(d, delay_ns=400_000_000)
    s = score(d)
    check(s["reached"], "one-way delay 400.0 ms: reached (%s)" % s["why_not"])
    d = os.path.join(tmp, "owd401")
    make_call(d, delay_ns=400_100_000)
    s = score(d)
    check(not s["reached"] and "up: one-way delay p95 400 ms" in s["why_not"], "one-way delay 400.1 ms: missed (%s)" % s["why_not"])

    # analyze's tier against the call's: at its tier reached, below missed.
    d = os.path.join(tmp, "sd-at-sd")
    make_call(d, tier="sd")
    check(score(d, "sd")["reached"], "SD call rated SD by analyze: reached")
    check(not score(d, "hd")["reached"], "HD call rated SD by analyze: missed")
    d = os.path.join(tmp, "audio-at-audio")
    make_call(d, tier="audio")
    check(score(d, "audio")["reached"], "audio call rated audio by analyze: reached")

    # The summary: one agreement, one pessimistic check.
    out = os.path.join(tmp, "out")
    for i, (ct, kt) in enumerate((("hd", "hd"), ("sd", "hd"), ("audio", "audio"))):
        os.makedirs(os.path.join(out, "r%d" % i))
        with open(os.path.join(out, "r%d" % i, "run.json"), "w") as f:
            json.dump({"condition": "c%d" % i, "rep": 1, "check_tier": ct, "call_tier": kt, "calls": [],
                       "check": {}, "check_label": "", "check_limited_by": []}, f)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        predict_lib.report(out)
    text = buf.getvalue()
    check("Agreement: 2 of 3 runs (67 %); the check promised more than the call got: 0; less: 1" in text,
          "summary: agreement 2 of 3, none over, one under")
    check("sd            1      0      0      0" in text, "summary: the matrix row of the SD check")
    check("  c1 rep 1: check sd, call hd" in text, "summary: the disagreement listed")

sys.exit(1 if FAILED else 0)
