package io.tessera.data;

import io.tessera.Tensor;

/**
 * One batch on a device: features {@code [size, ...]} (float32) and labels {@code [size]} (INT32). Owned by the
 * loader that produced it and valid until its next batch.
 */
public record DeviceBatch(Tensor features, Tensor labels, int size) {
}
