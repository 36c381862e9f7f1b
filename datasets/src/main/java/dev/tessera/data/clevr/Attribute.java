package dev.tessera.data.clevr;

/** The four attributes a question can query or compare; each maps an object to its answer word. */
public enum Attribute {
    SIZE, COLOR, MATERIAL, SHAPE;

    /** The attribute's name as it appears in questions ("size", "color", "material", "shape"). */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The value of this attribute for {@code object}, as an answer word. */
    public String valueOf(SceneObject object) {
        return switch (this) {
            case SIZE -> object.size().word();
            case COLOR -> object.color().word();
            case MATERIAL -> object.material().word();
            case SHAPE -> object.shape().word();
        };
    }
}
