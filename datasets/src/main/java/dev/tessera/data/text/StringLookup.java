package dev.tessera.data.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps whole strings (e.g. answers) to class indices like Keras' {@code StringLookup} with its defaults
 * ({@code num_oov_indices=1}, {@code mask_token=None}): index 0 is "[UNK]", given to any string not seen by
 * {@link #adapt}, and the seen strings follow in {@link Vocabulary}'s Keras order from 1. No standardisation.
 *
 * <p>For answers this means: {@link #vocabularySize()} counts [UNK], and it is the number of classes a model
 * predicts, as in the coursework. Training labels are never 0 (they were all seen by adapt); a validation
 * answer never seen in training gets label 0, which the model can never be right about.
 */
public final class StringLookup extends VocabularyLayer {
    /** The out-of-vocabulary token, index 0. */
    public static final String OOV = "[UNK]";

    /** An empty lookup; call {@link #adapt} or {@link #load} before {@link #index}. */
    public StringLookup() {
        super("StringLookup", null);
    }

    private StringLookup(Vocabulary vocabulary) {
        super("StringLookup", vocabulary);
    }

    /** Builds the vocabulary from {@code values} (the training split only), replacing any previous one. */
    public StringLookup adapt(Iterable<String> values) {
        Map<String, Long> counts = new HashMap<>();
        for (String v : values) {
            counts.merge(v, 1L, Long::sum);
        }
        setVocabulary(Vocabulary.byFrequency(List.of(OOV), counts));
        return this;
    }

    /** The index of {@code value}, or 0 ([UNK]) when it was not seen. */
    public int index(String value) {
        return Math.max(0, vocabulary().indexOf(value));
    }

    /** The string at {@code index} ("[UNK]" at 0); Keras' {@code invert=True}. */
    public String value(int index) {
        return vocabulary().token(index);
    }

    @Override
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("class", "StringLookup");
        settings.put("oov_token", OOV);
        return settings;
    }

    /** Reads a lookup written by {@link #save}. */
    public static StringLookup load(Path path) throws IOException {
        VocabularyFile.Contents c = VocabularyFile.load(path);
        c.require(path, "class", "StringLookup");
        c.require(path, "oov_token", OOV);
        if (c.tokens().isEmpty() || !c.tokens().get(0).equals(OOV)) {
            throw new IOException(path + ": vocabulary must start with \"[UNK]\" — got "
                    + c.tokens().subList(0, Math.min(1, c.tokens().size())));
        }
        return new StringLookup(c.vocabulary(path));
    }
}
