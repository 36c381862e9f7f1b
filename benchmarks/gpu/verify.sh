#!/usr/bin/env bash
# verify.sh - issue 6's checks of the CUDA backend in one command, run ON the lent GPU machine from the
# repository root, with the kit that this local command builds (cuda-backend's tests + the benchmarks):
#   ../shared/gpu/make-kit.sh -m cuda-backend -m benchmarks -- -o
# and this device-tool call (see cuda-backend/GPU.md, "Verifying on a lent GPU"):
#   run(command="bash benchmarks/gpu/verify.sh", carry=[".gpu-kit"], timeout_s=600)
#
#   bash benchmarks/gpu/verify.sh [PHASE...]     PHASE: conformance curve tessera torch (default: all four, in this order)
#
#   conformance  the tessera-cuda tests (core's BackendConformanceSuite on cuda:0 and the GPU unit tests), gpu.required=true
#   curve        dev.tessera.bench.gpu.FilmLossCurves: FiLM trained on the GPU and the CPU from the same weights and batches
#   tessera      dev.tessera.bench.compare.TesseraRows --device=cuda for the rows below, one JVM per row
#   torch        benchmarks/compare/torch_rows.py --device=cuda for the same rows with the venv's PyTorch, twice: with
#                TF32 off (the like-for-like FP32 baseline; Tessera runs TF32 off) and with PyTorch's defaults
# Everything lands in $OUT (at most 7 files; the device tool returns 8): verify.md (the report: verdicts, the Tessera vs
# PyTorch table, device and versions), verify.log (all output), rows.jsonl, curve.csv, test-tessera-cuda.log,
# TEST-tessera-cuda.xml, and the first hs_err_pid*.log if a JVM crashed. verify.md is rewritten after every phase, so a run
# cut short still reports what finished.
# Environment: VERIFY_BUDGET (seconds for all phases, default 540; each phase and row gets at most what is left),
#   VERIFY_PYTHON (default /opt/torch/.venv/bin/python), VERIFY_KIT (default .gpu-kit), VERIFY_THREADS (default nproc),
#   VERIFY_TEST_ARGS (words after "--" for the JUnit launcher, e.g. "--select-class=dev.tessera.cuda.CudaConformanceTest").
# Exit status: 0 when every phase that ran passed, 3 when no CUDA device was usable, else 1.
set -uo pipefail
cd "$(dirname "$0")/../.."

KIT=${VERIFY_KIT:-.gpu-kit}
PY=${VERIFY_PYTHON:-/opt/torch/.venv/bin/python}
THREADS=${VERIFY_THREADS:-$(nproc)}
BUDGET=${VERIFY_BUDGET:-540}
OUTDIR=${OUT:-/tmp/gpu-verify/out}
WORK=/tmp/gpu-verify
mkdir -p "$OUTDIR" "$WORK"
LOG="$OUTDIR/verify.log"
ROWS_JSONL="$OUTDIR/rows.jsonl"
STATUS="$WORK/status.tsv"        # phase <TAB> result <TAB> detail, read by gpu_report.py
: > "$LOG"; : > "$ROWS_JSONL"; : > "$STATUS"
START=$(date +%s)
[ -f "$KIT/run-on-gpu.sh" ] || { echo "verify: no $KIT/run-on-gpu.sh: build it with ../shared/gpu/make-kit.sh -m cuda-backend -m benchmarks and carry it" | tee -a "$LOG"; exit 2; }
[ -d "$KIT/modules/tessera-benchmarks" ] || { echo "verify: $KIT lacks the benchmarks module: rebuild with -m cuda-backend -m benchmarks" | tee -a "$LOG"; exit 2; }

# row | warm-up | timed iterations (the GPU rows of issue 6: FiLM and ResNet-50 train steps at batch 64, five convolutions)
ROWS="film step b64|2|5
resnet50 step b64|2|5
conv 224x224x3-128x4x4-s2|3|10
conv 112x112x128-128x4x4-s2|3|10
conv 56x56x130-128x1x1-s1|3|10
conv 56x56x128-128x3x3-s1|3|10
conv 56x56x130-512x1x1-s1|3|10"

