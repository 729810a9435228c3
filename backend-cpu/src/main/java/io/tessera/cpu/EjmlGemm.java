package io.tessera.cpu;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

/** GEMM on EJML's {@code CommonOps_FDRM}, switching to the {@code _MT_} variants for products large enough to pay for threads. */
final class EjmlGemm implements Gemm {
    /** Multiply-adds below which threading costs more than it gains (measured: EJML MT pays off from ~128^3). */
    private static final long THREADED_WORK = 2_000_000L;

    private final boolean threaded;

    EjmlGemm(boolean threaded) {
        this.threaded = threaded;
    }

    @Override
    public String name() {
        return threaded ? "EJML CommonOps_FDRM / CommonOps_MT_FDRM" : "EJML CommonOps_FDRM";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
        FMatrixRMaj ma = transA ? FMatrixRMaj.wrap(k, m, a) : FMatrixRMaj.wrap(m, k, a);
        FMatrixRMaj mb = transB ? FMatrixRMaj.wrap(n, k, b) : FMatrixRMaj.wrap(k, n, b);
        FMatrixRMaj mc = FMatrixRMaj.wrap(m, n, c);
        boolean mt = threaded && (long) m * n * k >= THREADED_WORK;
        int size = m * n;
        if (beta == 0f) {
            java.util.Arrays.fill(c, 0, size, 0f);
        } else if (beta != 1f) {
            for (int i = 0; i < size; i++) {
                c[i] *= beta;
            }
        }
        if (mt) {
            multAddMt(transA, transB, alpha, ma, mb, mc);
        } else {
            multAdd(transA, transB, alpha, ma, mb, mc);
        }
    }

    /** Scratch copies of operands that do not start at 0 (EJML wraps whole arrays only), per thread, grown on demand. */
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[3][0]);

    @Override
    public void serial(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, float[] b,
                       int bOff, float beta, float[] c, int cOff) {
        if (m == 0 || n == 0) {
            return;
        }
        float[][] s = scratch.get();
        float[] as = aOff == 0 ? a : slice(s, 0, a, aOff, m * k);
        float[] bs = bOff == 0 ? b : slice(s, 1, b, bOff, k * n);
        float[] cs = c;
        if (cOff != 0) {
            cs = room(s, 2, m * n);
            if (beta != 0f) {
                System.arraycopy(c, cOff, cs, 0, m * n);
            }
        }
        FMatrixRMaj ma = transA ? FMatrixRMaj.wrap(k, m, as) : FMatrixRMaj.wrap(m, k, as);
        FMatrixRMaj mb = transB ? FMatrixRMaj.wrap(n, k, bs) : FMatrixRMaj.wrap(k, n, bs);
        FMatrixRMaj mc = FMatrixRMaj.wrap(m, n, cs);
        int size = m * n;
        if (beta == 0f) {
            java.util.Arrays.fill(cs, 0, size, 0f);
        } else if (beta != 1f) {
            for (int i = 0; i < size; i++) {
                cs[i] *= beta;
            }
        }
        if (k > 0) {
            multAdd(transA, transB, alpha, ma, mb, mc);
        }
        if (cOff != 0) {
            System.arraycopy(cs, 0, c, cOff, size);
        }
    }

    private static float[] room(float[][] s, int which, int size) {
        if (s[which].length < size) {
            s[which] = new float[size];
        }
        return s[which];
    }

    private static float[] slice(float[][] s, int which, float[] src, int off, int size) {
        float[] dst = room(s, which, size);
        System.arraycopy(src, off, dst, 0, size);
        return dst;
    }

    private static void multAdd(boolean ta, boolean tb, float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        if (ta && tb) {
            CommonOps_FDRM.multAddTransAB(alpha, a, b, c);
        } else if (ta) {
            CommonOps_FDRM.multAddTransA(alpha, a, b, c);
        } else if (tb) {
            CommonOps_FDRM.multAddTransB(alpha, a, b, c);
        } else {
            CommonOps_FDRM.multAdd(alpha, a, b, c);
        }
    }

    private static void multAddMt(boolean ta, boolean tb, float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        if (ta && tb) {
            CommonOps_MT_FDRM.multAddTransAB(alpha, a, b, c);
        } else if (ta) {
            CommonOps_MT_FDRM.multAddTransA(alpha, a, b, c);
        } else if (tb) {
            CommonOps_MT_FDRM.multAddTransB(alpha, a, b, c);
        } else {
            CommonOps_MT_FDRM.multAdd(alpha, a, b, c);
        }
    }
}
