package dev.tessera.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.Conv2D;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import dev.tessera.random.Generator;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** LeNet-5 and the ResNets: published parameter counts, output shapes, and a forward/backward on small images. */
class ConvNetZooTest {

    @Test
    void leNet5Has61706ParametersOn32x32And28x28() {
        LeNet5 net = new LeNet5(10);
        String summary = net.summary(Shape.of(32, 32, 1));
        assertEquals(61_706, ZooCounts.total(net));
        assertTrue(summary.contains(" Total params: 61,706 "), summary);
        LeNet5 mnist = new LeNet5(10);
        Tensor logits = mnist.call(Tensor.randn(new Generator(1), 3, 28, 28, 1));
        assertEquals(Shape.of(3, 10), logits.shape());
        assertEquals(61_706, ZooCounts.total(mnist));
    }

    @Test
    void leNet5TrainsEveryParameter() {
        LeNet5 net = new LeNet5(4);
        net.call(Tensor.randn(new Generator(2), 2, 32, 32, 1)).square().sum().backward();
        assertAllGradients(net);
    }

    @Test
    void resNetTrainableCountsMatchTorchvision() {
        assertCount(ResNet::resnet18, 11_689_512, 9_600);
        assertCount(ResNet::resnet34, 21_797_672, 17_024);
        assertCount(ResNet::resnet50, 25_557_032, 53_120);
        assertCount(ResNet::resnet101, 44_549_160, 105_344);
        assertCount(ResNet::resnet152, 60_192_808, 151_424);
    }

    private static void assertCount(IntFunction<ResNet> factory, long trainable, long statistics) {
        ResNet net = factory.apply(1000);
        String summary = net.summary(Shape.of(224, 224, 3));
        assertEquals(trainable, ZooCounts.trainable(net), net.name());
        assertEquals(statistics, ZooCounts.total(net) - trainable, net.name() + " batch-norm statistics");
        assertTrue(summary.contains("(None, 56, 56, " + (net.name().equals("resnet18") || net.name().equals("resnet34")
                ? 64 : 256) + ")"), summary);
        assertTrue(summary.contains("(None, 7, 7, "), summary);
        assertTrue(summary.contains("(None, 1000)"), summary);
    }

    @Test
    void resNet18ForwardAndBackwardOnSmallImages() {
        ResNet net = ResNet.resnet18(10);
        net.seed(4);
        Tensor logits = net.call(Tensor.randn(new Generator(3), 2, 32, 32, 3));
        assertEquals(Shape.of(2, 10), logits.shape());
        logits.square().sum().backward();
        assertAllGradients(net);
    }

    @Test
    void resNet50ForwardOnSmallImages() {
        ResNet net = ResNet.resnet50(7);
        net.eval();
        assertEquals(Shape.of(1, 7), net.call(Tensor.randn(new Generator(5), 1, 64, 48, 3)).shape());
    }

    @Test
    void stemPadsLikePyTorch() {
        // 7x7 stride 2 padded by 3, then 3x3 stride 2 padded by 1: 224 -> 112 -> 56 and 33 -> 17 -> 9.
        PaddedConv2D conv = new PaddedConv2D(4, 7, 2, 3);
        assertEquals(Shape.of(1, 17, 17, 4), conv.computeOutputShape(Shape.of(1, 33, 33, 3)));
        assertEquals(Shape.of(1, 9, 9, 4), new PaddedMaxPooling2D(3, 2, 1).computeOutputShape(Shape.of(1, 17, 17, 4)));
        // A 3x3 kernel of ones over ones, padded by 1 on each side: corners see 4 ones, edges 6, the centre 9.
        Conv2D box = new PaddedConv2D(1, 3, 1, 1).useBias(false);
        box.buildFor(Shape.of(1, 3, 3, 1));
        box.namedParameters().get("kernel").assign(Tensor.ones(3, 3, 1, 1));
        float[] out = box.call(Tensor.ones(1, 3, 3, 1)).toFloatArray();
        assertEquals(4f, out[0]);
        assertEquals(6f, out[1]);
        assertEquals(9f, out[4]);
        assertEquals(4f, out[8]);
        // Padded max pooling never picks the padding, even when every input is negative.
        float[] pooled = new PaddedMaxPooling2D(3, 2, 1).call(Tensor.full(Shape.of(1, 4, 4, 1), -2,
                dev.tessera.DType.FLOAT32, dev.tessera.Device.cpu())).toFloatArray();
        for (float v : pooled) {
            assertEquals(-2f, v);
        }
    }

    static void assertAllGradients(Module net) {
        for (Parameter p : net.trainableParameters()) {
            assertNotNull(p.grad(), p.name());
            assertTrue(p.grad().abs().sum().item() > 0, "zero gradient for " + p.name());
        }
    }
}
