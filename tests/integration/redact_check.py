#!/usr/bin/env python3
"""redact_check.py PLAIN.json REDACTED.json OUTPUT... -- FORBIDDEN...

--redact's promises on one report: PLAIN.json is the report without
--redact, REDACTED.json the same report with it (precall show --redact
-f json), OUTPUT the redacted report in the other formats.
  1. No address of the plain report (IPv4 or IPv6, in any string), no host
     name of its targets and none of FORBIDDEN appears in any output.
  2. Walking both JSON reports side by side, the addresses of each string
     and the pseudonyms of its redacted twin pair up in order: one address
     always gives the same pseudonym, two addresses never share one, and the
     pseudonym names the address's family (ipv4-N, ipv6-N).
  3. Every pseudonym in the other outputs is one of those.
Prints what it checked; exit 1 on the first broken promise.
"""
import ipaddress
import json
import re
import sys

V4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)")
V6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")
PSEUDO = re.compile(r"\b(ipv4|ipv6)-(\d+)\b")


def addresses(s):
    """The addresses in s, in order, as (start, ip)."""
    found = []
    for m in V4.finditer(s):
        try:
            found.append((m.start(), ipaddress.ip_address(m.group(0))))
        except ValueError:
            pass
    for m in V6.finditer(s):
        text = m.group(0).rstrip(".")
        for cand in (text, text.rsplit(":", 1)[0]):
            try:
                found.append((m.start(), ipaddress.IPv6Address(cand)))
                break
            except ValueError:
                continue
    return [ip for _, ip in sorted(found, key=lambda x: x[0])]


def strings(a, b, path="$"):
    """Pairs of strings at the same place in a and b."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert list(a) == list(b), "%s: keys differ" % path
        for k in a:
            yield from strings(a[k], b[k], path + "." + k)
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), "%s: lengths differ" % path
        for i, (x, y) in enumerate(zip(a, b)):
            yield from strings(x, y, "%s[%d]" % (path, i))
    elif isinstance(a, str):
        assert isinstance(b, str), path
        yield path, a, b


def main(argv):
    sep = argv.index("--")
    plain_path, red_path, outputs, forbidden = argv[1], argv[2], argv[3:sep], argv[sep + 1:]
    plain, red = json.load(open(plain_path)), json.load(open(red_path))
    seen, back, hosts = {}, {}, set()
    for probe in plain.get("probes", {}).values():
        for t in probe.get("targets", []):
            try:
                ipaddress.ip_address(t["host"])
            except ValueError:
                hosts.add(t["host"])
    for path, a, b in strings(plain, red):
        ips, names = addresses(a), PSEUDO.findall(b)
        if len(ips) != len(names):
            sys.exit("FAIL %s: %d addresses in %r, %d pseudonyms in %r" % (path, len(ips), a, len(names), b))
        for ip, (fam, n) in zip(ips, names):
            p = "%s-%s" % (fam, n)
            if fam != "ipv%d" % ip.version:
                sys.exit("FAIL %s: %s became %s" % (path, ip, p))
            if seen.setdefault(ip, p) != p:
                sys.exit("FAIL %s: %s is %s here and %s before" % (path, ip, p, seen[ip]))
            if back.setdefault(p, ip) != ip:
                sys.exit("FAIL %s: %s stands for %s and %s" % (path, p, ip, back[p]))
    if not seen:
        sys.exit("FAIL no address in %s: nothing was tested" % plain_path)
    for out in [red_path] + outputs:
        text = open(out).read()
        for ip in seen:
            for form in {str(ip), ip.exploded}:
                if re.search(r"(?<![\w.:])" + re.escape(form) + r"(?![\w]|\.\d)", text):
                    sys.exit("FAIL %s: %s is in it" % (out, form))
        for word in list(hosts) + forbidden:
            if word.lower() in text.lower():
                sys.exit("FAIL %s: %r is in it" % (out, word))
        for fam, n in PSEUDO.findall(text):
            if "%s-%s" % (fam, n) not in back:
                sys.exit("FAIL %s: %s-%s stands for no address of the report" % (out, fam, n))
    print("ok: %d addresses, %d host names, %d outputs: %s" % (
        len(seen), len(hosts), len(outputs) + 1,
        ", ".join("%s=%s" % (ip, p) for ip, p in sorted(seen.items(), key=lambda x: x[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
