package dev.tessera.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.metrics.Metrics;
import dev.tessera.optim.Adam;
import dev.tessera.optim.Sgd;
import dev.tessera.random.Generator;
import dev.tessera.train.TestModels.NoisyClassifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    private static NoisyClassifier model() {
        return (NoisyClassifier) new NoisyClassifier(8, 3, 1.0).seed(3);
    }

    private static Trainer trainer(NoisyClassifier m, double lr) {
        return new Trainer(m, new SparseCategoricalCrossentropy(true), new Adam(m, lr)).metrics(Metrics.accuracy()).verbose(0);
    }

    @Test
    void learnsASeparableProblemAndReportsHistory() {
        NoisyClassifier m = model();
        Iterable<Batch> data = TestModels.threeClasses(64, 16, new Generator(1));
        History h = trainer(m, 0.05).fit(data, 30, TestModels.threeClasses(32, 16, null));
        List<Double> loss = h.get("loss");
        assertEquals(30, loss.size());
        assertTrue(loss.get(29) < loss.get(0) * 0.5, "loss " + loss.get(0) + " -> " + loss.get(29));
        assertTrue(h.get("accuracy").get(29) >= 0.9, "accuracy " + h.get("accuracy"));
        assertTrue(h.values().containsKey("val_loss") && h.values().containsKey("val_accuracy"), h.values().keySet().toString());
        assertNull(h.stopReason());
    }

    @Test
    void nanLossStopsTrainingNamingEpochAndStep() {
        NoisyClassifier m = model();
        Iterable<Batch> good = TestModels.threeClasses(32, 8, null);
        List<Batch> batches = new ArrayList<>();
        good.forEach(batches::add);
        Tensor poisoned = batches.get(2).inputs()[0].copy();
        poisoned.fill(Double.NaN);
        batches.set(2, Batch.of(poisoned, batches.get(2).target()));
        int[] epochCalls = {0};
        Iterable<Batch> data = () -> {
            epochCalls[0]++;
            Iterator<Batch> it = epochCalls[0] == 2 ? batches.iterator() : good.iterator();
            return it;
        };
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Trainer t = trainer(m, 0.01).verbose(1).output(new PrintStream(text, true, StandardCharsets.UTF_8), false);
        History h = t.fit(data, 5, new TerminateOnNaN());
        assertNotNull(h.stopReason());
        assertTrue(h.stopReason().contains("NaN at epoch 2, step 3"), h.stopReason());
        assertEquals(List.of(0, 1), h.epochs());
        assertTrue(text.toString(StandardCharsets.UTF_8).contains(h.stopReason()));
    }

    @Test
    void csvLoggerWritesOneRowPerEpochWithHeader() throws IOException {
        Path csv = dir.resolve("log.csv");
        NoisyClassifier m = model();
        History h = trainer(m, 0.01).fit(TestModels.threeClasses(32, 8, null), 3, TestModels.threeClasses(16, 8, null),
                new CsvLogger(csv));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy", lines.get(0));
        assertEquals(4, lines.size());
        for (int e = 0; e < 3; e++) {
            String[] cells = lines.get(e + 1).split(",");
            assertEquals(Integer.toString(e), cells[0]);
            assertEquals(h.get("loss").get(e), Double.parseDouble(cells[1]), 0.0);
            assertEquals(h.get("val_accuracy").get(e), Double.parseDouble(cells[4]), 0.0);
        }
    }

    @Test
    void checkpointIsWrittenEveryEpochAndHoldsTheWeights() throws IOException {
        NoisyClassifier m = model();
        ModelCheckpoint cp = new ModelCheckpoint(dir.resolve("ckpt-{epoch:02d}.safetensors"));
        trainer(m, 0.01).fit(TestModels.threeClasses(32, 8, null), 3, cp);
        for (int e = 0; e < 3; e++) {
            assertTrue(Files.exists(dir.resolve(String.format("ckpt-%02d.safetensors", e + 1))), "epoch " + (e + 1));
        }
        NoisyClassifier fresh = (NoisyClassifier) new NoisyClassifier(8, 3, 1.0).seed(77);
        fresh.call(Tensor.zeros(1, 4));
        Weights.load(fresh, cp.pathFor(2));
        List<float[]> a = TestModels.weights(m);
        List<float[]> b = TestModels.weights(fresh);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no temporary files are left behind");
        }
    }

    @Test
    void checkpointBestOnlySkipsEpochsThatDoNotImprove() throws IOException {
        NoisyClassifier m = model();
        ModelCheckpoint cp = new ModelCheckpoint(dir.resolve("best-{epoch}.safetensors"), "loss");
        new Trainer(m, new SparseCategoricalCrossentropy(true), new Sgd(m, 0.0)).verbose(0)
                .fit(TestModels.threeClasses(32, 8, null), 3, cp);
        assertTrue(Files.exists(cp.pathFor(0)));
        assertFalse(Files.exists(cp.pathFor(1)));
        assertFalse(Files.exists(cp.pathFor(2)));
    }

    @Test
    void earlyStoppingStopsWhenTheLossDoesNotImprove() {
        NoisyClassifier m = model();
        Trainer t = new Trainer(m, new SparseCategoricalCrossentropy(true), new Sgd(m, 0.0)).verbose(0);
        EarlyStopping es = new EarlyStopping("loss", 2, 0.0, false);
        History h = t.fit(TestModels.threeClasses(32, 8, null), 20, es);
        assertEquals(List.of(0, 1, 2), h.epochs());
        assertEquals(0, es.bestEpoch());
        assertTrue(h.stopReason().startsWith("EarlyStopping: loss has not improved for 2 epochs"), h.stopReason());
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        NoisyClassifier m = model();
        Trainer t = trainer(m, 0.05);
        EarlyStopping es = new EarlyStopping("val_loss", 0, 0.0, true);
        List<List<float[]>> perEpoch = new ArrayList<>();
        Callback record = new Callback() {
            @Override
            public void onEpochEnd(Trainer tr, int epoch, java.util.Map<String, Double> logs) {
                perEpoch.add(TestModels.weights(tr.model()));
            }
        };
        // An unrelated validation set makes val_loss wander, so the best epoch is rarely the last.
        History h = t.fit(TestModels.threeClasses(32, 8, new Generator(5)), 6, TestModels.threeClasses(8, 8, null), es, record);
        int best = es.bestEpoch();
        List<float[]> now = TestModels.weights(m);
        for (int i = 0; i < now.size(); i++) {
            assertArrayEquals(perEpoch.get(best).get(i), now.get(i));
        }
        assertEquals(h.get("val_loss").stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                h.get("val_loss").get(h.epochs().indexOf(best)), 0.0);
    }

    @Test
    void nonTerminalOutputPrintsOneLinePerEpoch() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        NoisyClassifier m = model();
        trainer(m, 0.01).verbose(1).output(new PrintStream(text, true, StandardCharsets.UTF_8), false)
                .fit(TestModels.threeClasses(32, 8, null), 2);
        String[] lines = text.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertEquals("Epoch 1/2", lines[0]);
        String tail = " - \\d+s \\d+(ms|us|s)/step - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4}";
        // The source is a plain Iterable: its length is unknown until the first pass ends, as in Keras.
        assertTrue(lines[1].matches(" +4/Unknown" + tail), lines[1]);
        assertEquals("Epoch 2/2", lines[2]);
        assertTrue(lines[3].matches("4/4 \\[={30}\\]" + tail), lines[3]);
        assertFalse(text.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void evaluateAndPredictRunInInferenceMode() {
        NoisyClassifier m = (NoisyClassifier) new NoisyClassifier(8, 3, 0.5).seed(3);
        Trainer t = trainer(m, 0.01);
        Iterable<Batch> data = TestModels.threeClasses(20, 8, null);
        t.fit(data, 1);
        long counter = m.generator().counter();
        Tensor p1 = t.predict(data);
        Tensor p2 = t.predict(data);
        assertEquals(dev.tessera.Shape.of(20, 3), p1.shape());
        assertArrayEquals(p1.toFloatArray(), p2.toFloatArray());
        assertEquals(counter, m.generator().counter(), "no dropout randomness is drawn in inference mode");
        assertTrue(m.isTraining(), "the training mode is put back");
        assertEquals(List.of("loss", "accuracy"), new ArrayList<>(t.evaluate(data).keySet()));
    }

    /** An iterator that records being closed, as a prefetching pipeline's would. */
    private static final class ClosingIterator implements Iterator<Batch>, AutoCloseable {
        private final Iterator<Batch> inner;
        private final int[] closed;

        ClosingIterator(Iterator<Batch> inner, int[] closed) {
            this.inner = inner;
            this.closed = closed;
        }

        @Override
        public boolean hasNext() {
            return inner.hasNext();
        }

        @Override
        public Batch next() {
            return inner.next();
        }

        @Override
        public void close() {
            closed[0]++;
        }
    }

    @Test
    void closeableIteratorsAreClosedAfterEveryPassEvenWhenStoppedEarly() {
        Iterable<Batch> base = TestModels.threeClasses(32, 8, null);
        int[] closed = {0};
        Iterable<Batch> data = () -> new ClosingIterator(base.iterator(), closed);
        NoisyClassifier m = model();
        Callback stopAtFirstStep = new Callback() {
            @Override
            public void onBatchEnd(Trainer t, int epoch, int step, java.util.Map<String, Double> logs) {
                if (epoch == 1) {
                    t.stopTraining("stop");
                }
            }
        };
        History h = trainer(m, 0.01).fit(data, 3, data, stopAtFirstStep);
        assertEquals(List.of(0, 1), h.epochs());
        assertEquals(3, closed[0], "two training passes and one validation pass");
    }

    @Test
    void batchWithoutTargetIsRefused() {
        NoisyClassifier m = model();
        Iterable<Batch> data = List.of(new Batch(new Tensor[] {Tensor.zeros(2, 4)}, null));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> trainer(m, 0.01).fit(data, 1));
        assertTrue(e.getMessage().contains("no target"), e.getMessage());
    }

    @Test
    void stepsFreeEverythingTheyAllocate() {
        List<Batch> data = new ArrayList<>();
        TestModels.threeClasses(32, 8, null).forEach(data::add);
        NoisyClassifier m = (NoisyClassifier) new NoisyClassifier(8, 3, 0.5).seed(3);
        Trainer t = trainer(m, 0.01);
        t.fit(data, 1, data);
        long live = dev.tessera.backend.Storage.liveBytes();
        t.fit(data, 3, data);
        long after = dev.tessera.backend.Storage.liveBytes();
        // NOTE: <=, not ==: the garbage collector may free other tests' leftovers meanwhile.
        assertTrue(after <= live, (after - live) + " more bytes allocated after three more epochs");
    }

    @Test
    void csvLoggerInAppendModeContinuesAnExistingLog() throws IOException {
        Path csv = dir.resolve("append.csv");
        NoisyClassifier m = model();
        Trainer t = trainer(m, 0.01);
        t.fit(TestModels.threeClasses(16, 8, null), 2, new CsvLogger(csv, true));
        t.fit(TestModels.threeClasses(16, 8, null), 1, new CsvLogger(csv, true));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(List.of("epoch,loss,accuracy"), lines.subList(0, 1));
        assertEquals(4, lines.size(), String.join("\n", lines));
        t.fit(TestModels.threeClasses(16, 8, null), 1, new CsvLogger(csv));
        assertEquals(2, Files.readAllLines(csv).size(), "without append the log starts afresh");
    }
}
