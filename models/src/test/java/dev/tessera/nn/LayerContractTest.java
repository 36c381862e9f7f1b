package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.ops.Padding;
import org.junit.jupiter.api.Test;

/** Every layer passes {@link LayerContract}, with the parameter counts Keras reports for the same configuration. */
class LayerContractTest {

    @Test
    void dense() {
        LayerContract.check(new Dense(5).activation(Activation.TANH), 4 * 5 + 5, Shape.of(3, 4));
        LayerContract.check(new Dense(5).useBias(false), 4 * 5, Shape.of(2, 3, 4));
    }

    @Test
    void conv2d() {
        LayerContract.check(new Conv2D(4, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                3 * 3 * 2 * 4 + 4, Shape.of(2, 7, 6, 2));
        LayerContract.check(new Conv2D(3, 2, 3).dilation(2), 2 * 3 * 2 * 3 + 3, Shape.of(1, 6, 7, 2));
    }

    @Test
    void conv2dTranspose() {
        Tensor y = LayerContract.check(new Conv2DTranspose(3, 3).strides(2).padding(Padding.SAME), 3 * 3 * 3 * 2 + 3,
                Shape.of(2, 4, 5, 2));
        assertEquals(Shape.of(2, 8, 10, 3), y.shape());
        y = LayerContract.check(new Conv2DTranspose(3, 3).strides(2), 3 * 3 * 3 * 2 + 3, Shape.of(1, 4, 5, 2));
        assertEquals(Shape.of(1, 9, 11, 3), y.shape());
    }

    @Test
    void pooling() {
        Tensor y = LayerContract.check(new MaxPooling2D(), 0, Shape.of(2, 5, 6, 3));
        assertEquals(Shape.of(2, 2, 3, 3), y.shape());
        y = LayerContract.check(new AveragePooling2D(3).strides(2).padding(Padding.SAME), 0, Shape.of(2, 5, 6, 3));
        assertEquals(Shape.of(2, 3, 3, 3), y.shape());
        assertEquals(Shape.of(2, 3), LayerContract.check(new GlobalMaxPooling2D(), 0, Shape.of(2, 4, 5, 3)).shape());
        assertEquals(Shape.of(2, 1, 1, 3),
                LayerContract.check(new GlobalAveragePooling2D().keepDims(true), 0, Shape.of(2, 4, 5, 3)).shape());
    }

    @Test
    void normalization() {
        LayerContract.check(new BatchNormalization(), 4 * 4, Shape.of(6, 3, 2, 4));
        LayerContract.check(new BatchNormalization().center(false).scale(false), 2 * 4, Shape.of(6, 4));
        LayerContract.check(new LayerNormalization(), 2 * 5, Shape.of(3, 2, 5));
    }

    @Test
    void shapingAndMerging() {
        assertEquals(Shape.of(2, 24), LayerContract.check(new Flatten(), 0, Shape.of(2, 3, 4, 2)).shape());
        assertEquals(Shape.of(2, 4, 6), LayerContract.check(new Reshape(4, -1), 0, Shape.of(2, 3, 8)).shape());
        LayerContract.check(new Dropout(0.5), 0, Shape.of(4, 8));
        LayerContract.check(Activation.GELU.layer(), 0, Shape.of(2, 3));
        LayerContract.check(new Add(), 0, Shape.of(2, 3), Shape.of(2, 3), Shape.of(2, 3));
        assertEquals(Shape.of(2, 3, 7),
                LayerContract.check(new Concatenate(), 0, Shape.of(2, 3, 4), Shape.of(2, 3, 3)).shape());
    }

    @Test
    void filmPieces() {
        LayerContract.check(new FiLM(), 2 * 6 * 4, Shape.of(2, 3, 3, 4), Shape.of(2, 6));
        LayerContract.check(new FiLM().useBias(true), 2 * (6 * 4 + 4), Shape.of(2, 3, 3, 4), Shape.of(2, 6));
        assertEquals(Shape.of(2, 3, 5, 6), LayerContract.check(new AddSpatialCoordinates(), 0, Shape.of(2, 3, 5, 4)).shape());
        long filters = 4;
        long expected = (3 * filters + filters) + (9 * filters * filters + filters) + 2 * filters + 2 * 5 * filters;
        LayerContract.check(new FiLMResBlock(filters), expected, Shape.of(3, 5, 4, 3), Shape.of(3, 5));
    }

    @Test
    void sequential() {
        Sequential model = new Sequential(new Conv2D(3, 3).padding(Padding.SAME), new BatchNormalization(),
                Activation.RELU.layer(), new GlobalAveragePooling2D(), new Dense(2));
        LayerContract.check(model, (9 * 2 * 3 + 3) + 4 * 3 + (3 * 2 + 2), Shape.of(4, 5, 5, 2));
    }
}
