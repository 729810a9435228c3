package io.tessera.cpu;

/**
 * The one seam through which the CPU backend multiplies matrices, so a faster kernel can replace EJML's.
 * Row-major, dense: {@code C[m x n] = alpha * op(A) * op(B) + beta * C}, where A is stored {@code m x k}
 * ({@code k x m} when transposed) and B {@code k x n} ({@code n x k} when transposed). When {@code beta == 0}, C is
 * not read. Arrays may be longer than the matrices they hold.
 */
interface Gemm {

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c);

    /**
     * The same product on the calling thread only, with the matrices starting at {@code aOff}, {@code bOff} and
     * {@code cOff} in their arrays (still dense): for callers that split their work over threads themselves, such as
     * the convolutions, which multiply one image at a time. Reentrant: threads may call it concurrently on disjoint C.
     */
    void serial(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                float beta, float[] c, int cOff);

    /** A short name for {@code tessera devices}. */
    String name();
}
