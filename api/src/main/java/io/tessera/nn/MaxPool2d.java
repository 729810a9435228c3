package io.tessera.nn;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Window2d;

import java.util.Map;

/**
 * 2-D max pooling over NCHW input with a square window, as PyTorch's {@code nn.MaxPool2d} (no dilation, floor
 * rounding): input {@code [N, C, H, W]}, output {@code [N, C, outH, outW]}. The forward pass keeps the arg-max
 * indices (an INT32 tensor the layer owns) for the backward pass. No parameters.
 */
public final class MaxPool2d implements Layer {
    /** The type name in checkpoints; attributes {@code kernel, stride, padding}. */
    public static final String TYPE = "MaxPool2d";

    private final int kernel;
    private final int stride;
    private final int padding;
    private final Window2d window;
    private final ActivationBuffer output = new ActivationBuffer();
    private final ActivationBuffer indices = new ActivationBuffer();
    private final ActivationBuffer gradInput = new ActivationBuffer();
    private Shape inputShape;
    private Tensor lastIndices;

    /**
     * Pooling with stride equal to the kernel size and no padding (PyTorch's default).
     *
     * @param kernelSize the window's side and stride, {@code >= 1}
     * @throws IllegalArgumentException if {@code kernelSize < 1}
     */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    /**
     * Pooling with the given window.
     *
     * @param kernelSize the window's side, {@code >= 1}
     * @param stride the stride on both axes, {@code >= 1}
     * @param padding the padding on each side, {@code 0 .. kernelSize / 2}
     * @throws IllegalArgumentException if the kernel size or stride is below 1, or the padding is negative or more
     *                                  than half the kernel size (as in PyTorch)
     */
    public MaxPool2d(int kernelSize, int stride, int padding) {
        if (kernelSize < 1 || stride < 1 || padding < 0 || padding > kernelSize / 2) {
            throw new IllegalArgumentException("MaxPool2d(kernel " + kernelSize + ", stride " + stride + ", padding " + padding
                    + "): kernel size and stride must be positive, padding between 0 and half the kernel size");
        }
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.window = Window2d.square(kernelSize, stride, padding);
    }

    /**
     * The window's height and width.
     *
     * @return the side, in elements
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
     * The padding on each side (never chosen as a maximum).
     *
     * @return the padding, in elements
     */
    public int padding() {
        return padding;
    }

    /**
     * The sliding window passed to the kernels.
     *
     * @return the window
     */
    public Window2d window() {
        return window;
    }

    /**
     * The output shape for an input of {@code inputShape}, validating it (as {@link #forward} does).
     *
     * @param inputShape {@code [N, C, H, W]}
     * @return {@code [N, C, outH, outW]}
     * @throws IllegalArgumentException if the input is not 4-D or too small for one window
     */
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() != 4) {
            throw new IllegalArgumentException(this + " needs input [batch, channels, height, width], got " + inputShape);
        }
        int oh = window.outHeight(inputShape.dim(2));
        int ow = window.outWidth(inputShape.dim(3));
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(this + ": input " + inputShape + " has a " + inputShape.dim(2) + "x"
                    + inputShape.dim(3) + " plane, smaller than the " + kernel + "x" + kernel + " window");
        }
        return Shape.of(inputShape.dim(0), inputShape.dim(1), oh, ow);
    }

    @Override
    public Tensor forward(Tensor x) {
        Shape shape;
        try {
            shape = outputShape(x.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + x.describe() + ")", e);
        }
        Device device = x.device();
        Tensor y = output.get(device, shape);
        Tensor idx = indices.get(device, shape, DType.INT32);
        device.kernels().maxPool2d(x, y, idx, window);
        inputShape = x.shape();
        lastIndices = idx;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (lastIndices == null) {
            throw new IllegalStateException(this + ": backward called before forward");
        }
        Device device = gradOutput.device();
        Tensor dx = gradInput.get(device, inputShape);
        device.kernels().maxPool2dBackward(gradOutput, lastIndices, dx, window);
        return dx;
    }

    @Override
    public MaxPool2d to(Device device) {
        close();
        return this;
    }

    @Override
    public LayerSpec spec() {
        return new LayerSpec(TYPE, Map.of("kernel", kernel, "stride", stride, "padding", padding));
    }

    @Override
    public void close() {
        output.close();
        indices.close();
        gradInput.close();
        lastIndices = null;
        inputShape = null;
    }

    @Override
    public String toString() {
        return "MaxPool2d(kernel " + kernel + ", stride " + stride + ", padding " + padding + ")";
    }
}
