package dev.tessera.data;

/** Two values travelling together through a pipeline, e.g. (features, label). */
public record Pair<A, B>(A first, B second) {

    /** A pair of {@code first} and {@code second}. */
    public static <A, B> Pair<A, B> of(A first, B second) {
        return new Pair<>(first, second);
    }
}
