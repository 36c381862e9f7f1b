package dev.tessera.nn;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.memory.MemoryScope;
import dev.tessera.nn.init.Initializer;
import dev.tessera.random.Generator;
import java.util.ArrayList;
import java.util.Collections;
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
    private boolean built;
    private boolean training = true;
    private Generator generator;
    private DType dtype = DType.FLOAT32;
    private Shape lastOutputShape;

    protected Module() {
        this(null);
    }

    /** @param name the layer name shown by summary(); null gives Keras' style "dense", "dense_1", ... */
    protected Module(String name) {
        this.name = name != null ? name : autoName(getClass().getSimpleName());
    }

    private static String autoName(String type) {
        String snake = type.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z])([A-Z][a-z])", "$1_$2")
                .toLowerCase(Locale.ROOT);
        int n = NAME_COUNTERS.computeIfAbsent(snake, k -> new AtomicInteger()).getAndIncrement();
        return n == 0 ? snake : snake + "_" + n;
    }

    public String name() {
        return name;
    }

    /** The class name shown in summary(), e.g. "Dense". */
    public String typeName() {
        return getClass().getSimpleName();
    }

    // ---- calling ------------------------------------------------------------------------

    /** Builds on first use from the inputs' shapes, then runs {@link #forward}. */
    public final Tensor call(Tensor... inputs) {
        if (!built) {
            Shape[] shapes = new Shape[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] == null) {
                    throw new IllegalArgumentException(name + ": input " + i + " is null");
                }
                shapes[i] = inputs[i].shape();
            }
            build(shapes);
            built = true;
        }
        Tensor out = forward(inputs);
        lastOutputShape = out.shape();
        return out;
    }

    /** Creates the parameters for inputs of these shapes (batch dimension included); the default creates none. */
    protected void build(Shape... inputShapes) {
    }

    /** The computation, in tensor ops; gradients come from autograd. */
    protected abstract Tensor forward(Tensor... inputs);

    /** Builds the module for inputs of these shapes without running it. */
    public final void buildFor(Shape... inputShapes) {
        if (!built) {
            build(inputShapes);
            built = true;
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
        Tensor value = MemoryScope.unscoped(() -> init.create(shape, dtype, Device.cpu(), generator()));
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
        m.dtype = dtype;
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

    /** Path of this module from the root, e.g. "model/film1/dense", for error messages. */
    public String path() {
        return parent == null ? name : parent.path() + "/" + name;
    }

    /** Fails with the layer path, expected and actual shape when an input has the wrong rank. */
    protected void expectRank(Tensor x, int rank, String what) {
        if (x.rank() != rank) {
            throw new IllegalArgumentException(path() + " (" + typeName() + "): expected " + what + " of rank " + rank
                    + " — got shape " + x.shape());
        }
    }

    /** Fails with the layer path, expected and actual size of the last axis. */
    protected void expectLastDim(Tensor x, long size, String what) {
        if (x.dim(-1) != size) {
            throw new IllegalArgumentException(path() + " (" + typeName() + "): expected " + what + " with last dimension "
                    + size + " — got shape " + x.shape());
        }
    }

    @Override
    public String toString() {
        return name + " (" + typeName() + ")";
    }
}
