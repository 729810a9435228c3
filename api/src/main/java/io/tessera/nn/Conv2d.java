package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;
import io.tessera.spi.Window2d;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A 2-D convolution (cross-correlation) as PyTorch's {@code nn.Conv2d} with a square kernel, no dilation and no
 * groups: {@code weight: [out, in, k, k]}, {@code bias: [out]}. Input {@code [N, in, H, W]}, output
 * {@code [N, out, outH, outW]} with {@code outH = (H + 2 * padding - k) / stride + 1} (floor), likewise {@code outW}.
 */
public final class Conv2d implements Layer {
    /** The type name in checkpoints; attributes {@code in, out, kernel, stride, padding}. */
    public static final String TYPE = "Conv2d";

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Window2d window;
    private final Parameter weight;
    private final Parameter bias;
    private final ActivationBuffer output = new ActivationBuffer();
    private final ActivationBuffer gradInput = new ActivationBuffer();
    private Tensor input;

    /**
     * A layer with PyTorch's default initialisation: weights and biases uniform in {@code ±1/sqrt(in * k * k)}, drawn
     * on the host from {@code random} (all weights in {@code [out, in, k, k]} order, then the biases) and uploaded to
     * {@code device}, so every backend starts from the same numbers.
     *
     * @param inChannels the input channels {@code in}, {@code >= 1}
     * @param outChannels the output channels {@code out}, {@code >= 1}
     * @param kernelSize the square kernel's side {@code k}, {@code >= 1}
     * @param stride the stride on both axes, {@code >= 1}
     * @param padding the zeros added on each side of both axes, {@code >= 0}
     * @param device the device the parameters are created on
     * @param random the source of the initial values, used on the calling thread
     * @throws IllegalArgumentException if a size or the stride is below 1 or the padding negative
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Device device, RandomGenerator random) {
        this(inChannels, outChannels, kernelSize, stride, padding, true, device, random);
    }

    /**
     * As the main constructor; {@code bias == false} leaves the bias out (PyTorch's {@code bias=False}), as before a
     * batch-norm layer, whose mean subtraction cancels any bias: such a bias would only learn from rounding noise.
     *
     * @param inChannels the input channels {@code in}, {@code >= 1}
     * @param outChannels the output channels {@code out}, {@code >= 1}
     * @param kernelSize the square kernel's side {@code k}, {@code >= 1}
     * @param stride the stride on both axes, {@code >= 1}
     * @param padding the zeros added on each side of both axes, {@code >= 0}
     * @param bias whether the layer has a bias
     * @param device the device the parameters are created on
     * @param random the source of the initial values
     * @throws IllegalArgumentException if a size or the stride is below 1 or the padding negative
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias, Device device,
            RandomGenerator random) {
        this(inChannels, outChannels, kernelSize, stride, padding, device,
                initialWeights(inChannels, outChannels, kernelSize, stride, padding, bias, random));
    }

    private Conv2d(int in, int out, int kernel, int stride, int padding, Device device, float[][] init) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.window = Window2d.square(kernel, stride, padding);
        this.weight = new Parameter("weight", device.of(init[0], Shape.of(out, in, kernel, kernel)));
        this.bias = Parameter.biasOrNull(weight, init[1]);
    }

    /**
     * A layer with zero parameters, to be filled from a checkpoint; arguments as the main constructor.
     *
     * @param inChannels the input channels {@code in}, {@code >= 1}
     * @param outChannels the output channels {@code out}, {@code >= 1}
     * @param kernelSize the square kernel's side {@code k}, {@code >= 1}
     * @param stride the stride on both axes, {@code >= 1}
     * @param padding the zeros added on each side of both axes, {@code >= 0}
     * @param device the device the parameters are created on
     * @return the layer, owned by the caller (close it)
     * @throws IllegalArgumentException if a size or the stride is below 1 or the padding negative
     */
    public static Conv2d uninitialised(int inChannels, int outChannels, int kernelSize, int stride, int padding, Device device) {
        return uninitialised(inChannels, outChannels, kernelSize, stride, padding, true, device);
    }

    /**
     * A layer with zero parameters, with or without a bias, to be filled from a checkpoint.
     *
     * @param inChannels the input channels {@code in}, {@code >= 1}
     * @param outChannels the output channels {@code out}, {@code >= 1}
     * @param kernelSize the square kernel's side {@code k}, {@code >= 1}
     * @param stride the stride on both axes, {@code >= 1}
     * @param padding the zeros added on each side of both axes, {@code >= 0}
     * @param bias whether the layer has a bias
     * @param device the device the parameters are created on
     * @return the layer, owned by the caller (close it)
     * @throws IllegalArgumentException if a size or the stride is below 1 or the padding negative
     */
    public static Conv2d uninitialised(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias,
            Device device) {
        check(inChannels, outChannels, kernelSize, stride, padding);
        return new Conv2d(inChannels, outChannels, kernelSize, stride, padding, device,
                new float[][] {new float[inChannels * outChannels * kernelSize * kernelSize], bias ? new float[outChannels] : null});
    }

