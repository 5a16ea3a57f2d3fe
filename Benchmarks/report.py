#!/usr/bin/env python3
"""Turns the run's results.jsonl into the table Benchmarks/run prints: medians over the measured rounds
(round 0 is the warm-up and is left out), ratios against the C client, and the issue's targets."""
import argparse
import datetime
import json
import statistics

PEERS = [("c", "C (floor)"), ("netcf", "NetCF"), ("native", "native"), ("nio", "swift-nio-ssl"), ("python", "Python ssl")]
# (key, label, unit, metric, higher is better)
ROWS = [
    ("bulk", "bulk throughput", "MB/s", lambda r: r["bytes"] / r["seconds"] / 1e6, True),
    ("bulk-cpu", "bulk CPU", "s/GiB", lambda r: r["cpu"] / (r["bytes"] / 2**30), False),
    ("handshakes", "full handshakes", "1/s", lambda r: r["count"] / r["seconds"], True),
    ("starttls", "STARTTLS sessions", "1/s", lambda r: r["count"] / r["seconds"], True),
    ("lines", "line reading", "MB/s", lambda r: r["bytes"] / r["seconds"] / 1e6, True),
    ("idle", "memory/connection", "KiB", lambda r: (r["rss_after_kb"] - r["rss_before_kb"]) / r["count"], False),
]
TARGETS = {"bulk": 0.95, "bulk-cpu": None, "handshakes": 0.95, "starttls": 0.9, "lines": 0.5, "idle": 1.2}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("results")
    for name in ("cpu", "cores", "openssl", "python", "swift", "sizes", "seconds"):
        p.add_argument("--" + name, default="?")
    a = p.parse_args()
    samples = {}
    with open(a.results) as f:
        for line in f:
            r = json.loads(line)
            if r["round"] == 0:
                continue
            for key, _, _, metric, _ in ROWS:
                if key.split("-")[0] == r["workload"]:
                    samples.setdefault((key, r["peer"]), []).append(metric(r["result"]))
    med = {k: statistics.median(v) for k, v in samples.items()}

    print(f"WinsockSSL client benchmarks, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"CPU: {a.cpu} ({a.cores} cores) | {a.openssl} | Python {a.python} | {a.swift}")
    print(f"swift-nio-ssl uses its own BoringSSL. Sizes: {a.sizes}. Run time {a.seconds} s.")
    print("Medians of the measured rounds (warm-up left out); (x) = ratio to C; [lo-hi] = min-max over rounds.")
    print()
    head = f"{'workload':<19} {'unit':<6}" + "".join(f" {label:>22}" for _, label in PEERS)
    print(head)
    print("-" * len(head))
    for key, label, unit, _, _ in ROWS:
        base = med.get((key, "c"))
        cells = []
        for peer, _ in PEERS:
            v = med.get((key, peer))
            if v is None:
                cells.append(f"{'n/a':>22}")
            elif peer == "c" or not base:
                cells.append(f"{fmt(v):>22}")
            else:
                cells.append(f"{fmt(v) + f' ({v / base:.2f}x)':>22}")
        print(f"{label:<19} {unit:<6}" + "".join(" " + c for c in cells))
    print()
    print(f"{'spread (min-max)':<26}" + "".join(f" {label:>22}" for _, label in PEERS))
    for key, label, unit, _, _ in ROWS:
        cells = []
        for peer, _ in PEERS:
            v = samples.get((key, peer))
            cells.append(f"{(fmt(min(v)) + '-' + fmt(max(v))) if v else 'n/a':>22}")
        print(f"{label:<26}" + "".join(" " + c for c in cells))
    print()
    print("Targets (issue 6): bulk, handshakes >= 0.95x C; STARTTLS >= 0.9x; lines >= 0.5x; memory <= 1.2x;")
    print("ahead of swift-nio-ssl and Python on every workload.")
    for peer, label in PEERS[1:3]:
        verdicts = []
        for key, name, _, _, higher in ROWS:
            v, base = med.get((key, peer)), med.get((key, "c"))
            if v is None or not base:
                continue
            ratio = v / base
            target = TARGETS[key]
            parts = []
            if target is not None:
                ok = ratio >= target if higher else ratio <= target
                parts.append(f"{ratio:.3f}x vs {'>=' if higher else '<='}{target}: {'met' if ok else 'MISSED'}")
            for other in ("nio", "python"):
                o = med.get((key, other))
                if o is not None:
                    ahead = v > o if higher else v < o
                    parts.append(f"{'ahead of' if ahead else 'BEHIND'} {other}")
            verdicts.append(f"  {name}: " + ", ".join(parts))
        print(f"{label}:")
        print("\n".join(verdicts))


def fmt(v):
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


if __name__ == "__main__":
    main()
