package io.tessera.examples.guice;

import io.tessera.data.DeviceDataLoader;
import io.tessera.datasets.MnistFiles;

/** The training, validation and test loaders of a run, on its device. Closing stops their prefetch threads.
 * {@code val} may be {@code test} (no validation split). */
public record Loaders(MnistFiles dataset, DeviceDataLoader train, DeviceDataLoader val, DeviceDataLoader test) implements AutoCloseable {

    @Override
    public void close() {
        train.close();
        val.close();
        if (test != val) {
            test.close();
        }
    }
}
