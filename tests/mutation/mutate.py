#!/usr/bin/python3
"""mutate.py - read tests/mutation/mutants.txt (its format is described at
the top of that file) and act on a source tree.

  mutate.py MUTANTS list              id<TAB>file<TAB>why, one per mutant
  mutate.py MUTANTS check ROOT        every from: occurs exactly once in ROOT
                                      (exit 1 and one line per stale mutant)
  mutate.py MUTANTS apply ID ROOT     apply mutant ID to the tree at ROOT;
                                      exit 3 (nothing written) when stale
"""
import sys

KEYS = ("id", "file", "from", "to", "why", "note")


def decode(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            c = s[i + 1]
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(c, "\\" + c))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def parse(path):
    mutants, cur, errors = [], None, []

    def close(lineno):
        if cur is None:
            return
        for k in ("id", "file", "why"):
            if k not in cur:
                errors.append("%s:%d: mutant without '%s:'" % (path, lineno, k))
        if not cur["pairs"] or any(t is None for _, t in cur["pairs"]):
            errors.append("%s:%d: mutant %s needs from:/to: pairs" % (path, lineno, cur.get("id")))
        mutants.append(cur)

    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        if line.startswith("#"):
            continue
        if line.strip() == "":
            close(n)
            cur = None
            continue
        key, sep, val = line.partition(": ")
        if not sep:
            key, sep, val = line.partition(":")
        if key not in KEYS:
            errors.append("%s:%d: unknown line %r" % (path, n, line))
            continue
        if cur is None:
            cur = {"pairs": [], "notes": [], "line": n}
        if key == "from":
            cur["pairs"].append((decode(val), None))
        elif key == "to":
            if not cur["pairs"] or cur["pairs"][-1][1] is not None:
                errors.append("%s:%d: to: without its from:" % (path, n))
            else:
                cur["pairs"][-1] = (cur["pairs"][-1][0], decode(val))
        elif key == "note":
            cur["notes"].append(val)
        elif key in cur:
            errors.append("%s:%d: second '%s:' in one mutant" % (path, n, key))
        else:
            cur[key] = val
    close(len(lines))
    seen = set()
    for m in mutants:
        if m.get("id") in seen:
            errors.append("%s:%d: duplicate id %s" % (path, m["line"], m["id"]))
        seen.add(m.get("id"))
    return mutants, errors


def stale_reason(m, root):
    try:
        with open("%s/%s" % (root, m["file"]), encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        return "cannot read %s: %s" % (m["file"], e.strerror)
    for frm, to in m["pairs"]:
        if frm == to:
            return "from: equals to:"
        k = text.count(frm)
        if k != 1:
            return "from: %r occurs %d times in %s" % (frm[:50], k, m["file"])
        text = text.replace(frm, to, 1)
    return None


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    mutants, errors = parse(argv[1])
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        return 2
    cmd = argv[2]
    if cmd == "list":
        for m in mutants:
            print("%s\t%s\t%s" % (m["id"], m["file"], m["why"]))
        return 0
    if cmd == "check" and len(argv) == 4:
        bad = 0
        for m in mutants:
            why = stale_reason(m, argv[3])
            if why:
                print("stale: %s: %s" % (m["id"], why))
                bad += 1
        print("%d mutants, %d stale" % (len(mutants), bad))
        return 1 if bad else 0
    if cmd == "apply" and len(argv) == 5:
        m = next((m for m in mutants if m["id"] == argv[3]), None)
        if m is None:
            print("no mutant %s" % argv[3], file=sys.stderr)
            return 2
        why = stale_reason(m, argv[4])
        if why:
            print(why)
            return 3
        path = "%s/%s" % (argv[4], m["file"])
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for frm, to in m["pairs"]:
            text = text.replace(frm, to, 1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
