#!/usr/bin/python3
"""Write a copy of the therapy profile without the limits of some probes.

Usage: profile_without.py THERAPY.json OUT.json PROBE...
PROBE is system, devices or bandwidth: the copy drops the limits of what that
probe measures, so that a check run with '--skip PROBE,...' and the copy is
whole, not partial, and its verdict is about what the test is about (CI's
machine has no camera or microphone; no test reaches the public internet).
The name stays.
"""
import json
import sys

LIMITS = {
    "system": ("cpu_count", "memory_total_mib"),
    "devices": ("camera_video_height_px", "mic_present", "mic_hears_sound"),
    "bandwidth": ("download_mbps", "upload_mbps", "bufferbloat_ms"),
}

p = json.load(open(sys.argv[1], encoding="utf-8"))
for probe in sys.argv[3:]:
    for k in LIMITS[probe]:
        p["thresholds"].pop(k, None)
json.dump(p, open(sys.argv[2], "w", encoding="utf-8"), indent=2)
