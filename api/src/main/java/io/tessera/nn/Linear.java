package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A fully connected layer, {@code y = x W^T + b}, with {@code W: [out, in]} and {@code b: [out]} as in PyTorch.
 * Input {@code [batch, in]}, output {@code [batch, out]}.
 */
public final class Linear implements Layer {
    /** The type name in checkpoints; attributes {@code in, out} and {@code bias = 0} for a layer without a bias. */
    public static final String TYPE = "Linear";

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final ActivationBuffer output = new ActivationBuffer();
    private final ActivationBuffer gradInput = new ActivationBuffer();
    private Tensor input;
    private Shape outputShape;

    /**
     * A layer with PyTorch's default initialisation (Kaiming-uniform with {@code a = sqrt(5)}: weights and biases
     * uniform in {@code ±1/sqrt(in)}), drawn on the host from {@code random} (weights row by row, then biases) and
     * uploaded to {@code device}, so every backend starts from the same numbers.
     *
     * @param in the input features, {@code >= 1}
     * @param out the output features, {@code >= 1}
     * @param device the device the parameters are created on
     * @param random the source of the initial values, used on the calling thread
     * @throws IllegalArgumentException if a size is below 1
     */
    public Linear(int in, int out, Device device, RandomGenerator random) {
        this(in, out, true, device, random);
    }

    /**
     * As the main constructor; {@code bias == false} leaves the bias out (PyTorch's {@code bias=False}), as before a
     * batch-norm layer, whose mean subtraction cancels any bias.
     *
     * @param in the input features, {@code >= 1}
     * @param out the output features, {@code >= 1}
     * @param bias whether the layer has a bias
     * @param device the device the parameters are created on
     * @param random the source of the initial values
     * @throws IllegalArgumentException if a size is below 1
     */
    public Linear(int in, int out, boolean bias, Device device, RandomGenerator random) {
        this(in, out, device, initialWeights(in, out, bias, random));
    }

    private Linear(int in, int out, Device device, float[][] init) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): sizes must be positive");
        }
        this.in = in;
        this.out = out;
        this.weight = new Parameter("weight", device.of(init[0], Shape.of(out, in)));
        this.bias = Parameter.biasOrNull(weight, init[1]);
    }

    /**
     * A layer with zero parameters, to be filled from a checkpoint.
     *
     * @param in the input features, {@code >= 1}
     * @param out the output features, {@code >= 1}
     * @param device the device the parameters are created on
     * @return the layer, owned by the caller (close it)
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Linear uninitialised(int in, int out, Device device) {
        return uninitialised(in, out, true, device);
    }

    /**
     * A layer with zero parameters, with or without a bias, to be filled from a checkpoint.
     *
     * @param in the input features, {@code >= 1}
     * @param out the output features, {@code >= 1}
     * @param bias whether the layer has a bias
     * @param device the device the parameters are created on
     * @return the layer, owned by the caller (close it)
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Linear uninitialised(int in, int out, boolean bias, Device device) {
        return new Linear(in, out, device, new float[][] {new float[in * out], bias ? new float[out] : null});
    }

    private static float[][] initialWeights(int in, int out, boolean bias, RandomGenerator random) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): sizes must be positive");
        }
        return KaimingUniform.draw(in * out, bias ? out : 0, in, random);
    }

    /**
     * The input features.
     *
     * @return {@code in}
     */
    public int inFeatures() {
        return in;
    }

    /**
     * The output features.
     *
     * @return {@code out}
     */
    public int outFeatures() {
        return out;
    }

    /**
     * The weight {@code [out, in]}.
     *
     * @return the weight, owned by the layer
     */
    public Parameter weight() {
        return weight;
    }

    /**
     * The bias, or null for a layer built without one.
     *
     * @return the bias {@code [out]}, owned by the layer, or null
     */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.shape().rank() != 2 || x.shape().dim(1) != in) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + ") needs input [batch, " + in + "], got " + x.describe());
        }
        input = x;
        Device device = weight.device();
        Kernels k = device.kernels();
        int rows = x.shape().dim(0);
        if (outputShape == null || outputShape.dim(0) != rows) {
            outputShape = Shape.of(rows, out);
        }
        Tensor y = output.get(device, outputShape);
        k.gemm(false, true, 1f, x, weight.value(), 0f, y);
        if (bias != null) {
            k.addBias(y, bias.value(), y);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    /** {@inheritDoc} Without the input gradient, one of the two GEMMs of the backward pass is skipped. */
    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGradient) {
        if (input == null) {
            throw new IllegalStateException("Linear.backward called before forward");
        }
        Device device = weight.device();
        Kernels k = device.kernels();
        k.gemm(true, false, 1f, gradOutput, input, 0f, weight.grad());
        if (bias != null) {
            k.columnSums(gradOutput, bias.grad());
        }
        if (!inputGradient) {
            return null;
        }
        Tensor dx = gradInput.get(device, input.shape());
        k.gemm(false, false, 1f, gradOutput, weight.value(), 0f, dx);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Linear to(Device device) {
        weight.to(device);
        if (bias != null) {
            bias.to(device);
        }
        output.close();
        gradInput.close();
        input = null;
        return this;
    }

    @Override
    public LayerSpec spec() {
        return bias == null ? new LayerSpec(TYPE, Map.of("in", in, "out", out, "bias", 0)) : new LayerSpec(TYPE, Map.of("in", in, "out", out));
    }

    @Override
    public void close() {
        weight.close();
        if (bias != null) {
            bias.close();
        }
        output.close();
        gradInput.close();
    }

    @Override
    public String toString() {
        return "Linear(" + in + ", " + out + ")";
    }
}
