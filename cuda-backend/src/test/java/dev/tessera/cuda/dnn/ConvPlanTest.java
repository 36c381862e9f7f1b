package dev.tessera.cuda.dnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.Conv2dSpec;
import org.junit.jupiter.api.Test;

class ConvPlanTest {

    /** cuDNN's output size for the staged input and symmetric padding. */
    private static long cudnnOut(long padded, int pad, long k, int stride, int dilation) {
        return (padded + 2L * pad - dilation * (k - 1) - 1) / stride + 1;
    }

    @Test
    void symmetricPaddingGoesToCudnnWithoutStaging() {
        ConvPlan p = ConvPlan.of("conv2d", DType.FLOAT32, Shape.of(2, 8, 8, 3), Shape.of(3, 3, 3, 4),
                new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1));
        assertFalse(p.explicitPadding());
        assertEquals(1, p.padH());
        assertEquals(Shape.of(2, 8, 8, 4), p.outputShape());
        assertTrue(p.direct(Layout.contiguous(p.inputShape()), p.explicitPadding()));
    }

    @Test
    void tensorflowSameWithStrideTwoPadsTheExtraRowExplicitly() {
        // 'same' for 8x8, kernel 3, stride 2: TensorFlow pads 0 on top/left and 1 on bottom/right.
        Conv2dSpec same = new Conv2dSpec(2, 2, 0, 1, 0, 1, 1, 1);
        ConvPlan p = ConvPlan.of("conv2d", DType.FLOAT32, Shape.of(1, 8, 8, 2), Shape.of(3, 3, 2, 5), same);
        assertTrue(p.explicitPadding());
        assertEquals(0, p.padH());
        assertEquals(0, p.extraTop());
        assertEquals(9, p.paddedH());
        assertEquals(p.oh(), cudnnOut(p.paddedH(), p.padH(), 3, 2, 1));
        assertEquals(4, p.oh());
    }

    @Test
    void cudnnOutputMatchesTheSpecForAsymmetricDilatedCases() {
        Conv2dSpec[] specs = {new Conv2dSpec(2, 2, 1, 0, 2, 1, 1, 1), new Conv2dSpec(2, 3, 2, 1, 0, 1, 2, 1),
            new Conv2dSpec(1, 2, 3, 1, 0, 2, 1, 2)};
        for (Conv2dSpec s : specs) {
            ConvPlan p = ConvPlan.of("conv2d", DType.FLOAT64, Shape.of(1, 11, 10, 3), Shape.of(3, 3, 3, 2), s);
            assertEquals(p.oh(), cudnnOut(p.paddedH(), p.padH(), 3, s.strideH(), s.dilationH()), s.toString());
            assertEquals(p.ow(), cudnnOut(p.paddedW(), p.padW(), 3, s.strideW(), s.dilationW()), s.toString());
            assertEquals(s.padTop(), p.extraTop() + p.padH());
            assertEquals(s.padLeft(), p.extraLeft() + p.padW());
        }
    }

    @Test
    void stagedKernelIsOhwiForNhwcAndOihwForNchw() {
        Shape w = Shape.of(2, 3, 4, 5);
        Layout ohwi = ConvPlan.of("conv2d", DType.FLOAT32, Shape.of(1, 6, 6, 4), w, new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1))
                .stagedKernel();
        Layout oihw = ConvPlan.of("conv2d", DType.FLOAT64, Shape.of(1, 6, 6, 4), w, new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1))
                .stagedKernel();
        long kh = 1;
        long kw = 2;
        long c = 3;
        long o = 4;
        assertEquals(((o * 2 + kh) * 3 + kw) * 4 + c, ohwi.indexOf(kh, kw, c, o));
        assertEquals(((o * 4 + c) * 2 + kh) * 3 + kw, oihw.indexOf(kh, kw, c, o));
    }

    @Test
    void stagedInputInteriorSkipsTheExplicitPadding() {
        ConvPlan p = ConvPlan.of("conv2d", DType.FLOAT32, Shape.of(1, 4, 4, 2), Shape.of(3, 3, 2, 1),
                new Conv2dSpec(1, 1, 2, 0, 1, 0, 1, 1));
        // padded to 6 x 5 with two zero rows on top and one zero column on the left
        assertEquals(6, p.paddedH());
        assertEquals(5, p.paddedW());
        assertEquals((2 * 5 + 1) * 2, p.stagedInputInterior().offset());
        assertEquals(((2 + 3) * 5 + 1 + 2) * 2 + 1, p.stagedInputInterior().indexOf(0, 3, 2, 1));
    }

    @Test
    void badShapesAreRejectedWithBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvPlan.of("conv2d",
                DType.FLOAT32, Shape.of(1, 4, 4, 3), Shape.of(3, 3, 2, 1), new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1)));
        assertTrue(e.getMessage().contains("(1, 4, 4, 3)") && e.getMessage().contains("(3, 3, 2, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvPlan.of("conv2d", DType.INT32, Shape.of(1, 4, 4, 2),
                Shape.of(3, 3, 2, 1), new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> ConvPlan.of("conv2d", DType.FLOAT32, Shape.of(1, 2, 2, 2),
                Shape.of(3, 3, 2, 1), new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1)));
    }
}
