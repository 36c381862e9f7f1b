package dev.tessera.optim;

import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.memory.MemoryScope;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Updates a module's trainable parameters from their gradients, in place and without recording a
 * graph. The per-parameter state (moments, velocities) is keyed by the parameter's path, e.g.
 * "dense/kernel/m", and together with the step count exports to and imports from a
 * {@code Map<String, Tensor>} for checkpoints. Options shared by every optimizer follow Keras:
 * a learning-rate schedule, decoupled weight decay ({@code w -= lr * wd * w} before the update)
 * and clipping by global norm (before weight decay).
 */
public abstract class Optimizer {
    /** Key of the step count in {@link #exportState()}. */
    public static final String ITERATIONS = "iterations";

    private final Supplier<Map<String, Parameter>> parameters;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private LearningRateSchedule schedule;
    private double weightDecay;
    private double globalClipNorm;
    private long iterations;

    /** Optimizes {@code module}'s trainable parameters, looked up at each step so that lazily built layers are included. */
    protected Optimizer(Module module, LearningRateSchedule schedule) {
        this(present(module, "module")::namedParameters, schedule);
    }

    /** Optimizes a fixed list of parameters, keyed by their local names (which must then be distinct). */
    protected Optimizer(List<Parameter> parameters, LearningRateSchedule schedule) {
        this(byName(present(parameters, "parameter list")), schedule);
    }

