package dev.tessera.zoo;

import dev.tessera.nn.Activation;
import dev.tessera.nn.BatchNormalization;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Dropout;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.MaxPooling2D;
import dev.tessera.nn.Sequential;

/**
 * VGG-11/13/16/19 as torchvision defines them, over NHWC images: stages of 3x3 convolutions padded
 * by 1 (with bias; optionally batch norm before each ReLU), each stage closed by 2x2 max pooling,
 * adaptive average pooling to 7x7, then dense 4096, ReLU, dropout 0.5, dense 4096, ReLU, dropout and
 * a dense layer giving logits. VGG-16 has 138,357,544 trainable parameters for 1000 classes (the
 * batch-norm variants add their running statistics as non-trainable ones). Images of at least 32x32 fit.
 */
public class VGG extends Sequential {
    private static final long[] WIDTHS = {64, 128, 256, 512, 512};

    /**
     * @param name model name shown by summary()
     * @param convsPerStage the number of 3x3 convolutions in each of the five stages
     * @param batchNorm whether each convolution is followed by batch norm
     * @param numClasses logits per image
     */
    public VGG(String name, int[] convsPerStage, boolean batchNorm, int numClasses) {
        super(name);
        if (convsPerStage == null || convsPerStage.length != 5) {
            throw new IllegalArgumentException("VGG: expected convolution counts for 5 stages — got "
                    + (convsPerStage == null ? "null" : java.util.Arrays.toString(convsPerStage)));
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("VGG: numClasses must be positive — got " + numClasses);
        }
        for (int stage = 0; stage < 5; stage++) {
            for (int c = 0; c < convsPerStage[stage]; c++) {
                add(new PaddedConv2D(WIDTHS[stage], 3, 1, 1));
                if (batchNorm) {
                    add(new BatchNormalization().epsilon(1e-5).momentum(0.9));
                }
                add(Activation.RELU.layer());
            }
            add(new MaxPooling2D(2));
        }
        add(new AdaptiveAveragePooling2D(7, 7));
        add(new Flatten());
        add(new Dense(4096).activation(Activation.RELU));
        add(new Dropout(0.5));
        add(new Dense(4096).activation(Activation.RELU));
        add(new Dropout(0.5));
        add(new Dense(numClasses));
    }

    /** VGG-11 (configuration A): 1, 1, 2, 2, 2 convolutions. */
    public static VGG vgg11(int numClasses, boolean batchNorm) {
        return new VGG(batchNorm ? "vgg11_bn" : "vgg11", new int[] {1, 1, 2, 2, 2}, batchNorm, numClasses);
    }

    /** VGG-13 (configuration B): 2, 2, 2, 2, 2 convolutions. */
    public static VGG vgg13(int numClasses, boolean batchNorm) {
        return new VGG(batchNorm ? "vgg13_bn" : "vgg13", new int[] {2, 2, 2, 2, 2}, batchNorm, numClasses);
    }

    /** VGG-16 (configuration D): 2, 2, 3, 3, 3 convolutions. */
    public static VGG vgg16(int numClasses, boolean batchNorm) {
        return new VGG(batchNorm ? "vgg16_bn" : "vgg16", new int[] {2, 2, 3, 3, 3}, batchNorm, numClasses);
    }

    /** VGG-19 (configuration E): 2, 2, 4, 4, 4 convolutions. */
    public static VGG vgg19(int numClasses, boolean batchNorm) {
        return new VGG(batchNorm ? "vgg19_bn" : "vgg19", new int[] {2, 2, 4, 4, 4}, batchNorm, numClasses);
    }
}
