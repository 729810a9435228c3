/**
 * Data loading: datasets held in memory, the IDX file format (MNIST, Fashion-MNIST), random splits, a batching
 * {@link io.tessera.data.DataLoader} and a {@link io.tessera.data.DeviceDataLoader} that prefetches batches on a
 * background thread and uploads them to a {@link io.tessera.Device}.
 *
 * <p>Sample order is a pure function of a seed and an epoch number, computed with a generator specified here (not the
 * JDK's), so runs are reproducible across Java versions and machines.
 */
package io.tessera.data;
