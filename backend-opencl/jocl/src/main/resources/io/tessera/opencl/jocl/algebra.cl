// Tessera OpenCL backend: the tensor-algebra kernels behind autograd (OpenCL C 1.2): unary functions and their
// derivatives, broadcasting binary arithmetic, sum and max along an axis, strided block copies, row gather and
// scatter-add. Every kernel guards its index: the host rounds global sizes up to a multiple of the work-group size.
// The host checks that every tensor indexed here has at most 2^31 - 1 elements, so int indices into one tensor do not
// overflow. Full-precision built-ins only (no native_ or half_ functions).

// ---- unary functions: the codes of io.tessera.spi.UnaryFunction ----------------------------------------------

#define U_NEG 0
#define U_EXP 1
#define U_LOG 2
#define U_SQRT 3
#define U_TANH 4
#define U_SIGMOID 5
#define U_GELU 6
#define U_POW 7
#define U_ADD_SCALAR 8
#define U_MUL_SCALAR 9
#define U_ABS 10

#define GELU_C 0.7978845608028654f
#define GELU_K 0.044715f

// Math.pow where C99's pow differs from Java's: a NaN exponent, and +-1 to an infinite power, give NaN.
inline float java_pow(float x, float y) {
    if (isnan(y) || (isinf(y) && fabs(x) == 1.0f)) return NAN;
    return pow(x, y);
}

// 1 / (1 + e^-x); 1 - sigmoid(x) is sigmoid_f(-x), which keeps its precision where sigmoid(x) is near 1.
inline float sigmoid_f(float x) {
    return 1.0f / (1.0f + exp(-x));
}

// 1 - tanh^2 x as (1 - |t|)(1 + |t|), where 1 - |t| = 2 / (1 + e^{2|x|}) does not cancel near saturation.
inline float tanh_slope(float x) {
    float m = 2.0f / (1.0f + exp(2.0f * fabs(x)));
    return m * (2.0f - m);
}

inline float gelu_u(float x) {
    return GELU_C * (x + GELU_K * x * x * x);
}

// 0.5 x (1 + tanh u) = x sigmoid(2u), without the cancellation of 1 + tanh u for negative x.
inline float gelu_value(float x) {
    return x * sigmoid_f(2.0f * gelu_u(x));
}

// With s = sigmoid(2u): 0.5 (1 + tanh u) = s and 1 - tanh^2 u = 4 s (1 - s).
inline float gelu_slope(float x) {
    float u = gelu_u(x);
    float s = sigmoid_f(2.0f * u);
    float q = s * sigmoid_f(-2.0f * u);
    if (q == 0.0f) return s;
    return s + 2.0f * x * q * GELU_C * (1.0f + 3.0f * GELU_K * x * x);
}

inline float unary_value(int f, float x, float alpha) {
    switch (f) {
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return sigmoid_f(x);
        case U_GELU: return gelu_value(x);
        case U_POW: return java_pow(x, alpha);
        case U_ADD_SCALAR: return x + alpha;
        case U_MUL_SCALAR: return alpha * x;
        case U_ABS: return fabs(x);
        default: return NAN;
    }
}

inline float unary_slope(int f, float x, float alpha) {
    switch (f) {
        case U_NEG: return -1.0f;
        case U_EXP: return exp(x);
        case U_LOG: return 1.0f / x;
        case U_SQRT: return 0.5f / sqrt(x);
        case U_TANH: return tanh_slope(x);
        case U_SIGMOID: return sigmoid_f(x) * sigmoid_f(-x);
        case U_GELU: return gelu_slope(x);
        case U_POW: return alpha * java_pow(x, alpha - 1.0f);
        case U_ADD_SCALAR: return 1.0f;
        case U_MUL_SCALAR: return alpha;
        case U_ABS: return isnan(x) ? x : sign(x);
        default: return NAN;
    }
}

// out[i] = f(x[i], alpha); out may be x.
kernel void unary_f(int f, float alpha, global const float* x, global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = unary_value(f, x[i], alpha);
}

// gradIn[i] = gradOut[i] * f'(x[i], alpha); gradIn may be gradOut.
kernel void unary_backward_f(int f, float alpha, global const float* x, global const float* gradOut,
                             global float* gradIn, int n) {
    int i = get_global_id(0);
    if (i < n) gradIn[i] = gradOut[i] * unary_slope(f, x[i], alpha);
}

// ---- binary arithmetic: the codes of io.tessera.spi.BinaryFunction --------------------------------------------

#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3

// out[i] = f(a[(i / aInner) % aSize], b[(i / bInner) % bSize]); out may be an operand of its size.
kernel void binary_f(int f, global const float* a, int aInner, int aSize, global const float* b, int bInner, int bSize,
                     global float* out, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    float x = a[(i / aInner) % aSize];
    float y = b[(i / bInner) % bSize];
    float r;
    switch (f) {
        case B_ADD: r = x + y; break;
        case B_SUB: r = x - y; break;
        case B_MUL: r = x * y; break;
        case B_DIV: r = x / y; break;
        default: r = NAN;
    }
    out[i] = r;
}

// ---- reductions along an axis: x seen as [outer, n, inner], output r = o * inner + k ---------------------------

// The first of the n elements reduced into output r; the others follow every inner elements.
inline global const float* axis_start(global const float* x, int r, int n, int inner) {
    int o = r / inner;
    return x + (size_t) o * n * inner + (r - o * inner);
}

// One work item per output, a compensated (Kahan) sum in ascending j.
kernel void reduce_sum_f(global const float* x, global float* out, int n, int inner, int outputs) {
    int r = get_global_id(0);
    if (r >= outputs) return;
    global const float* p = axis_start(x, r, n, inner);
    float s = 0.0f;
    float comp = 0.0f;
    for (int j = 0; j < n; j++) {
        float y = p[(size_t) j * inner] - comp;
        float t = s + y;
        comp = (t - s) - y;
        s = t;
    }
    out[r] = s;
}

