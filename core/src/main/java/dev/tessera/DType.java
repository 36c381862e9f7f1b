package dev.tessera;

/** Element type of a tensor; FLOAT32 is the default, FLOAT64 serves gradient checks, integers hold labels and tokens. */
public enum DType {
    FLOAT32(4, true),
    FLOAT64(8, true),
    INT32(4, false),
    INT64(8, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether the type is a floating-point type (and so can carry gradients). */
    public boolean isFloating() {
        return floating;
    }

    /** The type both operands are promoted to in a binary op: the wider float wins, any float beats any integer. */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.floating || b.floating) {
            if (a == FLOAT64 || b == FLOAT64) {
                return FLOAT64;
            }
            return FLOAT32;
        }
        return (a == INT64 || b == INT64) ? INT64 : INT32;
    }
}
