package dev.tessera.ops;

import dev.tessera.Tensor;
import dev.tessera.backend.AdamSpec;
import dev.tessera.backend.Operand;
import java.util.Arrays;

/** In-place updates that a backend may run as one fused kernel (optimizer steps); they record no graph. */
public final class Fused {
    private Fused() {
    }

    /**
     * One Adam step on parameter {@code w} with gradient {@code g} and moments {@code m}, {@code v}
     * (see {@link dev.tessera.backend.Backend#adamUpdate}); g is broadcast to w's shape and cast to
     * its dtype. Returns w.
     */
    public static Tensor adamUpdate(Tensor w, Tensor g, Tensor m, Tensor v, AdamSpec spec) {
        String op = "adamUpdate";
        Checks.writable(op, w);
        Checks.floating(op, w);
        for (Tensor t : new Tensor[] {g, m, v}) {
            Checks.sameDevice(op, w, t);
        }
        for (Tensor t : new Tensor[] {m, v}) {
            Checks.sameDtype(op, w, t);
            if (!t.shape().equals(w.shape())) {
                throw new IllegalArgumentException(op + ": moment shape must equal the parameter's — got " + t.shape()
                        + " for " + w.shape());
            }
            if (!t.isContiguous()) {
                throw new IllegalArgumentException(op + ": moments must be contiguous — got strides "
                        + Arrays.toString(t.layout().strides()) + " for " + t.shape());
            }
        }
        Tensor gc = Elementwise.cast(g, w.dtype());
        Operand grad = new Operand(gc.storage(), Checks.broadcastLayout(gc.layout(), w.shape(), op));
        if (w.isContiguous()) {
            w.backend().adamUpdate(spec, w.operand(), grad, m.operand(), v.operand());
        } else {
            Tensor tmp = Movement.copy(w);
            w.backend().adamUpdate(spec, tmp.operand(), grad, m.operand(), v.operand());
            w.backend().copy(tmp.operand(), w.operand());
            tmp.close();
        }
        return w;
    }
}
