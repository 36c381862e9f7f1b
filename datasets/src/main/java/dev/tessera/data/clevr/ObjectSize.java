package dev.tessera.data.clevr;

/** CLEVR's two sizes with their radius on the ground plane (CLEVR uses 0.35 and 0.7 scene units). */
public enum ObjectSize {
    SMALL(0.35), LARGE(0.7);

    private final double radius;

    ObjectSize(double radius) {
        this.radius = radius;
    }

    /** The object's radius in ground-plane units. */
    public double radius() {
        return radius;
    }

    /** The word CLEVR uses for this size ("small", "large"). */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
