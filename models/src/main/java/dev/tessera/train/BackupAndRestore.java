package dev.tessera.train;

import dev.tessera.Tensor;
import dev.tessera.io.Safetensors;
import dev.tessera.memory.MemoryScope;
import dev.tessera.nn.Module;
import dev.tessera.random.Generator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes a training run resumable (Keras' BackupAndRestore): after every epoch it writes, in one
 * atomically written safetensors file, the weights ("model/..."), the optimizer state
 * ("optimizer/...") and, in "__metadata__", the number of finished epochs, the model generator's
 * seed and counter and those of every data-order generator given to {@link #track}. When fit
 * starts and the file exists, training continues from the epoch after the last finished one with
 * exactly that state, so on the CPU a run killed and restarted ends with the same weights, bit for
 * bit, as one that never stopped. The file is deleted when training ends normally.
 */
public final class BackupAndRestore implements Callback {
    static final String FORMAT = "tessera-backup-1";

    private final Path path;
    private final Map<String, Generator> tracked = new LinkedHashMap<>();
    private boolean deleteOnEnd = true;
    private Safetensors.Contents pending;

    public BackupAndRestore(Path path) {
        this.path = path;
    }

    /** Also saves and restores {@code generator}, e.g. the one that shuffles the training data each epoch. */
    public BackupAndRestore track(String name, Generator generator) {
        if (name == null || name.isEmpty() || name.contains(".") || tracked.containsKey(name)) {
            throw new IllegalArgumentException("BackupAndRestore.track: name must be non-empty, unique and without '.' — got '"
                    + name + "'");
        }
        tracked.put(name, generator);
        return this;
    }

    /** Keeps the backup file after training ends (Keras deletes it). */
    public BackupAndRestore keepAfterTraining() {
        this.deleteOnEnd = false;
        return this;
    }

    public Path path() {
        return path;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        if (!Files.exists(path)) {
            return;
        }
        Safetensors.Contents contents;
        try {
            contents = MemoryScope.unscoped(this::readBackup);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("BackupAndRestore: cannot resume from " + path + " — " + e.getCause().getMessage()
                    + " (delete the file to start afresh)", e.getCause());
        }
        try {
            restoreProgress(trainer, contents.metadata());
        } catch (RuntimeException e) {
            contents.tensors().values().forEach(Tensor::close);
            throw e;
        }
        pending = contents;
    }

    /** Checks the metadata, then sets the data generators' counters and the epoch to resume from. */
    private void restoreProgress(Trainer trainer, Map<String, String> meta) {
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalStateException("BackupAndRestore: " + path + " is not a Tessera backup (format '"
                    + meta.get("format") + "', expected '" + FORMAT + "')");
        }
        for (Map.Entry<String, Generator> e : tracked.entrySet()) {
            long seed = number(meta, "data." + e.getKey() + ".seed");
            if (seed != e.getValue().seed()) {
                throw new IllegalStateException("BackupAndRestore: generator '" + e.getKey() + "' has seed " + e.getValue().seed()
                        + " but the backup was made with seed " + seed);
            }
            number(meta, "data." + e.getKey() + ".counter");
        }
        number(meta, "model.seed");
        number(meta, "model.counter");
        int epoch = (int) number(meta, "epoch");
        for (Map.Entry<String, Generator> e : tracked.entrySet()) {
            e.getValue().setCounter(number(meta, "data." + e.getKey() + ".counter"));
        }
        trainer.setInitialEpoch(epoch);
    }

    private Safetensors.Contents readBackup() {
        try {
            return Safetensors.read(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores weights, optimizer state and the model generator once the model is built (before the first step). */
    @Override
    public void onBatchBegin(Trainer trainer, int epoch, int step) {
        if (pending == null) {
            return;
        }
        Safetensors.Contents contents = pending;
        pending = null;
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("model/")) {
                weights.put(k.substring("model/".length()), e.getValue());
            } else if (k.startsWith("optimizer/")) {
                state.put(k.substring("optimizer/".length()), e.getValue());
            } else {
                throw new IllegalStateException("BackupAndRestore: " + path + " has an unknown entry '" + k + "'");
            }
        }
        try {
            Module model = trainer.model();
            Map<String, Tensor> before = Weights.snapshot(model);
            try {
                Map<String, String> pairs = Weights.assignPaired(model, weights, path.toString());
                trainer.optimizer().importState(renamed(state, pairs));
            } catch (RuntimeException e) {
                // NOTE: the optimizer state did not fit: put the weights back so that nothing changed.
                Weights.assign(model, before, "the weights before restoring");
                throw e;
            } finally {
                before.values().forEach(Tensor::close);
            }
            long seed = number(contents.metadata(), "model.seed");
            if (model.generator().seed() != seed) {
                model.seed(seed);
            }
            model.generator().setCounter(number(contents.metadata(), "model.counter"));
        } finally {
            contents.tensors().values().forEach(Tensor::close);
        }
    }

    /** Optimizer state keys "fileName/slot" rewritten to the model's parameter paths. */
    private static Map<String, Tensor> renamed(Map<String, Tensor> state, Map<String, String> pairs) {
        Map<String, String> toModel = new HashMap<>();
        pairs.forEach((model, file) -> toModel.put(file, model));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String k = e.getKey();
            int cut = k.lastIndexOf('/');
            String param = cut < 0 ? null : toModel.get(k.substring(0, cut));
            out.put(param == null ? k : param + k.substring(cut), e.getValue());
        }
        return out;
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Weights.values(trainer.model()).forEach((k, v) -> tensors.put("model/" + k, v));
        try (MemoryScope scope = MemoryScope.open()) {
            trainer.optimizer().exportState().forEach((k, v) -> tensors.put("optimizer/" + k, v));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", FORMAT);
            meta.put("epoch", Integer.toString(epoch + 1));
            Generator g = trainer.model().generator();
            meta.put("model.seed", Long.toString(g.seed()));
            meta.put("model.counter", Long.toString(g.counter()));
            for (Map.Entry<String, Generator> e : tracked.entrySet()) {
                meta.put("data." + e.getKey() + ".seed", Long.toString(e.getValue().seed()));
                meta.put("data." + e.getKey() + ".counter", Long.toString(e.getValue().counter()));
            }
            Safetensors.write(path, tensors, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: cannot write " + path, e);
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer) {
        if (deleteOnEnd) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("BackupAndRestore: cannot delete " + path, e);
            }
        }
    }

    private long number(Map<String, String> meta, String key) {
        String v = meta.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("BackupAndRestore: " + path + " has no valid '" + key + "' in its metadata — got "
                    + v);
        }
    }
}
