package dev.tessera.data.clevr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link ClevrGenerate} wrote: answer statistics per split and the majority-answer baseline, i.e. the
 * validation accuracy of always giving the training split's most common answer.
 */
public final class GenerationReport {
    private final Map<String, AnswerStatistics> splits;

    /** A report over the given splits (in order); "train" and "validation" are the ones the baseline uses. */
    public GenerationReport(Map<String, AnswerStatistics> splits) {
        this.splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    /** Statistics per split name. */
    public Map<String, AnswerStatistics> splits() {
        return splits;
    }

    /** The most common answer in the training split. */
    public String majorityAnswer() {
        return trainingStatistics().majorityAnswer();
    }

    /**
     * The accuracy of always answering {@link #majorityAnswer()}, measured on the validation split when there is
     * one and on the training split otherwise. Counts every question, which is also the expected accuracy when a
     * pipeline samples one question per image uniformly.
     */
    public double baselineAccuracy() {
        AnswerStatistics validation = splits.get("validation");
        AnswerStatistics scored = validation != null && validation.total() > 0 ? validation : trainingStatistics();
        return scored.rateOf(majorityAnswer());
    }

    /** Per-split family tables followed by the baseline line. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        splits.forEach((name, stats) -> b.append("== ").append(name).append(": ").append(stats.total())
                .append(" questions\n").append(stats.report()));
        b.append(String.format(Locale.ROOT, "majority-answer baseline: always \"%s\" -> %.1f%% accuracy%n",
                majorityAnswer(), 100 * baselineAccuracy()));
        return b.toString();
    }

    private AnswerStatistics trainingStatistics() {
        AnswerStatistics train = splits.get("train");
        if (train == null || train.total() == 0) {
            throw new IllegalStateException("GenerationReport: no training questions to take the majority from");
        }
        return train;
    }
}
