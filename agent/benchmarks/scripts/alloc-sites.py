#!/usr/bin/env python3
"""Sums JFR allocation samples (jdk.ObjectAllocationSample weights) by allocation site.

Usage: jfr print --events jdk.ObjectAllocationSample --stack-depth 64 profile.jfr > alloc.txt
       python3 alloc-sites.py alloc.txt [top]

Only the JMH worker threads and the span processor's worker are counted. Each sample is charged to
the innermost io.picortex.agent frame (what our code did) and, separately, to its allocating frame
(the innermost frame outside java.*/jdk.*/sun.*) and object class.
"""
import sys
from collections import defaultdict

UNITS = {"bytes": 1, "kB": 1024, "MB": 1024**2, "GB": 1024**3}


def events(path):
    event = None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("jdk.ObjectAllocationSample"):
            event = {"frames": []}
        elif event is None:
            continue
        elif line.startswith("}"):
            yield event
            event = None
        elif line.strip().startswith("objectClass = "):
            event["class"] = line.split("=", 1)[1].split("(")[0].strip()
        elif line.strip().startswith("weight = "):
            number, unit = line.split("=", 1)[1].split()
            event["weight"] = float(number.replace(",", "")) * UNITS.get(unit, 1)
        elif line.strip().startswith("eventThread = "):
            event["thread"] = line.split("=", 1)[1].strip()
        elif line.startswith("    ") and "(" in line and not line.strip().startswith("..."):
            event["frames"].append(line.strip().split("(")[0])


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    by_ours = defaultdict(float)
    by_site = defaultdict(float)
    by_thread = defaultdict(float)
    total = 0.0
    for e in events(path):
        thread = e.get("thread", "")
        worker = "BatchSpanProcessor" in thread
        if "jmh-worker" not in thread and not worker:
            continue
        w = e.get("weight", 0.0)
        total += w
        by_thread["span processor worker" if worker else "benchmark thread"] += w
        frames = e["frames"]
        ours = next((f for f in frames if f.startswith("io.picortex.agent.")), None)
        by_ours[(ours or "(not under io.picortex.agent)") + (" [bsp]" if worker else "")] += w
        site = next((f for f in frames if not f.startswith(("java.", "jdk.", "sun."))), "?")
        by_site[site + " -> " + e.get("class", "?") + (" [bsp]" if worker else "")] += w
    print("total sampled: %.0f MB" % (total / 1024**2))
    for name, table in (("thread", by_thread), ("innermost agent frame", by_ours),
                        ("allocating frame -> class", by_site)):
        print("\n%-100s %6s" % ("by " + name, "share"))
        for key, w in sorted(table.items(), key=lambda kv: -kv[1])[:top]:
            print("%-100s %5.1f%%" % (key[:100], 100 * w / total))


if __name__ == "__main__":
    main()
