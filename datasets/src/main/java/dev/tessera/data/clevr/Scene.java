package dev.tessera.data.clevr;

import java.util.List;

/** A generated scene graph: the objects (3 to 10, none overlapping) and the square image size it was laid out for. */
public record Scene(List<SceneObject> objects, int imageSize) {

    /** Copies the object list so the scene is immutable. */
    public Scene {
        objects = List.copyOf(objects);
        if (imageSize < 16) {
            throw new IllegalArgumentException("Scene: image size must be at least 16 — got " + imageSize);
        }
    }
}
