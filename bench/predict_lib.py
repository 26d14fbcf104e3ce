#!/usr/bin/env python3
"""predict_lib.py - the pieces of bench/predict.sh that are easier in Python.

  predict_lib.py media CALLS CACHE SECONDS   encode each call's media once
                                             (ffmpeg lavfi sources) into CACHE;
                                             prints "id tier video|- audio" lines
  predict_lib.py score CALLS ID DIR          score one call from DIR's logs and
                                             analyze reports -> DIR/score.json
  predict_lib.py rescore CALLS OUT           score a finished bench's calls again
                                             (another acceptance) from their logs
  predict_lib.py report OUT                  the confusion matrix, agreement
                                             and disagreements over OUT/*/run.json

The call's directory holds, for each side X in c (client) and s (server):
X.sent (what X's ffmpeg sent, stamped on the shared clock), X.recv (what
reached X's receiving program, kernel receive time), and X.analyze.json
('precall analyze' of X.pcap). Direction "up" is client -> server (s.recv
against c.sent), "down" server -> client.
"""
import contextlib
import glob
import io
import json
import os
import subprocess
import sys

TIERS = ["none", "audio", "sd", "hd"]
VIDEO_PORT, AUDIO_PORT = 5004, 5006


def rank(t):
    return TIERS.index(t) if t in TIERS else 0


def load_calls(path):
    with open(path) as f:
        doc = json.load(f)
    return doc, doc["calls"]


def media(calls_path, cache, seconds):
    _, calls = load_calls(calls_path)
    os.makedirs(cache, exist_ok=True)
    secs = int(float(seconds)) + 2
    for c in calls:
        vf = "-"
        if c.get("video"):
            v = c["video"]
            vf = os.path.join(cache, "%s-%dx%d-%d-%dk-g%d-%ds.mkv" % (
                c["id"], v["width"], v["height"], v["fps"], v["kbps"], v["gop"], secs))
            if not os.path.exists(vf):
                k = "%dk" % v["kbps"]
                subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                                "-i", "testsrc2=size=%dx%d:rate=%d" % (v["width"], v["height"], v["fps"]),
                                "-t", str(secs), "-c:v", "libx264", "-preset", "veryfast",
                                "-tune", "zerolatency", "-profile:v", "baseline", "-b:v", k,
                                "-maxrate", k, "-bufsize", "%dk" % (v["kbps"] // 2), "-g", str(v["gop"]),
                                "-pix_fmt", "yuv420p", vf + ".part.mkv"], check=True)
                os.rename(vf + ".part.mkv", vf)
        af = os.path.join(cache, "pcmu-20ms-%ds.nut" % secs)
        if not os.path.exists(af):
            subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                            "-i", "sine=frequency=440:sample_rate=8000", "-t", str(secs), "-ac", "1",
                            "-af", "asetnsamples=n=160", "-c:a", "pcm_mulaw", af + ".part.nut"],
                           check=True)
            os.rename(af + ".part.nut", af)
        print(c["id"], c["tier"], vf, af)


def read_log(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) == 8:
                rows.append(tuple(int(x) for x in p))
    return rows


def pct(vals, q):
    if not vals:
        return None
    v = sorted(vals)
    i = min(len(v) - 1, max(0, int(round(q / 100.0 * (len(v) - 1)))))
    return v[i]


def freeze(order, frames, got, recover_ns):
    """(frozen frames, longest run of them). A frame is shown when all its
    packets arrived and it is a keyframe or the frame before it was shown.
    With recover_ns, a receiver that could not show a frame asks for a
    keyframe (RFC 4585 6.3.1, Picture Loss Indication) and shows whole frames
    again from recover_ns after the first it missed."""
    ok_chain = False
    frozen = run = longest = 0
    recover_at = None
    for ts in order:
        fr = frames[ts]
        whole = all(k in got for k in fr["pk"])
        if recover_at is not None and whole and fr["t"] >= recover_at:
            ok_chain, recover_at = True, None
        else:
            ok_chain = whole and (fr["key"] or ok_chain)
        if ok_chain:
            run = 0
            recover_at = None
        else:
            frozen += 1
            run += 1
            longest = max(longest, run)
            if recover_ns is not None and recover_at is None:
                recover_at = fr["t"] + recover_ns
    return frozen, longest


