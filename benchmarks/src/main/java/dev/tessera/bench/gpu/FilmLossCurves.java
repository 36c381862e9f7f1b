package dev.tessera.bench.gpu;

import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.bench.compare.FilmBatch;
import dev.tessera.cpu.CpuBackend;
import dev.tessera.cuda.CudaBackend;
import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.memory.MemoryScope;
import dev.tessera.nn.Parameter;
import dev.tessera.optim.Adam;
import dev.tessera.zoo.FiLMVqaModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains the coursework FiLM model ({@code new FiLMVqaModel(82, 30)}, Adam 3e-4, sparse cross-entropy on logits)
 * on cuda:0 and on the CPU from the same initial weights over the same generated batches, prints both loss curves
 * and their relative difference, and fails when the first steps differ by more than a float32 tolerance.
 *
 * <p>Usage: {@code FilmLossCurves [GPU_STEPS=300] [CPU_STEPS=20] [CHECKED_STEPS=10] [TOLERANCE=1e-3] [BATCH=8]
 * [THREADS=all cores] [--csv=PATH]}. The batches cycle through a pool of 8 (seeds 100+i, 200+i, 300+i), so the
 * loss falls as the model memorises them. Both models are built from seed 1; the GPU model then receives the CPU
 * model's values, so the curves start from bit-identical weights (the largest initial difference is printed too).
 * Exit codes: 0 the curves agree, {@link #DIVERGED} they do not, 2 bad arguments, {@link CudaGate#SKIPPED} no
 * usable CUDA device. The last line is one JSON object with the verdict and the figures.
 *
 * <p>Why {@code 1e-3} over the first 10 steps: both runs compute in float32 with different summation orders
 * (cuDNN and cuBLAS against the CPU kernels), which moves the step-0 loss by about 1e-6 relative; the training
 * steps amplify such differences slowly, so a relative gap of 1e-3 within 10 Adam steps at 3e-4 means a real
 * numerical difference (a wrong kernel changes the loss by far more), not rounding.
 */
public final class FilmLossCurves {
    /** The exit code when the curves differ beyond the tolerance in the checked steps. */
    public static final int DIVERGED = 4;

    private static final int POOL = 8;

    private FilmLossCurves() {
    }

    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>();
        Path csv = null;
        for (String a : args) {
            if (a.startsWith("--csv=")) {
                csv = Path.of(a.substring("--csv=".length()));
            } else {
                positional.add(a);
            }
        }
        int gpuSteps;
        int cpuSteps;
        int checked;
        double tolerance;
        int batch;
        int threads;
        try {
            gpuSteps = Integer.parseInt(arg(positional, 0, "300"));
            cpuSteps = Integer.parseInt(arg(positional, 1, "20"));
            checked = Integer.parseInt(arg(positional, 2, "10"));
            tolerance = Double.parseDouble(arg(positional, 3, "1e-3"));
            batch = Integer.parseInt(arg(positional, 4, "8"));
            threads = Integer.parseInt(arg(positional, 5, Integer.toString(Runtime.getRuntime().availableProcessors())));
        } catch (NumberFormatException e) {
            System.err.println("usage: FilmLossCurves [GPU_STEPS] [CPU_STEPS] [CHECKED_STEPS] [TOLERANCE] [BATCH] [THREADS]"
                    + " [--csv=PATH]: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (checked > cpuSteps || cpuSteps > gpuSteps || checked < 1 || batch < 1) {
            System.err.println("FilmLossCurves: need 1 <= CHECKED_STEPS <= CPU_STEPS <= GPU_STEPS and BATCH >= 1 — got "
                    + checked + ", " + cpuSteps + ", " + gpuSteps + ", batch " + batch);
            System.exit(2);
            return;
        }
        CudaBackend cuda = CudaGate.openOrExit("the FiLM loss-curve check");
        CpuBackend.setThreads(threads);
        System.out.println("backend: " + cuda + "; CPU threads " + CpuBackend.threads());

        List<FilmBatch> cpuData = new ArrayList<>();
        List<FilmBatch> gpuData = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            FilmBatch b = FilmBatch.random(batch, 100 + i, 200 + i, 300 + i);
            cpuData.add(b);
            gpuData.add(b.to(cuda.device()));
        }
        FiLMVqaModel cpuModel = build(Device.cpu(), cpuData.get(0));
        FiLMVqaModel gpuModel = build(cuda.device(), gpuData.get(0));
        double initialDifference = copyWeights(cpuModel, gpuModel);
        System.out.printf(Locale.ROOT, "initial weights built on each device from seed 1: max |gpu - cpu| = %.3g"
                + " (then the CPU values are copied to the GPU model)%n", initialDifference);

        long gpuStart = System.nanoTime();
        double[] gpu = train(gpuModel, gpuData, gpuSteps);
        double gpuMs = (System.nanoTime() - gpuStart) / 1e6 / gpuSteps;
        long cpuStart = System.nanoTime();
        double[] cpu = train(cpuModel, cpuData, cpuSteps);
        double cpuMs = (System.nanoTime() - cpuStart) / 1e6 / cpuSteps;

        double maxChecked = 0;
        double maxCompared = 0;
        boolean finite = true;
        System.out.println("step  gpu_loss      cpu_loss      rel_diff");
        for (int s = 0; s < gpuSteps; s++) {
            finite &= Double.isFinite(gpu[s]);
            if (s < cpuSteps) {
                finite &= Double.isFinite(cpu[s]);
                double rel = Math.abs(gpu[s] - cpu[s]) / Math.max(Math.abs(cpu[s]), 1e-12);
                maxCompared = Math.max(maxCompared, rel);
                if (s < checked) {
                    maxChecked = Math.max(maxChecked, rel);
                }
                System.out.printf(Locale.ROOT, "%4d  %.8f  %.8f  %.3e%s%n", s, gpu[s], cpu[s], rel,
                        s < checked ? (rel > tolerance ? "  > tolerance" : "") : "  (not checked)");
            } else if (s % 10 == 9 || s == gpuSteps - 1) {
                System.out.printf(Locale.ROOT, "%4d  %.8f%n", s, gpu[s]);
            }
        }
        if (csv != null) {
            writeCsv(csv, gpu, cpu);
        }
        boolean pass = finite && !(maxChecked > tolerance);
        System.out.printf(Locale.ROOT, "%s: max relative loss difference %.3e over the first %d steps (tolerance %.1e),"
                + " %.3e over all %d CPU steps; GPU loss %.4f -> %.4f over %d steps (mean of the last 10: %.4f)%n",
                pass ? "PASS" : "FAIL", maxChecked, checked, tolerance, maxCompared, cpuSteps, gpu[0], gpu[gpuSteps - 1],
                gpuSteps, tailMean(gpu, 10));
        System.out.printf(Locale.ROOT, "{\"check\": \"film loss curve\", \"result\": \"%s\", \"batch\": %d,"
                + " \"gpu_steps\": %d, \"cpu_steps\": %d, \"checked_steps\": %d, \"tolerance\": %.1e,"
                + " \"max_rel_diff_checked\": %.3e, \"max_rel_diff_all_cpu_steps\": %.3e, \"initial_weight_diff\": %.3e,"
                + " \"gpu_first_loss\": %.6f, \"gpu_last10_mean_loss\": %.6f, \"gpu_ms_per_step\": %.2f,"
                + " \"cpu_ms_per_step\": %.2f, \"cpu_threads\": %d}%n",
                pass ? "pass" : "fail", batch, gpuSteps, cpuSteps, checked, tolerance, maxChecked, maxCompared,
                initialDifference, gpu[0], tailMean(gpu, 10), gpuMs, cpuMs, CpuBackend.threads());
        System.exit(pass ? 0 : DIVERGED);
    }

    private static String arg(List<String> args, int i, String fallback) {
        return i < args.size() ? args.get(i) : fallback;
    }

    private static FiLMVqaModel build(Device device, FilmBatch first) {
        FiLMVqaModel model = new FiLMVqaModel(FilmBatch.VOCABULARY, FilmBatch.ANSWERS);
        model.seed(1);
        model.device(device);
        model.buildFor(first.questions().shape(), first.images().shape());
        return model;
    }

    /** Copies every parameter and statistic of {@code from} (CPU) into {@code to}; returns the largest difference before. */
    private static double copyWeights(FiLMVqaModel from, FiLMVqaModel to) {
        List<Parameter> source = from.parameters();
        List<Parameter> target = to.parameters();
        if (source.size() != target.size()) {
            throw new IllegalStateException("FiLM models differ: " + source.size() + " vs " + target.size() + " parameters");
        }
        double max = 0;
        for (int i = 0; i < source.size(); i++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor onCpu = source.get(i).value();
                double[] a = onCpu.toDoubleArray();
                double[] b = target.get(i).value().toDoubleArray();
                for (int j = 0; j < a.length; j++) {
                    max = Math.max(max, Math.abs(a[j] - b[j]));
                }
                target.get(i).assign(onCpu.to(to.device()));
            }
        }
        return max;
    }

    /** The loss of each of {@code steps} training steps, cycling through {@code data}. */
    private static double[] train(FiLMVqaModel model, List<FilmBatch> data, int steps) {
        Adam adam = new Adam(model, 3e-4);
        SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy(true);
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) {
            FilmBatch b = data.get(s % data.size());
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor value = loss.apply(model.call(b.questions(), b.images()), b.answers());
                losses[s] = value.item();
                value.backward();
                adam.step();
                adam.zeroGrad();
            }
        }
        return losses;
    }

    private static double tailMean(double[] values, int n) {
        int from = Math.max(0, values.length - n);
        double sum = 0;
        for (int i = from; i < values.length; i++) {
            sum += values[i];
        }
        return sum / (values.length - from);
    }

    private static void writeCsv(Path path, double[] gpu, double[] cpu) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(path))) {
            out.println("step,gpu_loss,cpu_loss");
            for (int s = 0; s < gpu.length; s++) {
                out.println(s + "," + gpu[s] + "," + (s < cpu.length ? Double.toString(cpu[s]) : ""));
            }
        }
    }
}
