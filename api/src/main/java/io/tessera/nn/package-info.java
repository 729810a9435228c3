/**
 * Layers with explicit backward passes (dense, convolutional, pooling, dropout, batch normalisation), their
 * non-trainable {@link io.tessera.nn.Buffer}s, the cross-entropy loss, and checkpoints.
 */
package io.tessera.nn;
