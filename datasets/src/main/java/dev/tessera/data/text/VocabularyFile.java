package dev.tessera.data.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves a preprocessing layer as a small JSON object of string settings plus a {@code "vocabulary"} array,
 * e.g. {@code {"class": "StringLookup", "vocabulary": ["[UNK]", "yes", ...]}}. Only that shape is read back;
 * anything else is rejected with the file name and character offset.
 */
final class VocabularyFile {
    private VocabularyFile() {
    }

    static void save(Path path, Map<String, String> settings, Vocabulary vocabulary) throws IOException {
        StringBuilder b = new StringBuilder("{\n");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            b.append("  ").append(quote(e.getKey())).append(": ").append(quote(e.getValue())).append(",\n");
        }
        b.append("  \"vocabulary\": [");
        List<String> tokens = vocabulary.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            b.append(i == 0 ? "\n    " : ",\n    ").append(quote(tokens.get(i)));
        }
        b.append("\n  ]\n}\n");
        Files.writeString(path, b, StandardCharsets.UTF_8);
    }

    /** What a file holds: its string settings in file order and its tokens. */
    record Contents(Map<String, String> settings, List<String> tokens) {
        /** The setting {@code key}, or an IOException naming the file when it is missing or differs from {@code expected} (null: any). */
        String require(Path path, String key, String expected) throws IOException {
            String value = settings.get(key);
            if (value == null || (expected != null && !expected.equals(value))) {
                throw new IOException(path + ": setting \"" + key + "\" must be " + (expected == null ? "present"
                        : "\"" + expected + "\"") + " — got " + (value == null ? "none" : "\"" + value + "\""));
            }
            return value;
        }

        /** The tokens as a {@link Vocabulary}; duplicates are reported as an IOException naming the file. */
        Vocabulary vocabulary(Path path) throws IOException {
            try {
                return new Vocabulary(tokens);
            } catch (IllegalArgumentException e) {
                throw new IOException(path + ": " + e.getMessage(), e);
            }
        }
    }

    static Contents load(Path path) throws IOException {
        List<String> tokens = new ArrayList<>();
        Parser p = new Parser(Files.readString(path, StandardCharsets.UTF_8), path);
        Map<String, String> settings = new LinkedHashMap<>();
        p.expect('{');
        boolean sawVocabulary = false;
        while (true) {
            String key = p.string();
            p.expect(':');
            if (key.equals("vocabulary")) {
                sawVocabulary = true;
                p.expect('[');
                if (!p.tryConsume(']')) {
                    do {
                        tokens.add(p.string());
                    } while (p.tryConsume(','));
                    p.expect(']');
                }
            } else {
                settings.put(key, p.string());
            }
            if (!p.tryConsume(',')) {
                break;
            }
        }
        p.expect('}');
        p.end();
        if (!sawVocabulary) {
            throw new IOException(path + ": no \"vocabulary\" array");
        }
        return new Contents(settings, tokens);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static final class Parser {
        private final String text;
        private final Path path;
        private int pos;

        Parser(String text, Path path) {
            this.text = text;
            this.path = path;
        }

        void expect(char c) throws IOException {
            if (!tryConsume(c)) {
                throw error("expected '" + c + "'");
            }
        }

        boolean tryConsume(char c) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        String string() throws IOException {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
            throw error("unterminated string");
        }

        void end() throws IOException {
            skipSpace();
            if (pos != text.length()) {
                throw error("trailing characters");
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IOException error(String problem) {
            return new IOException(path + ": " + problem + " at character " + pos);
        }
    }
}
