package dev.tessera.bench.compare;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.backend.Backend;
import dev.tessera.backend.Backends;
import dev.tessera.backend.Storage;
import dev.tessera.bench.gpu.CudaGate;
import dev.tessera.cpu.CpuBackend;
import dev.tessera.cpu.kernel.Blas;
import dev.tessera.cuda.CudaBackend;
import dev.tessera.data.LabeledImages;
import dev.tessera.data.Pair;
import dev.tessera.data.idx.IdxReader;
import dev.tessera.examples.FashionMnistCnn;
import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.memory.MemoryScope;
import dev.tessera.nn.GRU;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import dev.tessera.nn.Sequential;
import dev.tessera.ops.Conv;
import dev.tessera.ops.Padding;
import dev.tessera.optim.Adam;
import dev.tessera.optim.LearningRateSchedule;
import dev.tessera.optim.Optimizer;
import dev.tessera.optim.Sgd;
import dev.tessera.random.Generator;
import dev.tessera.zoo.FiLMVqaModel;
import dev.tessera.zoo.LeNet5;
import dev.tessera.zoo.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Runs one row of the Tessera-vs-PyTorch comparison in this process and prints one JSON line with
 * the median time per iteration and the process's peak resident memory; {@code benchmarks/compare}
 * runs it beside {@code torch_rows.py}, which builds the same workloads in PyTorch.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.tessera.bench.compare.TesseraRows ROW WARMUP ITERATIONS THREADS [DATA_DIR]
 * [--device=cpu|--device=cuda]}, where ROW is one of {@link #ROWS}. With {@code --device=cuda} the workload lives on
 * cuda:0, each iteration ends with a device synchronize, the line adds the caching allocator's peak after the warm-up
 * ({@code peak_device_mib}), and without a usable GPU it prints {@code skipped: <reason>} and exits with
 * {@link CudaGate#SKIPPED}.
 */
public final class TesseraRows {
    /** The rows, in the order the table lists them. */
    public static final String[] ROWS = {
        "conv 224x224x3-128x4x4-s2", "conv 112x112x128-128x4x4-s2", "conv 56x56x130-128x1x1-s1",
        "conv 56x56x128-128x3x3-s1", "conv 56x56x130-512x1x1-s1", "gru 2x128 b64 t40", "lenet5 step b64",
        "fashion-cnn step b64", "film step b8", "film step b64", "resnet18 forward b8", "fashion-cnn epoch",
        "resnet50 step b64"
    };

    private TesseraRows() {
    }

    /** A workload that runs one timed iteration. */
    private interface Workload {
        void iteration();
    }

    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>();
        Device device = Device.cpu();
        for (String a : args) {
            if (a.startsWith("--device=")) {
                device = Device.parse(a.substring("--device=".length()));
            } else {
                positional.add(a);
            }
        }
        if (positional.size() < 4) {
            throw new IllegalArgumentException("usage: TesseraRows ROW WARMUP ITERATIONS THREADS [DATA_DIR]"
                    + " [--device=cpu|--device=cuda]; rows: " + String.join(", ", ROWS));
        }
        String row = positional.get(0);
        int warmup = Integer.parseInt(positional.get(1));
        int iterations = Integer.parseInt(positional.get(2));
        int threads = Integer.parseInt(positional.get(3));
        Path data = Path.of(positional.size() > 4 ? positional.get(4) : "/usr/share/datasets/fashion-mnist");
        CudaBackend cuda = device.kind() == Device.Kind.CUDA ? CudaGate.openOrExit("TesseraRows on " + device) : null;
        Backend backend = Backends.forDevice(device);
        CpuBackend.setThreads(threads);
        long baseline = residentPeakKiB();
        Workload workload = workload(row, data, device);
        for (int i = 0; i < warmup; i++) {
            workload.iteration();
        }
        backend.synchronize();
        Storage.resetPeak();
        if (cuda != null) {
            cuda.allocator().resetPeak();
        }
        double[] millis = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            workload.iteration();
            backend.synchronize();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        double median = iterations % 2 == 1 ? millis[iterations / 2]
                : (millis[iterations / 2 - 1] + millis[iterations / 2]) / 2;
        String deviceFields = cuda == null ? ", \"openblas_core\": \"" + Blas.coreName() + "\"" : String.format(Locale.ROOT,
                ", \"peak_device_mib\": %.1f, \"gpu\": \"sm_%s\", \"tf32\": %b",
                cuda.allocator().peakBytesInUse() / (1024.0 * 1024.0), cuda.computeCapability().replace(".", ""),
                cuda.tf32());
        System.out.printf(Locale.ROOT,
                "{\"framework\": \"tessera\", \"row\": \"%s\", \"median_ms\": %.3f, \"min_ms\": %.3f, \"peak_rss_mib\": %.1f,"
                        + " \"baseline_rss_mib\": %.1f, \"peak_tensor_mib\": %.1f, \"threads\": %d, \"iterations\": %d,"
                        + " \"device\": \"%s\"%s}%n",
                row, median, millis[0], residentPeakKiB() / 1024.0, baseline / 1024.0,
                Storage.peakBytes() / (1024.0 * 1024.0), CpuBackend.threads(), iterations, device, deviceFields);
    }

    private static Workload workload(String row, Path data, Device device) throws IOException {
        if (row.startsWith("conv ")) {
            return conv(row.substring(5), device);
        }
        switch (row) {
            case "gru 2x128 b64 t40":
                return gru(device);
            case "lenet5 step b64":
                return classifierStep(new LeNet5(10), 64, 28, 1, device);
            case "fashion-cnn step b64":
                return classifierStep(FashionMnistCnn.network(0.5), 64, 28, 1, device);
            case "film step b8":
                return filmStep(8, device);
            case "film step b64":
                return filmStep(64, device);
            case "resnet18 forward b8":
                return resnetForward(device);
            case "resnet50 step b64":
                return resnet50Step(device);
            case "fashion-cnn epoch":
                return fashionEpoch(data, device);
            default:
                throw new IllegalArgumentException("unknown row '" + row + "'; rows: " + String.join(", ", ROWS));
        }
    }

    /** Forward and backward of one convolution, NHWC, batch 8, TensorFlow "same" padding, for a "HxWxC-FxKxK-sS" shape. */
    private static Workload conv(String shape, Device device) {
        String[] parts = shape.split("-");
        long[] in = Arrays.stream(parts[0].split("x")).mapToLong(Long::parseLong).toArray();
        long[] k = Arrays.stream(parts[1].split("x")).mapToLong(Long::parseLong).toArray();
        int stride = Integer.parseInt(parts[2].substring(1));
        Generator gen = new Generator(3);
        Tensor x = Tensor.uniform(gen, Shape.of(8, in[0], in[1], in[2]), -1, 1, DType.FLOAT32, device).requiresGrad(true);
        Tensor w = Tensor.uniform(gen, Shape.of(k[1], k[2], in[2], k[0]), -0.1, 0.1, DType.FLOAT32, device)
                .requiresGrad(true);
        int[] strides = {stride, stride};
        int[] dilation = {1, 1};
        Tensor upstream;
        try (MemoryScope scope = MemoryScope.open(); Grad off = Grad.disabled()) {
            Shape out = Conv.conv2d(x, w, strides, Padding.SAME, dilation).shape();
            upstream = MemoryScope.escape(Tensor.uniform(gen, out, -1, 1, DType.FLOAT32, device));
        }
        return () -> {
            try (MemoryScope scope = MemoryScope.open()) {
                Conv.conv2d(x, w, strides, Padding.SAME, dilation).backward(upstream);
                x.zeroGrad();
                w.zeroGrad();
            }
        };
    }

    /** Two stacked GRU layers (input 64, 128 units, full sequences), forward and backward of a random upstream gradient. */
    private static Workload gru(Device device) {
        Generator gen = new Generator(4);
        Sequential model = new Sequential(new GRU(128).returnSequences(true), new GRU(128).returnSequences(true));
        model.seed(2);
        model.device(device);
        Tensor x = Tensor.uniform(gen, Shape.of(64, 40, 64), -1, 1, DType.FLOAT32, device).requiresGrad(true);
        model.buildFor(x.shape());
        Tensor upstream = Tensor.uniform(gen, Shape.of(64, 40, 128), -1, 1, DType.FLOAT32, device);
        return () -> {
            try (MemoryScope scope = MemoryScope.open()) {
                model.call(x).backward(upstream);
                x.zeroGrad();
                for (Parameter p : model.parameters()) {
                    p.value().zeroGrad();
                }
            }
        };
    }

    /** One SGD (0.01) step on random images of a fixed batch; the loss is cross-entropy of the model's logits or log-probabilities. */
    private static Workload classifierStep(Module model, int batch, int size, int channels, Device device) {
        Generator gen = new Generator(5);
        model.seed(1);
        model.device(device);
        Tensor images = Tensor.uniform(gen, Shape.of(batch, size, size, channels), 0, 1, DType.FLOAT32, device);
        Tensor labels = Tensor.of(randomLabels(batch, 10, 6), batch).to(device);
        model.buildFor(images.shape());
        Optimizer sgd = new Sgd(model, 0.01);
        SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy(true);
        return () -> trainStep(model, sgd, loss, labels, images);
    }

    private static double trainStep(Module model, Optimizer optimizer, SparseCategoricalCrossentropy loss, Tensor target,
            Tensor... inputs) {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor value = loss.apply(model.call(inputs), target);
            double lossValue = value.item();
            value.backward();
            optimizer.step();
            optimizer.zeroGrad();
            return lossValue;
        }
    }

    /** One Adam (3e-4) step of the coursework FiLM model on 224x224x3 images and questions of 5 to 20 tokens padded to 20. */
    private static Workload filmStep(int batch, Device device) {
        FilmBatch data = FilmBatch.random(batch, 5, 11, 7).to(device);
        FiLMVqaModel model = new FiLMVqaModel(FilmBatch.VOCABULARY, FilmBatch.ANSWERS);
        model.seed(1);
        model.device(device);
        model.buildFor(data.questions().shape(), data.images().shape());
        Adam adam = new Adam(model, 3e-4);
        SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy(true);
        return () -> trainStep(model, adam, loss, data.answers(), data.questions(), data.images());
    }

    /** One SGD step (learning rate 0.01, momentum 0.9) of ResNet-50 (1,000 classes) on 64 random 224x224x3 images. */
    private static Workload resnet50Step(Device device) {
        Generator gen = new Generator(12);
        ResNet model = ResNet.resnet50(1000);
        model.seed(1);
        model.device(device);
        Tensor images = Tensor.uniform(gen, Shape.of(64, 224, 224, 3), 0, 1, DType.FLOAT32, device);
        Tensor labels = Tensor.of(randomLabels(64, 1000, 13), 64).to(device);
        model.buildFor(images.shape());
        Optimizer sgd = new Sgd(model, LearningRateSchedule.constant(0.01), 0.9);
        SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy(true);
        return () -> trainStep(model, sgd, loss, labels, images);
    }

    /** ResNet-18 inference (1,000 classes) on a batch of 8 random 224x224x3 images, without gradients. */
    private static Workload resnetForward(Device device) {
        Generator gen = new Generator(12);
        ResNet model = ResNet.resnet18(1000);
        model.seed(1);
        model.device(device);
        model.eval();
        Tensor images = Tensor.uniform(gen, Shape.of(8, 224, 224, 3), 0, 1, DType.FLOAT32, device);
        return () -> {
            try (MemoryScope scope = MemoryScope.open(); Grad off = Grad.disabled()) {
                model.call(images).sum().item();
            }
        };
    }

    /**
     * One epoch of the Fashion-MNIST CNN over the 60,000 training images in a shuffled order, batch 64, SGD 0.01;
     * each iteration is a whole epoch, so the warm-up count is in epochs too.
     */
    private static Workload fashionEpoch(Path dir, Device device) {
        Path images = find(dir, "train-images-idx3-ubyte");
        Path labels = find(dir, "train-labels-idx1-ubyte");
        LabeledImages train = IdxReader.readLabeledImages(images, labels);
        Sequential model = FashionMnistCnn.network(0.5);
        model.seed(1);
        model.device(device);
        model.buildFor(Shape.of(64, 28, 28, 1));
        Optimizer sgd = new Sgd(model, 0.01);
        SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy(true);
        int[] epoch = {0};
        return () -> {
            double total = 0;
            int steps = 0;
            for (Pair<Tensor, Tensor> batch : train.shuffledBatches(64, false, 100 + epoch[0])) {
                Tensor x = batch.first().to(device);
                Tensor y = batch.second().to(device);
                total += trainStep(model, sgd, loss, y, x);
                if (x != batch.first()) {
                    x.close();
                    y.close();
                }
                batch.first().close();
                batch.second().close();
                steps++;
            }
            epoch[0]++;
            System.err.printf(Locale.ROOT, "epoch %d: %d steps, mean loss %.4f%n", epoch[0], steps, total / steps);
        };
    }

    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new IllegalArgumentException("Fashion-MNIST file " + name + "[.gz] not found in " + dir
                + " (apt-get install dataset-fashion-mnist, or pass the directory as the fifth argument)");
    }

    /** {@code n} class ids uniform in [0, classes), from {@code java.util.Random(seed)}. */
    public static int[] randomLabels(int n, int classes, long seed) {
        Random random = new Random(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }

    /** VmHWM of this process in KiB, the peak resident set size the kernel has recorded. */
    private static long residentPeakKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmHWM line; peak memory needs Linux");
    }
}
