package dev.tessera.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pairs a model's parameter paths with the names in a saved file. Exact names pair first. Failing
 * that, names that differ only in Keras-style automatic numbering pair up: "dense_4/kernel" in a
 * model built after other layers in the same JVM takes the weights saved as "dense/kernel", the
 * way Keras 3 numbers layers per model rather than per process. Within each group of names that
 * agree but for their numbers, both sides are ordered by those numbers and paired in order.
 */
final class ParameterNames {
    private static final Pattern NUMBERED = Pattern.compile("^(.*?)_(\\d+)$");

    private ParameterNames() {
    }

    /** Model path to file name for every parameter, or null when the two sets of names cannot be paired. */
    static Map<String, String> pair(Collection<String> modelNames, Collection<String> fileNames) {
        if (modelNames.size() != fileNames.size()) {
            return null;
        }
        Map<String, String> exact = new LinkedHashMap<>();
        for (String m : modelNames) {
            if (!fileNames.contains(m)) {
                exact = null;
                break;
            }
            exact.put(m, m);
        }
        if (exact != null) {
            return exact;
        }
        Map<String, List<String>> modelGroups = groups(modelNames);
        Map<String, List<String>> fileGroups = groups(fileNames);
        if (modelGroups == null || fileGroups == null || !modelGroups.keySet().equals(fileGroups.keySet())) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> g : modelGroups.entrySet()) {
            List<String> files = fileGroups.get(g.getKey());
            if (files.size() != g.getValue().size()) {
                return null;
            }
            for (int i = 0; i < files.size(); i++) {
                out.put(g.getValue().get(i), files.get(i));
            }
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String m : modelNames) {
            ordered.put(m, out.get(m));
        }
        return ordered;
    }

    /**
     * Names grouped by their path with the numbers removed, each group ordered by those numbers;
     * null when two names carry the same numbers ("dense" and "dense_0"), which leaves the order open.
     */
    private static Map<String, List<String>> groups(Collection<String> names) {
        Map<String, TreeMap<List<Long>, String>> byBase = new HashMap<>();
        for (String name : names) {
            StringBuilder base = new StringBuilder();
            List<Long> numbers = new ArrayList<>();
            for (String segment : name.split("/", -1)) {
                Matcher m = NUMBERED.matcher(segment);
                boolean numbered = m.matches();
                base.append(numbered ? m.group(1) : segment).append('/');
                numbers.add(numbered ? Long.parseLong(m.group(2)) : 0L);
            }
            if (byBase.computeIfAbsent(base.toString(), k -> new TreeMap<>(ParameterNames::compare)).put(numbers, name) != null) {
                return null;
            }
        }
        Map<String, List<String>> out = new HashMap<>();
        byBase.forEach((k, v) -> out.put(k, new ArrayList<>(v.values())));
        return out;
    }

    private static int compare(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Long.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
