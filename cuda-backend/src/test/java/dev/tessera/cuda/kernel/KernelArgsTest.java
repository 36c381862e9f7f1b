package dev.tessera.cuda.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** The packed argument block, read back through the kernelParams addresses as cuLaunchKernel would. */
class KernelArgsTest {

    private static BytePointer at(long addr) {
        return new BytePointer(new Pointer() {
            {
                address = addr;
            }
        });
    }

    private static long arg(KernelArgs a, int i) {
        return a.params().get(i);
    }

    @Test
    void valuesSitAtTheirNaturalAlignment() {
        KernelArgs a = new KernelArgs().reset().i32(7).i64(-5).f64(2.5).i32(9).ptr(0xABCDEFL);
        assertEquals(5, a.count());
        long base = arg(a, 0);
        assertEquals(0, arg(a, 1) % 8);
        assertEquals(8, arg(a, 1) - base);
        assertEquals(7, at(arg(a, 0)).getInt());
        assertEquals(-5, at(arg(a, 1)).getLong());
        assertEquals(2.5, at(arg(a, 2)).getDouble());
        assertEquals(9, at(arg(a, 3)).getInt());
        assertEquals(0xABCDEFL, at(arg(a, 4)).getLong());
    }

    @Test
    void shapeAndStridesFollowTheCommonHeaderLayout() {
        KernelArgs a = new KernelArgs().reset().shape(new long[] {3, 4}).strides(10, new long[] {4, 1});
        BytePointer shape = at(arg(a, 0));
        assertEquals(2, shape.getLong(0));
        assertEquals(12, shape.getLong(8));
        assertEquals(3, shape.getLong(16));
        assertEquals(4, shape.getLong(24));
        assertEquals(1, shape.getLong(16 + 8 * 7));
        BytePointer strides = at(arg(a, 1));
        assertEquals(80, arg(a, 1) - arg(a, 0));
        assertEquals(10, strides.getLong(0));
        assertEquals(4, strides.getLong(8));
        assertEquals(1, strides.getLong(16));
        assertEquals(0, strides.getLong(8 + 8 * 7));
    }

    @Test
    void resetStartsANewBlockAndOverflowIsReported() {
        KernelArgs a = new KernelArgs();
        a.reset().i64(1).i64(2);
        a.reset().i64(3);
        assertEquals(1, a.count());
        assertEquals(3, at(arg(a, 0)).getLong());
        assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < 100; i++) {
                a.i64(i);
            }
        });
    }
}
