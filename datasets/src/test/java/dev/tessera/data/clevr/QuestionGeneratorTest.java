package dev.tessera.data.clevr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuestionGeneratorTest {
    private static final Set<String> VOCABULARY = Set.of("yes", "no", "0", "1", "2", "3", "4", "5", "6", "7", "8",
            "9", "10", "cube", "sphere", "cylinder", "gray", "red", "blue", "green", "brown", "purple", "cyan",
            "yellow", "small", "large", "rubber", "metal");

    private final SceneGenerator scenes = new SceneGenerator(11, 224);
    private final QuestionGenerator questions = new QuestionGenerator();

    @Test
    void everyAnswerMatchesAnIndependentReadingOfTheQuestion() {
        for (int i = 0; i < 300; i++) {
            SplittableRandom rng = scenes.random(0, i);
            Scene scene = scenes.generate(rng);
            AnswerOracle oracle = new AnswerOracle(scene);
            for (Question q : questions.generate(scene, rng)) {
                assertEquals(oracle.answer(q.text()), q.answer(), () -> q + " in " + scene.objects());
            }
        }
    }

    @Test
    void tenQuestionsPerImageOnePerFamilyWithCleverVocabularyAnswers() {
        for (int i = 0; i < 100; i++) {
            SplittableRandom rng = scenes.random(1, i);
            List<Question> qs = questions.generate(scenes.generate(rng), rng);
            assertEquals(10, qs.size());
            Set<QuestionFamily> families = EnumSet.noneOf(QuestionFamily.class);
            for (Question q : qs) {
                families.add(q.family());
                assertTrue(VOCABULARY.contains(q.answer()), q::toString);
                assertTrue(q.text().endsWith("?") && Character.isUpperCase(q.text().charAt(0)), q::toString);
            }
            assertTrue(families.size() >= 9, () -> "families " + families);
        }
    }

    @Test
    void noFamilyIsDominatedByOneAnswer() {
        AnswerStatistics stats = new AnswerStatistics();
        for (int i = 0; i < 500; i++) {
            SplittableRandom rng = scenes.random(2, i);
            questions.generate(scenes.generate(rng), rng).forEach(stats::add);
        }
        for (QuestionFamily f : QuestionFamily.values()) {
            assertTrue(stats.majorityRate(f) < 0.6, () -> f + " majority " + stats.majorityRate(f));
        }
        assertTrue(stats.majorityRate() < 0.25, () -> "overall majority " + stats.majorityRate());
        assertTrue(stats.majorityRate(QuestionFamily.QUERY_COLOR) < 0.2);
    }

    @Test
    void sameSeedGivesSameQuestions() {
        SplittableRandom a = scenes.random(3, 42);
        SplittableRandom b = new SceneGenerator(11, 224).random(3, 42);
        assertEquals(questions.generate(scenes.generate(a), a),
                questions.generate(new SceneGenerator(11, 224).generate(b), b));
    }

    @Test
    void descriptionsNameOnlyTheirObject() {
        SceneObject cube = object(ObjectShape.CUBE, ObjectColor.RED, 60);
        SceneObject redSphere = object(ObjectShape.SPHERE, ObjectColor.RED, 120);
        SceneObject blueSphere = object(ObjectShape.SPHERE, ObjectColor.BLUE, 180);
        List<SceneObject> all = List.of(cube, redSphere, blueSphere);
        // The red sphere needs both colour and shape; excluding colour it cannot be named at all.
        assertEquals(List.of(new Filter(null, ObjectColor.RED, null, ObjectShape.SPHERE)),
                QuestionGenerator.uniqueDescriptions(redSphere, all, null).stream()
                        .filter(f -> f.arity() == 2 && f.size() == null && f.material() == null).toList());
        assertTrue(QuestionGenerator.uniqueDescriptions(redSphere, all, Attribute.COLOR).isEmpty());
    }

    private static SceneObject object(ObjectShape shape, ObjectColor color, double pixelX) {
        return new SceneObject(shape, color, ObjectSize.LARGE, ObjectMaterial.RUBBER, pixelX / 40, 6, pixelX, 150, 20);
    }
}
