// SGEMM shaped for GPUs: 64 x 64 tiles of C per 16 x 16 work-group, K in steps of 16 staged through local memory,
// each work item accumulating a 4 x 4 register block (rows ty + 16 r, columns tx + 16 c, so local-memory reads
// and global stores are contiguous across the work-group). Tiles are loaded along whichever of A's and B's
// dimensions is contiguous in memory, so loads coalesce for every transpose; the local arrays are padded by one
// column so that those stores do not collide in one memory bank.
//
// C[M x N] = alpha * op(A) * op(B) + beta * C with op(A)(i, k) = A[i * sAi + k * sAk] and
// op(B)(k, j) = B[k * sBk + j * sBj]: every transpose through strides. Tiles are zero-padded at the edges and stores
// are guarded, so any M, N, K >= 1 works. When beta == 0, C is only written.
// Global size (ceil(N / 64) * 16, ceil(M / 64) * 16), local size (16, 16).

#define TS 64
#define TK 16
#define WG 16

kernel __attribute__((reqd_work_group_size(WG, WG, 1)))
void gemm_gpu(int M, int N, int K, float alpha, float beta,
              global const float* A, int sAi, int sAk,
              global const float* B, int sBk, int sBj,
              global float* C) {
    local float As[TK][TS + 1];
    local float Bs[TK][TS + 1];
    int tx = get_local_id(0);
    int ty = get_local_id(1);
    int tid = ty * WG + tx;
    int i0 = get_group_id(1) * TS;
    int j0 = get_group_id(0) * TS;
    float acc[4][4];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) acc[r][c] = 0.0f;

    for (int k0 = 0; k0 < K; k0 += TK) {
        for (int l = 0; l < (TS * TK) / (WG * WG); l++) {
            int idx = tid + l * WG * WG;
            int ai = sAk == 1 ? idx / TK : idx % TS;
            int ak = sAk == 1 ? idx % TK : idx / TS;
            int gi = i0 + ai, gk = k0 + ak;
            As[ak][ai] = (gi < M && gk < K) ? A[(size_t) gi * sAi + (size_t) gk * sAk] : 0.0f;
            int bk = sBj == 1 ? idx / TS : idx % TK;
            int bj = sBj == 1 ? idx % TS : idx / TK;
            int hk = k0 + bk, hj = j0 + bj;
            Bs[bk][bj] = (hk < K && hj < N) ? B[(size_t) hk * sBk + (size_t) hj * sBj] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < TK; kk++) {
            float a[4], b[4];
            for (int r = 0; r < 4; r++) a[r] = As[kk][ty + WG * r];
            for (int c = 0; c < 4; c++) b[c] = Bs[kk][tx + WG * c];
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) acc[r][c] = fma(a[r], b[c], acc[r][c]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int r = 0; r < 4; r++) {
        int gi = i0 + ty + WG * r;
        if (gi >= M) continue;
        for (int c = 0; c < 4; c++) {
            int gj = j0 + tx + WG * c;
            if (gj < N) {
                global float* out = C + (size_t) gi * N + gj;
                *out = beta == 0.0f ? alpha * acc[r][c] : fma(alpha, acc[r][c], beta * *out);
            }
        }
    }
}
