package dev.tessera.data.clevr;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of attribute constraints, any of which may be absent (null), such as "large metal" + "cube". It
 * selects objects and phrases itself in CLEVR's word order: size, colour, material, then the shape or
 * "object".
 */
public record Filter(ObjectSize size, ObjectColor color, ObjectMaterial material, ObjectShape shape) {

    /** The filter that every object passes ("objects"). */
    public static final Filter ANY = new Filter(null, null, null, null);

    /** The filter made of {@code object}'s values for the attributes in {@code keep}. */
    public static Filter of(SceneObject object, List<Attribute> keep) {
        return new Filter(keep.contains(Attribute.SIZE) ? object.size() : null,
                keep.contains(Attribute.COLOR) ? object.color() : null,
                keep.contains(Attribute.MATERIAL) ? object.material() : null,
                keep.contains(Attribute.SHAPE) ? object.shape() : null);
    }

    /** True when {@code o} has every value this filter names. */
    public boolean matches(SceneObject o) {
        return (size == null || size == o.size()) && (color == null || color == o.color())
                && (material == null || material == o.material()) && (shape == null || shape == o.shape());
    }

    /** The objects of {@code objects} that pass, in order. */
    public List<SceneObject> select(List<SceneObject> objects) {
        List<SceneObject> out = new ArrayList<>();
        for (SceneObject o : objects) {
            if (matches(o)) {
                out.add(o);
            }
        }
        return out;
    }

    /** The number of constrained attributes (0 to 4). */
    public int arity() {
        return (size == null ? 0 : 1) + (color == null ? 0 : 1) + (material == null ? 0 : 1) + (shape == null ? 0 : 1);
    }

    /** The noun phrase, e.g. "large metal cube", "red objects" when {@code plural}. */
    public String phrase(boolean plural) {
        StringBuilder b = new StringBuilder();
        if (size != null) {
            b.append(size.word()).append(' ');
        }
        if (color != null) {
            b.append(color.word()).append(' ');
        }
        if (material != null) {
            b.append(material.word()).append(' ');
        }
        b.append(shape == null ? "object" : shape.word());
        if (plural) {
            b.append('s');
        }
        return b.toString();
    }

    /** "a" or "an" followed by the singular phrase. */
    public String withArticle() {
        String p = phrase(false);
        return ("aeiou".indexOf(p.charAt(0)) >= 0 ? "an " : "a ") + p;
    }
}
