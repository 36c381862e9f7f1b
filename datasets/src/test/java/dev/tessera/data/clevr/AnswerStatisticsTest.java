package dev.tessera.data.clevr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerStatisticsTest {
    @TempDir
    Path dir;

    @Test
    void majorityAnswerAndShareOfEachFamilyMatchHandCounts() {
        AnswerStatistics stats = new AnswerStatistics();
        add(stats, QuestionFamily.EXIST, "yes", "yes", "no");
        add(stats, QuestionFamily.COUNT, "2", "3", "3", "3", "0");
        add(stats, QuestionFamily.QUERY_SHAPE, "sphere", "cube");

        assertEquals("yes", stats.majorityAnswer(QuestionFamily.EXIST));
        assertEquals(2 / 3.0, stats.majorityRate(QuestionFamily.EXIST), 1e-12);
        assertEquals("3", stats.majorityAnswer(QuestionFamily.COUNT));
        assertEquals(3 / 5.0, stats.majorityRate(QuestionFamily.COUNT), 1e-12);
        // A tie goes to the alphabetically first answer.
        assertEquals("cube", stats.majorityAnswer(QuestionFamily.QUERY_SHAPE));
        assertEquals(0.5, stats.majorityRate(QuestionFamily.QUERY_SHAPE), 1e-12);
        assertEquals("", stats.majorityAnswer(QuestionFamily.QUERY_COLOR));
        assertEquals(0, stats.majorityRate(QuestionFamily.QUERY_COLOR));
        assertEquals("3", stats.majorityAnswer());
        assertEquals(3 / 10.0, stats.majorityRate(), 1e-12);
    }

    @Test
    void reportHasOneLinePerFamilyWithItsMajorityShare() {
        AnswerStatistics stats = new AnswerStatistics();
        add(stats, QuestionFamily.EXIST, "yes", "yes", "no", "yes");
        add(stats, QuestionFamily.COUNT, "1", "4");
        List<String> lines = stats.report().lines().toList();
        assertEquals(4, lines.size(), stats::report);
        assertTrue(lines.get(1).matches("exist\\s+4\\s+yes\\s+75\\.0%\\s+2"), lines.get(1));
        assertTrue(lines.get(2).matches("count\\s+2\\s+1\\s+50\\.0%\\s+2"), lines.get(2));
        assertTrue(lines.get(3).matches("all\\s+6\\s+yes\\s+50\\.0%\\s+4"), lines.get(3));
    }

    @Test
    void generationReportPrintsEveryFamilyOfEverySplit() throws IOException {
        GenerationReport report = ClevrGenerate.run(new ClevrGenerate.Options(dir, 8, 4, 1, 3, 32, false, 1));
        String text = report.toString();
        for (String split : List.of("train", "validation")) {
            AnswerStatistics s = report.splits().get(split);
            for (QuestionFamily f : QuestionFamily.values()) {
                if (s.total(f) > 0) {
                    assertTrue(text.contains(String.format(Locale.ROOT, "%-18s %8d  %-8s %8.1f%%", f.label(),
                            s.total(f), s.majorityAnswer(f), 100 * s.majorityRate(f))), () -> f + " in\n" + text);
                }
            }
        }
    }

    private static void add(AnswerStatistics stats, QuestionFamily family, String... answers) {
        for (String a : answers) {
            stats.add(new Question(family, "Question?", a));
        }
    }
}
