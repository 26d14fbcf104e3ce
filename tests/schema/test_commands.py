#!/usr/bin/python3
"""The report schema holds each command to its own keys and notes.

Usage: test_commands.py SOURCE_ROOT
An analysis report (tests/golden/expected/loss.json) validates; the same
report with a key of a check, with the round-trip jitter note, with a stream
key in its file scope, or as another command's report does not.
"""
import copy
import json
import os
import sys

import jsonschema


def main(root):
    schema = json.load(open(os.path.join(root, "data", "schema", "report.schema.json")))
    v = jsonschema.Draft202012Validator(schema)
    text = open(os.path.join(root, "tests", "golden", "expected", "loss.json")).read()
    report = json.loads("\n".join(l for l in text.splitlines() if not l.startswith("stderr:")))
    failures = []

    def expect(valid, doc, what):
        if v.is_valid(doc) != valid:
            failures.append(what)

    expect(True, report, "the analysis report as it is")
    bad = copy.deepcopy(report)
    bad["metrics"]["online"] = None
    expect(False, bad, "an analysis report with the check's 'online'")
    bad = copy.deepcopy(report)
    bad["notes"] = ["Jitter is measured on the round trip and mixes both directions."]
    expect(False, bad, "an analysis report with the round-trip jitter note")
    bad = copy.deepcopy(report)
    file_scope = next(s for s in bad["scopes"] if s["kind"] == "file")
    file_scope["metrics"]["stream_loss_pct"] = None
    expect(False, bad, "a file scope with a stream key")
    bad = copy.deepcopy(report)
    stream = next(s for s in bad["scopes"] if s["kind"] == "stream")
    del stream["metrics"]["rtcp_rr_reports"]
    expect(False, bad, "a stream scope without one of its keys")
    bad = copy.deepcopy(report)
    bad["command"] = "check"
    expect(False, bad, "an analysis report called a check (the run lacks the check's keys)")
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print(f"{6 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
