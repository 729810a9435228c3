package io.tessera.examples.mnist;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.tessera.Device;
import io.tessera.nn.Flatten;
import io.tessera.nn.Layer;
import io.tessera.nn.Linear;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import io.tessera.optim.Optimizer;
import io.tessera.optim.SGD;

import java.util.SplittableRandom;

/** Binds the tutorial's {@code MnistModel} (fused layers, or the same net written with autograd ops) (flatten, {@code in -> hidden} ReLU, {@code hidden -> classes}) and SGD (plain, as in the tutorial, unless a momentum is given). */
public final class MlpModelModule extends AbstractModule {
    private final int inputs;
    private final int hidden;
    private final int classes;
    private final long seed;
    private final double lr;
    private final double momentum;
    private final boolean ops;

    public MlpModelModule(int inputs, int hidden, int classes, long seed, double lr, double momentum) {
        this(inputs, hidden, classes, seed, lr, momentum, false);
    }

    /** {@code ops}: the same model written with autograd ops ({@link OpsMlp}) instead of the fused layers. */
    public MlpModelModule(int inputs, int hidden, int classes, long seed, double lr, double momentum, boolean ops) {
        this.ops = ops;
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        this.seed = seed;
        this.lr = lr;
        this.momentum = momentum;
    }

    /** The model built from {@code seed} on the host, then on {@code device}. */
    public static Sequential mnistModel(int inputs, int hidden, int classes, long seed, Device device) {
        SplittableRandom random = new SplittableRandom(seed);
        Linear first = new Linear(inputs, hidden, device, random);
        Linear second;
        try {
            second = new Linear(hidden, classes, device, random);
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
        return Sequential.of(new Flatten(), first, new ReLU(), second);
    }

    @Provides
    @Singleton
    Layer model(Device device) {
        return ops ? new OpsMlp(inputs, hidden, classes, seed, device) : mnistModel(inputs, hidden, classes, seed, device);
    }

    @Provides
    @Singleton
    Optimizer optimizer(Layer model) {
        return new SGD(model.parameters(), lr, momentum, 0);
    }
}
