package dev.tessera.nn;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.memory.MemoryScope;
import dev.tessera.nn.init.Initializer;
import dev.tessera.random.Generator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A layer or model: explicitly registered parameters and children, built lazily on the first
 * call (input sizes are inferred, Keras style), train/eval mode. Subclasses override
 * {@link #build(Shape...)} to create parameters with {@link #param} and {@link #forward} to
 * compute; users call {@link #call}.
 */
public abstract class Module {
    private static final Map<String, AtomicInteger> NAME_COUNTERS = new ConcurrentHashMap<>();

    private final String name;
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private Module parent;
    private String localName;
    private boolean built;
    private boolean training = true;
    private Generator generator;
    private DType dtype = DType.FLOAT32;
    private Device device = Device.cpu();
    private Shape lastOutputShape;

    protected Module() {
        this(null);
    }

    /** @param name the layer name shown by summary(); null gives Keras' style "dense", "dense_1", ... */
    protected Module(String name) {
        this.name = name != null ? name : autoName(typeName());
    }

    private static String autoName(String type) {
        // Keras' snake case: "Conv2DTranspose" -> "conv2d_transpose", "GlobalMaxPooling2D" -> "global_max_pooling2d".
        String snake = type.replaceAll("(.)([A-Z][a-z]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT);
        int n = NAME_COUNTERS.computeIfAbsent(snake, k -> new AtomicInteger()).getAndIncrement();
        return n == 0 ? snake : snake + "_" + n;
    }

    public String name() {
        return name;
    }

    /** The type shown in summary() and used for automatic names, e.g. "Dense"; must not depend on fields. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    // ---- calling ------------------------------------------------------------------------

    /**
     * Builds on first use from the inputs' shapes, then runs {@link #forward}. Without gradient
     * recording ({@link Grad#disabled()}), every tensor the call creates other than its result is
     * freed when it returns.
     */
    public final Tensor call(Tensor... inputs) {
        return callMasked(null, inputs);
    }

    /**
     * Like {@link #call}, with a padding mask for the first input: a (batch, time) tensor, nonzero
     * at real steps and zero at padding (as {@code Embedding.computeMask} makes). Modules that use
     * masks override {@link #forwardMasked}; the others ignore it. A null mask is a plain call.
     */
    public final Tensor callMasked(Tensor mask, Tensor... inputs) {
        ensureBuilt(inputs);
        Tensor out;
        if (Grad.isEnabled()) {
            // What the forward pass made and does not return, only the graph holds: backward may
            // free it once past it (the activations of later layers are gone before the first
            // layer's gradient is formed).
            MemoryScope scope = MemoryScope.current();
            int mark = scope == null ? 0 : scope.mark();
            out = run(mask, inputs);
            if (scope != null) {
                scope.markIntermediatesSince(mark, out);
            }
        } else {
            // Without a graph nothing can reach this call's intermediates, so they are freed as it
            // returns instead of at the caller's scope (inference then holds one layer's
            // temporaries at a time, not the whole network's).
            try (MemoryScope scope = MemoryScope.open()) {
                out = scope.keep(run(mask, inputs));
            }
        }
        lastOutputShape = out.shape();
        return out;
    }

    private Tensor run(Tensor mask, Tensor[] inputs) {
        return mask == null ? forward(inputs) : forwardMasked(mask, inputs);
    }

    /** Builds from the inputs' shapes unless already built. */
    protected final void ensureBuilt(Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException(where() + ": input " + i + " is null");
            }
        }
        if (!built) {
            Shape[] shapes = new Shape[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                shapes[i] = inputs[i].shape();
            }
            build(shapes);
            built = true;
        }
    }

    /**
     * The output shape for inputs of these shapes (batch included). The default builds the module
     * and runs it once on zeros of the module's dtype in inference mode without recording
     * gradients; layers override it with a formula, which also lets a Sequential build them
     * without running anything. Modules that take token ids should override it.
     */
    public Shape computeOutputShape(Shape... inputShapes) {
        buildFor(inputShapes);
        return dryRun(inputShapes);
    }

    /** Runs the built module once on zeros in inference mode without gradients, restoring every mode after. */
    private Shape dryRun(Shape... inputShapes) {
        Map<Module, Boolean> modes = new IdentityHashMap<>();
        saveModes(modes);
        try (MemoryScope scope = MemoryScope.open(); Grad ignored = Grad.disabled()) {
            eval();
            Tensor[] zeros = new Tensor[inputShapes.length];
            for (int i = 0; i < zeros.length; i++) {
                zeros[i] = Tensor.zeros(inputShapes[i], dtype, device);
            }
            return call(zeros).shape();
        } finally {
            restoreModes(modes, training);
        }
    }

    /** Puts back the saved modes; a module made during the dry run takes its parent's restored mode. */
    private void restoreModes(Map<Module, Boolean> modes, boolean parentMode) {
        training = modes.getOrDefault(this, parentMode);
        for (Module c : children.values()) {
            c.restoreModes(modes, training);
        }
    }

    private void saveModes(Map<Module, Boolean> out) {
        out.put(this, training);
        for (Module c : children.values()) {
            c.saveModes(out);
        }
    }

    /** Whether this module's class (or a superclass below Module) overrides {@link #computeOutputShape} with a formula. */
    boolean hasOutputShapeFormula() {
        try {
            return getClass().getMethod("computeOutputShape", Shape[].class).getDeclaringClass() != Module.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("computeOutputShape is public on every module", e);
        }
    }

    /** Records an output shape found without calling the module (by a container's shape walk). */
    void noteOutputShape(Shape shape) {
        lastOutputShape = shape;
    }

    /** Keras' summary table: one row per direct child with its output shape and parameter count, then the totals. */
    public String summary() {
        return Summary.render(this);
    }

    /**
     * Builds the module for a batch of one with inputs of these shapes (batch dimension left out),
     * finds every child's output shape (running the module once on zeros when building did not
     * reveal them all), and returns {@link #summary()}.
     */
    public String summary(Shape... inputShapesWithoutBatch) {
        Shape[] shapes = new Shape[inputShapesWithoutBatch.length];
        for (int i = 0; i < shapes.length; i++) {
            long[] d = inputShapesWithoutBatch[i].toArray();
            long[] withBatch = new long[d.length + 1];
            withBatch[0] = 1;
            System.arraycopy(d, 0, withBatch, 1, d.length);
            shapes[i] = Shape.of(withBatch);
        }
        buildFor(shapes);
        boolean known = lastOutputShape != null;
        for (Module c : children.values()) {
            known &= c.lastOutputShape != null;
        }
        if (!known) {
            dryRun(shapes);
        }
        return summary();
    }

    /** Creates the parameters for inputs of these shapes (batch dimension included); the default creates none. */
    protected void build(Shape... inputShapes) {
    }

    /** The computation, in tensor ops; gradients come from autograd. */
    protected abstract Tensor forward(Tensor... inputs);

    /** The computation with a padding mask; the default ignores the mask (layers that do not look at time steps). */
    protected Tensor forwardMasked(Tensor mask, Tensor... inputs) {
        return forward(inputs);
    }

    /**
     * The padding mask of this module's output, given its first input and that input's mask (null
     * when unmasked); {@link Sequential} passes it to the next layer. The default gives null: the
     * mask stops here, unless the module is {@link PassesMask}. Embedding with maskZero creates
     * one; recurrent layers returning sequences pass theirs on.
     */
    public Tensor computeMask(Tensor input, Tensor inputMask) {
        return this instanceof PassesMask ? inputMask : null;
    }

    /** Builds the module for inputs of these shapes without running it. */
    public final void buildFor(Shape... inputShapes) {
        if (!built) {
            build(inputShapes);
            built = true;
        }
    }

    /** Fails once the module is built: layers are frozen after their first call. */
    protected void requireNotBuilt(String option) {
        if (built) {
            throw new IllegalStateException(where() + ": cannot set " + option
                    + " after the layer is built");
        }
    }

    public boolean isBuilt() {
        return built;
    }

    /** The output shape of the most recent call, or null before the first call. */
    public Shape lastOutputShape() {
        return lastOutputShape;
    }

    // ---- registration -------------------------------------------------------------------

    /** Registers a parameter created by {@code init} from this module's generator. */
    protected Parameter param(String localName, Shape shape, Initializer init, boolean trainable) {
        if (params.containsKey(localName) || children.containsKey(localName)) {
            throw new IllegalArgumentException(name + ": name '" + localName + "' is already registered");
        }
        Tensor value = MemoryScope.unscoped(() -> init.create(shape, dtype, device, generator()));
        Parameter p = new Parameter(localName, value, trainable);
        params.put(localName, p);
        return p;
    }

    /** Registers a child module; its parameters are named "childName/param". */
    protected <M extends Module> M child(String localName, M module) {
        if (params.containsKey(localName) || children.containsKey(localName)) {
            throw new IllegalArgumentException(name + ": name '" + localName + "' is already registered");
        }
        Module m = module;
        if (m.parent != null) {
            throw new IllegalArgumentException(name + ": module " + m.name + " already belongs to " + m.parent.name);
        }
        m.parent = this;
        m.localName = localName;
        if (!m.built) {
            m.dtype(dtype);
            m.device(device);
        }
        // A child made while building lazily, after the user's eval() or train(), takes the mode that call set.
        m.setTraining(training);
        children.put(localName, m);
        return module;
    }

    /** Direct children in registration order. */
    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** This module's own parameters (not its children's), in registration order. */
    public Map<String, Parameter> localParameters() {
        return Collections.unmodifiableMap(params);
    }

    /** Every parameter of this module and its descendants, keyed by path such as "conv1/kernel". */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + "/", out);
        }
    }

    /** Every parameter, in registration order. */
    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The trainable parameters, in registration order. */
    public List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : namedParameters().values()) {
            if (p.isTrainable()) {
                out.add(p);
            }
        }
        return out;
    }

    // ---- modes and state ----------------------------------------------------------------

    /** Training mode (dropout active, batch statistics used), for this module and its descendants. */
    public Module train() {
        setTraining(true);
        return this;
    }

    /** Inference mode, for this module and its descendants. */
    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean t) {
        training = t;
        for (Module c : children.values()) {
            c.setTraining(t);
        }
    }

    public boolean isTraining() {
        return training;
    }

    /** Marks every parameter built so far as frozen (not trained). */
    public Module freeze() {
        for (Parameter p : namedParameters().values()) {
            p.setTrainable(false);
        }
        return this;
    }

    /** Makes every floating-point parameter trainable again, except batch-norm style state registered as non-trainable by design. */
    public Module unfreeze() {
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().unfreeze();
        }
        for (Parameter p : params.values()) {
            if (!isState(p.name())) {
                p.setTrainable(true);
            }
        }
        return this;
    }

    /** Whether a parameter name denotes non-trainable state (overridden by layers such as BatchNormalization). */
    protected boolean isState(String localName) {
        return false;
    }

    /** The random stream used for initialisation and dropout: the root module's, seeded 0 unless {@link #seed} was called. */
    public Generator generator() {
        if (parent != null) {
            return parent.generator();
        }
        if (generator == null) {
            generator = new Generator(0);
        }
        return generator;
    }

    /** Seeds the random stream of this (root) module. */
    public Module seed(long seed) {
        if (parent != null) {
            throw new IllegalStateException(name + ": seed the root module, not a child");
        }
        generator = new Generator(seed);
        return this;
    }

    /** The parameter dtype used when building (FLOAT32 unless set before the first call). */
    public DType dtype() {
        return dtype;
    }

    /** Sets the dtype for parameters built from now on, here and in children (FLOAT64 for gradient checks). */
    public Module dtype(DType dtype) {
        if (built) {
            throw new IllegalStateException(name + ": set the dtype before the module is built");
        }
        this.dtype = dtype;
        for (Module c : children.values()) {
            c.dtype(dtype);
        }
        return this;
    }

    /** The device parameters are created on (the CPU unless set before the first call). */
    public Device device() {
        return device;
    }

    /**
     * Sets the device for parameters built from now on, here and in children: a model meant for
     * a GPU is built there, its initial values drawn from the module's seeded generator.
     */
    public Module device(Device device) {
        if (device == null) {
            throw new IllegalArgumentException(where() + ": device must not be null");
        }
        if (built) {
            throw new IllegalStateException(name + ": set the device before the module is built");
        }
        this.device = device;
        for (Module c : children.values()) {
            c.device(device);
        }
        return this;
    }

    /** Path of this module from the root by registered names, e.g. "model/film1/gamma", for error messages. */
    public String path() {
        return parent == null ? name : parent.path() + "/" + localName;
    }

    /** "path (Type)", the prefix of this layer's error messages. */
    protected String where() {
        return path() + " (" + typeName() + ")";
    }

    /** Fails with the layer path when the layer gets another number of inputs than it takes. */
    protected void expectInputCount(int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(where() + ": expected " + expected
                    + (expected == 1 ? " input" : " inputs") + " — got " + actual);
        }
    }

    /** Fails with the layer path, expected and actual shape when an input shape has the wrong rank. */
    protected void expectRank(Shape s, int rank, String what) {
        if (s.rank() != rank) {
            throw new IllegalArgumentException(where() + ": expected " + what + " of rank " + rank + " — got shape " + s);
        }
    }

    /** Fails with the layer path, expected and actual shape when an input has the wrong rank. */
    protected void expectRank(Tensor x, int rank, String what) {
        expectRank(x.shape(), rank, what);
    }

    /** Fails with the layer path, expected and actual shape when an input shape has a too small rank. */
    protected void expectMinRank(Shape s, int minRank, String what) {
        if (s.rank() < minRank) {
            throw new IllegalArgumentException(where() + ": expected " + what + " of rank >= " + minRank
                    + " — got shape " + s);
        }
    }

    /** Fails with the layer path, expected and actual shape when the last axis has the wrong size. */
    protected void expectLastDim(Shape s, long size, String what) {
        if (s.rank() == 0 || s.dim(-1) != size) {
            throw new IllegalArgumentException(where() + ": expected " + what + " with last dimension " + size
                    + " — got shape " + s);
        }
    }

    /** Fails with the layer path, expected and actual size of the last axis. */
    protected void expectLastDim(Tensor x, long size, String what) {
        expectLastDim(x.shape(), size, what);
    }

    @Override
    public String toString() {
        return name + " (" + typeName() + ")";
    }
}
