package dev.tessera.data.clevr;

/** CLEVR's eight colours with the RGB values from CLEVR's {@code properties.json}. */
public enum ObjectColor {
    GRAY(87, 87, 87),
    RED(173, 35, 35),
    BLUE(42, 75, 215),
    GREEN(29, 105, 20),
    BROWN(129, 74, 25),
    PURPLE(129, 38, 192),
    CYAN(41, 208, 208),
    YELLOW(255, 238, 51);

    private final int red;
    private final int green;
    private final int blue;

    ObjectColor(int red, int green, int blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** The colour packed as 0xRRGGBB. */
    public int rgb() {
        return (red << 16) | (green << 8) | blue;
    }

    /** The word CLEVR uses for this colour ("gray", "red", ...). */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
