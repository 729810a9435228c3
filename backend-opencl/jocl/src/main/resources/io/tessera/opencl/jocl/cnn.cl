// Tessera OpenCL backend: convolution helpers (im2col, col2im, layout permutes), max pooling, batch normalisation,
// the Philox dropout mask and Adam (OpenCL C 1.2). Tensors are NCHW. Every kernel guards its index: the host rounds
// global sizes up to a multiple of the work-group size. The host checks that every index used here fits an int;
// products that address a whole tensor or scratch buffer are formed in size_t.

// ---- convolution ---------------------------------------------------------------------------------------------
//
// A batch chunk of nb images starting at image n0 is lowered to cols[K, nb * P] with K = C * kH * kW and
// P = outH * outW: row (c, i, j), column (n, y, x) holds input[n0 + n, c, y * sH - pH + i, x * sW - pW + j] (0 where
// that is padding). Global size (nb * P, K).
kernel void im2col_f(global const float* input, global float* cols,
                     int C, int H, int W, int kH, int kW, int sH, int sW, int pH, int pW,
                     int outH, int outW, int n0, int nb) {
    int col = get_global_id(0);
    int row = get_global_id(1);
    int P = outH * outW;
    int K = C * kH * kW;
    if (col >= nb * P || row >= K) return;
    int n = col / P;
    int p = col - n * P;
    int y = p / outW;
    int x = p - y * outW;
    int c = row / (kH * kW);
    int r = row - c * (kH * kW);
    int i = r / kW;
    int j = r - i * kW;
    int h = y * sH - pH + i;
    int w = x * sW - pW + j;
    float v = 0.0f;
    if (h >= 0 && h < H && w >= 0 && w < W) {
        v = input[(((size_t) (n0 + n) * C + c) * H + h) * W + w];
    }
    cols[(size_t) row * (nb * P) + col] = v;
}

// The adjoint of im2col_f as a gather: gradInput[n0 + n, c, h, w] = the sum of cols[(c, i, j), (n, y, x)] over the
// window positions (y, x, i, j) that read (h, w). Every input element is written once (0 where no window covers it),
// so no atomics are needed. Global size (W, nb * C * H).
kernel void col2im_f(global const float* cols, global float* gradInput,
                     int C, int H, int W, int kH, int kW, int sH, int sW, int pH, int pW,
                     int outH, int outW, int n0, int nb) {
    int w = get_global_id(0);
    int nch = get_global_id(1);
    if (w >= W || nch >= nb * C * H) return;
    int h = nch % H;
    int nc = nch / H;
    int c = nc % C;
    int n = nc / C;
    int P = outH * outW;
    size_t ld = (size_t) nb * P;
    int hp = h + pH;
    int wp = w + pW;
    // y * sH + i == hp with 0 <= i < kH, 0 <= y < outH
    int yLo = hp - kH + 1 <= 0 ? 0 : (hp - kH + 1 + sH - 1) / sH;
    int yHi = min(hp / sH, outH - 1);
    int xLo = wp - kW + 1 <= 0 ? 0 : (wp - kW + 1 + sW - 1) / sW;
    int xHi = min(wp / sW, outW - 1);
    float acc = 0.0f;
    for (int y = yLo; y <= yHi; y++) {
        int i = hp - y * sH;
        for (int x = xLo; x <= xHi; x++) {
            int j = wp - x * sW;
            int row = (c * kH + i) * kW + j;
            acc += cols[(size_t) row * ld + (size_t) n * P + y * outW + x];
        }
    }
    gradInput[(((size_t) (n0 + n) * C + c) * H + h) * W + w] = acc;
}

// output[n0 + n, o, p] = tmp[o, n * P + p] (+ bias[o] when hasBias). Global size (P, nb * O).
kernel void onp_to_nchw_f(global const float* tmp, global const float* bias, int hasBias, global float* output,
                          int O, int P, int n0, int nb) {
    int p = get_global_id(0);
    int no = get_global_id(1);
    if (p >= P || no >= nb * O) return;
    int o = no % O;
    int n = no / O;
    float v = tmp[(size_t) o * nb * P + (size_t) n * P + p];
    if (hasBias) v += bias[o];
    output[((size_t) (n0 + n) * O + o) * P + p] = v;
}

