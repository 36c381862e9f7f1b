package dev.tessera.data.clevr;

/**
 * CLEVR's four spatial relations as seen in the image: left/right compare image columns, in front of/behind
 * compare depth (nearer objects are lower in the image). The scene generator keeps every pair of objects
 * apart in both, so each relation holds or fails clearly.
 */
public enum Relation {
    LEFT("left of"), RIGHT("right of"), FRONT("in front of"), BEHIND("behind");

    private final String phrase;

    Relation(String phrase) {
        this.phrase = phrase;
    }

    /** The words used in questions, e.g. "in front of". */
    public String phrase() {
        return phrase;
    }

    /** True when {@code o} stands in this relation to {@code reference}. */
    public boolean holds(SceneObject o, SceneObject reference) {
        return switch (this) {
            case LEFT -> o.pixelX() < reference.pixelX();
            case RIGHT -> o.pixelX() > reference.pixelX();
            case FRONT -> o.depth() < reference.depth();
            case BEHIND -> o.depth() > reference.depth();
        };
    }
}
