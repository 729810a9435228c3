package io.tessera.examples.cnn;

import io.tessera.Device;
import io.tessera.nn.BatchNorm1d;
import io.tessera.nn.BatchNorm2d;
import io.tessera.nn.Conv2d;
import io.tessera.nn.Dropout;
import io.tessera.nn.Flatten;
import io.tessera.nn.Layer;
import io.tessera.nn.Linear;
import io.tessera.nn.MaxPool2d;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A network and the training recipe that goes with it: the defaults of {@code tessera mnist-cnn --model NAME}. All
 * use Adam and batch 64; initial weights and dropout masks come from the seed, so a run repeats on every backend.
 */
public enum CnnRecipe {
    /**
     * PyTorch's examples CNN: conv 1->32 3x3, ReLU, conv 32->64 3x3, ReLU, max-pool 2, dropout 0.25, flatten,
     * fc 9216->128, ReLU, dropout 0.5, fc 128->10; Adam at 1e-3, no schedule, no augmentation.
     */
    EXAMPLES("examples", "PyTorch's examples net (2 conv, max-pool, 2 dropout, 2 fc); Adam 1e-3", 1, 1e-3, 0, 1.0, 0) {
        @Override
        List<Layer> layers(Device device, SplittableRandom random, long seed) {
            return build(
                    () -> new Conv2d(1, 32, 3, 1, 0, device, random),
                    ReLU::new,
                    () -> new Conv2d(32, 64, 3, 1, 0, device, random),
                    ReLU::new,
                    () -> new MaxPool2d(2),
                    () -> new Dropout(0.25, seed + 1),
                    Flatten::new,
                    () -> new Linear(9216, 128, device, random),
                    ReLU::new,
                    () -> new Dropout(0.5, seed + 2),
                    () -> new Linear(128, 10, device, random));
        }
    },
    /**
     * A batch-normalised net for the 99.3 % bar at half the examples net's arithmetic: conv 1->32 3x3 pad 1, BN, ReLU,
     * max-pool 2, conv 32->64 3x3 pad 1, BN, ReLU, max-pool 2, flatten, fc 3136->128, BN, ReLU, dropout 0.3,
     * fc 128->10; the layers before batch-norm have no bias (it would cancel); Adam at 2e-3 halved every epoch,
     * training images shifted at random by up to 2 pixels.
     */
    BATCH_NORM("bn", "batch-norm net, random shifts, Adam 2e-3 halved every epoch: >= 99.3 % in 5 epochs", 5, 2e-3, 1, 0.5, 2) {
        @Override
        List<Layer> layers(Device device, SplittableRandom random, long seed) {
            return build(
                    () -> new Conv2d(1, 32, 3, 1, 1, false, device, random),
                    () -> new BatchNorm2d(32, device),
                    ReLU::new,
                    () -> new MaxPool2d(2),
                    () -> new Conv2d(32, 64, 3, 1, 1, false, device, random),
                    () -> new BatchNorm2d(64, device),
                    ReLU::new,
                    () -> new MaxPool2d(2),
                    Flatten::new,
                    () -> new Linear(3136, 128, false, device, random),
                    () -> new BatchNorm1d(128, device),
                    ReLU::new,
                    () -> new Dropout(0.3, seed + 1),
                    () -> new Linear(128, 10, device, random));
        }
    };

    private final String id;
    private final String summary;
    private final int epochs;
    private final double lr;
    private final int lrStep;
    private final double lrGamma;
    private final int maxShift;

    CnnRecipe(String id, String summary, int epochs, double lr, int lrStep, double lrGamma, int maxShift) {
        this.id = id;
        this.summary = summary;
        this.epochs = epochs;
        this.lr = lr;
        this.lrStep = lrStep;
        this.lrGamma = lrGamma;
        this.maxShift = maxShift;
    }

    /** The layers on {@code device}, parameters drawn from {@code random} in order, dropout seeded from {@code seed}. */
    abstract List<Layer> layers(Device device, SplittableRandom random, long seed);

    /** The model built from {@code seed} on the host, then on {@code device}. */
    public Sequential model(Device device, long seed) {
        return new Sequential(layers(device, new SplittableRandom(seed), seed));
    }

    /** The {@code --model} value. */
    public String id() {
        return id;
    }

    public String summary() {
        return summary;
    }

    public int epochs() {
        return epochs;
    }

    public double lr() {
        return lr;
    }

    /** Epochs between learning-rate decays; 0 for a constant rate. */
    public int lrStep() {
        return lrStep;
    }

    public double lrGamma() {
        return lrGamma;
    }

    public int maxShift() {
        return maxShift;
    }

    /** The recipe a {@code --model} value names. */
    public static CnnRecipe byId(String id) {
        for (CnnRecipe r : values()) {
            if (r.id.equals(id.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown model '" + id + "'; use one of " + ids());
    }

    /** The {@code --model} values. */
    public static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (CnnRecipe r : values()) {
            ids.add(r.id);
        }
        return ids;
    }

    /** Builds the layers in order; if one fails, closes those already built (their device memory) and rethrows. */
    @SafeVarargs
    private static List<Layer> build(Supplier<? extends Layer>... makers) {
        List<Layer> layers = new ArrayList<>();
        try {
            for (var make : makers) {
                layers.add(make.get());
            }
            return layers;
        } catch (RuntimeException | Error e) {
            for (Layer l : layers) {
                l.close();
            }
            throw e;
        }
    }
}
