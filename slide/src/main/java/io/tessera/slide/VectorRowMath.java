package io.tessera.slide;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Vectors.RowMath} on the Vector API's preferred species (16 lanes with AVX-512, 8 with AVX2), with FMA. */
final class VectorRowMath implements Vectors.RowMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        int lanes = S.length();
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * lanes <= n; i += 2 * lanes) {
            s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
            s1 = FloatVector.fromArray(S, a, ao + i + lanes).fma(FloatVector.fromArray(S, b, bo + i + lanes), s1);
        }
        for (; i + lanes <= n; i += lanes) {
            s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
        }
        float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int lanes = S.length();
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            FloatVector.fromArray(S, x, xo + i).fma(a, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void adam(float[] w, int wo, float[] g, int go, float[] m, float[] v, int mo, int n, float b1, float a1, float b2,
                     float a2, float size, float root, float eps) {
        int lanes = S.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            FloatVector gi = FloatVector.fromArray(S, g, go + i);
            FloatVector mi = FloatVector.fromArray(S, m, mo + i).mul(b1).add(gi.mul(a1));
            FloatVector vi = FloatVector.fromArray(S, v, mo + i).mul(b2).add(gi.mul(gi).mul(a2));
            mi.intoArray(m, mo + i);
            vi.intoArray(v, mo + i);
            FloatVector step = mi.mul(size).div(vi.lanewise(VectorOperators.SQRT).div(root).add(eps));
            FloatVector.fromArray(S, w, wo + i).sub(step).intoArray(w, wo + i);
        }
        for (; i < n; i++) {
            float gi = g[go + i];
            float mi = b1 * m[mo + i] + a1 * gi;
            float vi = b2 * v[mo + i] + a2 * gi * gi;
            m[mo + i] = mi;
            v[mo + i] = vi;
            w[wo + i] -= size * mi / ((float) Math.sqrt(vi) / root + eps);
        }
    }
}
