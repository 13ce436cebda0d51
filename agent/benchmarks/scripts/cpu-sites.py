#!/usr/bin/env python3
"""Sums JFR CPU samples (jdk.ExecutionSample) of the JMH worker threads by method.

Usage: jfr print --events jdk.ExecutionSample --stack-depth 64 profile.jfr > cpu.txt
       python3 cpu-sites.py cpu.txt [top]

Each sample is charged to its top frame (self time) and to the innermost io.picortex.agent frame
on its stack (what our code was doing, SDK calls included).
"""
import sys
from collections import Counter


def samples(path):
    sample = None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("jdk.ExecutionSample"):
            sample = {"frames": [], "thread": ""}
        elif sample is None:
            continue
        elif line.startswith("}"):
            yield sample
            sample = None
        elif line.strip().startswith("sampledThread = "):
            sample["thread"] = line.split("=", 1)[1]
        elif line.startswith("    ") and not line.strip().startswith(("]", "...")) and "(" in line:
            sample["frames"].append(line.strip().split("(")[0])


def main():
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    self_time, ours = Counter(), Counter()
    n = 0
    for s in samples(sys.argv[1]):
        if "jmh-worker" not in s["thread"] or not s["frames"]:
            continue
        n += 1
        self_time[s["frames"][0]] += 1
        ours[next((f for f in s["frames"] if f.startswith("io.picortex.agent.")), "(outside)")] += 1
    print("samples: %d" % n)
    for name, table in (("self (top frame)", self_time), ("innermost agent frame", ours)):
        print("\n%-90s %6s" % ("by " + name, "share"))
        for key, c in table.most_common(top):
            print("%-90s %5.1f%%" % (key[:90], 100.0 * c / n))


if __name__ == "__main__":
    main()
