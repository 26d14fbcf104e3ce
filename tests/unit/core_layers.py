#!/usr/bin/python3
"""unit.core_layers: no circle between the files of src/core, and the scoring
steps call only down the pipeline (derive -> score -> advice -> headline,
verdict.c on top running them in order).

Usage: core_layers.py LIBRARY SRC_CORE_DIR
Reads who calls whom from the static library's symbol tables (nm -A: the
symbols each object defines and the ones it uses), keeps the objects built
from SRC_CORE_DIR/*.c, and fails on any cycle among them (printed) or on a
call from a scoring step to a later one.
"""
import collections
import os
import subprocess
import sys

lib, core = sys.argv[1], sys.argv[2]
core_objs = {f + ".o" for f in os.listdir(core) if f.endswith(".c")}
out = subprocess.run(["nm", "-A", lib], capture_output=True, text=True, check=True).stdout
defs, uses = {}, collections.defaultdict(set)
for line in out.splitlines():
    parts = line.split()
    if len(parts) < 2:
        continue
    obj = parts[0].split(":")[-2]
    kind, sym = parts[-2], parts[-1]
    if kind in ("T", "D", "B", "R"):
        defs[sym] = obj
    elif kind == "U":
        uses[obj].add(sym)
calls = collections.defaultdict(set)
for obj, syms in uses.items():
    for s in syms:
        if obj in core_objs and defs.get(s) in core_objs and defs[s] != obj:
            calls[obj].add(defs[s])
failed = 0
missing = [o for o in ("score.c.o", "advice.c.o", "derive.c.o", "headline.c.o", "verdict.c.o")
           if o not in core_objs or o not in {d for d in defs.values()}]
if missing:
    print("FAIL: not in the library:", missing)
    failed += 1

# Cycles: depth-first search with colours.
colour, stack = {}, []


def visit(o):
    global failed
    colour[o] = 1
    stack.append(o)
    for n in sorted(calls[o]):
        if colour.get(n) == 1:
            print("FAIL: circle:", " -> ".join(stack[stack.index(n):] + [n]))
            failed += 1
        elif n not in colour:
            visit(n)
    stack.pop()
    colour[o] = 2


for o in sorted(core_objs):
    if o not in colour:
        visit(o)

# The pipeline's order: a step may call the ones before it, never after.
steps = ["derive.c.o", "score.c.o", "advice.c.o", "headline.c.o", "verdict.c.o"]
for i, s in enumerate(steps):
    for later in steps[i + 1:]:
        if later in calls[s]:
            print("FAIL: %s calls %s, a later step" % (s, later))
            failed += 1
print("verdict.c.o runs:", sorted(calls["verdict.c.o"]))
print("%d objects of src/core, %d calls between them, %d failures" %
      (len(core_objs), sum(len(v) for v in calls.values()), failed))
sys.exit(1 if failed else 0)
