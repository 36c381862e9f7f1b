"""Writes benchmarks/gpu/verify.sh's report: the checks' verdicts and a Tessera-vs-PyTorch table for one GPU.

Usage: python3 gpu_report.py rows.jsonl status.tsv meta.txt > verify.md
rows.jsonl holds TesseraRows' and torch_rows.py's JSON lines (framework "tessera", "pytorch-fp32", "pytorch-tf32"),
status.tsv one "phase<TAB>result<TAB>detail" line per check, meta.txt "key: value" lines (gpu, kit, torch, ...).
"""

import json
import sys


def read_rows(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                rows.setdefault(r["row"], {})[r["framework"]] = r
    return rows


def ms(r):
    return f"{r['median_ms']:.2f}" if r else "-"


def ratio(a, b):
    return f"{a['median_ms'] / b['median_ms']:.2f}x" if a and b and b["median_ms"] > 0 else "-"


def mib(r, key):
    return f"{r[key]:.0f}" if r and key in r else "-"


def main():
    rows_path, status_path, meta_path = sys.argv[1:4]
    meta = {}
    with open(meta_path) as f:
        for line in f:
            if ": " in line:
                k, v = line.rstrip("\n").split(": ", 1)
                meta[k] = v
    print("# Tessera CUDA backend on a lent GPU (issue 6)\n")
    print(f"- GPU: {meta.get('gpu', '?')}")
    print(f"- Tessera: kit {meta.get('kit', '?')}")
    print(f"- PyTorch: {meta.get('torch', '?')}")
    print(f"- run: {meta.get('date', '?')}, {meta.get('threads', '?')} CPU threads for the CPU side of the curve check\n")

    print("## Checks\n")
    print("| check | result | detail |")
    print("|---|---|---|")
    with open(status_path) as f:
        for line in f:
            phase, result, detail = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            if result == "done":
                continue
            if detail.startswith("{"):
                d = json.loads(detail)
                detail = (f"max rel. loss diff {d['max_rel_diff_checked']:.2e} over the first {d['checked_steps']} steps "
                          f"(tolerance {d['tolerance']:.0e}), {d['max_rel_diff_all_cpu_steps']:.2e} over {d['cpu_steps']} "
                          f"CPU steps; GPU loss {d['gpu_first_loss']:.4f} -> {d['gpu_last10_mean_loss']:.4f} "
                          f"(mean of the last 10 of {d['gpu_steps']}); {d['gpu_ms_per_step']:.1f} ms/step GPU, "
                          f"{d['cpu_ms_per_step']:.0f} ms/step CPU at batch {d['batch']}")
            print(f"| {phase} | {result} | {detail.replace('|', '/')} |")

    rows = read_rows(rows_path)
    print("\n## One training step / fwd+bwd, median ms (same GPU, one process per row and framework)\n")
    print("| row | Tessera | PyTorch FP32 | Tessera / PyTorch FP32 | PyTorch default (TF32 convs) | "
          "Tessera / PyTorch default | peak MiB Tessera (allocator) | peak MiB PyTorch |")
    print("|---|---|---|---|---|---|---|---|")
    for row, fw in rows.items():
        t, p32, ptf = fw.get("tessera"), fw.get("pytorch-fp32"), fw.get("pytorch-tf32")
        print(f"| {row} | {ms(t)} | {ms(p32)} | {ratio(t, p32)} | {ms(ptf)} | {ratio(t, ptf)} | "
              f"{mib(t, 'peak_device_mib')} | {mib(p32, 'peak_device_mib')} |")
    print("\nTessera runs FLOAT32 with TF32 off (cuBLAS default math, cuDNN FMA math). \"PyTorch FP32\" sets "
          "`torch.backends.cudnn.allow_tf32 = False`, `torch.backends.cuda.matmul.allow_tf32 = False` and "
          "`NVIDIA_TF32_OVERRIDE=0`; \"PyTorch default\" leaves PyTorch's defaults (TF32 for cuDNN convolutions). "
          "Peaks are after the warm-up: Tessera's caching allocator (size classes, bytes in use), PyTorch's "
          "`torch.cuda.max_memory_allocated()`. Conv rows: batch 8, NHWC in Tessera and NCHW in PyTorch, TF 'same' padding.")


if __name__ == "__main__":
    main()