say() { echo "== verify $(( $(date +%s) - START ))s: $*" | tee -a "$LOG"; }
left() { echo $(( BUDGET - ($(date +%s) - START) )); }
cap() { local want=$1 l; l=$(( $(left) - 5 )); [ "$l" -lt "$want" ] && want=$l; echo "$want"; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$STATUS"; }
report() {
  local p; p=$(command -v python3 || echo "$PY")
  "$p" benchmarks/gpu/gpu_report.py "$ROWS_JSONL" "$STATUS" "$WORK/meta.txt" > "$OUTDIR/verify.md" 2>>"$LOG" \
    || echo "verify: gpu_report.py failed (see verify.log)" >> "$OUTDIR/verify.md"
}
kit() { # run-on-gpu.sh with its own output folder (its main.log would overwrite itself), a time cap, output to the log
  local t=$1; shift
  OUT="$WORK/kit-out" GPU_KIT_TIMEOUT="$t" bash "$KIT/run-on-gpu.sh" "$@"
}
collect_crash() {
  local f; f=$(ls "$WORK"/kit-out/hs_err_pid*.log "$OUTDIR"/hs_err_pid*.log 2>/dev/null | head -1)
  [ -n "$f" ] && [ ! -e "$OUTDIR/$(basename "$f")" ] && [ -z "$(ls "$OUTDIR"/hs_err_pid*.log 2>/dev/null)" ] && cp "$f" "$OUTDIR/"
  return 0
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "gpu: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
  echo "kit: $(sed -n 's/^commit: //p' "$KIT/KIT-INFO.txt") built $(sed -n 's/^built: //p' "$KIT/KIT-INFO.txt"); $(sed -n 's/^jdk: //p' "$KIT/KIT-INFO.txt")"
  echo "torch: $("$PY" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda, "cuDNN", torch.backends.cudnn.version())' 2>&1 | tail -1)"
  echo "threads: $THREADS"
} > "$WORK/meta.txt"
cat "$WORK/meta.txt" >> "$LOG"
bash "$KIT/run-on-gpu.sh" diag >> "$LOG" 2>&1

phases=("$@"); [ ${#phases[@]} -gt 0 ] || phases=(conformance curve tessera torch)
skipped_gpu=0
failed=0
for phase in "${phases[@]}"; do
  case "$phase" in
    conformance)
      t=$(cap 240); say "conformance: tessera-cuda tests (cap ${t}s)"
      # shellcheck disable=SC2086
      OUT="$OUTDIR" GPU_KIT_TIMEOUT="$t" GPU_KIT_DETAILS=summary bash "$KIT/run-on-gpu.sh" test tessera-cuda ${VERIFY_TEST_ARGS:+-- $VERIFY_TEST_ARGS} >> "$LOG" 2>&1
      rc=$?
      counts=$(grep -E '^\[ +[0-9]+ tests (successful|failed|skipped|aborted) +\]' "$OUTDIR/test-tessera-cuda.log" 2>/dev/null \
               | sed -E 's/^\[ +([0-9]+) tests ([a-z]+) +\]/\1 \2/' | paste -sd, - | sed 's/,/, /g')
      if [ $rc -eq 0 ]; then record conformance pass "${counts:-exit 0}"; else record conformance fail "exit $rc; ${counts:-no JUnit summary (see test-tessera-cuda.log)}"; failed=1; fi
      collect_crash ;;
    curve)
      t=$(cap 180); say "curve: FiLM GPU vs CPU (cap ${t}s)"
      kit "$t" main dev.tessera.bench.gpu.FilmLossCurves 300 20 10 1e-3 8 "$THREADS" --csv="$OUTDIR/curve.csv" > "$WORK/curve.out" 2>&1
      rc=$?
      cat "$WORK/curve.out" >> "$LOG"
      json=$(grep '^{"check": "film loss curve"' "$WORK/curve.out" | tail -1)
      case $rc in
        0) record curve pass "$json" ;;
        3) record curve skipped "$(grep '^skipped:' "$WORK/curve.out" | head -1)"; skipped_gpu=1 ;;
        4) record curve fail "$json"; failed=1 ;;
        *) record curve fail "exit $rc: $(grep -E 'Exception|Error|TIMED OUT' "$WORK/curve.out" | head -2 | tr '\n' ' ')"; failed=1 ;;
      esac
      collect_crash ;;
    tessera)
      say "tessera: GPU rows"
      while IFS='|' read -r row warm iters; do
        t=$(cap 100); [ "$t" -lt 20 ] && { record "tessera $row" "not run" "budget spent"; continue; }
        kit "$t" main dev.tessera.bench.compare.TesseraRows "$row" "$warm" "$iters" "$THREADS" --device=cuda > "$WORK/row.out" 2>&1
        rc=$?
        cat "$WORK/row.out" >> "$LOG"
        line=$(grep '^{"framework": "tessera"' "$WORK/row.out" | tail -1)
        if [ -n "$line" ]; then echo "$line" >> "$ROWS_JSONL"; say "$line"
        elif [ $rc -eq 3 ]; then record "tessera $row" skipped "$(grep '^skipped:' "$WORK/row.out" | head -1)"; skipped_gpu=1
        else record "tessera $row" fail "exit $rc: $(grep -E 'Exception|Error|TIMED OUT' "$WORK/row.out" | head -2 | tr '\n' ' ')"; failed=1; fi
        collect_crash
      done <<< "$ROWS"
      record tessera done "" ;;
    torch)
      say "torch: the same rows with $PY"
      if ! why=$("$PY" -c 'import torch; assert torch.cuda.is_available(), "torch.cuda.is_available() is False"' 2>&1); then
        record torch skipped "$PY cannot use CUDA: $(echo "$why" | tail -1)"; skipped_gpu=1; report; continue
      fi
      for mode in fp32 tf32; do
        while IFS='|' read -r row warm iters; do
          t=$(cap 60); [ "$t" -lt 15 ] && { record "pytorch-$mode $row" "not run" "budget spent"; continue; }
          # fp32: TF32 off in cuBLAS and cuDNN (PyTorch's default lets cuDNN convolutions use TF32); tf32: PyTorch's defaults
          if [ $mode = fp32 ]; then off="torch.backends.cudnn.allow_tf32 = False; torch.backends.cuda.matmul.allow_tf32 = False"; env=(NVIDIA_TF32_OVERRIDE=0)
          else off="pass"; env=(); fi
          line=$(env "${env[@]}" PYTHONUNBUFFERED=1 timeout "$t" "$PY" -c "import runpy, sys, torch; $off; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')" \
                 benchmarks/compare/torch_rows.py "$row" "$warm" "$iters" "$THREADS" --device=cuda 2>>"$LOG" | grep '^{"framework": "pytorch"' | tail -1)
          if [ -n "$line" ]; then
            line=${line/\"framework\": \"pytorch\"/\"framework\": \"pytorch-$mode\"}
            echo "$line" >> "$ROWS_JSONL"; say "$line"
          else record "pytorch-$mode $row" fail "no result (see verify.log)"; failed=1; fi
        done <<< "$ROWS"
      done
      record torch done "" ;;
    *) echo "verify: unknown phase $phase (conformance curve tessera torch)" | tee -a "$LOG"; exit 2 ;;
  esac
  report
done
report
say "done; report in $OUTDIR/verify.md"
cat "$OUTDIR/verify.md"
[ $failed -eq 0 ] || exit 1
[ $skipped_gpu -eq 0 ] || exit 3
exit 0
