package io.tessera.opencl.aparapi;

import io.tessera.Tensor;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Strides;
import io.tessera.spi.UnaryFunction;

import static io.tessera.opencl.aparapi.Launch.mem;
import static io.tessera.opencl.aparapi.Launch.written;

/**
 * The tensor-algebra kernels of one {@link AparapiDevice} ({@code unary} to {@code scatterAddRows} of
 * {@link io.tessera.spi.Kernels}), which {@link AparapiKernels} delegates to: five Aparapi kernel instances, created
 * once per device and reused, launched synchronously like the others. Arguments arrive validated by
 * {@link io.tessera.spi.CheckedKernels}; a function code the kernels do not know (one added to the SPI later) is
 * refused with an {@link UnsupportedOperationException} before anything runs. Not thread-safe: one issuing thread.
 */
final class AlgebraKernels {
    private final AparapiDevice device;
    private final UnaryKernel unaryKernel = new UnaryKernel();
    private final BinaryKernel binaryKernel = new BinaryKernel();
    private final ReduceKernel reduceKernel = new ReduceKernel();
    private final StridedCopyKernel stridedKernel = new StridedCopyKernel();
    private final RowsKernel rowsKernel = new RowsKernel();
    private final KernelHandle unary;
    private final KernelHandle binary;
    private final KernelHandle reduce;
    private final KernelHandle strided;
    private final KernelHandle rows;

    AlgebraKernels(AparapiDevice device) {
        this.device = device;
        this.unary = device.newHandle(unaryKernel);
        this.binary = device.newHandle(binaryKernel);
        this.reduce = device.newHandle(reduceKernel);
        this.strided = device.newHandle(stridedKernel);
        this.rows = device.newHandle(rowsKernel);
        unaryKernel.nan = Float.NaN;
    }

    private static int n(Tensor t) {
        return (int) t.size();
    }

    private int unaryCode(UnaryFunction f) {
        int code = f.code();
        if (code < 0 || code > UnaryKernel.LAST) {
            throw unknown("unary function " + f, code);
        }
        return code;
    }

    private UnsupportedOperationException unknown(String what, int code) {
        return new UnsupportedOperationException(device.id() + ": the opencl-aparapi kernels do not implement the " + what
                + " (code " + code + ")");
    }

    void unary(UnaryFunction f, float alpha, Tensor x, Tensor out) {
        int count = n(x);
        int fn = unaryCode(f);
        if (count == 0) {
            return;
        }
        unary.begin();
        unaryKernel.ix = unary.floats(mem(x), Access.READ);
        unaryKernel.io = unary.floats(mem(out), written(out));
        unaryKernel.ig = unaryKernel.ix;
        launchUnary(UnaryKernel.FORWARD, fn, count, alpha);
    }

    void unaryBackward(UnaryFunction f, float alpha, Tensor x, Tensor gradOut, Tensor gradIn) {
        int count = n(x);
        int fn = unaryCode(f);
        if (count == 0) {
            return;
        }
        unary.begin();
        unaryKernel.ix = unary.floats(mem(x), Access.READ);
        unaryKernel.ig = unary.floats(mem(gradOut), Access.READ);
        unaryKernel.io = unary.floats(mem(gradIn), written(gradIn));
        launchUnary(UnaryKernel.BACKWARD, fn, count, alpha);
    }

    private void launchUnary(int op, int fn, int count, float alpha) {
        unaryKernel.op = op;
        unaryKernel.fn = fn;
        unaryKernel.n = count;
        unaryKernel.alpha = alpha;
        unary.launch(device.linear(count));
    }

