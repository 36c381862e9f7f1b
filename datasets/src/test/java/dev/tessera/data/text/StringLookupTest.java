package dev.tessera.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StringLookupTest {
    @TempDir
    Path dir;

    @Test
    void unknownIsZeroAndSeenValuesFollowByFrequency() {
        StringLookup lookup = new StringLookup().adapt(List.of("no", "yes", "2", "yes", "no", "red", "yes"));
        assertEquals(List.of("[UNK]", "yes", "no", "red", "2"), lookup.vocabulary().tokens());
        assertEquals(5, lookup.vocabularySize());
        assertEquals(1, lookup.index("yes"));
        assertEquals(0, lookup.index("purple"));
        // No standardisation: case matters for a lookup.
        assertEquals(0, lookup.index("Yes"));
        assertEquals("red", lookup.value(3));
        assertThrows(IllegalArgumentException.class, () -> lookup.value(5));
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException {
        StringLookup lookup = new StringLookup().adapt(List.of("a b", "tab\there", "a b"));
        Path file = dir.resolve("answers.json");
        lookup.save(file);
        assertEquals(lookup.vocabulary().tokens(), StringLookup.load(file).vocabulary().tokens());
        assertTrue(lookup.toString().startsWith("StringLookup(vocabulary size 3: [\"[UNK]\", \"a b\""));
    }

    @Test
    void loadRejectsDuplicateTokensNamingTheFile() throws IOException {
        Path file = dir.resolve("dup.json");
        Files.writeString(file, "{\"class\": \"StringLookup\", \"oov_token\": \"[UNK]\", \"vocabulary\": [\"[UNK]\", \"x\", \"x\"]}");
        IOException e = assertThrows(IOException.class, () -> StringLookup.load(file));
        assertTrue(e.getMessage().contains("dup.json") && e.getMessage().contains("duplicate"), e::getMessage);
    }
}
