package io.tessera.slide;

import java.util.Arrays;

/**
 * Adam over the rows of a row-major matrix (and an optional bias element per row), updating only the rows a batch
 * touched; a row not touched keeps its moments as they are (lazy Adam, as sparse optimizers do). The bias corrections
 * {@code 1 - beta^t} follow {@link Corrections}: with {@code PER_ROW} each row counts its own updates, with
 * {@code GLOBAL_STEP} {@code t} is the optimizer's step. Either way a row touched every step follows
 * {@link io.tessera.optim.Adam} exactly (the same float arithmetic: {@code m = b1 m + (1 - b1) g},
 * {@code v = b2 v + (1 - b2) g^2}, {@code w -= (lr / bc1) m / (sqrt(v) / sqrt(bc2) + eps)}, corrections computed in
 * double and rounded to float once). No weight decay.
 *
 * <p>Threads: {@link #prepare} on one thread before a parallel phase; then {@link #step} from any number of threads
 * on distinct rows.
 */
public final class SparseAdam {
    /**
     * Which {@code t} the bias corrections use. {@code PER_ROW}: the updates the row has had, so a row's first update
     * moves it by {@code lr} whenever it comes: exact per row, as if each row were a parameter of its own.
     * {@code GLOBAL_STEP}: the step passed to {@link #prepare}, as PyTorch's {@code SparseAdam} and TensorFlow's lazy
     * Adam do: a row first touched late starts with nearly uncorrected moments and moves by up to
     * {@code lr (1 - b1) / sqrt(1 - b2)} (3.2 lr at the defaults), which helps rare input features catch up.
     */
    public enum Corrections { PER_ROW, GLOBAL_STEP }

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
    private final Corrections corrections;
    private int step;
    private float[] stepSize = new float[0];
    private float[] sqrtBc2 = new float[0];

    public SparseAdam(int rows, int width, boolean rowBias, Corrections corrections, double lr, double beta1, double beta2,
                      double eps) {
        if ((long) rows * width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rows + " x " + width + " moments do not fit one array");
        }
        this.corrections = java.util.Objects.requireNonNull(corrections, "corrections");
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

    /**
     * Starts optimizer step {@code step} (counted from 1) and makes the corrections up to it available; call before
     * threads use {@link #step}.
     */
    public void prepare(int step) {
        if (step < 1) {
            throw new IllegalArgumentException("steps count from 1, got " + step);
        }
        this.step = step;
        int maxStep = step;
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
        int own = ++steps[row];
        int t = corrections == Corrections.PER_ROW ? own : step;
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
