package io.tessera.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link RowKernels} on the JDK Vector API, whole vectors first, the tail one float at a time. Loaded only when {@code jdk.incubator.vector} is present. */
final class VectorRowKernels implements RowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public void accumulate(float[] src, int s, float[] dst, int d, int len) {
        int x = 0;
        for (int whole = S.loopBound(len); x < whole; x += S.length()) {
            FloatVector.fromArray(S, dst, d + x).add(FloatVector.fromArray(S, src, s + x)).intoArray(dst, d + x);
        }
        for (; x < len; x++) {
            dst[d + x] += src[s + x];
        }
    }
}
