package dev.tessera.ops;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.autograd.Node;
import dev.tessera.backend.Backend;
import dev.tessera.backend.Backends;
import dev.tessera.backend.Operand;
import java.util.Arrays;

/** Views (reshape, permute, slice, expand, squeeze), copies, joins and splits, and moves between devices. */
public final class Movement {
    private Movement() {
    }

    public static Tensor reshape(Tensor x, long... dims) {
        Shape target = resolve(x.shape(), dims);
        if (target.equals(x.shape())) {
            return x;
        }
        Tensor src = x.isContiguous() ? x : contiguous(x);
        Tensor out = src.view(new Layout(target, target.contiguousStrides(), src.layout().offset()));
        Shape from = x.shape();
        return Node.record(out, "reshape", g -> new Tensor[] {g.reshape(from.toArray())}, x);
    }

    private static Shape resolve(Shape from, long[] dims) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be -1 — got " + Arrays.toString(dims));
                }
                infer = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension — got " + Arrays.toString(dims));
            } else {
                known *= dims[i];
            }
        }
        long[] d = dims.clone();
        if (infer >= 0) {
            if (known == 0 || from.numel() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + from + " into " + Arrays.toString(dims));
            }
            d[infer] = from.numel() / known;
        }
        Shape s = Shape.of(d);
        if (s.numel() != from.numel()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + from + " (" + from.numel()
                    + " elements) into " + s + " (" + s.numel() + " elements)");
        }
        return s;
    }

    public static Tensor flatten(Tensor x, int startAxis) {
        int a = Shape.normalizeAxis(startAxis, Math.max(x.rank(), 1), "flatten");
        long[] d = new long[a + 1];
        long rest = 1;
        for (int i = 0; i < x.rank(); i++) {
            if (i < a) {
                d[i] = x.dim(i);
            } else {
                rest *= x.dim(i);
            }
        }
        d[a] = rest;
        return reshape(x, d);
    }

    public static Tensor permute(Tensor x, int... axes) {
        int r = x.rank();
        if (axes.length != r) {
            throw new IllegalArgumentException("permute: " + axes.length + " axes for shape " + x.shape());
        }
        boolean[] seen = new boolean[r];
        long[] dims = new long[r];
        long[] strides = new long[r];
        int[] inverse = new int[r];
        for (int i = 0; i < r; i++) {
            int a = Shape.normalizeAxis(axes[i], r, "permute");
            if (seen[a]) {
                throw new IllegalArgumentException("permute: axis repeated — got " + Arrays.toString(axes));
            }
            seen[a] = true;
            dims[i] = x.dim(a);
            strides[i] = x.layout().stride(a);
            inverse[a] = i;
        }
        Tensor out = x.view(new Layout(Shape.of(dims), strides, x.layout().offset()));
        return Node.record(out, "permute", g -> new Tensor[] {g.permute(inverse)}, x);
    }

    public static Tensor transpose(Tensor x, int a, int b) {
        int r = x.rank();
        int[] axes = new int[r];
        for (int i = 0; i < r; i++) {
            axes[i] = i;
        }
        int na = Shape.normalizeAxis(a, r, "transpose");
        int nb = Shape.normalizeAxis(b, r, "transpose");
        axes[na] = nb;
        axes[nb] = na;
        return permute(x, axes);
    }

    public static Tensor slice(Tensor x, int axis, long start, long end) {
        int a = Shape.normalizeAxis(axis, x.rank(), "slice");
        long n = x.dim(a);
        if (start < 0 || end < start || end > n) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is outside axis " + axis
                    + " of size " + n + " in " + x.shape());
        }
        Layout l = x.layout();
        Layout nl = new Layout(x.shape().with(a, end - start), l.strides(), l.offset() + start * l.stride(a));
        Tensor out = x.view(nl);
        return Node.recordWindow(out, "slice", (full, g) -> {
            Layout fl = full.layout();
            Operand window = new Operand(full.storage(),
                    new Layout(g.shape(), fl.strides(), fl.offset() + start * fl.stride(a)));
            Tensor sum = Tensor.empty(g.shape(), full.dtype(), full.device());
            full.backend().binary(dev.tessera.backend.BinaryOp.ADD, window, g.operand(), sum.operand());
            full.backend().copy(sum.operand(), window);
            sum.close();
        }, x);
    }

    public static Tensor select(Tensor x, int axis, long index) {
        int a = Shape.normalizeAxis(axis, x.rank(), "select");
        long n = x.dim(a);
        long i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) {
            throw new IllegalArgumentException("select: index " + index + " is out of range for axis " + axis
                    + " of size " + n + " in " + x.shape());
        }
        return squeeze(slice(x, a, i, i + 1), a);
    }

    public static Tensor expand(Tensor x, long... dims) {
        int extra = dims.length - x.rank();
        if (extra < 0) {
            throw new IllegalArgumentException("expand: cannot expand " + x.shape() + " to fewer dimensions " + Arrays.toString(dims));
        }
        long[] d = dims.clone();
        for (int i = extra; i < d.length; i++) {
            if (d[i] == -1) {
                d[i] = x.dim(i - extra);
            }
        }
        Shape target = Shape.of(d);
        if (target.equals(x.shape())) {
            return x;
        }
        Tensor out = x.view(Checks.broadcastLayout(x.layout(), target, "expand"));
        return Node.record(out, "expand", g -> new Tensor[] {g}, x);
    }

    public static Tensor squeeze(Tensor x) {
        long[] d = Arrays.stream(x.shape().toArray()).filter(v -> v != 1).toArray();
        return reshape(x, d);
    }

    public static Tensor squeeze(Tensor x, int axis) {
        int a = Shape.normalizeAxis(axis, x.rank(), "squeeze");
        if (x.dim(a) != 1) {
            throw new IllegalArgumentException("squeeze: axis " + axis + " of " + x.shape() + " has size " + x.dim(a) + ", not 1");
        }
        long[] d = new long[x.rank() - 1];
        for (int i = 0, k = 0; i < x.rank(); i++) {
            if (i != a) {
                d[k++] = x.dim(i);
            }
        }
        return reshape(x, d);
    }

    public static Tensor unsqueeze(Tensor x, int axis) {
        int a = Shape.normalizeAxis(axis, x.rank() + 1, "unsqueeze");
        long[] d = new long[x.rank() + 1];
        for (int i = 0, k = 0; i < d.length; i++) {
            d[i] = i == a ? 1 : x.dim(k++);
        }
        return reshape(x, d);
    }

    public static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : copy(x);
    }

    /** A contiguous copy with its own storage. */
    public static Tensor copy(Tensor x) {
        Tensor out = Tensor.empty(x.shape(), x.dtype(), x.device());
        x.backend().copy(x.operand(), out.operand());
        return Node.record(out, "copy", g -> new Tensor[] {g}, x);
    }

    /** Writes {@code src}, broadcast and cast, into {@code dst} in place. */
    public static Tensor copyInto(Tensor src, Tensor dst) {
        Checks.writable("copyFrom", dst);
        Checks.sameDevice("copyFrom", src, dst);
        Operand s = new Operand(src.storage(), Checks.broadcastLayout(src.layout(), dst.shape(), "copyFrom"));
        dst.backend().copy(s, dst.operand());
        return dst;
    }

    public static Tensor concat(int axis, Tensor... ts) {
        if (ts.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        Tensor first = ts[0];
        int a = Shape.normalizeAxis(axis, first.rank(), "concat");
        long total = 0;
        for (Tensor t : ts) {
            Checks.sameDevice("concat", first, t);
            Checks.sameDtype("concat", first, t);
            if (t.rank() != first.rank()) {
                throw new IllegalArgumentException("concat: ranks differ — got " + first.shape() + " and " + t.shape());
            }
            for (int i = 0; i < t.rank(); i++) {
                if (i != a && t.dim(i) != first.dim(i)) {
                    throw new IllegalArgumentException("concat: shapes differ outside axis " + axis + " — got "
                            + first.shape() + " and " + t.shape());
                }
            }
            total += t.dim(a);
        }
        Shape shape = first.shape().with(a, total);
        Tensor out = Tensor.empty(shape, first.dtype(), first.device());
        long[] strides = out.layout().strides();
        long offset = 0;
        long[] starts = new long[ts.length];
        for (int k = 0; k < ts.length; k++) {
            starts[k] = offset;
            Layout part = new Layout(ts[k].shape(), strides, offset * strides[a]);
            out.backend().copy(ts[k].operand(), new Operand(out.storage(), part));
            offset += ts[k].dim(a);
        }
        return Node.record(out, "concat", g -> {
            Tensor[] grads = new Tensor[ts.length];
            for (int k = 0; k < ts.length; k++) {
                grads[k] = g.slice(a, starts[k], starts[k] + ts[k].dim(a));
            }
            return grads;
        }, ts);
    }

    public static Tensor stack(int axis, Tensor... ts) {
        if (ts.length == 0) {
            throw new IllegalArgumentException("stack: needs at least one tensor");
        }
        int a = Shape.normalizeAxis(axis, ts[0].rank() + 1, "stack");
        Tensor[] expanded = new Tensor[ts.length];
        for (int k = 0; k < ts.length; k++) {
            if (!ts[k].shape().equals(ts[0].shape())) {
                throw new IllegalArgumentException("stack: shapes differ — got " + ts[0].shape() + " and " + ts[k].shape());
            }
            expanded[k] = unsqueeze(ts[k], a);
        }
        return concat(a, expanded);
    }

    public static Tensor[] split(Tensor x, int axis, long... sizes) {
        int a = Shape.normalizeAxis(axis, x.rank(), "split");
        long sum = 0;
        for (long s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: sizes must be >= 0 — got " + Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != x.dim(a)) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " do not add up to axis "
                    + axis + " of " + x.shape());
        }
        Tensor[] out = new Tensor[sizes.length];
        long start = 0;
        for (int k = 0; k < sizes.length; k++) {
            out[k] = slice(x, a, start, start + sizes[k]);
            start += sizes[k];
        }
        return out;
    }

    public static Tensor[] chunk(Tensor x, int chunks, int axis) {
        int a = Shape.normalizeAxis(axis, x.rank(), "chunk");
        if (chunks <= 0 || x.dim(a) % chunks != 0) {
            throw new IllegalArgumentException("chunk: axis " + axis + " of " + x.shape() + " does not split into "
                    + chunks + " equal pieces");
        }
        long[] sizes = new long[chunks];
        Arrays.fill(sizes, x.dim(a) / chunks);
        return split(x, a, sizes);
    }

    public static Tensor toDevice(Tensor x, Device device) {
        if (x.device().equals(device)) {
            return x;
        }
        Backend target = Backends.forDevice(device);
        Object host = toHost(x, x.dtype());
        Tensor out = new Tensor(target, target.allocate(x.dtype(), x.numel()), Layout.contiguous(x.shape()));
        target.copyFromHost(host, out.storage());
        Device from = x.device();
        return Node.record(out, "to", g -> new Tensor[] {g.to(from)}, x);
    }

    /** The elements in row-major order as a Java array of the type matching {@code dtype}. */
    public static Object toHost(Tensor x, DType dtype) {
        if (x.numel() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("toHost: " + x.numel() + " elements of " + x.shape()
                    + " do not fit one Java array; read slices");
        }
        Tensor src;
        try (Grad ignored = Grad.disabled()) {
            src = Elementwise.cast(x, dtype);
            if (!src.isContiguous() || src.layout().offset() != 0) {
                src = copy(src);
            }
        }
        int n = (int) x.numel();
        Object arr = switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
        };
        if (n > 0) {
            src.backend().copyToHost(src.storage(), arr);
        }
        if (src != x) {
            src.close();
        }
        return arr;
    }
}
