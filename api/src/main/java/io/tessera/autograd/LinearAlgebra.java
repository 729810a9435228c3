package io.tessera.autograd;

import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;
import io.tessera.spi.Strides;

/** Matrix products through the {@code gemm} kernel, and the fused {@code linear} of the Linear layer. */
final class LinearAlgebra {
    private LinearAlgebra() {
    }

    static Tensor matmul(Graph g, Tensor a, Tensor b) {
        g.checkPair("matmul", a, b);
        int ra = a.shape().rank();
        int rb = b.shape().rank();
        if (ra == 3 && rb == 2) {
            int batch = a.shape().dim(0);
            int m = a.shape().dim(1);
            Tensor flat = Shapes.reshape(g, a, Shape.of(batch * m, a.shape().dim(2)));
            Tensor y = matmul(g, flat, b);
            return Shapes.reshape(g, y, Shape.of(batch, m, b.shape().dim(1)));
        }
        if (ra == 3 && rb == 3) {
            return batched(g, a, b);
        }
        if (ra != 2 || rb != 2 || a.shape().dim(1) != b.shape().dim(0)) {
            throw new IllegalArgumentException("matmul: " + a.shape() + " times " + b.shape() + " does not fit: need [m, k] x [k, n],"
                    + " [B, m, k] x [k, n] or [B, m, k] x [B, k, n]");
        }
        Kernels k = g.kernels();
        Tensor y = g.output(Shape.of(a.shape().dim(0), b.shape().dim(1)));
        k.gemm(false, false, 1f, a, b, 0f, y);
        if (g.tracks(a, b)) {
            g.record("matmul", y, new Tensor[] {a, b}, new Tensor[] {a, b}, (gy, grads) -> {
                if (grads.needs(0)) {
                    Tensor ga = grads.target(0);
                    k.gemm(false, true, 1f, gy, b, 0f, ga);
                    grads.add(0, ga, true);
                }
                if (grads.needs(1)) {
                    Tensor gb = grads.target(1);
                    k.gemm(true, false, 1f, a, gy, 0f, gb);
                    grads.add(1, gb, true);
                }
            });
        }
        return y;
    }

    /** {@code [B, m, k] x [B, k, n]}: one GEMM per batch entry over copies of its slices. */
    private static Tensor batched(Graph g, Tensor a, Tensor b) {
        int batch = a.shape().dim(0);
        int m = a.shape().dim(1);
        int kk = a.shape().dim(2);
        int n = b.shape().dim(2);
        if (b.shape().dim(0) != batch || b.shape().dim(1) != kk) {
            throw new IllegalArgumentException("matmul: " + a.shape() + " times " + b.shape() + " does not fit: need [B, m, k] x [B, k, n]");
        }
        Kernels k = g.kernels();
        Tensor y = g.output(Shape.of(batch, m, n));
        Tensor sa = g.output(Shape.of(m, kk));
        Tensor sb = g.output(Shape.of(kk, n));
        Tensor sc = g.output(Shape.of(m, n));
        for (int i = 0; i < batch; i++) {
            slab(k, a, i, sa, true);
            slab(k, b, i, sb, true);
            k.gemm(false, false, 1f, sa, sb, 0f, sc);
            slab(k, y, i, sc, false);
        }
        if (g.tracks(a, b)) {
            g.record("matmul", y, new Tensor[] {a, b}, new Tensor[] {a, b}, (gy, grads) -> {
                Tensor ga = grads.needs(0) ? grads.scratch(a.shape()) : null;
                Tensor gb = grads.needs(1) ? grads.scratch(b.shape()) : null;
                Tensor sg = grads.scratch(Shape.of(m, n));
                Tensor ta = grads.scratch(Shape.of(m, kk));
                Tensor tb = grads.scratch(Shape.of(kk, n));
                for (int i = 0; i < batch; i++) {
                    slab(k, gy, i, sg, true);
                    if (ga != null) {
                        slab(k, b, i, tb, true);
                        k.gemm(false, true, 1f, sg, tb, 0f, ta);
                        slab(k, ga, i, ta, false);
                    }
                    if (gb != null) {
                        slab(k, a, i, ta, true);
                        k.gemm(true, false, 1f, ta, sg, 0f, tb);
                        slab(k, gb, i, tb, false);
                    }
                }
                if (ga != null) {
                    grads.add(0, ga, true);
                }
                if (gb != null) {
                    grads.add(1, gb, true);
                }
            });
        }
        return y;
    }

    /** Copies batch entry {@code i} of {@code whole} to {@code part} ({@code out}) or back ({@code !out}). */
    private static void slab(Kernels k, Tensor whole, int i, Tensor part, boolean out) {
        int size = part.shape().sizeAsInt();
        Strides at = new Strides(i * size, 0, 1, 0);
        Strides flat = new Strides(0, 0, 1, 0);
        if (out) {
            k.copyStrided(whole, at, part, flat, 1, size, 1);
        } else {
            k.copyStrided(part, flat, whole, at, 1, size, 1);
        }
    }

    /**
     * {@code x W^T + b}, PyTorch's {@code F.linear}: {@code x: [N, in]}, {@code weight: [out, in]}, {@code bias: [out]}
     * or null; the Linear layer's kernels (one GEMM and a bias add forward, two GEMMs and column sums backward).
     */
    static Tensor linear(Graph g, Tensor x, Tensor weight, Tensor bias) {
        g.checkPair("linear", x, weight);
        if (x.shape().rank() != 2 || weight.shape().rank() != 2 || x.shape().dim(1) != weight.shape().dim(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " and weight " + weight.shape()
                    + " do not fit: need [N, in] and [out, in]");
        }
        int out = weight.shape().dim(0);
        if (bias != null) {
            g.checkFloat("linear", "bias", bias);
            if (bias.size() != out) {
                throw new IllegalArgumentException("linear: bias " + bias.shape() + " does not fit weight " + weight.shape()
                        + ": need [" + out + "]");
            }
        }
        Kernels k = g.kernels();
        Tensor y = g.output(Shape.of(x.shape().dim(0), out));
        k.gemm(false, true, 1f, x, weight, 0f, y);
        if (bias != null) {
            k.addBias(y, bias.view(Shape.of(out)), y);
        }
        Tensor[] inputs = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        if (g.tracks(inputs)) {
            g.record("linear", y, inputs, new Tensor[] {x, weight}, (gy, grads) -> {
                if (grads.needs(0)) {
                    Tensor gx = grads.target(0);
                    k.gemm(false, false, 1f, gy, weight, 0f, gx);
                    grads.add(0, gx, true);
                }
                if (grads.needs(1)) {
                    Tensor gw = grads.target(1);
                    k.gemm(true, false, 1f, gy, x, 0f, gw);
                    grads.add(1, gw, true);
                }
                if (bias != null && grads.needs(2)) {
                    Tensor gb = grads.target(2);
                    k.columnSums(gy, gb.view(Shape.of(out)));
                    grads.add(2, gb, true);
                }
            });
        }
        return y;
    }
}
