package io.tessera.spi;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.reflect.Proxy;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckedKernelsTest {
    private final Device here = new ReferenceDevice("here");
    private final Device there = new ReferenceDevice("there:1");
    private final List<String> calls = new ArrayList<>();
    private final List<Object[]> args = new ArrayList<>();
    private final Kernels raw = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
            (proxy, method, a) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return method.getName().equals("equals") ? proxy == a[0] : method.getName().equals("hashCode") ? 0 : "raw";
                }
                calls.add(method.getName());
                args.add(a);
                return null;
            });
    private final Kernels k = CheckedKernels.wrap(here, raw);
    private Scope scope;

    @BeforeEach
    void open() {
        scope = here.scope();
    }

    @AfterEach
    void close() {
        scope.close();
        assertEquals(0, here.liveAllocations());
    }

    private Tensor f(int... dims) {
        return scope.zeros(Shape.of(dims));
    }

    private Tensor ints(int... dims) {
        return scope.zeros(Shape.of(dims), DType.INT32);
    }

    private <T extends RuntimeException> void fails(Class<T> type, Executable call, String... parts) {
        T e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
        assertTrue(calls.isEmpty(), "a call that fails validation must not reach the raw kernels: " + calls);
    }

    @Test
    void wrapIsIdempotentAndKeepsTheRawKernels() {
        assertInstanceOf(CheckedKernels.class, k);
        assertSame(k, CheckedKernels.wrap(here, k));
        assertSame(raw, ((CheckedKernels) k).raw());
        assertThrows(NullPointerException.class, () -> CheckedKernels.wrap(null, raw));
        assertThrows(NullPointerException.class, () -> CheckedKernels.wrap(here, null));
    }

    @Test
    void validCallsReachTheRawKernelsUnchanged() {
        Tensor a = f(2, 3);
        Tensor b = f(3, 4);
        Tensor c = f(2, 4);
        k.gemm(false, false, 0.5f, a, b, 0f, c);
        k.add(a, a, a);
        assertEquals(List.of("gemm", "add"), calls);
        assertSame(b, args.get(0)[4]);
        assertEquals(0.5f, args.get(0)[2]);
    }

    @Test
    void nullTensorsNameTheParameter() {
        Tensor a = f(3);
        fails(NullPointerException.class, () -> k.add(a, null, a), "add: b is null");
        fails(NullPointerException.class, () -> k.copyFromBuffer(null, a, 0), "src buffer is null");
    }

    @Test
    void closedTensorsNameTheOperationAndTheTensor() {
        Tensor a = f(3, 5);
        Tensor gone = here.zeros(Shape.of(3, 5));
        gone.close();
        fails(IllegalStateException.class, () -> k.relu(gone, a), "relu: x (3x5 float32 on here) is closed");
        fails(IllegalStateException.class, () -> k.scale(2f, a, gone), "scale: out (3x5 float32 on here) is closed");
    }

    @Test
    void tensorsOfAnotherDeviceNameBothDevices() {
        Tensor a = f(2, 2);
        try (Tensor foreign = there.zeros(Shape.of(2, 2))) {
            fails(IllegalArgumentException.class, () -> k.mul(a, foreign, a), "mul: b is on device there:1", "run on device here",
                    "tensor.to(device)");
        }
    }

    @Test
    void dtypesAreChecked() {
        Tensor floats = f(6);
        Tensor labels = ints(6);
        fails(IllegalArgumentException.class, () -> k.copyFromHost(new int[6], 0, floats, 0, 6), "copyFromHost: dst is 6 float32 on here but must be int32");
        fails(IllegalArgumentException.class, () -> k.copyToHost(labels, 0, new float[6], 0, 6), "copyToHost: src", "must be float32");
        fails(IllegalArgumentException.class, () -> k.copy(floats, labels), "copy: dst", "must be float32");
        fails(IllegalArgumentException.class, () -> k.axpy(1f, labels, floats), "axpy: x", "must be float32");
    }

    @Test
    void sizesAreChecked() {
        Tensor a = f(2, 3);
        Tensor b = f(7);
        fails(IllegalArgumentException.class, () -> k.add(a, b, a), "add: a is 2x3 and b is 7");
        fails(IllegalArgumentException.class, () -> k.reluBackward(a, a, b), "reluBackward: x is 2x3 and gradIn is 7");
        fails(IllegalArgumentException.class, () -> k.copy(a, b), "copy: src is 2x3 and dst is 7");
        fails(IllegalArgumentException.class, () -> k.sgdStep(a, b, null, 0.1f, 0f, 0f), "sgdStep: param is 2x3 and grad is 7");
    }

    @Test
    void rangesAreChecked() {
        Tensor a = f(6);
        fails(IndexOutOfBoundsException.class, () -> k.copyFromHost(new float[10], 0, a, 2, 5), "5 elements at offset 2", "of 6 elements");
        fails(IndexOutOfBoundsException.class, () -> k.copyFromHost(new float[4], 1, a, 0, 4), "the source array of 4 elements");
        fails(IndexOutOfBoundsException.class, () -> k.copyFromHost(new float[4], -1, a, 0, 1), "offset -1");
        fails(IndexOutOfBoundsException.class, () -> k.copyToHost(a, 0, new float[3], 0, 4), "the destination array of 3 elements");
        fails(IndexOutOfBoundsException.class, () -> k.copyFromBuffer(FloatBuffer.allocate(5), a, 2), "5 elements at offset 2");
        fails(IndexOutOfBoundsException.class, () -> k.copyToBuffer(a, 3, FloatBuffer.allocate(4)), "4 elements at offset 3");
        fails(IllegalArgumentException.class, () -> k.copyToBuffer(a, 0, FloatBuffer.allocate(2).asReadOnlyBuffer()), "read-only");
    }

    @Test
    void gemmShapesAreExplained() {
        Tensor a = f(4, 3);
        Tensor b = f(5, 2);
        Tensor c = f(3, 2);
        fails(IllegalArgumentException.class, () -> k.gemm(true, false, 1f, a, b, 0f, c),
                "op(A) = A^T of A 4x3", "op(B) = B of B 5x2", "inner dimensions 4 and 5 differ");
        Tensor b2 = f(4, 2);
        Tensor wrongC = f(2, 3);
        fails(IllegalArgumentException.class, () -> k.gemm(true, false, 1f, a, b2, 0f, wrongC), "C 2x3", "C must be 3x2");
        fails(IllegalArgumentException.class, () -> k.gemm(false, false, 1f, f(6), b2, 0f, c), "gemm: A must be 2-D, but is 6");
        Tensor square = f(3, 3);
        try (Tensor alias = square.view(Shape.of(3, 3))) {
            fails(IllegalArgumentException.class, () -> k.gemm(false, false, 1f, square, f(3, 3), 0f, alias), "must not share memory");
        }
    }

    @Test
    void biasAndColumnSumShapesAreChecked() {
        Tensor x = f(4, 3);
        fails(IllegalArgumentException.class, () -> k.addBias(x, f(4), x), "addBias: bias 4 must have 3 elements", "x 4x3");
        fails(IllegalArgumentException.class, () -> k.addBias(x, f(3), f(3, 4)), "addBias: out 3x4 must have x's shape 4x3");
        fails(IllegalArgumentException.class, () -> k.columnSums(x, f(4)), "columnSums: out 4 must have 3 elements");
        Tensor wide = f(1, 3);
        try (Tensor flat = wide.view(Shape.of(3))) {
            fails(IllegalArgumentException.class, () -> k.columnSums(wide, flat), "must not share memory");
        }
    }

    @Test
    void lossShapesAreChecked() {
        Tensor logits = f(4, 10);
        Tensor labels = ints(4);
        fails(IllegalArgumentException.class, () -> k.softmaxCrossEntropy(logits, ints(5), f(1)), "labels 5 must have one label per row of logits 4x10");
        fails(IllegalArgumentException.class, () -> k.softmaxCrossEntropy(logits, f(4), f(1)), "labels is 4 float32", "must be int32");
        fails(IllegalArgumentException.class, () -> k.softmaxCrossEntropy(logits, labels, f(2)), "loss must have one element, but is 2");
        fails(IllegalArgumentException.class, () -> k.softmaxCrossEntropy(f(40), labels, f(1)), "logits must be 2-D");
        fails(IllegalArgumentException.class, () -> k.softmaxCrossEntropyBackward(logits, labels, f(10, 4)), "grad 10x4 must have the logits' shape 4x10");
        fails(IllegalArgumentException.class, () -> k.softmaxCrossEntropyBackward(logits, labels, logits), "grad must not share memory with logits");
        fails(IllegalArgumentException.class, () -> k.countCorrect(logits, labels, f(1, 2)), "count must have one element");
    }

    @Test
    void sgdNeedsAVelocityOnlyWithMomentum() {
        Tensor p = f(5);
        Tensor g = f(5);
        fails(IllegalArgumentException.class, () -> k.sgdStep(p, g, null, 0.1f, 0.9f, 0f), "momentum 0.9 needs a velocity tensor");
        fails(IllegalArgumentException.class, () -> k.sgdStep(p, g, f(4), 0.1f, 0.9f, 0f), "param is 5 and velocity is 4");
        k.sgdStep(p, g, f(4), 0.1f, 0f, 0f);
        assertEquals(List.of("sgdStep"), calls);
        assertNull(args.get(0)[2], "without momentum the raw kernel gets no velocity");
    }

    @Test
    void tensorAlgebraCallsAreValidatedBeforeTheBackend() {
        Tensor a = f(6, 5);
        Tensor out = f(6, 5);
        fails(IllegalArgumentException.class, () -> k.binary(BinaryFunction.ADD, a, 1, f(4), 1, out), "4", "6x5");
        fails(IllegalArgumentException.class, () -> k.binary(BinaryFunction.MUL, a, 0, f(5), 1, out), "aInner");
        fails(IllegalArgumentException.class, () -> k.unary(UnaryFunction.EXP, 0f, a, f(5)), "same number of elements");
        fails(IllegalArgumentException.class, () -> k.unaryBackward(UnaryFunction.TANH, 0f, a, out, a), "must not share memory");
        fails(IllegalArgumentException.class, () -> k.reduceSum(a, 4, 1, f(6)), "cannot be seen as");
        fails(IllegalArgumentException.class, () -> k.reduceSum(a, 5, 1, f(5)), "must have 6 elements");
        fails(IllegalArgumentException.class, () -> k.reduceMax(a, 5, 1, f(6), f(6)), "int32");
        fails(IndexOutOfBoundsException.class,
                () -> k.copyStrided(a, new Strides(1, 5, 1, 0), out, new Strides(0, 5, 1, 0), 6, 5, 1), "reaches past src");
        fails(IllegalArgumentException.class, () -> k.gatherRows(f(10, 3), ints(4), f(4, 2)), "do not fit");
        fails(IllegalArgumentException.class, () -> k.scatterAddRows(f(4, 3), f(4), f(10, 3)), "int32");
        k.copyStrided(a, new Strides(0, 5, 1, 0), out, new Strides(0, 5, 1, 0), 0, 5, 1);
        assertTrue(calls.isEmpty(), "an empty block copies nothing: " + calls);
    }
}
