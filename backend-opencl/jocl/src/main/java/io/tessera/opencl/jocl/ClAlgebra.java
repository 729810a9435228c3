package io.tessera.opencl.jocl;

import io.tessera.DeviceKind;
import io.tessera.Tensor;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Strides;
import io.tessera.spi.UnaryFunction;
import org.jocl.Sizeof;

/**
 * The tensor-algebra kernels of {@link ClKernels} (program {@code algebra.cl}): unary functions and their derivatives,
 * broadcasting binary arithmetic, sum and max along an axis and the max's gradient, strided block copies, row gather
 * and scatter-add.
 *
 * <p>A reduction runs one work item per output, or one work-group per output where the axis is long and the outputs
 * few or contiguous along it. {@code scatterAddRows} runs one work item per (column, block of table rows), each adding
 * into its rows in ascending order of the gradient row, so results repeat exactly without atomics. Indices outside
 * their range select no row: {@code gatherRows} writes a 0 row, {@code scatterAddRows} and {@code reduceMaxBackward}
 * write nothing for them. Nothing here waits for the device.
 *
 * <p>Kernels index with 32-bit ints; a tensor with more elements is refused with an {@link IllegalArgumentException}.
 */
final class ClAlgebra {
    private static final String ALGEBRA = "algebra";
    /** The unary codes that {@code algebra.cl} knows: 0 up to this, exclusive. */
    private static final int UNARY_CODES = 11;
    /** The binary codes that {@code algebra.cl} knows. */
    private static final int BINARY_CODES = 4;
    /** The shortest axis that a reduction gives a work-group of its own. */
    private static final int GROUP_MIN_AXIS = 64;
    /** The most outputs of a strided (inner above 1) reduction that get a work-group each. */
    private static final int GROUP_MAX_STRIDED_OUTPUTS = 1024;
    /** About how many work items {@code scatterAddRows} aims for on a GPU, and elsewhere. */
    private static final int SCATTER_ITEMS_GPU = 8192;
    private static final int SCATTER_ITEMS_OTHER = 256;

    private final ClKernels k;
    private final int linearLocal;
    private final int scatterItems;

    ClAlgebra(ClKernels kernels, ClContext ctx, int linearLocal) {
        this.k = kernels;
        this.linearLocal = linearLocal;
        this.scatterItems = ctx.info().kind() == DeviceKind.GPU ? SCATTER_ITEMS_GPU : SCATTER_ITEMS_OTHER;
    }

