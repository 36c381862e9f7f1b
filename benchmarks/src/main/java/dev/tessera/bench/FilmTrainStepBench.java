package dev.tessera.bench;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.Storage;
import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.memory.MemoryScope;
import dev.tessera.optim.Adam;
import dev.tessera.random.Generator;
import dev.tessera.zoo.FiLMVqaModel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the coursework FiLM VQA model (vocabulary 82, 30 answers, one residual
 * block, 224x224x3 images, questions of 5 to 20 tokens padded with 0): forward, sparse
 * cross-entropy from logits, backward and an Adam 3e-4 update, on the CPU. Each iteration also
 * prints the largest off-heap tensor footprint it reached.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class FilmTrainStepBench {
    static final int VOCABULARY = 82;
    static final int ANSWERS = 30;
    static final int MAX_QUESTION = 20;
    static final int IMAGE = 224;

    @Param({"8"})
    int batch;

    FiLMVqaModel model;
    Adam adam;
    SparseCategoricalCrossentropy loss;
    Tensor tokens;
    Tensor images;
    Tensor answers;

    @Setup(Level.Trial)
    public void setup() {
        Generator gen = new Generator(11);
        int[] tok = new int[batch * MAX_QUESTION];
        int[] ans = new int[batch];
        Random lengths = new Random(5);
        for (int b = 0; b < batch; b++) {
            int length = 5 + lengths.nextInt(MAX_QUESTION - 4);
            for (int t = 0; t < length; t++) {
                tok[b * MAX_QUESTION + t] = 1 + lengths.nextInt(VOCABULARY - 1);
            }
            ans[b] = lengths.nextInt(ANSWERS);
        }
        tokens = Tensor.of(tok, batch, MAX_QUESTION);
        answers = Tensor.of(ans, batch);
        images = Tensor.uniform(gen, Shape.of(batch, IMAGE, IMAGE, 3), 0, 1, DType.FLOAT32, Device.cpu());
        model = new FiLMVqaModel(VOCABULARY, ANSWERS);
        model.seed(1);
        adam = new Adam(model, 3e-4);
        loss = new SparseCategoricalCrossentropy(true);
        step();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tokens.close();
        answers.close();
        images.close();
    }

    private double step() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor value = loss.apply(model.call(tokens, images), answers);
            double lossValue = value.item();
            value.backward();
            adam.step();
            adam.zeroGrad();
            return lossValue;
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        Storage.resetPeak();
    }

    @TearDown(Level.Iteration)
    public void reportFootprint() {
        System.out.printf("  peak tensor memory %.1f MiB%n", Storage.peakBytes() / (1024.0 * 1024.0));
    }

    @Benchmark
    public double trainStep() {
        return step();
    }
}
