package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/**
 * Bahdanau-style attention as Keras' AdditiveAttention computes it: query (batch, Tq, dim), value
 * (batch, Tv, dv) and key (batch, Tv, dim; the value when absent); scores[b, i, j] =
 * sum_d scale[d] * tanh(query[b, i, d] + key[b, j, d]) with a learned scale (glorot-uniform, when
 * {@link #useScale}), softmax over j, output = weights @ value. Masked value steps get 1e9 less
 * score; masked query steps output zeros.
 */
public final class AdditiveAttention extends Module {
    private boolean useScale = true;
    private Parameter scale;
    private long dim = -1;

    public AdditiveAttention() {
        this((String) null);
    }

    public AdditiveAttention(String name) {
        super(name);
    }

    /** Whether to learn the per-feature scale (Keras' use_scale, on by default). */
    public AdditiveAttention useScale(boolean useScale) {
        if (isBuilt()) {
            throw new IllegalStateException(path() + ": useScale must be set before the layer is built");
        }
        this.useScale = useScale;
        return this;
    }

    /** The (dim) scale, or null when useScale is off or before building. */
    public Parameter scale() {
        return scale;
    }

    @Override
    protected void build(Shape... inputShapes) {
        if (inputShapes.length < 2 || inputShapes.length > 3) {
            throw new IllegalArgumentException(path() + " (AdditiveAttention): expected inputs (query, value) or (query, value, key) — got "
                    + inputShapes.length + " inputs");
        }
        dim = inputShapes[0].dim(-1);
        if (useScale) {
            scale = param("scale", Shape.of(dim), RnnInit.glorotUniform(), true);
        }
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return attend(inputs[0], inputs[1], inputs.length > 2 ? inputs[2] : null, null, null);
    }

    /** The mask belongs to the query; for self-attention (value is the query) it masks the values too. */
    @Override
    protected Tensor forwardMasked(Tensor mask, Tensor... inputs) {
        return attend(inputs[0], inputs[1], inputs.length > 2 ? inputs[2] : null, mask, inputs[1] == inputs[0] ? mask : null);
    }

    /** Keras passes the query mask on. */
    @Override
    public Tensor computeMask(Tensor input, Tensor inputMask) {
        return inputMask;
    }

    /**
     * Attends with optional masks: {@code key} null means the value; {@code queryMask} (batch, Tq)
     * and {@code valueMask} (batch, Tv) are nonzero at real steps, or null.
     */
    public Tensor attend(Tensor query, Tensor value, Tensor key, Tensor queryMask, Tensor valueMask) {
        Tensor k = key == null ? value : key;
        ensureBuilt(query, value, k);
        String where = path() + " (AdditiveAttention)";
        expectRank(query, 3, "query (batch, Tq, dim)");
        expectRank(value, 3, "value (batch, Tv, dv)");
        expectRank(k, 3, "key (batch, Tv, dim)");
        expectLastDim(query, dim, "query (batch, Tq, dim)");
        expectLastDim(k, dim, "key (batch, Tv, dim) like the query");
        if (k.dim(0) != query.dim(0) || value.dim(0) != query.dim(0) || k.dim(1) != value.dim(1)) {
            throw new IllegalArgumentException(where + ": query, value and key must share the batch and key/value the"
                    + " time axis — got query " + query.shape() + ", value " + value.shape() + ", key " + k.shape());
        }
        Tensor scores = query.unsqueeze(2).add(k.unsqueeze(1)).tanh();
        scores = useScale ? scores.mul(scale.value()).sum(-1) : scores.sum(-1);
        if (valueMask != null) {
            checkMask(where, "value", valueMask, value);
            Tensor padding = valueMask.eq(valueMask.scalarLike(0)).to(scores.dtype());
            scores = scores.sub(padding.unsqueeze(1).mul(1e9));
        }
        Tensor out = scores.softmax(-1).matmul(value);
        if (queryMask != null) {
            checkMask(where, "query", queryMask, query);
            out = out.mul(queryMask.ne(queryMask.scalarLike(0)).to(out.dtype()).unsqueeze(-1));
        }
        return out;
    }

    private static void checkMask(String where, String what, Tensor mask, Tensor x) {
        if (mask.rank() != 2 || mask.dim(0) != x.dim(0) || mask.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException(where + ": expected a " + what + " mask of shape (" + x.dim(0) + ", "
                    + x.dim(1) + ") — got " + mask.shape());
        }
    }
}
