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

    /**
     * Copies {@code count} floats from {@code src[srcOffset..]} into {@code dst} starting at element {@code dstOffset}.
     *
     * @param src the host array to read
     * @param srcOffset the first array index read
     * @param dst the FLOAT32 tensor written
     * @param dstOffset the first element of {@code dst} written
     * @param count the number of floats, {@code >= 0}
     */
    void copyFromHost(float[] src, int srcOffset, Tensor dst, long dstOffset, int count);

    /**
     * Copies {@code count} ints into an INT32 tensor.
     *
     * @param src the host array to read
     * @param srcOffset the first array index read
     * @param dst the INT32 tensor written
     * @param dstOffset the first element of {@code dst} written
     * @param count the number of ints, {@code >= 0}
     */
    void copyFromHost(int[] src, int srcOffset, Tensor dst, long dstOffset, int count);

    /**
     * Copies {@code count} floats from {@code src} at element {@code srcOffset} to the host; waits for pending kernels.
     *
     * @param src the FLOAT32 tensor read
     * @param srcOffset the first element of {@code src} read
     * @param dst the host array written
     * @param dstOffset the first array index written
     * @param count the number of floats, {@code >= 0}
     */
    void copyToHost(Tensor src, long srcOffset, float[] dst, int dstOffset, int count);

    /**
     * Copies {@code count} ints from an INT32 tensor to the host; waits for pending kernels.
     *
     * @param src the INT32 tensor read
     * @param srcOffset the first element of {@code src} read
     * @param dst the host array written
     * @param dstOffset the first array index written
     * @param count the number of ints, {@code >= 0}
     */
    void copyToHost(Tensor src, long srcOffset, int[] dst, int dstOffset, int count);

    /**
     * Copies {@code src.remaining()} floats, from its position, into {@code dst} at element {@code dstOffset}. The
     * buffer's position is not changed. The buffer may be reused by the caller as soon as this returns.
     *
     * @param src the floats to copy, from its position to its limit
     * @param dst the FLOAT32 tensor written
     * @param dstOffset the first element of {@code dst} written
     */
    void copyFromBuffer(FloatBuffer src, Tensor dst, long dstOffset);

    /**
     * Copies {@code dst.remaining()} floats from {@code src} at {@code srcOffset} into {@code dst} from its position;
     * waits. The buffer's position is not changed.
     *
     * @param src the FLOAT32 tensor read
     * @param srcOffset the first element of {@code src} read
     * @param dst the buffer filled from its position to its limit
     */
    void copyToBuffer(Tensor src, long srcOffset, FloatBuffer dst);

    /**
     * {@code dst = src}: same size and dtype, both on this device.
     *
     * @param src the tensor read
     * @param dst the tensor written
     */
    void copy(Tensor src, Tensor dst);

    /**
     * Sets every element to {@code value} (converted with Java's {@code (int) value} for INT32 tensors).
     *
     * @param t the tensor overwritten, FLOAT32 or INT32
     * @param value the value of every element
     */
    void fill(Tensor t, float value);

    // ---- linear algebra --------------------------------------------------------------------------------------

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} on 2-D float tensors, where {@code op(X)} is {@code X} or its
     * transpose. {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is {@code m x n}. When
     * {@code beta == 0}, C is not read (NaNs in it do not propagate). C must not be A or B.
     *
     * @param transA whether {@code op(A)} is the transpose of {@code a}
     * @param transB whether {@code op(B)} is the transpose of {@code b}
     * @param alpha the product's factor
     * @param a the left operand
     * @param b the right operand
     * @param beta the factor of C's previous contents; 0 overwrites C
     * @param c the result, read unless {@code beta == 0}
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * {@code out[i, j] = x[i, j] + bias[j]} for {@code x, out: [rows, cols]}, {@code bias: [cols]}.
     *
     * @param x the input {@code [rows, cols]}
     * @param bias the row added, {@code [cols]}
     * @param out the result {@code [rows, cols]}; may be {@code x}
     */
    void addBias(Tensor x, Tensor bias, Tensor out);

    /**
     * {@code out[j] = sum_i x[i, j]} for {@code x: [rows, cols]}, {@code out: [cols]} (the bias gradient).
     *
     * @param x the input {@code [rows, cols]}
     * @param out the sums {@code [cols]}, overwritten
     */
    void columnSums(Tensor x, Tensor out);

    // ---- element-wise (all tensors the same size) -------------------------------------------------------------

    /**
     * {@code out = a + b}.
     *
     * @param a the first operand
     * @param b the second operand
     * @param out the sum
     */
    void add(Tensor a, Tensor b, Tensor out);

    /**
     * {@code out = a * b}, element by element.
     *
     * @param a the first operand
     * @param b the second operand
     * @param out the product
     */
    void mul(Tensor a, Tensor b, Tensor out);

    /**
     * {@code out = alpha * x}.
     *
     * @param alpha the factor
     * @param x the input
     * @param out the result
     */
    void scale(float alpha, Tensor x, Tensor out);

    /**
     * {@code y = y + alpha * x}.
     *
     * @param alpha the factor of {@code x}
     * @param x the tensor added
     * @param y the accumulator, updated in place
     */
    void axpy(float alpha, Tensor x, Tensor y);

    /**
     * {@code out = max(x, 0)}, as {@code Math.max}: NaN stays NaN (as in PyTorch, so a diverged value is not hidden),
     * {@code -0} gives {@code +0}, {@code -inf} gives 0. The conformance kit checks all three.
     *
     * @param x the input
     * @param out the result; may be {@code x}
     */
    void relu(Tensor x, Tensor out);

    /**
     * {@code gradIn = x > 0 ? gradOut : 0}, where {@code x} is the ReLU's input or its output (the sign agrees).
     * Where {@code x} is NaN or either zero, {@code gradIn} is 0 even if {@code gradOut} is NaN (on every built-in
     * backend: the comparison is false); where {@code x > 0} a NaN {@code gradOut} passes through.
     *
     * @param x the ReLU's input or output
     * @param gradOut the gradient of the ReLU's output
     * @param gradIn the gradient of its input, overwritten; may be {@code gradOut}
     */
    void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn);

    // ---- loss and metrics -------------------------------------------------------------------------------------

    /**
     * Softmax cross-entropy, mean over the batch: {@code loss[0] = (1/N) sum_i -log softmax(logits[i])[labels[i]]},
     * computed stably (max subtracted). {@code logits: [N, C]} float, {@code labels: [N]} INT32 with values in
     * {@code [0, C)}, {@code loss: [1]} float. A label outside the range is an error where the backend can check it
     * cheaply; elsewhere it must not read or write out of bounds.
     *
     * <p>Out-of-range labels are not checked by {@link CheckedKernels} (that would read the labels back from the
     * device); what happens is the raw kernel's: the {@code cpu} backend throws {@link IllegalArgumentException}
     * ({@code "label 12 at row 3 is outside 0..9"}) from this call, before {@code loss} is written; the OpenCL backends
     * throw nothing and write NaN to {@code loss} (seen only when it is read, e.g. {@link Tensor#item()}). The data
     * loaders ({@code io.tessera.data.IdxReader}, {@code InMemoryDataset}) reject such labels when a data set is read.
     *
     * @param logits the unnormalised scores {@code [N, C]}
     * @param labels the class of each row {@code [N]}, INT32
     * @param loss the mean loss {@code [1]}, overwritten
     */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss);

    /**
     * Its gradient: {@code grad[i, j] = (softmax(logits[i])[j] - (j == labels[i] ? 1 : 0)) / N}; grad is {@code [N, C]}
     * and must not share memory with logits: not in place, so kernels may read a row's logits after writing its grad.
     * An out-of-range label, unchecked by {@link CheckedKernels}: the {@code cpu} backend throws
     * {@link IllegalArgumentException} from this call (rows before it may already be written); the OpenCL backends
     * fill that row of {@code grad} with NaN, so the error shows as a NaN loss, never as a plausible gradient. None of
     * them throws later.
     *
     * @param logits the unnormalised scores {@code [N, C]}
     * @param labels the class of each row {@code [N]}, INT32
     * @param grad the gradient of the mean loss {@code [N, C]}, overwritten
     */
    void softmaxCrossEntropyBackward(Tensor logits, Tensor labels, Tensor grad);

    /**
     * Accuracy without reading logits back: {@code count[0] += } the number of rows {@code i} whose arg-max (the
     * lowest index among ties) equals {@code labels[i]}. {@code count: [1]} float (exact up to 2^24).
     *
     * <p>The arg-max is the scan {@code best = 0; for j in 1..C-1: if (logits[i, j] > logits[i, best]) best = j}, on
     * every built-in backend and in the kit's reference. So NaN is never chosen by comparison, unlike
     * {@link #reduceMax}: a NaN in column 0 makes the arg-max 0 (nothing compares greater), a NaN elsewhere is skipped;
     * a row of NaNs counts as correct exactly when its label is 0. A label outside {@code [0, C)} never equals the
     * arg-max: the row is not counted, and no backend throws.
     *
     * @param logits the scores {@code [N, C]}
     * @param labels the class of each row {@code [N]}, INT32
     * @param count the running count {@code [1]}, incremented (not overwritten)
     */
    void countCorrect(Tensor logits, Tensor labels, Tensor count);

    // ---- optimizers -------------------------------------------------------------------------------------------

    /**
     * One SGD step in place, with PyTorch's semantics (dampening 0, no Nesterov): {@code g = grad + weightDecay * param};
     * if {@code momentum != 0}: {@code velocity = momentum * velocity + g}, {@code g = velocity};
     * {@code param -= lr * g}. {@code velocity} (zeros at the start) may be null when {@code momentum == 0}.
     *
     * @param param the parameter, updated in place
     * @param grad its gradient, read only
     * @param velocity the momentum buffer of {@code param}'s size, updated in place; null when {@code momentum == 0}
     * @param lr the learning rate
     * @param momentum the momentum factor, 0 for none
     * @param weightDecay the L2 penalty, 0 for none
     */
    void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay);

    // ---- convolution and pooling (NCHW; added with the CNN kernels, so they have defaults that refuse) ----------

    /**
     * 2-D cross-correlation, as PyTorch's {@code conv2d}:
     * {@code output[n, o, y, x] = bias[o] + sum_{c, i, j} weight[o, c, i, j] * input[n, c, y*sH - pH + i, x*sW - pW + j]},
     * padded positions reading 0. {@code input: [N, C, H, W]}, {@code weight: [O, C, kH, kW]} (matching the window's
     * kernel size), {@code bias: [O]} or null for none, {@code output: [N, O, outH, outW]}. The output must not share
     * memory with the other tensors. Implementations may use im2col + GEMM, a direct loop or anything equivalent.
     *
     * @param input the images {@code [N, C, H, W]}
     * @param weight the filters {@code [O, C, kH, kW]}
     * @param bias one value per output channel {@code [O]}, or null
     * @param output the result {@code [N, O, outH, outW]}, overwritten
     * @param window the kernel size, stride and padding
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void conv2d(Tensor input, Tensor weight, Tensor bias, Tensor output, Window2d window) {
        throw missing("conv2d");
    }

    /**
     * The gradient of {@link #conv2d} with respect to its input, overwriting {@code gradInput: [N, C, H, W]} (the
     * input's shape; positions no window covers get 0). {@code gradOutput: [N, O, outH, outW]},
     * {@code weight: [O, C, kH, kW]}. {@code gradInput} must not share memory with the other tensors.
     *
     * @param gradOutput the gradient of the output {@code [N, O, outH, outW]}
     * @param weight the filters {@code [O, C, kH, kW]}
     * @param gradInput the gradient of the input {@code [N, C, H, W]}, overwritten
     * @param window the forward pass's window
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void conv2dBackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Window2d window) {
        throw missing("conv2dBackwardInput");
    }

    /**
     * The gradients of {@link #conv2d} with respect to its weight and bias, summed over the batch, overwriting
     * {@code gradWeight: [O, C, kH, kW]} and {@code gradBias: [O]} (null: not computed). {@code input: [N, C, H, W]},
     * {@code gradOutput: [N, O, outH, outW]}. The gradients must not share memory with the other tensors.
     *
     * @param input the forward pass's input {@code [N, C, H, W]}
     * @param gradOutput the gradient of the output {@code [N, O, outH, outW]}
     * @param gradWeight the gradient of the filters {@code [O, C, kH, kW]}, overwritten
     * @param gradBias the gradient of the bias {@code [O]}, overwritten, or null
     * @param window the forward pass's window
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void conv2dBackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias, Window2d window) {
        throw missing("conv2dBackwardWeight");
    }

    /**
     * 2-D max pooling: {@code output[n, c, y, x]} is the largest input value in the window at {@code (y, x)}, padded
     * positions never chosen; {@code indices} (INT32, the output's shape) receives where it came from, as the flat index
     * {@code h * W + w} in the input's {@code [H, W]} plane (PyTorch's {@code return_indices}). Among equal values the
     * first in row-major window order wins; a NaN in the window is chosen (it propagates; with several NaNs, the
     * index is that of one of them). The window's padding must be
     * at most half its kernel size, so every window holds an input position. {@code input: [N, C, H, W]},
     * {@code output, indices: [N, C, outH, outW]}; neither output may share memory with the input.
     *
     * @param input the images {@code [N, C, H, W]}
     * @param output the maxima {@code [N, C, outH, outW]}, overwritten
     * @param indices where each maximum came from, INT32 of the output's shape, overwritten
     * @param window the kernel size, stride and padding
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void maxPool2d(Tensor input, Tensor output, Tensor indices, Window2d window) {
        throw missing("maxPool2d");
    }

    /**
     * The gradient of {@link #maxPool2d}: overwrites {@code gradInput: [N, C, H, W]} with, at each input position, the
     * sum of {@code gradOutput} over the output positions whose index points at it (0 where none does). Overlapping
     * windows (stride below the kernel size) may point several outputs at one input; the sum must not lose any.
     * {@code gradInput} must not share memory with the other tensors.
     *
     * @param gradOutput the gradient of the output {@code [N, C, outH, outW]}
     * @param indices the forward pass's indices
     * @param gradInput the gradient of the input {@code [N, C, H, W]}, overwritten
     * @param window the forward pass's window
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void maxPool2dBackward(Tensor gradOutput, Tensor indices, Tensor gradInput, Window2d window) {
        throw missing("maxPool2dBackward");
    }

    // ---- batch normalisation over the channel axis (dim 1) ---------------------------------------------------

    /**
     * Batch normalisation in training mode, as PyTorch's {@code BatchNorm1d/2d}. {@code input} is {@code [N, C]},
     * {@code [N, C, L]} or {@code [N, C, H, W]}; statistics are per channel {@code c} over the other axes
     * ({@code M = size / C} values, {@code M >= 2}). With the batch mean {@code mu} and biased variance {@code var}:
     * {@code output = gamma[c] * (input - mu) * invStd + beta[c]} where {@code invStd = 1 / sqrt(var + eps)};
     * {@code saveMean[c] = mu}, {@code saveInvStd[c] = invStd} (for the backward pass);
     * {@code runningMean = (1 - momentum) * runningMean + momentum * mu} and
     * {@code runningVar = (1 - momentum) * runningVar + momentum * var * M / (M - 1)} (unbiased), in place.
     * {@code gamma, beta, runningMean, runningVar, saveMean, saveInvStd: [C]}. The output may be the input (in place).
     *
     * @param input the batch
     * @param gamma the per-channel scale
     * @param beta the per-channel shift
     * @param runningMean the running mean, updated in place
     * @param runningVar the running (unbiased) variance, updated in place
     * @param momentum the running statistics' update factor, in {@code [0, 1]}
     * @param eps added to the variance, {@code > 0}
     * @param output the normalised batch, overwritten
     * @param saveMean receives the batch mean per channel
     * @param saveInvStd receives {@code 1 / sqrt(var + eps)} per channel
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void batchNormTrain(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            float momentum, float eps, Tensor output, Tensor saveMean, Tensor saveInvStd) {
        throw missing("batchNormTrain");
    }

    /**
     * Batch normalisation in evaluation mode:
     * {@code output = gamma[c] * (input - runningMean[c]) / sqrt(runningVar[c] + eps) + beta[c]}. Shapes as
     * {@link #batchNormTrain}, except that one value per channel is enough (a single sample, as in prediction); the
     * running statistics are not changed. The output may be the input.
     *
     * @param input the batch
     * @param gamma the per-channel scale
     * @param beta the per-channel shift
     * @param runningMean the running mean, read only
     * @param runningVar the running variance, read only
     * @param eps added to the variance, {@code > 0}
     * @param output the normalised batch, overwritten
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void batchNormEval(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps,
            Tensor output) {
        throw missing("batchNormEval");
    }

    /**
     * The gradients of {@link #batchNormTrain} from its saved statistics, with {@code xhat = (input - saveMean) * saveInvStd}:
     * {@code gradBeta[c] = sum gradOutput}, {@code gradGamma[c] = sum gradOutput * xhat},
     * {@code gradInput = gamma[c] * saveInvStd[c] / M * (M * gradOutput - gradBeta[c] - xhat * gradGamma[c])}, sums over
     * the {@code M} values of channel {@code c}. All three outputs are overwritten and must not share memory with the
     * inputs or each other.
     *
     * @param input the forward pass's input
     * @param gradOutput the gradient of the output
     * @param gamma the per-channel scale
     * @param saveMean the forward pass's {@code saveMean}
     * @param saveInvStd the forward pass's {@code saveInvStd}
     * @param gradInput the gradient of the input, overwritten
     * @param gradGamma the gradient of {@code gamma}, overwritten
     * @param gradBeta the gradient of {@code beta}, overwritten
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void batchNormBackward(Tensor input, Tensor gradOutput, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
            Tensor gradInput, Tensor gradGamma, Tensor gradBeta) {
        throw missing("batchNormBackward");
    }

    // ---- dropout ------------------------------------------------------------------------------------------------

    /**
     * Fills a dropout mask: {@code mask[i] = u(seed, offset + i) < p ? 0 : 1 / (1 - p)} with {@code 0 <= p < 1}, so
     * that {@code input * mask} is inverted dropout. {@code u} is bit-exact on every backend: Philox4x32-10 keyed by
     * {@code (key0, key1) = (low, high 32 bits of seed)}, counter {@code (low, high 32 bits of j / 4, 0, 0)} for the
     * element {@code j = offset + i}, whose lane {@code j % 4} of the four output words, {@code w}, gives
     * {@code u = (w >>> 8) * 2^-24}. Multipliers {@code 0xD2511F53, 0xCD9E8D57}, key increments
     * {@code 0x9E3779B9, 0xBB67AE85}; {@code io.tessera.spi.Philox} is the reference. {@code offset >= 0}.
     *
     * @param mask the FLOAT32 tensor overwritten
     * @param p the drop probability, in {@code [0, 1)}
     * @param seed the Philox key
     * @param offset the counter of the mask's first element, {@code >= 0}
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void dropoutMask(Tensor mask, float p, long seed, long offset) {
        throw missing("dropoutMask");
    }

    // ---- Adam ---------------------------------------------------------------------------------------------------

    /**
     * One Adam step in place, with PyTorch's semantics ({@code torch.optim.Adam}, L2 weight decay added to the
     * gradient, no AMSGrad): {@code g = grad + weightDecay * param}; {@code m = beta1 * m + (1 - beta1) * g};
     * {@code v = beta2 * v + (1 - beta2) * g * g};
     * {@code param -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)}, where {@code bc1 = 1 - beta1^step} and
     * {@code bc2 = 1 - beta2^step} are computed in double precision on the host and rounded to float once.
     * Exactly, as every built-in backend does: {@code bc1 = (float) (1.0 - Math.pow(beta1, step))} with the float
     * {@code beta1} widened to double (so {@code 0.9f}, not {@code 0.9}), likewise {@code bc2}; then, in float,
     * {@code lr / bc1} and {@code (float) Math.sqrt(bc2)}; everything per element is float. The conformance kit
     * ({@code AdamConformanceTest}) compares with a double-precision step from the same float-rounded {@code bc1, bc2},
     * within the kit's tolerance for 4 terms ({@code param}), 2 ({@code m}) and 3 ({@code v}), the magnitudes including
     * {@code |param|}. A backend that computes {@code 1 - beta^step} in float instead adds a relative error of about
     * {@code 2^-24 / bc} to it, largest in early steps when {@code beta2^step} is close to 1; the reference does not
     * allow for that error.
     * {@code step >= 1} counts this step; {@code m} and {@code v} start at zeros. {@code param}, {@code m} and {@code v}
     * must not share memory with each other, nor {@code grad} with {@code m} or {@code v}.
     *
     * @param param the parameter, updated in place
     * @param grad its gradient, read only
     * @param m the first moment estimate, updated in place
     * @param v the second moment estimate, updated in place
     * @param lr the learning rate
     * @param beta1 the first moment's decay rate, in {@code [0, 1)}
     * @param beta2 the second moment's decay rate, in {@code [0, 1)}
     * @param eps added to the denominator, {@code > 0}
     * @param weightDecay the L2 penalty, 0 for none
     * @param step the 1-based number of this step
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, int step) {
        throw missing("adamStep");
    }

    // ---- tensor algebra (added with autograd, so they have defaults that refuse) --------------------------------

    /**
     * {@code out[i] = f(x[i], alpha)} for every element; {@code x} and {@code out} float of the same size, in place
     * allowed. Transcendental functions must meet the kit's tolerances (full-precision {@code exp}, {@code log},
     * {@code tanh}, {@code pow}; no fast-math).
     *
     * @param f the function
     * @param alpha its parameter (ignored by functions that take none)
     * @param x the input
     * @param out the result
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void unary(UnaryFunction f, float alpha, Tensor x, Tensor out) {
        throw missing("unary");
    }

    /**
     * {@code gradIn[i] = gradOut[i] * f'(x[i], alpha)}, the derivative recomputed from the forward input {@code x};
     * all three float of the same size; {@code gradIn} may be {@code gradOut} (in place) but not {@code x}.
     *
     * @param f the forward function
     * @param alpha its parameter
     * @param x the forward input
     * @param gradOut the gradient of the output
     * @param gradIn the gradient of the input, overwritten
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void unaryBackward(UnaryFunction f, float alpha, Tensor x, Tensor gradOut, Tensor gradIn) {
        throw missing("unaryBackward");
    }

    /**
     * Broadcasting element-wise arithmetic: {@code out[i] = f(a[(i / aInner) % a.size()], b[(i / bInner) % b.size()])}
     * for every element {@code i} of {@code out}. An operand of {@code out}'s size with inner 1 is read element by
     * element; a row vector {@code [C]} over {@code [N, C]} has inner 1; a column {@code [N, 1]} over {@code [N, C]} has
     * inner {@code C}; a per-channel {@code [C]} over {@code [N, C, H, W]} has inner {@code H * W}; a scalar has size 1.
     * {@code out.size()} is a multiple of {@code a.size() * aInner} and of {@code b.size() * bInner}. All float; out may
     * be {@code a} or {@code b} when that operand has out's size.
     *
     * @param f the function
     * @param a the first operand
     * @param aInner the number of consecutive outputs that share one element of {@code a}, {@code >= 1}
     * @param b the second operand
     * @param bInner as {@code aInner}, for {@code b}
     * @param out the result
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void binary(BinaryFunction f, Tensor a, int aInner, Tensor b, int bInner, Tensor out) {
        throw missing("binary");
    }

    /**
     * Sum along an axis: {@code x}, seen as {@code [outer, n, inner]}, gives {@code out[o * inner + k] = sum_j x[o, j, k]}
     * ({@code out} has {@code outer * inner} elements; {@code n * inner} divides {@code x.size()}). Float; out must not
     * share memory with x. The order of the additions is the backend's (results within the kit's tolerance for n terms).
     *
     * @param x the input
     * @param n the length of the summed axis
     * @param inner the product of the sizes after it
     * @param out the sums, overwritten
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void reduceSum(Tensor x, int n, int inner, Tensor out) {
        throw missing("reduceSum");
    }

    /**
     * Maximum along an axis, {@code x} seen as {@code [outer, n, inner]}: {@code out[o * inner + k] = max_j x[o, j, k]}
     * and {@code indices[o * inner + k]} (INT32, out's size) the {@code j} it came from: the lowest among equal values;
     * a NaN is chosen (it propagates). {@code out} and {@code indices} must not share memory with x.
     *
     * @param x the input
     * @param n the length of the reduced axis
     * @param inner the product of the sizes after it
     * @param out the maxima, overwritten
     * @param indices the positions along the axis, overwritten
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void reduceMax(Tensor x, int n, int inner, Tensor out, Tensor indices) {
        throw missing("reduceMax");
    }

    /**
     * The gradient of {@link #reduceMax}: overwrites {@code gradIn}, seen as {@code [outer, n, inner]}, with 0 except
     * {@code gradIn[o, indices[o * inner + k], k] = gradOut[o * inner + k]}. {@code gradIn} must not share memory with
     * the other tensors; an index outside {@code [0, n)} must not write out of bounds.
     *
     * @param gradOut the gradient of the maxima
     * @param indices the forward pass's indices
     * @param n the length of the reduced axis
     * @param inner the product of the sizes after it
     * @param gradIn the gradient of the input, overwritten
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void reduceMaxBackward(Tensor gradOut, Tensor indices, int n, int inner, Tensor gradIn) {
        throw missing("reduceMaxBackward");
    }

    /**
     * Copies an {@code n0 x n1 x n2} block: {@code dst[dstAt.index(i, j, k)] = src[srcAt.index(i, j, k)]} (slices,
     * concatenation and transposes are such blocks). Both tensors float; every index touched lies inside its tensor;
     * {@code dst} must not be {@code src} and the destination indices must be distinct.
     *
     * @param src the tensor read
     * @param srcAt the source element of each block position
     * @param dst the tensor written
     * @param dstAt the destination element of each block position
     * @param n0 the block's first extent
     * @param n1 its second extent
     * @param n2 its third (innermost) extent
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void copyStrided(Tensor src, Strides srcAt, Tensor dst, Strides dstAt, int n0, int n1, int n2) {
        throw missing("copyStrided");
    }

    /**
     * Embedding lookup: {@code out[i, :] = table[indices[i], :]} for {@code table: [V, D]} float, {@code indices: [N]}
     * INT32, {@code out: [N, D]} float. An index outside {@code [0, V)} is an error where the backend can check it
     * cheaply; elsewhere it must not read out of bounds (the row is then 0). {@code out} must not be {@code table}.
     *
     * @param table the rows looked up {@code [V, D]}
     * @param indices the row of each output {@code [N]}
     * @param out the rows gathered {@code [N, D]}, overwritten
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void gatherRows(Tensor table, Tensor indices, Tensor out) {
        throw missing("gatherRows");
    }

    /**
     * The gradient of {@link #gatherRows}, accumulated: {@code table[indices[i], :] += grad[i, :]} for every {@code i},
     * repeated indices summing (none lost; the order of the additions for one row is ascending {@code i}, so results
     * repeat exactly). {@code grad: [N, D]}, {@code indices: [N]} INT32, {@code table: [V, D]}; out-of-range indices as
     * {@link #gatherRows}, never writing out of bounds.
     *
     * @param grad the rows added {@code [N, D]}
     * @param indices the table row of each {@code [N]}
     * @param table the accumulator {@code [V, D]}, updated in place
     * @throws UnsupportedOperationException by default, for a backend that does not implement it
     */
    default void scatterAddRows(Tensor grad, Tensor indices, Tensor table) {
        throw missing("scatterAddRows");
    }

    private UnsupportedOperationException missing(String kernel) {
        return new UnsupportedOperationException(getClass().getName() + " does not implement the " + kernel
                + " kernel (added to the SPI after the first release); the conformance kit fails until it does");
    }
}
