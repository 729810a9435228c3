package io.tessera.opencl.aparapi;

import io.tessera.DType;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.TesseraException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kernel that Aparapi cannot translate fails loudly in the launch helper instead of running on Aparapi's thread pool. */
class NoFallbackTest {

    @BeforeAll
    static void needsOpenCl() {
        OpenCl.require();
    }

    @Test
    void anUntranslatableKernelIsRefusedAndNeverRuns() {
        AparapiDevice device = (AparapiDevice) OpenCl.device();
        UntranslatableKernel kernel = new UntranslatableKernel();
        KernelHandle handle = device.newHandle(kernel);
        try (Tensor t = device.zeros(Shape.of(100))) {
            for (int attempt = 0; attempt < 2; attempt++) {
                handle.begin();
                handle.floats((AparapiMemory) t.memory(), Access.UPDATE);
                kernel.n = 100;
                TesseraException e = assertThrows(TesseraException.class, () -> handle.launch(device.linear(100)));
                String message = e.getMessage();
                if (attempt == 0) {
                    System.out.println("[no-fallback] " + message);
                }
                assertTrue(message.contains(UntranslatableKernel.class.getName()), message);
                assertTrue(message.contains(device.id()), message);
                assertTrue(message.contains("thread pool"), message);
                assertTrue(message.toLowerCase(java.util.Locale.ROOT).contains("interface"), "Aparapi's reason should be quoted: " + message);
            }
            assertArrayEquals(new float[100], t.toFloatArray(), "the kernel must not have run anywhere");
        }
        try (Tensor ok = device.of(new float[] {-1, 2}, Shape.of(2)); Tensor out = device.empty(Shape.of(2), DType.FLOAT32)) {
            device.kernels().relu(ok, out);
            assertArrayEquals(new float[] {0, 2}, out.toFloatArray(), "other kernels keep working");
        }
    }
}