def direction(sent, recv, analyze_path, fps, recovery_extra_ms=None):
    """Figures of one direction: delay, loss, frozen frames, analyze's tier."""
    got = {}
    for t, port, ssrc, seq, ts, m, key, n in recv:
        got.setdefault((port, ssrc, seq, ts), t)
    out = {}
    for port, name in ((VIDEO_PORT, "video"), (AUDIO_PORT, "audio")):
        s = [r for r in sent if r[1] == port]
        if not s:
            continue
        owd = [(got[(r[1], r[2], r[3], r[4])] - r[0]) / 1e6 for r in s if (r[1], r[2], r[3], r[4]) in got]
        d = {"sent": len(s), "received": len(owd),
             "loss_pct": round(100.0 * (len(s) - len(owd)) / len(s), 2),
             "owd_ms": {"p50": pct(owd, 50), "p95": pct(owd, 95), "max": max(owd) if owd else None}}
        for k in ("p50", "p95", "max"):
            if d["owd_ms"][k] is not None:
                d["owd_ms"][k] = round(d["owd_ms"][k], 1)
        if name == "video":
            frames, order = {}, []
            for r in s:
                if r[4] not in frames:
                    frames[r[4]] = {"pk": [], "key": 0}
                    order.append(r[4])
                    frames[r[4]]["t"] = r[0]
                frames[r[4]]["pk"].append((r[1], r[2], r[3], r[4]))
                frames[r[4]]["key"] |= r[6]
            d["frames"] = len(order)
            # The picture as plain RTP shows it (no recovery before the next
            # keyframe), and as a receiver that asks for a keyframe does.
            plain = freeze(order, frames, got, None)
            rec = None
            if recovery_extra_ms is not None and d["owd_ms"]["p50"] is not None:
                rec = int((2 * d["owd_ms"]["p50"] + recovery_extra_ms) * 1e6)
            model = freeze(order, frames, got, rec)
            d["frozen_pct_plain"] = round(100.0 * plain[0] / len(order), 2) if order else None
            d["frozen_frames"] = model[0]
            d["frozen_pct"] = round(100.0 * model[0] / len(order), 2) if order else None
            d["longest_freeze_ms"] = round(1000.0 * model[1] / fps, 0) if fps else None
            d["frozen_frames_plain"] = plain[0]
            d["longest_freeze_ms_plain"] = round(1000.0 * plain[1] / fps, 0) if fps else None
        out[name] = d
    a = {}
    try:
        with open(analyze_path) as f:
            a = json.load(f)
    except (OSError, ValueError):
        pass
    out["analyze_tier"] = (a.get("verdict") or {}).get("tier", "none")
    out["analyze_limited_by"] = (a.get("verdict") or {}).get("limited_by", [])
    streams = [s for s in a.get("scopes", []) if s.get("kind") == "stream"]
    out["analyze_streams"] = [{"media": s["metrics"].get("stream_media"), "tier": s.get("tier"),
                               "loss_pct": s["metrics"].get("stream_loss_pct"),
                               "jitter_ms": s["metrics"].get("stream_jitter_ms"),
                               "gap_max_ms": s["metrics"].get("stream_gap_max_ms")} for s in streams]
    return out


def score(calls_path, cid, d):
    doc, calls = load_calls(calls_path)
    call = next(c for c in calls if c["id"] == cid)
    acc = doc["acceptance"]
    fps = call["video"]["fps"] if call.get("video") else 0
    extra = acc.get("keyframe_request_extra_ms")
    res = {"call": cid, "tier": call["tier"], "label": call.get("label", cid)}
    why = []
    for name, sent, recv, an in (("up", "c.sent", "s.recv", "s.analyze.json"),
                                 ("down", "s.sent", "c.recv", "c.analyze.json")):
        r = direction(read_log(os.path.join(d, sent)), read_log(os.path.join(d, recv)),
                      os.path.join(d, an), fps, extra)
        res[name] = r
        if "audio" not in r or r["audio"]["received"] == 0:
            why.append("%s: no audio arrived" % name)
            continue
        if rank(r["analyze_tier"]) < rank(call["tier"]):
            why.append("%s: analyze %s (%s)" % (name, r["analyze_tier"], ", ".join(r["analyze_limited_by"])))
        p95 = max(r[m]["owd_ms"]["p95"] or 0 for m in ("video", "audio") if m in r)
        if p95 > acc["owd_p95_ms_max"]:
            why.append("%s: one-way delay p95 %.0f ms" % (name, p95))
        if call.get("video"):
            v = r.get("video")
            if not v or v["frozen_pct"] is None or v["frozen_pct"] > acc["freeze_pct_max"]:
                why.append("%s: %s %% of frames frozen" % (name, v["frozen_pct"] if v else "all"))
    res["reached"] = not why
    res["why_not"] = why
    with open(os.path.join(d, "score.json"), "w") as f:
        json.dump(res, f, indent=1)
    print("reached" if res["reached"] else "missed: " + "; ".join(why))


def fig(x, fmt="%.1f"):
    return "-" if x is None else fmt % x


