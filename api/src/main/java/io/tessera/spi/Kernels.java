package io.tessera.spi;

import io.tessera.Tensor;

import java.nio.FloatBuffer;

/**
 * The primitives that layers, losses and optimizers are written against; every backend implements them.
 *
 * <p><b>Contract for implementers.</b>
 * <ul>
 *   <li>Tensors are dense and row-major; a 2-D tensor {@code [rows, cols]} has element {@code (i, j)} at
 *       {@code i * cols + j}. Kernels see the tensor's {@link io.tessera.Shape} (views included).</li>
 *   <li>Arguments arrive validated when the caller goes through {@link io.tessera.Device#kernels()}, which returns
 *       {@link CheckedKernels#wrap}: same device, open, the dtypes and shapes each method states. Raw kernels
 *       may assume that.</li>
 *   <li>Kernels may run asynchronously, in the order issued; only the {@code copyToHost}/{@code copyToBuffer}
 *       methods wait, for everything issued before them.</li>
 *   <li>Unless a method says otherwise, an output may be the same tensor as an input of the same shape
 *       (in place), but must not partially overlap one.</li>
 *   <li>Float results must match a double-precision reference within the conformance kit's tolerances
 *       ({@code io.tessera.tck.Tolerances} in the test-jar): {@code |actual - expected| <= 1e-6 + 1e-5 * sqrt(n) * m},
 *       where {@code n} is the number of terms summed into the element (1 for element-wise kernels, {@code k} for
 *       GEMM) and {@code m} the sum of their magnitudes. Single-precision arithmetic with full-precision
 *       {@code exp}/{@code log} meets this; half precision, TF32 or fast-math approximations do not.</li>
 *   <li>Host arrays and buffers passed to a copy may be changed by the caller as soon as the copy returns. A copy
 *       of 0 elements is valid and does nothing.</li>
 *   <li>One thread issues kernels on a device at a time.</li>
 * </ul>
 */
public interface Kernels {

    // ---- copies ----------------------------------------------------------------------------------------------

    /** Copies {@code count} floats from {@code src[srcOffset..]} into {@code dst} starting at element {@code dstOffset}. */
    void copyFromHost(float[] src, int srcOffset, Tensor dst, long dstOffset, int count);

    /** Copies {@code count} ints into an INT32 tensor. */
    void copyFromHost(int[] src, int srcOffset, Tensor dst, long dstOffset, int count);

    /** Copies {@code count} floats from {@code src} at element {@code srcOffset} to the host; waits for pending kernels. */
    void copyToHost(Tensor src, long srcOffset, float[] dst, int dstOffset, int count);

    /** Copies {@code count} ints from an INT32 tensor to the host; waits for pending kernels. */
    void copyToHost(Tensor src, long srcOffset, int[] dst, int dstOffset, int count);

    /**
     * Copies {@code src.remaining()} floats, from its position, into {@code dst} at element {@code dstOffset}. The
     * buffer's position is not changed. The buffer may be reused by the caller as soon as this returns.
     */
    void copyFromBuffer(FloatBuffer src, Tensor dst, long dstOffset);

    /**
     * Copies {@code dst.remaining()} floats from {@code src} at {@code srcOffset} into {@code dst} from its position;
     * waits. The buffer's position is not changed.
     */
    void copyToBuffer(Tensor src, long srcOffset, FloatBuffer dst);

    /** {@code dst = src}: same size and dtype, both on this device. */
    void copy(Tensor src, Tensor dst);

    /** Sets every element to {@code value} (converted with Java's {@code (int) value} for INT32 tensors). */
    void fill(Tensor t, float value);

    // ---- linear algebra --------------------------------------------------------------------------------------

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} on 2-D float tensors, where {@code op(X)} is {@code X} or its
     * transpose. {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is {@code m x n}. When
     * {@code beta == 0}, C is not read (NaNs in it do not propagate). C must not be A or B.
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /** {@code out[i, j] = x[i, j] + bias[j]} for {@code x, out: [rows, cols]}, {@code bias: [cols]}. */
    void addBias(Tensor x, Tensor bias, Tensor out);

    /** {@code out[j] = sum_i x[i, j]} for {@code x: [rows, cols]}, {@code out: [cols]} (the bias gradient). */
    void columnSums(Tensor x, Tensor out);

    // ---- element-wise (all tensors the same size) -------------------------------------------------------------

    /** {@code out = a + b}. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code out = a * b}, element by element. */
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code out = alpha * x}. */
    void scale(float alpha, Tensor x, Tensor out);

    /** {@code y = y + alpha * x}. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** {@code out = max(x, 0)}. */
    void relu(Tensor x, Tensor out);

    /**
     * {@code gradIn = x > 0 ? gradOut : 0}, where {@code x} is the ReLU's input or its output (the sign agrees).
     */
    void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn);

    // ---- loss and metrics -------------------------------------------------------------------------------------

    /**
     * Softmax cross-entropy, mean over the batch: {@code loss[0] = (1/N) sum_i -log softmax(logits[i])[labels[i]]},
     * computed stably (max subtracted). {@code logits: [N, C]} float, {@code labels: [N]} INT32 with values in
     * {@code [0, C)}, {@code loss: [1]} float. A label outside the range is an error where the backend can check it
     * cheaply; elsewhere it must not read or write out of bounds.
     */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss);

    /**
     * Its gradient: {@code grad[i, j] = (softmax(logits[i])[j] - (j == labels[i] ? 1 : 0)) / N}; grad is {@code [N, C]}
     * and must not share memory with logits: not in place, so kernels may read a row's logits after writing its grad.
     */
    void softmaxCrossEntropyBackward(Tensor logits, Tensor labels, Tensor grad);

    /**
     * Accuracy without reading logits back: {@code count[0] += } the number of rows {@code i} whose arg-max (the
     * lowest index among ties) equals {@code labels[i]}. {@code count: [1]} float (exact up to 2^24).
     */
    void countCorrect(Tensor logits, Tensor labels, Tensor count);

    // ---- optimizers -------------------------------------------------------------------------------------------

    /**
     * One SGD step in place, with PyTorch's semantics (dampening 0, no Nesterov): {@code g = grad + weightDecay * param};
     * if {@code momentum != 0}: {@code velocity = momentum * velocity + g}, {@code g = velocity};
     * {@code param -= lr * g}. {@code velocity} (zeros at the start) may be null when {@code momentum == 0}.
     */
    void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay);
}
