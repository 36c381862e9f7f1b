package dev.tessera.zoo;

import dev.tessera.Tensor;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.nn.Conv2D;
import dev.tessera.ops.Conv;

/**
 * A Conv2D with the same explicit zero padding on every side, as PyTorch's {@code nn.Conv2d(padding=p)}
 * pads: torchvision's models pad their 7x7 stride-2 stems by 3 and their 3x3 stride-2 convolutions by
 * 1 on both sides, where 'same' would put the odd pixel only at the bottom/right. Output shapes and
 * parameters are those of the PyTorch layer, so exported weights give the same activations.
 */
public class PaddedConv2D extends Conv2D {
    private final int pad;

    /** A square {@code kernel}, {@code stride} and {@code pad} pixels of zeros on each side. */
    public PaddedConv2D(long filters, int kernel, int stride, int pad) {
        super(filters, kernel);
        if (pad < 0) {
            throw new IllegalArgumentException("PaddedConv2D: padding must be >= 0 — got " + pad);
        }
        this.pad = pad;
        strides(stride);
    }

    public int pad() {
        return pad;
    }

    @Override
    public String typeName() {
        return "Conv2D";
    }

    private Conv2dSpec spec() {
        return new Conv2dSpec(strides[0], strides[1], pad, pad, pad, pad, dilation[0], dilation[1]);
    }

    @Override
    protected long[] outputSize(long h, long w) {
        return new long[] {spec().outH(h, kernelSize[0]), spec().outW(w, kernelSize[1])};
    }

    @Override
    protected Tensor convolve(Tensor x, Tensor kernel) {
        return Conv.conv2d(x, kernel, spec());
    }

    @Override
    protected Tensor convolve(Tensor x, Tensor kernel, Tensor bias) {
        return Conv.conv2d(x, kernel, bias, spec());
    }
}
