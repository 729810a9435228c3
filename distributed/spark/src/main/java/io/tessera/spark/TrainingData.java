package io.tessera.spark;

import io.tessera.data.DataLoader;

import java.io.IOException;
import java.io.Serializable;

/**
 * How every worker (and the driver, for its checks) builds the training loader of global batches: a serializable
 * recipe, typically reading files at a path every executor can read, then splitting, shuffling and transforming
 * them with fixed seeds. Every call must give a loader with the same samples, batch size and order: that is what lets
 * each worker take its shard of the same global batch.
 */
@FunctionalInterface
public interface TrainingData extends Serializable {

    /** Opens the data; called once per worker and epoch, and once on the driver. */
    DataLoader open() throws IOException;
}
