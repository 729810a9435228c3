package io.tessera.cpu;

/**
 * The short row loops of the CNN kernels (rows of an image, a few dozen floats long), too short for C2 to vectorise
 * on its own: {@link #SCALAR} everywhere, {@link VectorRowKernels} a vector at a time when the Vector API is present
 * (chosen with the GEMM by {@link CpuBackendProvider}). Stateless and thread-safe.
 */
interface RowKernels {

    /** {@code dst[d + x] += src[s + x]} for {@code x < len}; the ranges do not overlap. */
    void accumulate(float[] src, int s, float[] dst, int d, int len);

    /** Plain loops, for when {@code jdk.incubator.vector} is absent. */
    RowKernels SCALAR = (src, s, dst, d, len) -> {
        for (int x = 0; x < len; x++) {
            dst[d + x] += src[s + x];
        }
    };
}
