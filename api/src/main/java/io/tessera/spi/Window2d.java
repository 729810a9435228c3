package io.tessera.spi;

/**
 * The sliding window of a 2-D convolution or pooling over NCHW tensors: kernel size, stride and zero padding per axis
 * (PyTorch's {@code kernel_size}, {@code stride}, {@code padding}; no dilation, floor rounding). An immutable value.
 *
 * <p>An output axis has {@code (in + 2 * pad - kernel) / stride + 1} positions; output position {@code o} covers input
 * positions {@code o * stride - pad + 0 .. kernel - 1}, of which those outside {@code [0, in)} are padding.
 *
 * @param kernelH the kernel's height, in elements
 * @param kernelW the kernel's width, in elements
 * @param strideH the vertical stride, in elements
 * @param strideW the horizontal stride, in elements
 * @param padH    the zero rows added above and below the input
 * @param padW    the zero columns added left and right of the input
 */
public record Window2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {

    /**
     * Validates the sizes.
     *
     * @param kernelH the kernel's height, {@code >= 1}
     * @param kernelW its width, {@code >= 1}
     * @param strideH the vertical stride, {@code >= 1}
     * @param strideW the horizontal stride, {@code >= 1}
     * @param padH the zero rows above and below, {@code >= 0}
     * @param padW the zero columns left and right, {@code >= 0}
     * @throws IllegalArgumentException if a size is out of range
     */
    public Window2d {
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("window: kernel size must be positive, got " + kernelH + "x" + kernelW);
        }
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("window: stride must be positive, got " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("window: padding must not be negative, got " + padH + "x" + padW);
        }
    }

    /**
     * A square window: {@code kernel x kernel}, the same stride and padding on both axes.
     *
     * @param kernel the side
     * @param stride the stride
     * @param padding the padding
     * @return the window
     */
    public static Window2d square(int kernel, int stride, int padding) {
        return new Window2d(kernel, kernel, stride, stride, padding, padding);
    }

    /**
     * Output height for an input of height {@code height}; below 1 when the window does not fit.
     *
     * @param height the input height
     * @return {@code floorDiv(height + 2 * padH - kernelH, strideH) + 1}
     */
    public int outHeight(int height) {
        return Math.floorDiv(height + 2 * padH - kernelH, strideH) + 1;
    }

    /**
     * Output width for an input of width {@code width}; below 1 when the window does not fit.
     *
     * @param width the input width
     * @return {@code floorDiv(width + 2 * padW - kernelW, strideW) + 1}
     */
    public int outWidth(int width) {
        return Math.floorDiv(width + 2 * padW - kernelW, strideW) + 1;
    }

    @Override
    public String toString() {
        return "window " + kernelH + "x" + kernelW + " stride " + strideH + "x" + strideW + " padding " + padH + "x" + padW;
    }
}
