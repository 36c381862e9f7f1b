package dev.tessera.ops;

import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;

/** Shared argument checks and layout arithmetic for the op classes. */
final class Checks {
    private Checks() {
    }

    /** Fails naming the op when a tensor argument is null, so that no NullPointerException reaches the user. */
    static void notNull(String op, Tensor... ts) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == null) {
                throw new IllegalArgumentException(op + ": tensor argument " + i + " is null");
            }
        }
    }

    /** Fails naming the op unless {@code v} holds exactly two values, each >= 1 (strides, dilation, pool size). */
    static void pair(String op, int[] v, String what) {
        if (v == null || v.length != 2 || v[0] < 1 || v[1] < 1) {
            throw new IllegalArgumentException(op + ": " + what + " must be two values >= 1 — got "
                    + java.util.Arrays.toString(v));
        }
    }

    /** Fails naming the op when no padding mode is given. */
    static void padding(String op, Padding p) {
        if (p == null) {
            throw new IllegalArgumentException(op + ": padding must be SAME or VALID — got null");
        }
    }

    /** Fails naming the op and both devices when the tensors do not share one. */
    static void sameDevice(String op, Tensor a, Tensor b) {
        notNull(op, a, b);
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": tensors are on different devices — got " + a.device()
                    + " and " + b.device() + "; move one with to(Device)");
        }
    }

    static void sameDtype(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ — got " + a.dtype() + " " + a.shape()
                    + " and " + b.dtype() + " " + b.shape());
        }
    }

    static void floating(String op, Tensor t) {
        notNull(op, t);
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": needs a floating-point tensor — got " + t.dtype() + " " + t.shape());
        }
    }

    static void rank(String op, Tensor t, int rank, String what) {
        notNull(op, t);
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + what + " must have rank " + rank + " — got shape " + t.shape());
        }
    }

    /** Refuses in-place writes into a tensor that autograd tracks. */
    static void writable(String op, Tensor t) {
        if (t.node() != null || (t.requiresGrad() && Grad.isEnabled())) {
            throw new IllegalStateException(op + ": cannot modify a tensor that autograd tracks in place; "
                    + "use Grad.disabled() for optimizer updates");
        }
    }

    /** The layout of {@code l} broadcast to {@code target} (stride 0 on new or size-1 axes). */
    static Layout broadcastLayout(Layout l, Shape target, String op) {
        int extra = target.rank() - l.rank();
        if (extra < 0) {
            throw new IllegalArgumentException(op + ": cannot broadcast " + l.shape() + " to " + target);
        }
        long[] strides = new long[target.rank()];
        for (int i = 0; i < target.rank(); i++) {
            if (i < extra) {
                strides[i] = 0;
                continue;
            }
            long d = l.shape().dim(i - extra);
            if (d == target.dim(i)) {
                strides[i] = l.stride(i - extra);
            } else if (d == 1) {
                strides[i] = 0;
            } else {
                throw new IllegalArgumentException(op + ": cannot broadcast " + l.shape() + " to " + target);
            }
        }
        return new Layout(target, strides, l.offset());
    }

    /** Normalises, sorts and de-duplicates axes. */
    static int[] axes(int[] axes, int rank, String op) {
        boolean[] seen = new boolean[rank];
        int n = 0;
        for (int a : axes) {
            int x = Shape.normalizeAxis(a, rank, op);
            if (!seen[x]) {
                seen[x] = true;
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (seen[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
