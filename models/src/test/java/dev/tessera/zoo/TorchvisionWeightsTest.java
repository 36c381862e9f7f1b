package dev.tessera.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.io.Safetensors;
import dev.tessera.nn.Dense;
import dev.tessera.random.Generator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torchvision names and layouts: shapes and element positions as PyTorch has them, and exact round trips. */
class TorchvisionWeightsTest {

    @Test
    void resNetRoundTripsThroughSafetensorsWithTorchNamesAndLayouts(@TempDir Path dir) throws Exception {
        ResNet source = ResNet.resnet18(10);
        source.seed(1);
        Tensor images = Tensor.randn(new Generator(9), 2, 32, 32, 3);
        source.call(images);
        source.eval();
        Map<String, Tensor> state = TorchvisionWeights.stateDict(source);
        assertEquals(Shape.of(64, 3, 7, 7), state.get("conv1.weight").shape());
        assertEquals(Shape.of(128, 64, 1, 1), state.get("layer2.0.downsample.0.weight").shape());
        assertEquals(Shape.of(128), state.get("layer2.0.downsample.1.running_var").shape());
        assertEquals(Shape.of(512, 512, 3, 3), state.get("layer4.1.conv2.weight").shape());
        assertEquals(Shape.of(10, 512), state.get("fc.weight").shape());
        // PyTorch's weight[o][i][y][x] is the zoo's kernel[y][x][i][o].
        Tensor kernel = source.children().values().iterator().next().localParameters().get("kernel").value();
        float[] ours = kernel.contiguous().toFloatArray();
        float[] torch = state.get("conv1.weight").toFloatArray();
        int o = 5;
        int i = 2;
        int y = 3;
        int x = 6;
        assertEquals(ours[((y * 7 + x) * 3 + i) * 64 + o], torch[((o * 3 + i) * 7 + y) * 7 + x]);

        Path file = dir.resolve("resnet18.safetensors");
        Safetensors.write(file, state);
        ResNet target = ResNet.resnet18(10);
        target.seed(2);
        TorchvisionWeights.load(target, file);
        target.eval();
        assertArrayEquals(source.call(images).toFloatArray(), target.call(images).toFloatArray(), 1e-5f);
    }

    @Test
    void alexNetFirstLinearLayerReadsChannelMajorInputs() {
        AlexNet source = new AlexNet(3);
        source.seed(3);
        Map<String, Tensor> state = TorchvisionWeights.stateDict(source);
        assertEquals(Shape.of(64, 3, 11, 11), state.get("features.0.weight").shape());
        assertEquals(Shape.of(256, 256, 3, 3), state.get("features.10.weight").shape());
        Tensor first = state.get("classifier.1.weight");
        assertEquals(Shape.of(4096, 9216), first.shape());
        assertEquals(Shape.of(3, 4096), state.get("classifier.6.weight").shape());
        // PyTorch's input c * 36 + h * 6 + w is the zoo's (h * 6 + w) * 256 + c.
        Tensor dense = source.children().values().stream().filter(m -> m instanceof Dense).findFirst().orElseThrow()
                .localParameters().get("kernel").value();
        int out = 17;
        float[] ours = dense.slice(1, out, out + 1).contiguous().toFloatArray();
        float[] torch = first.slice(0, out, out + 1).contiguous().toFloatArray();
        int c = 200;
        int h = 4;
        int w = 1;
        assertEquals(ours[(h * 6 + w) * 256 + c], torch[c * 36 + h * 6 + w]);

        AlexNet target = new AlexNet(3);
        target.seed(4);
        TorchvisionWeights.load(target, state);
        Tensor images = Tensor.randn(new Generator(5), 1, 64, 64, 3);
        source.eval();
        target.eval();
        assertArrayEquals(source.call(images).toFloatArray(), target.call(images).toFloatArray(), 1e-5f);
        ZooCounts.release(source);
        ZooCounts.release(target);
    }

    @Test
    void vggNamesCountEveryFeatureModule() {
        VGG vgg = VGG.vgg11(10, true);
        vgg.buildFor(Shape.of(1, 32, 32, 3));
        Map<String, Tensor> state = TorchvisionWeights.stateDict(vgg);
        // vgg11_bn: conv, bn, relu, pool, conv, bn, relu, pool, conv ... so the third conv is features.8.
        assertEquals(Shape.of(256, 128, 3, 3), state.get("features.8.weight").shape());
        assertEquals(Shape.of(256), state.get("features.9.running_mean").shape());
        assertEquals(Shape.of(4096, 25088), state.get("classifier.0.weight").shape());
        assertEquals(Shape.of(10, 4096), state.get("classifier.6.weight").shape());
        ZooCounts.release(vgg);
    }

    @Test
    void rejectsStateDictsThatDoNotFit() {
        ResNet net = ResNet.resnet18(10);
        Map<String, Tensor> original = TorchvisionWeights.stateDict(net);
        Map<String, Tensor> state = new HashMap<>(original);
        state.remove("layer1.0.bn2.bias");
        state.put("layer5.weight", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchvisionWeights.load(net, state));
        assertTrue(e.getMessage().contains("layer1.0.bn2.bias") && e.getMessage().contains("layer5.weight"),
                e.getMessage());
        Map<String, Tensor> wrong = new HashMap<>(original);
        wrong.put("fc.weight", Tensor.zeros(10, 256));
        assertThrows(IllegalArgumentException.class, () -> TorchvisionWeights.load(net, wrong));
        assertThrows(IllegalArgumentException.class, () -> TorchvisionWeights.stateDict(new LeNet5(10)));
    }
}
