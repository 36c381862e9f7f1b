package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/**
 * Multi-head scaled dot-product attention with Keras' parameter layout: children "query", "key"
 * and "value" hold kernels (features, heads, keyDim or valueDim) and biases (heads, keyDim or
 * valueDim); "attention_output" holds a kernel (heads, valueDim, outputDim) and a bias
 * (outputDim). Inputs are query (batch, Tq, dq), value (batch, Tv, dv) and an optional key
 * (batch, Tv, dk; the value when absent); an attention mask (batch, Tq, Tv) is nonzero where a
 * query step may attend to a key step.
 */
public final class MultiHeadAttention extends Module {
    private final int numHeads;
    private final int keyDim;
    private int valueDim;
    private int outputDim = -1;
    private boolean useBias = true;
    private Projection queryDense;
    private Projection keyDense;
    private Projection valueDense;
    private Projection outputDense;

    public MultiHeadAttention(int numHeads, int keyDim) {
        this(null, numHeads, keyDim);
    }

    public MultiHeadAttention(String name, int numHeads, int keyDim) {
        super(name);
        if (numHeads <= 0 || keyDim <= 0) {
            throw new IllegalArgumentException("MultiHeadAttention: numHeads and keyDim must be > 0. Received: numHeads="
                    + numHeads + ", keyDim=" + keyDim);
        }
        this.numHeads = numHeads;
        this.keyDim = keyDim;
        this.valueDim = keyDim;
    }

    /** The per-head size of the values (keyDim by default). */
    public MultiHeadAttention valueDim(int valueDim) {
        checkUnbuilt("valueDim");
        if (valueDim <= 0) {
            throw new IllegalArgumentException(path() + ": valueDim must be > 0. Received: valueDim=" + valueDim);
        }
        this.valueDim = valueDim;
        return this;
    }

    /** The size of the output's last axis (the query's by default). */
    public MultiHeadAttention outputDim(int outputDim) {
        checkUnbuilt("outputDim");
        if (outputDim <= 0) {
            throw new IllegalArgumentException(path() + ": outputDim must be > 0. Received: outputDim=" + outputDim);
        }
        this.outputDim = outputDim;
        return this;
    }

    /** Whether the four projections have biases (on by default). */
    public MultiHeadAttention useBias(boolean useBias) {
        checkUnbuilt("useBias");
        this.useBias = useBias;
        return this;
    }

    private void checkUnbuilt(String what) {
        if (isBuilt()) {
            throw new IllegalStateException(path() + ": " + what + " must be set before the layer is built");
        }
    }

    @Override
    protected void build(Shape... inputShapes) {
        if (inputShapes.length < 2 || inputShapes.length > 3) {
            throw new IllegalArgumentException(path() + " (MultiHeadAttention): expected inputs (query, value) or (query,"
                    + " value, key) — got " + inputShapes.length + " inputs");
        }
        for (Shape s : inputShapes) {
            if (s.rank() != 3) {
                throw new IllegalArgumentException(path() + " (MultiHeadAttention): expected inputs of rank 3 (batch, time,"
                        + " features) — got shape " + s);
            }
        }
        long dq = inputShapes[0].dim(-1);
        long dv = inputShapes[1].dim(-1);
        long dk = inputShapes.length > 2 ? inputShapes[2].dim(-1) : dv;
        long dOut = outputDim > 0 ? outputDim : dq;
        queryDense = child("query", new Projection("query", Shape.of(dq, numHeads, keyDim), 1, useBias));
        keyDense = child("key", new Projection("key", Shape.of(dk, numHeads, keyDim), 1, useBias));
        valueDense = child("value", new Projection("value", Shape.of(dv, numHeads, valueDim), 1, useBias));
        outputDense = child("attention_output", new Projection("attention_output", Shape.of(numHeads, valueDim, dOut), 2,
                useBias));
        for (Projection p : new Projection[] {queryDense, keyDense, valueDense, outputDense}) {
            p.buildFor();
        }
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return attendWithScores(inputs[0], inputs[1], inputs.length > 2 ? inputs[2] : null, null)[0];
    }

    /** Attends; {@code key} null means the value, {@code attentionMask} (batch, Tq, Tv) may be null. */
    public Tensor attend(Tensor query, Tensor value, Tensor key, Tensor attentionMask) {
        return attendWithScores(query, value, key, attentionMask)[0];
    }

