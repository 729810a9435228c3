package org.example;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.DataLoader;
import io.tessera.data.Datasets;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.data.Subset;
import io.tessera.datasets.DatasetFolder;
import io.tessera.datasets.DatasetLocator;
import io.tessera.datasets.MnistFiles;
import io.tessera.nn.Flatten;
import io.tessera.nn.Linear;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import io.tessera.optim.SGD;
import io.tessera.train.EpochResult;
import io.tessera.train.EvalResult;
import io.tessera.train.Trainer;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** The tutorial's MNIST classifier. Arguments: [folder holding mnist/] [epochs]. */
public final class MnistTutorial {
    public static void main(String[] args) throws Exception {
        Path dataDir = args.length > 0 ? Path.of(args[0]) : null;   // null: $TESSERA_DATA, ~/.cache/tessera, or download
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;

        DatasetFolder mnist = DatasetLocator.standard().locate(MnistFiles.MNIST, dataDir);
        InMemoryDataset train = mnist.load(MnistFiles.Split.TRAIN);
        InMemoryDataset test = mnist.load(MnistFiles.Split.TEST);
        List<Subset> parts = Datasets.randomSplit(train, 42, 50_000, 10_000);   // random_split(dataset, [50000, 10000])

        Device device = Devices.defaultDevice();                             // get_default_device()
        SplittableRandom random = new SplittableRandom(42);
        try (Sequential model = Sequential.of(new Flatten(), new Linear(784, 32, device, random), new ReLU(),
                     new Linear(32, 10, device, random));
             DeviceDataLoader trainLoader = new DeviceDataLoader(DataLoader.builder(parts.get(0), 128).shuffle(42).build(), device);
             DeviceDataLoader valLoader = new DeviceDataLoader(DataLoader.builder(parts.get(1), 256).build(), device);
             DeviceDataLoader testLoader = new DeviceDataLoader(DataLoader.builder(test, 256).build(), device);
             Trainer trainer = new Trainer(device);
             SGD sgd = new SGD(model.parameters(), 0.5)) {
            for (EpochResult epoch : trainer.fit(epochs, 0.5, model, trainLoader, valLoader, sgd)) {
                System.out.printf("Epoch %d: loss %.4f, val_acc %.4f%n", epoch.epoch() + 1, epoch.trainLoss(), epoch.valAccuracy());
            }
            EvalResult result = trainer.evaluate(model, testLoader);
            System.out.printf("Test accuracy on %s: %.4f%n", device.id(), result.accuracy());
        }
    }
}