// One work-group (power-of-two size) per output: compensated partial sums over a stride of the axis, then a tree.
kernel void reduce_sum_group_f(global const float* x, global float* out, int n, int inner, local float* partial) {
    int r = get_group_id(0);
    int lid = get_local_id(0);
    int ls = get_local_size(0);
    global const float* p = axis_start(x, r, n, inner);
    float s = 0.0f;
    float comp = 0.0f;
    for (int j = lid; j < n; j += ls) {
        float y = p[(size_t) j * inner] - comp;
        float t = s + y;
        comp = (t - s) - y;
        s = t;
    }
    partial[lid] = s;
    for (int h = ls / 2; h > 0; h >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid < h) partial[lid] += partial[lid + h];
    }
    if (lid == 0) out[r] = partial[0];
}

// Whether (v, j) comes before (best, bj) in reduceMax's order: a NaN before any number, then larger values first,
// and among equal values (or two NaNs) the lower index. An index below 0 marks no candidate, which comes last.
inline bool max_first(float v, int j, float best, int bj) {
    if (j < 0) return false;
    if (bj < 0) return true;
    bool vn = isnan(v);
    bool bn = isnan(best);
    if (vn != bn) return vn;
    if (vn || v == best) return j < bj;
    return v > best;
}

// One work item per output, scanning j upwards and stopping at the first NaN.
kernel void reduce_max_f(global const float* x, global float* out, global int* indices, int n, int inner,
                         int outputs) {
    int r = get_global_id(0);
    if (r >= outputs) return;
    global const float* p = axis_start(x, r, n, inner);
    float best = p[0];
    int bj = 0;
    for (int j = 1; j < n && !isnan(best); j++) {
        float v = p[(size_t) j * inner];
        if (v > best || isnan(v)) {
            best = v;
            bj = j;
        }
    }
    out[r] = best;
    indices[r] = bj;
}

// One work-group (power-of-two size) per output: each item scans a stride of the axis, then a tree in max_first order.
kernel void reduce_max_group_f(global const float* x, global float* out, global int* indices, int n, int inner,
                               local float* values, local int* where) {
    int r = get_group_id(0);
    int lid = get_local_id(0);
    int ls = get_local_size(0);
    global const float* p = axis_start(x, r, n, inner);
    float best = 0.0f;
    int bj = -1;
    for (int j = lid; j < n && !isnan(best); j += ls) {
        float v = p[(size_t) j * inner];
        if (bj < 0 || v > best || isnan(v)) {
            best = v;
            bj = j;
        }
    }
    values[lid] = best;
    where[lid] = bj;
    for (int h = ls / 2; h > 0; h >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid < h && max_first(values[lid + h], where[lid + h], values[lid], where[lid])) {
            values[lid] = values[lid + h];
            where[lid] = where[lid + h];
        }
    }
    if (lid == 0) {
        out[r] = values[0];
        indices[r] = where[0];
    }
}

// gradIn[o, j, k] = indices[o * inner + k] == j ? gradOut[o * inner + k] : 0: every element written once, and an
// index outside [0, n) matches no j.
kernel void reduce_max_backward_f(global const float* gradOut, global const int* indices, global float* gradIn,
                                  int n, int inner, int size) {
    int i = get_global_id(0);
    if (i >= size) return;
    int t = i / inner;
    int k = i - t * inner;
    int o = t / n;
    int j = t - o * n;
    int r = o * inner + k;
    gradIn[i] = indices[r] == j ? gradOut[r] : 0.0f;
}

// ---- copies and rows -------------------------------------------------------------------------------------------

// dst[dOff + i*d0 + j*d1 + k*d2] = src[sOff + i*s0 + j*s1 + k*s2] over an n0 x n1 x n2 block, one item per element
// (flat index (i * n1 + j) * n2 + k). Every index touched lies inside its tensor, so none overflows an int.
kernel void copy_strided_f(global const float* src, int sOff, int s0, int s1, int s2,
                           global float* dst, int dOff, int d0, int d1, int d2, int n1, int n2, int total) {
    int g = get_global_id(0);
    if (g >= total) return;
    int t = g / n2;
    int k = g - t * n2;
    int i = t / n1;
    int j = t - i * n1;
    dst[dOff + i * d0 + j * d1 + k * d2] = src[sOff + i * s0 + j * s1 + k * s2];
}

// out[i, c] = table[indices[i], c], or 0 where the index is outside [0, rows). Global size (d, count).
kernel void gather_rows_f(global const float* table, global const int* indices, global float* out,
                          int rows, int d, int count) {
    int c = get_global_id(0);
    int i = get_global_id(1);
    if (c >= d || i >= count) return;
    int r = indices[i];
    float v = 0.0f;
    if (r >= 0 && r < rows) v = table[(size_t) r * d + c];
    out[(size_t) i * d + c] = v;
}

// table[indices[i], c] += grad[i, c] for every i in ascending order, skipping indices outside [0, rows). One work item
// per (column c, block b) owns the table rows r with r % blocks == b, so no two items write one element and the
// additions into each element happen in the same order on every run. Global size (d, blocks).
kernel void scatter_add_rows_f(global const float* grad, global const int* indices, global float* table,
                               int rows, int d, int count, int blocks) {
    int c = get_global_id(0);
    int b = get_global_id(1);
    if (c >= d || b >= blocks) return;
    for (int i = 0; i < count; i++) {
        int r = indices[i];
        if (r >= 0 && r < rows && r % blocks == b) {
            table[(size_t) r * d + c] += grad[(size_t) i * d + c];
        }
    }
}
