"""Turns the JSON lines of benchmarks/compare/run into a markdown table of medians and ratios.

Usage: python3 summarize.py results.jsonl THREADS ROUNDS
"""

import json
import platform
import statistics
import subprocess
import sys


def cpu_name():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def java_version():
    out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return out[0] if out else "unknown"


def main():
    path, threads, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
    rows, torch_version = {}, "?"
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            rows.setdefault(r["row"], {}).setdefault(r["framework"], []).append(r)
            torch_version = r.get("version", torch_version)

    print(f"Machine: {cpu_name()}, {threads} threads per framework, {rounds} rounds, medians over rounds of "
          f"per-process medians. Tessera 0.1.0-SNAPSHOT on {java_version()} with OpenBLAS 0.3.31; "
          f"PyTorch {torch_version} (Debian python3-torch). Peak memory is the process's VmHWM.")
    print()
    print("| row | Tessera ms | PyTorch ms | time ratio | Tessera peak RSS MiB | PyTorch peak RSS MiB | memory ratio "
          "| Tessera tensor peak MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row, by in rows.items():
        if "tessera" not in by or "pytorch" not in by:
            continue
        t = statistics.median(r["median_ms"] for r in by["tessera"])
        p = statistics.median(r["median_ms"] for r in by["pytorch"])
        tm = statistics.median(r["peak_rss_mib"] for r in by["tessera"])
        pm = statistics.median(r["peak_rss_mib"] for r in by["pytorch"])
        tensors = statistics.median(r["peak_tensor_mib"] for r in by["tessera"])
        print(f"| {row} | {t:.1f} | {p:.1f} | {t / p:.2f} | {tm:.0f} | {pm:.0f} | {tm / pm:.2f} | {tensors:.0f} |")


if __name__ == "__main__":
    main()
