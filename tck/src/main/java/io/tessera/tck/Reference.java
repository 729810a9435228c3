package io.tessera.tck;

/**
 * Plain-Java double-precision reference of every {@link io.tessera.spi.Kernels} computation, the oracle of the kit.
 * Inputs are the float32 values a kernel sees; results are exact up to double rounding. Matrices are row-major.
 */
public final class Reference {

    private Reference() {
    }

    /** {@code a + b}. */
    public static Expected add(float[] a, float[] b) {
        double[] v = new double[a.length];
        double[] m = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = (double) a[i] + b[i];
            m[i] = Math.abs(a[i]) + Math.abs(b[i]);
        }
        return vector(v, m);
    }

    /** {@code a * b}, element by element. */
    public static Expected mul(float[] a, float[] b) {
        double[] v = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = (double) a[i] * b[i];
        }
        return vector(v, abs(v));
    }

    /** {@code alpha * x}. */
    public static Expected scale(float alpha, float[] x) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = (double) alpha * x[i];
        }
        return vector(v, abs(v));
    }

    /** {@code y + alpha * x}. */
    public static Expected axpy(float alpha, float[] x, float[] y) {
        double[] v = new double[x.length];
        double[] m = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double ax = (double) alpha * x[i];
            v[i] = y[i] + ax;
            m[i] = Math.abs(y[i]) + Math.abs(ax);
        }
        return vector(v, m);
    }

    /** {@code max(x, 0)}. */
    public static Expected relu(float[] x) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = x[i] > 0 ? x[i] : 0;
        }
        return vector(v, abs(v));
    }

    /** {@code x > 0 ? gradOut : 0}. */
    public static Expected reluBackward(float[] x, float[] gradOut) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = x[i] > 0 ? gradOut[i] : 0;
        }
        return vector(v, abs(v));
    }

    /** {@code x[i, j] + bias[j]} for {@code x: [rows, cols]}. */
    public static Expected addBias(float[] x, int cols, float[] bias) {
        double[] v = new double[x.length];
        double[] m = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            float b = bias[i % cols];
            v[i] = (double) x[i] + b;
            m[i] = Math.abs(x[i]) + Math.abs(b);
        }
        return new Expected(v, m, 1, cols);
    }

    /** {@code sum_i x[i, j]} for {@code x: [rows, cols]}. */
    public static Expected columnSums(float[] x, int rows, int cols) {
        double[] v = new double[cols];
        double[] m = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                v[j] += x[i * cols + j];
                m[j] += Math.abs(x[i * cols + j]);
            }
        }
        return new Expected(v, m, rows, cols);
    }

    /**
     * {@code alpha * op(A) * op(B) + beta * C}; {@code A} is {@code aRows x aCols}, {@code B} is {@code bRows x bCols}
     * (before transposition). {@code C} is not read when {@code beta == 0}.
     */
    public static Expected gemm(boolean transA, boolean transB, float alpha, float[] a, int aRows, int aCols,
                                float[] b, int bRows, int bCols, float beta, float[] c) {
        int m = transA ? aCols : aRows;
        int k = transA ? aRows : aCols;
        int n = transB ? bRows : bCols;
        if ((transB ? bCols : bRows) != k) {
            throw new IllegalArgumentException("inner dimensions differ");
        }
        double[] v = new double[m * n];
        double[] mag = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double prod = (double) (transA ? a[p * aCols + i] : a[i * aCols + p]) * (transB ? b[j * bCols + p] : b[p * bCols + j]);
                    sum += prod;
                    abs += Math.abs(prod);
                }
                double old = beta == 0 ? 0 : (double) beta * c[i * n + j];
                v[i * n + j] = alpha * sum + old;
                mag[i * n + j] = Math.abs(alpha) * abs + Math.abs(old);
            }
        }
        return new Expected(v, mag, k, n);
    }

    /**
     * The mean softmax cross-entropy of {@code logits: [rows, cols]} against {@code labels}, one element. Each row's
     * magnitude is {@code log-sum-exp + |z[label] - max| + 1}: a relative error in the sum of exponentials becomes an
     * absolute error of its logarithm. Terms: {@code rows + cols} (a sum over the classes, then over the rows).
     */
    public static Expected softmaxCrossEntropy(float[] logits, int rows, int cols, int[] labels) {
        double total = 0;
        double mag = 0;
        for (int i = 0; i < rows; i++) {
            double max = rowMax(logits, i, cols);
            double lse = Math.log(expSum(logits, i, cols, max));
            double picked = logits[i * cols + labels[i]] - max;
            total += lse - picked;
            mag += Math.abs(lse) + Math.abs(picked) + 1;
        }
        return new Expected(new double[] {total / rows}, new double[] {mag / rows}, rows + cols, 1);
    }

    /** {@code (softmax(logits[i])[j] - onehot(labels[i])[j]) / rows}; terms: {@code cols} (the softmax denominator). */
    public static Expected softmaxCrossEntropyBackward(float[] logits, int rows, int cols, int[] labels) {
        double[] v = new double[rows * cols];
        double[] m = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            double max = rowMax(logits, i, cols);
            double sum = expSum(logits, i, cols, max);
            for (int j = 0; j < cols; j++) {
                double p = Math.exp(logits[i * cols + j] - max) / sum;
                double hot = j == labels[i] ? 1 : 0;
                v[i * cols + j] = (p - hot) / rows;
                m[i * cols + j] = (p + hot) / rows;
            }
        }
        return new Expected(v, m, cols, cols);
    }

    /** The index of the largest value in row {@code i}, the lowest among ties. */
    public static int argMax(float[] logits, int i, int cols) {
        int best = 0;
        for (int j = 1; j < cols; j++) {
            if (logits[i * cols + j] > logits[i * cols + best]) {
                best = j;
            }
        }
        return best;
    }

    /** The number of rows whose {@link #argMax} equals the label. */
    public static int countCorrect(float[] logits, int rows, int cols, int[] labels) {
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (argMax(logits, i, cols) == labels[i]) {
                n++;
            }
        }
        return n;
    }

    /**
     * One SGD step (PyTorch semantics): the new parameters and, where {@code velocity} is not null, the new velocity.
     *
     * @param param    the parameters before the step
     * @param velocity the velocity before the step, or null without momentum
     */
    public static Sgd sgdStep(float[] param, float[] grad, float[] velocity, float lr, float momentum, float weightDecay) {
        int n = param.length;
        double[] p = new double[n];
        double[] pm = new double[n];
        double[] v = new double[n];
        double[] vm = new double[n];
        for (int i = 0; i < n; i++) {
            double decay = (double) weightDecay * param[i];
            double g = grad[i] + decay;
            double gm = Math.abs(grad[i]) + Math.abs(decay);
            if (velocity != null) {
                double old = (double) momentum * velocity[i];
                g = old + g;
                gm = Math.abs(old) + gm;
                v[i] = g;
                vm[i] = gm;
            }
            p[i] = param[i] - (double) lr * g;
            pm[i] = Math.abs(param[i]) + Math.abs(lr) * gm;
        }
        return new Sgd(vector(p, pm), velocity == null ? null : vector(v, vm));
    }

    /**
     * The result of {@link #sgdStep}.
     *
     * @param param    the parameters after the step
     * @param velocity the velocity after the step, or null without momentum
     */
    public record Sgd(Expected param, Expected velocity) {
    }

    private static double rowMax(float[] x, int i, int cols) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[i * cols + j]);
        }
        return max;
    }

    private static double expSum(float[] x, int i, int cols, double max) {
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += Math.exp(x[i * cols + j] - max);
        }
        return sum;
    }

    private static double[] abs(double[] v) {
        double[] m = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            m[i] = Math.abs(v[i]);
        }
        return m;
    }

    private static Expected vector(double[] v, double[] m) {
        return new Expected(v, m, 1, Math.max(1, v.length));
    }
}
