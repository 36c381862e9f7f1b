package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary table's geometry, wrapping and number formats follow Keras 3 (rich) exactly. */
class SummaryTest {

    @Test
    void columnWidthsMatchRichAtKerasWidths() {
        // 76 columns (an 80-column or non-interactive console): cells of 33, 24 and 15 characters.
        assertArrayEquals(new int[] {33, 24, 15}, Summary.columnWidths(76));
        assertArrayEquals(new int[] {38, 29, 17}, Summary.columnWidths(88));
    }

    @Test
    void readableSizesUseBinaryUnitsAndHalfEvenRounding() {
        assertEquals("0.00 B", Summary.readableSize(0));
        assertEquals("1023.00 B", Summary.readableSize(1023));
        assertEquals("1.00 KB", Summary.readableSize(1024));
        assertEquals("2.12 KB", Summary.readableSize(2176));
        assertEquals("3.78 MB", Summary.readableSize(990_878 * 4.0));
    }

    @Test
    void longCellsWrapAtSpaces() {
        assertEquals(List.of("batch_normalization_12", "(BatchNormalization)"),
                Summary.wrap("batch_normalization_12 (BatchNormalization)", 31));
        assertEquals(List.of("abcd", "efgh", "ij"), Summary.wrap("abcdefghij", 4));
    }

    @Test
    void tableHasKerasLayout() {
        Sequential model = new Sequential("tiny", new Dense(64), new Dense(10));
        model.buildFor(Shape.of(1, 32));
        String[] lines = Summary.render(model, 76).split("\n");
        assertEquals("Model: \"tiny\"", lines[0]);
        assertEquals("┏" + "━".repeat(33) + "┳" + "━".repeat(24) + "┳" + "━".repeat(15) + "┓", lines[1]);
        assertEquals("┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃", lines[2]);
        assertTrue(lines[4].startsWith("│ dense"), lines[4]);
        assertTrue(lines[4].endsWith("│ (None, 64)             │         2,112 │"), lines[4]);
        assertTrue(lines[6].endsWith("│ (None, 10)             │           650 │"), lines[6]);
        assertEquals("└" + "─".repeat(33) + "┴" + "─".repeat(24) + "┴" + "─".repeat(15) + "┘", lines[7]);
        assertEquals(" Total params: 2,762 (10.79 KB)", lines[8]);
        assertEquals(" Trainable params: 2,762 (10.79 KB)", lines[9]);
        assertEquals(" Non-trainable params: 0 (0.00 B)", lines[10]);
        for (int i = 1; i < 8; i++) {
            assertEquals(76, lines[i].length(), lines[i]);
        }
    }

    @Test
    void unbuiltLayersShowZeroAndUnknownShape() {
        String s = Summary.render(new Sequential("lazy", new Dense(3)), 76);
        assertTrue(s.contains("│ ?                      │   0 (unbuilt) │"), s);
    }
}
