package dev.tessera.data.clevr;

/** CLEVR's two materials: rubber is drawn matte, metal with high contrast and a specular highlight. */
public enum ObjectMaterial {
    RUBBER, METAL;

    /** The word CLEVR uses for this material ("rubber", "metal"). */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
