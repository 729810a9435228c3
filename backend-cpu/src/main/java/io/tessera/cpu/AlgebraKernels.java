package io.tessera.cpu;

import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Strides;
import io.tessera.spi.UnaryFunction;

import java.util.Arrays;

/**
 * The CPU's tensor-algebra kernels over heap arrays: element-wise functions split over the worker threads, reductions
 * and copies as plain loops laid out so the inner loop runs along contiguous memory. Arguments arrive validated.
 */
final class AlgebraKernels {
    private final CpuThreads threads;

    AlgebraKernels(CpuThreads threads) {
        this.threads = threads;
    }

    private void split(int n, CpuThreads.Range range) {
        if (threads.splits(n)) {
            threads.ranges(n, range);
        } else {
            range.run(0, n);
        }
    }

    void unary(UnaryFunction f, float alpha, float[] x, float[] out, int n) {
        split(n, (lo, hi) -> unaryRange(f, alpha, x, out, lo, hi));
    }

    private static void unaryRange(UnaryFunction f, float alpha, float[] x, float[] out, int lo, int hi) {
        switch (f) {
            case NEG -> {
                for (int i = lo; i < hi; i++) {
                    out[i] = -x[i];
                }
            }
            case ADD_SCALAR -> {
                for (int i = lo; i < hi; i++) {
                    out[i] = x[i] + alpha;
                }
            }
            case MUL_SCALAR -> {
                for (int i = lo; i < hi; i++) {
                    out[i] = x[i] * alpha;
                }
            }
            case ABS -> {
                for (int i = lo; i < hi; i++) {
                    out[i] = Math.abs(x[i]);
                }
            }
            case SQRT -> {
                for (int i = lo; i < hi; i++) {
                    out[i] = (float) Math.sqrt(x[i]);
                }
            }
            default -> {
                for (int i = lo; i < hi; i++) {
                    out[i] = (float) f.apply(x[i], alpha);
                }
            }
        }
    }

    void unaryBackward(UnaryFunction f, float alpha, float[] x, float[] gradOut, float[] gradIn, int n) {
        split(n, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                gradIn[i] = (float) (gradOut[i] * f.derivative(x[i], alpha));
            }
        });
    }

    void binary(BinaryFunction f, float[] a, int aSize, int aInner, float[] b, int bSize, int bInner, float[] out, int n) {
        if (aInner == 1 && aSize == n && bInner == 1 && bSize == n) {
            split(n, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    out[i] = apply(f, a[i], b[i]);
                }
            });
        } else if (aInner == 1 && aSize == n && bInner == 1) {
            split(n / bSize, (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int base = r * bSize;
                    for (int j = 0; j < bSize; j++) {
                        out[base + j] = apply(f, a[base + j], b[j]);
                    }
                }
            });
        } else {
            split(n, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    out[i] = apply(f, a[(i / aInner) % aSize], b[(i / bInner) % bSize]);
                }
            });
        }
    }

    private static float apply(BinaryFunction f, float a, float b) {
        return switch (f) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    void reduceSum(float[] x, int size, int n, int inner, float[] out) {
        int outer = size / (n * inner);
        Arrays.fill(out, 0, outer * inner, 0f);
        for (int o = 0; o < outer; o++) {
            int dst = o * inner;
            for (int j = 0; j < n; j++) {
                int src = (o * n + j) * inner;
                for (int k = 0; k < inner; k++) {
                    out[dst + k] += x[src + k];
                }
            }
        }
    }

    void reduceMax(float[] x, int size, int n, int inner, float[] out, int[] indices) {
        int outer = size / (n * inner);
        for (int o = 0; o < outer; o++) {
            int dst = o * inner;
            System.arraycopy(x, o * n * inner, out, dst, inner);
            Arrays.fill(indices, dst, dst + inner, 0);
            for (int j = 1; j < n; j++) {
                int src = (o * n + j) * inner;
                for (int k = 0; k < inner; k++) {
                    float v = x[src + k];
                    float best = out[dst + k];
                    if (v > best || (v != v && best == best)) {
                        out[dst + k] = v;
                        indices[dst + k] = j;
                    }
                }
            }
        }
    }

    void reduceMaxBackward(float[] gradOut, int[] indices, int count, int n, int inner, float[] gradIn, int size) {
        Arrays.fill(gradIn, 0, size, 0f);
        for (int r = 0; r < count; r++) {
            int j = indices[r];
            if (j >= 0 && j < n) {
                gradIn[((r / inner) * n + j) * inner + r % inner] = gradOut[r];
            }
        }
    }

    static void copyStrided(float[] src, Strides s, float[] dst, Strides d, int n0, int n1, int n2) {
        for (int a = 0; a < n0; a++) {
            for (int b = 0; b < n1; b++) {
                int from = s.offset() + a * s.s0() + b * s.s1();
                int to = d.offset() + a * d.s0() + b * d.s1();
                if (s.s2() == 1 && d.s2() == 1) {
                    System.arraycopy(src, from, dst, to, n2);
                } else {
                    for (int c = 0; c < n2; c++) {
                        dst[to + c * d.s2()] = src[from + c * s.s2()];
                    }
                }
            }
        }
    }

    static void gatherRows(float[] table, int rows, int d, int[] indices, int count, float[] out) {
        for (int r = 0; r < count; r++) {
            System.arraycopy(table, row("gatherRows", indices, r, rows) * d, out, r * d, d);
        }
    }

    static void scatterAddRows(float[] grad, int[] indices, int count, float[] table, int rows, int d) {
        for (int r = 0; r < count; r++) {
            int base = row("scatterAddRows", indices, r, rows) * d;
            int from = r * d;
            for (int c = 0; c < d; c++) {
                table[base + c] += grad[from + c];
            }
        }
    }

    private static int row(String op, int[] indices, int position, int rows) {
        int index = indices[position];
        if (index < 0 || index >= rows) {
            throw new IndexOutOfBoundsException(op + ": index " + index + " at position " + position
                    + " is outside the table's " + rows + " rows");
        }
        return index;
    }
}
