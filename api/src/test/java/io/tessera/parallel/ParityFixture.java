package io.tessera.parallel;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.data.DataLoader;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.Flatten;
import io.tessera.nn.Layer;
import io.tessera.nn.Linear;
import io.tessera.nn.Parameter;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.Optimizer;
import io.tessera.optim.SGD;
import io.tessera.train.EpochResult;
import io.tessera.train.Trainer;
import io.tessera.train.TrainingListener;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What data-parallel runs are compared against: a small learnable dataset, a seeded MLP, and the same training on one
 * device with the global batch, recorded after every epoch. Shared with the Spark module's tests.
 */
public final class ParityFixture {
    private ParityFixture() {
    }

    /** Images whose label is decided by which quarter is brightest. */
    public static InMemoryDataset dataset(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 16];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(4);
            labels[i] = (byte) label;
            for (int p = 0; p < 16; p++) {
                pixels[i * 16 + p] = (byte) Math.min(255, r.nextInt(100) + (p / 4 == label ? 150 : 0));
            }
        }
        return new InMemoryDataset(pixels, Shape.of(1, 4, 4), labels, 4);
    }

    /** The model every replica builds: 16 -> 24 ReLU -> 4, from seed 7. */
    public static Layer model(Device device) {
        SplittableRandom r = new SplittableRandom(7);
        return Sequential.of(new Flatten(), new Linear(16, 24, device, r), new ReLU(), new Linear(24, 4, device, r));
    }

    /** SGD with momentum and weight decay, so that optimizer state takes part. */
    public static Optimizer sgd(List<Parameter> parameters) {
        return new SGD(parameters, 0.2, 0.9, 1e-4);
    }

    public static DataLoader loader(InMemoryDataset data, int batch) {
        return DataLoader.builder(data, batch).shuffle(3).build();
    }

    public static List<float[]> parameters(Layer model) {
        List<float[]> values = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            values.add(p.value().toFloatArray());
        }
        return values;
    }

    /** One device, the global batch: the parameters after each of {@code epochs} epochs. */
    public static List<List<float[]>> singleDevice(Device device, InMemoryDataset data, int batch, int epochs,
                                                   OptimizerFactory optimizers, double lr) {
        List<List<float[]>> after = new ArrayList<>();
        try (Layer model = model(device);
             Optimizer optimizer = optimizers.create(model.parameters());
             DeviceDataLoader train = new DeviceDataLoader(loader(data, batch), device);
             DeviceDataLoader val = new DeviceDataLoader(loader(data, batch), device);
             Trainer trainer = new Trainer(device)) {
            for (int e = 0; e < epochs; e++) {
                trainer.fit(1, lr, model, train, val, optimizer, LearningRateSchedule.constant());
                after.add(parameters(model));
            }
        }
        return after;
    }

    /**
     * {@link DataParallel} over {@code devices}: the first replica's parameters after each of {@code epochs} epochs of
     * global batches of {@code batch}, validated on the first device.
     */
    public static List<List<float[]>> inProcess(List<Device> devices, Synchronization sync, InMemoryDataset data, int batch, int epochs,
                                                OptimizerFactory optimizers, double lr) {
        List<List<float[]>> after = new ArrayList<>();
        List<Layer> firstReplica = new ArrayList<>();
        try (DeviceDataLoader val = new DeviceDataLoader(loader(data, batch), devices.get(0))) {
            DataParallel.Result r = new DataParallel(devices, sync).addListener(new TrainingListener() {
                @Override
                public void onEpochEnd(EpochResult result) {
                    after.add(parameters(firstReplica.get(0)));
                }
            }).fit(epochs, lr, device -> {
                Layer m = model(device);
                if (firstReplica.isEmpty()) {
                    firstReplica.add(m);
                }
                return m;
            }, optimizers, loader(data, batch), val, LearningRateSchedule.constant());
            assertEquals(epochs, r.history().size());
            assertEquals(data.size(), r.epochs().get(0).workers().get(devices.size() - 1).samples(), "every replica counts every sample");
            r.optimizer().close();
            r.model().close();
        }
        return after;
    }

    /** Each tensor within {@code relative} of the expected one, measured against the expected one's largest entry. */
    public static void assertClose(List<float[]> expected, List<float[]> actual, double relative, String what) {
        assertEquals(expected.size(), actual.size(), what + ": tensor count");
        for (int t = 0; t < expected.size(); t++) {
            float[] e = expected.get(t);
            float[] a = actual.get(t);
            assertEquals(e.length, a.length, what + ": size of tensor " + t);
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < e.length; i++) {
                scale = Math.max(scale, Math.abs(e[i]));
                worst = Math.max(worst, Math.abs(e[i] - a[i]));
            }
            if (worst > relative * scale) {
                fail(what + ": tensor " + t + " differs by " + worst + ", more than " + relative + " of its largest value " + scale);
            }
        }
    }
}
