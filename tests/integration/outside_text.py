#!/usr/bin/env python3
"""outside_text.py KIND FILE...: check precall output that carries text from
outside (--stun values, profile names, file names) for what a terminal or a
JSON parser must never see. KIND:

  json    one JSON document: strict UTF-8; no control character (C0, DEL,
          C1) in any key or string once parsed
  ndjson  one JSON document per line, each as above
  text    strict UTF-8; no control character but newline; no ESC byte

Prints one line per problem and exits 1 if there was any."""
import json
import sys


def bad_char(ch):
    o = ord(ch)
    return o < 0x20 or o == 0x7F or 0x80 <= o <= 0x9F


def walk(v, where, problems):
    if isinstance(v, str):
        if any(bad_char(c) for c in v):
            problems.append("%s: control character in %r" % (where, v))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, "%s[%d]" % (where, i), problems)
    elif isinstance(v, dict):
        for k, x in v.items():
            walk(k, where + " (key)", problems)
            walk(x, "%s.%s" % (where, k), problems)


def check(kind, path, problems):
    data = open(path, "rb").read()
    if b"\x1b" in data:
        problems.append("%s: ESC byte at offset %d" % (path, data.index(b"\x1b")))
    try:
        text = data.decode("utf-8")  # strict: invalid UTF-8 raises
    except UnicodeDecodeError as e:
        problems.append("%s: not UTF-8: %s" % (path, e))
        return
    if kind == "text":
        for i, c in enumerate(text):
            if c != "\n" and bad_char(c):
                problems.append("%s: control character U+%04X at %d: %r" %
                                (path, ord(c), i, text[max(0, i - 30):i + 30]))
                break
        return
    docs = [text] if kind == "json" else [ln for ln in text.split("\n") if ln]
    if not docs:
        problems.append("%s: empty" % path)
    for n, d in enumerate(docs):
        try:
            walk(json.loads(d), "%s#%d" % (path, n), problems)
        except ValueError as e:
            problems.append("%s#%d: not JSON: %s" % (path, n, e))


def main():
    kind, problems = sys.argv[1], []
    for path in sys.argv[2:]:
        check(kind, path, problems)
    for p in problems:
        print("  " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
