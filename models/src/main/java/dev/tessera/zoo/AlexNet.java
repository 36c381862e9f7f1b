package dev.tessera.zoo;

import dev.tessera.nn.Activation;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Dropout;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.MaxPooling2D;
import dev.tessera.nn.Sequential;

/**
 * AlexNet as torchvision defines it, over NHWC images: convolutions 64@11x11 stride 4 padded by 2,
 * 192@5x5 padded by 2, 384, 256 and 256 @3x3 padded by 1 (ReLU after each, 3x3 stride-2 max pooling
 * after the first, second and fifth), adaptive average pooling to 6x6, then dropout 0.5, dense 4096,
 * dropout, dense 4096 and a dense layer giving logits: 61,100,840 parameters for 1000 classes.
 * Images of at least 63x63 fit.
 */
public class AlexNet extends Sequential {

    public AlexNet(int numClasses) {
        super("alexnet");
        if (numClasses < 1) {
            throw new IllegalArgumentException("AlexNet: numClasses must be positive — got " + numClasses);
        }
        add(conv(64, 11, 4, 2));
        add(new MaxPooling2D(3).strides(2));
        add(conv(192, 5, 1, 2));
        add(new MaxPooling2D(3).strides(2));
        add(conv(384, 3, 1, 1));
        add(conv(256, 3, 1, 1));
        add(conv(256, 3, 1, 1));
        add(new MaxPooling2D(3).strides(2));
        add(new AdaptiveAveragePooling2D(6, 6));
        add(new Flatten());
        add(new Dropout(0.5));
        add(new Dense(4096).activation(Activation.RELU));
        add(new Dropout(0.5));
        add(new Dense(4096).activation(Activation.RELU));
        add(new Dense(numClasses));
    }

    private static PaddedConv2D conv(long filters, int kernel, int stride, int pad) {
        PaddedConv2D conv = new PaddedConv2D(filters, kernel, stride, pad);
        conv.activation(Activation.RELU);
        return conv;
    }
}
