package io.tessera.examples.guice;

import io.tessera.data.DeviceDataLoader;
import io.tessera.examples.data.MnistFiles;

/** The training, validation and test loaders of a run, on its device. Closing stops their prefetch threads. */
public record Loaders(MnistFiles dataset, DeviceDataLoader train, DeviceDataLoader val, DeviceDataLoader test) implements AutoCloseable {

    @Override
    public void close() {
        train.close();
        val.close();
        test.close();
    }
}
