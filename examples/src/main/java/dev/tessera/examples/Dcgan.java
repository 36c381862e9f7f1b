package dev.tessera.examples;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.data.Pair;
import dev.tessera.loss.BinaryCrossentropy;
import dev.tessera.memory.MemoryScope;
import dev.tessera.nn.Activation;
import dev.tessera.nn.BatchNormalization;
import dev.tessera.nn.Conv2D;
import dev.tessera.nn.Conv2DTranspose;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.Reshape;
import dev.tessera.nn.Sequential;
import dev.tessera.ops.Padding;
import dev.tessera.optim.Adam;
import dev.tessera.random.Generator;
import dev.tessera.train.Weights;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A DCGAN (Radford et al., 2015) on Fashion-MNIST: a generator of transposed convolutions with batch norm turns
 * noise into 28x28 images in [-1, 1]; a discriminator of strided convolutions with LeakyReLU scores them. Both
 * train with binary cross-entropy from logits and Adam (2e-4, beta1 0.5); a grid of samples from fixed noise is
 * written after every epoch.
 */
@Command(name = "dcgan", mixinStandardHelpOptions = true, description = "Trains a DCGAN on Fashion-MNIST.")
public final class Dcgan implements Callable<Integer> {
    private static final int NOISE = 64;

    @Option(names = "--data-dir", description = "Folder with the Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist).")
    Path dataDir;

    @Option(names = "--output", description = "Folder for sample grids, losses and weights (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("out", "dcgan");

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 5;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 64;

    @Option(names = "--limit", description = "Use only the first N training images (0: all; default: ${DEFAULT-VALUE}).")
    int limit = 10000;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    /** Generator: noise (B, 64) to images (B, 28, 28, 1) in [-1, 1]. */
    static Sequential generator() {
        return new Sequential(
                new Dense(7 * 7 * 64).useBias(false), new Reshape(7, 7, 64), new BatchNormalization(), Activation.RELU.layer(),
                new Conv2DTranspose(32, 4).strides(2).padding(Padding.SAME).useBias(false), new BatchNormalization(),
                Activation.RELU.layer(),
                new Conv2DTranspose(1, 4).strides(2).padding(Padding.SAME).activation(Activation.TANH));
    }

    /** Discriminator: images (B, 28, 28, 1) to one real-vs-fake logit each. */
    static Sequential discriminator() {
        return new Sequential(
                new Conv2D(32, 4).strides(2).padding(Padding.SAME).activation(Activation.LEAKY_RELU),
                new Conv2D(64, 4).strides(2).padding(Padding.SAME).activation(Activation.LEAKY_RELU),
                new Flatten(), new Dense(1));
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        Files.createDirectories(output);
        ImageData.Split data = ImageData.load(dataDir, ImageData.DEBIAN_FASHION_MNIST,
                "install Debian's dataset-fashion-mnist or pass --data-dir", limit, out);
        Sequential g = generator();
        Sequential d = discriminator();
        g.seed(seed);
        d.seed(seed + 1);
        Adam gOpt = new Adam(g, 2e-4).betas(0.5, 0.999);
        Adam dOpt = new Adam(d, 2e-4).betas(0.5, 0.999);
        BinaryCrossentropy bce = new BinaryCrossentropy(true);
        Generator noise = new Generator(seed + 2);
        Tensor fixed = MemoryScope.unscoped(() -> Tensor.normal(new Generator(seed + 3), Shape.of(64, NOISE), 0, 1,
                DType.FLOAT32, Device.cpu()));
        Map<String, List<Double>> curves = new LinkedHashMap<>();
        curves.put("discriminator", new ArrayList<>());
        curves.put("generator", new ArrayList<>());
        try (Writer csv = Files.newBufferedWriter(output.resolve("losses.csv"))) {
            csv.write("epoch,d_loss,g_loss\n");
            for (int epoch = 1; epoch <= epochs; epoch++) {
                double dSum = 0;
                double gSum = 0;
                int steps = 0;
                long t0 = System.nanoTime();
                for (Pair<Tensor, Tensor> batch : data.train().shuffledBatches(batchSize, true, seed + epoch)) {
                    try (MemoryScope scope = MemoryScope.open()) {
                        Tensor real = batch.first().mul(2.0).add(-1.0);
                        long b = real.dim(0);
                        Tensor ones = Tensor.ones(Shape.of(b, 1), DType.FLOAT32, Device.cpu());
                        Tensor zeros = Tensor.zeros(Shape.of(b, 1), DType.FLOAT32, Device.cpu());
                        Tensor fake = g.call(Tensor.normal(noise, Shape.of(b, NOISE), 0, 1, DType.FLOAT32, Device.cpu()));

                        dOpt.zeroGrad();
                        Tensor dLoss = bce.apply(d.call(real), ones).add(bce.apply(d.call(fake.detach()), zeros));
                        dLoss.backward();
                        dOpt.step();

                        gOpt.zeroGrad();
                        Tensor gLoss = bce.apply(d.call(fake), ones);
                        gLoss.backward();
                        gOpt.step();
                        dOpt.zeroGrad();
                        dSum += dLoss.item();
                        gSum += gLoss.item();
                        steps++;
                    }
                    batch.first().close();
                    batch.second().close();
                }
                double dMean = dSum / Math.max(1, steps);
                double gMean = gSum / Math.max(1, steps);
                curves.get("discriminator").add(dMean);
                curves.get("generator").add(gMean);
                csv.write(String.format(Locale.ROOT, "%d,%.5f,%.5f%n", epoch, dMean, gMean));
                csv.flush();
                samples(g, fixed, output.resolve(String.format(Locale.ROOT, "samples-epoch-%02d.png", epoch)));
                out.printf(Locale.ROOT, "epoch %d/%d: %d steps in %.1f s, discriminator loss %.4f, generator loss %.4f%n",
                        epoch, epochs, steps, (System.nanoTime() - t0) / 1e9, dMean, gMean);
            }
        }
        Plots.lines(output.resolve("losses.png"), "DCGAN losses", "binary cross-entropy", curves);
        Weights.save(g, output.resolve("generator.safetensors"));
        out.println("results in " + output.toAbsolutePath());
        return 0;
    }

    /** An 8x8 grid of the generator's images for the fixed noise, in inference mode. */
    private static void samples(Sequential g, Tensor noise, Path png) throws IOException {
        float[] images;
        g.eval();
        try (MemoryScope scope = MemoryScope.open(); Grad off = Grad.disabled()) {
            images = g.call(noise).add(1.0).mul(0.5).toFloatArray();
        } finally {
            g.train();
        }
        List<float[]> grid = new ArrayList<>();
        int per = 28 * 28;
        for (int i = 0; i < noise.dim(0); i++) {
            float[] one = new float[per];
            System.arraycopy(images, i * per, one, 0, per);
            grid.add(one);
        }
        Plots.imageGrid(png, grid, 28, 28, 1, 8, 2);
    }
}
