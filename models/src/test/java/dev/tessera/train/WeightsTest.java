package dev.tessera.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.train.TestModels.NoisyClassifier;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
    @TempDir
    Path dir;

    private static NoisyClassifier built(int hidden, long seed) {
        NoisyClassifier m = (NoisyClassifier) new NoisyClassifier(hidden, 3, 1.0).seed(seed);
        m.call(Tensor.zeros(2, 4));
        return m;
    }

    private static void assertUnchanged(List<float[]> before, dev.tessera.nn.Module m) {
        List<float[]> after = TestModels.weights(m);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "parameter " + i + " was modified");
        }
    }

    @Test
    void saveThenLoadRestoresEveryParameter() throws IOException {
        Path file = dir.resolve("w.safetensors");
        NoisyClassifier a = built(8, 1);
        Weights.save(a, file);
        NoisyClassifier b = built(8, 2);
        Weights.load(b, file);
        assertUnchanged(TestModels.weights(a), b);
    }

    @Test
    void truncatedFileIsRefusedAndModelUnchanged() throws IOException {
        Path file = dir.resolve("t.safetensors");
        Weights.save(built(8, 1), file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10);
        }
        NoisyClassifier target = built(8, 2);
        List<float[]> before = TestModels.weights(target);
        IOException e = assertThrows(IOException.class, () -> Weights.load(target, file));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(file.toString()), e.getMessage());
        assertUnchanged(before, target);
    }

    @Test
    void mismatchedShapeIsRefusedNamingTheParameterAndModelUnchanged() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Weights.save(built(16, 1), file);
        NoisyClassifier target = built(8, 2);
        List<float[]> before = TestModels.weights(target);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weights.load(target, file));
        String msg = e.getMessage();
        assertTrue(msg.contains("hidden/kernel (file " + Shape.of(4, 16)) && msg.contains("model " + Shape.of(4, 8))
                && msg.contains("nothing was loaded"), msg);
        assertUnchanged(before, target);
    }

    @Test
    void missingAndUnexpectedNamesAreListed() {
        NoisyClassifier target = built(8, 2);
        List<float[]> before = TestModels.weights(target);
        var tensors = new java.util.LinkedHashMap<>(Weights.values(built(8, 1)));
        tensors.remove("out/bias");
        tensors.put("extra/kernel", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Weights.assign(target, tensors, "test"));
        assertTrue(e.getMessage().contains("missing: [out/bias]") && e.getMessage().contains("unexpected: [extra/kernel]"),
                e.getMessage());
        assertUnchanged(before, target);
    }

    /** Two auto-named affine layers registered under their own names, as Sequential does. */
    private static final class Stack extends dev.tessera.nn.Module {
        private final TestModels.Affine first = new TestModels.Affine(null, 5);
        private final TestModels.Affine second = new TestModels.Affine(null, 2);

        Stack() {
            super("stack");
            child(first.name(), first);
            child(second.name(), second);
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            return second.call(first.call(inputs[0]));
        }
    }

    @Test
    void weightsLoadIntoAnIdenticalModelWhoseAutomaticNamesAreNumberedFurther() throws IOException {
        Path file = dir.resolve("auto.safetensors");
        Stack a = (Stack) new Stack().seed(1);
        a.call(Tensor.zeros(1, 3));
        Weights.save(a, file);
        Stack b = (Stack) new Stack().seed(2);
        b.call(Tensor.zeros(1, 3));
        assertTrue(!a.namedParameters().keySet().equals(b.namedParameters().keySet()), "names differ in one JVM");
        Weights.load(b, file);
        assertUnchanged(TestModels.weights(a), b);
    }
}
