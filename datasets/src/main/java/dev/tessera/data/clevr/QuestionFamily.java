package dev.tessera.data.clevr;

/** The ten CLEVR question families the generator draws from; every image gets one question of each. */
public enum QuestionFamily {
    EXIST, COUNT, QUERY_COLOR, QUERY_SHAPE, QUERY_SIZE, QUERY_MATERIAL, COMPARE_ATTRIBUTE, COMPARE_COUNT,
    SPATIAL_QUERY, SPATIAL_EXIST;

    /** The family's name in reports, e.g. "query_color". */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
