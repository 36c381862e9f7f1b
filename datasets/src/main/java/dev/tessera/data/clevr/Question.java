package dev.tessera.data.clevr;

/** One generated question with its answer word from CLEVR's vocabulary (yes, no, 0-10, attribute values). */
public record Question(QuestionFamily family, String text, String answer) {
}
