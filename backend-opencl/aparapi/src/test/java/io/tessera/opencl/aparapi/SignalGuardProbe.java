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
