package dev.tessera.cpu.kernel;

import dev.tessera.DType;
import dev.tessera.backend.Operand;
import dev.tessera.backend.RandomBits;
import dev.tessera.backend.RandomOp;

/** Counter-based random fills: element i is a pure function of (seed, counter, i), so threads cannot change it. */
public final class RandomFill {
    private RandomFill() {
    }

    /** out[i] = RandomBits.sample(op, seed, counter, i, a, b), rounded to out's dtype. */
    public static void random(RandomOp op, long seed, long counter, double a, double b, Operand out) {
        DType t = out.dtype();
        Strided walk = Strided.of("random", out);
        long so = walk.innerStride(0);
        walk.forEachRow((pos, n, addr) -> {
            long o = addr[0];
            for (long i = 0; i < n; i++, o += so) {
                Mem.write(t, o, RandomBits.sample(op, seed, counter, pos + i, a, b));
            }
        });
    }
}
