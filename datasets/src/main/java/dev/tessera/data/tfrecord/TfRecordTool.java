package dev.tessera.data.tfrecord;

import com.google.protobuf.TextFormat;
import dev.tessera.data.DataFileException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Command-line tool for TFRecord files: {@code count FILE...} prints the number of records,
 * {@code verify FILE...} checks every CRC and reports corrupt regions (exit status 1 if any),
 * {@code head FILE [N]} prints the first N records (default 5) as tf.train.Example text.
 * Usage: {@code java -cp ... dev.tessera.data.tfrecord.TfRecordTool count|verify|head FILE [N]}.
 */
public final class TfRecordTool {
    private static final String USAGE = "usage: TfRecordTool count FILE... | verify FILE... | head FILE [N]";

    private TfRecordTool() {
    }

    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command, writing results to {@code out} and problems to {@code err}; returns the exit status (0 ok, 1 corrupt or failed, 2 usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println(USAGE);
            return 2;
        }
        try {
            switch (args[0]) {
                case "count":
                    for (int i = 1; i < args.length; i++) {
                        out.println(args[i] + ": " + scan(Path.of(args[i]), false).records() + " records");
                    }
                    return 0;
                case "verify":
                    int status = 0;
                    for (int i = 1; i < args.length; i++) {
                        status = Math.max(status, verify(Path.of(args[i]), out));
                    }
                    return status;
                case "head":
                    if (args.length > 3) {
                        err.println(USAGE);
                        return 2;
                    }
                    head(Path.of(args[1]), args.length == 3 ? parseCount(args[2]) : 5, out);
                    return 0;
                default:
                    err.println("unknown command '" + args[0] + "'\n" + USAGE);
                    return 2;
            }
        } catch (DataFileException | UncheckedIOException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static int parseCount(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("head: N must be a non-negative integer — got '" + s + "'");
    }

    /** Good records and skipped corrupt regions of one pass over a file. */
    private record Scan(long records, long corrupt) {
    }

    /** One pass over {@code file}; with {@code skipCorrupt}, corrupt records are skipped rather than raised. */
    private static Scan scan(Path file, boolean skipCorrupt) {
        long n = 0;
        try (TfRecordReader r = new TfRecordReader(file, TfRecordReader.Options.defaults().skipCorrupt(skipCorrupt))) {
            while (r.hasNext()) {
                r.next();
                n++;
            }
            return new Scan(n, r.corruptRecordsSkipped());
        }
    }

    private static int verify(Path file, PrintStream out) {
        Scan s = scan(file, true);
        if (s.corrupt() == 0) {
            out.println(file + ": OK, " + s.records() + " records");
            return 0;
        }
        String first = "";
        try {
            scan(file, false);
        } catch (DataFileException e) {
            first = "; first problem: " + e.getMessage();
        }
        out.println(file + ": CORRUPT, " + s.records() + " good records, " + s.corrupt() + " corrupt regions skipped" + first);
        return 1;
    }

    private static void head(Path file, int n, PrintStream out) {
        TextFormat.Printer printer = TextFormat.printer();
        try (TfRecordReader r = new TfRecordReader(file)) {
            for (int i = 0; i < n && r.hasNext(); i++) {
                byte[] data = r.next();
                out.println("record " + i + " (byte offset " + r.lastLocation().byteOffset() + ", " + data.length + " bytes):");
                try {
                    out.print(printer.printToString(ExampleFeatures.parse(data, r.lastLocation()).example()));
                } catch (DataFileException e) {
                    out.println("  (not a tf.train.Example: " + e.getMessage() + ")");
                }
            }
        }
    }
}