def report(out):
    runs = []
    for p in sorted(glob.glob(os.path.join(out, "*", "run.json"))):
        with open(p) as f:
            runs.append(json.load(f))
    if not runs:
        print("no runs in %s" % out)
        return 1
    print("Runs: %d (%d conditions)" % (len(runs), len({r["condition"] for r in runs})))
    print()
    print("%-17s %-3s %-6s %-6s  %s" % ("condition", "rep", "check", "call", "calls (tier reached or why not)"))
    for r in runs:
        calls = "; ".join("%s %s" % (c["call"], "ok" if c["reached"] else "no: " + ", ".join(c["why_not"]))
                          for c in r["calls"])
        asrun = r.get("call_tier_as_run", r["call_tier"])
        if asrun != r["call_tier"]:
            calls += " [as run: %s]" % asrun
        print("%-17s %-3s %-6s %-6s  %s" % (r["condition"], r["rep"], r["check_tier"], r["call_tier"], calls))
    print()
    print("Confusion matrix (rows: the check's tier; columns: the tier the call reached)")
    print("%-8s" % "check" + "".join("%7s" % t for t in reversed(TIERS)))
    for ct in reversed(TIERS):
        print("%-8s" % ct + "".join("%7d" % sum(1 for r in runs if r["check_tier"] == ct and r["call_tier"] == t)
                                   for t in reversed(TIERS)))
    agree = sum(1 for r in runs if r["check_tier"] == r["call_tier"])
    over = [r for r in runs if rank(r["check_tier"]) > rank(r["call_tier"])]
    under = [r for r in runs if rank(r["check_tier"]) < rank(r["call_tier"])]
    print()
    print("Agreement: %d of %d runs (%.0f %%); the check promised more than the call got: %d; less: %d"
          % (agree, len(runs), 100.0 * agree / len(runs), len(over), len(under)))
    dis = [r for r in runs if r["check_tier"] != r["call_tier"]]
    if dis:
        print()
        print("Disagreements:")
    for r in dis:
        m = r.get("check", {})
        print("  %s rep %s: check %s, call %s" % (r["condition"], r["rep"], r["check_tier"], r["call_tier"]))
        print("    check: %s; limited by %s" % (r.get("check_label", ""), ", ".join(r.get("check_limited_by", [])) or "-"))
        print("    check figures: down %s up %s Mbit/s, RTT %s ms, jitter %s ms, loss %s %%, bufferbloat %s ms, R %s"
              % (fig(m.get("download_mbps")), fig(m.get("upload_mbps")), fig(m.get("rtt_median_ms")),
                 fig(m.get("jitter_ms")), fig(m.get("loss_pct")), fig(m.get("bufferbloat_ms"), "%.0f"),
                 fig(m.get("r_factor"), "%.0f")))
        lk = r.get("linkem", {})
        print("    linkem (ground truth): " + "; ".join(
            "%s %d packets, %.2f %% dropped, delay applied mean %.1f ms (max %.1f), released late by %.1f ms at worst"
            % (dn, x["packets"], 100.0 * x["dropped"] / x["packets"] if x["packets"] else 0.0,
               x["applied_delay_ms"]["mean"], x["applied_delay_ms"]["max"], x["late_ms"]["max"])
            for dn, x in ((dn, lk.get(dn)) for dn in ("up", "down")) if x))
        for c in r["calls"]:
            for dn in ("up", "down"):
                x = c.get(dn, {})
                v, a = x.get("video"), x.get("audio")
                print("    call %s %s: analyze %s; audio loss %s %%, one-way p50/p95 %s/%s ms%s"
                      % (c["call"], dn, x.get("analyze_tier"), fig(a and a["loss_pct"]),
                         fig(a and a["owd_ms"]["p50"]), fig(a and a["owd_ms"]["p95"]),
                         "" if not v else "; video loss %s %%, frozen %s %% (longest %s ms; plain RTP %s %%), one-way p95 %s ms"
                         % (fig(v["loss_pct"]), fig(v["frozen_pct"]), fig(v["longest_freeze_ms"], "%.0f"),
                            fig(v.get("frozen_pct_plain")), fig(v["owd_ms"]["p95"]))))
    return 0


def rescore(calls_path, out):
    """Score again every call of a finished bench (its logs and analyze
    reports are kept) with CALLS' acceptance, and walk the ladder again: a
    call that now reaches its tier ends it. The tier as run is kept in
    call_tier_as_run. A lower call the new ladder needs but that was not run
    is left out and said."""
    _, calls = load_calls(calls_path)
    for p in sorted(glob.glob(os.path.join(out, "*", "run.json"))):
        with open(p) as f:
            run = json.load(f)
        run.setdefault("call_tier_as_run", run["call_tier"])
        d = os.path.dirname(p)
        run["calls"], run["call_tier"] = [], "none"
        for c in calls:
            cd = os.path.join(d, "call-%s" % c["id"])
            if not os.path.exists(os.path.join(cd, "c.sent")):
                run["calls"].append({"call": c["id"], "reached": False, "why_not": ["not run"]})
                break
            with contextlib.redirect_stdout(io.StringIO()):
                score(calls_path, c["id"], cd)
            with open(os.path.join(cd, "score.json")) as f:
                sc = json.load(f)
            run["calls"].append(sc)
            if sc["reached"]:
                run["call_tier"] = c["tier"]
                break
        with open(p, "w") as f:
            json.dump(run, f, indent=1)
    return 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "media":
        media(argv[2], argv[3], argv[4])
        return 0
    if len(argv) >= 5 and argv[1] == "score":
        score(argv[2], argv[3], argv[4])
        return 0
    if len(argv) >= 4 and argv[1] == "rescore":
        return rescore(argv[2], argv[3])
    if len(argv) >= 3 and argv[1] == "report":
        return report(argv[2])
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
