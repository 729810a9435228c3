package io.tessera.slide;

import java.util.Arrays;

/**
 * Adam over the rows of a row-major matrix (and an optional bias element per row), updating only the rows a batch
 * touched. Each row counts its own steps, so its bias corrections {@code 1 - beta^t} use the number of updates that row
 * has had: a row touched every step follows {@link io.tessera.optim.Adam} exactly (the same float arithmetic:
 * {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code w -= (lr / bc1) m / (sqrt(v) / sqrt(bc2) + eps)}, corrections computed in double and rounded to float once);
 * a row not touched keeps its moments as they are (lazy Adam, as sparse optimizers do). No weight decay.
 *
 * <p>Threads: {@link #prepare} on one thread before a parallel phase; then {@link #step} from any number of threads
 * on distinct rows.
 */
public final class SparseAdam {
    private final int rows;
    private final int width;
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float[] m;
    private final float[] v;
    private final float[] mb;
    private final float[] vb;
    private final int[] steps;
    private float[] stepSize = new float[0];
    private float[] sqrtBc2 = new float[0];

    public SparseAdam(int rows, int width, boolean rowBias, double lr, double beta1, double beta2, double eps) {
        if ((long) rows * width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rows + " x " + width + " moments do not fit one array");
        }
        this.rows = rows;
        this.width = width;
        this.lr = (float) lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.m = new float[rows * width];
        this.v = new float[rows * width];
        this.mb = rowBias ? new float[rows] : null;
        this.vb = rowBias ? new float[rows] : null;
        this.steps = new int[rows];
    }

    /** Makes the corrections of steps up to {@code maxStep} available; call before threads use {@link #step}. */
    public void prepare(int maxStep) {
        if (maxStep < stepSize.length) {
            return;
        }
        int size = Math.max(maxStep + 1, stepSize.length * 2);
        int old = stepSize.length;
        stepSize = Arrays.copyOf(stepSize, size);
        sqrtBc2 = Arrays.copyOf(sqrtBc2, size);
        for (int t = Math.max(1, old); t < size; t++) {
            float bc1 = (float) (1.0 - Math.pow(beta1, t));
            float bc2 = (float) (1.0 - Math.pow(beta2, t));
            stepSize[t] = lr / bc1;
            sqrtBc2[t] = (float) Math.sqrt(bc2);
        }
    }

    /**
     * One Adam step of row {@code row}: weights {@code w[wo .. wo + width)} with gradient {@code g[go ..]}, and when
     * the optimizer keeps a bias per row, {@code bias[row]} with gradient {@code biasGrad}.
     */
    public void step(int row, float[] w, int wo, float[] g, int go, float[] bias, float biasGrad) {
        int t = ++steps[row];
        float size = stepSize[t];
        float root = sqrtBc2[t];
        float a1 = 1f - beta1;
        float a2 = 1f - beta2;
        Vectors.adam(w, wo, g, go, m, v, row * width, width, beta1, a1, beta2, a2, size, root, eps);
        if (mb != null) {
            float mi = beta1 * mb[row] + a1 * biasGrad;
            float vi = beta2 * vb[row] + a2 * biasGrad * biasGrad;
            mb[row] = mi;
            vb[row] = vi;
            bias[row] -= size * mi / ((float) Math.sqrt(vi) / root + eps);
        }
    }

    /** Updates row {@code row} has had. */
    public int steps(int row) {
        return steps[row];
    }

    public int rows() {
        return rows;
    }

    /** Bytes of optimizer state. */
    public long stateBytes() {
        return 4L * (m.length + v.length + steps.length + (mb == null ? 0 : 2L * mb.length));
    }
}
