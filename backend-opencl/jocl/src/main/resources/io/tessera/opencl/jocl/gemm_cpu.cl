// SGEMM shaped for CPU OpenCL devices (PoCL): no local memory; each work item computes an RM x 16 block of C held
// in float8 pairs (one AVX register each) and updated with fused multiply-adds.
//
// C[M x N] = alpha * op(A)[M x K] * B[K x N] + beta * C, with op(A)(i, k) = A[i * sAi + k * sAk] (A or its
// transpose) and B row-major K x N (the host transposes B into a scratch buffer first when op(B) = B^T).
// Global size (ceil(N / 16), ceil(M / RM)), rounded up to the work-group size; edge blocks take a scalar path.
// When beta == 0, C is only written.

#define RM 4

inline void store8(global float* c, float8 v, float alpha, float beta) {
    if (beta == 0.0f) {
        vstore8(alpha * v, 0, c);
    } else {
        vstore8(fma((float8) alpha, v, beta * vload8(0, c)), 0, c);
    }
}

#define ROW_FMA(r)                                  \
    {                                               \
        float8 a = (float8) A[o##r + ak];           \
        lo##r = fma(a, b0, lo##r);                  \
        hi##r = fma(a, b1, hi##r);                  \
    }

#define ROW_STORE(r)                                \
    store8(c + r * N, lo##r, alpha, beta);          \
    store8(c + r * N + 8, hi##r, alpha, beta);

kernel void gemm_cpu(int M, int N, int K, float alpha, float beta,
                     global const float* A, int sAi, int sAk,
                     global const float* B,
                     global float* C) {
    int j0 = get_global_id(0) * 16;
    int i0 = get_global_id(1) * RM;
    if (j0 >= N || i0 >= M) return;
    if (j0 + 16 <= N && i0 + RM <= M) {
        size_t o0 = (size_t) i0 * sAi;
        size_t o1 = o0 + sAi, o2 = o1 + sAi, o3 = o2 + sAi;
        float8 lo0 = 0.0f, hi0 = 0.0f, lo1 = 0.0f, hi1 = 0.0f, lo2 = 0.0f, hi2 = 0.0f, lo3 = 0.0f, hi3 = 0.0f;
        global const float* b = B + j0;
        for (int k = 0; k < K; k++) {
            global const float* bk = b + (size_t) k * N;
            float8 b0 = vload8(0, bk);
            float8 b1 = vload8(1, bk);
            size_t ak = (size_t) k * sAk;
            ROW_FMA(0)
            ROW_FMA(1)
            ROW_FMA(2)
            ROW_FMA(3)
        }
        global float* c = C + (size_t) i0 * N + j0;
        ROW_STORE(0)
        ROW_STORE(1)
        ROW_STORE(2)
        ROW_STORE(3)
    } else {
        int rows = min(RM, M - i0);
        int cols = min(16, N - j0);
        for (int r = 0; r < rows; r++) {
            global const float* a = A + (size_t) (i0 + r) * sAi;
            for (int q = 0; q < cols; q++) {
                float s = 0.0f;
                for (int k = 0; k < K; k++) s = fma(a[(size_t) k * sAk], B[(size_t) k * N + j0 + q], s);
                global float* c = C + (size_t) (i0 + r) * N + j0 + q;
                *c = beta == 0.0f ? alpha * s : fma(alpha, s, beta * *c);
            }
        }
    }
}
