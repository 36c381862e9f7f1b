package dev.tessera.data.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns sentences into integer token sequences like Keras' {@code TextVectorization} with its defaults:
 * {@code lower_and_strip_punctuation} standardisation, whitespace split and {@code output_mode="int"}. Index 0
 * is padding (""), 1 is "[UNK]" for tokens not seen by {@link #adapt}, and the rest follow {@link Vocabulary}'s
 * Keras order. Sequences are returned unpadded; a padded batch fills with 0.
 */
public final class TextVectorization extends VocabularyLayer {
    /** The padding token, index 0. */
    public static final String PADDING = "";
    /** The out-of-vocabulary token, index 1. */
    public static final String OOV = "[UNK]";

    // NOTE: the character set of Keras' DEFAULT_STRIP_REGEX: !"#$%&()*+,-./:;<=>?@[\]^_`{|}~ and the apostrophe.
    private static final Pattern PUNCTUATION = Pattern.compile("[!\"#$%&()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~']");
    private static final Pattern WHITESPACE = Pattern.compile("[ \\t\\n\\r\\x0B\\f]+");
    private static final String STANDARDIZE = "lower_and_strip_punctuation";
    private static final String SPLIT = "whitespace";

    /** An empty layer; call {@link #adapt} or {@link #load} before {@link #apply}. */
    public TextVectorization() {
        super("TextVectorization", null);
    }

    private TextVectorization(Vocabulary vocabulary) {
        super("TextVectorization", vocabulary);
    }

    /**
     * Keras' {@code lower_and_strip_punctuation}: lower-cases ASCII letters (as {@code tf.strings.lower} does by
     * default, so "É" is kept) and deletes the punctuation characters listed in the class.
     */
    public static String standardize(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return PUNCTUATION.matcher(b).replaceAll("");
    }

    /** The standardised text split on ASCII whitespace, empty pieces dropped. */
    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String t : WHITESPACE.split(standardize(text))) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Builds the vocabulary from {@code texts} (the training split only), replacing any previous one. */
    public TextVectorization adapt(Iterable<String> texts) {
        Map<String, Long> counts = new HashMap<>();
        for (String text : texts) {
            for (String t : tokenize(text)) {
                counts.merge(t, 1L, Long::sum);
            }
        }
        setVocabulary(Vocabulary.byFrequency(List.of(PADDING, OOV), counts));
        return this;
    }

    /** The token indices of {@code text}; unknown tokens map to 1. */
    public int[] apply(String text) {
        Vocabulary v = vocabulary();
        List<String> tokens = tokenize(text);
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            int id = v.indexOf(tokens.get(i));
            out[i] = id < 0 ? 1 : id;
        }
        return out;
    }

    @Override
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("class", "TextVectorization");
        settings.put("standardize", STANDARDIZE);
        settings.put("split", SPLIT);
        return settings;
    }

    /** Reads a layer written by {@link #save}; the file's settings must match this class's. */
    public static TextVectorization load(Path path) throws IOException {
        VocabularyFile.Contents c = VocabularyFile.load(path);
        c.require(path, "class", "TextVectorization");
        c.require(path, "standardize", STANDARDIZE);
        c.require(path, "split", SPLIT);
        if (c.tokens().size() < 2 || !c.tokens().get(0).equals(PADDING) || !c.tokens().get(1).equals(OOV)) {
            throw new IOException(path + ": vocabulary must start with \"\" and \"[UNK]\" — got "
                    + c.tokens().subList(0, Math.min(2, c.tokens().size())));
        }
        return new TextVectorization(c.vocabulary(path));
    }
}
