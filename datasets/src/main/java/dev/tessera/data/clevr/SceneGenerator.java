package dev.tessera.data.clevr;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lays out CLEVR-style scenes: 3 to 10 objects with random attributes on a ground plane seen by a fixed
 * pinhole camera, so farther objects sit higher in the image and look smaller. Scene {@code i} depends only on
 * the generator's seed and {@code i}, so any image can be regenerated on its own.
 *
 * <p>Placement rejects an object that overlaps another on the ground, hides more than a little of another in
 * the image, or is too close to another horizontally (in image columns) or in depth: the last two keep "left
 * of" and "behind" unambiguous for every pair, as CLEVR's placement margins do.
 */
public final class SceneGenerator {
    /** Fewest objects in a scene (CLEVR's minimum). */
    public static final int MIN_OBJECTS = 3;
    /** Most objects in a scene (CLEVR's maximum). */
    public static final int MAX_OBJECTS = 10;

    private static final double DEPTH_NEAR = 5.0;
    private static final double DEPTH_FAR = 9.0;
    // Camera constants, as fractions of the image size: focal length, and the horizon row plus the camera
    // height times the focal length (a ground point at depth d lands on row HORIZON + GROUND_SCALE / d).
    private static final double FOCAL = 0.95;
    private static final double HORIZON = -0.205;
    private static final double GROUND_SCALE = 5.625;
    private static final double SIDE_MARGIN = 0.05;
    private static final double GROUND_GAP = 0.15;
    private static final double MIN_COLUMN_GAP = 0.015;
    private static final double MIN_DEPTH_GAP = 0.12;
    private static final double MAX_HIDDEN_FRACTION = 0.15;
    private static final int TRIES_PER_OBJECT = 200;

    private final long seed;
    private final int imageSize;

    /** A generator for square images of {@code imageSize} pixels (224 for the coursework format). */
    public SceneGenerator(long seed, int imageSize) {
        if (imageSize < 16) {
            throw new IllegalArgumentException("SceneGenerator: image size must be at least 16 — got " + imageSize);
        }
        this.seed = seed;
        this.imageSize = imageSize;
    }

    /** The image size scenes are laid out for. */
    public int imageSize() {
        return imageSize;
    }

    /** A random-number stream for item {@code index} of stream {@code stream} (e.g. the split), fixed by the seed. */
    public SplittableRandom random(long stream, long index) {
        return new SplittableRandom(mix(mix(mix(seed) + stream) + index));
    }

    // NOTE: the 64-bit finaliser of MurmurHash3; neighbouring seeds and indices give unrelated streams.
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /** Draws a scene from {@code rng}: the number of objects, their attributes and their non-overlapping places. */
    public Scene generate(SplittableRandom rng) {
        int count = rng.nextInt(MIN_OBJECTS, MAX_OBJECTS + 1);
        while (true) {
            List<SceneObject> placed = new ArrayList<>(count);
            boolean ok = true;
            for (int i = 0; i < count && ok; i++) {
                ok = place(rng, placed);
            }
            if (ok) {
                return new Scene(placed, imageSize);
            }
        }
    }

    private boolean place(SplittableRandom rng, List<SceneObject> placed) {
        ObjectShape shape = pick(rng, ObjectShape.values());
        ObjectColor color = pick(rng, ObjectColor.values());
        ObjectSize size = pick(rng, ObjectSize.values());
        ObjectMaterial material = pick(rng, ObjectMaterial.values());
        for (int attempt = 0; attempt < TRIES_PER_OBJECT; attempt++) {
            double depth = DEPTH_NEAR + rng.nextDouble() * (DEPTH_FAR - DEPTH_NEAR);
            double radiusFraction = FOCAL * size.radius() / depth;
            double halfWidth = (0.5 - SIDE_MARGIN - radiusFraction) * depth / FOCAL;
            double x = (rng.nextDouble() * 2 - 1) * halfWidth;
            SceneObject candidate = new SceneObject(shape, color, size, material, x, depth,
                    imageSize * (0.5 + FOCAL * x / depth), imageSize * (HORIZON + GROUND_SCALE / depth),
                    imageSize * radiusFraction);
            if (fits(candidate, placed)) {
                placed.add(candidate);
                return true;
            }
        }
        return false;
    }

    private boolean fits(SceneObject c, List<SceneObject> placed) {
        Rectangle2D box = Renderer.bounds(c);
        for (SceneObject o : placed) {
            double gap = Math.hypot(c.x() - o.x(), c.depth() - o.depth());
            if (gap < c.size().radius() + o.size().radius() + GROUND_GAP
                    || Math.abs(c.pixelX() - o.pixelX()) < MIN_COLUMN_GAP * imageSize
                    || Math.abs(c.depth() - o.depth()) < MIN_DEPTH_GAP) {
                return false;
            }
            Rectangle2D other = Renderer.bounds(o);
            Rectangle2D overlap = box.createIntersection(other);
            if (!overlap.isEmpty()) {
                double smaller = Math.min(area(box), area(other));
                if (area(overlap) > MAX_HIDDEN_FRACTION * smaller) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double area(Rectangle2D r) {
        return r.getWidth() * r.getHeight();
    }

    private static <T> T pick(SplittableRandom rng, T[] values) {
        return values[rng.nextInt(values.length)];
    }
}
