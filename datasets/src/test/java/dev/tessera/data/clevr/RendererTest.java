package dev.tessera.data.clevr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RendererTest {
    private static final int SIZE = 96;

    @Test
    void metalHasAWhiteHighlightAndRubberDoesNot() {
        for (ObjectShape shape : ObjectShape.values()) {
            int metal = brightestInObject(shape, ObjectMaterial.METAL);
            int rubber = brightestInObject(shape, ObjectMaterial.RUBBER);
            assertTrue(metal > 235, shape + " metal peak " + metal);
            assertTrue(rubber < 200, shape + " rubber peak " + rubber);
        }
    }

    @Test
    void objectsShowTheirColour() {
        for (ObjectColor color : ObjectColor.values()) {
            SceneObject o = centred(ObjectShape.SPHERE, color, ObjectMaterial.RUBBER);
            int[] hwc = new Renderer(SIZE).renderHwc(new Scene(List.of(o), SIZE));
            int i = ((int) (o.pixelY() - o.pixelRadius()) * SIZE + (int) o.pixelX()) * 3;
            int rgb = color.rgb();
            int[] want = {rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF};
            // The centre of a matte sphere is shaded, so compare channel order rather than exact values.
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    if (want[a] > want[b] + 40) {
                        assertTrue(hwc[i + a] > hwc[i + b], color + " channel " + a + " vs " + b);
                    }
                }
            }
        }
    }

    @Test
    void hwcLayoutMatchesThePackedImage() {
        SceneGenerator gen = new SceneGenerator(3, SIZE);
        Renderer renderer = new Renderer(SIZE);
        Scene scene = gen.generate(gen.random(0, 0));
        int[] hwc = renderer.renderHwc(scene);
        assertEquals(SIZE * SIZE * 3, hwc.length);
        int y = 70;
        int x = 13;
        int p = renderer.render(scene).getRGB(x, y);
        assertEquals(p >> 16 & 0xFF, hwc[(y * SIZE + x) * 3]);
        assertEquals(p >> 8 & 0xFF, hwc[(y * SIZE + x) * 3 + 1]);
        assertEquals(p & 0xFF, hwc[(y * SIZE + x) * 3 + 2]);
    }

    @Test
    void rejectsASceneLaidOutForAnotherSize() {
        Scene scene = new Scene(List.of(centred(ObjectShape.CUBE, ObjectColor.RED, ObjectMaterial.METAL)), SIZE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Renderer(64).render(scene));
        assertTrue(e.getMessage().startsWith("Renderer:"));
    }

    private static int brightestInObject(ObjectShape shape, ObjectMaterial material) {
        SceneObject o = centred(shape, ObjectColor.BLUE, material);
        int[] hwc = new Renderer(SIZE).renderHwc(new Scene(List.of(o), SIZE));
        var box = Renderer.bounds(o);
        int best = 0;
        for (int y = (int) box.getMinY() + 1; y < box.getMaxY() - 1; y++) {
            for (int x = (int) box.getMinX() + 1; x < box.getMaxX() - 1; x++) {
                int i = (y * SIZE + x) * 3;
                best = Math.max(best, Math.min(hwc[i], Math.min(hwc[i + 1], hwc[i + 2])));
            }
        }
        return best;
    }

    private static SceneObject centred(ObjectShape shape, ObjectColor color, ObjectMaterial material) {
        return new SceneObject(shape, color, ObjectSize.LARGE, material, 0, 5, SIZE / 2.0, SIZE * 0.75, SIZE * 0.15);
    }
}
