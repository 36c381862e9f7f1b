package dev.tessera.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** PNG pictures for the examples: line charts of training curves, bar charts, and images or image grids. */
public final class Plots {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Plots() {
    }

    /** A line chart against epochs 1..n, one line per entry of {@code series} (legend name to values). */
    public static void lines(Path png, String title, String yLabel, Map<String, List<Double>> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisDecimalPattern("0");
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            List<Double> ys = e.getValue();
            if (ys.isEmpty()) {
                continue;
            }
            List<Integer> xs = new ArrayList<>();
            for (int i = 1; i <= ys.size(); i++) {
                xs.add(i);
            }
            chart.addSeries(e.getKey(), xs, ys);
        }
        save(chart, png);
    }

    /** A vertical bar chart of {@code values} labelled by {@code categories}. */
    public static void bars(Path png, String title, String yLabel, List<String> categories, List<Double> values)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(WIDTH, 28 * categories.size())).height(HEIGHT)
                .title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.addSeries(yLabel, categories, values);
        save(chart, png);
    }

    /**
     * Writes images laid out in a grid as one PNG. Each image is {@code h * w * c} values in [0, 1], row-major
     * HWC with c = 1 (grey) or 3 (RGB); each is magnified {@code scale} times, with a 2-pixel gap between cells.
     */
    public static void imageGrid(Path png, List<float[]> images, int h, int w, int c, int columns, int scale)
            throws IOException {
        if (images.isEmpty() || (c != 1 && c != 3) || columns < 1 || scale < 1) {
            throw new IllegalArgumentException("Plots.imageGrid: need images, 1 or 3 channels, columns and scale >= 1 — got "
                    + images.size() + " images, " + c + " channels, " + columns + " columns, scale " + scale);
        }
        int gap = 2;
        int rows = (images.size() + columns - 1) / columns;
        int cellW = w * scale + gap;
        int cellH = h * scale + gap;
        BufferedImage out = new BufferedImage(columns * cellW + gap, rows * cellH + gap, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, 0xFFFFFF);
            }
        }
        for (int i = 0; i < images.size(); i++) {
            float[] img = images.get(i);
            if (img.length != h * w * c) {
                throw new IllegalArgumentException("Plots.imageGrid: image " + i + " has " + img.length
                        + " values — expected " + h + "x" + w + "x" + c);
            }
            int ox = gap + (i % columns) * cellW;
            int oy = gap + (i / columns) * cellH;
            for (int y = 0; y < h * scale; y++) {
                for (int x = 0; x < w * scale; x++) {
                    int p = ((y / scale) * w + x / scale) * c;
                    int r = level(img[p]);
                    int rgb = c == 1 ? (r << 16 | r << 8 | r) : (r << 16 | level(img[p + 1]) << 8 | level(img[p + 2]));
                    out.setRGB(ox + x, oy + y, rgb);
                }
            }
        }
        write(out, png);
    }

    /** Rescales values to [0, 1] by their own minimum and maximum (for filters and generated samples). */
    public static float[] normalize(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max > min ? max - min : 1f;
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (values[i] - min) / range;
        }
        return out;
    }

    private static int level(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    private static void write(BufferedImage image, Path png) throws IOException {
        createParent(png);
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("Plots: no PNG writer available for " + png);
        }
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) throws IOException {
        createParent(png);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void createParent(Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
