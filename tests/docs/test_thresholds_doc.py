#!/usr/bin/env python3
"""docs/thresholds.md documents every number precall judges by.

Usage: test_thresholds_doc.py SOURCE_ROOT

Fails when
- a metric of a profile in data/profiles/*.json has no row in the tier tables
  of the profile's section of docs/thresholds.md, a tier limit there differs
  from the profile, or the row claims a limit the profile does not have; a
  row names a metric the profile does not limit;
- any other key of a profile (read generically, so that new sections such as
  the advice levels or the bufferbloat grades are checked as they appear) is
  not named in backquotes on a line of the document that also gives its
  value;
- a constant of CONSTANTS below, defined in the code, is not named in
  backquotes on a line of the document with the value the code gives (a
  constant the code no longer defines is not checked: a number that moved
  into the profile is checked by its profile key);
- the bufferbloat grade scale written in the code ({5, "A+"}, ...) is not
  in the document.
"""
import glob
import json
import os
import re
import sys

# Advice levels and measurement constants: (name in the code, the factor that
# turns the code's value into the document's unit). Add a constant here when
# scoring or advice starts to depend on it.
CONSTANTS = [
    ("DNS_SLOW_MS", 1),
    ("HTTP_SLOW_MS", 1),
    ("FULL_HD_MBPS", 1),
    ("WIFI_WEAK_DBM", 1),
    ("WIFI_VERY_WEAK_DBM", 1),
    ("ROOM_NOISY_DBFS", 1),
    ("ROOM_VERY_NOISY", 1),
    ("LUMA_DARK", 1),
    ("LUMA_VERY_DARK", 1),
    ("LUMA_WASHED_OUT", 1),
    ("BATTERY_LOW_PCT", 1),
    ("MIC_CLIPPED_PCT", 1),
    ("CPU_BUSY_PCT", 1),
    ("QUIET_PART", 1),
    ("WINDOW_S", 1),
    ("PC_SILENT_PEAK_DBFS", 1),
    ("MIC_SAMPLE_S", 1),
    ("MIN_FPS", 1),
    ("PC_BURST_WINDOW_NS", 1e-6),  # ns in the code, ms in the document
    ("PC_BURST_MIN_PROBES", 1),
    ("WORST_SECOND_MIN", 1),
    ("REPLY_TIMEOUT_NS", 1e-6),
    ("PC_TPUT_STABLE_PCT", 1),
    ("FAST_MBPS", 1),
    ("PC_SERVER_LOSS_MIN_SENT", 1),
    ("PC_STUN_PUBLIC_GAP_NS", 1e-6),
    ("PC_STUN_PUBLIC_REQUESTS_MAX", 1),
    ("JUDGE_MIN_PACKETS", 1),
    ("JUDGE_MIN_MS", 1),
    ("RTT_SLACK_MS", 1),
    ("SEGMENT_MS", 1),
    ("SEGMENT_TICKS_PER_MS", 1),
]
NS = {"PC_NS_PER_MS": 1e6, "PC_NS_PER_S": 1e9, "PC_NS_PER_US": 1e3}
TIERS = ("hd", "sd", "audio")

failures = []


def fail(msg):
    failures.append(msg)


