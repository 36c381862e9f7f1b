package dev.tessera.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads back the CSV that {@code CsvLogger} writes, so curves cover every epoch of a resumed run too. */
public final class TrainingLog {
    private TrainingLog() {
    }

    /** Column name to values in row order, for every column after "epoch"; "nan" and empty cells read as NaN. */
    public static Map<String, List<Double>> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Map<String, List<Double>> columns = new LinkedHashMap<>();
        if (lines.isEmpty()) {
            return columns;
        }
        String[] header = lines.get(0).split(",");
        for (int c = 1; c < header.length; c++) {
            columns.put(header[c], new ArrayList<>());
        }
        for (int r = 1; r < lines.size(); r++) {
            String[] cells = lines.get(r).split(",", -1);
            if (cells.length != header.length) {
                throw new IllegalArgumentException("TrainingLog: " + csv + " line " + (r + 1) + " has " + cells.length
                        + " cells — expected " + header.length);
            }
            for (int c = 1; c < header.length; c++) {
                String v = cells[c];
                columns.get(header[c]).add(v.isEmpty() || v.equals("nan") ? Double.NaN : Double.parseDouble(v));
            }
        }
        return columns;
    }
}
