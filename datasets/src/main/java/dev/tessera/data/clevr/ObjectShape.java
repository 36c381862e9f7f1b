package dev.tessera.data.clevr;

/** The three CLEVR shapes; {@link #word()} is the lower-case name used in questions and answers. */
public enum ObjectShape {
    CUBE, SPHERE, CYLINDER;

    /** The word CLEVR uses for this shape ("cube", "sphere", "cylinder"). */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
