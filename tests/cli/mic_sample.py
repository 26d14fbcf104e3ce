#!/usr/bin/python3
"""A microphone for machines without one: ALSA's file plugin reading a sample.

Usage: mic_sample.py DIR
Writes DIR/voice.raw, 1.25 s of S16_LE mono at 48 kHz (a faint hiss of about
-58 dBFS and a vowel-like tone in the middle, about -21 dBFS RMS; no
randomness, the same bytes every time), and DIR/mic.conf, an ALSA
configuration whose default capture device reads it. Point ALSA_CONFIG_PATH
at DIR/mic.conf. Used by the tests, the README's examples and the devices
benchmark.
"""
import math
import os
import struct
import sys

d = sys.argv[1]
x, out = 12345, []
for i in range(60000):
    x = (1103515245 * x + 12345) % 2**31
    v = 60 * (x / 2**30 - 1)
    if 12000 < i < 36000:
        v += 4000 * math.sin(2 * math.pi * 220 * i / 48000) + 2000 * math.sin(2 * math.pi * 660 * i / 48000)
    out.append(struct.pack("<h", int(v)))
raw = os.path.join(d, "voice.raw")
with open(raw, "wb") as f:
    f.write(b"".join(out))
with open(os.path.join(d, "mic.conf"), "w") as f:
    f.write('pcm.!default {\n  type file\n  slave.pcm "nullpcm"\n  file "/dev/null"\n'
            '  infile "%s"\n  format "raw"\n}\npcm.nullpcm { type null }\n' % raw)
