package dev.tessera.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.Module;
import dev.tessera.random.Generator;
import org.junit.jupiter.api.Test;

/** AlexNet and VGG: torchvision's parameter counts for 224x224x3 and 1000 classes, and forwards on small images. */
class ClassicNetZooTest {

    @Test
    void alexNetHas61100840Parameters() {
        AlexNet net = new AlexNet(1000);
        String summary = net.summary(Shape.of(224, 224, 3));
        assertTrue(summary.contains("(None, 6, 6, 256)"), summary);
        assertCounts(net, 61_100_840, 0);
    }

    @Test
    void vggCountsMatchTorchvision() {
        assertCounts(VGG.vgg11(1000, false), 132_863_336, 0);
        assertCounts(VGG.vgg13(1000, false), 133_047_848, 0);
        assertCounts(VGG.vgg16(1000, false), 138_357_544, 0);
        assertCounts(VGG.vgg19(1000, false), 143_667_240, 0);
        assertCounts(VGG.vgg16(1000, true), 138_365_992, 8_448);
    }

    private static void assertCounts(Module net, long trainable, long statistics) {
        net.buildFor(Shape.of(1, 224, 224, 3));
        try {
            assertEquals(trainable, ZooCounts.trainable(net), net.name());
            assertEquals(statistics, ZooCounts.total(net) - trainable, net.name());
        } finally {
            ZooCounts.release(net);
        }
    }

    @Test
    void alexNetAndVggRunOnSmallImages() {
        AlexNet alex = new AlexNet(5);
        alex.eval();
        assertEquals(Shape.of(2, 5), alex.call(Tensor.randn(new Generator(1), 2, 64, 64, 3)).shape());
        ZooCounts.release(alex);
        VGG vgg = VGG.vgg11(3, true);
        assertEquals(Shape.of(2, 3), vgg.call(Tensor.randn(new Generator(2), 2, 32, 32, 3)).shape());
        ZooCounts.release(vgg);
    }

    @Test
    void adaptivePoolingAveragesOverlappingBins() {
        // 5 rows into 3 bins: rows [0, 2), [1, 4), [3, 5) as PyTorch splits them.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 5, 1, 1);
        float[] out = new AdaptiveAveragePooling2D(3, 1).call(x).toFloatArray();
        assertArrayEquals(new float[] {1.5f, 3f, 4.5f}, out, 1e-6f);
        Tensor one = Tensor.of(new float[] {7}, 1, 1, 1, 1);
        assertArrayEquals(new float[] {7, 7, 7, 7}, new AdaptiveAveragePooling2D(2, 2).call(one).toFloatArray());
    }
}
