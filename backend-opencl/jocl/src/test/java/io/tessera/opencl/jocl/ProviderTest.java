package io.tessera.opencl.jocl;

import io.tessera.BackendStatus;
import io.tessera.Device;
import io.tessera.DeviceKind;
import io.tessera.DeviceRegistry;
import io.tessera.spi.BackendProvider;
import io.tessera.spi.CheckedKernels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderTest {
    @Test
    void registeredWithServiceLoader() {
        List<BackendProvider> found = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof JoclBackendProvider).toList();
        assertEquals(1, found.size());
        assertEquals("opencl-jocl", found.get(0).name());
        assertEquals(200, found.get(0).priority());
    }

    @Test
    void devicesAreNumberedGpusFirst() {
        List<Device> devices = OpenCl.backend().devices();
        assertFalse(devices.isEmpty());
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            assertEquals("opencl-jocl:" + i, d.id());
            assertTrue(d.memoryBytes() > 0);
            assertFalse(d.name().isBlank());
            assertInstanceOf(CheckedKernels.class, d.kernels());
            if (i > 0) {
                assertTrue(devices.get(i - 1).kind().preference() <= d.kind().preference(), devices.toString());
            }
            JoclDevice jd = (JoclDevice) d;
            assertEquals(d.kind() == DeviceKind.CPU ? GemmVariant.CPU : GemmVariant.GPU, jd.gemmVariant());
            System.out.println("[opencl-jocl tests] " + jd + ": " + d.memoryBytes() + " bytes, gemm " + jd.gemmVariant());
        }
        assertTrue(OpenCl.backend().details().startsWith("JOCL "), OpenCl.backend().details());
    }

    @Test
    void registryReportsTheBackend() {
        OpenCl.device();
        DeviceRegistry registry = DeviceRegistry.of(List.of(new JoclBackendProvider()));
        BackendStatus status = registry.backends().get(0);
        assertEquals(BackendStatus.State.AVAILABLE, status.state(), status.details());
        assertEquals("opencl-jocl:0", registry.get("opencl-jocl:0").id());
    }
}
