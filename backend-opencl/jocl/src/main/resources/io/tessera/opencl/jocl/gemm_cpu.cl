// SGEMM shaped for CPU OpenCL devices (PoCL): no local memory. Two kernels:
//
// pack_b copies op(B) (K x N, op(B)(k, j) = B[k * sBk + j * sBj], so B or its transpose) into panels of 16 columns,
// Bp[jb][k][16], zero-padded past N. A work item then streams its panel contiguously: no cache-set aliasing when N is
// a large power of two, and the same kernel serves B and B^T.
//
// gemm_cpu: each work item computes a 4 x 16 block of C in eight float8 accumulators (one AVX register each) with
// fused multiply-adds; op(A)(i, k) = A[i * sAi + k * sAk]. Rows past M re-read row M - 1 (their results are never
// stored), so the inner loop has no branches; edge blocks store element by element. When beta == 0, C is only written.

#define RM 4
#define NB 16

// Global size (ceil(N / 16), K), rounded up to the work-group size.
kernel void pack_b(global const float* B, int sBk, int sBj, int K, int N, global float* Bp) {
    int jb = get_global_id(0);
    int k = get_global_id(1);
    int j0 = jb * NB;
    if (k >= K || j0 >= N) return;
    global float* out = Bp + ((size_t) jb * K + k) * NB;
    global const float* in = B + (size_t) k * sBk + (size_t) j0 * sBj;
    if (sBj == 1 && j0 + NB <= N) {
        vstore8(vload8(0, in), 0, out);
        vstore8(vload8(1, in), 1, out);
    } else {
        int cols = min(NB, N - j0);
        for (int q = 0; q < NB; q++) out[q] = q < cols ? in[(size_t) q * sBj] : 0.0f;
    }
}

inline float8 scaled(float8 acc, global const float* c, float alpha, float beta) {
    return beta == 0.0f ? alpha * acc : fma((float8) alpha, acc, beta * vload8(0, c));
}

// Global size (ceil(N / 16), ceil(M / 4)), rounded up to the work-group size.
kernel void gemm_cpu(int M, int N, int K, float alpha, float beta,
                     global const float* A, int sAi, int sAk,
                     global const float* Bp,
                     global float* C) {
    int jb = get_global_id(0);
    int ib = get_global_id(1);
    int j0 = jb * NB;
    int i0 = ib * RM;
    if (j0 >= N || i0 >= M) return;
    global const float* b = Bp + (size_t) jb * K * NB;
    size_t o0 = (size_t) i0 * sAi;
    size_t o1 = (size_t) min(i0 + 1, M - 1) * sAi;
    size_t o2 = (size_t) min(i0 + 2, M - 1) * sAi;
    size_t o3 = (size_t) min(i0 + 3, M - 1) * sAi;
    float8 lo0 = 0.0f, hi0 = 0.0f, lo1 = 0.0f, hi1 = 0.0f, lo2 = 0.0f, hi2 = 0.0f, lo3 = 0.0f, hi3 = 0.0f;
    for (int k = 0; k < K; k++) {
        float8 b0 = vload8(0, b);
        float8 b1 = vload8(1, b);
        b += NB;
        size_t ak = (size_t) k * sAk;
        float a0 = A[o0 + ak], a1 = A[o1 + ak], a2 = A[o2 + ak], a3 = A[o3 + ak];
        lo0 = fma((float8) a0, b0, lo0);
        hi0 = fma((float8) a0, b1, hi0);
        lo1 = fma((float8) a1, b0, lo1);
        hi1 = fma((float8) a1, b1, hi1);
        lo2 = fma((float8) a2, b0, lo2);
        hi2 = fma((float8) a2, b1, hi2);
        lo3 = fma((float8) a3, b0, lo3);
        hi3 = fma((float8) a3, b1, hi3);
    }
    global float* c = C + (size_t) i0 * N + j0;
    if (i0 + RM <= M && j0 + NB <= N) {
        vstore8(scaled(lo0, c, alpha, beta), 0, c);
        vstore8(scaled(hi0, c + 8, alpha, beta), 0, c + 8);
        c += N;
        vstore8(scaled(lo1, c, alpha, beta), 0, c);
        vstore8(scaled(hi1, c + 8, alpha, beta), 0, c + 8);
        c += N;
        vstore8(scaled(lo2, c, alpha, beta), 0, c);
        vstore8(scaled(hi2, c + 8, alpha, beta), 0, c + 8);
        c += N;
        vstore8(scaled(lo3, c, alpha, beta), 0, c);
        vstore8(scaled(hi3, c + 8, alpha, beta), 0, c + 8);
        return;
    }
    float acc[RM * NB];
    vstore8(lo0, 0, acc);
    vstore8(hi0, 1, acc);
    vstore8(lo1, 2, acc);
    vstore8(hi1, 3, acc);
    vstore8(lo2, 4, acc);
    vstore8(hi2, 5, acc);
    vstore8(lo3, 6, acc);
    vstore8(hi3, 7, acc);
    int rows = min(RM, M - i0);
    int cols = min(NB, N - j0);
    for (int r = 0; r < rows; r++) {
        for (int q = 0; q < cols; q++) {
            global float* out = c + (size_t) r * N + q;
            float v = acc[r * NB + q];
            *out = beta == 0.0f ? alpha * v : fma(alpha, v, beta * *out);
        }
    }
}
