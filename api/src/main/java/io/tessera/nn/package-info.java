/**
 * Layers with explicit backward passes, the cross-entropy loss, and checkpoints.
 */
package io.tessera.nn;
