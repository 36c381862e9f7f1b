package dev.tessera.ops;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Node;

/** Softmax and log-softmax over any axis (the backend works on the last one; other axes are moved there). */
public final class Softmax {
    private Softmax() {
    }

    public static Tensor softmax(Tensor x, int axis, boolean log) {
        Checks.floating(log ? "logSoftmax" : "softmax", x);
        int a = Shape.normalizeAxis(axis, x.rank(), log ? "logSoftmax" : "softmax");
        if (a != x.rank() - 1) {
            return softmax(x.transpose(a, -1), -1, log).transpose(a, -1);
        }
        Tensor out = Tensor.empty(x.shape(), x.dtype(), x.device());
        x.backend().softmax(x.operand(), log, out.operand());
        return Node.record(out, log ? "logSoftmax" : "softmax", g -> {
            if (log) {
                return new Tensor[] {g.sub(out.exp().mul(g.sum(true, -1)))};
            }
            return new Tensor[] {out.mul(g.sub(g.mul(out).sum(true, -1)))};
        }, x);
    }
}
