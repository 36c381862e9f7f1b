package dev.tessera.data.clevr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Writes CLEVR-style questions about a scene, one per {@link QuestionFamily}, with answers computed from the
 * scene graph. Every "the ..." phrase names exactly one object, and a description never names the attribute
 * being asked about or compared. Within a family, answers are drawn roughly uniformly among those the scene
 * allows (see {@link Candidates}), so no family is dominated by one answer.
 */
public final class QuestionGenerator {
    /** Questions per image: one per family. */
    public static final int QUESTIONS_PER_IMAGE = QuestionFamily.values().length;

    private static final int COMPARE_COUNT_PAIRS = 300;
    private static final List<Filter> FILTERS = allFilters();

    /** One question per family for {@code scene}, in family order; a family the scene cannot support is replaced by a count question. */
    public List<Question> generate(Scene scene, SplittableRandom rng) {
        List<Question> out = new ArrayList<>(QUESTIONS_PER_IMAGE);
        for (QuestionFamily family : QuestionFamily.values()) {
            out.add(generate(family, scene, rng)
                    .orElseGet(() -> generate(QuestionFamily.COUNT, scene, rng).orElseThrow()));
        }
        return out;
    }

    /** A question of {@code family} about {@code scene}, or empty when the scene allows none (e.g. no object can be named uniquely). */
    public Optional<Question> generate(QuestionFamily family, Scene scene, SplittableRandom rng) {
        List<SceneObject> objects = scene.objects();
        Candidates c = switch (family) {
            case EXIST -> exist(objects, rng);
            case COUNT -> count(objects);
            case QUERY_COLOR -> query(objects, Attribute.COLOR, rng);
            case QUERY_SHAPE -> query(objects, Attribute.SHAPE, rng);
            case QUERY_SIZE -> query(objects, Attribute.SIZE, rng);
            case QUERY_MATERIAL -> query(objects, Attribute.MATERIAL, rng);
            case COMPARE_ATTRIBUTE -> firstNonEmpty(rng, a -> compareAttribute(objects, a, rng));
            case COMPARE_COUNT -> compareCount(objects, rng);
            case SPATIAL_QUERY -> firstNonEmpty(rng, a -> spatialQuery(objects, a, rng));
            case SPATIAL_EXIST -> spatialExist(objects, rng);
        };
        if (c.isEmpty()) {
            return Optional.empty();
        }
        String[] drawn = c.draw(rng);
        return Optional.of(new Question(family, drawn[0], drawn[1]));
    }

    private static Candidates exist(List<SceneObject> objects, SplittableRandom rng) {
        Candidates c = new Candidates();
        for (Filter f : FILTERS) {
            if (f.arity() >= 1 && f.arity() <= 3) {
                boolean plural = rng.nextBoolean();
                c.add(f.arity(), yesNo(!f.select(objects).isEmpty()), () -> plural
                        ? "Are there any " + f.phrase(true) + "?" : "Is there " + f.withArticle() + "?");
            }
        }
        return c;
    }

    private static Candidates count(List<SceneObject> objects) {
        Candidates c = new Candidates();
        for (Filter f : FILTERS) {
            if (f.arity() <= 3) {
                c.add(Math.max(1, f.arity()), Integer.toString(f.select(objects).size()),
                        () -> "How many " + f.phrase(true) + " are there?");
            }
        }
        return c;
    }

    private static Candidates query(List<SceneObject> objects, Attribute asked, SplittableRandom rng) {
        Candidates c = new Candidates();
        for (SceneObject o : objects) {
            for (Filter f : uniqueDescriptions(o, objects, asked)) {
                c.add(0, asked.valueOf(o), whatIs(asked, () -> f.phrase(false), rng));
            }
        }
        return c;
    }

    private static Candidates compareAttribute(List<SceneObject> objects, Attribute compared, SplittableRandom rng) {
        Candidates c = new Candidates();
        List<List<Filter>> names = objects.stream().map(o -> uniqueDescriptions(o, objects, compared)).toList();
        for (int i = 0; i < objects.size(); i++) {
            for (int j = 0; j < objects.size(); j++) {
                SceneObject a = objects.get(i);
                SceneObject b = objects.get(j);
                List<Filter> da = names.get(i);
                List<Filter> db = names.get(j);
                if (i == j || da.isEmpty() || db.isEmpty()) {
                    continue;
                }
                Filter first = da.get(rng.nextInt(da.size()));
                Filter second = db.get(rng.nextInt(db.size()));
                c.add(0, yesNo(compared.valueOf(a).equals(compared.valueOf(b))), () -> compared == Attribute.SIZE
                        ? "Is the " + first.phrase(false) + " the same size as the " + second.phrase(false) + "?"
                        : "Does the " + first.phrase(false) + " have the same " + compared.word() + " as the "
                                + second.phrase(false) + "?");
            }
        }
        return c;
    }

