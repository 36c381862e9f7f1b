package dev.tessera.train;

import dev.tessera.Tensor;
import dev.tessera.io.Safetensors;
import dev.tessera.memory.MemoryScope;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a module's parameters as safetensors, keyed by path ("conv1/kernel"), so they
 * open in PyTorch and Hugging Face tools. Loading validates every name, shape and dtype before
 * assigning anything: a file that does not fit is refused and the module is left unchanged.
 */
public final class Weights {
    private Weights() {
    }

    /** Writes every parameter (trainable or not) atomically: temp file, fsync, rename. */
    public static void save(Module module, Path path) throws IOException {
        Safetensors.write(path, values(module));
    }

    /**
     * Loads the parameters saved by {@link #save}. A truncated or malformed file raises an
     * IOException naming the file and byte offset; names, shapes or dtypes that differ raise an
     * IllegalArgumentException listing every difference. Either way nothing is assigned.
     */
    public static void load(Module module, Path path) throws IOException {
        try (MemoryScope scope = MemoryScope.open()) {
            assign(module, Safetensors.load(path), path.toString());
        }
    }

    /** The live parameter tensors by path (not copies). */
    public static Map<String, Tensor> values(Module module) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
            out.put(e.getKey(), e.getValue().value());
        }
        return out;
    }

    /** Copies of every parameter that outlive any memory scope (for restoring later with {@link #assign}). */
    public static Map<String, Tensor> snapshot(Module module) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : values(module).entrySet()) {
            out.put(e.getKey(), MemoryScope.unscoped(() -> e.getValue().copy()));
        }
        return out;
    }

    /**
     * Assigns {@code tensors} to the module's parameters after checking that they pair one to one
     * with the same shapes and dtypes; {@code source} names the origin in errors. Names pair
     * exactly, or, failing that, up to Keras-style automatic numbering ("dense_4" takes the weights
     * saved as "dense" when the model was built after other layers in the same JVM).
     */
    public static void assign(Module module, Map<String, Tensor> tensors, String source) {
        assignPaired(module, tensors, source);
    }

    /** {@link #assign}, returning which file name each parameter path took its value from. */
    static Map<String, String> assignPaired(Module module, Map<String, Tensor> tensors, String source) {
        Map<String, Parameter> params = module.namedParameters();
        Map<String, String> pairs = ParameterNames.pair(params.keySet(), tensors.keySet());
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        if (pairs == null) {
            for (String k : params.keySet()) {
                if (!tensors.containsKey(k)) {
                    missing.add(k);
                }
            }
            for (String k : tensors.keySet()) {
                if (!params.containsKey(k)) {
                    unexpected.add(k);
                }
            }
        }
        Map<String, String> checked = pairs != null ? pairs : new LinkedHashMap<>();
        if (pairs == null) {
            params.keySet().stream().filter(tensors::containsKey).forEach(k -> checked.put(k, k));
        }
        for (Map.Entry<String, String> e : checked.entrySet()) {
            Tensor t = tensors.get(e.getValue());
            Tensor p = params.get(e.getKey()).value();
            if (!t.shape().equals(p.shape()) || t.dtype() != p.dtype()) {
                String fileName = e.getValue().equals(e.getKey()) ? "" : "'" + e.getValue() + "' ";
                mismatched.add(e.getKey() + " (file " + fileName + t.shape() + " " + t.dtype() + ", model " + p.shape() + " "
                        + p.dtype() + ")");
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            StringBuilder m = new StringBuilder("Weights.load: ").append(source).append(" does not fit model '")
                    .append(module.name()).append("'; nothing was loaded —");
            if (!missing.isEmpty()) {
                m.append(" missing: ").append(missing).append(';');
            }
            if (!unexpected.isEmpty()) {
                m.append(" unexpected: ").append(unexpected).append(';');
            }
            if (!mismatched.isEmpty()) {
                m.append(" shape or dtype mismatch: ").append(mismatched).append(';');
            }
            if (params.isEmpty()) {
                m.append(" (the model has no parameters yet: call it once to build it)");
            }
            throw new IllegalArgumentException(m.toString());
        }
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            params.get(e.getKey()).assign(tensors.get(e.getValue()));
        }
        return pairs;
    }
}
