package io.tessera.tck.reference;

import io.tessera.Tensor;
import io.tessera.spi.Kernels;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** Raw single-precision kernels over {@link ReferenceMemory}; arguments arrive validated by {@code CheckedKernels}. */
final class ReferenceKernels implements Kernels {

    private static float[] f(Tensor t) {
        return ((ReferenceMemory) t.memory()).floats();
    }

    private static int[] i(Tensor t) {
        return ((ReferenceMemory) t.memory()).ints();
    }

    private static int n(Tensor t) {
        return t.shape().sizeAsInt();
    }

    @Override
    public void copyFromHost(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        System.arraycopy(src, srcOffset, f(dst), (int) dstOffset, count);
    }

    @Override
    public void copyFromHost(int[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        System.arraycopy(src, srcOffset, i(dst), (int) dstOffset, count);
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
        System.arraycopy(f(src), (int) srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, int[] dst, int dstOffset, int count) {
        System.arraycopy(i(src), (int) srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyFromBuffer(FloatBuffer src, Tensor dst, long dstOffset) {
        src.duplicate().get(f(dst), (int) dstOffset, src.remaining());
    }

    @Override
    public void copyToBuffer(Tensor src, long srcOffset, FloatBuffer dst) {
        dst.duplicate().put(f(src), (int) srcOffset, dst.remaining());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        ReferenceMemory from = (ReferenceMemory) src.memory();
        ReferenceMemory to = (ReferenceMemory) dst.memory();
        if (from.floats() != null) {
            System.arraycopy(from.floats(), 0, to.floats(), 0, n(src));
        } else {
            System.arraycopy(from.ints(), 0, to.ints(), 0, n(src));
        }
    }

    @Override
    public void fill(Tensor t, float value) {
        ReferenceMemory m = (ReferenceMemory) t.memory();
        if (m.floats() != null) {
            Arrays.fill(m.floats(), 0, n(t), value);
        } else {
            Arrays.fill(m.ints(), 0, n(t), (int) value);
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        float[] x = f(a);
        float[] y = f(b);
        float[] z = f(c);
        int aCols = a.shape().dim(1);
        int bCols = b.shape().dim(1);
        int m = c.shape().dim(0);
        int n = c.shape().dim(1);
        int k = transA ? a.shape().dim(0) : aCols;
        for (int r = 0; r < m; r++) {
            for (int col = 0; col < n; col++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? x[p * aCols + r] : x[r * aCols + p];
                    float bv = transB ? y[col * bCols + p] : y[p * bCols + col];
                    sum += av * bv;
                }
                int at = r * n + col;
                z[at] = beta == 0f ? alpha * sum : alpha * sum + beta * z[at];
            }
        }
    }

    @Override
    public void addBias(Tensor x, Tensor bias, Tensor out) {
        float[] in = f(x);
        float[] b = f(bias);
        float[] o = f(out);
        int cols = x.shape().dim(1);
        for (int at = 0; at < n(x); at++) {
            o[at] = in[at] + b[at % cols];
        }
    }

    @Override
    public void columnSums(Tensor x, Tensor out) {
        float[] in = f(x);
        float[] o = f(out);
        int rows = x.shape().dim(0);
        int cols = x.shape().dim(1);
        for (int col = 0; col < cols; col++) {
            float sum = 0f;
            for (int r = 0; r < rows; r++) {
                sum += in[r * cols + col];
            }
            o[col] = sum;
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        float[] x = f(a);
        float[] y = f(b);
        float[] o = f(out);
        for (int at = 0; at < n(a); at++) {
            o[at] = x[at] + y[at];
        }
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        float[] x = f(a);
        float[] y = f(b);
        float[] o = f(out);
        for (int at = 0; at < n(a); at++) {
            o[at] = x[at] * y[at];
        }
    }

    @Override
    public void scale(float alpha, Tensor x, Tensor out) {
        float[] in = f(x);
        float[] o = f(out);
        for (int at = 0; at < n(x); at++) {
            o[at] = alpha * in[at];
        }
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        float[] in = f(x);
        float[] o = f(y);
        for (int at = 0; at < n(x); at++) {
            o[at] += alpha * in[at];
        }
    }

    @Override
    public void relu(Tensor x, Tensor out) {
        float[] in = f(x);
        float[] o = f(out);
        for (int at = 0; at < n(x); at++) {
            o[at] = in[at] > 0f ? in[at] : 0f;
        }
    }

    @Override
    public void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        float[] in = f(x);
        float[] g = f(gradOut);
        float[] o = f(gradIn);
        for (int at = 0; at < n(x); at++) {
            o[at] = in[at] > 0f ? g[at] : 0f;
        }
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) {
        float[] z = f(logits);
        int[] y = i(labels);
        int rows = logits.shape().dim(0);
        int cols = logits.shape().dim(1);
        float total = 0f;
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            float max = rowMax(z, base, cols);
            float sum = 0f;
            for (int col = 0; col < cols; col++) {
                sum += (float) Math.exp(z[base + col] - max);
            }
            total += (float) Math.log(sum) - (z[base + label(y[r], cols)] - max);
        }
        f(loss)[0] = total / rows;
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor logits, Tensor labels, Tensor grad) {
        float[] z = f(logits);
        int[] y = i(labels);
        float[] g = f(grad);
        int rows = logits.shape().dim(0);
        int cols = logits.shape().dim(1);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            float max = rowMax(z, base, cols);
            float sum = 0f;
            for (int col = 0; col < cols; col++) {
                sum += (float) Math.exp(z[base + col] - max);
            }
            int target = label(y[r], cols);
            for (int col = 0; col < cols; col++) {
                float p = (float) Math.exp(z[base + col] - max) / sum;
                g[base + col] = (p - (col == target ? 1f : 0f)) / rows;
            }
        }
    }

    @Override
    public void countCorrect(Tensor logits, Tensor labels, Tensor count) {
        float[] z = f(logits);
        int[] y = i(labels);
        int rows = logits.shape().dim(0);
        int cols = logits.shape().dim(1);
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int col = 1; col < cols; col++) {
                if (z[r * cols + col] > z[r * cols + best]) {
                    best = col;
                }
            }
            if (best == y[r]) {
                correct++;
            }
        }
        f(count)[0] += correct;
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay) {
        float[] p = f(param);
        float[] g = f(grad);
        float[] v = velocity == null ? null : f(velocity);
        for (int at = 0; at < n(param); at++) {
            float step = g[at] + weightDecay * p[at];
            if (v != null) {
                v[at] = momentum * v[at] + step;
                step = v[at];
            }
            p[at] -= lr * step;
        }
    }

    private static float rowMax(float[] z, int base, int cols) {
        float max = z[base];
        for (int col = 1; col < cols; col++) {
            max = Math.max(max, z[base + col]);
        }
        return max;
    }

    private static int label(int label, int cols) {
        if (label < 0 || label >= cols) {
            throw new IndexOutOfBoundsException("label " + label + " is outside [0, " + cols + ")");
        }
        return label;
    }
}
