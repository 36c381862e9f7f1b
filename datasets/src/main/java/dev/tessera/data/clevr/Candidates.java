package dev.tessera.data.clevr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Questions that a scene allows, grouped by a stratum (e.g. how many attributes a description names) and
 * then by answer. Drawing picks a stratum, then an answer, then a question, each uniformly, which flattens
 * the answer distribution and keeps the wording from giving the answer away.
 */
final class Candidates {
    private final Map<Integer, Map<String, List<Supplier<String>>>> strata = new LinkedHashMap<>();

    /** Adds a question; its text is built only if it is drawn, since most candidates never are. */
    void add(int stratum, String answer, Supplier<String> text) {
        strata.computeIfAbsent(stratum, k -> new LinkedHashMap<>())
                .computeIfAbsent(answer, k -> new ArrayList<>()).add(text);
    }

    boolean isEmpty() {
        return strata.isEmpty();
    }

    /** A (text, answer) pair drawn as the class comment says; the caller checks {@link #isEmpty()} first. */
    String[] draw(SplittableRandom rng) {
        List<Map<String, List<Supplier<String>>>> groups = new ArrayList<>(strata.values());
        Map<String, List<Supplier<String>>> byAnswer = groups.get(rng.nextInt(groups.size()));
        List<String> answers = new ArrayList<>(byAnswer.keySet());
        String answer = answers.get(rng.nextInt(answers.size()));
        List<Supplier<String>> texts = byAnswer.get(answer);
        return new String[] {texts.get(rng.nextInt(texts.size())).get(), answer};
    }
}
