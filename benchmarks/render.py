#!/usr/bin/env python3
"""Turns a JMH JSON result file into a Markdown table (benchmark, parameters, ops/s, error)."""
import json
import sys


def main(path, note):
    results = json.load(open(path))
    print(f"Results from `{path.split('/')[-1]}` ({note}).\n")
    print("| benchmark | parameters | threads | ops/s | ± (99.9%) |")
    print("|---|---|---:|---:|---:|")
    for r in results:
        name = r["benchmark"].replace("dev.keyline.bench.", "")
        params = ", ".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
        m = r["primaryMetric"]
        err = m.get("scoreError")
        # JMH writes "NaN" (a string) when there are too few iterations for an error estimate
        err = "" if not isinstance(err, (int, float)) or err != err else f"{err:,.0f}"
        print(f"| {name} | {params} | {r['threads']} | {m['score']:,.0f} | {err} |")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
