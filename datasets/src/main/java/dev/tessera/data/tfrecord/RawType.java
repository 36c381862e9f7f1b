package dev.tessera.data.tfrecord;

import dev.tessera.DType;

/**
 * Element type of raw little-endian tensor bytes stored in a bytes feature, and the tensor dtype
 * it decodes to. Core has no 8-bit dtype, so UINT8 widens (losslessly) to INT32.
 */
public enum RawType {
    UINT8(1, "uint8", DType.INT32),
    INT32(4, "int32", DType.INT32),
    FLOAT32(4, "float32", DType.FLOAT32);

    private final int byteSize;
    private final String label;
    private final DType dtype;

    RawType(int byteSize, String label, DType dtype) {
        this.byteSize = byteSize;
        this.label = label;
        this.dtype = dtype;
    }

    /** Bytes per stored element. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype of the decoded tensor. */
    public DType dtype() {
        return dtype;
    }

    @Override
    public String toString() {
        return label;
    }
}
