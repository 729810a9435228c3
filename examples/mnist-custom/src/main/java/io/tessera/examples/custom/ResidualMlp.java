package io.tessera.examples.custom;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.autograd.Graph;
import io.tessera.autograd.Module;
import io.tessera.nn.LayerSpec;
import io.tessera.nn.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A residual MLP written as forward code only: flatten, {@code inputs -> width}, then {@code blocks} residual blocks
 * {@code x + W2 relu(W1 x + b1) + b2} of {@code width -> width -> width}, ReLU, {@code width -> classes}. The
 * parameters are drawn from the seed in that order, each linear map as PyTorch's {@code nn.Linear} draws it.
 */
public final class ResidualMlp extends Module {
    /** The checkpoint type; {@link ResidualMlpFactory} rebuilds it. */
    public static final String TYPE = "io.tessera.examples.custom.ResidualMlp";

    private final int inputs;
    private final int width;
    private final int classes;
    private final Parameter[] stem;
    private final List<Parameter[][]> blocks = new ArrayList<>();
    private final Parameter[] head;

    /** The MNIST net of {@code tessera mnist-custom}: 784 inputs, width 256, two blocks, 10 classes. */
    public static ResidualMlp mnist(long seed, Device device) {
        return new ResidualMlp(784, 256, 2, 10, seed, device);
    }

    public ResidualMlp(int inputs, int width, int blocks, int classes, long seed, Device device) {
        this(inputs, width, blocks, classes, new SplittableRandom(seed), device);
    }

    private ResidualMlp(int inputs, int width, int blocks, int classes, RandomGenerator random, Device device) {
        super(device);
        if (inputs < 1 || width < 1 || blocks < 0 || classes < 1) {
            throw new IllegalArgumentException("residual MLP sizes must be positive (blocks >= 0), got in=" + inputs + " width=" + width
                    + " blocks=" + blocks + " classes=" + classes);
        }
        this.inputs = inputs;
        this.width = width;
        this.classes = classes;
        try {
            this.stem = linearParameters("stem", inputs, width, random);
            for (int b = 0; b < blocks; b++) {
                this.blocks.add(new Parameter[][] {linearParameters("block" + b + ".fc1", width, width, random),
                    linearParameters("block" + b + ".fc2", width, width, random)});
            }
            this.head = linearParameters("head", width, classes, random);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    protected Tensor forward(Graph g, Tensor x) {
        Tensor h = linear(g, g.reshape(x, Shape.of(x.shape().dim(0), inputs)), stem);
        for (Parameter[][] block : blocks) {
            h = g.add(h, linear(g, g.relu(linear(g, h, block[0])), block[1]));
        }
        return linear(g, g.relu(h), head);
    }

    private static Tensor linear(Graph g, Tensor x, Parameter[] weightAndBias) {
        return g.linear(x, weightAndBias[0].value(), weightAndBias[1].value());
    }

    /** The widths from input to output: {@code [inputs, width, (width, width) per block, classes]}. */
    public List<Integer> layerSizes() {
        List<Integer> sizes = new ArrayList<>(List.of(inputs, width));
        for (int b = 0; b < blocks.size(); b++) {
            sizes.add(width);
            sizes.add(width);
        }
        sizes.add(classes);
        return List.copyOf(sizes);
    }

    @Override
    public LayerSpec spec() {
        return new LayerSpec(TYPE, Map.of("in", inputs, "width", width, "blocks", blocks.size(), "classes", classes));
    }

    @Override
    public String toString() {
        return "ResidualMlp(flatten, " + inputs + " -> " + width + ", " + blocks.size() + " x [x + " + width + " -> " + width + " ReLU -> "
                + width + "], ReLU, " + width + " -> " + classes + ")";
    }
}
