package dev.tessera.data.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** What {@link TextVectorization} and {@link StringLookup} share: an adapted vocabulary, printing and saving. */
abstract class VocabularyLayer {
    private final String name;
    private Vocabulary vocabulary;

    VocabularyLayer(String name, Vocabulary vocabulary) {
        this.name = name;
        this.vocabulary = vocabulary;
    }

    /** The settings written before the vocabulary, starting with "class". */
    abstract Map<String, String> settings();

    final void setVocabulary(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /** The vocabulary, reserved tokens included (Keras' {@code get_vocabulary()}). */
    public Vocabulary vocabulary() {
        if (vocabulary == null) {
            throw new IllegalStateException(name + ": no vocabulary — call adapt() or load() first");
        }
        return vocabulary;
    }

    /** The number of entries, reserved tokens included. */
    public int vocabularySize() {
        return vocabulary().size();
    }

    /** Writes the settings and vocabulary as JSON (see {@link VocabularyFile}). */
    public void save(Path path) throws IOException {
        VocabularyFile.save(path, settings(), vocabulary());
    }

    /** The name and vocabulary size with the first tokens, or "(not adapted)". */
    @Override
    public String toString() {
        return name + "(" + (vocabulary == null ? "not adapted" : "vocabulary " + vocabulary.describe(12)) + ")";
    }
}
