package dev.tessera.bench.compare;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;
import java.util.Random;

/**
 * One generated batch for the coursework FiLM model: questions of 5 to 20 tokens (vocabulary 82, 0 = padding)
 * padded to 20, 224x224x3 images uniform in [0, 1) and answers among 30 classes, all drawn from fixed seeds.
 *
 * @param questions (batch, 20) token ids
 * @param images (batch, 224, 224, 3) FLOAT32 pixels, NHWC
 * @param answers (batch) class ids
 */
public record FilmBatch(Tensor questions, Tensor images, Tensor answers) {
    /** The question vocabulary, padding included. */
    public static final int VOCABULARY = 82;
    /** The number of answer classes. */
    public static final int ANSWERS = 30;
    /** The padded question length. */
    public static final int MAX_QUESTION = 20;

    /** A batch on the CPU, reproducible from its three seeds. */
    public static FilmBatch random(int batch, long tokenSeed, long imageSeed, long answerSeed) {
        Random random = new Random(tokenSeed);
        int[] tokens = new int[batch * MAX_QUESTION];
        for (int b = 0; b < batch; b++) {
            int length = 5 + random.nextInt(MAX_QUESTION - 4);
            for (int t = 0; t < length; t++) {
                tokens[b * MAX_QUESTION + t] = 1 + random.nextInt(VOCABULARY - 1);
            }
        }
        Tensor images = Tensor.uniform(new Generator(imageSeed), Shape.of(batch, 224, 224, 3), 0, 1, DType.FLOAT32,
                Device.cpu());
        return new FilmBatch(Tensor.of(tokens, batch, MAX_QUESTION), images,
                Tensor.of(TesseraRows.randomLabels(batch, ANSWERS, answerSeed), batch));
    }

    /** The same batch copied to {@code device} (this batch itself when it is already there). */
    public FilmBatch to(Device device) {
        return new FilmBatch(questions.to(device), images.to(device), answers.to(device));
    }
}
