package dev.tessera.autograd;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.memory.MemoryScope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode pass: an iterative topological sort of the recorded graph, then the backward
 * functions in reverse. Each node's temporaries are freed when its backward returns, and each
 * gradient it made is freed once the nodes below have consumed it, so a step's backward holds
 * little more than the forward activations (FiLM step at batch 8: see benchmarks/RESULTS.md §4).
 */
public final class Autograd {
    private Autograd() {
    }

    /** Accumulates d(root)/d(leaf) * gradOut into the {@code grad} of every leaf that requires a gradient. */
    public static void backward(Tensor root, Tensor gradOut) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require a gradient and has no recorded graph");
        }
        if (!gradOut.shape().equals(root.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + gradOut.shape()
                    + " differs from the tensor's shape " + root.shape());
        }
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        // Gradient buffers this pass allocated and no one else references: safe to add into in place.
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        // Gradients that a node's backward made (not tensors it passed through): freed once consumed.
        Set<Tensor> created = Collections.newSetFromMap(new IdentityHashMap<>());
        grads.put(root, gradOut);
        try (Grad ignored = Grad.disabled()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                owned.remove(g);
                Node node = t.node();
                if (node == null) {
                    accumulateLeaf(t, g);
                } else if (node.accumulator() != null) {
                    Tensor in = node.inputs()[0];
                    Tensor buf = grads.get(in);
                    if (buf == null || !owned.contains(buf)) {
                        buf = buf == null ? Tensor.zeros(in.shape(), g.dtype(), g.device()) : buf.copy();
                        owned.add(buf);
                        grads.put(in, buf);
                    }
                    node.accumulator().addInto(buf, g);
                } else {
                    propagate(node, g, grads, owned, created);
                    if (t.isIntermediate() && t != root) {
                        // Every node that reads t came after it in the forward pass and has run.
                        t.close();
                    }
                }
                if (created.contains(g) && !grads.containsValue(g)) {
                    created.remove(g);
                    g.close();
                }
            }
        }
    }

    /**
     * Runs one node's backward in a scope of its own, so its temporaries (masks, products before a
     * broadcast sum) are freed as soon as it returns, and adds the input gradients into {@code grads}.
     */
    private static void propagate(Node node, Tensor g, Map<Tensor, Tensor> grads, Set<Tensor> owned,
                                  Set<Tensor> created) {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor[] inputGrads = node.backward().apply(g);
            Tensor[] inputs = node.inputs();
            for (int k = 0; k < inputs.length; k++) {
                Tensor in = inputs[k];
                if (in == null || !in.requiresGrad() || inputGrads[k] == null) {
                    continue;
                }
                Tensor gi = reduceTo(inputGrads[k], in.shape(), node.op());
                Tensor prev = grads.get(in);
                if (prev == null) {
                    grads.put(in, adopt(scope, gi, created));
                } else if (owned.contains(prev) && prev.dtype() == gi.dtype()) {
                    prev.addInPlace(gi);
                } else {
                    Tensor sum = adopt(scope, prev.add(gi), created);
                    owned.add(sum);
                    grads.put(in, sum);
                }
            }
        }
    }

    /** Keeps t past the node's scope; remembers it as freeable if the node made it. */
    private static Tensor adopt(MemoryScope scope, Tensor t, Set<Tensor> created) {
        if (t.scope() == scope) {
            created.add(t);
        }
        return scope.keep(t);
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        if (g.dtype() != leaf.dtype()) {
            g = g.to(leaf.dtype());
        }
        Tensor existing = leaf.grad();
        if (existing == null || existing.isClosed()) {
            Tensor copy = MemoryScope.unscoped(g::copy);
            leaf.setGrad(copy);
        } else {
            existing.addInPlace(g);
        }
    }

    /** Sums a broadcast gradient back to an input's shape (the one place broadcasting is undone). */
    public static Tensor reduceTo(Tensor g, Shape target, String op) {
        Shape s = g.shape();
        if (s.equals(target)) {
            return g;
        }
        int extra = s.rank() - target.rank();
        if (extra < 0) {
            throw new IllegalStateException(op + " backward: gradient " + s + " has lower rank than input " + target);
        }
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (i < extra) {
                axes.add(i);
            } else if (target.dim(i - extra) == 1 && s.dim(i) != 1) {
                axes.add(i);
            } else if (target.dim(i - extra) != s.dim(i)) {
                throw new IllegalStateException(op + " backward: gradient " + s + " does not broadcast to input " + target);
            }
        }
        int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
        Tensor summed = ax.length == 0 ? g : g.sum(true, ax);
        return summed.reshape(target.toArray());
    }

    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        visited.add(root);
        stack.push(new Object[] {root, 0});
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = t.node();
            Tensor[] inputs = node == null ? new Tensor[0] : node.inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.add(in)) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
