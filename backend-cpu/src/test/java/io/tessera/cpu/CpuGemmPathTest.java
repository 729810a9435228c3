package io.tessera.cpu;

import io.tessera.BackendStatus;
import io.tessera.Devices;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider picks the Vector API GEMM exactly when the incubator module is present and not switched off, and says so. */
class CpuGemmPathTest {

    @Test
    void detailsNameTheChosenGemm() {
        BackendStatus cpu = Devices.all().stream().filter(b -> b.name().equals(CpuBackendProvider.NAME)).findFirst().orElseThrow();
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"false".equalsIgnoreCase(System.getProperty("tessera.cpu.vector"));
        String details = cpu.details();
        assertTrue(details.startsWith(vector ? "GEMM: Vector API" : "GEMM: EJML"), details);
    }
}
