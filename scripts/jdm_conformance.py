#!/usr/bin/env python3
"""Runs the decision graphs of GoRules ZEN's test-data (each with embedded "tests": input and
expected output) through `lgraph run` and compares the results as ZEN's own test does: objects
without regard to key order, numbers as decimals (1.50 == 1.5). Cases equal only once their
numbers are read as IEEE doubles, as a JSON client reads them, are counted apart.

    scripts/jdm_conformance.py LGRAPH ZEN_CHECKOUT/test-data/graphs [-v]

The clock is pinned where ZEN's test suite pins it (__ZEN_MOCK_UTC_TIME). Graphs with nodes
this library does not run (functionNode: JavaScript) are counted apart."""
import decimal
import json
import os
import pathlib
import subprocess
import sys


def as_doubles(value):
    if isinstance(value, dict):
        return {k: as_doubles(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_doubles(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def load(text):
    return json.loads(text, parse_float=decimal.Decimal, parse_int=decimal.Decimal)


def dump(value):
    """JSON text with decimals written as the file wrote them, digit for digit."""
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dump(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    if isinstance(value, decimal.Decimal):
        return str(value)
    return json.dumps(value)


def main():
    lgraph, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    verbose = "-v" in sys.argv
    env = dict(os.environ, __ZEN_MOCK_UTC_TIME="2025-08-19T16:55:02.078Z")
    passed = failed = unsupported = as_double = 0
    failures = []
    beyond_double = []  # equal once read as IEEE doubles, as a JSON client reads them
    for path in sorted(folder.glob("*.json")):
        graph = json.loads(path.read_text(), parse_float=decimal.Decimal)
        if any(n.get("type") in ("functionNode", "customNode") for n in graph["nodes"]):
            unsupported += len(graph.get("tests", []))
            continue
        for i, case in enumerate(graph.get("tests", [])):
            run = subprocess.run([lgraph, "run", str(path), "-i", dump(case["input"])],
                                 capture_output=True, text=True, env=env)
            expected = load(dump(case["output"]))
            got = load(run.stdout) if run.returncode == 0 and run.stdout.strip() else None
            if got == expected:
                passed += 1
                continue
            if got is not None and as_doubles(got) == as_doubles(expected):
                as_double += 1
                beyond_double.append(f"{path.name} test {i}")
                continue
            failed += 1
            failures.append(f"{path.name} test {i}")
            if verbose:
                print(f"FAIL {path.name} test {i}: exit {run.returncode} {run.stderr.strip()}")
                print(f"  expected {dump(case['output'])}")
                print(f"  got      {run.stdout.strip()}")
    total = passed + failed + as_double
    print(f"JDM graphs: {passed}/{total} test cases match ZEN's expected output digit for digit "
          f"({100.0 * passed / max(total, 1):.1f}%), {passed + as_double}/{total} read as "
          f"doubles; {unsupported} skipped (function nodes)")
    for case in beyond_double:
        print(f"  differs past a double's 17 digits: {case}")
    for failure in failures:
        print(f"  failed: {failure}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
