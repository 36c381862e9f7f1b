package dev.tessera.cpu;

import dev.tessera.DType;
import dev.tessera.cpu.kernel.Mem;

/** Bulk copies between Java arrays and off-heap storage (one memcpy each way). */
final class HostCopy {
    private HostCopy() {
    }

    static void fromHost(Object array, CpuStorage dst) {
        long n = checkedLength("copyFromHost", array, dst);
        if (n > dst.numel()) {
            throw new IllegalArgumentException("copyFromHost: array of " + n + " elements does not fit a storage of "
                    + dst.numel());
        }
        Mem.U.copyMemory(array, Mem.U.arrayBaseOffset(array.getClass()), null, dst.address(),
                n * dst.dtype().byteSize());
    }

    static void toHost(CpuStorage src, Object array) {
        long n = checkedLength("copyToHost", array, src);
        if (n > src.numel()) {
            throw new IllegalArgumentException("copyToHost: array of " + n + " elements is longer than the storage ("
                    + src.numel() + ")");
        }
        Mem.U.copyMemory(null, src.address(), array, Mem.U.arrayBaseOffset(array.getClass()),
                n * src.dtype().byteSize());
    }

    private static long checkedLength(String op, Object array, CpuStorage s) {
        DType t = s.dtype();
        boolean ok = switch (t) {
            case FLOAT32 -> array instanceof float[];
            case FLOAT64 -> array instanceof double[];
            case INT32 -> array instanceof int[];
            case INT64 -> array instanceof long[];
        };
        if (!ok) {
            String got = array == null ? "null" : array.getClass().getSimpleName();
            throw new IllegalArgumentException(op + ": a " + t + " storage needs a "
                    + t.name().toLowerCase(java.util.Locale.ROOT) + " array of the matching Java type — got " + got);
        }
        return java.lang.reflect.Array.getLength(array);
    }
}
