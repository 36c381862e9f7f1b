package dev.tessera.data.clevr;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answer counts per question family: how often each family's most common answer occurs (the accuracy of always
 * giving that answer) and the same over all questions: the majority-answer baseline a model must beat.
 */
public final class AnswerStatistics {
    private final Map<QuestionFamily, Map<String, Integer>> counts = new EnumMap<>(QuestionFamily.class);
    private final Map<String, Integer> overall = new TreeMap<>();
    private long total;

    /** Counts one question. */
    public void add(Question q) {
        counts.computeIfAbsent(q.family(), f -> new TreeMap<>()).merge(q.answer(), 1, Integer::sum);
        overall.merge(q.answer(), 1, Integer::sum);
        total++;
    }

    /** Adds another statistics object's counts to this one. */
    public void addAll(AnswerStatistics other) {
        other.counts.forEach((f, m) -> m.forEach((a, n) ->
                counts.computeIfAbsent(f, k -> new TreeMap<>()).merge(a, n, Integer::sum)));
        other.overall.forEach((a, n) -> overall.merge(a, n, Integer::sum));
        total += other.total;
    }

    /** Questions counted. */
    public long total() {
        return total;
    }

    /** Questions counted in {@code family}. */
    public long total(QuestionFamily family) {
        return counts.getOrDefault(family, Map.of()).values().stream().mapToLong(Integer::longValue).sum();
    }

    /** The most common answer of {@code family} (ties: alphabetically first), or "" when it has none. */
    public String majorityAnswer(QuestionFamily family) {
        return majority(counts.getOrDefault(family, Map.of()));
    }

    /** The fraction of {@code family}'s questions whose answer is its majority answer (0 when it has none). */
    public double majorityRate(QuestionFamily family) {
        long n = total(family);
        return n == 0 ? 0 : counts.get(family).get(majorityAnswer(family)) / (double) n;
    }

    /** The most common answer over all families. */
    public String majorityAnswer() {
        return majority(overall);
    }

    /** The accuracy of always answering {@link #majorityAnswer()}: the overall majority baseline. */
    public double majorityRate() {
        return total == 0 ? 0 : overall.get(majorityAnswer()) / (double) total;
    }

    /** The fraction of questions whose answer is {@code answer} (e.g. the training majority scored on validation). */
    public double rateOf(String answer) {
        return total == 0 ? 0 : overall.getOrDefault(answer, 0) / (double) total;
    }

    /** Counts of every answer over all families, sorted by answer. */
    public Map<String, Integer> answerCounts() {
        return Map.copyOf(overall);
    }

    /** A table of one line per family (questions, majority answer, its share, distinct answers) and an overall line. */
    public String report() {
        StringBuilder b = new StringBuilder(String.format("%-18s %8s  %-8s %9s %8s%n", "family", "questions",
                "majority", "share", "answers"));
        for (QuestionFamily f : QuestionFamily.values()) {
            if (total(f) > 0) {
                b.append(String.format(java.util.Locale.ROOT, "%-18s %8d  %-8s %8.1f%% %8d%n", f.label(), total(f),
                        majorityAnswer(f), 100 * majorityRate(f), counts.get(f).size()));
            }
        }
        b.append(String.format(java.util.Locale.ROOT, "%-18s %8d  %-8s %8.1f%% %8d%n", "all", total,
                majorityAnswer(), 100 * majorityRate(), overall.size()));
        return b.toString();
    }

    private static String majority(Map<String, Integer> m) {
        String best = "";
        int bestCount = -1;
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }
}
