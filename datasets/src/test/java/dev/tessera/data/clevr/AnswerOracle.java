package dev.tessera.data.clevr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a generated question by parsing its English text and evaluating it on the scene graph, without using
 * the generator's filters, relations or candidate tables: an independent check of every answer. It also checks
 * that each "the ..." phrase names exactly one object.
 */
final class AnswerOracle {
    private static final String REL = "(left of|right of|in front of|behind)";
    private static final String ATTR = "(color|shape|size|material)";

    private final List<SceneObject> objects;

    AnswerOracle(Scene scene) {
        this.objects = scene.objects();
    }

    String answer(String q) {
        Matcher m;
        if ((m = match("Are there any (.+) that are " + REL + " the (.+)\\?", q)) != null
                || (m = match("Is there an? (.+) that is " + REL + " the (.+)\\?", q)) != null) {
            SceneObject ref = the(m.group(3), objects);
            return yesNo(!select(m.group(1), related(m.group(2), ref)).isEmpty());
        }
        if ((m = match("Are there any (.+)\\?", q)) != null || (m = match("Is there an? (.+)\\?", q)) != null) {
            return yesNo(!select(m.group(1), objects).isEmpty());
        }
        if ((m = match("How many (.+) are there\\?", q)) != null) {
            return Integer.toString(select(m.group(1), objects).size());
        }
        if ((m = match("What " + ATTR + " is the (.+)\\?", q)) != null
                || (m = match("What is the " + ATTR + " of the (.+)\\?", q)) != null) {
            String attr = m.group(1);
            String subject = m.group(2);
            requireNotNamed(attr, subject.split(" that is ")[0]);
            return value(attr, resolveSubject(subject));
        }
        if ((m = match("Does the (.+) have the same " + ATTR + " as the (.+)\\?", q)) != null) {
            return compare(m.group(2), m.group(1), m.group(3));
        }
        if ((m = match("Is the (.+) the same size as the (.+)\\?", q)) != null) {
            return compare("size", m.group(1), m.group(2));
        }
        if ((m = match("Is the number of (.+) greater than the number of (.+)\\?", q)) != null
                || (m = match("Are there more (.+) than (.+)\\?", q)) != null) {
            return yesNo(select(m.group(1), objects).size() > select(m.group(2), objects).size());
        }
        if ((m = match("Is the number of (.+) less than the number of (.+)\\?", q)) != null
                || (m = match("Are there fewer (.+) than (.+)\\?", q)) != null) {
            return yesNo(select(m.group(1), objects).size() < select(m.group(2), objects).size());
        }
        if ((m = match("Is the number of (.+) the same as the number of (.+)\\?", q)) != null
                || (m = match("Are there an equal number of (.+) and (.+)\\?", q)) != null) {
            return yesNo(select(m.group(1), objects).size() == select(m.group(2), objects).size());
        }
        throw new AssertionError("no template matches: " + q);
    }

    private SceneObject resolveSubject(String subject) {
        Matcher m = match("(.+) that is " + REL + " the (.+)", subject);
        if (m == null) {
            return the(subject, objects);
        }
        return the(m.group(1), related(m.group(2), the(m.group(3), objects)));
    }

    private String compare(String attr, String first, String second) {
        requireNotNamed(attr, first);
        requireNotNamed(attr, second);
        SceneObject a = the(first, objects);
        SceneObject b = the(second, objects);
        if (a == b) {
            throw new AssertionError("compares an object with itself: " + first);
        }
        return yesNo(value(attr, a).equals(value(attr, b)));
    }

    private List<SceneObject> related(String relation, SceneObject ref) {
        Predicate<SceneObject> p = switch (relation) {
            case "left of" -> o -> o.pixelX() < ref.pixelX();
            case "right of" -> o -> o.pixelX() > ref.pixelX();
            case "in front of" -> o -> o.depth() < ref.depth();
            case "behind" -> o -> o.depth() > ref.depth();
            default -> throw new AssertionError("unknown relation " + relation);
        };
        return objects.stream().filter(p).toList();
    }

    private static SceneObject the(String phrase, List<SceneObject> pool) {
        List<SceneObject> found = select(phrase, pool);
        if (found.size() != 1) {
            throw new AssertionError("\"the " + phrase + "\" names " + found.size() + " objects");
        }
        return found.get(0);
    }

    /** The objects of {@code pool} that a phrase such as "large red metal cubes" describes. */
    private static List<SceneObject> select(String phrase, List<SceneObject> pool) {
        List<String> words = new ArrayList<>(List.of(phrase.split(" ")));
        String noun = words.remove(words.size() - 1).replaceAll("s$", "");
        List<SceneObject> out = new ArrayList<>();
        for (SceneObject o : pool) {
            boolean ok = noun.equals("object") || noun.equals(value("shape", o));
            for (String w : words) {
                ok &= w.equals(value("size", o)) || w.equals(value("color", o)) || w.equals(value("material", o));
            }
            if (ok) {
                out.add(o);
            }
        }
        return out;
    }

    private static void requireNotNamed(String attr, String description) {
        for (String w : description.split(" ")) {
            String word = w.replaceAll("s$", "");
            boolean named = switch (attr) {
                case "color" -> isValue(ObjectColor.values(), word);
                case "shape" -> isValue(ObjectShape.values(), word);
                case "size" -> isValue(ObjectSize.values(), word);
                default -> isValue(ObjectMaterial.values(), word);
            };
            if (named) {
                throw new AssertionError("description \"" + description + "\" names the " + attr + " it asks about");
            }
        }
    }

    private static boolean isValue(Enum<?>[] values, String word) {
        for (Enum<?> v : values) {
            if (v.name().toLowerCase(Locale.ROOT).equals(word)) {
                return true;
            }
        }
        return false;
    }

    private static String value(String attr, SceneObject o) {
        Enum<?> v = switch (attr) {
            case "color" -> o.color();
            case "shape" -> o.shape();
            case "size" -> o.size();
            case "material" -> o.material();
            default -> throw new AssertionError("unknown attribute " + attr);
        };
        return v.name().toLowerCase(Locale.ROOT);
    }

    private static Matcher match(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.matches() ? m : null;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