    void binary(BinaryFunction f, Tensor a, int aInner, Tensor b, int bInner, Tensor out) {
        int code = f.code();
        if (code < 0 || code > BinaryKernel.LAST) {
            throw unknown("binary function " + f, code);
        }
        int count = n(out);
        if (count == 0) {
            return;
        }
        binary.begin();
        BinaryKernel k = binaryKernel;
        k.ia = binary.floats(mem(a), Access.READ);
        k.ib = binary.floats(mem(b), Access.READ);
        k.io = binary.floats(mem(out), written(out));
        k.fn = code;
        k.n = count;
        k.aSize = n(a);
        k.aInner = aInner;
        k.bSize = n(b);
        k.bInner = bInner;
        binary.launch(device.linear(count));
    }

    void reduceSum(Tensor x, int n, int inner, Tensor out) {
        int count = n(out);
        if (count == 0) {
            return;
        }
        Launch launch = new Launch(reduce, device.id());
        launch.read(x);
        launch.write(out);
        launchReduce(launch, ReduceKernel.SUM, count, n, inner);
    }

    void reduceMax(Tensor x, int n, int inner, Tensor out, Tensor indices) {
        int count = n(out);
        if (count == 0) {
            return;
        }
        Launch launch = new Launch(reduce, device.id());
        launch.read(x);
        launch.write(out);
        launch.write(indices);
        launchReduce(launch, ReduceKernel.MAX, count, n, inner);
    }

    void reduceMaxBackward(Tensor gradOut, Tensor indices, int n, int inner, Tensor gradIn) {
        int count = n(gradIn);
        if (count == 0) {
            return;
        }
        Launch launch = new Launch(reduce, device.id());
        launch.read(gradOut);
        launch.write(gradIn);
        launch.read(indices);
        launchReduce(launch, ReduceKernel.MAX_BACKWARD, count, n, inner);
    }

    private void launchReduce(Launch launch, int op, int total, int n, int inner) {
        reduceKernel.op = op;
        reduceKernel.total = total;
        reduceKernel.n = n;
        reduceKernel.inner = inner;
        launch.launch(device.linear(total));
    }

    void copyStrided(Tensor src, Strides srcAt, Tensor dst, Strides dstAt, int n0, int n1, int n2) {
        long elements = (long) n0 * n1 * n2;
        if (elements == 0) {
            return;
        }
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(device.id() + ": copyStrided of a " + n0 + "x" + n1 + "x" + n2
                    + " block: more than 2^31 - 1 elements");
        }
        int total = (int) elements;
        Launch launch = new Launch(strided, device.id());
        launch.read(src);
        if (total == mem(dst).length()) {
            launch.write(dst);
        } else {
            launch.update(dst);
        }
        StridedCopyKernel k = stridedKernel;
        k.total = total;
        k.n1 = n1;
        k.n2 = n2;
        k.srcOffset = srcAt.offset();
        k.srcS0 = srcAt.s0();
        k.srcS1 = srcAt.s1();
        k.srcS2 = srcAt.s2();
        k.dstOffset = dstAt.offset();
        k.dstS0 = dstAt.s0();
        k.dstS1 = dstAt.s1();
        k.dstS2 = dstAt.s2();
        launch.launch(device.linear(total));
    }

    void gatherRows(Tensor table, Tensor indices, Tensor out) {
        int total = n(out);
        if (total == 0) {
            return;
        }
        Launch launch = new Launch(rows, device.id());
        launch.read(table);
        launch.write(out);
        launch.read(indices);
        launchRows(launch, RowsKernel.GATHER, table, n(indices), total);
    }

    void scatterAddRows(Tensor grad, Tensor indices, Tensor table) {
        int cols = table.shape().dim(1);
        if (n(grad) == 0) {
            return;
        }
        Launch launch = new Launch(rows, device.id());
        launch.update(table);
        launch.read(grad);
        launch.read(indices);
        launchRows(launch, RowsKernel.SCATTER_ADD, table, n(indices), cols);
    }

    private void launchRows(Launch launch, int op, Tensor table, int count, int items) {
        rowsKernel.op = op;
        rowsKernel.rows = table.shape().dim(0);
        rowsKernel.cols = table.shape().dim(1);
        rowsKernel.count = count;
        launch.launch(device.linear(items));
    }
}
