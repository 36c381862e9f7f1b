package dev.tessera;

import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.Node;
import dev.tessera.backend.AdamSpec;
import dev.tessera.backend.Backend;
import dev.tessera.backend.Backends;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Operand;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.Storage;
import dev.tessera.backend.UnaryOp;
import dev.tessera.memory.MemoryScope;
import dev.tessera.ops.Creation;
import dev.tessera.ops.Elementwise;
import dev.tessera.ops.Fused;
import dev.tessera.ops.Indexing;
import dev.tessera.ops.MatMul;
import dev.tessera.ops.Movement;
import dev.tessera.ops.Reductions;
import dev.tessera.ops.Softmax;
import dev.tessera.random.Generator;

/**
 * An n-dimensional array on a device, with reverse-mode autograd. Views share storage; every maths
 * method is a one-liner over the op classes in {@code dev.tessera.ops}, which check the inputs,
 * call the backend and record the gradient. Close a tensor (or its {@link MemoryScope}) to free it
 * now; the garbage collector is only the safety net.
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final Storage storage;
    private final Layout layout;
    private volatile boolean closed;
    private MemoryScope scope;
    private boolean requiresGrad;
    private Tensor grad;
    private Node node;
    private boolean intermediate;

    /**
     * Wraps {@code storage} seen through {@code layout}; the tensor takes over one reference to the
     * storage. Meant for op and backend code; users create tensors with the factory methods.
     */
    public Tensor(Backend backend, Storage storage, Layout layout) {
        this.backend = backend;
        this.storage = storage;
        this.layout = layout;
        MemoryScope.register(this);
    }

    // ---- creation -------------------------------------------------------------------------

    /** An uninitialised contiguous tensor; for op code that writes every element. */
    public static Tensor empty(Shape shape, DType dtype, Device device) {
        Backend b = Backends.forDevice(device);
        return new Tensor(b, b.allocate(dtype, shape.numel()), Layout.contiguous(shape));
    }

    public static Tensor zeros(long... dims) {
        return full(Shape.of(dims), 0.0, DType.FLOAT32, Device.cpu());
    }

    public static Tensor zeros(Shape shape, DType dtype, Device device) {
        return full(shape, 0.0, dtype, device);
    }

    public static Tensor ones(long... dims) {
        return full(Shape.of(dims), 1.0, DType.FLOAT32, Device.cpu());
    }

    public static Tensor ones(Shape shape, DType dtype, Device device) {
        return full(shape, 1.0, dtype, device);
    }

    public static Tensor full(Shape shape, double value, DType dtype, Device device) {
        return Creation.full(shape, value, dtype, device);
    }

    /** A rank-0 FLOAT32 tensor on the CPU. */
    public static Tensor scalar(double value) {
        return full(Shape.scalar(), value, DType.FLOAT32, Device.cpu());
    }

    /** start, start + step, ... below end. */
    public static Tensor arange(double start, double end, double step, DType dtype, Device device) {
        return Creation.arange(start, end, step, dtype, device);
    }

    /** 0, 1, ..., n - 1 as INT64 on the CPU. */
    public static Tensor arange(long n) {
        return Creation.arange(0, n, 1, DType.INT64, Device.cpu());
    }

    /** {@code steps} evenly spaced values from start to end inclusive. */
    public static Tensor linspace(double start, double end, int steps, DType dtype, Device device) {
        return Creation.linspace(start, end, steps, dtype, device);
    }

    public static Tensor of(float[] data, long... dims) {
        return Creation.fromArray(data, DType.FLOAT32, Shape.of(dims), Device.cpu());
    }

    public static Tensor of(double[] data, long... dims) {
        return Creation.fromArray(data, DType.FLOAT64, Shape.of(dims), Device.cpu());
    }

    public static Tensor of(int[] data, long... dims) {
        return Creation.fromArray(data, DType.INT32, Shape.of(dims), Device.cpu());
    }

    public static Tensor of(long[] data, long... dims) {
        return Creation.fromArray(data, DType.INT64, Shape.of(dims), Device.cpu());
    }

    /** A 1-D FLOAT32 tensor. */
    public static Tensor of(float... data) {
        return of(data, data.length);
    }

    /** Uniform in [0, 1), FLOAT32 on the CPU. */
    public static Tensor rand(Generator gen, long... dims) {
        return uniform(gen, Shape.of(dims), 0.0, 1.0, DType.FLOAT32, Device.cpu());
    }

    /** Standard normal, FLOAT32 on the CPU. */
    public static Tensor randn(Generator gen, long... dims) {
        return normal(gen, Shape.of(dims), 0.0, 1.0, DType.FLOAT32, Device.cpu());
    }

    public static Tensor uniform(Generator gen, Shape shape, double low, double high, DType dtype, Device device) {
        return Creation.random(dev.tessera.backend.RandomOp.UNIFORM, gen, shape, low, high, dtype, device);
    }

    public static Tensor normal(Generator gen, Shape shape, double mean, double std, DType dtype, Device device) {
        return Creation.random(dev.tessera.backend.RandomOp.NORMAL, gen, shape, mean, std, dtype, device);
    }

    /** 1 with probability p, else 0. */
    public static Tensor bernoulli(Generator gen, Shape shape, double p, DType dtype, Device device) {
        return Creation.random(dev.tessera.backend.RandomOp.BERNOULLI, gen, shape, p, 0, dtype, device);
    }

    /** A tensor of zeros with this one's shape, dtype and device. */
    public Tensor zerosLike() {
        return full(shape(), 0.0, dtype(), device());
    }

    public Tensor onesLike() {
        return full(shape(), 1.0, dtype(), device());
    }

    /** A rank-0 tensor of this one's dtype and device. */
    public Tensor scalarLike(double value) {
        return full(Shape.scalar(), value, dtype(), device());
    }

    // ---- metadata -------------------------------------------------------------------------

    public Shape shape() {
        return layout.shape();
    }

    public long dim(int axis) {
        return layout.shape().dim(axis);
    }

    public int rank() {
        return layout.rank();
    }

    public long numel() {
        return layout.numel();
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Device device() {
        return backend.device();
    }

    public Backend backend() {
        return backend;
    }

    public Layout layout() {
        return layout;
    }

    /** The storage, for op and backend code. */
    public Storage storage() {
        ensureOpen();
        return storage;
    }

    /** What a kernel reads: storage plus layout. Throws if the tensor was closed. */
    public Operand operand() {
        ensureOpen();
        return new Operand(storage, layout);
    }

    public boolean isContiguous() {
        return layout.isContiguous();
    }

    // ---- lifetime -------------------------------------------------------------------------

    /** Releases this tensor's hold on its storage; views keep their own hold. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            storage.release();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("tensor " + shape() + " " + dtype() + " was closed" + (intermediate
                    ? ": it was an intermediate of a module's forward pass, freed by the backward pass through it"
                    + " (run the forward pass again to go backward a second time)" : ""));
        }
    }

    /** The scope that will close this tensor, or null. */
    public MemoryScope scope() {
        return scope;
    }

    /** For {@link MemoryScope} only. */
    public void setScope(MemoryScope scope) {
        this.scope = scope;
    }

    /** A new tensor object sharing this one's storage through another layout. */
    public Tensor view(Layout newLayout) {
        ensureOpen();
        return new Tensor(backend, storage.retain(), newLayout);
    }

    // ---- autograd -------------------------------------------------------------------------

    /** Whether gradients flow to or through this tensor. */
    public boolean requiresGrad() {
        return requiresGrad || node != null;
    }

    /** Marks a leaf tensor as one whose gradient is accumulated by {@link #backward()}. */
    public Tensor requiresGrad(boolean value) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only leaf tensors can be marked; detach() first");
        }
        if (value && !dtype().isFloating()) {
            throw new IllegalArgumentException("requiresGrad: only floating-point tensors can have gradients — got " + dtype());
        }
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf, or null. */
    public Tensor grad() {
        return grad;
    }

    /** For autograd and optimizers: replaces the accumulated gradient. */
    public void setGrad(Tensor grad) {
        this.grad = grad;
    }

    /** Frees and forgets the accumulated gradient. */
    public void zeroGrad() {
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    /** The recorded operation that produced this tensor, or null for a leaf. */
    public Node node() {
        return node;
    }

    /** For {@link Node#record} only. */
    public void setNode(Node node) {
        this.node = node;
    }

    /**
     * Marks this tensor as an intermediate of a module's forward pass that nothing outside the
     * module holds (see {@link MemoryScope#markIntermediatesSince}): backward closes it as soon as
     * its own node's backward has run, since no later node reads it.
     */
    public void markIntermediate() {
        intermediate = true;
    }

    /** Whether {@link #markIntermediate} was called. */
    public boolean isIntermediate() {
        return intermediate;
    }

    public boolean isLeaf() {
        return node == null;
    }

    /** Back-propagates from a scalar (one-element) tensor. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: needs a one-element tensor — got shape " + shape()
                    + "; pass the output gradient explicitly");
        }
        Autograd.backward(this, onesLike());
    }

    /** Back-propagates {@code gradOut} (same shape as this tensor). */
    public void backward(Tensor gradOut) {
        Autograd.backward(this, gradOut);
    }

    /** The same data, cut from the graph. */
    public Tensor detach() {
        return view(layout);
    }

    // ---- element-wise ---------------------------------------------------------------------

    public Tensor unary(UnaryOp op, double alpha) {
        return Elementwise.unary(op, this, alpha);
    }

    public Tensor add(Tensor other) {
        return Elementwise.binary(BinaryOp.ADD, this, other);
    }

    public Tensor add(double v) {
        return Elementwise.unary(UnaryOp.SHIFT, this, v);
    }

    public Tensor sub(Tensor other) {
        return Elementwise.binary(BinaryOp.SUB, this, other);
    }

    public Tensor sub(double v) {
        return Elementwise.unary(UnaryOp.SHIFT, this, -v);
    }

    /** v - this. */
    public Tensor rsub(double v) {
        return Elementwise.unary(UnaryOp.SHIFT, Elementwise.unary(UnaryOp.NEG, this, 0), v);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.binary(BinaryOp.MUL, this, other);
    }

    public Tensor mul(double v) {
        return Elementwise.unary(UnaryOp.SCALE, this, v);
    }

    public Tensor div(Tensor other) {
        return Elementwise.binary(BinaryOp.DIV, this, other);
    }

    public Tensor div(double v) {
        return Elementwise.unary(UnaryOp.SCALE, this, 1.0 / v);
    }

    public Tensor pow(Tensor exponent) {
        return Elementwise.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor powScalar(double exponent) {
        return Elementwise.unary(UnaryOp.POW_SCALAR, this, exponent);
    }

    public Tensor maximum(Tensor other) {
        return Elementwise.binary(BinaryOp.MAXIMUM, this, other);
    }

    public Tensor minimum(Tensor other) {
        return Elementwise.binary(BinaryOp.MINIMUM, this, other);
    }

    /** Limits every element to [min, max]. */
    public Tensor clamp(double min, double max) {
        return Elementwise.clamp(this, min, max);
    }

    public Tensor neg() {
        return unary(UnaryOp.NEG, 0);
    }

    public Tensor abs() {
        return unary(UnaryOp.ABS, 0);
    }

    public Tensor sign() {
        return unary(UnaryOp.SIGN, 0);
    }

    public Tensor exp() {
        return unary(UnaryOp.EXP, 0);
    }

    public Tensor log() {
        return unary(UnaryOp.LOG, 0);
    }

    public Tensor sqrt() {
        return unary(UnaryOp.SQRT, 0);
    }

    public Tensor square() {
        return unary(UnaryOp.SQUARE, 0);
    }

    public Tensor reciprocal() {
        return unary(UnaryOp.RECIPROCAL, 0);
    }

    public Tensor relu() {
        return unary(UnaryOp.RELU, 0);
    }

    public Tensor leakyRelu(double slope) {
        return unary(UnaryOp.LEAKY_RELU, slope);
    }

    public Tensor elu(double alpha) {
        return unary(UnaryOp.ELU, alpha);
    }

    public Tensor gelu() {
        return unary(UnaryOp.GELU, 0);
    }

    public Tensor sigmoid() {
        return unary(UnaryOp.SIGMOID, 0);
    }

    public Tensor tanh() {
        return unary(UnaryOp.TANH, 0);
    }

    /** cond != 0 ? a : b, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.where(cond, a, b);
    }

    public Tensor eq(Tensor other) {
        return Elementwise.binary(BinaryOp.EQ, this, other);
    }

    public Tensor ne(Tensor other) {
        return Elementwise.binary(BinaryOp.NE, this, other);
    }

    public Tensor lt(Tensor other) {
        return Elementwise.binary(BinaryOp.LT, this, other);
    }

    public Tensor le(Tensor other) {
        return Elementwise.binary(BinaryOp.LE, this, other);
    }

    public Tensor gt(Tensor other) {
        return Elementwise.binary(BinaryOp.GT, this, other);
    }

    public Tensor ge(Tensor other) {
        return Elementwise.binary(BinaryOp.GE, this, other);
    }

    public Tensor eq(double v) {
        return eq(scalarLike(v));
    }

    public Tensor lt(double v) {
        return lt(scalarLike(v));
    }

    public Tensor le(double v) {
        return le(scalarLike(v));
    }

    public Tensor gt(double v) {
        return gt(scalarLike(v));
    }

    public Tensor ge(double v) {
        return ge(scalarLike(v));
    }

    /** A copy converted to {@code dtype} (the same tensor if it already has it). */
    public Tensor to(DType dtype) {
        return Elementwise.cast(this, dtype);
    }

    /** A copy on {@code device} (the same tensor if it is already there). */
    public Tensor to(Device device) {
        return Movement.toDevice(this, device);
    }

    /** A contiguous copy that does not share storage. */
    public Tensor copy() {
        return Movement.copy(this);
    }

    // ---- in place (optimizers, no graph) --------------------------------------------------

    /** this += other (broadcast to this shape); refused on tensors that are part of a graph. */
    public Tensor addInPlace(Tensor other) {
        return Elementwise.inPlace(BinaryOp.ADD, this, other);
    }

    /** this -= other. */
    public Tensor subInPlace(Tensor other) {
        return Elementwise.inPlace(BinaryOp.SUB, this, other);
    }

    /** this *= other. */
    public Tensor mulInPlace(Tensor other) {
        return Elementwise.inPlace(BinaryOp.MUL, this, other);
    }

    /** this *= v. */
    public Tensor mulInPlace(double v) {
        return Elementwise.inPlace(BinaryOp.MUL, this, scalarLike(v));
    }

    /** One Adam step on this parameter in place, given its gradient and moments (updated too); see {@link Backend#adamUpdate}. */
    public Tensor adamUpdateInPlace(Tensor grad, Tensor m, Tensor v, AdamSpec spec) {
        return Fused.adamUpdate(this, grad, m, v, spec);
    }

    /** Copies {@code src} (broadcast to this shape, cast to this dtype) into this tensor. */
    public Tensor copyFrom(Tensor src) {
        return Movement.copyInto(src, this);
    }

    /** Sets every element to v. */
    public Tensor fill(double v) {
        return Creation.fillInPlace(this, v);
    }

    // ---- reductions -----------------------------------------------------------------------

    /** Sum of all elements, as a rank-0 tensor. */
    public Tensor sum() {
        return Reductions.reduce(ReduceOp.SUM, this, false, allAxes());
    }

    public Tensor sum(int... axes) {
        return Reductions.reduce(ReduceOp.SUM, this, false, axes);
    }

    public Tensor sum(boolean keepDims, int... axes) {
        return Reductions.reduce(ReduceOp.SUM, this, keepDims, axes);
    }

    public Tensor mean() {
        return Reductions.mean(this, false, allAxes());
    }

    public Tensor mean(int... axes) {
        return Reductions.mean(this, false, axes);
    }

    public Tensor mean(boolean keepDims, int... axes) {
        return Reductions.mean(this, keepDims, axes);
    }

    public Tensor max() {
        return Reductions.reduce(ReduceOp.MAX, this, false, allAxes());
    }

    public Tensor max(boolean keepDims, int... axes) {
        return Reductions.reduce(ReduceOp.MAX, this, keepDims, axes);
    }

    public Tensor min() {
        return Reductions.reduce(ReduceOp.MIN, this, false, allAxes());
    }

    public Tensor min(boolean keepDims, int... axes) {
        return Reductions.reduce(ReduceOp.MIN, this, keepDims, axes);
    }

    /** Population variance (divides by N, as Keras and NumPy's default). */
    public Tensor variance(boolean keepDims, int... axes) {
        return Reductions.variance(this, keepDims, axes);
    }

    /** INT64 index of the largest element along {@code axis} (the first on ties). */
    public Tensor argmax(int axis) {
        return Reductions.arg(ReduceOp.ARGMAX, this, axis, false);
    }

    public Tensor argmin(int axis) {
        return Reductions.arg(ReduceOp.ARGMIN, this, axis, false);
    }

    private int[] allAxes() {
        int[] a = new int[rank()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    // ---- linear algebra -------------------------------------------------------------------

    /** Matrix product: 2-D, or batched over leading dims with broadcasting; 1-D operands as in NumPy. */
    public Tensor matmul(Tensor other) {
        return MatMul.apply(this, other);
    }

    /** Swaps the last two axes. */
    public Tensor mT() {
        return Movement.transpose(this, -2, -1);
    }

    // ---- shape and views ------------------------------------------------------------------

    /** The same elements in a new shape; one dimension may be -1. A view when the layout allows. */
    public Tensor reshape(long... dims) {
        return Movement.reshape(this, dims);
    }

    /** Collapses every axis from {@code startAxis} on into one. */
    public Tensor flatten(int startAxis) {
        return Movement.flatten(this, startAxis);
    }

    public Tensor permute(int... axes) {
        return Movement.permute(this, axes);
    }

    public Tensor transpose(int a, int b) {
        return Movement.transpose(this, a, b);
    }

    /** Elements start..end-1 of {@code axis} (a view). */
    public Tensor slice(int axis, long start, long end) {
        return Movement.slice(this, axis, start, end);
    }

    /** {@code length} elements of {@code axis} from {@code start} (a view). */
    public Tensor narrow(int axis, long start, long length) {
        return Movement.slice(this, axis, start, start + length);
    }

    /** Index {@code index} of {@code axis}, dropping the axis (a view). */
    public Tensor select(int axis, long index) {
        return Movement.select(this, axis, index);
    }

    /** Broadcasts to {@code dims} (-1 keeps a dimension) without copying. */
    public Tensor expand(long... dims) {
        return Movement.expand(this, dims);
    }

    public Tensor broadcastTo(Shape shape) {
        return Movement.expand(this, shape.toArray());
    }

    /** Drops every size-1 axis. */
    public Tensor squeeze() {
        return Movement.squeeze(this);
    }

    public Tensor squeeze(int axis) {
        return Movement.squeeze(this, axis);
    }

    public Tensor unsqueeze(int axis) {
        return Movement.unsqueeze(this, axis);
    }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return Movement.contiguous(this);
    }

    public static Tensor concat(int axis, Tensor... tensors) {
        return Movement.concat(axis, tensors);
    }

    public static Tensor stack(int axis, Tensor... tensors) {
        return Movement.stack(axis, tensors);
    }

    /** Splits {@code axis} into pieces of the given sizes (views). */
    public Tensor[] split(int axis, long... sizes) {
        return Movement.split(this, axis, sizes);
    }

    /** Splits {@code axis} into {@code chunks} equal pieces (views). */
    public Tensor[] chunk(int chunks, int axis) {
        return Movement.chunk(this, chunks, axis);
    }

    // ---- indexing -------------------------------------------------------------------------

    /** out[..., i, ...] = this[..., index[..., i, ...], ...] along {@code axis} (take_along_axis). */
    public Tensor gather(int axis, Tensor index) {
        return Indexing.gather(this, axis, index);
    }

    /** Rows (entries of {@code axis}) picked by an integer tensor of any shape; the result replaces axis by index's shape. */
    public Tensor indexSelect(int axis, Tensor index) {
        return Indexing.indexSelect(this, axis, index);
    }

    /** One-hot encoding of an integer tensor into a new last axis of size {@code depth}, as FLOAT32. */
    public Tensor oneHot(int depth) {
        return Indexing.oneHot(this, depth, DType.FLOAT32);
    }

    // ---- softmax --------------------------------------------------------------------------

    public Tensor softmax(int axis) {
        return Softmax.softmax(this, axis, false);
    }

    public Tensor logSoftmax(int axis) {
        return Softmax.softmax(this, axis, true);
    }

    // ---- reading values -------------------------------------------------------------------

    /** The single element as a double. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: needs a one-element tensor — got shape " + shape());
        }
        return toDoubleArray()[0];
    }

    /** The element at a multi-index, as a double. */
    public double getDouble(long... index) {
        if (index.length != rank()) {
            throw new IllegalArgumentException("getDouble: " + index.length + " indices for shape " + shape());
        }
        Tensor v = this;
        for (int i = index.length - 1; i >= 0; i--) {
            v = v.select(i, index[i]);
        }
        return v.item();
    }

    public float[] toFloatArray() {
        return (float[]) Movement.toHost(this, DType.FLOAT32);
    }

    public double[] toDoubleArray() {
        return (double[]) Movement.toHost(this, DType.FLOAT64);
    }

    public int[] toIntArray() {
        return (int[]) Movement.toHost(this, DType.INT32);
    }

    public long[] toLongArray() {
        return (long[]) Movement.toHost(this, DType.INT64);
    }

    /** NumPy-like text, summarised with "..." for large tensors. */
    @Override
    public String toString() {
        if (closed) {
            return "tensor(<closed>, shape=" + shape() + ", dtype=" + dtype().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        return TensorFormat.format(this);
    }
}
