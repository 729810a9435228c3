package io.tessera;

import io.tessera.spi.DeviceMemory;
import io.tessera.spi.Kernels;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    @Test
    void memoryThatDoesNotFitIsClosedAndReported() {
        AtomicBoolean closed = new AtomicBoolean();
        Device device = new ShortDevice(closed);
        TesseraException e = assertThrows(TesseraException.class, () -> device.empty(Shape.of(4, 4), DType.FLOAT32));
        assertTrue(e.getMessage().contains("short"), e.getMessage());
        assertTrue(e.getMessage().contains("4x4"), e.getMessage());
        assertTrue(closed.get(), "the memory that did not fit is closed");
    }

    @Test
    void viewsDescribeThemselves() {
        ReferenceDevice device = new ReferenceDevice("unit");
        try (Tensor t = device.zeros(Shape.of(2, 3)); Tensor v = t.view(Shape.of(6))) {
            assertEquals("6 float32 on unit (view)", v.describe());
            assertEquals("Tensor[2x3 float32 on unit]", t.toString());
        }
        assertEquals(0, device.liveAllocations());
    }

    /** A device that returns half the memory asked for. */
    private record ShortDevice(AtomicBoolean closed) implements Device {
        @Override
        public String id() {
            return "short";
        }

        @Override
        public DeviceKind kind() {
            return DeviceKind.CPU;
        }

        @Override
        public String name() {
            return "short";
        }

        @Override
        public long memoryBytes() {
            return 1;
        }

        @Override
        public Kernels kernels() {
            throw new UnsupportedOperationException();
        }

        @Override
        public DeviceMemory allocate(DType dtype, long elements) {
            return new DeviceMemory() {
                @Override
                public DType dtype() {
                    return dtype;
                }

                @Override
                public long elements() {
                    return elements / 2;
                }

                @Override
                public void close() {
                    closed.set(true);
                }
            };
        }

        @Override
        public long liveAllocations() {
            return 0;
        }

        @Override
        public void synchronize() {
        }
    }
}
