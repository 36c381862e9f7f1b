package dev.tessera.train;

import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.loss.Loss;
import dev.tessera.memory.MemoryScope;
import dev.tessera.metrics.Metric;
import dev.tessera.nn.Module;
import dev.tessera.optim.Optimizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Keras' {@code compile}/{@code fit}/{@code evaluate}/{@code predict} for a module: each training
 * step (forward, loss, backward, optimizer update) runs inside a {@link MemoryScope}, so only the
 * loss and metric scalars outlive it. Prints a Keras-style progress bar per epoch.
 * <pre>{@code
 * var model = new Sequential(new Dense(64).activation(Activation.RELU), new Dense(10));
 * var trainer = new Trainer(model, new SparseCategoricalCrossentropy(true), new Adam(model))
 *         .metrics(Metrics.accuracy());
 * History h = trainer.fit(train, 10, validation,
 *         new BackupAndRestore(Path.of("backup.safetensors")).track("shuffle", shuffleGenerator),
 *         new EarlyStopping("val_loss", 3, 0.0, true), new CsvLogger(Path.of("log.csv")));
 * }</pre>
 */
public final class Trainer {
    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final List<Metric> metrics = new ArrayList<>();
    private PrintStream out = System.out;
    private Boolean interactive;
    private int verbose = 1;
    private int initialEpoch;
    private String stopReason;

    public Trainer(Module model, Loss loss, Optimizer optimizer) {
        if (model == null || loss == null || optimizer == null) {
            throw new IllegalArgumentException("Trainer: model, loss and optimizer are required");
        }
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    /** Adds metrics reported beside the loss (names must differ from "loss" and each other). */
    public Trainer metrics(Metric... ms) {
        for (Metric m : ms) {
            String n = m.name();
            if (n.equals("loss") || metrics.stream().anyMatch(x -> x.name().equals(n))) {
                throw new IllegalArgumentException("Trainer.metrics: duplicate metric name '" + n + "'");
            }
            metrics.add(m);
        }
        return this;
    }

    /** 0 prints nothing; 1 (default) prints "Epoch i/n" and the progress bar. */
    public Trainer verbose(int level) {
        if (level < 0 || level > 1) {
            throw new IllegalArgumentException("Trainer.verbose: level must be 0 or 1 — got " + level);
        }
        this.verbose = level;
        return this;
    }

    /** Where progress goes (System.out by default); redrawn in place only when it is a terminal. */
    public Trainer output(PrintStream stream, boolean isTerminal) {
        this.out = stream;
        this.interactive = isTerminal;
        return this;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    /** Where progress and callbacks' messages go. */
    public PrintStream out() {
        return out;
    }

    /** Sets the epoch the next fit starts from (used by BackupAndRestore; 0-based). */
    public void setInitialEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("Trainer.setInitialEpoch: epoch must be >= 0 — got " + epoch);
        }
        this.initialEpoch = epoch;
    }

    /** Asks fit to stop after the current step, recording why (shown in History.stopReason). */
    public void stopTraining(String reason) {
        this.stopReason = reason;
    }

    public boolean isStopping() {
        return stopReason != null;
    }

    // ---- fit ----------------------------------------------------------------------------

    /** Trains for epochs up to {@code epochs} (from the initial epoch), validating after each when {@code validation} is not null. */
    public History fit(Iterable<Batch> train, int epochs, Iterable<Batch> validation, Callback... callbacks) {
        if (train == null) {
            throw new IllegalArgumentException("Trainer.fit: data must not be null");
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("Trainer.fit: epochs must be >= 0 — got " + epochs);
        }
        History history = new History();
        stopReason = null;
        try {
            for (Callback c : callbacks) {
                c.onTrainBegin(this);
            }
            long knownSteps = train instanceof Collection<?> col ? col.size() : 0;
            for (int epoch = initialEpoch; epoch < epochs && stopReason == null; epoch++) {
                if (verbose > 0) {
                    out.println("Epoch " + (epoch + 1) + "/" + epochs);
                }
                for (Callback c : callbacks) {
                    c.onEpochBegin(this, epoch);
                }
                ProgressBar bar = verbose > 0 ? new ProgressBar(out, isInteractive(), knownSteps) : null;
                Means means = new Means();
                int[] step = {0};
                int e = epoch;
                forEachBatch(train, "fit", batch -> {
                    buildIfNeeded(batch);
                    for (Callback c : callbacks) {
                        c.onBatchBegin(this, e, step[0]);
                    }
                    trainStep(batch, means);
                    step[0]++;
                    Map<String, Double> logs = means.logs();
                    if (bar != null) {
                        bar.update(step[0], logs);
                    }
                    for (Callback c : callbacks) {
                        c.onBatchEnd(this, e, step[0] - 1, logs);
                    }
                    return stopReason == null;
                });
                knownSteps = step[0];
                Map<String, Double> logs = means.logs();
                if (validation != null && stopReason == null) {
                    evaluate(validation).forEach((k, v) -> logs.put("val_" + k, v));
                }
                if (bar != null) {
                    bar.finish(step[0], logs);
                }
                history.record(epoch, logs);
                for (Callback c : callbacks) {
                    c.onEpochEnd(this, epoch, logs);
                }
            }
            if (stopReason != null) {
                history.stopped(stopReason);
                if (verbose > 0) {
                    out.println(stopReason);
                }
            }
        } finally {
            initialEpoch = 0;
        }
        for (Callback c : callbacks) {
            c.onTrainEnd(this);
        }
        return history;
    }

