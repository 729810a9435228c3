package io.tessera.opencl.aparapi;

import io.tessera.BackendStatus;
import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;

/**
 * Run in a child JVM by {@link SignalGuardTest}: loads the backend and launches every kind of kernel once (so the
 * driver initialises and compiles), then raises one more guard signal and reports whether the JVM's handler got it.
 */
public final class SignalGuardProbe {
    private SignalGuardProbe() {
    }

    /** Launches each CNN kernel class once on tiny tensors. */
    private static void cnnKernels(Device d) {
        io.tessera.spi.Window2d w = io.tessera.spi.Window2d.square(2, 1, 0);
        try (Tensor x = d.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Shape.of(1, 1, 3, 3)); Tensor wt = d.of(new float[] {1, 0, 0, 1}, Shape.of(1, 1, 2, 2));
             Tensor y = d.zeros(Shape.of(1, 1, 2, 2)); Tensor gx = d.zeros(Shape.of(1, 1, 3, 3)); Tensor gw = d.zeros(Shape.of(1, 1, 2, 2));
             Tensor idx = d.zeros(Shape.of(1, 1, 2, 2), io.tessera.DType.INT32); Tensor one = d.of(new float[] {1}, Shape.of(1));
             Tensor zero = d.zeros(Shape.of(1)); Tensor rm = d.zeros(Shape.of(1)); Tensor rv = d.of(new float[] {1}, Shape.of(1)); Tensor sm = d.zeros(Shape.of(1)); Tensor si = d.zeros(Shape.of(1)); Tensor bn = d.zeros(Shape.of(1, 1, 3, 3));
             Tensor m = d.zeros(Shape.of(1, 1, 3, 3)); Tensor v = d.zeros(Shape.of(1, 1, 3, 3))) {
            d.kernels().conv2d(x, wt, null, y, w);
            d.kernels().conv2dBackwardInput(y, wt, gx, w);
            d.kernels().conv2dBackwardWeight(x, y, gw, null, w);
            d.kernels().maxPool2d(x, y, idx, w);
            d.kernels().batchNormTrain(x, one, zero, rm, rv, 0.1f, 1e-5f, bn, sm, si);
            d.kernels().dropoutMask(m, 0.5f, 1L, 0L);
            d.kernels().adamStep(m, bn, gx, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        BackendStatus status = Devices.all().stream().filter(s -> s.name().equals(AparapiBackendProvider.NAME)).findFirst().orElse(null);
        if (status == null || !status.isAvailable()) {
            System.out.println("SKIP " + (status == null ? "provider not found" : status.details()));
            return;
        }
        Device d = Devices.get(OpenCl.DEVICE_ID);
        System.out.println("DEVICE " + d.name());
        try (Tensor a = d.of(new float[] {1, -2, 3, -4}, Shape.of(2, 2)); Tensor b = d.zeros(Shape.of(2, 2)); Tensor c = d.zeros(Shape.of(2, 2));
             Tensor sums = d.zeros(Shape.of(2)); Tensor labels = d.ofInts(new int[] {0, 1}, Shape.of(2)); Tensor loss = d.zeros(Shape.of(1));
             Tensor ints = d.zeros(Shape.of(2), io.tessera.DType.INT32)) {
            d.kernels().relu(a, b);
            d.kernels().gemm(false, false, 1f, a, b, 0f, c);
            d.kernels().columnSums(c, sums);
            d.kernels().softmaxCrossEntropy(c, labels, loss);
            d.kernels().sgdStep(a, b, null, 0.1f, 0f, 0f);
            d.kernels().copy(labels, ints);
            cnnKernels(d);
            System.out.println("RESULT " + loss.item());
        }
        System.out.println("ACTIVE " + SignalGuard.active() + " " + SignalGuard.unavailable());
        long before = SignalGuard.handled();
        SignalGuard.restore();
        boolean reached = false;
        for (int i = 0; i < 500 && !reached; i++) {
            reached = SignalGuard.handled() > before;
            Thread.sleep(10);
        }
        Thread.sleep(100);
        System.out.println("REACHED " + reached);
        System.out.println("CONSUMED " + (SignalGuard.raised() - SignalGuard.handled()) + " of " + SignalGuard.raised());
    }
}
