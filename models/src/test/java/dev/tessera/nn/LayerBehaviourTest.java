package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.backend.Backends;
import dev.tessera.ops.Padding;
import dev.tessera.random.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** What individual layers do beyond the contract: defaults, modes, formulas, seeding and frozen configuration. */
class LayerBehaviourTest {

    @Test
    void denseStartsWithGlorotUniformKernelAndZeroBias() {
        Dense d = new Dense(50);
        d.buildFor(Shape.of(1, 30));
        double limit = Math.sqrt(6.0 / 80);
        double[] k = d.localParameters().get("kernel").value().toDoubleArray();
        assertTrue(Arrays.stream(k).allMatch(v -> Math.abs(v) <= limit));
        assertTrue(Arrays.stream(k).anyMatch(v -> Math.abs(v) > 0.9 * limit));
        assertTrue(Arrays.stream(d.localParameters().get("bias").value().toDoubleArray()).allMatch(v -> v == 0));
    }

    @Test
    void theSameSeedBuildsTheSameWeights() {
        double[] a = seeded(5);
        assertArrayEquals(a, seeded(5));
        assertFalse(Arrays.equals(a, seeded(6)));
    }

    private static double[] seeded(long seed) {
        Sequential m = new Sequential(new Conv2D(2, 3), new Dense(3));
        m.seed(seed).buildFor(Shape.of(1, 5, 5, 2));
        return m.parameters().get(0).value().toDoubleArray();
    }

    @Test
    void dropoutZeroesAboutRateAndRescalesInTrainingOnly() {
        Dropout d = new Dropout(0.25);
        d.seed(3);
        Tensor x = Tensor.ones(100, 100);
        double[] y = d.call(x).toDoubleArray();
        long zeros = Arrays.stream(y).filter(v -> v == 0).count();
        assertEquals(2500, zeros, 200);
        assertTrue(Arrays.stream(y).allMatch(v -> v == 0 || Math.abs(v - 1 / 0.75) < 1e-6));
        assertFalse(Arrays.equals(y, d.call(x).toDoubleArray()), "each call draws a new mask");
        d.eval();
        assertArrayEquals(x.toDoubleArray(), d.call(x).toDoubleArray());
    }

    @Test
    void batchNormUpdatesMovingStatisticsOnlyInTraining() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = Tensor.randn(new Generator(1), 8, 3).mul(2).add(5);
        Tensor train = bn.call(x);
        Parameter mean = bn.localParameters().get("moving_mean");
        double[] after = mean.value().toDoubleArray();
        double[] batchMean = x.mean(0).toDoubleArray();
        for (int c = 0; c < 3; c++) {
            assertEquals(0.01 * batchMean[c], after[c], 1e-6);
        }
        assertFalse(mean.isTrainable());
        bn.eval();
        Tensor infer = bn.call(x);
        assertArrayEquals(after, mean.value().toDoubleArray());
        assertFalse(Arrays.equals(train.toDoubleArray(), infer.toDoubleArray()));
        bn.unfreeze();
        assertFalse(mean.isTrainable(), "moving statistics stay non-trainable");
    }

    @Test
    void addSpatialCoordinatesAppendsXThenYFromMinusOneToOne() {
        Tensor y = new AddSpatialCoordinates().call(Tensor.zeros(2, 3, 5, 1));
        assertEquals(Shape.of(2, 3, 5, 3), y.shape());
        assertEquals(-1.0, y.getDouble(1, 2, 0, 1), 1e-7);
        assertEquals(0.5, y.getDouble(1, 2, 3, 1), 1e-7);
        assertEquals(1.0, y.getDouble(0, 0, 4, 1), 1e-7);
        assertEquals(-1.0, y.getDouble(0, 0, 4, 2), 1e-7);
        assertEquals(0.0, y.getDouble(1, 1, 2, 2), 1e-7);
        assertEquals(1.0, y.getDouble(0, 2, 0, 2), 1e-7);
    }

    @Test
    void filmScalesAndShiftsEachChannelPerExample() {
        FiLM film = new FiLM();
        Tensor x = Tensor.randn(new Generator(2), 2, 2, 2, 3);
        Tensor q = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
        film.buildFor(x.shape(), q.shape());
        film.namedParameters().get("gamma/kernel").assign(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        film.namedParameters().get("beta/kernel").assign(Tensor.of(new float[] {0, 0, 0, 10, 20, 30}, 2, 3));
        Tensor y = film.call(x, q);
        // Example 1 takes the second rows: gamma = (4, 5, 6), beta = (10, 20, 30).
        assertEquals(5 * x.getDouble(1, 0, 1, 1) + 20, y.getDouble(1, 0, 1, 1), 1e-5);
        assertEquals(3 * x.getDouble(0, 1, 0, 2), y.getDouble(0, 1, 0, 2), 1e-5);
    }

    @Test
    void filmResBlockAddsTheFirstConvolutionsOutput() {
        FiLMResBlock block = new FiLMResBlock(4);
        Tensor x = Tensor.randn(new Generator(4), 2, 3, 3, 5);
        Tensor q = Tensor.randn(new Generator(5), 2, 6);
        block.call(x, q);
        // With FiLM's gamma and beta zero the residual branch is ReLU(0) = 0: out = ReLU(conv1(x)).
        try (Grad ignored = Grad.disabled()) {
            block.namedParameters().get("film/gamma/kernel").value().fill(0);
            block.namedParameters().get("film/beta/kernel").value().fill(0);
        }
        Tensor h = block.children().get("conv1").call(x);
        assertArrayEquals(h.toDoubleArray(), block.call(x, q).toDoubleArray(), 1e-6);
        assertTrue(Arrays.stream(h.toDoubleArray()).allMatch(v -> v >= 0));
    }

    @Test
    void configurationIsValidatedAndFrozenOnceBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dense(0));
        assertTrue(e.getMessage().contains("Received: units=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2D(8, 3).strides(2).dilation(2));
        assertTrue(e.getMessage().contains("Received: strides=[2, 2], dilation=[2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
        assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> new MaxPooling2D(0));
        Conv2D conv = new Conv2D(2, 3);
        conv.call(Tensor.zeros(1, 4, 4, 1));
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> conv.padding(Padding.SAME));
        assertTrue(s.getMessage().contains("cannot set padding after the layer is built"), s.getMessage());
    }

    @Test
    void parametersAreCreatedOnTheModulesDevice() {
        Sequential model = new Sequential(new Dense(2), new FiLMResBlock(2));
        model.device(Device.cuda(0));
        assertEquals(Device.cuda(0), model.layers().get(1).children().get("film").device());
        assertEquals(Device.cpu(), new Dense(2).device());
        Assumptions.assumeTrue(Backends.all().stream().noneMatch(p -> p.kind() == Device.Kind.CUDA),
                "a CUDA backend is on the class path");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.buildFor(Shape.of(1, 3)));
        assertTrue(e.getMessage().contains("tessera-cuda"), e.getMessage());
    }

    @Test
    void automaticNamesFollowKerasSnakeCase() {
        assertTrue(new Conv2DTranspose(1, 1).name().startsWith("conv2d_transpose"));
        assertTrue(new GlobalMaxPooling2D().name().startsWith("global_max_pooling2d"));
        assertTrue(new BatchNormalization().name().startsWith("batch_normalization"));
        assertEquals("Activation", Activation.RELU.layer().typeName());
        assertNotEquals(new Dense(1).name(), new Dense(1).name());
    }
}
