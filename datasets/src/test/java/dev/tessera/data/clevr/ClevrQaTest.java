package dev.tessera.data.clevr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.data.CpuBackend;
import dev.tessera.data.Pair;
import dev.tessera.data.text.StringLookup;
import dev.tessera.data.text.TextVectorization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClevrQaTest {
    private static final int SIZE = 24;
    private static final int TRAIN = 20;
    private static final long SEED = 3;

    @TempDir
    static Path dir;

    private static ClevrQa qa;

    @BeforeAll
    static void generate() throws IOException {
        ClevrGenerate.run(new ClevrGenerate.Options(dir, TRAIN, 8, 2, SEED, SIZE, false, 2));
        qa = ClevrQa.open(dir, ClevrQa.Options.defaults().withBatchSize(8));
    }

    @Test
    void vocabulariesComeFromTheTrainingSplitOnly() {
        List<String> questions = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        forEachTrainingQuestion((q, i) -> {
            questions.add(q.text());
            answers.add(q.answer());
        });
        assertEquals(new TextVectorization().adapt(questions).vocabulary().tokens(),
                qa.vectorizer().vocabulary().tokens());
        assertEquals(new StringLookup().adapt(answers).vocabulary().tokens(), qa.answers().vocabulary().tokens());
        assertEquals(SIZE, qa.imageSize());
        assertEquals(TRAIN, qa.trainImages());
        String d = qa.describe();
        assertTrue(d.contains("number of answers (classes, [UNK] included): " + qa.answers().vocabularySize()), d);
        assertTrue(d.contains("INT32 (8, None), images: FLOAT32 (8, 24, 24, 3)), answers: INT64 (8))"), d);
    }

    @Test
    void eachImageOnceWithOneOfItsOwnPairsPerEpoch() {
        var samples = qa.samples(ClevrQa.TRAIN);
        List<ClevrQa.Sample> epoch1 = samples.toList();
        List<ClevrQa.Sample> epoch2 = samples.toList();
        assertEquals(TRAIN, epoch1.size());
        assertEquals(TRAIN, epoch2.size());
        List<List<Question>> truth = new ArrayList<>();
        SceneGenerator scenes = new SceneGenerator(SEED, SIZE);
        int changed = 0;
        for (int i = 0; i < TRAIN; i++) {
            SplittableRandom rng = scenes.random(0, i);
            Scene scene = scenes.generate(rng);
            List<Question> qs = new QuestionGenerator().generate(scene, rng);
            truth.add(qs);
            int[] hwc = new Renderer(SIZE).renderHwc(scene);
            for (List<ClevrQa.Sample> epoch : List.of(epoch1, epoch2)) {
                ClevrQa.Sample s = epoch.get(i);
                assertArrayEquals(hwc, unsigned(s.image()));
                int pick = indexOfQuestion(qs, s.question());
                assertTrue(pick >= 0, "sample " + i + " carries a question of another image");
                assertEquals(qa.answers().index(qs.get(pick).answer()), s.answer());
                assertTrue(s.answer() > 0, "training answers are never [UNK]");
            }
            changed += Arrays.equals(epoch1.get(i).question(), epoch2.get(i).question()) ? 0 : 1;
        }
        assertTrue(changed >= TRAIN / 2, "only " + changed + " images changed question between epochs");
        // A fresh pipeline with the same seed repeats epoch 1.
        ClevrQa again = ClevrQa.open(dir, ClevrQa.Options.defaults(), qa.vectorizer(), qa.answers());
        List<ClevrQa.Sample> repeat = again.samples(ClevrQa.TRAIN).toList();
        for (int i = 0; i < TRAIN; i++) {
            assertArrayEquals(epoch1.get(i).question(), repeat.get(i).question());
        }
        // A resumed run that starts at epoch 1 draws what the second epoch drew.
        List<ClevrQa.Sample> resumed = again.samples(ClevrQa.TRAIN, 1).toList();
        for (int i = 0; i < TRAIN; i++) {
            assertArrayEquals(epoch2.get(i).question(), resumed.get(i).question());
        }
    }

    @Test
    void allPairsGivesEveryQuestionOfEveryImageInOrder() {
        List<ClevrQa.Sample> all = qa.allPairs(ClevrQa.TRAIN).toList();
        assertEquals(TRAIN * 10, all.size());
        int[] k = {0};
        forEachTrainingQuestion((q, i) -> {
            ClevrQa.Sample s = all.get(k[0]++);
            assertArrayEquals(qa.vectorizer().apply(q.text()), s.question());
            assertEquals(qa.answers().index(q.answer()), s.answer());
            assertEquals(all.get(i * 10).image(), s.image(), "the ten pairs of an image share its pixels");
        });
    }

    @Test
    void picksAreUniformOverTheTenQuestions() {
        int[] counts = new int[10];
        for (int epoch = 0; epoch < 20; epoch++) {
            for (int i = 0; i < 1000; i++) {
                counts[ClevrQa.pickFor(SEED, epoch, i, 10)]++;
            }
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 2000) < 200, () -> Arrays.toString(counts));
        }
    }

    @Test
    void batchesHaveTheCourseworkStructure() {
        CpuBackend.assume();
        List<Pair<Pair<Tensor, Tensor>, Tensor>> batches = qa.batches(ClevrQa.TRAIN).toList();
        assertEquals(3, batches.size());
        long seen = 0;
        for (Pair<Pair<Tensor, Tensor>, Tensor> b : batches) {
            Tensor q = b.first().first();
            Tensor x = b.first().second();
            Tensor y = b.second();
            long n = y.shape().dim(0);
            seen += n;
            assertEquals(DType.INT32, q.dtype());
            assertEquals(n, q.shape().dim(0));
            assertEquals(DType.FLOAT32, x.dtype());
            assertEquals(Shape.of(n, SIZE, SIZE, 3), x.shape());
            assertEquals(DType.INT64, y.dtype());
            float[] pixels = x.toFloatArray();
            for (float p : pixels) {
                assertTrue(p >= 0f && p <= 1f);
            }
        }
        assertEquals(TRAIN, seen);
        List<ClevrQa.Sample> one = qa.samples(ClevrQa.VALIDATION).take(2).toList();
        Pair<Pair<Tensor, Tensor>, Tensor> c = qa.collate(one);
        assertEquals((one.get(1).image()[7] & 0xFF) / 255f, c.first().second().toFloatArray()[SIZE * SIZE * 3 + 7], 1e-7);
        int longest = Math.max(one.get(0).question().length, one.get(1).question().length);
        assertEquals(Shape.of(2, longest), c.first().first().shape());
    }

    @Test
    void onlyTheTrainingSplitIsShuffled() {
        CpuBackend.assume();
        List<Double> trainFileOrder = imageSums(qa.samples(ClevrQa.TRAIN).toList());
        List<Double> trainBatched = batchedImageSums(ClevrQa.TRAIN);
        assertEquals(trainFileOrder.stream().sorted().toList(), trainBatched.stream().sorted().toList());
        assertNotEquals(trainFileOrder, trainBatched);
        assertEquals(imageSums(qa.samples(ClevrQa.VALIDATION).toList()), batchedImageSums(ClevrQa.VALIDATION));
    }

    private static List<Double> imageSums(List<ClevrQa.Sample> samples) {
        List<Double> out = new ArrayList<>();
        for (ClevrQa.Sample s : samples) {
            double sum = 0;
            for (byte b : s.image()) {
                sum += (b & 0xFF) * (1f / 255f);
            }
            out.add((double) Math.round(sum * 100));
        }
        return out;
    }

    private static List<Double> batchedImageSums(String split) {
        List<Double> out = new ArrayList<>();
        int pixels = SIZE * SIZE * 3;
        for (Pair<Pair<Tensor, Tensor>, Tensor> b : qa.batches(split).toList()) {
            float[] x = b.first().second().toFloatArray();
            for (int i = 0; i < x.length / pixels; i++) {
                double sum = 0;
                for (int j = i * pixels; j < (i + 1) * pixels; j++) {
                    sum += x[j];
                }
                out.add((double) Math.round(sum * 100));
            }
        }
        return out;
    }

    @Test
    void aWrongSizedImageNamesTheFileAndRecord() throws IOException {
        Path bad = dir.resolve("bad");
        ClevrGenerate.run(new ClevrGenerate.Options(bad, 2, 0, 1, 1, 16, false, 1));
        Path other = dir.resolve("other");
        ClevrGenerate.run(new ClevrGenerate.Options(other, 1, 1, 1, 1, SIZE, false, 1));
        // validation images of another size than training ones
        Files.copy(ClevrQa.files(bad, "train").get(0), other.resolve("validation").resolve("x.tfrecord"));
        ClevrQa mixed = ClevrQa.open(other, ClevrQa.Options.defaults());
        RuntimeException e = assertThrows(RuntimeException.class, () -> mixed.samples(ClevrQa.VALIDATION).toList());
        assertTrue(e.getMessage().contains("x.tfrecord") && e.getMessage().contains("record 0"), e::getMessage);
    }

    private interface QuestionVisitor {
        void visit(Question q, int image);
    }

    private static void forEachTrainingQuestion(QuestionVisitor v) {
        SceneGenerator scenes = new SceneGenerator(SEED, SIZE);
        for (int i = 0; i < TRAIN; i++) {
            SplittableRandom rng = scenes.random(0, i);
            int image = i;
            new QuestionGenerator().generate(scenes.generate(rng), rng).forEach(q -> v.visit(q, image));
        }
    }

    private static int indexOfQuestion(List<Question> qs, int[] tokens) {
        for (int j = 0; j < qs.size(); j++) {
            if (Arrays.equals(qa.vectorizer().apply(qs.get(j).text()), tokens)) {
                return j;
            }
        }
        return -1;
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }
}
