package dev.tessera.nn;

/**
 * Marks layers that work on each time step independently (Dense, Dropout, Activation), so a
 * padding mask passes through them unchanged to the next layer, as in Keras.
 */
public interface PassesMask {
}