    private static <T> T present(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("Optimizer: the " + what + " to optimize must not be null");
        }
        return value;
    }

    private Optimizer(Supplier<Map<String, Parameter>> parameters, LearningRateSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning-rate schedule must not be null");
        }
        this.parameters = parameters;
        this.schedule = schedule;
    }

    private static Supplier<Map<String, Parameter>> byName(List<Parameter> list) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter p : list) {
            if (m.put(p.name(), p) != null) {
                throw new IllegalArgumentException("Optimizer: two parameters are named '" + p.name()
                        + "'; build the optimizer from the module so they are keyed by path");
            }
        }
        Map<String, Parameter> fixed = Collections.unmodifiableMap(m);
        return () -> fixed;
    }

    // ---- configuration ------------------------------------------------------------------

    /** Decoupled weight decay, applied as Keras 3 does: {@code w -= lr * weightDecay * w} before each update. */
    public Optimizer weightDecay(double weightDecay) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": weightDecay must be finite and >= 0 — got "
                    + weightDecay);
        }
        this.weightDecay = weightDecay;
        return this;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Scales all gradients together by {@code clipNorm / max(globalNorm, clipNorm)} (Keras'
     * {@code global_clipnorm}); 0 turns clipping off.
     */
    public Optimizer clipByGlobalNorm(double clipNorm) {
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": clipNorm must be finite and >= 0 — got " + clipNorm);
        }
        this.globalClipNorm = clipNorm;
        return this;
    }

    public Optimizer learningRate(LearningRateSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning-rate schedule must not be null");
        }
        this.schedule = schedule;
        return this;
    }

    /** The learning rate the next step will use. */
    public double currentLearningRate() {
        return schedule.at(iterations);
    }

    /** How many updates have been applied. */
    public long iterations() {
        return iterations;
    }

    // ---- stepping -----------------------------------------------------------------------

    /** Frees the gradients of every parameter. */
    public void zeroGrad() {
        for (Parameter p : parameters.get().values()) {
            p.value().zeroGrad();
        }
    }

    /** Applies one update to every trainable parameter that has a gradient, then counts the step. */
    public void step() {
        try (MemoryScope scope = MemoryScope.open(); Grad g = Grad.disabled()) {
            Map<String, Tensor> grads = new LinkedHashMap<>();
            Map<String, Tensor> values = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : parameters.get().entrySet()) {
                Parameter p = e.getValue();
                Tensor grad = p.grad();
                if (p.isTrainable() && grad != null && !grad.isClosed()) {
                    grads.put(e.getKey(), grad);
                    values.put(e.getKey(), p.value());
                }
            }
            if (globalClipNorm > 0 && !grads.isEmpty()) {
                clip(grads);
            }
            double lr = schedule.at(iterations);
            for (Map.Entry<String, Tensor> e : grads.entrySet()) {
                Tensor w = values.get(e.getKey());
                if (weightDecay > 0) {
                    w.subInPlace(w.mul(lr * weightDecay));
                }
                update(e.getKey(), w, e.getValue(), lr);
            }
            iterations++;
        }
    }

    private void clip(Map<String, Tensor> grads) {
        Tensor sumSquares = null;
        for (Tensor g : grads.values()) {
            Tensor s = g.square().sum();
            sumSquares = sumSquares == null ? s : sumSquares.add(s);
        }
        double norm = Math.sqrt(sumSquares.item());
        if (norm > globalClipNorm) {
            double factor = globalClipNorm / norm;
            grads.replaceAll((k, g) -> g.mul(factor));
        }
    }

    /**
     * Updates parameter {@code w} (named {@code name}) in place from gradient {@code g} at learning
     * rate {@code lr}; runs with recording off inside a scope that frees the temporaries. The step
     * count is {@link #iterations()} (not yet incremented).
     */
    protected abstract void update(String name, Tensor w, Tensor g, double lr);

    /** The names of the per-parameter state tensors this optimizer keeps, e.g. "m" and "v" for Adam. */
    protected abstract List<String> slotNames();

    /** The state tensor {@code slot} of parameter {@code name}, created as zeros shaped like {@code like} on first use. */
    protected Tensor slot(String name, String slot, Tensor like) {
        return state.computeIfAbsent(name + "/" + slot,
                k -> MemoryScope.unscoped(() -> Tensor.zeros(like.shape(), like.dtype(), like.device())));
    }

    // ---- state for checkpoints ----------------------------------------------------------

    /**
     * The step count (INT64 scalar under {@link #ITERATIONS}) and every state tensor by
     * "parameterPath/slot". The tensors are the live state: copy them before modifying.
     */
    public Map<String, Tensor> exportState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(ITERATIONS, Tensor.of(new long[] {iterations}));
        out.putAll(state);
        return out;
    }

    /**
     * Replaces the state with an exported one. Everything is checked first (keys name known
     * parameters, shapes and dtypes match); on any mismatch nothing changes and the message lists
     * every problem.
     */
    public void importState(Map<String, Tensor> saved) {
        String op = getClass().getSimpleName() + ".importState";
        Map<String, Parameter> params = parameters.get();
        List<String> problems = new ArrayList<>();
        Tensor it = saved.get(ITERATIONS);
        if (it == null || it.numel() != 1 || it.dtype().isFloating()) {
            problems.add("'" + ITERATIONS + "' must be one integer" + (it == null ? " — missing" : " — got " + it.shape()
                    + " " + it.dtype()));
        }
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            String key = e.getKey();
            if (key.equals(ITERATIONS)) {
                continue;
            }
            int cut = key.lastIndexOf('/');
            Parameter p = cut < 0 ? null : params.get(key.substring(0, cut));
            if (p == null) {
                problems.add("'" + key + "' names no parameter of this optimizer");
            } else if (!slotNames().contains(key.substring(cut + 1))) {
                problems.add("'" + key + "' is not a state of " + getClass().getSimpleName() + " (its states: " + slotNames() + ")");
            } else if (!p.value().shape().equals(e.getValue().shape()) || p.value().dtype() != e.getValue().dtype()) {
                problems.add("'" + key + "' is " + e.getValue().shape() + " " + e.getValue().dtype() + " but the parameter is "
                        + p.value().shape() + " " + p.value().dtype());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(op + ": state does not fit — " + String.join("; ", problems));
        }
        for (Tensor t : state.values()) {
            t.close();
        }
        state.clear();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            if (!e.getKey().equals(ITERATIONS)) {
                state.put(e.getKey(), MemoryScope.unscoped(() -> e.getValue().copy()));
            }
        }
        iterations = (long) it.item();
    }
}