    private static int size(String op, String name, Tensor t) {
        if (t.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.describe() + " has " + t.size()
                    + " elements, more than the OpenCL kernels index with 32-bit ints (" + Integer.MAX_VALUE + ")");
        }
        return (int) t.size();
    }

    private static int code(String op, int code, int known, Object f) {
        if (code < 0 || code >= known) {
            throw new UnsupportedOperationException(op + ": the OpenCL kernels do not implement " + f + " (code " + code + ")");
        }
        return code;
    }

    // ---- element-wise ----------------------------------------------------------------------------------------

    void unary(UnaryFunction f, float alpha, Tensor x, Tensor out) {
        int c = code("unary", f.code(), UNARY_CODES, f);
        int n = size("unary", "out", out);
        if (n > 0) {
            k.launch(ALGEBRA, "unary_f").i(c).f(alpha).mem(x).mem(out).i(n).run1d(n, linearLocal);
        }
    }

    void unaryBackward(UnaryFunction f, float alpha, Tensor x, Tensor gradOut, Tensor gradIn) {
        int c = code("unaryBackward", f.code(), UNARY_CODES, f);
        int n = size("unaryBackward", "gradIn", gradIn);
        if (n > 0) {
            k.launch(ALGEBRA, "unary_backward_f").i(c).f(alpha).mem(x).mem(gradOut).mem(gradIn).i(n)
                    .run1d(n, linearLocal);
        }
    }

    void binary(BinaryFunction f, Tensor a, int aInner, Tensor b, int bInner, Tensor out) {
        String op = "binary";
        int c = code(op, f.code(), BINARY_CODES, f);
        int n = size(op, "out", out);
        if (n > 0) {
            k.launch(ALGEBRA, "binary_f").i(c).mem(a).i(aInner).i(size(op, "a", a)).mem(b).i(bInner)
                    .i(size(op, "b", b)).mem(out).i(n).run1d(n, linearLocal);
        }
    }

    // ---- reductions ------------------------------------------------------------------------------------------

    /** The work-group size for one output's group, or 0 where one work item per output is better. */
    private int groupLocal(String kernel, int n, int inner, int outputs) {
        if (n < GROUP_MIN_AXIS || (inner > 1 && outputs > GROUP_MAX_STRIDED_OUTPUTS)) {
            return 0;
        }
        return Math.min(k.reductionLocal(ALGEBRA, kernel), Integer.highestOneBit(n));
    }

    void reduceSum(Tensor x, int n, int inner, Tensor out) {
        size("reduceSum", "x", x);
        int outputs = size("reduceSum", "out", out);
        if (outputs == 0) {
            return;
        }
        int local = groupLocal("reduce_sum_group_f", n, inner, outputs);
        if (local > 0) {
            k.launch(ALGEBRA, "reduce_sum_group_f").mem(x).mem(out).i(n).i(inner)
                    .local((long) local * Sizeof.cl_float).run1d((long) outputs * local, local);
        } else {
            k.launch(ALGEBRA, "reduce_sum_f").mem(x).mem(out).i(n).i(inner).i(outputs).run1d(outputs, linearLocal);
        }
    }

    void reduceMax(Tensor x, int n, int inner, Tensor out, Tensor indices) {
        size("reduceMax", "x", x);
        int outputs = size("reduceMax", "out", out);
        if (outputs == 0) {
            return;
        }
        int local = groupLocal("reduce_max_group_f", n, inner, outputs);
        if (local > 0) {
            k.launch(ALGEBRA, "reduce_max_group_f").mem(x).mem(out).mem(indices).i(n).i(inner)
                    .local((long) local * Sizeof.cl_float).local((long) local * Sizeof.cl_int)
                    .run1d((long) outputs * local, local);
        } else {
            k.launch(ALGEBRA, "reduce_max_f").mem(x).mem(out).mem(indices).i(n).i(inner).i(outputs)
                    .run1d(outputs, linearLocal);
        }
    }

    void reduceMaxBackward(Tensor gradOut, Tensor indices, int n, int inner, Tensor gradIn) {
        int size = size("reduceMaxBackward", "gradIn", gradIn);
        if (size > 0) {
            k.launch(ALGEBRA, "reduce_max_backward_f").mem(gradOut).mem(indices).mem(gradIn).i(n).i(inner).i(size)
                    .run1d(size, linearLocal);
        }
    }

    // ---- copies and rows -------------------------------------------------------------------------------------

    void copyStrided(Tensor src, Strides srcAt, Tensor dst, Strides dstAt, int n0, int n1, int n2) {
        String op = "copyStrided";
        size(op, "src", src);
        size(op, "dst", dst);
        long total = (long) n0 * n1 * n2;
        if (total == 0) {
            return;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": a " + n0 + "x" + n1 + "x" + n2
                    + " block has more elements than the OpenCL kernels index with 32-bit ints");
        }
        k.launch(ALGEBRA, "copy_strided_f")
                .mem(src).i(srcAt.offset()).i(srcAt.s0()).i(srcAt.s1()).i(srcAt.s2())
                .mem(dst).i(dstAt.offset()).i(dstAt.s0()).i(dstAt.s1()).i(dstAt.s2())
                .i(n1).i(n2).i((int) total)
                .run1d(total, linearLocal);
    }

    void gatherRows(Tensor table, Tensor indices, Tensor out) {
        size("gatherRows", "table", table);
        size("gatherRows", "out", out);
        int rows = table.shape().dim(0);
        int d = table.shape().dim(1);
        int count = out.shape().dim(0);
        if ((long) count * d > 0) {
            k.launch(ALGEBRA, "gather_rows_f").mem(table).mem(indices).mem(out).i(rows).i(d).i(count)
                    .run2d(d, count, Math.min(64, linearLocal), 1);
        }
    }

    void scatterAddRows(Tensor grad, Tensor indices, Tensor table) {
        size("scatterAddRows", "table", table);
        size("scatterAddRows", "grad", grad);
        int rows = table.shape().dim(0);
        int d = table.shape().dim(1);
        int count = grad.shape().dim(0);
        if ((long) count * d == 0 || rows == 0) {
            return;
        }
        int blocks = Math.max(1, Math.min(rows, (scatterItems + d - 1) / d));
        k.launch(ALGEBRA, "scatter_add_rows_f").mem(grad).mem(indices).mem(table).i(rows).i(d).i(count).i(blocks)
                .run2d(d, blocks, Math.min(64, linearLocal), 1);
    }
}
