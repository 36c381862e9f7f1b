package dev.tessera.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one CSV row per epoch: {@code epoch,loss,<metrics>,val_loss,<val metrics>} with the
 * 0-based epoch as Keras' CSVLogger does, flushed after each row. With {@code append} an existing
 * file is continued (for resumed runs) and its header kept.
 */
public final class CsvLogger implements Callback {
    private final Path path;
    private final boolean append;
    private BufferedWriter writer;
    private List<String> columns;

    public CsvLogger(Path path) {
        this(path, false);
    }

    public CsvLogger(Path path, boolean append) {
        this.path = path;
        this.append = append;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        try {
            boolean continuing = append && Files.exists(path) && Files.size(path) > 0;
            columns = continuing ? header() : null;
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    continuing ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot open " + path, e);
        }
    }

    private List<String> header() throws IOException {
        try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
            String first = lines.findFirst().orElse("");
            List<String> cols = new ArrayList<>(List.of(first.split(",")));
            cols.remove("epoch");
            return cols;
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        try {
            if (columns == null) {
                columns = new ArrayList<>(logs.keySet());
                writer.write("epoch," + String.join(",", columns));
                writer.newLine();
            }
            StringBuilder row = new StringBuilder().append(epoch);
            for (String c : columns) {
                Double v = logs.get(c);
                row.append(',').append(v == null ? "" : v.isNaN() ? "nan" : v.toString());
            }
            writer.write(row.toString());
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot write " + path, e);
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer) {
        try {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot close " + path, e);
        }
    }
}