def numbers(text):
    """The numbers written in a piece of text (U+2212 is a minus sign)."""
    text = text.replace("\u2212", "-")
    return [float(t) for t in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?", text)]


def has_value(text, v):
    if isinstance(v, bool):
        words = re.findall(r"[a-z]+", text.lower())
        return ("required" in words or "yes" in words) if v else ("no" in words)
    return any(abs(t - float(v)) < 1e-9 for t in numbers(text))


def tables(text):
    """Each markdown table as (header cells, [row cells])."""
    out, cur = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cur is None:
                cur = (cells, [])
                out.append(cur)
            elif not all(re.fullmatch(r":?-+:?", c) for c in cells):
                cur[1].append(cells)
        else:
            cur = None
    return out


def section(doc, name):
    """The part of the document about profile NAME: from the '## ' heading that
    names it in backquotes to the next '## ' heading."""
    m = re.search(r"^## [^\n]*`%s`[^\n]*\n(.*?)(?=^## |\Z)" % re.escape(name), doc, re.M | re.S)
    return m.group(1) if m else None


def lines_naming(doc, key):
    return [l for l in doc.splitlines() if "`%s`" % key in l]


def check_profile(doc, path):
    p = json.load(open(path, encoding="utf-8"))
    name = p.get("name", os.path.basename(path))
    sec = section(doc, name)
    if sec is None:
        fail("%s: no '## ...`%s`...' section in the document" % (path, name))
        return
    rows = {}
    for header, body in tables(sec):
        cols = [h.strip("`").lower() for h in header]
        for cells in body:
            m = re.fullmatch(r"`([a-z0-9_]+)`", cells[0])
            if m and any(t in cols for t in TIERS):
                rows[m.group(1)] = dict(zip(cols, cells))
    limits = p.get("thresholds", {})
    for metric, tiers in limits.items():
        row = rows.get(metric)
        if row is None:
            fail("profile %s: metric `%s` has no row in the tier tables" % (name, metric))
            continue
        for tier in TIERS:
            cell = row.get(tier)
            if cell is None:
                continue
            if tier in tiers and not has_value(cell, tiers[tier]):
                fail("profile %s: `%s` %s is %r in the profile, %r in the document"
                     % (name, metric, tier, tiers[tier], cell))
            if tier not in tiers and (numbers(cell) or has_value(cell, True)):
                fail("profile %s: `%s` has no %s limit, the document gives %r"
                     % (name, metric, tier, cell))
        for tier, v in tiers.items():
            if tier not in TIERS and not any(has_value(l, v) and tier in l
                                             for l in lines_naming(doc, metric)):
                fail("profile %s: `%s` %s = %r is not in the document" % (name, metric, tier, v))
    for metric in rows:
        if metric not in limits:
            fail("profile %s: the document has a row for `%s`, which the profile does not limit"
                 % (name, metric))
    # Every other key, generically: a line naming the key that gives its value.
    def walk(node, where):
        for k, v in node.items():
            if isinstance(v, dict):
                walk(v, where + [k])
            elif isinstance(v, (int, float, bool)):
                if not any(has_value(l, v) for l in lines_naming(doc, k)):
                    fail("profile %s: %s = %r is not in the document (a line with `%s` and %r)"
                         % (name, ".".join(where + [k]), v, k, v))
            elif not isinstance(v, str):
                fail("profile %s: %s: a value of a kind this test does not know"
                     % (name, ".".join(where + [k])))
    walk({k: v for k, v in p.items() if k not in ("name", "description", "thresholds")}, [])


def code_text(root):
    text = ""
    for d in ("src", "include"):
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    text += open(os.path.join(dirpath, f), encoding="utf-8").read() + "\n"
    return text


def code_value(code, name):
    """The value of '#define NAME expr' (numbers, *, / and the PC_NS_PER_* units), or None."""
    m = re.search(r"^#define\s+%s\s+(.+?)\s*(?:/\*.*)?$" % re.escape(name), code, re.M)
    if m is None:
        return None
    expr = re.sub(r"(\d)(?:LL|L|U|ULL)\b", r"\1", m.group(1))
    for unit, ns in NS.items():
        expr = expr.replace(unit, repr(ns))
    if not re.fullmatch(r"[-+*/(). 0-9e]+", expr):
        fail("#define %s %s: not a number this test can read" % (name, m.group(1)))
        return None
    return eval(expr)  # digits and arithmetic only (checked above)


def check_constants(doc, code):
    for name, scale in CONSTANTS:
        v = code_value(code, name)
        named = lines_naming(doc, name)
        if v is None:
            # Moved into the profile (checked by its key there) or gone: the
            # document may keep the name as history, as its advice table does.
            print("note: `%s` is not defined in the code" % name)
            continue
        v = round(v * scale, 9)
        if not named:
            fail("`%s` (%g in the code) is not in the document" % (name, v))
        elif not any(has_value(l, v) for l in named):
            fail("`%s` is %g in the code; the document's lines naming it do not give %g"
                 % (name, v, v))
    for below, grade in re.findall(r'\{\s*(\d+(?:\.\d+)?)\s*,\s*"(A\+|A|B|C|D)"\s*\}', code):
        if not any(has_value(l, float(below)) for l in lines_naming(doc, grade)):
            fail("bufferbloat grade %s below %s ms (in the code) is not in the document"
                 % (grade, below))


def main():
    root = sys.argv[1]
    doc_path = os.path.join(root, "docs", "thresholds.md")
    doc = open(doc_path, encoding="utf-8").read()
    profiles = sorted(glob.glob(os.path.join(root, "data", "profiles", "*.json")))
    if not profiles:
        fail("no profiles in data/profiles")
    for path in profiles:
        check_profile(doc, path)
    check_constants(doc, code_text(root))
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    print("%d profile(s), %d constants: %d failure(s)" % (len(profiles), len(CONSTANTS), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