    private static void check(int in, int out, int kernel, int stride, int padding) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d(" + in + ", " + out + ", kernel " + kernel + ", stride " + stride
                    + ", padding " + padding + "): channels, kernel size and stride must be positive, padding >= 0");
        }
        if ((long) in * out * kernel * kernel > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Conv2d(" + in + ", " + out + ", kernel " + kernel + "): too many weights");
        }
    }

    private static float[][] initialWeights(int in, int out, int kernel, int stride, int padding, boolean bias,
            RandomGenerator random) {
        check(in, out, kernel, stride, padding);
        return KaimingUniform.draw(out * in * kernel * kernel, bias ? out : 0, (double) in * kernel * kernel, random);
    }

    /**
     * Input channels.
     *
     * @return the input channels
     */
    public int inChannels() {
        return in;
    }

    /**
     * Output channels.
     *
     * @return the output channels
     */
    public int outChannels() {
        return out;
    }

    /**
     * The kernel's height and width.
     *
     * @return the kernel's side, in elements
     */
    public int kernelSize() {
        return kernel;
    }

    /**
     * The stride on both axes.
     *
     * @return the stride, in elements
     */
    public int stride() {
        return stride;
    }

    /**
     * The zero padding on each side of both axes.
     *
     * @return the padding, in elements
     */
    public int padding() {
        return padding;
    }

    /**
     * The sliding window (kernel, stride, padding) passed to the kernels.
     *
     * @return the window
     */
    public Window2d window() {
        return window;
    }

    /**
     * {@code [out, in, k, k]}.
     *
     * @return the weight, owned by the layer
     */
    public Parameter weight() {
        return weight;
    }

    /**
     * The bias {@code [out]}, or null for a layer built without one.
     *
     * @return the bias, owned by the layer, or null
     */
    public Parameter bias() {
        return bias;
    }

    /**
     * The output shape for an input of {@code inputShape}, validating it (as {@link #forward} does).
     *
     * @param inputShape {@code [N, in, H, W]}
     * @return {@code [N, out, outH, outW]}
     * @throws IllegalArgumentException if the input is not 4-D with {@code in} channels, or its padded plane is smaller
     *                                  than the kernel
     */
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() != 4 || inputShape.dim(1) != in) {
            throw new IllegalArgumentException(this + " needs input [batch, " + in + ", height, width], got " + inputShape);
        }
        int oh = window.outHeight(inputShape.dim(2));
        int ow = window.outWidth(inputShape.dim(3));
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(this + ": input " + inputShape + " has a " + inputShape.dim(2) + "x"
                    + inputShape.dim(3) + " plane (" + (inputShape.dim(2) + 2 * padding) + "x" + (inputShape.dim(3) + 2 * padding)
                    + " padded), smaller than the " + kernel + "x" + kernel + " kernel");
        }
        return Shape.of(inputShape.dim(0), out, oh, ow);
    }

    @Override
    public Tensor forward(Tensor x) {
        Shape shape;
        try {
            shape = outputShape(x.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + x.describe() + ")", e);
        }
        input = x;
        Device device = weight.device();
        Tensor y = output.get(device, shape);
        device.kernels().conv2d(x, weight.value(), bias == null ? null : bias.value(), y, window);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    /** {@inheritDoc} Without the input gradient, only the weight and bias gradients are computed. */
    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGradient) {
        if (input == null) {
            throw new IllegalStateException(this + ": backward called before forward");
        }
        Device device = weight.device();
        Kernels k = device.kernels();
        k.conv2dBackwardWeight(input, gradOutput, weight.grad(), bias == null ? null : bias.grad(), window);
        if (!inputGradient) {
            return null;
        }
        Tensor dx = gradInput.get(device, input.shape());
        k.conv2dBackwardInput(gradOutput, weight.value(), dx, window);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Conv2d to(Device device) {
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
        Map<String, Integer> attributes = new java.util.LinkedHashMap<>(
                Map.of("in", in, "out", out, "kernel", kernel, "stride", stride, "padding", padding));
        if (bias == null) {
            attributes.put("bias", 0);
        }
        return new LayerSpec(TYPE, attributes);
    }

    @Override
    public void close() {
        weight.close();
        if (bias != null) {
            bias.close();
        }
        output.close();
        gradInput.close();
        input = null;
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + ", " + out + ", kernel " + kernel + ", stride " + stride + ", padding " + padding + ")";
    }
}
