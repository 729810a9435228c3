package io.tessera.opencl.aparapi;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Host and device copies stay coherent whatever the order of kernels, host reads and host writes: a seeded random
 * program of operations over a few tensors (each passing through several Aparapi kernels, whose buffers are separate)
 * runs on {@code opencl-aparapi:0} and on the kit's reference device, with forced garbage collections in between so
 * that arrays move under Aparapi's buffers; after every operation one tensor is compared. Run with
 * {@code -Dtessera.opencl-aparapi.copyBuffers=true} (a second Surefire execution does) it checks the discrete-GPU path.
 */
class CoherenceTest {
    private static final int N = 96;

    @BeforeAll
    static void needsOpenCl() {
        OpenCl.require();
    }

    @Test
    void randomProgramsMatchTheReference() {
        Device cl = OpenCl.device();
        Device ref = new ReferenceDevice("coherence-reference");
        SplittableRandom random = new SplittableRandom(77);
        List<Tensor[]> pairs = new ArrayList<>();
        try {
            for (int t = 0; t < 5; t++) {
                float[] init = values(random);
                pairs.add(new Tensor[] {cl.of(init, Shape.of(8, 12)), ref.of(init, Shape.of(8, 12))});
            }
            for (int step = 0; step < 400; step++) {
                int op = random.nextInt(9);
                Tensor[] a = pairs.get(random.nextInt(pairs.size()));
                Tensor[] b = pairs.get(random.nextInt(pairs.size()));
                Tensor[] c = pairs.get(random.nextInt(pairs.size()));
                float[] host = values(random);
                int offset = random.nextInt(N);
                int count = random.nextInt(N - offset + 1);
                for (int side = 0; side < 2; side++) {
                    apply(op, side == 0 ? cl.kernels() : ref.kernels(), a[side], b[side], c[side], host, offset, count);
                }
                if (random.nextInt(10) == 0) {
                    System.gc();
                }
                Tensor[] check = pairs.get(random.nextInt(pairs.size()));
                int s = step;
                assertClose(check[1].toFloatArray(), check[0].toFloatArray(), "after step " + s + " (op " + op + ")");
            }
        } finally {
            for (Tensor[] p : pairs) {
                p[0].close();
                p[1].close();
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            double bound = 1e-5 + 1e-5 * Math.abs(expected[i]);
            if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
                assertArrayEquals(expected, actual, what + ": element " + i);
            }
        }
    }

    private static float[] values(SplittableRandom random) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    private static void apply(int op, Kernels k, Tensor a, Tensor b, Tensor c, float[] host, int offset, int count) {
        switch (op) {
            case 0 -> {
                k.add(a, b, c);
                k.scale(0.5f, c, c);
            }
            case 1 -> k.reluBackward(a, b, a);
            case 2 -> k.copyFromHost(host, 0, a, offset, count);
            case 3 -> {
                if (a.memory() != c.memory() && b.memory() != c.memory()) {
                    Tensor column = b.view(Shape.of(N, 1)).rows(1);
                    k.gemm(false, false, 0.25f, a.view(Shape.of(N, 1)), column, 0.5f, c.view(Shape.of(N, 1)));
                }
            }
            case 4 -> k.relu(a, b);
            case 5 -> k.sgdStep(a, b, null, 0.1f, 0f, 0f);
            case 6 -> {
                try (Tensor top = a.rows(3)) {
                    k.fill(top, 0.5f);
                }
            }
            case 7 -> {
                if (a.memory() != c.memory()) {
                    try (Tensor sums = c.view(Shape.of(N)).rows(12)) {
                        k.columnSums(a, sums);
                    }
                }
            }
            default -> k.copy(a, b);
        }
    }

    @Test
    void labelsAndLogitsSurviveAHostRoundTripBetweenKernels() {
        Device cl = OpenCl.device();
        try (Tensor z = cl.of(new float[] {1, 2, 3, 4, 9, 0}, Shape.of(2, 3)); Tensor y = cl.ofInts(new int[] {2, 0}, Shape.of(2));
             Tensor count = cl.zeros(Shape.of(1)); Tensor grad = cl.empty(Shape.of(2, 3), DType.FLOAT32)) {
            cl.kernels().countCorrect(z, y, count);
            cl.kernels().scale(-1f, z, z);
            System.gc();
            cl.kernels().countCorrect(z, y, count);
            cl.kernels().copyFromHost(new int[] {0, 1}, 0, y, 0, 2);
            cl.kernels().countCorrect(z, y, count);
            cl.kernels().softmaxCrossEntropyBackward(z, y, grad);
            assertArrayEquals(new float[] {2f}, count.toFloatArray());
            assertArrayEquals(new float[] {-1, -2, -3, -4, -9, -0f}, z.toFloatArray());
        }
    }
}
