#!/usr/bin/env python3
"""Markdown table (ns/op, B/op) from a JMH JSON result file (-rf json -rff FILE).

"best iteration" is the fastest measurement iteration: on a shared machine it is the one least
disturbed by other processes, a better guide than the mean when the error is large.
"""
import json
import sys


def main():
    rows = json.load(open(sys.argv[1]))
    print("| benchmark | ns/op | ± (99.9%) | best iteration ns/op | B/op |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        name = r["benchmark"].replace("io.picortex.benchmarks.", "")
        params = r.get("params") or {}
        if params:
            name += " (" + ", ".join("%s=%s" % kv for kv in params.items()) + ")"
        primary = r["primaryMetric"]
        alloc = (r.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm", {}).get("score")
        error = primary.get("scoreError")
        best = min(v for fork in primary.get("rawData", [[primary["score"]]]) for v in fork)
        print("| %s | %.1f | %s | %.1f | %s |" % (
            name, primary["score"],
            "%.1f" % error if isinstance(error, (int, float)) and error == error else "",
            best,
            "%.0f" % alloc if alloc is not None else ""))


if __name__ == "__main__":
    main()
