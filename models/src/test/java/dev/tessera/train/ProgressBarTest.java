package dev.tessera.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static Map<String, Double> logs(double loss, double accuracy) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("accuracy", accuracy);
        return m;
    }

    @Test
    void finishedLineMatchesKerasFormat() {
        String line = new ProgressBar(SINK, false, 234).format(234, logs(0.95, 0.45), true, 35.8);
        assertEquals("234/234 [==============================] - 36s 153ms/step - loss: 0.9500 - accuracy: 0.4500", line);
    }

    @Test
    void runningLineShowsArrowAndEta() {
        String line = new ProgressBar(SINK, true, 234).format(117, logs(1.25, 0.3), false, 10.0);
        assertEquals("117/234 [==============>...............] - ETA: 10s - loss: 1.2500 - accuracy: 0.3000", line);
    }

    @Test
    void unknownStepCountAndTinyValues() {
        String line = new ProgressBar(SINK, false, 0).format(5, logs(0.0001234, 1.0), true, 0.004);
        assertEquals("      5/Unknown - 0s 800us/step - loss: 1.2340e-04 - accuracy: 1.0000", line);
    }

    @Test
    void terminalRedrawsInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 2);
        bar.update(1, logs(1, 0));
        bar.finish(2, logs(0.5, 1));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, text.chars().filter(c -> c == '\r').count(), text);
    }
}
