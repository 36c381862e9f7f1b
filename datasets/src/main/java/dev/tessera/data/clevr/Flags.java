package dev.tessera.data.clevr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal "--name value" / "--switch" parsing for this package's command-line mains. */
final class Flags {
    private Flags() {
    }

    /** The flags of {@code args}; {@code valued} take a value, {@code switches} map to "true". */
    static Map<String, String> parse(String tool, String[] args, List<String> valued, List<String> switches) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name != null && switches.contains(name)) {
                flags.put(name, "true");
            } else if (name != null && valued.contains(name) && i + 1 < args.length) {
                flags.put(name, args[++i]);
            } else {
                StringBuilder known = new StringBuilder();
                valued.forEach(v -> known.append(" --").append(v).append(" VALUE"));
                switches.forEach(s -> known.append(" --").append(s));
                throw new IllegalArgumentException(tool + ": unknown flag or missing value — got \"" + args[i]
                        + "\"; flags:" + known);
            }
        }
        return flags;
    }

    /** Flag {@code name} as an int, or {@code fallback} when absent. */
    static int integer(Map<String, String> flags, String name, int fallback, String tool) {
        long v = number(flags, name, fallback, tool);
        if (v != (int) v) {
            throw new IllegalArgumentException(tool + ": --" + name + " is out of range — got " + v);
        }
        return (int) v;
    }

    /** Flag {@code name} as a long, or {@code fallback} when absent. */
    static long number(Map<String, String> flags, String name, long fallback, String tool) {
        String v = flags.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(tool + ": --" + name + " needs an integer — got \"" + v + "\"");
        }
    }
}
