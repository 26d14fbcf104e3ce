#!/usr/bin/python3
"""Checks of an HTML report as a browser rendered it (tests/cli/test_html.sh).

html_page.py shot FILE.png
    The screenshot is not blank: its pixels (read with zlib, PNG filters
    undone) hold more than one colour, and more than 1 % of them are not
    the page's background (the top-left pixel).
html_page.py dom DUMP.html VERDICT
    Chromium's --dump-dom of the page: its <h1> is VERDICT, it has no
    <script>, and no element has a src= or href= but '#...' or 'data:'
    (nothing the page could fetch), nor a style with url(.
"""
import struct
import sys
import zlib
from html.parser import HTMLParser


def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return [bytes(r[i:i + 3]) for r in rows for i in range(0, stride, bpp)]


def shot(path):
    px = pixels(path)
    colours = set(px)
    background = px[0]
    ink = sum(1 for p in px if p != background)
    assert len(colours) > 1, "the screenshot is one colour"
    assert ink > len(px) // 100, f"only {ink} of {len(px)} pixels are not the background"
    print(f"{len(colours)} colours, {100 * ink // len(px)} % not background")


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1, self.in_h1, self.bad = [], False, []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.bad.append("a <script> element")
        if tag == "h1":
            self.in_h1 = True
        for k, v in attrs:
            v = v or ""
            if k in ("src", "href", "srcset", "action", "poster", "data") and not (
                    v.startswith("#") or v.startswith("data:")):
                self.bad.append(f"<{tag} {k}={v!r}>")
            if k == "style" and "url(" in v:
                self.bad.append(f"<{tag} style={v!r}>")

    def handle_endtag(self, tag):
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.in_h1:
            self.h1.append(data)


def dom(path, verdict):
    text = open(path, encoding="utf-8").read()
    d = Dom()
    d.feed(text)
    assert not d.bad, d.bad
    assert "".join(d.h1) == verdict, ("".join(d.h1), verdict)
    assert "url(" not in text and "@import" not in text, "the style fetches something"


if __name__ == "__main__":
    if sys.argv[1] == "shot":
        shot(sys.argv[2])
    else:
        dom(sys.argv[2], sys.argv[3])
