package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;
import org.junit.jupiter.api.Test;

/**
 * The whole coursework FiLM VQA model (vocabulary 82, 30 answers) has Keras' 990,878 parameters,
 * 990,110 trainable and 768 non-trainable. Counts do not depend on the image size, so a 32x32
 * image keeps the forward pass cheap.
 */
class CourseworkModelCountTest {

    /** Question encoder, image feature extractor, one FiLM residual block and the classifier. */
    static final class FilmVqa extends Module {
        private final Sequential question = child("question", new Sequential(
                new Embedding(82, 64).maskZero(true), new GRU(128).returnSequences(true), new GRU(128)));
        private final Sequential features = child("features", KerasCountTest.featureExtractor());
        private final AddSpatialCoordinates coords = child("coords", new AddSpatialCoordinates());
        private final FiLMResBlock block = child("block", new FiLMResBlock(128));
        private final AddSpatialCoordinates coords2 = child("coords2", new AddSpatialCoordinates());
        private final Sequential classifier = child("classifier", new Sequential(new Conv2D(512, 1),
                new GlobalMaxPooling2D(), new Dense(512).activation(Activation.RELU),
                new Dense(30).activation(Activation.SOFTMAX)));

        @Override
        protected Tensor forward(Tensor... inputs) {
            expectInputCount(inputs.length, 2);
            Tensor q = question.call(inputs[1]);
            Tensor h = block.call(coords.call(features.call(inputs[0])), q);
            return classifier.call(coords2.call(h));
        }
    }

    @Test
    void courseworkModelHas990878Parameters() {
        FilmVqa model = new FilmVqa();
        Tensor image = Tensor.randn(new Generator(1), 2, 32, 32, 3);
        Tensor tokens = Tensor.of(new long[] {5, 81, 3, 0, 7, 9, 2, 0}, 2, 4);
        assertEquals(Shape.of(2, 30), model.call(image, tokens).shape());
        assertEquals(990_878, Summary.count(model, null));
        assertEquals(990_110, Summary.count(model, true));
        assertEquals(768, Summary.count(model, false));
        String summary = model.summary();
        assertTrue(summary.contains(" Total params: 990,878 (3.78 MB)\n"), summary);
        assertTrue(summary.contains(" Trainable params: 990,110 (3.78 MB)\n"), summary);
        assertTrue(summary.contains(" Non-trainable params: 768 (3.00 KB)\n"), summary);
        assertTrue(summary.contains("178,816"), summary);
        assertTrue(summary.contains("269,568"), summary);
        assertTrue(summary.contains("197,376"), summary);
        assertTrue(summary.contains("345,118"), summary);
    }
}
