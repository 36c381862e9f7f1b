package dev.tessera.data.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable token list with its index map, built the way Keras' {@code adapt} orders a vocabulary: reserved
 * tokens first, then learned tokens by descending count, ties broken by descending UTF-8 byte order. (Keras
 * sorts with {@code np.lexsort((tokens, counts))[::-1]}, which reverses the token order as well as the count
 * order, so among equally frequent tokens "what" comes before "is".)
 */
public final class Vocabulary {
    private final List<String> tokens;
    private final Map<String, Integer> index;

    /** A vocabulary holding {@code tokens} in order; tokens must be distinct. */
    public Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        this.index = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            if (index.putIfAbsent(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("Vocabulary: duplicate token — got \"" + tokens.get(i)
                        + "\" at " + index.get(tokens.get(i)) + " and " + i);
            }
        }
    }

    /** {@code reserved} then the counted tokens (reserved ones skipped) in Keras' adapt order. */
    public static Vocabulary byFrequency(List<String> reserved, Map<String, Long> counts) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.removeIf(e -> reserved.contains(e.getKey()));
        entries.sort((a, b) -> {
            int byCount = Long.compare(b.getValue(), a.getValue());
            return byCount != 0 ? byCount : Arrays.compareUnsigned(utf8(b.getKey()), utf8(a.getKey()));
        });
        List<String> out = new ArrayList<>(reserved);
        entries.forEach(e -> out.add(e.getKey()));
        return new Vocabulary(out);
    }

    /** The tokens in index order. */
    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }

    /** The number of tokens, reserved ones included. */
    public int size() {
        return tokens.size();
    }

    /** The index of {@code token}, or -1 when absent. */
    public int indexOf(String token) {
        return index.getOrDefault(token, -1);
    }

    /** The token at {@code i}. */
    public String token(int i) {
        if (i < 0 || i >= tokens.size()) {
            throw new IllegalArgumentException("Vocabulary: index out of range [0, " + tokens.size() + ") — got " + i);
        }
        return tokens.get(i);
    }

    /** "size N: [a, b, ...]" with at most {@code first} tokens, each quoted. */
    public String describe(int first) {
        StringBuilder b = new StringBuilder("size ").append(tokens.size()).append(": [");
        for (int i = 0; i < Math.min(first, tokens.size()); i++) {
            b.append(i == 0 ? "" : ", ").append('"').append(tokens.get(i)).append('"');
        }
        return b.append(tokens.size() > first ? ", ...]" : "]").toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
