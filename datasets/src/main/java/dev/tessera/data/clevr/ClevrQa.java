package dev.tessera.data.clevr;

import com.google.protobuf.ByteString;
import dev.tessera.Tensor;
import dev.tessera.data.CloseableIterator;
import dev.tessera.data.Collate;
import dev.tessera.data.DataFileException;
import dev.tessera.data.Dataset;
import dev.tessera.data.Pair;
import dev.tessera.data.tfrecord.ExampleFeatures;
import dev.tessera.data.tfrecord.TfRecordDataset;
import dev.tessera.data.text.StringLookup;
import dev.tessera.data.text.TextVectorization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The coursework's CLEVR question-answering pipeline over TFRecords in the {@link ClevrRecord} format, laid out
 * as {@code <root>/train/*.tfrecord*} and {@code <root>/validation/*.tfrecord*}. Each epoch gives every image once
 * with ONE of its question-answer pairs, drawn uniformly from a seed, the epoch and the image's index. Batches
 * are {@code ((questions INT32 (B, L), images FLOAT32 (B, H, W, 3) in [0, 1]), answers INT64 (B))}, questions
 * padded with 0 to the longest in the batch; the training split is shuffled, and batches are prefetched.
 */
public final class ClevrQa {
    /** The training split's directory name. */
    public static final String TRAIN = "train";
    /** The validation split's directory name. */
    public static final String VALIDATION = "validation";

    /**
     * Pipeline settings.
     *
     * @param shuffleBuffer images held for shuffling the training split (an image costs H×W×3 bytes here)
     * @param prefetch      batches prepared ahead on a background thread; 0 turns prefetching off
     */
    public record Options(int batchSize, int shuffleBuffer, long seed, int prefetch) {
        /** Checks the values. */
        public Options {
            if (batchSize < 1 || shuffleBuffer < 1 || prefetch < 0) {
                throw new IllegalArgumentException("ClevrQa: need batchSize >= 1, shuffleBuffer >= 1, prefetch >= 0"
                        + " — got " + batchSize + ", " + shuffleBuffer + ", " + prefetch);
            }
        }

        /** Batch 64 (the coursework's), a 1024-image shuffle buffer, seed 0, 2 batches prefetched. */
        public static Options defaults() {
            return new Options(64, 1024, 0, 2);
        }

        /** These options with another batch size. */
        public Options withBatchSize(int size) {
            return new Options(size, shuffleBuffer, seed, prefetch);
        }

        /** These options with another prefetch depth (0: none). */
        public Options withPrefetch(int batches) {
            return new Options(batchSize, shuffleBuffer, seed, batches);
        }
    }

    /**
     * One image with one of its questions: tokens from the {@link TextVectorization}, pixels as unsigned bytes
     * (HWC, scaled to [0, 1] only when batched, which keeps the shuffle buffer small), the answer's class index.
     */
    public record Sample(int[] question, byte[] image, long answer) {
    }

    private final Path root;
    private final Options options;
    private final TextVectorization vectorizer;
    private final StringLookup answers;
    private final int imageSize;
    private final long trainImages;

    private ClevrQa(Path root, Options options, TextVectorization vectorizer, StringLookup answers, int imageSize,
                    long trainImages) {
        this.root = root;
        this.options = options;
        this.vectorizer = vectorizer;
        this.answers = answers;
        this.imageSize = imageSize;
        this.trainImages = trainImages;
    }

    /** Opens {@code root}, adapting the question vectoriser and the answer lookup on the training split only. */
    public static ClevrQa open(Path root, Options options) {
        List<String> questions = new ArrayList<>();
        List<String> answerTexts = new ArrayList<>();
        long[] images = {0};
        int[] size = {0};
        TfRecordDataset.of(files(root, TRAIN), false).decode(e -> {
            List<ByteString> q = e.bytesList(ClevrRecord.QUESTION);
            List<ByteString> a = e.bytesList(ClevrRecord.ANSWER, q.size());
            q.forEach(b -> questions.add(b.toStringUtf8()));
            a.forEach(b -> answerTexts.add(b.toStringUtf8()));
            if (images[0]++ == 0) {
                size[0] = sideOf(e);
            }
            return Boolean.TRUE;
        }).forEach(done -> { });
        return new ClevrQa(root, options, new TextVectorization().adapt(questions),
                new StringLookup().adapt(answerTexts), size[0], images[0]);
    }

    /** Opens {@code root} with a vectoriser and lookup saved earlier (e.g. with a model checkpoint). */
    public static ClevrQa open(Path root, Options options, TextVectorization vectorizer, StringLookup answers) {
        ExampleFeatures first = examples(root, TRAIN).take(1).toList().stream().findFirst().orElseThrow(
                () -> new IllegalArgumentException("ClevrQa: no training records under " + root.resolve(TRAIN)));
        return new ClevrQa(root, options, vectorizer, answers, sideOf(first), examples(root, TRAIN).count());
    }

    /** The question vectoriser adapted on the training questions. */
    public TextVectorization vectorizer() {
        return vectorizer;
    }

    /** The answer lookup adapted on the training answers; its size (with [UNK] at 0) is the number of classes. */
    public StringLookup answers() {
        return answers;
    }

    /** The side of the square images, read from the first training record. */
    public int imageSize() {
        return imageSize;
    }

    /** The number of training images (one sample each per epoch). */
    public long trainImages() {
        return trainImages;
    }

    /** The TFRecord shards of {@code split} in name order. */
    public static List<Path> files(Path root, String split) {
        Path dir = root.resolve(split);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("ClevrQa: no " + split + " directory — got " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().contains(".tfrecord"))
                    .filter(Files::isRegularFile).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("ClevrQa: no *.tfrecord* files in " + dir);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("ClevrQa: cannot list " + dir, e);
        }
    }

    /**
     * The split's images in file order, each with one question-answer pair drawn uniformly. Every new iterator
     * is a new epoch and draws again (from the seed, the epoch number and the image index), so the pairs change
     * between epochs but a run repeats exactly.
     */
    public Dataset<Sample> samples(String split) {
        return samples(split, 0);
    }

    /** As {@link #samples(String)} with the first iterator drawing epoch {@code firstEpoch} (to resume a run). */
    public Dataset<Sample> samples(String split, long firstEpoch) {
        if (firstEpoch < 0) {
            throw new IllegalArgumentException("ClevrQa: firstEpoch must be >= 0 — got " + firstEpoch);
        }
        Dataset<Record> records = records(split);
        AtomicLong epochs = new AtomicLong(firstEpoch);
        return Dataset.from(() -> new PairIterator(records.iterator(), epochs.getAndIncrement()));
    }

    /**
     * Every question-answer pair of every image of the split, in file order: the whole split's questions, for a
     * final evaluation that does not depend on which pairs an epoch happened to draw.
     */
    public Dataset<Sample> allPairs(String split) {
        Dataset<Record> records = records(split);
        return Dataset.from(() -> new PairIterator(records.iterator(), -1));
    }

    /** The batched pipeline: samples, shuffled for the training split, collated, prefetched when enabled. */
    public Dataset<Pair<Pair<Tensor, Tensor>, Tensor>> batches(String split) {
        return batches(split, 0);
    }

    /** As {@link #batches(String)} starting at epoch {@code firstEpoch} (pairs and shuffle order both follow it). */
    public Dataset<Pair<Pair<Tensor, Tensor>, Tensor>> batches(String split, long firstEpoch) {
        Dataset<Sample> s = samples(split, firstEpoch);
        if (split.equals(TRAIN)) {
            s = s.shuffle(options.shuffleBuffer(), options.seed() ^ 0x5DEECE66DL ^ firstEpoch * 0x9E3779B97F4A7C15L);
        }
        return batched(s);
    }

    /** {@link #allPairs} batched and prefetched like {@link #batches}, never shuffled. */
    public Dataset<Pair<Pair<Tensor, Tensor>, Tensor>> allPairBatches(String split) {
        return batched(allPairs(split));
    }

    private Dataset<Pair<Pair<Tensor, Tensor>, Tensor>> batched(Dataset<Sample> samples) {
        Dataset<Pair<Pair<Tensor, Tensor>, Tensor>> b = samples.batch(options.batchSize(), false, this::collate);
        return options.prefetch() > 0 ? b.prefetch(options.prefetch()) : b;
    }

    /** Turns a list of samples into ((questions, images), answers) tensors. */
    public Pair<Pair<Tensor, Tensor>, Tensor> collate(List<Sample> batch) {
        List<int[]> questions = new ArrayList<>(batch.size());
        List<Long> labels = new ArrayList<>(batch.size());
        int pixels = imageSize * imageSize * 3;
        float[] images = new float[Math.multiplyExact(batch.size(), pixels)];
        for (int i = 0; i < batch.size(); i++) {
            Sample s = batch.get(i);
            questions.add(s.question());
            labels.add(s.answer());
            byte[] img = s.image();
            for (int j = 0, o = i * pixels; j < pixels; j++) {
                images[o + j] = (img[j] & 0xFF) * (1f / 255f);
            }
        }
        Tensor q = Collate.padded().apply(questions);
        Tensor x = Tensor.of(images, batch.size(), imageSize, imageSize, 3);
        return Pair.of(Pair.of(q, x), Collate.labels().apply(labels));
    }

    /** The batched element's structure, e.g. "((questions: INT32 (64, None), images: FLOAT32 (64, 224, 224, 3)), answers: INT64 (64))". */
    public String elementSpec() {
        int b = options.batchSize();
        return String.format("((questions: INT32 (%d, None), images: FLOAT32 (%d, %d, %d, 3)), answers: INT64 (%d))",
                b, b, imageSize, imageSize, b);
    }

    /** The numbers the coursework prints: answers, vocabulary size, element spec, plus the first tokens of each. */
    public String describe() {
        return "number of answers (classes, [UNK] included): " + answers.vocabularySize() + "\n"
                + "question vocabulary size: " + vectorizer.vocabularySize() + "\n"
                + "training images: " + trainImages + " of " + imageSize + "x" + imageSize + "\n"
                + "element spec: " + elementSpec() + "\n" + vectorizer + "\n" + answers;
    }

    private static Dataset<ExampleFeatures> examples(Path root, String split) {
        return TfRecordDataset.of(files(root, split), false).examples();
    }

    /** One record's questions, answers and pixels, copied out of the reader's shared buffer. */
    private record Record(List<String> questions, List<String> answers, byte[] pixels) {
    }

    /** The split's records, decoded straight from the readers' buffers (no per-record copy of the 600 KB image). */
    private Dataset<Record> records(String split) {
        return TfRecordDataset.of(files(root, split), false).decode(e -> {
            List<ByteString> q = e.bytesList(ClevrRecord.QUESTION);
            List<ByteString> a = e.bytesList(ClevrRecord.ANSWER, q.size());
            if (q.isEmpty()) {
                throw new DataFileException("ClevrQa", "record has no questions", e.location());
            }
            List<String> questions = new ArrayList<>(q.size());
            List<String> answerTexts = new ArrayList<>(a.size());
            for (int j = 0; j < q.size(); j++) {
                questions.add(q.get(j).toString(StandardCharsets.UTF_8));
                answerTexts.add(a.get(j).toString(StandardCharsets.UTF_8));
            }
            return new Record(questions, answerTexts, pixels(e));
        });
    }

    /** The image side from the byte count of the first record (4 bytes per value, 3 channels, square). */
    private static int sideOf(ExampleFeatures e) {
        long values = e.bytes(ClevrRecord.IMAGE).size() / 4 / 3;
        int side = (int) Math.round(Math.sqrt(values));
        if ((long) side * side * 12 != e.bytes(ClevrRecord.IMAGE).size()) {
            throw new DataFileException("ClevrQa", "image has " + e.bytes(ClevrRecord.IMAGE).size()
                    + " bytes, not a square HxWx3 int32 image", e.location());
        }
        return side;
    }

    /** Yields one drawn pair per record for an epoch >= 0, or every pair of every record for epoch -1. */
    private final class PairIterator implements CloseableIterator<Sample> {
        private final CloseableIterator<Record> source;
        private final long epoch;
        private final List<Sample> pending = new ArrayList<>();
        private long index;

        PairIterator(CloseableIterator<Record> source, long epoch) {
            this.source = source;
            this.epoch = epoch;
        }

        @Override
        public boolean hasNext() {
            return !pending.isEmpty() || source.hasNext();
        }

        @Override
        public Sample next() {
            if (pending.isEmpty()) {
                if (!source.hasNext()) {
                    throw new NoSuchElementException("ClevrQa: no more records");
                }
                read(source.next());
            }
            return pending.remove(0);
        }

        private void read(Record r) {
            int count = r.questions().size();
            int from = epoch < 0 ? 0 : pickFor(options.seed(), epoch, index, count);
            int to = epoch < 0 ? count : from + 1;
            for (int j = from; j < to; j++) {
                pending.add(new Sample(vectorizer.apply(r.questions().get(j)), r.pixels(),
                        answers.index(r.answers().get(j))));
            }
            index++;
        }

        @Override
        public void close() {
            source.close();
        }
    }

    /** Which of {@code count} questions image {@code index} shows in {@code epoch}. */
    static int pickFor(long seed, long epoch, long index, int count) {
        long epochSeed = new SplittableRandom(seed ^ epoch * 0x9E3779B97F4A7C15L).nextLong();
        return new SplittableRandom(epochSeed + index * 0xBF58476D1CE4E5B9L).nextInt(count);
    }

    private byte[] pixels(ExampleFeatures e) {
        ByteString raw = e.bytes(ClevrRecord.IMAGE);
        int n = imageSize * imageSize * 3;
        if (raw.size() != n * 4) {
            throw new DataFileException("ClevrQa", "image has " + raw.size() + " bytes, expected " + n * 4
                    + " for " + imageSize + "x" + imageSize + "x3 int32", e.location());
        }
        IntBuffer values = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int v = values.get(i);
            if ((v & ~0xFF) != 0) {
                throw new DataFileException("ClevrQa", "pixel " + i + " is " + v + ", outside 0..255", e.location());
            }
            out[i] = (byte) v;
        }
        return out;
    }
}