    /** Fit without validation data (to pass callbacks with no validation, use this overload rather than a null). */
    public History fit(Iterable<Batch> train, int epochs, Callback... callbacks) {
        return fit(train, epochs, null, callbacks);
    }

    private void trainStep(Batch batch, Means means) {
        if (batch.target() == null) {
            throw new IllegalArgumentException("Trainer.fit: a training batch has no target");
        }
        model.train();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor predictions = model.call(batch.inputs());
            Tensor value = loss.apply(predictions, batch.target());
            double lossValue = value.item();
            double[] metricValues = metricValues(predictions, batch.target());
            optimizer.zeroGrad();
            value.backward();
            optimizer.step();
            optimizer.zeroGrad();
            means.add(batch.size(), lossValue, metricValues);
        }
    }

    /**
     * Builds a lazily built model from the first batch with a forward pass in inference mode, so
     * that callbacks (BackupAndRestore) can restore weights before the first step. Inference mode
     * draws no dropout randomness, and only initialisation uses the model's generator here.
     */
    private void buildIfNeeded(Batch batch) {
        if (model.isBuilt()) {
            return;
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        try (MemoryScope scope = MemoryScope.open(); Grad g = Grad.disabled()) {
            model.call(batch.inputs());
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    // ---- evaluate and predict -----------------------------------------------------------

    /** The loss and metrics over {@code data} in inference mode, weighted by batch size. */
    public Map<String, Double> evaluate(Iterable<Batch> data) {
        Means means = new Means();
        inference(data, "evaluate", batch -> {
            if (batch.target() == null) {
                throw new IllegalArgumentException("Trainer.evaluate: a batch has no target");
            }
            Tensor predictions = model.call(batch.inputs());
            double lossValue = loss.apply(predictions, batch.target()).item();
            means.add(batch.size(), lossValue, metricValues(predictions, batch.target()));
        });
        return means.logs();
    }

    /** The model's outputs for every batch (targets are ignored), concatenated along axis 0, in inference mode. */
    public Tensor predict(Iterable<Batch> data) {
        List<Tensor> parts = new ArrayList<>();
        inference(data, "predict", batch -> parts.add(MemoryScope.escape(model.call(batch.inputs()).copy())));
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Trainer.predict: the data gave no batches");
        }
        Tensor all = Tensor.concat(0, parts.toArray(new Tensor[0]));
        for (Tensor p : parts) {
            p.close();
        }
        return all;
    }

    /** Runs {@code body} on every batch in inference mode without gradients, one memory scope per batch. */
    private void inference(Iterable<Batch> data, String op, Consumer<Batch> body) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Grad g = Grad.disabled()) {
            forEachBatch(data, op, batch -> {
                try (MemoryScope scope = MemoryScope.open()) {
                    body.accept(batch);
                }
                return true;
            });
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    /**
     * Feeds batches to {@code body} until it returns false or the data ends, then closes the
     * iterator when it is closeable (a prefetching pipeline stops its thread).
     */
    private static void forEachBatch(Iterable<Batch> data, String op, Predicate<Batch> body) {
        if (data == null) {
            throw new IllegalArgumentException("Trainer." + op + ": data must not be null");
        }
        Iterator<Batch> it = data.iterator();
        try {
            while (it.hasNext()) {
                Batch batch = it.next();
                if (batch == null) {
                    throw new IllegalArgumentException("Trainer." + op + ": the data gave a null batch");
                }
                if (!body.test(batch)) {
                    break;
                }
            }
        } finally {
            if (it instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("Trainer." + op + ": closing the data iterator failed", e);
                }
            }
        }
    }

    private double[] metricValues(Tensor predictions, Tensor target) {
        double[] values = new double[metrics.size()];
        try (Grad g = Grad.disabled()) {
            for (int i = 0; i < metrics.size(); i++) {
                values[i] = metrics.get(i).compute(predictions.detach(), target);
            }
        }
        return values;
    }

    private boolean isInteractive() {
        return interactive != null ? interactive : System.console() != null;
    }

    /** Running means of the loss and metrics, weighted by batch size. */
    private final class Means {
        private double samples;
        private double lossSum;
        private final double[] metricSums = new double[metrics.size()];

        void add(long n, double lossValue, double[] metricValues) {
            samples += n;
            lossSum += n * lossValue;
            for (int i = 0; i < metricSums.length; i++) {
                metricSums[i] += n * metricValues[i];
            }
        }

        Map<String, Double> logs() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", samples == 0 ? Double.NaN : lossSum / samples);
            for (int i = 0; i < metricSums.length; i++) {
                m.put(metrics.get(i).name(), samples == 0 ? Double.NaN : metricSums[i] / samples);
            }
            return m;
        }
    }
}
