package io.tessera.examples.mnist;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.autograd.Graph;
import io.tessera.autograd.Module;
import io.tessera.nn.Layer;
import io.tessera.nn.LayerSpec;
import io.tessera.nn.Parameter;
import io.tessera.spi.LayerFactory;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The tutorial's MnistModel written as forward code with autograd ops ({@code ./tessera mnist --model ops}):
 * flatten, {@code in -> hidden}, ReLU, {@code hidden -> classes}. Initialised from the seed exactly as the
 * layer-built model, so both train alike.
 */
public final class OpsMlp extends Module {
    /** The checkpoint type; {@link Factory} rebuilds it. */
    public static final String TYPE = "io.tessera.examples.mnist.OpsMlp";

    private final int inputs;
    private final int hidden;
    private final int classes;
    private final Parameter[] fc1;
    private final Parameter[] fc2;

    public OpsMlp(int inputs, int hidden, int classes, long seed, Device device) {
        this(inputs, hidden, classes, new SplittableRandom(seed), device);
    }

    private OpsMlp(int inputs, int hidden, int classes, RandomGenerator random, Device device) {
        super(device);
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        this.fc1 = linearParameters("fc1", inputs, hidden, random);
        this.fc2 = linearParameters("fc2", hidden, classes, random);
    }

    @Override
    protected Tensor forward(Graph g, Tensor x) {
        Tensor flat = g.reshape(x, Shape.of(x.shape().dim(0), inputs));
        Tensor h = g.relu(g.linear(flat, fc1[0].value(), fc1[1].value()));
        return g.linear(h, fc2[0].value(), fc2[1].value());
    }

    @Override
    public LayerSpec spec() {
        return new LayerSpec(TYPE, Map.of("in", inputs, "hidden", hidden, "classes", classes));
    }

    @Override
    public String toString() {
        return "OpsMlp(" + inputs + " -> " + hidden + " ReLU -> " + classes + ", autograd ops)";
    }

    /** Rebuilds an {@link OpsMlp} from a checkpoint (listed in {@code META-INF/services/io.tessera.spi.LayerFactory}). */
    public static final class Factory implements LayerFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Layer create(LayerSpec spec, Device device) {
            return new OpsMlp(spec.attribute("in"), spec.attribute("hidden"), spec.attribute("classes"), 0, device);
        }
    }
}