    /** {output (batch, Tq, outputDim), attention weights (batch, heads, Tq, Tv)}, as Keras' return_attention_scores. */
    public Tensor[] attendWithScores(Tensor query, Tensor value, Tensor key, Tensor attentionMask) {
        Tensor k = key == null ? value : key;
        ensureBuilt(query, value, k);
        expectRank(query, 3, "query (batch, Tq, features)");
        expectRank(value, 3, "value (batch, Tv, features)");
        expectRank(k, 3, "key (batch, Tv, features)");
        expectLastDim(query, queryDense.kernel.value().dim(0), "query (batch, Tq, features)");
        expectLastDim(value, valueDense.kernel.value().dim(0), "value (batch, Tv, features)");
        expectLastDim(k, keyDense.kernel.value().dim(0), "key (batch, Tv, features)");
        long batch = query.dim(0);
        long tq = query.dim(1);
        long tv = value.dim(1);
        if (value.dim(0) != batch || k.dim(0) != batch || k.dim(1) != tv) {
            throw new IllegalArgumentException(path() + " (MultiHeadAttention): query, value and key must share the batch"
                    + " and key/value the time axis — got query " + query.shape() + ", value " + value.shape() + ", key "
                    + k.shape());
        }
        Tensor q = heads(queryDense.project(query)).mul(1.0 / Math.sqrt(keyDim));
        Tensor kk = heads(keyDense.project(k));
        Tensor v = heads(valueDense.project(value));
        Tensor scores = q.matmul(kk.mT());
        if (attentionMask != null) {
            if (attentionMask.rank() != 3 || attentionMask.dim(0) != batch || attentionMask.dim(1) != tq
                    || attentionMask.dim(2) != tv) {
                throw new IllegalArgumentException(path() + " (MultiHeadAttention): expected an attention mask of shape ("
                        + batch + ", " + tq + ", " + tv + ") — got " + attentionMask.shape());
            }
            Tensor blocked = attentionMask.eq(attentionMask.scalarLike(0)).to(scores.dtype());
            scores = scores.sub(blocked.unsqueeze(1).mul(1e9));
        }
        Tensor weights = scores.softmax(-1);
        Tensor context = weights.matmul(v).permute(0, 2, 1, 3).contiguous().reshape(batch, tq, (long) numHeads * valueDim);
        return new Tensor[] {outputDense.project(context), weights};
    }

    /** (batch, time, heads * size) to (batch, heads, time, size). */
    private Tensor heads(Tensor x) {
        return x.reshape(x.dim(0), x.dim(1), numHeads, x.dim(2) / numHeads).permute(0, 2, 1, 3);
    }

    /**
     * One of the four dense projections, with Keras' EinsumDense layout: a kernel whose first
     * {@code inAxes} axes are contracted with the input's flattened features, and a bias over the
     * remaining (output) axes.
     */
    static final class Projection extends Module {
        private final Shape kernelShape;
        private final boolean useBias;
        private final int inAxes;
        private final long inSize;
        private final long outSize;
        private Parameter kernel;
        private Parameter bias;

        Projection(String name, Shape kernelShape, int inAxes, boolean useBias) {
            super(name);
            this.kernelShape = kernelShape;
            this.useBias = useBias;
            this.inAxes = inAxes;
            long in = 1;
            for (int i = 0; i < inAxes; i++) {
                in *= kernelShape.dim(i);
            }
            this.inSize = in;
            this.outSize = kernelShape.numel() / in;
        }

        @Override
        public String typeName() {
            return "EinsumDense";
        }

        @Override
        protected void build(Shape... inputShapes) {
            kernel = param("kernel", kernelShape, RnnInit.glorotUniform(), true);
            if (useBias) {
                long[] dims = kernelShape.toArray();
                long[] biasDims = new long[dims.length - inAxes];
                System.arraycopy(dims, inAxes, biasDims, 0, biasDims.length);
                bias = param("bias", Shape.of(biasDims), RnnInit.zeros(), true);
            }
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            return project(inputs[0]);
        }

        /** x (batch, time, inSize) to (batch, time, outSize): the output axes flattened. */
        Tensor project(Tensor x) {
            Tensor y = x.matmul(kernel.value().reshape(inSize, outSize));
            return useBias ? y.add(bias.value().reshape(outSize)) : y;
        }
    }
}
