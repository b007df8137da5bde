#!/usr/bin/env python3
"""Runs the decision graphs of GoRules ZEN's test-data (each with embedded "tests": input and
expected output) through `lgraph run` and compares the results as ZEN's own test does: objects
without regard to key order, numbers as decimals (1.50 == 1.5).

    scripts/jdm_conformance.py LGRAPH ZEN_CHECKOUT/test-data/graphs [-v]

The clock is pinned where ZEN's test suite pins it (__ZEN_MOCK_UTC_TIME). Graphs with nodes
this library does not run (functionNode: JavaScript) are counted apart."""
import decimal
import json
import os
import pathlib
import subprocess
import sys


def load(text):
    return json.loads(text, parse_float=decimal.Decimal, parse_int=decimal.Decimal)


def main():
    lgraph, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    verbose = "-v" in sys.argv
    env = dict(os.environ, __ZEN_MOCK_UTC_TIME="2025-08-19T16:55:02.078Z")
    passed = failed = unsupported = 0
    failures = []
    for path in sorted(folder.glob("*.json")):
        graph = json.loads(path.read_text())
        if any(n.get("type") in ("functionNode", "customNode") for n in graph["nodes"]):
            unsupported += len(graph.get("tests", []))
            continue
        for i, case in enumerate(graph.get("tests", [])):
            run = subprocess.run([lgraph, "run", str(path), "-i", json.dumps(case["input"])],
                                 capture_output=True, text=True, env=env)
            expected = load(json.dumps(case["output"]))
            got = load(run.stdout) if run.returncode == 0 and run.stdout.strip() else None
            if got == expected:
                passed += 1
                continue
            failed += 1
            failures.append(f"{path.name} test {i}")
            if verbose:
                print(f"FAIL {path.name} test {i}: exit {run.returncode} {run.stderr.strip()}")
                print(f"  expected {json.dumps(case['output'], sort_keys=True)}")
                print(f"  got      {run.stdout.strip()}")
    total = passed + failed
    print(f"JDM graphs: {passed}/{total} test cases match ZEN's expected output "
          f"({100.0 * passed / max(total, 1):.1f}%); {unsupported} skipped (function nodes)")
    for failure in failures:
        print(f"  failed: {failure}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
