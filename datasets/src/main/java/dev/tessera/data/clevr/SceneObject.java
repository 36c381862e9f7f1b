package dev.tessera.data.clevr;

/**
 * One object of a scene graph: its four CLEVR attributes, its place on the ground plane ({@code x} to the
 * right, {@code depth} away from the camera) and where the camera projects it in the image.
 *
 * @param pixelX      image column of the object's centre (smaller = further left)
 * @param pixelY      image row where the object touches the ground (smaller = further away)
 * @param pixelRadius the object's radius in pixels at its depth
 */
public record SceneObject(ObjectShape shape, ObjectColor color, ObjectSize size, ObjectMaterial material,
                          double x, double depth, double pixelX, double pixelY, double pixelRadius) {

    /** A short description such as "large red metal cube at (112.0, 150.3)". */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %s %s %s at (%.1f, %.1f)", size.word(), color.word(),
                material.word(), shape.word(), pixelX, pixelY);
    }
}
