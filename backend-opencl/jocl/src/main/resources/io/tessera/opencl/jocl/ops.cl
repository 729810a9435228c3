// Tessera OpenCL backend: element-wise, reduction, loss and optimizer kernels (OpenCL C 1.2).
// Every kernel guards its index: the host rounds global sizes up to a multiple of the work-group size.

kernel void add_f(global const float* a, global const float* b, global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = a[i] + b[i];
}

kernel void mul_f(global const float* a, global const float* b, global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = a[i] * b[i];
}

kernel void scale_f(float alpha, global const float* x, global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = alpha * x[i];
}

kernel void axpy_f(float alpha, global const float* x, global float* y, int n) {
    int i = get_global_id(0);
    if (i < n) y[i] = fma(alpha, x[i], y[i]);
}

kernel void relu_f(global const float* x, global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) {
        float v = x[i];
        out[i] = v <= 0.0f ? 0.0f : v;
    }
}

kernel void relu_backward_f(global const float* x, global const float* gradOut, global float* gradIn, int n) {
    int i = get_global_id(0);
    if (i < n) gradIn[i] = x[i] > 0.0f ? gradOut[i] : 0.0f;
}

// out[r, c] = x[r, c] + bias[c]; global size (cols, rows), both rounded up.
kernel void add_bias_f(global const float* x, global const float* bias, global float* out, int rows, int cols) {
    int c = get_global_id(0);
    int r = get_global_id(1);
    if (c < cols && r < rows) {
        size_t i = (size_t) r * cols + c;
        out[i] = x[i] + bias[c];
    }
}

// out[c] = sum_r x[r, c], compensated (Kahan) so long columns stay accurate; one work item per column.
kernel void column_sums_f(global const float* x, global float* out, int rows, int cols) {
    int c = get_global_id(0);
    if (c >= cols) return;
    float s = 0.0f;
    float comp = 0.0f;
    for (int r = 0; r < rows; r++) {
        float y = x[(size_t) r * cols + c] - comp;
        float t = s + y;
        comp = (t - s) - y;
        s = t;
    }
    out[c] = s;
}

// The stable row loss -log softmax(row)[label]; NaN for a label outside [0, classes), which is never dereferenced.
inline float row_loss(global const float* row, int classes, int label) {
    float m = row[0];
    for (int j = 1; j < classes; j++) m = fmax(m, row[j]);
    float s = 0.0f;
    for (int j = 0; j < classes; j++) s += exp(row[j] - m);
    return (label >= 0 && label < classes) ? log(s) + m - row[label] : NAN;
}

// Sums the local-memory array partial[0..get_local_size(0)) into partial[0]; the local size is a power of two.
inline void reduce_local_f(local float* partial) {
    int lid = get_local_id(0);
    for (int s = get_local_size(0) / 2; s > 0; s >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid < s) partial[lid] += partial[lid + s];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

// loss[0] = mean over rows of the row loss. Launched as ONE work-group (power-of-two size) that strides over any
// number of rows, so it is correct for every n without a second pass.
kernel void softmax_xent_loss_f(global const float* logits, global const int* labels, global float* loss,
                                int n, int classes, local float* partial) {
    int lid = get_local_id(0);
    int ls = get_local_size(0);
    float acc = 0.0f;
    float comp = 0.0f;
    for (int i = lid; i < n; i += ls) {
        float y = row_loss(logits + (size_t) i * classes, classes, labels[i]) - comp;
        float t = acc + y;
        comp = (t - acc) - y;
        acc = t;
    }
    partial[lid] = acc;
    reduce_local_f(partial);
    if (lid == 0) loss[0] = partial[0] / (float) n;
}

// grad[i, j] = (softmax(logits[i])[j] - onehot) / n; one work item per row. grad may be logits (each element is read
// before it is written). A row whose label is out of range becomes NaN.
kernel void softmax_xent_backward_f(global const float* logits, global const int* labels, global float* grad,
                                    int n, int classes) {
    int i = get_global_id(0);
    if (i >= n) return;
    global const float* row = logits + (size_t) i * classes;
    global float* out = grad + (size_t) i * classes;
    float m = row[0];
    for (int j = 1; j < classes; j++) m = fmax(m, row[j]);
    float s = 0.0f;
    for (int j = 0; j < classes; j++) s += exp(row[j] - m);
    int label = labels[i];
    bool valid = label >= 0 && label < classes;
    float inv = 1.0f / (float) n;
    float invS = 1.0f / s;
    for (int j = 0; j < classes; j++) {
        float p = exp(row[j] - m) * invS - (j == label ? 1.0f : 0.0f);
        out[j] = valid ? p * inv : NAN;
    }
}

// count[0] += number of rows whose first arg-max equals the label. One work-group (power-of-two size), any n.
kernel void count_correct_f(global const float* logits, global const int* labels, global float* count,
                            int n, int classes, local int* partial) {
    int lid = get_local_id(0);
    int ls = get_local_size(0);
    int hits = 0;
    for (int i = lid; i < n; i += ls) {
        global const float* row = logits + (size_t) i * classes;
        int best = 0;
        float bestValue = row[0];
        for (int j = 1; j < classes; j++) {
            float v = row[j];
            if (v > bestValue) {
                bestValue = v;
                best = j;
            }
        }
        hits += best == labels[i] ? 1 : 0;
    }
    partial[lid] = hits;
    for (int s = ls / 2; s > 0; s >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid < s) partial[lid] += partial[lid + s];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid == 0) count[0] += (float) partial[0];
}

kernel void sgd_f(global float* param, global const float* grad, int n, float lr, float weightDecay) {
    int i = get_global_id(0);
    if (i < n) {
        float p = param[i];
        param[i] = p - lr * (grad[i] + weightDecay * p);
    }
}

kernel void sgd_momentum_f(global float* param, global const float* grad, global float* velocity, int n,
                           float lr, float momentum, float weightDecay) {
    int i = get_global_id(0);
    if (i < n) {
        float p = param[i];
        float v = momentum * velocity[i] + (grad[i] + weightDecay * p);
        velocity[i] = v;
        param[i] = p - lr * v;
    }
}
