package io.tessera.data;

import io.tessera.Tensor;

/**
 * One batch on a device: {@code features} is {@code [size, ...featureShape]} float32 and {@code labels} is
 * {@code [size]} int32, both on the loader's device.
 *
 * <p>The tensors belong to the {@link DeviceDataLoader} that returned this batch (for a smaller last batch they are
 * {@link Tensor#rows row views} of its buffers): they are overwritten by the next call to the iterator's
 * {@code next()} and closed when the loader closes. Do not close them; copy them ({@link Tensor#to}) to keep them.
 *
 * @param features the samples' features
 * @param labels   the samples' class labels
 * @param size     the number of samples, the first dimension of both tensors
 */
public record DeviceBatch(Tensor features, Tensor labels, int size) {
}