// tmp[o, n * P + p] = src[n0 + n, o, p]. Global size (P, nb * O).
kernel void nchw_to_onp_f(global const float* src, global float* tmp, int O, int P, int n0, int nb) {
    int p = get_global_id(0);
    int no = get_global_id(1);
    if (p >= P || no >= nb * O) return;
    int o = no % O;
    int n = no / O;
    tmp[(size_t) o * nb * P + (size_t) n * P + p] = src[((size_t) (n0 + n) * O + o) * P + p];
}

// Sums the local array partial[0..get_local_size(0)) into partial[0]; the local size is a power of two.
inline void cnn_reduce(local float* partial) {
    int lid = get_local_id(0);
    for (int s = get_local_size(0) / 2; s > 0; s >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid < s) partial[lid] += partial[lid + s];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

// gradBias[o] = sum over n, p of gradOut[n, o, p]; one work-group (power-of-two size) per channel o.
kernel void conv_bias_grad_f(global const float* gradOut, global float* gradBias, int N, int O, int P,
                             local float* partial) {
    int o = get_group_id(0);
    int lid = get_local_id(0);
    int ls = get_local_size(0);
    int total = N * P;
    float acc = 0.0f;
    for (int m = lid; m < total; m += ls) {
        int n = m / P;
        acc += gradOut[((size_t) n * O + o) * P + (m - n * P)];
    }
    partial[lid] = acc;
    cnn_reduce(partial);
    if (lid == 0) gradBias[o] = partial[0];
}

// ---- max pooling ---------------------------------------------------------------------------------------------

// One work item per output element; global size (outH * outW, N * C). Padding is never chosen; ties keep the first
// position in row-major window order; a NaN wins over any number (the first NaN is kept).
kernel void max_pool_f(global const float* input, global float* output, global int* indices,
                       int NC, int H, int W, int kH, int kW, int sH, int sW, int pH, int pW, int outH, int outW) {
    int p = get_global_id(0);
    int nc = get_global_id(1);
    int P = outH * outW;
    if (p >= P || nc >= NC) return;
    int y = p / outW;
    int x = p - y * outW;
    global const float* plane = input + (size_t) nc * H * W;
    int h0 = y * sH - pH;
    int w0 = x * sW - pW;
    int best = -1;
    float bestValue = -INFINITY;
    for (int i = 0; i < kH; i++) {
        int h = h0 + i;
        if (h < 0 || h >= H) continue;
        for (int j = 0; j < kW; j++) {
            int w = w0 + j;
            if (w < 0 || w >= W) continue;
            float v = plane[h * W + w];
            if (best < 0 || v > bestValue || (isnan(v) && !isnan(bestValue))) {
                best = h * W + w;
                bestValue = v;
            }
        }
    }
    output[(size_t) nc * P + p] = bestValue;
    indices[(size_t) nc * P + p] = best;
}

// gradInput[nc, h, w] = the sum of gradOut[nc, y, x] over the windows covering (h, w) whose index is h * W + w:
// a gather, so overlapping windows need no atomics. Global size (H * W, N * C).
kernel void max_pool_backward_f(global const float* gradOut, global const int* indices, global float* gradInput,
                                int NC, int H, int W, int kH, int kW, int sH, int sW, int pH, int pW,
                                int outH, int outW) {
    int q = get_global_id(0);
    int nc = get_global_id(1);
    if (q >= H * W || nc >= NC) return;
    int h = q / W;
    int w = q - h * W;
    int hp = h + pH;
    int wp = w + pW;
    int yLo = hp - kH + 1 <= 0 ? 0 : (hp - kH + 1 + sH - 1) / sH;
    int yHi = min(hp / sH, outH - 1);
    int xLo = wp - kW + 1 <= 0 ? 0 : (wp - kW + 1 + sW - 1) / sW;
    int xHi = min(wp / sW, outW - 1);
    size_t base = (size_t) nc * outH * outW;
    float acc = 0.0f;
    for (int y = yLo; y <= yHi; y++) {
        for (int x = xLo; x <= xHi; x++) {
            size_t o = base + y * outW + x;
            if (indices[o] == q) acc += gradOut[o];
        }
    }
    gradInput[(size_t) nc * H * W + q] = acc;
}

// ---- batch normalisation -------------------------------------------------------------------------------------
//
// The input is [N, C, S] (S = 1 for [N, C], H * W for NCHW); channel c holds M = N * S values, value m at
// (m / S, c, m % S). One work-group (power-of-two size) per channel; two passes (mean, then squared deviations), so
// a large common offset does not cost precision.
// The OpenCL compiler may not contract or reorder the compensated sums: programs are built without fast-math flags.

inline size_t bn_index(int m, int c, int C, int S) {
    int n = m / S;
    int s = m - n * S;
    return ((size_t) n * C + c) * S + s;
}

kernel void batch_norm_train_f(global const float* input, global const float* gamma, global const float* beta,
                               global float* runningMean, global float* runningVar, float momentum, float eps,
                               global float* output, global float* saveMean, global float* saveInvStd,
                               int C, int S, int M, local float* partial) {
    int c = get_group_id(0);
    int lid = get_local_id(0);
    int ls = get_local_size(0);
    // mean = pivot + mean(x - pivot), the pivot being the channel's first value: a large common offset cancels
    // exactly, and each work item sums its share compensated (Kahan)
    float pivot = input[bn_index(0, c, C, S)];
    float acc = 0.0f;
    float comp = 0.0f;
    for (int m = lid; m < M; m += ls) {
        float y = (input[bn_index(m, c, C, S)] - pivot) - comp;
        float t = acc + y;
        comp = (t - acc) - y;
        acc = t;
    }
    partial[lid] = acc;
    cnn_reduce(partial);
    float mean = pivot + partial[0] / (float) M;
    barrier(CLK_LOCAL_MEM_FENCE);
    acc = 0.0f;
    for (int m = lid; m < M; m += ls) {
        float d = input[bn_index(m, c, C, S)] - mean;
        acc = fma(d, d, acc);
    }
    partial[lid] = acc;
    cnn_reduce(partial);
    float var = partial[0] / (float) M;
    float invStd = 1.0f / sqrt(var + eps);
    float g = gamma[c] * invStd;
    float b = beta[c];
    for (int m = lid; m < M; m += ls) {
        size_t k = bn_index(m, c, C, S);
        output[k] = fma(g, input[k] - mean, b);
    }
    if (lid == 0) {
        saveMean[c] = mean;
        saveInvStd[c] = invStd;
        runningMean[c] = (1.0f - momentum) * runningMean[c] + momentum * mean;
        runningVar[c] = (1.0f - momentum) * runningVar[c] + momentum * (var * ((float) M / (float) (M - 1)));
    }
}

// Element-wise; global size n.
kernel void batch_norm_eval_f(global const float* input, global const float* gamma, global const float* beta,
                              global const float* runningMean, global const float* runningVar, float eps,
                              global float* output, int C, int S, int n) {
    int k = get_global_id(0);
    if (k >= n) return;
    int c = (k / S) % C;
    float invStd = 1.0f / sqrt(runningVar[c] + eps);
    output[k] = fma(gamma[c] * invStd, input[k] - runningMean[c], beta[c]);
}

kernel void batch_norm_backward_f(global const float* input, global const float* gradOut, global const float* gamma,
                                  global const float* saveMean, global const float* saveInvStd,
                                  global float* gradInput, global float* gradGamma, global float* gradBeta,
                                  int C, int S, int M, local float* partial) {
    int c = get_group_id(0);
    int lid = get_local_id(0);
    int ls = get_local_size(0);
    float mean = saveMean[c];
    float invStd = saveInvStd[c];
    float sumG = 0.0f;
    float sumGX = 0.0f;
    for (int m = lid; m < M; m += ls) {
        size_t k = bn_index(m, c, C, S);
        float g = gradOut[k];
        sumG += g;
        sumGX = fma(g, (input[k] - mean) * invStd, sumGX);
    }
    partial[lid] = sumG;
    cnn_reduce(partial);
    float dBeta = partial[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    partial[lid] = sumGX;
    cnn_reduce(partial);
    float dGamma = partial[0];
    float scale = gamma[c] * invStd / (float) M;
    float fm = (float) M;
    for (int m = lid; m < M; m += ls) {
        size_t k = bn_index(m, c, C, S);
        float xhat = (input[k] - mean) * invStd;
        gradInput[k] = scale * (fm * gradOut[k] - dBeta - xhat * dGamma);
    }
    if (lid == 0) {
        gradBeta[c] = dBeta;
        gradGamma[c] = dGamma;
    }
}

// ---- dropout -------------------------------------------------------------------------------------------------

// Philox4x32-10 block (ctr0, ctr1, 0, 0) under key (k0, k1).
inline uint4 philox4x32_10(uint ctr0, uint ctr1, uint k0, uint k1) {
    uint c0 = ctr0, c1 = ctr1, c2 = 0u, c3 = 0u;
    for (int round = 0; round < 10; round++) {
        uint lo0 = 0xD2511F53u * c0;
        uint hi0 = mul_hi(0xD2511F53u, c0);
        uint lo1 = 0xCD9E8D57u * c2;
        uint hi1 = mul_hi(0xCD9E8D57u, c2);
        uint n0 = hi1 ^ c1 ^ k0;
        uint n1 = lo1;
        uint n2 = hi0 ^ c3 ^ k1;
        uint n3 = lo0;
        c0 = n0;
        c1 = n1;
        c2 = n2;
        c3 = n3;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return (uint4) (c0, c1, c2, c3);
}

// mask[i] = u(offset + i) < p ? 0 : keep. One work item per Philox block: item t computes block firstBlock + t
// and writes the (up to four) lanes of it that fall in [offset, offset + n). Global size = number of blocks.
kernel void dropout_mask_f(global float* mask, int n, float p, float keep, ulong seed, ulong offset, ulong firstBlock,
                           int blocks) {
    int t = get_global_id(0);
    if (t >= blocks) return;
    ulong block = firstBlock + (ulong) t;
    uint4 r = philox4x32_10((uint) block, (uint) (block >> 32), (uint) seed, (uint) (seed >> 32));
    uint lanes[4] = {r.x, r.y, r.z, r.w};
    for (int l = 0; l < 4; l++) {
        ulong j = block * 4 + (ulong) l;
        if (j < offset) continue;
        ulong i = j - offset;
        if (i >= (ulong) n) break;
        float u = (float) (lanes[l] >> 8) * 0x1.0p-24f;
        mask[i] = u < p ? 0.0f : keep;
    }
}

// ---- Adam ----------------------------------------------------------------------------------------------------
// stepSize = lr / bc1 and sqrtBc2 = sqrt(bc2) come from the host (bias corrections in double, rounded to float once).

kernel void adam_f(global float* param, global const float* grad, global float* m, global float* v, int n,
                   float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps,
                   float weightDecay, float stepSize, float sqrtBc2) {
    int k = get_global_id(0);
    if (k >= n) return;
    float p = param[k];
    float g = grad[k] + weightDecay * p;
    float mk = beta1 * m[k] + oneMinusBeta1 * g;
    float vk = beta2 * v[k] + oneMinusBeta2 * g * g;
    m[k] = mk;
    v[k] = vk;
    param[k] = p - stepSize * mk / (sqrt(vk) / sqrtBc2 + eps);
}
