package dev.tessera.data.clevr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tessera.data.tfrecord.ExampleFeatures;
import dev.tessera.data.tfrecord.TfRecordDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClevrGenerateTest {
    private static final int SIZE = 32;

    @TempDir
    Path dir;

    @Test
    void writesShardedSplitsInTheCourseworkFormat() throws IOException {
        GenerationReport report = ClevrGenerate.run(new ClevrGenerate.Options(dir, 12, 5, 3, 9, SIZE, false, 2));
        assertEquals(List.of("train-00000-of-00003.tfrecord", "train-00001-of-00003.tfrecord",
                        "train-00002-of-00003.tfrecord"),
                ClevrQa.files(dir, "train").stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(3, ClevrQa.files(dir, "validation").size());
        List<ExampleFeatures> train = TfRecordDataset.of(ClevrQa.files(dir, "train"), false).examples().toList();
        assertEquals(12, train.size());
        SceneGenerator scenes = new SceneGenerator(9, SIZE);
        for (int i = 0; i < train.size(); i++) {
            ExampleFeatures e = train.get(i);
            SplittableRandom rng = scenes.random(0, i);
            Scene scene = scenes.generate(rng);
            List<Question> qs = new QuestionGenerator().generate(scene, rng);
            int[] hwc = new Renderer(SIZE).renderHwc(scene);
            // Raw little-endian int32, row-major HWC, exactly H*W*3*4 bytes.
            ByteString raw = e.bytes("image");
            assertEquals(SIZE * SIZE * 3 * 4, raw.size());
            assertEquals(hwc[5], raw.byteAt(20) & 0xFF | (raw.byteAt(21) & 0xFF) << 8);
            assertEquals(0, raw.byteAt(22) | raw.byteAt(23));
            assertArrayEquals(ClevrRecord.int32Bytes(hwc), raw.toByteArray());
            assertEquals(qs.stream().map(Question::text).toList(),
                    e.bytesList("question", 10).stream().map(ByteString::toStringUtf8).toList());
            assertEquals(qs.stream().map(Question::answer).toList(),
                    e.bytesList("answer", 10).stream().map(ByteString::toStringUtf8).toList());
        }
        assertEquals(120, report.splits().get("train").total());
        assertEquals(50, report.splits().get("validation").total());
        double baseline = report.baselineAccuracy();
        assertEquals(report.splits().get("validation").rateOf(report.majorityAnswer()), baseline, 1e-12);
        assertTrue(report.toString().contains("majority-answer baseline"), report::toString);
    }

    @Test
    void outputDoesNotDependOnThreadsAndGzipReadsBack() throws IOException {
        ClevrGenerate.run(new ClevrGenerate.Options(dir.resolve("one"), 6, 0, 2, 4, SIZE, false, 1));
        ClevrGenerate.run(new ClevrGenerate.Options(dir.resolve("two"), 6, 0, 2, 4, SIZE, false, 2));
        ClevrGenerate.run(new ClevrGenerate.Options(dir.resolve("gz"), 6, 0, 2, 4, SIZE, true, 2));
        for (int shard = 0; shard < 2; shard++) {
            String name = ClevrWriter.shardName("train", shard, 2, false);
            assertArrayEquals(Files.readAllBytes(dir.resolve("one/train").resolve(name)),
                    Files.readAllBytes(dir.resolve("two/train").resolve(name)));
        }
        List<Path> gz = ClevrQa.files(dir.resolve("gz"), "train");
        assertTrue(gz.get(0).toString().endsWith(".tfrecord.gz"));
        assertEquals(TfRecordDataset.of(ClevrQa.files(dir.resolve("one"), "train"), false).toList().stream()
                        .map(r -> ByteString.copyFrom(r.data())).toList(),
                TfRecordDataset.of(gz, false).toList().stream().map(r -> ByteString.copyFrom(r.data())).toList());
    }

    @Test
    void flagsAreCheckedWithHelpfulMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClevrGenerate.parseFlags(new String[] {"--colour", "red"}));
        assertTrue(e.getMessage().contains("--colour") && e.getMessage().contains("--image-size"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> ClevrGenerate.main(new String[] {"--train", "many"}));
        assertTrue(e.getMessage().contains("--train needs an integer"), e::getMessage);
        assertEquals("7", ClevrGenerate.parseFlags(new String[] {"--seed", "7", "--gzip"}).get("seed"));
    }
}
