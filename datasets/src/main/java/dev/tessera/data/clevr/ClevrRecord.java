package dev.tessera.data.clevr;

import com.google.protobuf.ByteString;
import dev.tessera.data.example.BytesList;
import dev.tessera.data.example.Example;
import dev.tessera.data.example.Feature;
import dev.tessera.data.example.Features;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The coursework's tf.train.Example layout for one image: {@code image} holds the H×W×3 pixels (0..255) as raw
 * little-endian int32 bytes in row-major HWC order; {@code question} and {@code answer} are aligned lists of
 * UTF-8 strings.
 */
public final class ClevrRecord {
    /** Feature name of the raw image bytes. */
    public static final String IMAGE = "image";
    /** Feature name of the question strings. */
    public static final String QUESTION = "question";
    /** Feature name of the answer strings, aligned with {@link #QUESTION}. */
    public static final String ANSWER = "answer";

    private ClevrRecord() {
    }

    /** The Example for an image given as HWC values 0..255 and its questions. */
    public static Example toExample(int[] hwc, List<Question> questions) {
        BytesList.Builder q = BytesList.newBuilder();
        BytesList.Builder a = BytesList.newBuilder();
        for (Question question : questions) {
            q.addValue(ByteString.copyFrom(question.text(), StandardCharsets.UTF_8));
            a.addValue(ByteString.copyFrom(question.answer(), StandardCharsets.UTF_8));
        }
        return Example.newBuilder().setFeatures(Features.newBuilder()
                .putFeature(IMAGE, bytes(BytesList.newBuilder().addValue(ByteString.copyFrom(int32Bytes(hwc)))))
                .putFeature(QUESTION, bytes(q))
                .putFeature(ANSWER, bytes(a))).build();
    }

    /** {@code values} as little-endian int32 bytes. */
    public static byte[] int32Bytes(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return b.array();
    }

    private static Feature bytes(BytesList.Builder list) {
        return Feature.newBuilder().setBytesList(list).build();
    }
}