    private static Candidates compareCount(List<SceneObject> objects, SplittableRandom rng) {
        List<Filter> simple = FILTERS.stream().filter(f -> f.arity() == 1 || f.arity() == 2).toList();
        Candidates c = new Candidates();
        for (int i = 0; i < COMPARE_COUNT_PAIRS; i++) {
            Filter f = simple.get(rng.nextInt(simple.size()));
            Filter g = simple.get(rng.nextInt(simple.size()));
            int nf = f.select(objects).size();
            int ng = g.select(objects).size();
            if (narrows(f, g) || narrows(g, f) || nf + ng == 0) {
                continue;
            }
            boolean formal = rng.nextBoolean();
            switch (rng.nextInt(3)) {
                case 0 -> c.add(0, yesNo(nf > ng), () -> formal
                        ? "Is the number of " + f.phrase(true) + " greater than the number of " + g.phrase(true) + "?"
                        : "Are there more " + f.phrase(true) + " than " + g.phrase(true) + "?");
                case 1 -> c.add(1, yesNo(nf < ng), () -> formal
                        ? "Is the number of " + f.phrase(true) + " less than the number of " + g.phrase(true) + "?"
                        : "Are there fewer " + f.phrase(true) + " than " + g.phrase(true) + "?");
                default -> c.add(2, yesNo(nf == ng), () -> formal
                        ? "Is the number of " + f.phrase(true) + " the same as the number of " + g.phrase(true) + "?"
                        : "Are there an equal number of " + f.phrase(true) + " and " + g.phrase(true) + "?");
            }
        }
        return c;
    }

    private static Candidates spatialQuery(List<SceneObject> objects, Attribute asked, SplittableRandom rng) {
        Candidates c = new Candidates();
        forEachRelation(objects, rng, (rel, refPhrase, related) -> {
            for (SceneObject target : related) {
                for (Filter f : uniqueDescriptions(target, related, asked)) {
                    c.add(0, asked.valueOf(target), whatIs(asked,
                            () -> f.phrase(false) + " that is " + rel.phrase() + " the " + refPhrase, rng));
                }
            }
        });
        return c;
    }

    private static Candidates spatialExist(List<SceneObject> objects, SplittableRandom rng) {
        Candidates c = new Candidates();
        forEachRelation(objects, rng, (rel, refPhrase, related) -> {
            String where = rel.phrase() + " the " + refPhrase + "?";
            for (Filter f : FILTERS) {
                if (f.arity() <= 2) {
                    boolean plural = rng.nextBoolean();
                    c.add(f.arity(), yesNo(!f.select(related).isEmpty()), () -> plural
                            ? "Are there any " + f.phrase(true) + " that are " + where
                            : "Is there " + f.withArticle() + " that is " + where);
                }
            }
        });
        return c;
    }

    private interface RelationVisitor {
        void visit(Relation rel, String refPhrase, List<SceneObject> related);
    }

    /** Calls {@code visitor} for every nameable reference object (with one of its unique names) and relation. */
    private static void forEachRelation(List<SceneObject> objects, SplittableRandom rng, RelationVisitor visitor) {
        for (SceneObject ref : objects) {
            List<Filter> refNames = uniqueDescriptions(ref, objects, null);
            if (refNames.isEmpty()) {
                continue;
            }
            String refPhrase = refNames.get(rng.nextInt(refNames.size())).phrase(false);
            for (Relation rel : Relation.values()) {
                visitor.visit(rel, refPhrase, objects.stream().filter(o -> rel.holds(o, ref)).toList());
            }
        }
    }

    /** Every description of {@code o} from its own attribute values, never naming {@code excluded} (may be null), that picks out only {@code o} in {@code pool}. */
    static List<Filter> uniqueDescriptions(SceneObject o, List<SceneObject> pool, Attribute excluded) {
        List<Filter> out = new ArrayList<>();
        Attribute[] all = Attribute.values();
        for (int mask = 0; mask < 1 << all.length; mask++) {
            List<Attribute> keep = new ArrayList<>();
            for (int i = 0; i < all.length; i++) {
                if ((mask & (1 << i)) != 0) {
                    keep.add(all[i]);
                }
            }
            if (keep.contains(excluded)) {
                continue;
            }
            Filter f = Filter.of(o, keep);
            if (f.select(pool).size() == 1) {
                out.add(f);
            }
        }
        return out;
    }

    private interface PerAttribute {
        Candidates build(Attribute a);
    }

    private static Candidates firstNonEmpty(SplittableRandom rng, PerAttribute build) {
        Attribute[] order = Attribute.values().clone();
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Attribute t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Candidates c = new Candidates();
        for (Attribute a : order) {
            c = build.build(a);
            if (!c.isEmpty()) {
                break;
            }
        }
        return c;
    }

    private static Supplier<String> whatIs(Attribute asked, Supplier<String> subject, SplittableRandom rng) {
        boolean inverted = rng.nextBoolean();
        return () -> inverted ? "What is the " + asked.word() + " of the " + subject.get() + "?"
                : "What " + asked.word() + " is the " + subject.get() + "?";
    }

    /** True when every constraint of {@code wide} is also in {@code narrow}, so narrow's objects are a subset of wide's. */
    private static boolean narrows(Filter narrow, Filter wide) {
        return (wide.size() == null || wide.size() == narrow.size())
                && (wide.color() == null || wide.color() == narrow.color())
                && (wide.material() == null || wide.material() == narrow.material())
                && (wide.shape() == null || wide.shape() == narrow.shape());
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static List<Filter> allFilters() {
        List<Filter> out = new ArrayList<>();
        for (ObjectSize s : withNull(ObjectSize.values())) {
            for (ObjectColor c : withNull(ObjectColor.values())) {
                for (ObjectMaterial m : withNull(ObjectMaterial.values())) {
                    for (ObjectShape sh : withNull(ObjectShape.values())) {
                        out.add(new Filter(s, c, m, sh));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static <T> List<T> withNull(T[] values) {
        List<T> out = new ArrayList<>();
        out.add(null);
        out.addAll(List.of(values));
        return out;
    }
}
