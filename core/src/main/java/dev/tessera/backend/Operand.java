package dev.tessera.backend;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;

/** What a kernel sees of a tensor: its storage and the layout (shape, strides, offset) to read it with. */
public record Operand(Storage storage, Layout layout) {

    /** A row-major operand over the whole storage. */
    public static Operand contiguous(Storage storage, Shape shape) {
        return new Operand(storage, Layout.contiguous(shape));
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Shape shape() {
        return layout.shape();
    }

    public int rank() {
        return layout.rank();
    }

    public long numel() {
        return layout.numel();
    }
}
