package dev.tessera.data.clevr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {
    private final SceneGenerator generator = new SceneGenerator(5, 224);

    @Test
    void sceneDependsOnlyOnSeedStreamAndIndex() {
        Scene a = generator.generate(generator.random(0, 17));
        Scene b = new SceneGenerator(5, 224).generate(new SceneGenerator(5, 224).random(0, 17));
        assertEquals(a, b);
        assertNotEquals(a, generator.generate(generator.random(0, 18)));
        assertNotEquals(a, generator.generate(generator.random(1, 17)));
        assertNotEquals(a, new SceneGenerator(6, 224).generate(generator.random(0, 17).split()));
    }

    @Test
    void threeToTenObjectsApartOnTheGroundInsideTheImage() {
        int[] seen = new int[SceneGenerator.MAX_OBJECTS + 1];
        for (int i = 0; i < 300; i++) {
            List<SceneObject> objects = generator.generate(generator.random(0, i)).objects();
            seen[objects.size()]++;
            for (SceneObject o : objects) {
                assertTrue(Renderer.bounds(o).getMinX() >= 0 && Renderer.bounds(o).getMaxX() <= 224, o::toString);
                assertTrue(Renderer.bounds(o).getMinY() >= 0 && Renderer.bounds(o).getMaxY() <= 224, o::toString);
                for (SceneObject p : objects) {
                    if (o != p) {
                        double gap = Math.hypot(o.x() - p.x(), o.depth() - p.depth());
                        assertTrue(gap > o.size().radius() + p.size().radius(), () -> o + " overlaps " + p);
                        assertTrue(Math.abs(o.pixelX() - p.pixelX()) >= 3, () -> o + " and " + p + " share a column");
                    }
                }
            }
        }
        for (int n = SceneGenerator.MIN_OBJECTS; n <= SceneGenerator.MAX_OBJECTS; n++) {
            assertTrue(seen[n] > 0, "no scene with " + n + " objects");
        }
        assertEquals(0, seen[0] + seen[1] + seen[2]);
    }

    @Test
    void fartherObjectsAreHigherAndSmaller() {
        for (int i = 0; i < 50; i++) {
            List<SceneObject> objects = generator.generate(generator.random(2, i)).objects();
            for (SceneObject o : objects) {
                for (SceneObject p : objects) {
                    if (o.depth() > p.depth()) {
                        assertTrue(o.pixelY() < p.pixelY());
                        if (o.size() == p.size()) {
                            assertTrue(o.pixelRadius() < p.pixelRadius());
                        }
                    }
                }
            }
        }
    }

    @Test
    void rejectsTinyImages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SceneGenerator(1, 8));
        assertTrue(e.getMessage().contains("got 8"));
    }
}
