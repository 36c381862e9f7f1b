package dev.tessera.cpu.kernel;

import dev.tessera.Layout;
import dev.tessera.backend.Operand;
import dev.tessera.cpu.CpuStorage;

/**
 * A row-major view of an operand for kernels that need one: the operand itself when it already is
 * contiguous, else a temporary copy (copied back on close for outputs).
 */
public final class Dense implements AutoCloseable {
    private final Operand original;
    private final CpuStorage temp;
    private final boolean writeBack;
    private final long address;

    private Dense(String op, Operand original, boolean input, boolean writeBack) {
        this.original = original;
        this.writeBack = writeBack;
        if (original.layout().isContiguous()) {
            this.temp = null;
            this.address = Mem.address(op, original);
        } else {
            this.temp = CpuStorage.allocate(original.dtype(), original.numel());
            if (input) {
                CopyKernels.copy(original, tempOperand());
            }
            this.address = temp.address();
        }
    }

    /** A contiguous view of an input. */
    public static Dense in(String op, Operand o) {
        return new Dense(op, o, true, false);
    }

    /** A contiguous buffer for an output, copied into the operand on close. */
    public static Dense out(String op, Operand o) {
        return new Dense(op, o, false, true);
    }

    private Operand tempOperand() {
        return new Operand(temp, Layout.contiguous(original.shape()));
    }

    /** Byte address of element 0 in row-major order. */
    public long address() {
        return address;
    }

    @Override
    public void close() {
        if (temp != null) {
            try {
                if (writeBack) {
                    CopyKernels.copy(tempOperand(), original);
                }
            } finally {
                temp.release();
            }
        }
    }
}
