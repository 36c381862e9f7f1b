package dev.tessera.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextVectorizationTest {
    @TempDir
    Path dir;

    @Test
    void standardizeLowercasesAsciiAndStripsKerasPunctuation() {
        assertEquals("whats the color of the bigsphere", TextVectorization.standardize("What's the COLOR of the big-sphere?"));
        String all = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'";
        assertEquals("", TextVectorization.standardize(all));
        // Keras keeps characters outside its list, and tf.strings.lower only lowercases ASCII.
        assertEquals("café É 3×4", TextVectorization.standardize("Café É 3×4"));
    }

    @Test
    void tokenizeSplitsOnWhitespaceAndDropsEmptyPieces() {
        assertEquals(List.of("are", "there", "any", "red", "cubes"),
                TextVectorization.tokenize("  Are there\tany red\ncubes ? "));
    }

    @Test
    void adaptOrdersByCountThenByDescendingTokenLikeKeras() {
        TextVectorization tv = new TextVectorization().adapt(List.of("the cube is red", "the sphere is blue",
                "what is the cube"));
        // the, is: 3 each (tie: "the" > "is"); cube: 2; then singletons in descending order.
        assertEquals(List.of("", "[UNK]", "the", "is", "cube", "what", "sphere", "red", "blue"),
                tv.vocabulary().tokens());
        assertEquals(9, tv.vocabularySize());
        assertArrayEquals(new int[] {5, 3, 2, 4, 1}, tv.apply("What is the cube, purple?"));
        assertTrue(tv.toString().contains("size 9: [\"\", \"[UNK]\", \"the\""), tv::toString);
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException {
        TextVectorization tv = new TextVectorization().adapt(List.of("a \"quoted\" back\\slash token", "a b"));
        Path file = dir.resolve("tv.json");
        tv.save(file);
        TextVectorization back = TextVectorization.load(file);
        assertEquals(tv.vocabulary().tokens(), back.vocabulary().tokens());
        assertArrayEquals(tv.apply("a b backslash quoted"), back.apply("a b backslash quoted"));
    }

    @Test
    void loadRejectsAnotherLayersFileAndBrokenJson() throws IOException {
        Path lookup = dir.resolve("lookup.json");
        new StringLookup().adapt(List.of("yes")).save(lookup);
        IOException e = assertThrows(IOException.class, () -> TextVectorization.load(lookup));
        assertTrue(e.getMessage().contains("lookup.json") && e.getMessage().contains("StringLookup"), e::getMessage);
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"class\": \"TextVectorization\", \"vocabulary\": [\"\", ");
        e = assertThrows(IOException.class, () -> TextVectorization.load(broken));
        assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("at character"), e::getMessage);
    }

    @Test
    void usingBeforeAdaptIsAnIllegalState() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TextVectorization().apply("x"));
        assertTrue(e.getMessage().startsWith("TextVectorization:"));
    }
}
