package dev.tessera.zoo;

import dev.tessera.nn.Activation;
import dev.tessera.nn.Dense;
import dev.tessera.nn.GlobalAveragePooling2D;
import dev.tessera.nn.Sequential;
import java.util.Arrays;

/**
 * ResNet-18/34/50/101/152 over NHWC images of any size, laid out as torchvision's: a 7x7 stride-2
 * stem convolution padded by 3, batch norm, ReLU, 3x3 stride-2 max pooling padded by 1, four stages
 * of {@link ResidualBlock}s (64, 128, 256, 512 planes; stages 2 to 4 start with stride 2), global
 * average pooling and a dense layer giving logits. Trainable parameters equal torchvision's counts
 * (11,689,512 / 21,797,672 / 25,557,032 / 44,549,160 / 60,192,808 for 1000 classes); the batch-norm
 * running means and variances are extra, non-trainable parameters.
 */
public class ResNet extends Sequential {
    private static final long[] PLANES = {64, 128, 256, 512};

    /**
     * @param name model name shown by summary()
     * @param blocks the number of blocks in each of the four stages
     * @param bottleneck bottleneck blocks (ResNet-50 and deeper) instead of basic ones
     * @param numClasses logits per image
     */
    public ResNet(String name, int[] blocks, boolean bottleneck, int numClasses) {
        super(name);
        if (blocks == null || blocks.length != 4) {
            throw new IllegalArgumentException("ResNet: expected blocks for 4 stages — got "
                    + (blocks == null ? "null" : Arrays.toString(blocks)));
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("ResNet: numClasses must be positive — got " + numClasses);
        }
        add(ResidualBlock.conv(64, 7, 2));
        add(ResidualBlock.norm());
        add(Activation.RELU.layer());
        add(new PaddedMaxPooling2D(3, 2, 1));
        for (int stage = 0; stage < 4; stage++) {
            if (blocks[stage] < 1) {
                throw new IllegalArgumentException("ResNet: every stage needs at least one block — got "
                        + Arrays.toString(blocks));
            }
            Sequential layer = new Sequential("layer" + (stage + 1));
            for (int b = 0; b < blocks[stage]; b++) {
                layer.add(new ResidualBlock(PLANES[stage], stage > 0 && b == 0 ? 2 : 1, bottleneck));
            }
            add(layer);
        }
        add(new GlobalAveragePooling2D());
        add(new Dense(numClasses));
    }

    /** ResNet-18: basic blocks 2, 2, 2, 2. */
    public static ResNet resnet18(int numClasses) {
        return new ResNet("resnet18", new int[] {2, 2, 2, 2}, false, numClasses);
    }

    /** ResNet-34: basic blocks 3, 4, 6, 3. */
    public static ResNet resnet34(int numClasses) {
        return new ResNet("resnet34", new int[] {3, 4, 6, 3}, false, numClasses);
    }

    /** ResNet-50: bottleneck blocks 3, 4, 6, 3. */
    public static ResNet resnet50(int numClasses) {
        return new ResNet("resnet50", new int[] {3, 4, 6, 3}, true, numClasses);
    }

    /** ResNet-101: bottleneck blocks 3, 4, 23, 3. */
    public static ResNet resnet101(int numClasses) {
        return new ResNet("resnet101", new int[] {3, 4, 23, 3}, true, numClasses);
    }

    /** ResNet-152: bottleneck blocks 3, 8, 36, 3. */
    public static ResNet resnet152(int numClasses) {
        return new ResNet("resnet152", new int[] {3, 8, 36, 3}, true, numClasses);
    }
}
