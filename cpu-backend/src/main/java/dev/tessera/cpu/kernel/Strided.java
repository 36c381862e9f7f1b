package dev.tessera.cpu.kernel;

import dev.tessera.backend.Operand;

/**
 * Walks several operands of one shape in row-major order, one innermost row at a time. Size-1
 * dimensions are dropped and neighbouring dimensions that are contiguous for every operand are
 * merged, so a contiguous or plainly broadcast operand becomes one long row.
 */
public final class Strided {
    private final long[] dims;
    private final long[][] strides;
    private final long[] base;
    private final long numel;

    /** Body of a row walk: {@code n} elements starting at flat position {@code pos}, at byte addresses {@code addr}. */
    @FunctionalInterface
    public interface Row {
        void run(long pos, long n, long[] addr);
    }

    /**
     * @param shape   the common shape
     * @param base    byte address of each operand's first element
     * @param strides byte strides of each operand
     */
    public Strided(long[] shape, long[] base, long[]... strides) {
        int nops = base.length;
        long total = 1;
        for (long d : shape) {
            total *= d;
        }
        this.numel = total;
        long[] d = new long[Math.max(1, shape.length)];
        long[][] s = new long[nops][d.length];
        int r = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int k = 0; k < nops && merge; k++) {
                merge = s[k][r - 1] == strides[k][i] * shape[i];
            }
            if (merge) {
                d[r - 1] *= shape[i];
                for (int k = 0; k < nops; k++) {
                    s[k][r - 1] = strides[k][i];
                }
            } else {
                d[r] = shape[i];
                for (int k = 0; k < nops; k++) {
                    s[k][r] = strides[k][i];
                }
                r++;
            }
        }
        if (r == 0) {
            d[0] = 1;
            r = 1;
        }
        this.dims = java.util.Arrays.copyOf(d, r);
        this.strides = new long[nops][];
        for (int k = 0; k < nops; k++) {
            this.strides[k] = java.util.Arrays.copyOf(s[k], r);
        }
        this.base = base.clone();
    }

    /** A walk over the operands' common shape (the first operand's shape). */
    public static Strided of(String op, Operand... ops) {
        long[] base = new long[ops.length];
        long[][] st = new long[ops.length][];
        for (int k = 0; k < ops.length; k++) {
            base[k] = Mem.address(op, ops[k]);
            st[k] = Mem.byteStrides(ops[k]);
        }
        return new Strided(ops[0].shape().toArray(), base, st);
    }

    public long numel() {
        return numel;
    }

    /** Length of the innermost (collapsed) row. */
    public long inner() {
        return dims[dims.length - 1];
    }

    /** Byte stride of operand {@code op} along the innermost row. */
    public long innerStride(int op) {
        return strides[op][dims.length - 1];
    }

    /** Number of dimensions left after collapsing (at least 1). */
    public int rank() {
        return dims.length;
    }

    /** Size of collapsed dimension i. */
    public long dim(int i) {
        return dims[i];
    }

    /** Byte stride of operand {@code op} along collapsed dimension i. */
    public long stride(int op, int i) {
        return strides[op][i];
    }

    /** Byte address of operand {@code op}'s first element. */
    public long base(int op) {
        return base[op];
    }

    /** Whether the walk collapsed into one single row. */
    public boolean isFlat() {
        return dims.length == 1;
    }

    /** Calls body for every row piece covering flat positions [start, end). */
    public void rows(long start, long end, Row body) {
        if (start >= end) {
            return;
        }
        int rank = dims.length;
        int nops = base.length;
        long[] idx = new long[rank];
        long rem = start;
        for (int i = rank - 1; i >= 0; i--) {
            idx[i] = rem % dims[i];
            rem /= dims[i];
        }
        long[] addr = new long[nops];
        long pos = start;
        long inner = dims[rank - 1];
        while (pos < end) {
            for (int k = 0; k < nops; k++) {
                long a = base[k];
                long[] s = strides[k];
                for (int i = 0; i < rank; i++) {
                    a += idx[i] * s[i];
                }
                addr[k] = a;
            }
            long n = Math.min(inner - idx[rank - 1], end - pos);
            body.run(pos, n, addr);
            pos += n;
            idx[rank - 1] = 0;
            for (int i = rank - 2; i >= 0; i--) {
                if (++idx[i] < dims[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
    }

    /** Body of a tile walk: {@code rows} rows of {@code n} elements; row r of operand k starts at {@code addr[k] + r * outerStride(k)}. */
    @FunctionalInterface
    public interface Tile {
        void run(long rows, long n, long[] addr);
    }

    /** Byte stride of operand {@code op} between consecutive innermost rows (0 for a single row). */
    public long outerStride(int op) {
        return dims.length < 2 ? 0 : strides[op][dims.length - 2];
    }

    /**
     * Calls body for tiles covering flat positions [start, end): runs of whole innermost rows that
     * are consecutive along the second-innermost dimension, and single pieces of rows at the ends.
     * A native loop then takes many short rows (a bias row of 128 elements, say) in one call.
     */
    public void tiles(long start, long end, Tile body) {
        int rank = dims.length;
        long inner = dims[rank - 1];
        long[] addr = new long[base.length];
        long pos = start;
        while (pos < end) {
            long rem = pos;
            long col = rem % inner;
            long rowIdx = 0;
            for (int k = 0; k < base.length; k++) {
                addr[k] = base[k];
            }
            for (int i = rank - 1; i >= 0; i--) {
                long idx = rem % dims[i];
                rem /= dims[i];
                if (i == rank - 2) {
                    rowIdx = idx;
                }
                for (int k = 0; k < base.length; k++) {
                    addr[k] += idx * strides[k][i];
                }
            }
            long rows = 1;
            long n = Math.min(inner - col, end - pos);
            if (col == 0 && rank >= 2 && end - pos >= inner) {
                rows = Math.min(dims[rank - 2] - rowIdx, (end - pos) / inner);
                n = inner;
            }
            body.run(rows, n, addr);
            pos += rows * n;
        }
    }

    /** Walks every tile, split over threads above the parallel grain. */
    public void forEachTile(Tile body) {
        Parallel.forRange(numel, (s, e) -> tiles(s, e, body));
    }

    /** Walks every row, split over threads above the parallel grain. */
    public void forEachRow(Row body) {
        Parallel.forRange(numel, (s, e) -> rows(s, e, body));
    }
}
