package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import dev.tessera.ops.Padding;
import org.junit.jupiter.api.Test;

/** The parameter counts Keras reports for the coursework FiLM model's parts, reproduced by buildFor and summary(). */
class KerasCountTest {

    static Sequential featureExtractor() {
        return new Sequential("feature_extractor",
                new Conv2D(128, 4).strides(2).padding(Padding.SAME), new BatchNormalization(), Activation.RELU.layer(),
                new Conv2D(128, 4).strides(2).padding(Padding.SAME), new BatchNormalization(), Activation.RELU.layer());
    }

    @Test
    void featureExtractorHas269568Parameters() {
        Sequential model = featureExtractor();
        String summary = model.summary(Shape.of(224, 224, 3));
        assertEquals(269_568, Summary.count(model, null));
        assertEquals(269_056, Summary.count(model, true));
        assertEquals(512, Summary.count(model, false));
        assertTrue(summary.contains(" Total params: 269,568 (1.03 MB)\n"), summary);
        assertTrue(summary.contains(" Trainable params: 269,056 (1.03 MB)\n"), summary);
        assertTrue(summary.contains(" Non-trainable params: 512 (2.00 KB)\n"), summary);
        assertTrue(summary.contains("(None, 112, 112, 128)"), summary);
        assertTrue(summary.contains("(None, 56, 56, 128)"), summary);
        assertTrue(summary.contains("6,272"), summary);
        assertTrue(summary.contains("262,272"), summary);
    }

    @Test
    void filmResBlockOn130ChannelsHas197376Parameters() {
        FiLMResBlock block = new FiLMResBlock(128);
        block.buildFor(Shape.of(1, 14, 14, 130), Shape.of(1, 128));
        assertEquals(197_376, Summary.count(block, null));
        assertEquals(256, Summary.count(block, false));
        assertEquals(Shape.of(1, 14, 14, 128), block.computeOutputShape(Shape.of(1, 14, 14, 130), Shape.of(1, 128)));
    }

    @Test
    void classifierHas345118Parameters() {
        Sequential classifier = new Sequential(new Conv2D(512, 1), new GlobalMaxPooling2D(),
                new Dense(512).activation(Activation.RELU), new Dense(30).activation(Activation.SOFTMAX));
        String summary = classifier.summary(Shape.of(14, 14, 130));
        assertEquals(345_118, Summary.count(classifier, null));
        assertTrue(summary.contains(" Total params: 345,118 (1.32 MB)\n"), summary);
        assertTrue(summary.contains(" Non-trainable params: 0 (0.00 B)\n"), summary);
        assertTrue(summary.contains("(None, 30)"), summary);
    }
}
